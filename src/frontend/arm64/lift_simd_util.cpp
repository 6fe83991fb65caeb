// Helpers of the AdvSIMD lift functions (lift_simd_util.h).
#include "lift_simd_util.h"

#include "polyvm/frontend/arm64/state.h"

namespace polyvm::frontend::arm64 {

using ir::Opcode;
using ir::Type;
using ir::Value;

Value VConst(ir::Builder& b, uint64_t lo, uint64_t hi) {
  if (hi == 0) return b.Const(Type::kV128, lo);
  Value wide = b.Emit(Opcode::kConcat, Type::kI128, b.I64(lo), b.I64(hi));
  return b.Bitcast(Type::kV128, wide);
}

Value VSplat(ir::Builder& b, unsigned size, uint64_t v) {
  unsigned bits = 8u << size;
  uint64_t lane = bits == 64 ? v : v & ((uint64_t{1} << bits) - 1);
  uint64_t rep = 0;
  for (unsigned k = 0; k < 64; k += bits) rep |= lane << k;
  return VConst(b, rep, rep);
}

Value VLow64(ir::Builder& b, Value v) {
  return b.Emit(Opcode::kVInsert, Type::kV128, v, b.I64(0), {}, 1, 0, 3);
}

void SetVec(LiftContext& c, unsigned r, Value v, bool q) { c.SetQ(r, q ? v : VLow64(c.b(), v)); }

Value Lane0(ir::Builder& b, Value v, unsigned size) {
  uint64_t mask = size == 3 ? ~uint64_t{0} : (uint64_t{1} << (8u << size)) - 1;
  return b.And(v, VConst(b, mask));
}

Value ElemDup(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = SimdSize(i);
  unsigned h = Bit(i.raw, 11), l = Bit(i.raw, 21), m = Bit(i.raw, 20);
  unsigned reg = size == 1 ? (i.rm & 15) : i.rm;
  unsigned index = size == 1 ? (h << 2 | l << 1 | m) : size == 2 ? (h << 1 | l) : h;
  Value e =
      b.Emit(Opcode::kVExtract, Type::kI64, c.Q(reg), {}, {}, index, 0, static_cast<uint8_t>(size));
  return b.Emit(Opcode::kVDup, Type::kV128, e, {}, {}, 0, 0, static_cast<uint8_t>(size));
}

Value Permute(ir::Builder& b, const std::vector<Value>& sources,
              const std::array<ByteSel, 16>& map) {
  Value result;
  for (size_t s = 0; s < sources.size(); ++s) {
    uint64_t idx[2] = {~uint64_t{0}, ~uint64_t{0}};  // 0xff: out of range, gives 0
    bool used = false;
    for (unsigned k = 0; k < 16; ++k) {
      if (map[k].src != static_cast<int8_t>(s)) continue;
      idx[k / 8] &= ~(uint64_t{0xff} << (8 * (k % 8)));
      idx[k / 8] |= uint64_t{map[k].byte} << (8 * (k % 8));
      used = true;
    }
    if (!used) continue;
    Value part = b.Op(Opcode::kVTbl, sources[s], VConst(b, idx[0], idx[1]));
    result = result.valid() ? b.Or(result, part) : part;
  }
  return result.valid() ? result : b.Const(Type::kV128, 0);
}

Type LaneType(unsigned size) {
  constexpr Type kTypes[4] = {Type::kI8, Type::kI16, Type::kI32, Type::kI64};
  return kTypes[size];
}

Value PerLane(ir::Builder& b, Value va, Value vb, unsigned size, unsigned lanes, const LaneFn& fn) {
  Value out = b.Const(Type::kV128, 0);
  for (unsigned k = 0; k < lanes; ++k) {
    Value x = b.Emit(Opcode::kVExtract, Type::kI64, va, {}, {}, k, 0, static_cast<uint8_t>(size));
    Value y = vb.valid() ? b.Emit(Opcode::kVExtract, Type::kI64, vb, {}, {}, k, 0,
                                  static_cast<uint8_t>(size))
                         : Value{};
    Value r = fn(x, y);
    out = b.Emit(Opcode::kVInsert, Type::kV128, out, r, {}, k, 0, static_cast<uint8_t>(size));
  }
  return out;
}

Value VDiffers(ir::Builder& b, Value x, Value y) {
  Value d = b.Bitcast(Type::kI128, b.Xor(x, y));
  return b.Cmp(Opcode::kCmpNe, d, b.Const(Type::kI128, 0));
}

void OrQc(LiftContext& c, Value saturated) {
  ir::Builder& b = c.b();
  Value rest = b.GetReg(Type::kI32, kFpsrRestOffset);
  Value bit = b.Shl(b.ZExt(Type::kI32, saturated), b.I32(27));
  b.SetReg(kFpsrRestOffset, b.Or(rest, bit));
}

}  // namespace polyvm::frontend::arm64
