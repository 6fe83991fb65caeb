/* Starting programs: execve of a riscv64 program (polyvm re-executes itself), posix_spawn (clone
 * with CLONE_VM|CLONE_VFORK), system() (the host's /bin/sh runs natively), and a #! script whose
 * interpreter is this riscv64 program. argv[1] is a scratch directory; "child" runs print their
 * arguments and exit with status 5. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

static int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "child") == 0) {
    const char* base = strrchr(argv[0], '/');
    printf("child argv0=%s args:", base ? base + 1 : argv[0]);
    for (int i = 2; i < argc; ++i) printf(" %s", argv[i]);
    printf("\n");
    return 5;
  }
  if (argc < 2 || chdir(argv[1]) != 0) return 2;
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return 2;
  self[n] = 0;

  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    char* args[] = {"x", "child", "A", NULL};
    execv("/proc/self/exe", args);
    _exit(99);
  }
  printf("execv child exit %d\n", Wait(pid));

  fflush(stdout);
  char* sargs[] = {"y", "child", "B", NULL};
  if (posix_spawn(&pid, self, NULL, NULL, sargs, environ) != 0) return 3;
  printf("posix_spawn child exit %d\n", Wait(pid));

  fflush(stdout);
  int r = system("exit 3");
  printf("system exit %d\n", WIFEXITED(r) ? WEXITSTATUS(r) : -1);

  FILE* script = fopen("script", "w");
  fprintf(script, "#!%s child\n", self);
  fclose(script);
  chmod("script", 0755);
  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    char* args[] = {"script-argv0", "C", NULL};
    execv("./script", args);
    _exit(99);
  }
  printf("script child exit %d\n", Wait(pid));
  unlink("script");
  return 0;
}
