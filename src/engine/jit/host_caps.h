// The host CPU's instruction-set extensions the JIT's inline code may use, detected once (Xbyak's
// CPUID wrapper). An emitter that needs one the host lacks returns false, and the op runs out of
// line (ColdOp), so the JIT still runs on a baseline x86-64 (SSE2).
#pragma once

#include <xbyak/xbyak_util.h>

namespace polyvm::engine::jit::detail {

struct HostCapsInfo {
  bool ssse3 = false;  // pshufb
  bool sse41 = false;  // pmulld, pminsd/pmaxud..., pmovsx/zx, pextr/pinsr b/d/q, round*, pcmpeqq
  bool sse42 = false;  // pcmpgtq
  bool avx = false;    // vcmpps/pd with the 32 predicates
  bool fma = false;    // vfmadd231*
};

inline const HostCapsInfo& HostCaps() {
  static const HostCapsInfo caps = [] {
    Xbyak::util::Cpu cpu;
    HostCapsInfo c;
    c.ssse3 = cpu.has(Xbyak::util::Cpu::tSSSE3);
    c.sse41 = cpu.has(Xbyak::util::Cpu::tSSE41);
    c.sse42 = cpu.has(Xbyak::util::Cpu::tSSE42);
    c.avx = cpu.has(Xbyak::util::Cpu::tAVX);
    c.fma = c.avx && cpu.has(Xbyak::util::Cpu::tFMA);
    return c;
  }();
  return caps;
}

}  // namespace polyvm::engine::jit::detail
