// Hand-run micro benchmark of the interpreter (not a test): runs the RISC-V programs of
// riscv_programs.h at sizes that take a while, reports ns per guest instruction and the slowdown
// against the same algorithm compiled natively, and the geometric mean of the slowdowns.
//   build-rel/tests/engine/interp/interp_microbench [--no-opt] [--scale N] [--log]
// Build it with optimisation (CMAKE_BUILD_TYPE=Release or RelWithDebInfo); docs/engines.md lists
// the numbers and the command that produced them.
#include <algorithm>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "riscv_env.h"
#include "riscv_programs.h"

namespace polyvm::engine::interp::test {
namespace {

template <class T>
inline void Keep(T& v) {
  asm volatile("" : "+r"(v));
}

// The programs' algorithms, natively. Keep() stops the compiler from replacing loops by formulas.
[[gnu::noinline]] uint64_t NativeSum(uint64_t n) {
  uint64_t s = 0;
  for (uint64_t i = 1; i <= n; ++i) {
    s += i;
    Keep(s);
  }
  return s;
}
[[gnu::noinline]] uint64_t NativeSieve(uint8_t* flags, uint64_t n) {
  uint64_t count = 0;
  for (uint64_t i = 2; i < n; ++i) {
    if (flags[i]) continue;
    ++count;
    for (uint64_t j = i * i; j < n; j += i) flags[j] = 1;
  }
  return count;
}
[[gnu::noinline]] double NativeHarmonic(int64_t n) {
  double s = 0;
  for (int64_t i = 1; i <= n; ++i) {
    s += 1.0 / static_cast<double>(i);
    Keep(s);
  }
  return s;
}
[[gnu::noinline]] uint64_t MulAcc(uint64_t acc, uint64_t a, uint64_t b) { return acc + a * b; }
[[gnu::noinline]] uint64_t NativeChecksum(const uint64_t* w, uint64_t n) {
  uint64_t s = 0;
  for (uint64_t i = 0; i < n; ++i) s = MulAcc(s, w[i], i + 1);
  return s;
}

// CPU time of this thread: the machine may be shared, and time spent descheduled is not ours.
double ThreadSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Result {
  std::string name;
  uint64_t insns;
  double interp_s, native_s;
};

template <class F>
double Time(F&& f) {
  double t0 = ThreadSeconds();
  f();
  return ThreadSeconds() - t0;
}

int Main(int argc, char** argv) {
  Options o;
  double scale = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no-opt") == 0) o.optimize = false;
    if (std::strcmp(argv[i], "--scale") == 0 && i + 1 < argc) scale = std::stod(argv[++i]);
    if (std::strcmp(argv[i], "--log") == 0) o.log_in_asm = o.log_op_opt = o.log_lowered = true;
  }
  std::vector<Result> results;
  constexpr unsigned kA0 = 10, kA1 = 11, kA2 = 12;

  {  // sum 1..n: add, addi, bge
    auto n = static_cast<uint64_t>(100000000 * scale);
    RiscvMachine m(o);
    m.X(kA2) = n;
    double t = Time([&] { m.Run(rv::kSum); });
    uint64_t native = 0;
    double tn = Time([&] { native = NativeSum(n); });
    if (m.X(kA0) != native) std::printf("sum: MISMATCH\n");
    results.push_back({"sum", m.st.hdr.retired, t, tn});
  }
  {  // sieve of Eratosthenes below n: byte loads and stores, branches, mul
    auto n = static_cast<uint64_t>(20000000 * scale);
    RiscvMachine m(o, (n + 0x100000) / 4096 + 1);
    const uint64_t flags = 0x100000;
    m.X(kA0) = flags;
    m.X(kA1) = n;
    double t = Time([&] { m.Run(rv::kSieve); });
    std::vector<uint8_t> f(n);
    uint64_t native = 0;
    double tn = Time([&] { native = NativeSieve(f.data(), n); });
    if (m.X(kA2) != native) std::printf("sieve: MISMATCH\n");
    results.push_back({"sieve", m.st.hdr.retired, t, tn});
  }
  {  // harmonic sum: fcvt, fdiv, fadd
    auto n = static_cast<int64_t>(20000000 * scale);
    RiscvMachine m(o);
    m.X(kA1) = static_cast<uint64_t>(n);
    double t = Time([&] { m.Run(rv::kHarmonic); });
    double native = 0;
    double tn = Time([&] { native = NativeHarmonic(n); });
    if (std::memcmp(&m.st.f[10], &native, 8) != 0) std::printf("harmonic: MISMATCH\n");
    results.push_back({"harmonic", m.st.hdr.retired, t, tn});
  }
  {  // checksum with a call per element: ld, slli, jal, jalr (indirect), mul
    auto n = static_cast<uint64_t>(4000000 * std::min(scale, 1.0));
    int reps = std::max(1, static_cast<int>(5 * scale));
    RiscvMachine m(o, (n * 8 + 0x100000) / 4096 + 1);
    const uint64_t words = 0x100000;
    std::vector<uint64_t> w(n);
    for (uint64_t i = 0; i < n; ++i) w[i] = i * 2654435761u;
    std::memcpy(m.mem.base() + words, w.data(), n * 8);
    double t = 0, tn = 0;
    uint64_t native = 0;
    for (int r = 0; r < reps; ++r) {
      m.X(kA0) = words;
      m.X(kA1) = n;
      t += Time([&] { m.Run(rv::kChecksum); });
      tn += Time([&] { native = NativeChecksum(w.data(), n); });
    }
    if (m.X(kA2) != native) std::printf("checksum: MISMATCH\n");
    results.push_back({"checksum", m.st.hdr.retired, t, tn});
  }

  std::printf("interp micro benchmark (optimiser %s)\n", o.optimize ? "on" : "off");
  std::printf("(thread CPU time)\n%-10s %14s %10s %10s %12s %10s\n", "program", "guest insns", "interp s", "ns/insn",
              "native s", "slowdown");
  double log_sum = 0;
  for (const Result& r : results) {
    double slowdown = r.interp_s / r.native_s;
    log_sum += std::log(slowdown);
    std::printf("%-10s %14llu %10.3f %10.2f %12.4f %9.1fx\n", r.name.c_str(),
                static_cast<unsigned long long>(r.insns), r.interp_s,
                r.interp_s * 1e9 / static_cast<double>(r.insns), r.native_s, slowdown);
  }
  std::printf("geometric mean slowdown: %.1fx\n", std::exp(log_sum / static_cast<double>(results.size())));
  return 0;
}

}  // namespace
}  // namespace polyvm::engine::interp::test

int main(int argc, char** argv) { return polyvm::engine::interp::test::Main(argc, argv); }
