// Half-precision conversions for FCVT (h <-> s/d), FCVTN (4s -> 4h/8h) and FCVTL (4h/8h -> 4s):
// a CallHelper per value running fp_half.h, since the IR has no f16 type. The helper rounds by
// FPCR.RMode (read from the guest state) and ORs its exceptions into the FP environment.
#include "fp_half.h"
#include "lift_fp_util.h"
#include "polyvm/frontend/arm64/lifter.h"
#include "polyvm/frontend/arm64/state.h"
#include "polyvm/ir/semantics/fp.h"

namespace polyvm::frontend::arm64 {
namespace {

using ir::Opcode;
using ir::Type;
using ir::Value;

enum HalfOp : uint64_t { kToHalf, kFromHalf };

uint64_t HalfHelper(void* state, uint64_t bits, uint64_t op, uint64_t dp) {
  uint32_t flags = 0;
  uint64_t r;
  if (op == kToHalf) {
    unsigned rmode = (static_cast<Arm64State*>(state)->fpcr >> 22) & 3;
    r = FpToHalf(bits, dp != 0, rmode, &flags);
  } else {
    r = FpFromHalf(static_cast<uint16_t>(bits), dp != 0, &flags);
  }
  if (flags != 0) ir::sem::SetFpFlags(ir::sem::GetFpFlags() | flags);
  return r;
}
constexpr ir::HelperInfo kHalf{&HalfHelper, "arm64_fp_half"};

}  // namespace

bool HalfHelperApplies(const LiftContext& c) {
  return (c.fpcr_mode() & (Arm64Lifter::kFpcrFz | Arm64Lifter::kFpcrDn)) == 0;
}

Value FpBitsToHalf(LiftContext& c, Value bits, bool dp) {
  return c.b().Emit(Opcode::kCallHelper, Type::kI16, bits, c.I64(kToHalf), c.I64(dp ? 1 : 0),
                    reinterpret_cast<uint64_t>(&kHalf));
}

Value HalfToFpBits(LiftContext& c, Value half, bool dp) {
  return c.b().Emit(Opcode::kCallHelper, dp ? Type::kI64 : Type::kI32, half, c.I64(kFromHalf),
                    c.I64(dp ? 1 : 0), reinterpret_cast<uint64_t>(&kHalf));
}

}  // namespace polyvm::frontend::arm64
