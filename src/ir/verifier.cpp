// The IR verifier: operand counts and types from the op table's TypeClass columns, SSA order, and
// the per-op rules the classes cannot express (docs/ir.md, "Verifier rules").
#include "polyvm/ir/verifier.h"

#include <fmt/format.h>

#include "op_fields.h"
#include "polyvm/core/cpu_header.h"

namespace polyvm::ir {
namespace {

bool InClass(TypeClass c, Type t) {
  switch (c) {
    case TypeClass::None: return t == Type::kVoid;
    case TypeClass::Any: return t != Type::kVoid;
    case TypeClass::Int: return IsInt(t);
    case TypeClass::IntB: return IsIntOrBool(t);
    case TypeClass::Bits: return IsIntOrBool(t) || IsVector(t);
    case TypeClass::Float: return IsFloat(t);
    case TypeClass::Vec: return IsVector(t);
    case TypeClass::I1: return t == Type::kI1;
    case TypeClass::I8: return t == Type::kI8;
    case TypeClass::I32: return t == Type::kI32;
    case TypeClass::I64: return t == Type::kI64;
    case TypeClass::Opt: return true;
    case TypeClass::Same:
    case TypeClass::Same0: return false;  // resolved by the caller
  }
  return false;
}

std::string_view ClassName(TypeClass c) {
  constexpr std::string_view kNames[] = {"none", "any", "int", "int or i1", "bits", "float", "v128",
                                         "i1",   "i8",  "i32", "i64",       "same", "same0", "opt"};
  return kNames[static_cast<unsigned>(c)];
}

class Checker {
 public:
  explicit Checker(const Block& block) : b_(block) {}

  std::vector<std::string> Run() {
    for (ValueId i = 0; i < b_.insts.size(); ++i) CheckInst(i);
    CheckExit(b_.exit, "exit", static_cast<ValueId>(b_.insts.size()));
    for (size_t k = 0; k < b_.side_exits.size(); ++k) {
      CheckExit(b_.side_exits[k], fmt::format("side exit #{}", k),
                static_cast<ValueId>(b_.insts.size()));
    }
    return std::move(errors_);
  }

 private:
  template <class... Args>
  void Fail(ValueId i, fmt::format_string<Args...> f, Args&&... args) {
    errors_.push_back(fmt::format("#{} {}: {}", i, OpName(b_.insts[i].op),
                                  fmt::format(f, std::forward<Args>(args)...)));
  }

  Type ArgType(const Inst& inst, unsigned n) const {
    ValueId v = inst.args[n];
    return v < b_.insts.size() ? b_.insts[v].type : Type::kVoid;
  }
  unsigned ArgWidth(const Inst& inst, unsigned n) const { return BitWidth(ArgType(inst, n)); }

  void CheckInst(ValueId i) {
    const Inst& inst = b_.insts[i];
    if (static_cast<unsigned>(inst.op) >= kOpcodeCount) {
      errors_.push_back(
          fmt::format("#{}: opcode {} out of range", i, static_cast<unsigned>(inst.op)));
      return;
    }
    const OpInfo& info = Info(inst.op);
    if (info.result != TypeClass::Opt && !InClass(info.result, inst.type)) {
      Fail(i, "result type {} is not {}", TypeName(inst.type), ClassName(info.result));
    }
    if (!CheckArgs(i)) return;  // per-op rules need well-formed operands
    CheckFields(i);
    CheckOp(i);
  }

