// Block formation: fetch, decode and lift instructions until one ends the block, one cannot be
// fetched or decoded, or the instruction budget runs out (docs/riscv64.md, "Blocks").
#include "polyvm/frontend/riscv64/lifter.h"

#include <fmt/format.h>

#include <cstring>

#include "decoder.h"
#include "lift_context.h"

namespace polyvm::frontend::riscv64 {
namespace {

constexpr LiftFn kLiftFns[] = {
#define INSN(id, mnemonic, pattern, operands, lift) &lift,
#include "insns.def"
#undef INSN
};
static_assert(std::size(kLiftFns) == kInsnCount);

// Reads the instruction at pc: its bits and length, or the first address that could not be
// fetched.
struct Fetched {
  uint32_t raw = 0;
  unsigned len = 0;  // 0: fetch fault
  uint64_t fault_addr = 0;
  size_t got = 0;  // bytes fetched
};

Fetched FetchInsn(const ir::CodeReader& code, uint64_t pc) {
  uint8_t bytes[4] = {};
  Fetched f;
  f.got = code.Fetch(pc, bytes, sizeof(bytes));
  if (f.got > sizeof(bytes)) f.got = sizeof(bytes);
  unsigned len = f.got >= 1 ? InsnLength(bytes[0]) : 2;
  if (f.got < len) {
    f.fault_addr = pc + f.got;
    return f;
  }
  f.len = len;
  f.raw = bytes[0] | bytes[1] << 8 |
          (len == 4 ? uint32_t{bytes[2]} << 16 | uint32_t{bytes[3]} << 24 : 0);
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

Riscv64Lifter::Riscv64Lifter() { Riscv64Table(); }  // build (and check) the table up front

Riscv64Lifter::Riscv64Lifter(const SystemHooks& hooks) : system_(hooks) { Riscv64Table(); }

void Riscv64Lifter::Lift(uint64_t pc, const ir::CodeReader& code, const ir::LiftOptions& options,
                         ir::Block& out) const {
  out.Clear();
  out.pc = pc;
  ir::Builder b(out);
  LiftContext ctx(b);
  ctx.set_priv_helper(system_.priv);
  const DecodeTable& table = Riscv64Table();
  const uint32_t budget = options.max_insns ? options.max_insns : 1;

  uint64_t cur = pc;
  uint32_t n = 0;  // completed instructions
  auto finish = [&](const ir::Exit& exit, uint64_t end) {
    b.SetExit(exit);
    out.size = static_cast<uint32_t>(end - pc);
    out.insn_count = n;
  };
  for (;;) {
    if (n == budget) {
      ir::Exit e;
      e.kind = ir::ExitKind::kJump;
      e.target = cur;
      e.insn_count = n;
      return finish(e, cur);
    }
    Fetched f = FetchInsn(code, cur);
    if (f.len == 0) {
      return finish(TrapExit(core::TrapCode::kFetchFault, cur, f.fault_addr, n), cur + f.got);
    }
    Insn insn;
    if (!table.Decode(f.raw, insn)) {
      return finish(TrapExit(core::TrapCode::kIllegalInstruction, cur, f.raw, n), cur + f.len);
    }

    size_t mark = out.insts.size();
    size_t side_mark = out.side_exits.size();
    LiftContext::Snapshot saved = ctx.Save();
    b.GuestInsn(cur, f.len);
    ctx.BeginInsn(insn, cur, n);
    LiftStatus status = kLiftFns[static_cast<unsigned>(insn.id)](ctx, insn);
    if (status == LiftStatus::kTrap) {
      // The instruction does not complete: drop what it emitted, marker included.
      out.insts.resize(mark);
      out.side_exits.resize(side_mark);
      ctx.Restore(saved);
      return finish(TrapExit(ctx.trap(), cur, f.raw, n), cur + f.len);
    }
    ++n;
    cur += f.len;
    if (status == LiftStatus::kEndBlock) {
      out.size = static_cast<uint32_t>(cur - pc);
      out.insn_count = n;
      return;
    }
  }
}

unsigned Riscv64Lifter::Disassemble(uint64_t pc, const ir::CodeReader& code,
                                    std::string& text) const {
  Fetched f = FetchInsn(code, pc);
  if (f.len == 0) {
    text.clear();
    return 0;
  }
  Insn insn;
  if (Riscv64Table().Decode(f.raw, insn)) {
    text = Riscv64Table().Format(insn, pc);
  } else {
    text = fmt::format(".{}byte 0x{:x}", f.len, f.raw);
  }
  return f.len;
}

std::string Riscv64Lifter::RegName(uint32_t offset) const {
  for (unsigned r = 0; r < 32; ++r) {
    if (offset == XOffset(r)) return std::string(XRegName(r));
    if (offset == FOffset(r)) return std::string(FRegName(r));
  }
  if (offset == kFrmOffset) return "frm";
  if (offset == offsetof(Riscv64State, hdr) + offsetof(core::CpuHeader, pc)) return "pc";
  if (offset == offsetof(Riscv64State, hdr) + offsetof(core::CpuHeader, fp_flags)) return "fflags";
  if (offset == offsetof(Riscv64State, hdr) + offsetof(core::CpuHeader, fp_round))
    return "fp_round";
  if (offset == offsetof(Riscv64State, hdr) + offsetof(core::CpuHeader, retired)) return "instret";
  return {};
}

}  // namespace polyvm::frontend::riscv64
