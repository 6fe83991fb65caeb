/* What the guest sees of polyvm's Linux: uname machine, /proc/self/maps and exe, and -ENOSYS for
 * unimplemented calls (called twice each: the warning must appear once). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char** argv) {
  (void)argc;
  struct utsname u;
  uname(&u);
  printf("machine=%s\n", u.machine);
  for (int i = 0; i < 2; ++i) {
    long r = syscall(0 /* io_setup */, 0, 0);
    printf("io_setup: %ld %s\n", r, errno == ENOSYS ? "ENOSYS" : strerror(errno));
    r = syscall(2000, 0);
    printf("syscall 2000: %ld %s\n", r, errno == ENOSYS ? "ENOSYS" : strerror(errno));
  }
  FILE* maps = fopen("/proc/self/maps", "r");
  char line[512];
  int stack = 0, exe = 0;
  while (maps && fgets(line, sizeof line, maps)) {
    if (strstr(line, "[stack]")) stack++;
    if (strstr(line, "r-xp") && strstr(line, "syscalls")) exe++;
  }
  if (maps) fclose(maps);
  printf("maps: stack=%d text=%d\n", stack, exe > 0);
  char link[4096];
  ssize_t n = readlink("/proc/self/exe", link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  const char* base = strrchr(argv[0], '/');
  const char* lbase = strrchr(link, '/');
  printf("exe matches argv[0]: %d\n", base && lbase && strcmp(base, lbase) == 0);
  return 0;
}
