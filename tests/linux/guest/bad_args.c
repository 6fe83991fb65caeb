/* Hands polyvm's syscall layer bad pointers and sizes: NULL, unmapped, read-only, beyond the end of
 * the address space, wrapping around, huge lengths. Only calls that cannot change the host are
 * used (polyvm's tests may run as root). Every call must come back with a result; the program
 * then checks a few results Linux defines (EFAULT, EINVAL) and prints "survived". */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static char buffer[4096];
static const char rodata[64] = "read-only";

static uint64_t state = 88172645463325252ull;
static uint64_t Next(void) {  /* xorshift64: a fixed sequence */
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static long Pointer(void) {
  static const long kinds[] = {0, 8, 0x1000, 0x7fff0000, 0x3fffffff00, 0x4000000000, -1, -4096,
                               (long)0x8000000000000000ull};
  uint64_t k = Next() % 12;
  if (k < 9) return kinds[k];
  if (k == 9) return (long)buffer;
  if (k == 10) return (long)rodata;
  return (long)buffer + (long)(Next() % 8192);
}

static long Size(void) {
  static const long sizes[] = {0, 1, 16, 4096, 65536, 0x7fffffff, -1, (long)1 << 40};
  return sizes[Next() % 8];
}

int main(void) {
  int devnull = open("/dev/null", O_RDWR);
  int dir = open(".", O_RDONLY | O_DIRECTORY);
  static const long calls[] = {
      SYS_read,       SYS_write,      SYS_pread64,      SYS_readv,      SYS_writev,
      SYS_fstat,      SYS_newfstatat, SYS_statx,        SYS_getcwd,     SYS_uname,
      SYS_sysinfo,    SYS_getrusage,  SYS_times,        SYS_clock_gettime, SYS_gettimeofday,
      SYS_getdents64, SYS_readlinkat, SYS_faccessat,    SYS_getrandom,  SYS_sched_getaffinity,
      SYS_getresuid,  SYS_getgroups,  SYS_rt_sigpending, SYS_clock_getres, SYS_ppoll,
      SYS_futex,      SYS_getcpu,     SYS_prlimit64,    SYS_statfs,     SYS_fstatfs,
      SYS_lseek,      SYS_fcntl,      SYS_ioctl,        SYS_epoll_ctl,  SYS_madvise,
  };
  for (int i = 0; i < 20000; ++i) {
    long nr = calls[Next() % (sizeof calls / sizeof calls[0])];
    long fd = (Next() & 1) ? devnull : dir;
    long a1 = Pointer(), a2 = Size(), a3 = Pointer(), a4 = Size();
    switch (nr) {
      case SYS_ppoll:  /* never wait */
        syscall(nr, a1, a2 & 7, (long)&(struct timespec){0, 0}, 0, 8);
        break;
      case SYS_futex:  /* FUTEX_WAKE only */
        syscall(nr, a1, 1, 1, 0, 0, 0);
        break;
      case SYS_prlimit64:  /* read only */
        syscall(nr, 0, a2 & 15, 0, a3);
        break;
      case SYS_fcntl:  /* F_GETLK, F_GETFL, F_GETFD */
        syscall(nr, fd, (long[]){5, 3, 1}[Next() % 3], a1);
        break;
      case SYS_ioctl:  /* TCGETS, TIOCGWINSZ, FIONREAD */
        syscall(nr, fd, (long[]){0x5401, 0x5413, 0x541B}[Next() % 3], a1);
        break;
      case SYS_madvise:  /* MADV_NORMAL */
        syscall(nr, a1, a2, 0);
        break;
      case SYS_lseek:
        syscall(nr, fd, a2, Next() % 5);
        break;
      default:
        syscall(nr, fd, a1, a2, a3, a4, Pointer());
        break;
    }
  }
  /* What Linux defines for a few of them. */
  errno = 0;
  long r = syscall(SYS_read, devnull, (long)0x4000000000, 16);
  int ok = r == -1 && errno == EFAULT;
  r = syscall(SYS_uname, 8);
  ok &= r == -1 && errno == EFAULT;
  r = syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (long)rodata);
  ok &= r == -1 && errno == EFAULT;
  r = syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, 0, 4);
  ok &= r == -1 && errno == EINVAL;
  r = syscall(SYS_getcwd, (long)-4096, 4096);
  ok &= r == -1 && errno == EFAULT;
  printf("survived, errors as Linux: %d\n", ok);
  return 0;
}
