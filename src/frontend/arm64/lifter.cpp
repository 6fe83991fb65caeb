// Block formation: fetch, decode and lift A64 instructions until one ends the block, one cannot be
// fetched or decoded, or the instruction budget runs out (docs/arm64.md, "Blocks").
#include "polyvm/frontend/arm64/lifter.h"

#include <fmt/format.h>

#include <cstring>

#include "decoder.h"
#include "lift_context.h"

namespace polyvm::frontend::arm64 {
namespace {

constexpr LiftFn kLiftFns[] = {
#define INSN(id, mnemonic, pattern, operands, lift) &lift,
#include "insns.def"
#include "insns_fp.def"
#include "insns_simd.def"
#undef INSN
};
static_assert(std::size(kLiftFns) == kInsnCount);

struct Fetched {
  uint32_t raw = 0;
  bool ok = false;
  uint64_t fault_addr = 0;
  size_t got = 0;  // bytes fetched
};

Fetched FetchInsn(const ir::CodeReader& code, uint64_t pc) {
  uint8_t bytes[4] = {};
  Fetched f;
  f.got = code.Fetch(pc, bytes, sizeof(bytes));
  if (f.got > sizeof(bytes)) f.got = sizeof(bytes);
  if (f.got < 4) {
    f.fault_addr = pc + f.got;
    return f;
  }
  f.ok = true;
  f.raw = bytes[0] | bytes[1] << 8 | uint32_t{bytes[2]} << 16 | uint32_t{bytes[3]} << 24;
  return f;
}

ir::Exit TrapExit(core::TrapCode code, uint64_t pc, uint64_t info, uint32_t completed) {
  ir::Exit e;
  e.kind = ir::ExitKind::kTrap;
  e.trap = code;
  e.target = pc;
  e.info = info;
  e.insn_count = completed;
  return e;
}

}  // namespace

Arm64Lifter::Arm64Lifter() { Arm64Table(); }  // build (and check) the table up front

void Arm64Lifter::AssumeFpcr(uint32_t fpcr) const {
  const uint32_t mode = fpcr & (kFpcrFz | kFpcrDn);
  // Once a mode other than the default was seen, blocks check it (lift_context.cpp).
  const uint32_t seen = (mode != 0 || (fpcr_mode_.load() & kFpcrModeSeen) != 0) ? kFpcrModeSeen : 0;
  fpcr_mode_.store(mode | seen);
}

uint32_t Arm64Lifter::AssumedFpcrMode() const { return fpcr_mode_.load(); }

void Arm64Lifter::Lift(uint64_t pc, const ir::CodeReader& code, const ir::LiftOptions& options,
                       ir::Block& out) const {
  out.Clear();
  out.pc = pc;
  ir::Builder b(out);
  LiftContext ctx(b);
  ctx.SetFpcrMode(fpcr_mode_.load(), reinterpret_cast<uint64_t>(this));
  const DecodeTable& table = Arm64Table();
  const uint32_t budget = options.max_insns ? options.max_insns : 1;

  auto finish = [&](const ir::Exit& exit, uint64_t end, uint32_t n) {
    b.SetExit(exit);
    out.size = static_cast<uint32_t>(end - pc);
    out.insn_count = n;
  };
  // A branch to a misaligned address faults when the instruction is fetched (PC alignment
  // fault, which Linux delivers as SIGBUS): kMisaligned with the pc as the address.
  if (pc & 3) return finish(TrapExit(core::TrapCode::kMisaligned, pc, pc, 0), pc, 0);

  uint64_t cur = pc;
  uint32_t n = 0;  // completed instructions
  for (;;) {
    if (n == budget) {
      ir::Exit e;
      e.kind = ir::ExitKind::kJump;
      e.target = cur;
      e.insn_count = n;
      return finish(e, cur, n);
    }
    Fetched f = FetchInsn(code, cur);
    if (!f.ok) {
      return finish(TrapExit(core::TrapCode::kFetchFault, cur, f.fault_addr, n), cur + f.got, n);
    }
    Insn insn;
    if (!table.Decode(f.raw, insn)) {
      return finish(TrapExit(core::TrapCode::kIllegalInstruction, cur, f.raw, n), cur + 4, n);
    }

    size_t mark = out.insts.size();
    size_t side_mark = out.side_exits.size();
    b.GuestInsn(cur, 4);
    ctx.BeginInsn(insn, cur, n);
    LiftStatus status = kLiftFns[static_cast<unsigned>(insn.id)](ctx, insn);
    if (status == LiftStatus::kTrap) {
      // The instruction does not complete: drop what it emitted, marker included.
      out.insts.resize(mark);
      out.side_exits.resize(side_mark);
      return finish(TrapExit(ctx.trap(), cur, f.raw, n), cur + 4, n);
    }
    ++n;
    cur += 4;
    if (status == LiftStatus::kEndBlock) {
      out.size = static_cast<uint32_t>(cur - pc);
      out.insn_count = n;
      return;
    }
  }
}

unsigned Arm64Lifter::Disassemble(uint64_t pc, const ir::CodeReader& code,
                                  std::string& text) const {
  Fetched f = FetchInsn(code, pc);
  if (!f.ok) {
    text.clear();
    return 0;
  }
  Insn insn;
  if (Arm64Table().Decode(f.raw, insn)) {
    text = Arm64Table().Format(insn, pc);
  } else {
    text = fmt::format(".inst 0x{:08x}", f.raw);
  }
  return 4;
}

std::string Arm64Lifter::RegName(uint32_t offset) const {
  for (unsigned r = 0; r < 31; ++r) {
    if (offset == XOffset(r)) return fmt::format("x{}", r);
  }
  for (unsigned r = 0; r < 32; ++r) {
    if (offset == QOffset(r)) return fmt::format("q{}", r);
  }
  switch (offset) {
    case kSpOffset: return "sp";
    case kNOffset: return "n";
    case kZOffset: return "z";
    case kCOffset: return "c";
    case kVOffset: return "v";
    case kFpcrOffset: return "fpcr";
    case kFpsrRestOffset: return "fpsr_rest";
    case kTpidrOffset: return "tpidr_el0";
    case kTpidrroOffset: return "tpidrro_el0";
    default: break;
  }
  if (offset == offsetof(Arm64State, hdr) + offsetof(core::CpuHeader, pc)) return "pc";
  return {};
}

}  // namespace polyvm::frontend::arm64