  bool CheckArgs(ValueId i) {
    const Inst& inst = b_.insts[i];
    const OpInfo& info = Info(inst.op);
    bool ok = true;
    bool absent_opt = false;
    for (unsigned n = 0; n < 3; ++n) {
      TypeClass c = info.args[n];
      ValueId v = inst.args[n];
      if (c == TypeClass::None || (c == TypeClass::Opt && v == kNoValue)) {
        if (v != kNoValue) {
          Fail(i, "operand {} given, but the op takes only {}", n, n);
          ok = false;
        }
        absent_opt |= c == TypeClass::Opt;
        continue;
      }
      if (v == kNoValue) {
        Fail(i, "operand {} missing", n);
        ok = false;
        continue;
      }
      if (absent_opt) {
        Fail(i, "operand {} given after an absent optional operand", n);
        ok = false;
      }
      if (v >= i) {
        Fail(i, "operand {} (v{}) is not an earlier value", n, v);
        ok = false;
        continue;
      }
      Type t = b_.insts[v].type;
      if (t == Type::kVoid) {
        Fail(i, "operand {} (v{}) has no value", n, v);
        ok = false;
        continue;
      }
      bool match = c == TypeClass::Same    ? t == inst.type
                   : c == TypeClass::Same0 ? t == ArgType(inst, 0)
                                           : InClass(c, t);
      if (!match) {
        Fail(i, "operand {} (v{}) is {}, not {}", n, v, TypeName(t),
             c == TypeClass::Same    ? TypeName(inst.type)
             : c == TypeClass::Same0 ? TypeName(ArgType(inst, 0))
                                     : ClassName(c));
        ok = false;
      }
    }
    return ok;
  }

  // lane, imm and aux must be zero unless the op gives them a meaning.
  void CheckFields(ValueId i) {
    const Inst& inst = b_.insts[i];
    if (detail::IsVectorFpOp(inst.op)) {
      if (inst.lane < 2 || inst.lane > 3) Fail(i, "lane {} is not 2 (f32) or 3 (f64)", inst.lane);
    } else if (detail::IsLaneOp(inst.op)) {
      if (inst.lane > 3) Fail(i, "lane {} out of range 0..3", inst.lane);
    } else if (inst.lane != 0) {
      Fail(i, "lane {} given to an op without lanes", inst.lane);
    }
    if (detail::ImmUseOf(inst.op) == detail::ImmUse::kNone && inst.imm != 0) {
      Fail(i, "imm 0x{:x} given to an op without an immediate", inst.imm);
    }
    if (!detail::UsesAux(inst.op) && inst.aux != 0) {
      Fail(i, "aux 0x{:x} given to an op without mode bits", inst.aux);
    }
    if (detail::FpFields(inst.op) != 0) CheckFpMode(i);
    if (detail::HasMemFlags(inst.op)) CheckMemFlags(i);
  }

  void CheckFpMode(ValueId i) {
    const Inst& inst = b_.insts[i];
    uint32_t fields = detail::FpFields(inst.op);
    FpMode m = FpMode::Decode(inst.aux);
    if (inst.aux >> 11) Fail(i, "FpMode aux 0x{:x} has unknown bits", inst.aux);
    auto rm = static_cast<unsigned>(m.rm);
    if ((fields & detail::kFieldRm) && rm > 4 && m.rm != RoundingMode::kDynamic) {
      Fail(i, "rounding mode {} is reserved", rm);
    }
    if ((fields & detail::kFieldNan) && static_cast<unsigned>(m.nan) > 2) {
      Fail(i, "NaN rule {} is reserved", static_cast<unsigned>(m.nan));
    }
    if ((fields & detail::kFieldCvt) && m.rule > 2)
      Fail(i, "conversion rule {} is reserved", m.rule);
  }

  void CheckMemFlags(ValueId i) {
    const Inst& inst = b_.insts[i];
    MemFlags f = MemFlags::Decode(inst.aux);
    if (inst.aux >> 8) Fail(i, "MemFlags aux 0x{:x} has unknown bits", inst.aux);
    if (f.order > MemOrder::kSeqCst)
      Fail(i, "memory order {} is reserved", static_cast<unsigned>(f.order));
    if (inst.op == Opcode::kAtomicRmw) {
      if (f.rmw > RmwOp::kMaxU) Fail(i, "rmw op {} is reserved", static_cast<unsigned>(f.rmw));
    } else if (f.rmw != RmwOp::kAdd) {
      Fail(i, "rmw op given to a non-AtomicRmw access");
    }
    if (inst.op == Opcode::kLoad &&
        (f.order == MemOrder::kRelease || f.order == MemOrder::kAcqRel)) {
      Fail(i, "a load cannot have release order");
    }
    if (inst.op == Opcode::kStore &&
        (f.order == MemOrder::kAcquire || f.order == MemOrder::kAcqRel)) {
      Fail(i, "a store cannot have acquire order");
    }
  }

