/* Four threads increment a shared counter under a mutex and with an atomic; the main thread joins
 * them (CLONE_CHILD_CLEARTID + futex wake) and prints the totals. With argument "main-exits" the
 * main thread ends first (pthread_exit) and the process lives on until its worker has finished. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long locked_total;
static atomic_long atomic_total;

static void* Work(void* arg) {
  long n = (long)arg;
  for (int i = 0; i < 20000; ++i) {
    pthread_mutex_lock(&mu);
    locked_total += n;
    pthread_mutex_unlock(&mu);
    atomic_fetch_add(&atomic_total, 1);
  }
  return (void*)(n * 10);
}

static void* Late(void* arg) {
  (void)arg;
  usleep(100000);
  puts("worker finished after main");
  return NULL;
}

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "main-exits") == 0) {
    pthread_t late;
    pthread_create(&late, NULL, Late, NULL);
    pthread_exit(NULL);
  }
  pthread_t t[4];
  for (long i = 0; i < 4; ++i) pthread_create(&t[i], NULL, Work, (void*)(i + 1));
  long joined = 0;
  for (int i = 0; i < 4; ++i) {
    void* r;
    pthread_join(t[i], &r);
    joined += (long)r;
  }
  printf("locked=%ld atomic=%ld joined=%ld\n", locked_total, (long)atomic_total, joined);
  return 0;
}
