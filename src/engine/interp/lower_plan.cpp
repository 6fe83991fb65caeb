// Lowering, first half: what each IR instruction and the block exit become (a Plan: handler op,
// key types, operands with the widths their handler reads), which values are aliases of others
// (Trunc, Bitcast, ZExt of a zero-extended slot) or constants, and the pattern fusions decided
// before placement (compare+branch, load+extend, base+offset addresses).
#include <fmt/format.h>

#include <utility>

#include "lower_internal.h"
#include "polyvm/ir/semantics/int.h"
#include "thread_data.h"

namespace polyvm::engine::interp::lowering {

using ir::Opcode;

Lowerer::Lowerer(const ir::Block& in)
    : in_(in),
      n_(static_cast<uint32_t>(in.insts.size())),
      vals_(in.insts.size()),
      plans_(in.insts.size() + 1),
      use_count_(in.insts.size()),
      fused_cmp_(in.insts.size()),
      folded_addr_(in.insts.size()),
      load_ext_(in.insts.size()),
      ordinal_(in.insts.size() + 1) {}

namespace {

bool IsCommutative(Opcode op) {
  switch (op) {
    case Opcode::kAdd:
    case Opcode::kMul:
    case Opcode::kAnd:
    case Opcode::kOr:
    case Opcode::kXor:
    case Opcode::kCmpEq:
    case Opcode::kCmpNe: return true;
    default: return false;
  }
}

// A comparison evaluated by a fused branch or side-exit handler: condition number cond (0..4 =
// Eq, LtS, LtU, LeS, LeU, the order of kBrEq.. and kExitIfEq..), operands, and whether the
// handler's condition is the negation of the IR compare. A constant is kept second.
struct FusedCompare {
  unsigned cond = 0;
  ValueId a = kNoValue, b = kNoValue;
  bool negate = false;
};

}  // namespace

namespace {
FusedCompare CanonicalCompare(const ir::Inst& c, bool a_imm, bool b_imm) {
  FusedCompare f;
  f.a = c.args[0];
  f.b = c.args[1];
  switch (c.op) {
    case Opcode::kCmpNe: f.negate = true; break;
    case Opcode::kCmpLtS: f.cond = 1; break;
    case Opcode::kCmpLtU: f.cond = 2; break;
    case Opcode::kCmpLeS: f.cond = 3; break;
    case Opcode::kCmpLeU: f.cond = 4; break;
    default: break;
  }
  if (a_imm && !b_imm) {
    // a < b == !(b <= a), a <= b == !(b < a); Eq and Ne are symmetric.
    std::swap(f.a, f.b);
    if (f.cond != 0) {
      f.negate = !f.negate;
      f.cond = f.cond <= 2 ? f.cond + 2 : f.cond - 2;
    }
  }
  return f;
}

bool FusableCompare(const ir::Block& b, ValueId c) {
  const ir::Inst& ci = b.insts[c];
  if (!ir::IsIntCompare(ci.op)) return false;
  Type t = b.TypeOf(ci.args[0]);
  return t == Type::kI32 || t == Type::kI64;
}
}  // namespace

void Lowerer::PrePass() {
  const auto& insts = in_.insts;
  // Guest instruction ordinals: the number of instructions completed before each position.
  int markers = 0;
  for (uint32_t i = 0; i < n_; ++i) {
    if (insts[i].op == Opcode::kGuestInsn) {
      ++markers;
      insn_pcs_.push_back(insts[i].imm);
    }
    ordinal_[i] = markers > 0 ? static_cast<uint32_t>(markers - 1) : 0;
  }
  ordinal_[n_] = markers > 0 ? static_cast<uint32_t>(markers - 1) : 0;

  for (const ir::Inst& inst : insts) {
    for (unsigned k = 0; k < inst.NumArgs(); ++k) ++use_count_[inst.args[k]];
    if (inst.op == Opcode::kExitIf && inst.imm < in_.side_exits.size()) {
      ValueId v = in_.side_exits[inst.imm].value;
      if (v != kNoValue && v < n_) ++use_count_[v];
    }
  }
  const ir::Exit& exit = in_.exit;
  bool exit_reads = exit.kind == ir::ExitKind::kBranch || exit.kind == ir::ExitKind::kIndirect;
  if (exit_reads && exit.value < n_) ++use_count_[exit.value];

  // A compare whose only reader is the branch exit, or a side exit without a value of its own,
  // is evaluated by the exit handler.
  if (exit.kind == ir::ExitKind::kBranch && exit.value < n_ && use_count_[exit.value] == 1 &&
      FusableCompare(in_, exit.value)) {
    fused_cmp_[exit.value] = 1;
  }
  for (uint32_t i = 0; i < n_; ++i) {
    const ir::Inst& x = insts[i];
    if (x.op != Opcode::kExitIf || x.imm >= in_.side_exits.size()) continue;
    ir::ExitKind k = in_.side_exits[x.imm].kind;
    ValueId c = x.args[0];
    if (k != ir::ExitKind::kBranch && k != ir::ExitKind::kIndirect && use_count_[c] == 1 &&
        FusableCompare(in_, c)) {
      fused_cmp_[c] = 2;
    }
  }

  for (uint32_t i = 0; i < n_; ++i) {
    const ir::Inst& inst = insts[i];
    // Address = Add(base, Const) read only by this access: the access adds the offset itself.
    if ((inst.op == Opcode::kLoad || inst.op == Opcode::kStore) && inst.NumArgs() >= 1) {
      ValueId a = inst.args[0];
      const ir::Inst& ai = insts[a];
      if (ai.op == Opcode::kAdd && ai.type == Type::kI64 && use_count_[a] == 1 &&
          (insts[ai.args[0]].op == Opcode::kConst || insts[ai.args[1]].op == Opcode::kConst)) {
        folded_addr_[a] = 1;
      }
    }
    // ZExt/SExt to i64 of an 8/16/32-bit load read only by it: one extending load.
    if ((inst.op == Opcode::kZExt || inst.op == Opcode::kSExt) && inst.type == Type::kI64) {
      ValueId l = inst.args[0];
      const ir::Inst& li = insts[l];
      bool narrow = li.type == Type::kI8 || li.type == Type::kI16 || li.type == Type::kI32;
      if (li.op == Opcode::kLoad && narrow && use_count_[l] == 1 &&
          !ir::MemFlags::Decode(li.aux).aligned) {
        load_ext_[l] = inst.op == Opcode::kZExt ? 1 : 2;
      }
    }
  }
}

void Lowerer::Use(uint32_t pos, unsigned operand, ValueId v, unsigned read_bits) {
  Plan& p = plans_[pos];
  p.arg[operand - 1].v = v;
  p.arg[operand - 1].read_bits = static_cast<uint16_t>(read_bits);
  vals_[Root(v)].uses.push_back(
      {pos, static_cast<uint8_t>(operand), static_cast<uint16_t>(read_bits), v});
}

void Lowerer::Alias(ValueId v, ValueId of, bool zext_ok) {
  vals_[v].root = Root(of);
  vals_[v].zext_ok = zext_ok;
}

void Lowerer::MakeImm(ValueId v, uint64_t imm) {
  ValState& s = vals_[v];
  s.root = v;
  s.loc = Loc::kImm;
  s.imm = NormalizeImm(imm, s.type);
}

void Lowerer::Unsupported(uint32_t i, std::string why) {
  Plan& p = plans_[i];
  for (const Operand& o : p.arg) {
    if (o.v == kNoValue) continue;
    for (UseRec& u : vals_[Root(o.v)].uses) {
      if (u.pos == i) u.dead = true;
    }
  }
  p = Plan{};
  p.op = XOp::kUnsupported;
  p.may_leave = true;
  p.unsupported = std::move(why);
}

void Lowerer::PlanSimple(uint32_t i, XOp op, Type t, Type t2,
                         std::initializer_list<unsigned> arg_bits) {
  const ir::Inst& inst = in_.insts[i];
  Plan& p = plans_[i];
  p.op = op;
  p.t = t;
  p.t2 = t2;
  p.aux = inst.aux;
  p.lane = inst.lane;
  p.imm = inst.imm;
  if (inst.type != Type::kVoid) p.dst = i;
  unsigned k = 0;
  for (unsigned bits : arg_bits) {
    Use(i, k + 1, inst.args[k], bits);
    ++k;
  }
}

void Lowerer::PlanMemory(uint32_t i) {
  const ir::Inst& inst = in_.insts[i];
  Plan& p = plans_[i];
  ValueId base = inst.args[0];
  uint64_t offset = 0;
  if (folded_addr_[base]) {
    const ir::Inst& add = in_.insts[base];
    bool c0 = in_.insts[add.args[0]].op == Opcode::kConst;
    offset = in_.insts[add.args[c0 ? 0 : 1]].imm;
    base = add.args[c0 ? 1 : 0];
  }
  ir::MemFlags f = ir::MemFlags::Decode(inst.aux);
  p.may_leave = true;
  p.imm = offset;
  if (inst.op == Opcode::kLoad) {
    p.dst = i;
    if (f.aligned) {
      p.op = XOp::kLoadA;
      p.t = WidthKey(inst.type);
    } else if (load_ext_[i] != 0) {
      p.op = load_ext_[i] == 1 ? XOp::kLoadZx : XOp::kLoadSx;
      p.t = Type::kI64;
      p.t2 = inst.type;
      vals_[i].wtype = Type::kI64;
    } else {
      p.op = XOp::kLoad;
      p.t = WidthKey(inst.type);
    }
    Use(i, 1, base, 64);
  } else {
    Type vt = in_.TypeOf(inst.args[1]);
    p.op = f.aligned ? XOp::kStoreA : XOp::kStore;
    p.t = WidthKey(vt);
    p.extra_fence = f.order == ir::MemOrder::kSeqCst;  // x86 is TSO: only StoreLoad needs a fence
    Use(i, 1, base, 64);
    Use(i, 2, inst.args[1], StorageBits(vt));
  }
}

void Lowerer::BuildPlan(uint32_t i) {
  const ir::Inst& inst = in_.insts[i];
  Plan& p = plans_[i];
  ValState& self = vals_[i];
  self.root = i;
  self.type = inst.type;
  self.wtype = inst.type;
  const unsigned bits = StorageBits(inst.type);
  auto arg_type = [&](unsigned k) { return in_.TypeOf(inst.args[k]); };
  auto arg_bits = [&](unsigned k) { return StorageBits(arg_type(k)); };
  const XOp x = ToXOp(inst.op);

  switch (inst.op) {
    case Opcode::kConst: MakeImm(i, inst.imm); return;
    case Opcode::kGuestInsn: return;
    case Opcode::kGetReg:
      self.is_getreg = true;
      if (inst.imm + ir::ByteSize(inst.type) > kFrameBytes) {
        return Unsupported(i, fmt::format("GetReg at state offset {} (beyond 64 KiB)", inst.imm));
      }
      p.op = XOp::kMov;
      p.t = WidthKey(inst.type);
      p.arg[0].state_off = static_cast<int32_t>(inst.imm);
      p.arg[0].read_bits = static_cast<uint16_t>(bits);
      p.dst = i;
      p.reads_off = static_cast<int32_t>(inst.imm);
      p.reads_size = ir::ByteSize(inst.type);
      return;
    case Opcode::kSetReg: {
      Type vt = arg_type(0);
      if (inst.imm + ir::ByteSize(vt) > kFrameBytes) {
        return Unsupported(i, fmt::format("SetReg at state offset {} (beyond 64 KiB)", inst.imm));
      }
      p.op = XOp::kMov;
      p.t = WidthKey(vt);
      p.d.state_off = static_cast<int32_t>(inst.imm);
      p.writes_off = static_cast<int32_t>(inst.imm);
      p.writes_size = ir::ByteSize(vt);
      Use(i, 1, inst.args[0], StorageBits(vt));
      return;
    }

    case Opcode::kAdd:
    case Opcode::kSub:
    case Opcode::kMul:
    case Opcode::kMulHiS:
    case Opcode::kMulHiU:
    case Opcode::kMulHiSU:
    case Opcode::kDivS:
    case Opcode::kDivU:
    case Opcode::kRemS:
    case Opcode::kRemU:
    case Opcode::kAnd:
    case Opcode::kOr:
    case Opcode::kXor:
    case Opcode::kShl:  // the count is read at the shifted type's width (see ops.h)
    case Opcode::kLShr:
    case Opcode::kAShr:
    case Opcode::kRotl:
    case Opcode::kRotr: {
      if (folded_addr_[i]) return;  // computed by the load or store that reads it
      ValueId a = inst.args[0], b = inst.args[1];
      if (IsCommutative(inst.op) && IsImm(a) && !IsImm(b)) std::swap(a, b);
      p.op = x;
      p.t = inst.type;
      p.dst = i;
      Use(i, 1, a, bits);
      Use(i, 2, b, bits);
      break;
    }
    case Opcode::kNeg:
    case Opcode::kNot:
    case Opcode::kClz:
    case Opcode::kCtz:
    case Opcode::kPopcount:
    case Opcode::kBswap:
    case Opcode::kBitReverse: PlanSimple(i, x, inst.type, Type::kVoid, {bits}); break;

    case Opcode::kCmpEq:
    case Opcode::kCmpNe:
    case Opcode::kCmpLtS:
    case Opcode::kCmpLtU:
    case Opcode::kCmpLeS:
    case Opcode::kCmpLeU: {
      if (fused_cmp_[i]) return;  // evaluated by the exit
      ValueId a = inst.args[0], b = inst.args[1];
      XOp op = x;
      Type t = arg_type(0);
      if (IsImm(a) && !IsImm(b)) {
        // Keep the constant second: c < x is x > c.
        if (IsCommutative(inst.op)) {
          std::swap(a, b);
        } else if (t == Type::kI32 || t == Type::kI64) {
          std::swap(a, b);
          op = inst.op == Opcode::kCmpLtS   ? XOp::kCmpGtS
               : inst.op == Opcode::kCmpLtU ? XOp::kCmpGtU
               : inst.op == Opcode::kCmpLeS ? XOp::kCmpGeS
                                            : XOp::kCmpGeU;
        }
      }
      p.op = op;
      p.t = arg_type(0);
      p.dst = i;
      Use(i, 1, a, arg_bits(0));
      Use(i, 2, b, arg_bits(0));
      break;
    }
    case Opcode::kSelect:
      PlanSimple(i, x, WidthKey(inst.type), Type::kVoid, {8, bits, bits});
      break;
    case Opcode::kZExt: {
      ValueId a = inst.args[0];
      const ValState& as = vals_[a];
      const ValState& ar = vals_[Root(a)];
      if (load_ext_[a] != 0 || IsImm(a) ||
          (bits <= 64 && as.zext_ok && !ar.is_getreg && ar.loc == Loc::kSlot)) {
        // Already zero-extended where it lives; a root in a slot that has wider readers through
        // this alias is kept out of state fields (see UseAllowsState).
        return Alias(i, a, true);
      }
      PlanSimple(i, x, inst.type, ExtKey(arg_type(0)), {arg_bits(0)});
      break;
    }
    case Opcode::kSExt: {
      ValueId a = inst.args[0];
      if (load_ext_[a] != 0) return Alias(i, a, true);
      if (IsImm(a) && bits <= 64) {
        return MakeImm(i, ir::sem::SignExtend(vals_[Root(a)].imm, ir::BitWidth(arg_type(0))));
      }
      PlanSimple(i, x, inst.type, ExtKey(arg_type(0)), {arg_bits(0)});
      break;
    }
    case Opcode::kTrunc: {
      ValueId a = inst.args[0];
      if (IsImm(a)) return MakeImm(i, vals_[Root(a)].imm);
      if (inst.type == Type::kI1) {
        PlanSimple(i, x, Type::kI1, Type::kVoid, {8});
        break;
      }
      return Alias(i, a, false);
    }
    case Opcode::kBitcast: {
      ValueId a = inst.args[0];
      if (IsImm(a)) return MakeImm(i, vals_[Root(a)].imm);
      return Alias(i, a, vals_[a].zext_ok);
    }
    case Opcode::kConcat: PlanSimple(i, x, arg_type(0), Type::kVoid, {arg_bits(0), arg_bits(0)}); break;
    case Opcode::kExtract:
      if (inst.imm + ir::BitWidth(inst.type) > ir::BitWidth(arg_type(0))) {
        return Unsupported(i, fmt::format("Extract of bits [{}, {}) from {}", inst.imm,
                                          inst.imm + ir::BitWidth(inst.type),
                                          ir::TypeName(arg_type(0))));
      }
      PlanSimple(i, x, inst.type, arg_type(0), {arg_bits(0)});
      break;

    case Opcode::kAddCarry:
    case Opcode::kAddOverflow:
    case Opcode::kSubBorrow:
    case Opcode::kSubOverflow:
      PlanSimple(i, x, arg_type(0), Type::kVoid, {arg_bits(0), arg_bits(0)});
      break;
    case Opcode::kAdc:
    case Opcode::kSbb:
    case Opcode::kAdcCarry:
    case Opcode::kAdcOverflow:
    case Opcode::kSbbBorrow:
    case Opcode::kSbbOverflow:
      PlanSimple(i, x, arg_type(0), Type::kVoid, {arg_bits(0), arg_bits(0), 8});
      break;
    case Opcode::kParity: PlanSimple(i, x, arg_type(0), Type::kVoid, {arg_bits(0)}); break;

    case Opcode::kLoad:
    case Opcode::kStore: PlanMemory(i); break;
    case Opcode::kFence:
      p.op = (inst.aux & ir::kFenceStoreLoad) != 0 ? XOp::kFenceFull : XOp::kFenceCompiler;
      break;
    case Opcode::kAtomicRmw:
      if (ir::MemFlags::Decode(inst.aux).rmw > ir::RmwOp::kMaxU) {
        return Unsupported(i, fmt::format("AtomicRmw with RmwOp {}", inst.aux >> 4));
      }
      PlanSimple(i, x, inst.type, Type::kVoid, {64, bits});
      p.may_leave = true;
      break;
    case Opcode::kAtomicCas:
      PlanSimple(i, x, inst.type, Type::kVoid, {64, bits, bits});
      p.may_leave = true;
      break;
    case Opcode::kLoadLinked:
      PlanSimple(i, x, inst.type, Type::kVoid, {64});
      p.may_leave = p.clobbers_state = true;
      break;
    case Opcode::kStoreCond:
      PlanSimple(i, x, arg_type(1), Type::kVoid, {64, arg_bits(1)});
      p.may_leave = p.clobbers_state = true;
      break;
    case Opcode::kClearMonitor:
      p.op = x;
      p.clobbers_state = true;
      break;

    case Opcode::kFAdd:
    case Opcode::kFSub:
    case Opcode::kFMul:
    case Opcode::kFDiv:
    case Opcode::kFMin:
    case Opcode::kFMax: PlanSimple(i, x, inst.type, Type::kVoid, {bits, bits}); break;
    case Opcode::kFSqrt:
    case Opcode::kFRound:
    case Opcode::kFNeg:
    case Opcode::kFAbs: PlanSimple(i, x, inst.type, Type::kVoid, {bits}); break;
    case Opcode::kFMulAdd: PlanSimple(i, x, inst.type, Type::kVoid, {bits, bits, bits}); break;
    case Opcode::kFCmpEq:
    case Opcode::kFCmpLt:
    case Opcode::kFCmpLe:
    case Opcode::kFCmpUn:
      PlanSimple(i, x, arg_type(0), Type::kVoid, {arg_bits(0), arg_bits(0)});
      break;
    case Opcode::kFToSInt:
    case Opcode::kFToUInt:
    case Opcode::kSIntToF:
    case Opcode::kUIntToF:
    case Opcode::kFConvert: PlanSimple(i, x, inst.type, arg_type(0), {arg_bits(0)}); break;
    case Opcode::kFpGetFlags: PlanSimple(i, x, Type::kI32, Type::kVoid, {}); break;
    case Opcode::kFpSetFlags: PlanSimple(i, x, Type::kVoid, Type::kVoid, {32}); break;
    case Opcode::kFpSetRound:
      PlanSimple(i, x, Type::kVoid, Type::kVoid, {32});
      p.clobbers_state = true;  // CpuHeader::fp_round
      break;

    case Opcode::kVAdd:
    case Opcode::kVSub:
    case Opcode::kVMul:
    case Opcode::kVMinS:
    case Opcode::kVMinU:
    case Opcode::kVMaxS:
    case Opcode::kVMaxU:
    case Opcode::kVAddSatS:
    case Opcode::kVAddSatU:
    case Opcode::kVSubSatS:
    case Opcode::kVSubSatU:
    case Opcode::kVCmpEq:
    case Opcode::kVCmpGtS:
    case Opcode::kVCmpGtU:
    case Opcode::kVCmpGeS:
    case Opcode::kVCmpGeU:
    case Opcode::kVTbl:
    case Opcode::kVZipLo:
    case Opcode::kVZipHi:
    case Opcode::kVUzpEven:
    case Opcode::kVUzpOdd:
    case Opcode::kVPairAdd:
    case Opcode::kVFAdd:
    case Opcode::kVFSub:
    case Opcode::kVFMul:
    case Opcode::kVFDiv:
    case Opcode::kVFMin:
    case Opcode::kVFMax:
    case Opcode::kVFCmpEq:
    case Opcode::kVFCmpLt:
    case Opcode::kVFCmpLe:
    case Opcode::kVFCmpUn: PlanSimple(i, x, Type::kV128, Type::kVoid, {128, 128}); break;
    case Opcode::kVNeg:
    case Opcode::kVAbs:
    case Opcode::kVShlI:
    case Opcode::kVLShrI:
    case Opcode::kVAShrI:
    case Opcode::kVExtract:
    case Opcode::kVNarrow:
    case Opcode::kVWidenLoS:
    case Opcode::kVWidenLoU:
    case Opcode::kVWidenHiS:
    case Opcode::kVWidenHiU:
    case Opcode::kVPopcount:
    case Opcode::kVReduceAdd:
    case Opcode::kVReduceMinS:
    case Opcode::kVReduceMinU:
    case Opcode::kVReduceMaxS:
    case Opcode::kVReduceMaxU:
    case Opcode::kVMoveMask:
    case Opcode::kVFSqrt:
    case Opcode::kVFToSInt:
    case Opcode::kVFToUInt:
    case Opcode::kVSIntToF:
    case Opcode::kVUIntToF: PlanSimple(i, x, Type::kV128, Type::kVoid, {128}); break;
    case Opcode::kVDup: PlanSimple(i, x, Type::kV128, Type::kVoid, {64}); break;
    case Opcode::kVInsert: PlanSimple(i, x, Type::kV128, Type::kVoid, {128, 64}); break;
    case Opcode::kVFMulAdd: PlanSimple(i, x, Type::kV128, Type::kVoid, {128, 128, 128}); break;

    case Opcode::kExitIf: {
      if (inst.imm >= in_.side_exits.size()) {
        return Unsupported(i, fmt::format("ExitIf to side exit {} of {}", inst.imm,
                                          in_.side_exits.size()));
      }
      const ir::Exit& e = in_.side_exits[inst.imm];
      p.op = x;
      p.exit_index = static_cast<int32_t>(1 + inst.imm);
      p.may_leave = true;
      if (fused_cmp_[inst.args[0]] == 2) {
        const ir::Inst& c = in_.insts[inst.args[0]];
        FusedCompare f = CanonicalCompare(c, IsImm(c.args[0]), IsImm(c.args[1]));
        Type t = in_.TypeOf(c.args[0]);
        p.op = static_cast<XOp>(static_cast<unsigned>(XOp::kExitIfEq) + f.cond);
        p.t = t;
        p.lane = f.negate ? 1 : 0;
        Use(i, 1, f.a, StorageBits(t));
        Use(i, 2, f.b, StorageBits(t));
        break;
      }
      Use(i, 1, inst.args[0], 8);
      if (e.kind == ir::ExitKind::kBranch || e.kind == ir::ExitKind::kIndirect) {
        Use(i, 2, e.value, e.kind == ir::ExitKind::kBranch ? 8 : 64);
      } else {
        p.arg[1].dummy = true;
      }
      break;
    }
    case Opcode::kReadCounter:
      if (inst.aux > static_cast<uint32_t>(ir::Counter::kNanos)) {
        return Unsupported(i, fmt::format("ReadCounter of counter {}", inst.aux));
      }
      PlanSimple(i, x, Type::kI64, Type::kVoid, {});
      break;
    case Opcode::kCallHelper: {
      Type rt = inst.type == Type::kVoid ? Type::kVoid
                : inst.type == Type::kI1 ? Type::kI1
                                         : WidthKey(inst.type);
      unsigned nargs = inst.NumArgs();
      for (unsigned k = 0; k < nargs; ++k) {
        if (StorageBits(arg_type(k)) > 64) {
          return Unsupported(i, fmt::format("CallHelper argument of type {}",
                                            ir::TypeName(arg_type(k))));
        }
      }
      if (inst.imm == 0) return Unsupported(i, "CallHelper without a HelperInfo");
      p.op = x;
      p.t = rt;
      p.imm = inst.imm;
      p.lane = static_cast<uint8_t>(nargs);
      if (inst.type != Type::kVoid) p.dst = i;
      for (unsigned k = 0; k < 3; ++k) {
        if (k < nargs) {
          Use(i, k + 1, inst.args[k], 64);
        } else {
          p.arg[k].dummy = true;
        }
      }
      p.may_leave = p.clobbers_state = true;
      break;
    }
    case Opcode::kCount: return Unsupported(i, "opcode out of range");
  }
  if (p.op != XOp::kCount && p.op != XOp::kUnsupported && !HasHandler(p.op, p.t, p.t2)) {
    Unsupported(i, fmt::format("{} on {}{}{}", ir::OpName(inst.op), ir::TypeName(p.t),
                               p.t2 == Type::kVoid ? "" : " from ",
                               p.t2 == Type::kVoid ? "" : ir::TypeName(p.t2)));
  }
}

void Lowerer::BuildExitPlan() {
  const ir::Exit& e = in_.exit;
  Plan& p = plans_[n_];
  p.exit_index = 0;
  switch (e.kind) {
    case ir::ExitKind::kJump: p.op = XOp::kExitJump; break;
    case ir::ExitKind::kBranch:
      if (e.value < n_ && fused_cmp_[e.value] == 1) {
        const ir::Inst& c = in_.insts[e.value];
        FusedCompare f = CanonicalCompare(c, IsImm(c.args[0]), IsImm(c.args[1]));
        Type t = in_.TypeOf(c.args[0]);
        p.op = static_cast<XOp>(static_cast<unsigned>(XOp::kBrEq) + f.cond);
        p.t = t;
        p.swap_targets = f.negate;
        Use(n_, 1, f.a, StorageBits(t));
        Use(n_, 2, f.b, StorageBits(t));
      } else {
        p.op = XOp::kExitBranch;
        Use(n_, 1, e.value, 8);
      }
      break;
    case ir::ExitKind::kIndirect:
      p.op = XOp::kExitIndirect;
      Use(n_, 1, e.value, 64);
      break;
    case ir::ExitKind::kSyscall:
    case ir::ExitKind::kTrap:
    case ir::ExitKind::kCodeSync:
    case ir::ExitKind::kHalt: p.op = XOp::kExitReturn; break;
  }
}

}  // namespace polyvm::engine::interp::lowering
