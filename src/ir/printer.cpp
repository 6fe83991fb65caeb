// The IR text form. The layout is documented in docs/ir.md ("Text form"); golden tests in
// tests/ir/printer_test.cpp pin it down.
#include "polyvm/ir/printer.h"

#include <fmt/format.h>

#include <bit>
#include <iterator>
#include <utility>
#include <string_view>

#include "op_fields.h"
#include "polyvm/ir/lifter.h"

namespace polyvm::ir {
namespace {

std::string_view RoundingName(RoundingMode rm) {
  switch (rm) {
    case RoundingMode::kNearestEven: return "rne";
    case RoundingMode::kTowardZero: return "rtz";
    case RoundingMode::kDown: return "rdn";
    case RoundingMode::kUp: return "rup";
    case RoundingMode::kNearestMaxMag: return "rmm";
    case RoundingMode::kDynamic: return "dyn";
  }
  return "?";
}

std::string_view NanName(NanRule r) {
  switch (r) {
    case NanRule::kCanonical: return "canonical";
    case NanRule::kArm: return "arm";
    case NanRule::kX86: return "x86";
  }
  return "?";
}

std::string_view MinMaxName(unsigned rule) {
  constexpr std::string_view kNames[] = {"ieee", "armnum", "arm", "x86"};
  return rule < 4 ? kNames[rule] : "?";
}

std::string_view CvtName(unsigned rule) {
  constexpr std::string_view kNames[] = {"satmax", "satzero", "indefinite"};
  return rule < 3 ? kNames[rule] : "?";
}

std::string_view OrderName(MemOrder o) {
  switch (o) {
    case MemOrder::kPlain: return "";
    case MemOrder::kAcquire: return "acquire";
    case MemOrder::kRelease: return "release";
    case MemOrder::kAcqRel: return "acqrel";
    case MemOrder::kSeqCst: return "seqcst";
  }
  return "order?";
}

std::string_view RmwName(RmwOp op) {
  constexpr std::string_view kNames[] = {"add",  "and",  "or",   "xor", "swap",
                                         "mins", "maxs", "minu", "maxu"};
  auto i = static_cast<unsigned>(op);
  return i < std::size(kNames) ? kNames[i] : "rmw?";
}

std::string_view CounterName(uint32_t c) {
  switch (static_cast<Counter>(c)) {
    case Counter::kCycles: return "cycles";
    case Counter::kRetired: return "retired";
    case Counter::kNanos: return "nanos";
  }
  return "counter?";
}

// RISC-V style `pred,succ` when the kind is a full product of the two sets, else the pairs.
std::string FenceText(uint32_t kind) {
  std::string pred, succ;
  if (kind & (kFenceLoadLoad | kFenceLoadStore)) pred += 'r';
  if (kind & (kFenceStoreLoad | kFenceStoreStore)) pred += 'w';
  if (kind & (kFenceLoadLoad | kFenceStoreLoad)) succ += 'r';
  if (kind & (kFenceLoadStore | kFenceStoreStore)) succ += 'w';
  uint32_t product = 0;
  bool pr = pred.find('r') != std::string::npos, pw = pred.find('w') != std::string::npos;
  bool sr = succ.find('r') != std::string::npos, sw = succ.find('w') != std::string::npos;
  if (pr && sr) product |= kFenceLoadLoad;
  if (pr && sw) product |= kFenceLoadStore;
  if (pw && sr) product |= kFenceStoreLoad;
  if (pw && sw) product |= kFenceStoreStore;
  if (product == kind && kind != 0) return pred + "," + succ;
  std::string out;
  constexpr std::pair<uint32_t, std::string_view> kPairs[] = {{kFenceLoadLoad, "ll"},
                                                              {kFenceLoadStore, "ls"},
                                                              {kFenceStoreLoad, "sl"},
                                                              {kFenceStoreStore, "ss"}};
  for (auto [bit, name] : kPairs) {
    if (kind & bit) {
      if (!out.empty()) out += '+';
      out += name;
    }
  }
  if (kind & ~uint32_t{kFenceAll})
    out += fmt::format("{}0x{:x}", out.empty() ? "" : "+", kind & ~uint32_t{kFenceAll});
  return out.empty() ? "none" : out;
}

std::string TrapName(core::TrapCode t) {
  std::string s(core::TrapCodeName(t));
  for (char& c : s) {
    if (c == ' ') c = '-';
  }
  return s;
}

std::string RegText(uint64_t offset, const RegNamer& names) {
  if (names && offset <= UINT32_MAX) {
    std::string n = names(static_cast<uint32_t>(offset));
    if (!n.empty()) return n;
  }
  return fmt::format("@0x{:x}", offset);
}

std::string ValueText(ValueId v) { return v == kNoValue ? "_" : fmt::format("v{}", v); }

std::string ConstText(const Inst& inst) {
  std::string s = fmt::format("0x{:x}", inst.imm);
  if (inst.type == Type::kF64) {
    s += fmt::format(" ({})", std::bit_cast<double>(inst.imm));
  } else if (inst.type == Type::kF32 && inst.imm <= UINT32_MAX) {
    s += fmt::format(" ({})", std::bit_cast<float>(static_cast<uint32_t>(inst.imm)));
  }
  return s;
}

void AppendFpMode(std::string& s, Opcode op, uint32_t aux) {
  uint32_t fields = detail::FpFields(op);
  FpMode m = FpMode::Decode(aux);
  if (fields & detail::kFieldRm) s += fmt::format(" rm={}", RoundingName(m.rm));
  if (fields & detail::kFieldNan) s += fmt::format(" nan={}", NanName(m.nan));
  if (fields & detail::kFieldMinMax) s += fmt::format(" minmax={}", MinMaxName(m.rule));
  if (fields & detail::kFieldCvt) s += fmt::format(" cvt={}", CvtName(m.rule));
  if ((fields & detail::kFieldSignaling) && m.signaling) s += " signaling";
  if ((fields & detail::kFieldExact) && m.exact) s += " exact";
  if (m.ftz) s += " ftz";
  if (m.dn) s += " dn";
}

void AppendMemFlags(std::string& s, uint32_t aux) {
  MemFlags f = MemFlags::Decode(aux);
  std::string_view order = OrderName(f.order);
  if (!order.empty()) s += fmt::format(" {}", order);
  if (f.aligned) s += " aligned";
}

}  // namespace

std::string PrintInst(const Block& block, ValueId id, const RegNamer& names) {
  const Inst& inst = block.insts[id];
  if (static_cast<unsigned>(inst.op) >= kOpcodeCount) {
    return fmt::format("<bad opcode {}>", static_cast<unsigned>(inst.op));
  }
  const Opcode op = inst.op;
  if (op == Opcode::kGuestInsn) return fmt::format("---- 0x{:x} ({} bytes)", inst.imm, inst.aux);

  std::string s;
  if (inst.type != Type::kVoid) s = fmt::format("v{}:{} = ", id, TypeName(inst.type));
  s += OpName(op);

  // Modifiers that say which operation it is come before the operands.
  const detail::ImmUse imm_use = detail::ImmUseOf(op);
  if (op == Opcode::kAtomicRmw) s += fmt::format(" {}", RmwName(MemFlags::Decode(inst.aux).rmw));
  if (op == Opcode::kFence) s += fmt::format(" {}", FenceText(inst.aux));
  if (op == Opcode::kReadCounter) s += fmt::format(" {}", CounterName(inst.aux));
  if (imm_use == detail::ImmUse::kHelper) {
    const auto* helper = reinterpret_cast<const HelperInfo*>(static_cast<uintptr_t>(inst.imm));
    s += fmt::format(" {}", helper && helper->name ? helper->name : "<null helper>");
  }
  if (imm_use == detail::ImmUse::kConst) s += fmt::format(" {}", ConstText(inst));
  if (imm_use == detail::ImmUse::kOffset) s += fmt::format(" {}", RegText(inst.imm, names));
  if (op == Opcode::kSetReg) s += ",";

  // Operands, up to the last one present.
  unsigned last = 0;
  for (unsigned i = 0; i < 3; ++i) {
    if (inst.args[i] != kNoValue) last = i + 1;
  }
  for (unsigned i = 0; i < last; ++i) s += fmt::format("{}{}", i == 0 ? " " : ", ", ValueText(inst.args[i]));

  // Modes and immediates after the operands.
  switch (imm_use) {
    case detail::ImmUse::kSideExit: s += fmt::format(" -> #{}", inst.imm); break;
    case detail::ImmUse::kBitPos: s += fmt::format(" at={}", inst.imm); break;
    case detail::ImmUse::kShift: s += fmt::format(" by={}", inst.imm); break;
    case detail::ImmUse::kLaneIndex: s += fmt::format(" idx={}", inst.imm); break;
    case detail::ImmUse::kNone:
      if (inst.imm != 0) s += fmt::format(" imm=0x{:x}", inst.imm);
      break;
    default: break;
  }
  if (detail::IsLaneOp(op) || inst.lane != 0) s += fmt::format(" lane={}", inst.lane);
  if (detail::FpFields(op) != 0) AppendFpMode(s, op, inst.aux);
  if (detail::HasMemFlags(op)) AppendMemFlags(s, inst.aux);
  if (!detail::UsesAux(op) && inst.aux != 0) s += fmt::format(" aux=0x{:x}", inst.aux);
  return s;
}

std::string PrintExit(const Exit& e) {
  std::string s;
  switch (e.kind) {
    case ExitKind::kJump: s = fmt::format("jump 0x{:x}", e.target); break;
    case ExitKind::kBranch:
      s = fmt::format("branch {} ? 0x{:x} : 0x{:x}", ValueText(e.value), e.target, e.fallthrough);
      break;
    case ExitKind::kIndirect: s = fmt::format("indirect {}", ValueText(e.value)); break;
    case ExitKind::kSyscall:
      s = fmt::format("syscall next=0x{:x} at=0x{:x}", e.target, e.info);
      break;
    case ExitKind::kTrap: {
      s = fmt::format("trap {} at 0x{:x}", TrapName(e.trap), e.target);
      if (e.trap == core::TrapCode::kIllegalInstruction || e.trap == core::TrapCode::kUnsupported) {
        s += fmt::format(" bits=0x{:x}", e.info);
      } else if (e.trap == core::TrapCode::kFetchFault) {
        s += fmt::format(" addr=0x{:x}", e.info);
      } else if (e.info != 0) {
        s += fmt::format(" info=0x{:x}", e.info);
      }
      break;
    }
    case ExitKind::kCodeSync: s = fmt::format("code-sync 0x{:x}", e.target); break;
    case ExitKind::kHalt: s = fmt::format("halt resume=0x{:x}", e.target); break;
    default: s = fmt::format("<bad exit kind {}>", static_cast<unsigned>(e.kind)); break;
  }
  if (e.hint == BranchHint::kCall) s += fmt::format(" (call, returns to 0x{:x})", e.fallthrough);
  if (e.hint == BranchHint::kReturn) s += " (return)";
  s += fmt::format(" insns={}", e.insn_count);
  return s;
}

std::string Print(const Block& block, const RegNamer& names) {
  std::string s =
      fmt::format("block 0x{:x} size={} insns={}\n", block.pc, block.size, block.insn_count);
  for (ValueId i = 0; i < block.insts.size(); ++i) s += "  " + PrintInst(block, i, names) + "\n";
  s += "  exit: " + PrintExit(block.exit) + "\n";
  for (size_t i = 0; i < block.side_exits.size(); ++i) {
    s += fmt::format("  side exit #{}: {}\n", i, PrintExit(block.side_exits[i]));
  }
  return s;
}

std::string Print(const Block& block, const Lifter& lifter) {
  return Print(block, [&lifter](uint32_t offset) { return lifter.RegName(offset); });
}

}  // namespace polyvm::ir
