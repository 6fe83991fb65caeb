// Guest test: C++ threading: std::thread, mutex and lock_guard, condition_variable, std::atomic
// (fetch_add, compare_exchange on a lock-free stack, 8-bit and 16-bit atomics that riscv builds
// from masked word LR/SC loops), thread_local objects with constructors and destructors, and
// std::async/std::promise. Printed values are totals, independent of scheduling.
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <mutex>
#include <numeric>
#include <queue>
#include <thread>
#include <vector>

namespace {

std::atomic<int> g_tls_constructed{0};
std::atomic<int> g_tls_destroyed{0};
std::atomic<long> g_tls_sum_at_exit{0};

struct PerThread {
  PerThread() { g_tls_constructed.fetch_add(1); }
  ~PerThread() {
    g_tls_sum_at_exit.fetch_add(total);
    g_tls_destroyed.fetch_add(1);
  }
  long total = 0;
};
thread_local PerThread t_state;

void AtomicsAndTls() {
  std::printf("-- atomics, thread_local\n");
  std::atomic<long> counter{0};
  std::atomic<unsigned char> small{0};
  std::atomic<short> medium{0};
  std::atomic<bool> flag{false};
  std::atomic<int> flips{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        counter.fetch_add(i % 7, std::memory_order_relaxed);
        small.fetch_add(1);   // wraps modulo 256
        medium.fetch_sub(3);  // wraps modulo 65536
        bool expected = (i + t) % 2 == 0;
        if (flag.compare_exchange_strong(expected, !expected)) flips.fetch_add(1);
        t_state.total += i;
      }
    });
  }
  for (auto& th : threads) th.join();
  std::printf("counter %ld small %d medium %d flips>0 %d tls constructed %d destroyed %d sum %ld\n",
              counter.load(), small.load(), medium.load(), flips.load() > 0,
              g_tls_constructed.load(), g_tls_destroyed.load(), g_tls_sum_at_exit.load());
}

// Treiber stack: push from several threads, then pop everything from several threads.
struct Node {
  int value;
  Node* next;
};
std::atomic<Node*> g_top{nullptr};

void Push(Node* n) {
  n->next = g_top.load(std::memory_order_relaxed);
  while (!g_top.compare_exchange_weak(n->next, n, std::memory_order_release,
                                      std::memory_order_relaxed)) {
  }
}

void LockFreeStack() {
  std::printf("-- compare_exchange stack\n");
  constexpr int kPerThread = 5000;
  std::vector<Node> nodes(4 * kPerThread);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Node* n = &nodes[t * kPerThread + i];
        n->value = t * kPerThread + i;
        Push(n);
      }
    });
  for (auto& th : threads) th.join();
  long sum = 0;
  int count = 0;
  for (Node* n = g_top.load(); n; n = n->next) {
    sum += n->value;
    ++count;
  }
  std::printf("pushed %d nodes, sum %ld (expected %ld)\n", count, sum,
              static_cast<long>(4 * kPerThread) * (4 * kPerThread - 1) / 2);
}

void ConditionVariable() {
  std::printf("-- mutex + condition_variable pipeline\n");
  std::mutex m;
  std::condition_variable cv;
  std::queue<int> q;
  bool done = false;
  long consumed = 0;
  std::thread consumer([&] {
    std::unique_lock<std::mutex> lock(m);
    for (;;) {
      cv.wait(lock, [&] { return !q.empty() || done; });
      while (!q.empty()) {
        consumed += q.front();
        q.pop();
      }
      if (done) return;
    }
  });
  std::vector<std::thread> producers;
  for (int p = 0; p < 3; ++p)
    producers.emplace_back([&, p] {
      for (int i = 1; i <= 3000; ++i) {
        std::lock_guard<std::mutex> g(m);
        q.push(i * (p + 1));
        cv.notify_one();
      }
    });
  for (auto& th : producers) th.join();
  {
    std::lock_guard<std::mutex> g(m);
    done = true;
  }
  cv.notify_all();
  consumer.join();
  std::printf("consumed %ld\n", consumed);
}

void Futures() {
  std::printf("-- async, promise\n");
  std::vector<std::future<long>> parts;
  for (int i = 0; i < 4; ++i)
    parts.push_back(std::async(std::launch::async, [i] {
      long s = 0;
      for (long k = i * 250000L; k < (i + 1) * 250000L; ++k) s += k % 1000;
      return s;
    }));
  long total = 0;
  for (auto& f : parts) total += f.get();
  std::promise<std::vector<int>> promise;
  auto future = promise.get_future();
  std::thread setter([&promise] {
    std::vector<int> v(100);
    std::iota(v.begin(), v.end(), 1);
    promise.set_value(std::move(v));
  });
  auto v = future.get();
  setter.join();
  std::promise<int> failing;
  auto ff = failing.get_future();
  std::thread thrower([&failing] {
    try {
      throw std::runtime_error("from another thread");
    } catch (...) {
      failing.set_exception(std::current_exception());
    }
  });
  thrower.join();
  try {
    ff.get();
  } catch (const std::exception& e) {
    std::printf("exception crossed threads: %s\n", e.what());
  }
  std::printf("async total %ld promise sum %d\n", total, std::accumulate(v.begin(), v.end(), 0));
}

}  // namespace

int main() {
  AtomicsAndTls();
  LockFreeStack();
  ConditionVariable();
  Futures();
  return 0;
}
