// The FP environment: moving the guest's rounding mode and IEEE flags between the CpuHeader and
// the host MXCSR, and the host feature probe that picks hardware or software paths.
#include "fp_host.h"
#include "polyvm/ir/semantics/fp.h"

namespace polyvm::ir::sem {
namespace {

// The host's MXCSR, saved while this thread runs guest code.
thread_local uint32_t t_host_mxcsr = kMxMaskAll;

}  // namespace

HostCaps DetectHostCaps() {
  // Dynamic initialisers may run before libgcc's own CPU probe.
  __builtin_cpu_init();
  HostCaps caps;
  caps.fma = __builtin_cpu_supports("fma");
  caps.sse41 = __builtin_cpu_supports("sse4.1");
  return caps;
}

HostCaps g_host_caps = DetectHostCaps();

void EnterGuestFp(const core::CpuHeader& cpu) {
  t_host_mxcsr = ReadMxcsr();
  WriteMxcsr(kMxMaskAll | RcBits(HostRm(cpu.fp_round)) | IrToMx(cpu.fp_flags & 63));
}

void LeaveGuestFp(core::CpuHeader& cpu) {
  cpu.fp_flags = MxToIr(ReadMxcsr() & kMxFlags);
  WriteMxcsr(t_host_mxcsr);
}

uint32_t GetFpFlags() { return MxToIr(ReadMxcsr() & kMxFlags); }

void SetFpFlags(uint32_t flags) { WriteMxcsr((ReadMxcsr() & ~kMxFlags) | IrToMx(flags & 63)); }

void SetFpRound(core::CpuHeader& cpu, uint32_t rm) {
  cpu.fp_round = rm;
  WriteMxcsr((ReadMxcsr() & ~kMxRc) | RcBits(HostRm(rm)));
}

}  // namespace polyvm::ir::sem
