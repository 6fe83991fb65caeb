/* Guest test: processes: fork (the child gets a copy of memory and descriptors), waitpid status
 * decoding for exit codes and signals, a pipe between parent and child, several children reaped in
 * order, vfork+_exit, and getppid/getpid relations (values are never printed). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int global_value = 10;
static int* volatile null_pointer; /* opaque, so the store below is not turned into a trap */

static void Describe(const char* what, int status) {
  if (WIFEXITED(status))
    printf("%s: exited %d\n", what, WEXITSTATUS(status));
  else if (WIFSIGNALED(status))
    printf("%s: killed by signal %d\n", what, WTERMSIG(status));
  else
    printf("%s: status %#x\n", what, status);
}

int main(void) {
  fflush(stdout);
  pid_t self = getpid();
  int fds[2];
  pipe(fds);
  pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    global_value += 5; /* the parent's copy must not change */
    char msg[64];
    int n = snprintf(msg, sizeof msg, "child sees global %d, parent is ppid: %d", global_value,
                     getppid() == self);
    write(fds[1], msg, (size_t)n);
    close(fds[1]);
    _exit(7);
  }
  close(fds[1]);
  char buf[128] = {0};
  size_t got = 0;
  ssize_t r;
  while ((r = read(fds[0], buf + got, sizeof buf - 1 - got)) > 0) got += (size_t)r;
  close(fds[0]);
  int status = 0;
  pid_t waited = waitpid(child, &status, 0);
  printf("from pipe: %s\n", buf);
  printf("waitpid returned the child: %d, parent global %d, child pid differs: %d\n",
         waited == child, global_value, child != self);
  Describe("child", status);

  for (int sig = 0; sig < 2; ++sig) {
    pid_t c = fork();
    if (c == 0) {
      if (sig) raise(SIGKILL);
      *null_pointer = 0; /* not reached when killed above */
      _exit(99);
    }
    waitpid(c, &status, 0);
    Describe(sig ? "raise(SIGKILL)" : "null store", status);
  }

  pid_t kids[5];
  for (int i = 0; i < 5; ++i) {
    kids[i] = fork();
    if (kids[i] == 0) {
      long sum = 0;
      for (int k = 0; k <= 1000 * (i + 1); ++k) sum += k;
      _exit((int)(sum % 251));
    }
  }
  for (int i = 4; i >= 0; --i) {
    waitpid(kids[i], &status, 0);
    char label[32];
    snprintf(label, sizeof label, "worker %d", i);
    Describe(label, status);
  }
  printf("no children left: %d\n", waitpid(-1, &status, WNOHANG) < 0);

  volatile int shared_with_vfork = 1;
  pid_t v = vfork();
  if (v == 0) {
    _exit(3);
  }
  waitpid(v, &status, 0);
  Describe("vfork child", status);
  printf("parent continues after vfork: %d\n", shared_with_vfork);
  return 0;
}
