// Copy propagation through guest state: a forward walk that remembers, for byte ranges of the
// state, which SSA value they hold.
#include "polyvm/ir/passes/copy_prop.h"

#include <algorithm>

#include "rewrite.h"

namespace polyvm::ir::passes {
namespace {

// The state bytes [offset, offset + ByteSize(type)) hold `value` read as `type`.
struct Known {
  uint64_t offset;
  Type type;
  ValueId value;

  uint64_t End() const { return offset + ByteSize(type); }
};

class StateKnowledge {
 public:
  const Known* Find(uint64_t offset, Type type) const {
    for (const Known& k : known_) {
      if (k.offset == offset && k.type == type) return &k;
    }
    return nullptr;
  }
  void Add(uint64_t offset, Type type, ValueId value) { known_.push_back({offset, type, value}); }
  void Clobber(uint64_t offset, Type type) {
    uint64_t end = offset + ByteSize(type);
    std::erase_if(known_, [&](const Known& k) { return k.offset < end && offset < k.End(); });
  }
  void Clear() { known_.clear(); }

 private:
  std::vector<Known> known_;  // ranges may overlap: several readings of the same bytes
};

}  // namespace

Block PropagateCopies(const Block& in) {
  Block out = in;
  detail::Replacements repl(out.insts.size());
  StateKnowledge state;
  for (ValueId i = 0; i < out.insts.size(); ++i) {
    Inst& inst = out.insts[i];
    repl.ApplyToArgs(inst);
    if (inst.op == Opcode::kGetReg) {
      if (const Known* k = state.Find(inst.imm, inst.type)) {
        repl.Set(i, k->value);
      } else {
        state.Add(inst.imm, inst.type, i);
      }
    } else if (inst.op == Opcode::kSetReg) {
      Type t = out.TypeOf(inst.args[0]);
      state.Clobber(inst.imm, t);
      state.Add(inst.imm, t, inst.args[0]);
    } else if (Info(inst.op).props & kWritesState) {
      state.Clear();  // CallHelper, ClearMonitor: bytes unknown to us may have changed
    }
  }
  repl.ApplyToExits(out);
  return out;
}

}  // namespace polyvm::ir::passes
