// Hints, barriers, CLREX and the SYS instructions EL0 may execute (cache maintenance by address,
// DC ZVA). IC IVAU is where guests announce new code (CTR_EL0.DIC = 0 makes them issue it), so it
// ends the block with a code-sync exit; ISB itself is then only a context barrier (no memory
// ordering, nothing to do for translated code).
#include "lift_int_util.h"
#include "sysregs.h"

namespace polyvm::frontend::arm64 {
namespace {

using ir::Opcode;
using ir::Type;
using ir::Value;

// SYS operation numbers: op1 (13:11), CRn (10:7), CRm (6:3), op2 (2:0) of insn.imm.
constexpr uint32_t SysOp(unsigned op1, unsigned crn, unsigned crm, unsigned op2) {
  return op1 << 11 | crn << 7 | crm << 3 | op2;
}
constexpr uint32_t kDcZva = SysOp(3, 7, 4, 1);
constexpr uint32_t kDcCvac = SysOp(3, 7, 10, 1);
constexpr uint32_t kDcCvau = SysOp(3, 7, 11, 1);
constexpr uint32_t kDcCvap = SysOp(3, 7, 12, 1);
constexpr uint32_t kDcCivac = SysOp(3, 7, 14, 1);
constexpr uint32_t kIcIvau = SysOp(3, 7, 5, 1);

// DCZID_EL0.BS (sysregs.def): 2^4 words.
constexpr unsigned kDcZvaBytes = 64;

}  // namespace

LiftStatus LiftHint(LiftContext&, const Insn&) { return LiftStatus::kNext; }

LiftStatus LiftClrex(LiftContext& c, const Insn&) {
  c.b().Emit(Opcode::kClearMonitor, Type::kVoid);
  return LiftStatus::kNext;
}

// DMB/DSB: CRm<1:0> is the access types (01 loads: load->load and load->store; 10 stores:
// store->store; 11 all); the shareability domain (CRm<3:2>) does not matter to one host. ISB
// orders no memory accesses.
LiftStatus LiftBarrier(LiftContext& c, const Insn& i) {
  if (i.id == InsnId::kISB) return LiftStatus::kNext;
  uint32_t kind;
  switch (i.imm & 3) {
    case 1: kind = ir::kFenceLoadLoad | ir::kFenceLoadStore; break;
    case 2: kind = ir::kFenceStoreStore; break;
    default: kind = ir::kFenceAll; break;  // 11, and 00 (DSB's speculation barriers): the most
  }
  c.b().Emit(Opcode::kFence, Type::kVoid, {}, {}, {}, 0, kind);
  return LiftStatus::kNext;
}

LiftStatus LiftSys(LiftContext& c, const Insn& i) {
  switch (static_cast<uint32_t>(i.imm)) {
    case kDcZva: {
      ir::Builder& b = c.b();
      Value base = b.And(c.X(i.rd), c.I64(~uint64_t{kDcZvaBytes - 1}));
      Value zero = b.Const(Type::kI128, 0);
      for (unsigned off = 0; off < kDcZvaBytes; off += 16) {
        b.Store(off == 0 ? base : b.Add(base, c.I64(off)), zero);
      }
      return LiftStatus::kNext;
    }
    case kDcCvac:
    case kDcCvau:
    case kDcCvap:
    case kDcCivac: return LiftStatus::kNext;  // host caches are coherent
    case kIcIvau: return c.CodeSync();
    default: return c.Undefined();  // privileged or not given to EL0 by Linux
  }
}

}  // namespace polyvm::frontend::arm64
