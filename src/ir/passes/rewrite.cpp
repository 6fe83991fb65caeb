// Use replacement and renumbering shared by the passes.
#include "rewrite.h"

#include <algorithm>
#include <cassert>

namespace polyvm::ir::passes::detail {

Replacements::Replacements(size_t count) : to_(count) {
  for (size_t i = 0; i < count; ++i) to_[i] = static_cast<ValueId>(i);
}

void Replacements::ApplyToArgs(Inst& inst) const {
  for (ValueId& a : inst.args) a = (*this)(a);
}

void Replacements::ApplyToExits(Block& block) const {
  block.exit.value = (*this)(block.exit.value);
  for (Exit& e : block.side_exits) e.value = (*this)(e.value);
}

Block Compact(const Block& in, const std::vector<bool>& keep) {
  Block out;
  out.pc = in.pc;
  out.size = in.size;
  out.insn_count = in.insn_count;
  out.exit = in.exit;
  out.side_exits = in.side_exits;
  out.insts.reserve(static_cast<size_t>(std::count(keep.begin(), keep.end(), true)));
  std::vector<ValueId> renum(in.insts.size(), kNoValue);
  auto map = [&renum](ValueId v) {
    if (v == kNoValue || v >= renum.size()) return v;
    assert(renum[v] != kNoValue && "a kept instruction uses a dropped value");
    return renum[v];
  };
  for (ValueId i = 0; i < in.insts.size(); ++i) {
    if (!keep[i]) continue;
    Inst inst = in.insts[i];
    for (ValueId& a : inst.args) a = map(a);
    renum[i] = static_cast<ValueId>(out.insts.size());
    out.insts.push_back(inst);
  }
  out.exit.value = map(out.exit.value);
  for (Exit& e : out.side_exits) e.value = map(e.value);
  return out;
}

namespace {
bool SameInst(const Inst& a, const Inst& b) {
  return a.op == b.op && a.type == b.type && a.lane == b.lane && a.aux == b.aux && a.imm == b.imm &&
         a.args[0] == b.args[0] && a.args[1] == b.args[1] && a.args[2] == b.args[2];
}
bool SameExit(const Exit& a, const Exit& b) {
  return a.kind == b.kind && a.hint == b.hint && a.trap == b.trap && a.value == b.value &&
         a.target == b.target && a.fallthrough == b.fallthrough && a.info == b.info &&
         a.insn_count == b.insn_count;
}
}  // namespace

bool SameCode(const Block& a, const Block& b) {
  if (a.pc != b.pc || a.size != b.size || a.insn_count != b.insn_count) return false;
  if (a.insts.size() != b.insts.size() || a.side_exits.size() != b.side_exits.size()) return false;
  for (size_t i = 0; i < a.insts.size(); ++i) {
    if (!SameInst(a.insts[i], b.insts[i])) return false;
  }
  for (size_t i = 0; i < a.side_exits.size(); ++i) {
    if (!SameExit(a.side_exits[i], b.side_exits[i])) return false;
  }
  return SameExit(a.exit, b.exit);
}

}  // namespace polyvm::ir::passes::detail
