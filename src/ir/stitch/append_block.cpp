// AppendBlock: the seam between two stitched blocks (the exit turned into a side exit or dropped),
// then next's instructions copied with their value numbers, side exits and counts shifted.
#include <vector>

#include "polyvm/ir/builder.h"
#include "polyvm/ir/stitch.h"

namespace polyvm::ir {
namespace {

// The compare that is 1 exactly when `op` (on the same operands, maybe swapped) is 0.
struct Inverse {
  Opcode op;
  bool swap;
};
bool InverseCompare(Opcode op, Inverse* out) {
  switch (op) {
    case Opcode::kCmpEq: *out = {Opcode::kCmpNe, false}; return true;
    case Opcode::kCmpNe: *out = {Opcode::kCmpEq, false}; return true;
    case Opcode::kCmpLtS: *out = {Opcode::kCmpLeS, true}; return true;  // !(a < b) == b <= a
    case Opcode::kCmpLtU: *out = {Opcode::kCmpLeU, true}; return true;
    case Opcode::kCmpLeS: *out = {Opcode::kCmpLtS, true}; return true;
    case Opcode::kCmpLeU: *out = {Opcode::kCmpLtU, true}; return true;
    default: return false;  // FP compares are not inverted: NaNs make both orders false
  }
}

bool ReadOnlyByExit(const Block& b, ValueId v) {
  for (const Inst& inst : b.insts) {
    for (unsigned k = 0; k < inst.NumArgs(); ++k) {
      if (inst.args[k] == v) return false;
    }
  }
  for (const Exit& e : b.side_exits) {
    if (e.value == v) return false;
  }
  return true;
}

// The i1 that is 1 when `branch` does not go to its `target`.
Value NotTaken(Builder& ir, const Block& b, ValueId cond) {
  const Inst& def = b.insts[cond];
  Inverse inv;
  if (InverseCompare(def.op, &inv) && ReadOnlyByExit(b, cond)) {
    Value x = ir.ValueOf(def.args[0]), y = ir.ValueOf(def.args[1]);
    return inv.swap ? ir.Cmp(inv.op, y, x) : ir.Cmp(inv.op, x, y);
  }
  return ir.Not(ir.ValueOf(cond));
}

// The seam: head's exit to next.pc removed, its other direction a side exit. False (head
// untouched) if head's exit does not lead to next.pc.
bool OpenSeam(Block& head, uint64_t next_pc) {
  Exit e = head.exit;
  Builder ir(head);
  if (e.kind == ExitKind::kJump) return e.target == next_pc;
  if (e.kind != ExitKind::kBranch) return false;
  if (e.target == next_pc && e.fallthrough == next_pc) return true;
  if (e.target != next_pc && e.fallthrough != next_pc) return false;
  Exit side;
  side.kind = ExitKind::kJump;
  side.insn_count = e.insn_count;
  Value leave;
  if (e.fallthrough == next_pc) {  // leave when the branch is taken
    side.target = e.target;
    leave = ir.ValueOf(e.value);
  } else {
    side.target = e.fallthrough;
    leave = NotTaken(ir, head, e.value);
  }
  ir.ExitIf(leave, side);
  return true;
}

}  // namespace

bool AppendBlock(Block& head, const Block& next) {
  const Exit seam = head.exit;
  if (!OpenSeam(head, next.pc)) return false;
  const uint32_t done = seam.insn_count;  // instructions completed when head continues at next
  const auto side_base = static_cast<uint32_t>(head.side_exits.size());
  Builder ir(head);
  std::vector<ValueId> map(next.insts.size(), kNoValue);
  auto mapped = [&](ValueId v) { return v == kNoValue ? kNoValue : map[v]; };
  for (ValueId i = 0; i < next.insts.size(); ++i) {
    Inst inst = next.insts[i];
    for (ValueId& a : inst.args) a = mapped(a);
    if (inst.op == Opcode::kExitIf) inst.imm += side_base;
    head.insts.push_back(inst);
    map[i] = static_cast<ValueId>(head.insts.size() - 1);
    if (inst.op == Opcode::kReadCounter && inst.aux == static_cast<uint32_t>(Counter::kRetired) &&
        done != 0) {
      map[i] = ir.Add(ir.ValueOf(map[i]), ir.I64(done)).id;
    }
  }
  auto shifted = [&](Exit e) {
    e.value = mapped(e.value);
    e.insn_count += done;
    return e;
  };
  for (const Exit& e : next.side_exits) head.side_exits.push_back(shifted(e));
  head.exit = shifted(next.exit);
  head.insn_count += next.insn_count;
  head.size = 0;
  return true;
}

}  // namespace polyvm::ir
