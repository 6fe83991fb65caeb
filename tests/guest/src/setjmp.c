/* Guest test: setjmp/longjmp across several frames (callee-saved registers, stack pointer and
 * floating-point callee-saved registers must come back), nested jump buffers, sigsetjmp with the
 * signal mask, and longjmp out of a signal handler. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static jmp_buf outer_env;
static int depth_reached;

static __attribute__((noinline)) int Recurse(int depth, int target, volatile double* acc) {
  volatile char pad[64];
  memset((char*)pad, depth & 0x7f, sizeof pad);
  *acc += 1.0 / (depth + 1);
  depth_reached = depth;
  if (depth == target) longjmp(outer_env, depth * 10 + pad[3] % 7);
  if (depth > 1000) return 0;
  return Recurse(depth + 1, target, acc) + pad[depth % 64];
}

static void AcrossFrames(void) {
  printf("-- longjmp across frames\n");
  for (int target = 0; target < 200; target += 37) {
    volatile double acc = 0.0;
    /* Values live in callee-saved registers across setjmp: 'volatile' where they change after it.
     */
    long keep_int = 1234567 + target;
    double keep_fp = 2.5 * target;
    int r = setjmp(outer_env);
    if (r == 0) {
      Recurse(0, target, &acc);
      printf("not reached\n");
    } else {
      printf("target %d: setjmp returned %d, depth %d, acc %.12f, kept %ld %.1f\n", target, r,
             depth_reached, acc, keep_int, keep_fp);
    }
  }
}

static jmp_buf inner_env;

static __attribute__((noinline)) void Thrower(int code) {
  if (code) longjmp(inner_env, code);
}

static int Nested(int code) {
  jmp_buf saved;
  memcpy(saved, inner_env, sizeof saved);
  int r = setjmp(inner_env);
  if (r == 0) {
    Thrower(code);
    memcpy(inner_env, saved, sizeof saved);
    return 0;
  }
  memcpy(inner_env, saved, sizeof saved);
  if (r < 3) Thrower(r + 100); /* rethrow to the enclosing level */
  return r;
}

static void NestedBuffers(void) {
  printf("-- nested jump buffers\n");
  for (int code = 0; code < 5; ++code) {
    int r = setjmp(inner_env);
    if (r == 0)
      printf("code %d: nested returned %d\n", code, Nested(code));
    else
      printf("code %d: caught rethrow %d at top\n", code, r);
  }
  volatile int zero_becomes_one = setjmp(inner_env);
  if (zero_becomes_one == 0) longjmp(inner_env, 0);
  printf("longjmp(env, 0) makes setjmp return %d\n", zero_becomes_one);
}

static sigjmp_buf sig_env;
static volatile sig_atomic_t handled;

static void Handler(int sig) {
  handled = sig;
  siglongjmp(sig_env, 1);
}

static void SignalMask(void) {
  printf("-- sigsetjmp/siglongjmp\n");
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = Handler;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  for (int savemask = 0; savemask < 2; ++savemask) {
    handled = 0;
    if (sigsetjmp(sig_env, savemask) == 0) {
      raise(SIGUSR1);
      printf("not reached\n");
    }
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    /* While the handler runs SIGUSR1 is blocked; only a saved mask unblocks it again. */
    printf("savemask %d: handled %d, SIGUSR1 blocked after jump: %d\n", savemask, (int)handled,
           sigismember(&now, SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &now, NULL);
  }
}

int main(void) {
  AcrossFrames();
  NestedBuffers();
  SignalMask();
  return 0;
}
