/* Guest test: POSIX threads and C11 atomics: a mutex-protected counter, a bounded producer/consumer
 * queue on condition variables, atomic fetch_add and compare-exchange loops from many threads,
 * pthread_join return values, thread-local storage, a barrier, pthread_once, a rwlock and a
 * semaphore. Only totals are printed: interleavings are not deterministic, the sums are. */
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { kThreads = 6, kIters = 20000 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long locked_counter;
static atomic_long atomic_counter;
static atomic_ulong cas_max;
static atomic_uint cas_sum;
static _Thread_local long tls_value = 7;
static __thread int tls_counter;

static void* Worker(void* arg) {
  long id = (long)arg;
  tls_value += id;
  for (int i = 0; i < kIters; ++i) {
    pthread_mutex_lock(&lock);
    ++locked_counter;
    pthread_mutex_unlock(&lock);
    atomic_fetch_add_explicit(&atomic_counter, 2, memory_order_relaxed);
    ++tls_counter;
    /* CAS loop: atomic max, and an add written as a CAS loop. */
    unsigned long candidate = (unsigned long)(id * 1000003 + i) % 999983;
    unsigned long seen = atomic_load(&cas_max);
    while (seen < candidate && !atomic_compare_exchange_weak(&cas_max, &seen, candidate)) {
    }
    unsigned s = atomic_load_explicit(&cas_sum, memory_order_relaxed);
    while (!atomic_compare_exchange_weak_explicit(&cas_sum, &s, s + (unsigned)(i & 3),
                                                  memory_order_acq_rel, memory_order_relaxed)) {
    }
  }
  /* The thread's own TLS copy: started at 7, never touched by other threads. */
  long* result = malloc(sizeof *result);
  *result = tls_value * 100000 + tls_counter;
  return result;
}

static void Counters(void) {
  printf("-- mutex, atomics, join values, TLS\n");
  pthread_t t[kThreads];
  for (long i = 0; i < kThreads; ++i) pthread_create(&t[i], NULL, Worker, (void*)i);
  long join_sum = 0;
  for (int i = 0; i < kThreads; ++i) {
    void* r;
    pthread_join(t[i], &r);
    printf("thread %d returned %ld\n", i, *(long*)r);
    join_sum += *(long*)r;
    free(r);
  }
  printf("locked %ld atomic %ld cas_max %lu cas_sum %u join_sum %ld main tls %ld/%d\n",
         locked_counter, atomic_load(&atomic_counter), atomic_load(&cas_max), atomic_load(&cas_sum),
         join_sum, tls_value, tls_counter);
}

/* Bounded queue: producers block when full, consumers when empty. */
enum { kCap = 8, kProducers = 3, kConsumers = 2, kItems = 5000 };
static int queue[kCap];
static int q_head, q_count, producers_left = kProducers;
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;

static void* Producer(void* arg) {
  int base = (int)(long)arg * kItems;
  for (int i = 1; i <= kItems; ++i) {
    pthread_mutex_lock(&q_lock);
    while (q_count == kCap) pthread_cond_wait(&not_full, &q_lock);
    queue[(q_head + q_count++) % kCap] = base + i;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&q_lock);
  }
  pthread_mutex_lock(&q_lock);
  --producers_left;
  pthread_cond_broadcast(&not_empty);
  pthread_mutex_unlock(&q_lock);
  return NULL;
}

static void* Consumer(void* arg) {
  long long* sum = arg;
  for (;;) {
    pthread_mutex_lock(&q_lock);
    while (q_count == 0 && producers_left > 0) pthread_cond_wait(&not_empty, &q_lock);
    if (q_count == 0) {
      pthread_mutex_unlock(&q_lock);
      return NULL;
    }
    int v = queue[q_head];
    q_head = (q_head + 1) % kCap;
    --q_count;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&q_lock);
    sum[0] += v;
    sum[1] += 1;
  }
}

