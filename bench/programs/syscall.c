/* Syscall-heavy benchmark: many small system calls, so the cost of leaving translated code and
 * forwarding to the host kernel dominates. Per iteration: write() to /dev/null, write() + read()
 * through a pipe, getpid(), clock_gettime() (a vDSO call natively, a real syscall under qemu), and
 * lseek() on /dev/null. size = iterations. */
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

static void Die(const char* what) {
  perror(what);
  exit(1);
}

int main(int argc, char** argv) {
  uint64_t iterations = BenchSize(argc, argv);
  int null_fd = open("/dev/null", O_WRONLY);
  if (null_fd < 0) Die("open /dev/null");
  int fds[2];
  if (pipe(fds) != 0) Die("pipe");

  char out[64], in[64];
  for (size_t i = 0; i < sizeof out; ++i) out[i] = (char)(i * 7 + 1);
  uint64_t checksum = 0, monotonic_ok = 0;
  pid_t pid = getpid();
  struct timespec prev = {0, 0};
  for (uint64_t it = 0; it < iterations; ++it) {
    size_t len = 1 + it % sizeof out;
    out[it % sizeof out] = (char)it;
    if (write(null_fd, out, len) != (ssize_t)len) Die("write /dev/null");
    if (write(fds[1], out, len) != (ssize_t)len) Die("write pipe");
    ssize_t got = read(fds[0], in, sizeof in);
    if (got != (ssize_t)len) Die("read pipe");
    /* The data and lengths are deterministic; the pid and clock only enter as consistency bits. */
    checksum = Mix64(checksum, (uint64_t)got ^ (uint64_t)(unsigned char)in[it % len]);
    if (getpid() != pid) Die("getpid changed");
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) Die("clock_gettime");
    monotonic_ok += now.tv_sec > prev.tv_sec ||
                    (now.tv_sec == prev.tv_sec && now.tv_nsec >= prev.tv_nsec);
    prev = now;
    if (lseek(null_fd, 0, SEEK_SET) != 0) Die("lseek");
  }
  close(fds[0]);
  close(fds[1]);
  close(null_fd);
  BenchReport("syscall", iterations, Mix64(checksum, monotonic_ok));
  return 0;
}
