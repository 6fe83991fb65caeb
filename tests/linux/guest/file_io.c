/* Writes a file (argv[1]), reads it back through another descriptor, checks stat and lseek, removes
 * it. Prints what it read. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const char text[] = "line one\nline two\n";
  int fd = open(argv[1], O_CREAT | O_WRONLY | O_TRUNC, 0640);
  if (fd < 0 || write(fd, text, sizeof text - 1) != (ssize_t)(sizeof text - 1) || close(fd) != 0) {
    perror("write");
    return 1;
  }
  struct stat st;
  if (stat(argv[1], &st) != 0) return 1;
  printf("size=%lld mode=%o regular=%d\n", (long long)st.st_size, (unsigned)(st.st_mode & 0777),
         S_ISREG(st.st_mode));
  FILE* f = fopen(argv[1], "r");
  char line[64];
  while (f && fgets(line, sizeof line, f)) printf("read: %s", line);
  if (f) fclose(f);
  fd = open(argv[1], O_RDONLY);
  off_t end = lseek(fd, 0, SEEK_END);
  lseek(fd, 5, SEEK_SET);
  char word[4] = {0};
  read(fd, word, 3);
  close(fd);
  printf("end=%lld word=%s\n", (long long)end, word);
  return unlink(argv[1]) == 0 ? 0 : 1;
}