  void CheckLaneBits(ValueId i, unsigned width, std::string_view what) {
    unsigned lane_bits = 8u << b_.insts[i].lane;
    if (width < lane_bits)
      Fail(i, "{} has {} bits, fewer than the {}-bit lane", what, width, lane_bits);
  }

  void CheckLaneIndex(ValueId i) {
    const Inst& inst = b_.insts[i];
    if (inst.lane <= 3 && inst.imm >= (16u >> inst.lane)) {
      Fail(i, "lane index {} out of range for {}-bit lanes", inst.imm, 8u << inst.lane);
    }
  }

  void CheckOp(ValueId i) {
    const Inst& inst = b_.insts[i];
    const unsigned width = BitWidth(inst.type);
    switch (inst.op) {
      case Opcode::kConst:
        if (width < 64 && inst.imm > WidthMask(inst.type)) {
          Fail(i, "value 0x{:x} does not fit {}", inst.imm, TypeName(inst.type));
        }
        break;
      case Opcode::kGetReg:
      case Opcode::kSetReg: {
        Type t = inst.op == Opcode::kGetReg ? inst.type : ArgType(inst, 0);
        if (inst.imm < sizeof(core::CpuHeader)) {
          Fail(i, "state offset 0x{:x} is inside the CpuHeader (engine-owned)", inst.imm);
        }
        if (inst.imm + ByteSize(t) > (uint64_t{1} << 32))
          Fail(i, "state offset 0x{:x} too large", inst.imm);
        break;
      }
      case Opcode::kGuestInsn:
        if (inst.aux == 0) Fail(i, "guest instruction of 0 bytes");
        if (b_.size != 0 && (inst.imm < b_.pc || inst.imm + inst.aux > b_.pc + b_.size)) {
          Fail(i, "pc 0x{:x} ({} bytes) outside the block [0x{:x}, 0x{:x})", inst.imm, inst.aux,
               b_.pc, b_.pc + b_.size);
        }
        break;
      case Opcode::kBswap:
        if (inst.type == Type::kI8) Fail(i, "Bswap of i8");
        break;
      case Opcode::kZExt:
      case Opcode::kSExt:
        if (width < ArgWidth(inst, 0))
          Fail(i, "result {} narrower than operand", TypeName(inst.type));
        break;
      case Opcode::kTrunc:
        if (width > ArgWidth(inst, 0)) Fail(i, "result {} wider than operand", TypeName(inst.type));
        break;
      case Opcode::kBitcast:
        if (width != ArgWidth(inst, 0))
          Fail(i, "result {} and operand differ in width", TypeName(inst.type));
        break;
      case Opcode::kConcat:
        if (width != 2 * ArgWidth(inst, 0))
          Fail(i, "result {} is not twice the operand width", TypeName(inst.type));
        break;
      case Opcode::kExtract:
        if (inst.imm + width > ArgWidth(inst, 0)) {
          Fail(i, "bits [{}, {}) outside the {}-bit operand", inst.imm, inst.imm + width,
               ArgWidth(inst, 0));
        }
        break;
      case Opcode::kLoad:
        if (inst.type == Type::kI1) Fail(i, "i1 is not a memory type");
        break;
      case Opcode::kStore:
        if (ArgType(inst, 1) == Type::kI1) Fail(i, "i1 is not a memory type");
        break;
      case Opcode::kAtomicRmw:
        if (inst.type == Type::kI128)
          Fail(i, "AtomicRmw of i128 (only AtomicCas, LoadLinked, StoreCond)");
        break;
      case Opcode::kFence:
        if (inst.aux == 0 || inst.aux > kFenceAll)
          Fail(i, "FenceKind 0x{:x} not in 1..15", inst.aux);
        break;
      case Opcode::kReadCounter:
        if (inst.aux > static_cast<uint32_t>(Counter::kNanos))
          Fail(i, "counter {} unknown", inst.aux);
        break;
      case Opcode::kCallHelper:
        if (inst.imm == 0) Fail(i, "no HelperInfo");
        break;
      case Opcode::kExitIf: {
        if (inst.imm >= b_.side_exits.size()) {
          Fail(i, "side exit #{} does not exist ({} side exits)", inst.imm, b_.side_exits.size());
          break;
        }
        ValueId v = b_.side_exits[inst.imm].value;
        if (v != kNoValue && v >= i)
          Fail(i, "side exit #{} uses v{}, not defined before it", inst.imm, v);
        break;
      }
      case Opcode::kFToSInt:
      case Opcode::kFToUInt:
        if (inst.type != Type::kI32 && inst.type != Type::kI64)
          Fail(i, "result must be i32 or i64");
        break;
      case Opcode::kSIntToF:
      case Opcode::kUIntToF:
        if (ArgType(inst, 0) != Type::kI32 && ArgType(inst, 0) != Type::kI64)
          Fail(i, "operand must be i32 or i64");
        break;
      case Opcode::kFConvert:
        if (inst.type == ArgType(inst, 0)) Fail(i, "converts {} to itself", TypeName(inst.type));
        break;
      case Opcode::kVNarrow:
        if (inst.lane == 0) Fail(i, "cannot narrow 8-bit lanes");
        break;
      case Opcode::kVWidenLoS:
      case Opcode::kVWidenLoU:
      case Opcode::kVWidenHiS:
      case Opcode::kVWidenHiU:
        if (inst.lane == 3) Fail(i, "cannot widen 64-bit lanes");
        break;
      case Opcode::kVTbl:
        if (inst.lane != 0) Fail(i, "VTbl works on bytes: lane must be 0");
        break;
      case Opcode::kVDup: CheckLaneBits(i, ArgWidth(inst, 0), "operand"); break;
      case Opcode::kVExtract:
        CheckLaneIndex(i);
        CheckLaneBits(i, width, "result");
        break;
      case Opcode::kVInsert:
        CheckLaneIndex(i);
        CheckLaneBits(i, ArgWidth(inst, 1), "operand 1");
        break;
      case Opcode::kVReduceAdd:
      case Opcode::kVReduceMinS:
      case Opcode::kVReduceMinU:
      case Opcode::kVReduceMaxS:
      case Opcode::kVReduceMaxU: CheckLaneBits(i, width, "result"); break;
      default: break;
    }
  }

