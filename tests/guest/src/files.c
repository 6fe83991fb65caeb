/* Guest test: file-system system calls through libc: a private directory under the cwd (the harness
 * gives each run a fresh one), write/read/append/seek, pread/pwrite, readv/writev, stat fields that
 * do not depend on the file system (size, type, permission bits, times we set), rename, link,
 * symlink/readlink, unlink, mkdir/rmdir, a sorted directory listing, ftruncate, dup/dup2, fcntl,
 * a pipe, and error numbers of failing calls. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define CHECK(expr)                                                                     \
  do {                                                                                  \
    if ((expr) < 0) printf("FAIL line %d: %s: %s\n", __LINE__, #expr, strerror(errno)); \
  } while (0)

static void PrintStat(const char* path) {
  struct stat st;
  if (lstat(path, &st) != 0) {
    printf("lstat %s: %s\n", path, strerror(errno));
    return;
  }
  const char* type = S_ISREG(st.st_mode)    ? "file"
                     : S_ISDIR(st.st_mode)  ? "dir"
                     : S_ISLNK(st.st_mode)  ? "symlink"
                     : S_ISFIFO(st.st_mode) ? "fifo"
                                            : "other";
  printf("%s: %s mode %03o", path, type, (unsigned)(st.st_mode & 07777));
  if (!S_ISDIR(st.st_mode)) printf(" size %lld", (long long)st.st_size);
  if (S_ISREG(st.st_mode)) printf(" nlink %lu", (unsigned long)st.st_nlink);
  printf("\n");
}

static void ReadBack(const char* path) {
  char buf[256];
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    printf("open %s: %s\n", path, strerror(errno));
    return;
  }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[n < 0 ? 0 : n] = '\0';
  printf("%s contains %zd bytes: \"%s\"\n", path, n, buf);
}

static int CompareNames(const void* a, const void* b) {
  return strcmp(*(char* const*)a, *(char* const*)b);
}

static void ListDir(const char* path) {
  DIR* d = opendir(path);
  if (!d) {
    printf("opendir %s: %s\n", path, strerror(errno));
    return;
  }
  char* names[64];
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) != NULL && n < 64) {
    char* entry = malloc(strlen(e->d_name) + 8);
    /* d_type may be DT_UNKNOWN on some file systems; both runs use the same one. */
    sprintf(entry, "%s:%d", e->d_name, (int)e->d_type);
    names[n++] = entry;
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof names[0], CompareNames);
  printf("listing %s (%d):", path, n);
  for (int i = 0; i < n; ++i) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
}