static void ProducerConsumer(void) {
  printf("-- producer/consumer on condition variables\n");
  pthread_t p[kProducers], c[kConsumers];
  long long sums[kConsumers][2] = {{0}};
  for (long i = 0; i < kConsumers; ++i) pthread_create(&c[i], NULL, Consumer, sums[i]);
  for (long i = 0; i < kProducers; ++i) pthread_create(&p[i], NULL, Producer, (void*)i);
  for (int i = 0; i < kProducers; ++i) pthread_join(p[i], NULL);
  long long total = 0, items = 0;
  for (int i = 0; i < kConsumers; ++i) {
    pthread_join(c[i], NULL);
    total += sums[i][0];
    items += sums[i][1];
  }
  printf("consumed %lld items, sum %lld (expected %lld)\n", items, total,
         (long long)kProducers * kItems * (kItems + 1) / 2 +
             (long long)kItems * kItems * (kProducers * (kProducers - 1) / 2));
}

static pthread_barrier_t barrier;
static atomic_int phase_counts[3];
static atomic_int phase_errors;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_int once_calls;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long rw_table[16];
static sem_t sem;
static atomic_int in_section, max_in_section;

static void OnceInit(void) { atomic_fetch_add(&once_calls, 1); }

static void* Phased(void* arg) {
  long id = (long)arg;
  pthread_once(&once, OnceInit);
  for (int phase = 0; phase < 3; ++phase) {
    atomic_fetch_add(&phase_counts[phase], 1);
    int serial = pthread_barrier_wait(&barrier);
    /* After the barrier every thread must see the full count of this phase. */
    if (atomic_load(&phase_counts[phase]) != kThreads) atomic_fetch_add(&phase_errors, 1);
    (void)serial;
    pthread_barrier_wait(&barrier);
  }
  for (int i = 0; i < 2000; ++i) {
    if (i % 10 == (int)id) {
      pthread_rwlock_wrlock(&rw);
      for (int k = 0; k < 16; ++k) rw_table[k] += k;
      pthread_rwlock_unlock(&rw);
    } else {
      pthread_rwlock_rdlock(&rw);
      long first = rw_table[1];
      for (int k = 1; k < 16; ++k)
        if (rw_table[k] != first * k) atomic_fetch_add(&phase_errors, 1);
      pthread_rwlock_unlock(&rw);
    }
  }
  for (int i = 0; i < 500; ++i) {
    sem_wait(&sem);
    int now = atomic_fetch_add(&in_section, 1) + 1;
    int seen = atomic_load(&max_in_section);
    while (now > seen && !atomic_compare_exchange_weak(&max_in_section, &seen, now)) {
    }
    atomic_fetch_sub(&in_section, 1);
    sem_post(&sem);
  }
  return NULL;
}

static void Synchronisation(void) {
  printf("-- barrier, once, rwlock, semaphore\n");
  pthread_barrier_init(&barrier, NULL, kThreads);
  sem_init(&sem, 0, 2);
  pthread_t t[kThreads];
  for (long i = 0; i < kThreads; ++i) pthread_create(&t[i], NULL, Phased, (void*)i);
  for (int i = 0; i < kThreads; ++i) pthread_join(t[i], NULL);
  printf("phases %d %d %d errors %d once %d rw_table[15] %ld at most 2 in semaphore: %d\n",
         atomic_load(&phase_counts[0]), atomic_load(&phase_counts[1]),
         atomic_load(&phase_counts[2]), atomic_load(&phase_errors), atomic_load(&once_calls),
         rw_table[15], atomic_load(&max_in_section) <= 2);
  pthread_barrier_destroy(&barrier);
  sem_destroy(&sem);
}

static void* Detached(void* arg) {
  atomic_fetch_add((atomic_int*)arg, 1);
  return NULL;
}

static void ManyThreads(void) {
  printf("-- many short-lived threads\n");
  atomic_int count = 0;
  for (int round = 0; round < 10; ++round) {
    pthread_t t[8];
    for (int i = 0; i < 8; ++i) pthread_create(&t[i], NULL, Detached, &count);
    for (int i = 0; i < 8; ++i) pthread_join(t[i], NULL);
  }
  printf("ran %d threads\n", atomic_load(&count));
}

int main(void) {
  Counters();
  ProducerConsumer();
  Synchronisation();
  ManyThreads();
  return 0;
}