  void CheckExit(const Exit& e, const std::string& what, ValueId limit) {
    auto fail = [&](std::string msg) { errors_.push_back(what + ": " + msg); };
    if (e.kind > ExitKind::kHalt) {
      fail(fmt::format("exit kind {} unknown", static_cast<unsigned>(e.kind)));
      return;
    }
    Type want = e.kind == ExitKind::kBranch     ? Type::kI1
                : e.kind == ExitKind::kIndirect ? Type::kI64
                                                : Type::kVoid;
    if (want == Type::kVoid) {
      if (e.value != kNoValue) fail(fmt::format("has a value (v{}) it does not use", e.value));
    } else if (e.value == kNoValue || e.value >= limit) {
      fail("value missing or not defined in the block");
    } else if (b_.insts[e.value].type != want) {
      fail(fmt::format("value v{} is {}, not {}", e.value, TypeName(b_.insts[e.value].type),
                       TypeName(want)));
    }
    if ((e.kind == ExitKind::kTrap) != (e.trap != core::TrapCode::kNone)) {
      fail(e.kind == ExitKind::kTrap ? "trap exit without a trap code"
                                     : "trap code on a non-trap exit");
    }
    if (e.hint == BranchHint::kCall && e.kind != ExitKind::kJump && e.kind != ExitKind::kIndirect) {
      fail("call hint on an exit that is not a jump");
    }
    if (e.hint == BranchHint::kReturn && e.kind != ExitKind::kIndirect) {
      fail("return hint on an exit that is not indirect");
    }
    if (e.insn_count > b_.insn_count) {
      fail(fmt::format("insn_count {} exceeds the block's {}", e.insn_count, b_.insn_count));
    }
  }

  const Block& b_;
  std::vector<std::string> errors_;
};

}  // namespace

std::vector<std::string> Verify(const Block& block) { return Checker(block).Run(); }

}  // namespace polyvm::ir