static void Basics(void) {
  printf("-- create, write, append, seek\n");
  CHECK(mkdir("t", 0755));
  CHECK(mkdir("t/sub", 0700));
  int fd = open("t/data.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  CHECK(fd);
  CHECK(write(fd, "hello, world\n", 13));
  off_t pos = lseek(fd, 0, SEEK_CUR);
  off_t end = lseek(fd, 0, SEEK_END);
  off_t back = lseek(fd, 7, SEEK_SET);
  CHECK(write(fd, "WORLD", 5));
  printf("positions %lld %lld %lld\n", (long long)pos, (long long)end, (long long)back);
  close(fd);
  fd = open("t/data.txt", O_WRONLY | O_APPEND);
  CHECK(write(fd, "appended\n", 9));
  printf("O_APPEND in F_GETFL: %d\n", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
  close(fd);
  ReadBack("t/data.txt");
  PrintStat("t/data.txt");
  /* A hole: seek past the end and write. */
  fd = open("t/sparse.bin", O_CREAT | O_RDWR, 0600);
  CHECK(lseek(fd, 100000, SEEK_SET));
  CHECK(write(fd, "x", 1));
  char zero = 1;
  CHECK(pread(fd, &zero, 1, 5000));
  CHECK(pwrite(fd, "ab", 2, 10));
  char two[3] = {0};
  CHECK(pread(fd, two, 2, 10));
  printf("hole byte %d, pwrite/pread %s, offset after p* %lld\n", zero, two,
         (long long)lseek(fd, 0, SEEK_CUR));
  CHECK(ftruncate(fd, 12));
  PrintStat("t/sparse.bin");
  CHECK(ftruncate(fd, 70000));
  PrintStat("t/sparse.bin");
  close(fd);
}

static void Stdio(void) {
  printf("-- stdio: fopen/fseek/ftell/fgets/fread\n");
  FILE* f = fopen("t/stdio.txt", "w+");
  for (int i = 0; i < 50; ++i) fprintf(f, "line %02d %s\n", i, i % 2 ? "odd" : "even");
  printf("ftell after writes %ld\n", ftell(f));
  fseek(f, 13 * 10, SEEK_SET);
  char line[64];
  fgets(line, sizeof line, f);
  printf("line at 130: %s", line);
  fseek(f, -14, SEEK_END);
  fgets(line, sizeof line, f);
  printf("last line: %s", line);
  rewind(f);
  char block[40];
  size_t got = fread(block, 1, sizeof block, f);
  printf("fread %zu: %.13s... ftell %ld feof %d\n", got, block, ftell(f), feof(f));
  fseek(f, 0, SEEK_END);
  int c = fgetc(f);
  printf("fgetc at end %d feof %d\n", c, feof(f) != 0);
  fclose(f);
  f = fopen("t/stdio.txt", "a");
  fputs("tail\n", f);
  fclose(f);
  PrintStat("t/stdio.txt");
  printf("fopen missing: %s\n", fopen("t/missing", "r") == NULL ? strerror(errno) : "opened?");
}

static void Vectors(void) {
  printf("-- readv/writev\n");
  int fd = open("t/vec.bin", O_CREAT | O_RDWR | O_TRUNC, 0640);
  struct iovec out[3] = {{"abc", 3}, {"", 0}, {"defghij", 7}};
  printf("writev %zd\n", writev(fd, out, 3));
  lseek(fd, 0, SEEK_SET);
  char a[4] = {0}, b[8] = {0};
  struct iovec in[2] = {{a, 2}, {b, 7}};
  printf("readv %zd: %s %s\n", readv(fd, in, 2), a, b);
  close(fd);
}

static void Names(void) {
  printf("-- rename, link, symlink, unlink, chmod, utimes\n");
  CHECK(rename("t/vec.bin", "t/sub/moved.bin"));
  CHECK(link("t/data.txt", "t/hard.txt"));
  CHECK(symlink("data.txt", "t/soft"));
  char target[64];
  ssize_t n = readlink("t/soft", target, sizeof target);
  printf("readlink: %.*s\n", (int)n, target);
  PrintStat("t/soft");
  PrintStat("t/data.txt");
  CHECK(chmod("t/hard.txt", 0604));
  PrintStat("t/data.txt");
  struct timespec times[2] = {{1000000000, 0}, {1234567890, 500}};
  CHECK(utimensat(AT_FDCWD, "t/data.txt", times, 0));
  struct stat st;
  stat("t/data.txt", &st);
  printf("mtime %lld.%09ld atime %lld\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
         (long long)st.st_atim.tv_sec);
  int dfd = open("t/sub", O_RDONLY | O_DIRECTORY);
  int fd = openat(dfd, "at.txt", O_CREAT | O_WRONLY | O_EXCL, 0666);
  CHECK(write(fd, "via openat", 10));
  close(fd);
  printf("O_EXCL again: %s\n", openat(dfd, "at.txt", O_CREAT | O_EXCL | O_WRONLY, 0666) < 0
                                   ? strerror(errno)
                                   : "opened?");
  struct stat st2;
  CHECK(fstatat(dfd, "at.txt", &st2, 0));
  printf("fstatat size %lld mode %03o\n", (long long)st2.st_size, (unsigned)(st2.st_mode & 0777));
  close(dfd);
  ListDir("t");
  ListDir("t/sub");
  int readable = access("t/data.txt", R_OK);
  int exists = access("t/nothing", F_OK);
  printf("access: %d %d %s\n", readable, exists, strerror(errno));
  printf("rmdir non-empty: %s\n", rmdir("t/sub") < 0 ? strerror(errno) : "removed?");
  printf("unlink dir: %s\n", unlink("t/sub") < 0 ? strerror(errno) : "removed?");
  printf("mkdir existing: %s\n", mkdir("t", 0755) < 0 ? strerror(errno) : "made?");
  printf("open dir for writing: %s\n", open("t", O_WRONLY) < 0 ? strerror(errno) : "opened?");
  printf("read bad fd: %s\n", read(999, target, 1) < 0 ? strerror(errno) : "read?");
  CHECK(unlink("t/sub/at.txt"));
  CHECK(unlink("t/sub/moved.bin"));
  CHECK(rmdir("t/sub"));
  CHECK(unlink("t/soft"));
  CHECK(unlink("t/hard.txt"));
  PrintStat("t/data.txt");
  ListDir("t");
}

static void Descriptors(void) {
  printf("-- dup, dup2, pipe, cwd\n");
  fflush(stdout);
  int saved = dup(1);
  int fd = open("t/redirected.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  CHECK(dup2(fd, 1));
  printf("this went to a file through dup2'd stdout\n");
  fflush(stdout);
  CHECK(dup2(saved, 1));
  close(saved);
  close(fd);
  ReadBack("t/redirected.txt");
  int p[2];
  CHECK(pipe(p));
  const char msg[] = "through the pipe";
  CHECK(write(p[1], msg, sizeof msg));
  close(p[1]);
  char buf[64];
  ssize_t got = read(p[0], buf, sizeof buf);
  ssize_t again = read(p[0], buf + 40, 8);
  printf("pipe read %zd: %s, then %zd (EOF)\n", got, buf, again);
  close(p[0]);
  int flags = fcntl(p[0], F_GETFD);
  printf("fcntl on closed fd: %d %s\n", flags, strerror(errno));
  char cwd[4096];
  if (getcwd(cwd, sizeof cwd)) {
    size_t len = strlen(cwd);
    printf("cwd ends in /work: %d\n", len >= 5 && strcmp(cwd + len - 5, "/work") == 0);
  }
  CHECK(chdir("t"));
  PrintStat("redirected.txt");
  CHECK(chdir(".."));
  fprintf(stderr, "files: a line on stderr\n");
}

int main(void) {
  Basics();
  Stdio();
  Vectors();
  Names();
  Descriptors();
  return 0;
}
