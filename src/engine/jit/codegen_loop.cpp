// Self-loops: a block whose exit jumps back to its own entry keeps the guest registers it reads,
// and the retired count, in host registers across the back edge. Their loads move before a loop
// head, and the back edge moves each one's next value (what the block last wrote to the field, or
// the value read, if it did not write it) into its register, so a loop-carried guest register never
// takes the trip through the state's memory (a store-to-load forwarding delay per iteration).
// Their writes are lazy too (codegen_lazy.cpp), unless the block keeps write-through.
#include "compiler.h"
#include "polyvm/ir/stitch.h"

namespace polyvm::engine::jit::detail {
namespace {

// At most this many pool registers are held for the whole loop (besides the retired count's):
// the rest stay for the body.
constexpr size_t kMaxCarried = 5;
// The retired count's register: callee-saved, so calls out of line keep it without a save.
constexpr int kRetiredReg = 8;  // r15

}  // namespace

bool IsSelfLoop(const ir::Block& b) {
  const ir::Exit& e = b.exit;
  return (e.kind == ir::ExitKind::kJump && e.target == b.pc) ||
         (e.kind == ir::ExitKind::kBranch && (e.target == b.pc || e.fallthrough == b.pc));
}

bool WithEntryReadsOfWrittenFields(const ir::Block& b, ir::Block* out) {
  if (!IsSelfLoop(b)) return false;
  // The scalar fields whose first access is a SetReg (no GetReg of an overlapping field before).
  struct Field {
    uint32_t off, size;
    ir::Type type;
  };
  std::vector<Field> read, fresh;
  auto overlaps = [](const std::vector<Field>& fs, uint32_t off, uint32_t size) {
    return std::any_of(fs.begin(), fs.end(),
                       [&](const Field& f) { return f.off < off + size && off < f.off + f.size; });
  };
  for (const ir::Inst& inst : b.insts) {
    const auto off = static_cast<uint32_t>(inst.imm);
    if (inst.op == Opcode::kGetReg) {
      read.push_back({off, ir::ByteSize(inst.type), inst.type});
    } else if (inst.op == Opcode::kSetReg) {
      const ir::Type t = b.TypeOf(inst.args[0]);
      const uint32_t size = ir::ByteSize(t);
      // Not flags (i1): a self-loop defers them (codegen_loop_flags.cpp), or their setcc
      // stores them; a register each would crowd out the fields worth one.
      if (IsScalar64(t) && t != ir::Type::kI1 && !overlaps(read, off, size) &&
          !overlaps(fresh, off, size) && fresh.size() < kMaxCarried) {
        fresh.push_back({off, size, t});
      }
    } else if ((ir::Info(inst.op).props & ir::kWritesState) != 0) {
      break;  // such a block keeps write-through: nothing to gain
    }
  }
  if (fresh.empty()) return false;
  // The block with a GetReg of each at its start (read by nothing: PlanSelfLoop carries it): a
  // head of just those GetRegs, jumping to b.pc, with b appended (its values renumbered).
  *out = ir::Block{};
  out->pc = b.pc;
  for (const Field& f : fresh) {
    ir::Inst get;
    get.op = Opcode::kGetReg;
    get.type = f.type;
    get.imm = f.off;
    out->insts.push_back(get);
  }
  out->exit.kind = ir::ExitKind::kJump;
  out->exit.target = b.pc;
  if (!ir::AppendBlock(*out, b)) return false;
  out->size = b.size;  // one range still (AppendBlock clears it for superblocks of parts)
  return true;
}

void Compiler::PlanSelfLoop() {
  if (!IsSelfLoop(b_)) return;
  // The retired count stays in a register across iterations and is stored (not added to memory)
  // at the back edge, so the state's count is exact wherever the block leaves.
  retired_reg_ = kRetiredReg;
  // Candidates: scalar GetRegs of the field's value at entry whose field holds a known value of
  // the same type at the end. Fields the loop reads and writes come first: theirs is the memory
  // round trip on the loop-carried path; then fields it only writes (a store per iteration saved:
  // the write waits for the exits), then read-only fields (a load saved).
  std::vector<Carried> written, write_only, read_only;
  for (ValueId i = 0; i < b_.insts.size(); ++i) {
    const ir::Inst& inst = b_.insts[i];
    if (inst.op != Opcode::kGetReg || alias_[i] != i || !entry_read_[i] || !IsScalar64(inst.type)) {
      continue;
    }
    const auto off = static_cast<uint32_t>(inst.imm);
    auto it = std::find_if(end_known_.begin(), end_known_.end(), [&](const KnownField& k) {
      return k.off == off && k.type == inst.type;
    });
    // A flag whose setcc writes the state itself (FuseFlagStores) has no register to carry.
    if (it == end_known_.end() || flag_store_off_[R(it->v)] >= 0) continue;
    if (uses_[i] == 0) {
      // Read by nothing (WithEntryReadsOfWrittenFields added it): a field the loop only writes,
      // worth a register only if its write can wait for the loop's exits.
      if (it->v != i && LazyWritesAllowed()) write_only.push_back({i, it->v});
      continue;
    }
    (it->v == i ? read_only : written).push_back({i, it->v});
  }
  carried_ = std::move(written);
  for (const Carried& c : write_only) carried_.push_back(c);
  for (const Carried& c : read_only) carried_.push_back(c);
  if (carried_.size() > kMaxCarried) carried_.resize(kMaxCarried);
  if (carried_.empty()) {
    PlanLazyWriteBack();  // the retired count alone
    return;
  }
  pinned_.assign(b_.insts.size(), 0);
  const int n = static_cast<int>(b_.insts.size());
  for (const Carried& c : carried_) {
    pinned_[c.get] = 1;
    // Every carried register is held through EmitLoopEntry (whose allocations free what is dead
    // at op 0): a field the loop only writes has no reader to keep its register that long.
    last_use_[c.get] = std::max(last_use_[c.get], 1);
    // `next` is read at the back edge. `get` may give its register up after its last use: the
    // back edge writes the register whatever it then holds (the parallel move orders that).
    if (!IsConst(c.next)) last_use_[c.next] = n;
  }
  PlanLazyWriteBack();
}

// Loads the carried guest registers into the registers they keep for the whole block.
void Compiler::EmitLoopEntry() {
  for (const Carried& c : carried_) {
    const ir::Inst& inst = b_.insts[c.get];
    const int k = AllocReg(c.get);  // at most kMaxCarried of the pool: always one free
    const Reg64 r = PoolReg(k);
    const int off = static_cast<int>(inst.imm);
    switch (ir::ByteSize(inst.type)) {
      case 1: movzx(r.cvt32(), byte[rbx + off]); break;
      case 2: movzx(r.cvt32(), word[rbx + off]); break;
      case 4: mov(r.cvt32(), dword[rbx + off]); break;
      default: mov(r, qword[rbx + off]); break;
    }
    if (inst.type == ir::Type::kI1) and_(r.cvt32(), 1);
  }
  if (retired_reg_ >= 0) mov(PoolReg(retired_reg_), qword[rbx + kStRetired]);
  // Site caches start empty (codegen_mmu.cpp): no page's tag has its low bits set.
  for (int k = 0; k < num_cached_sites_; ++k) {
    mov(qword[r13 + SiteCacheOff(cached_sites_[k])], 1);
  }
  L(loop_head_);
}

// The parallel move at the back edge: each carried register receives its next value. A move
// waits while its destination is still the source of another; a cycle of registers is broken
// through rax.
void Compiler::EmitBackEdgeMoves() {
  struct Move {
    int dst;       // pool index
    int src;       // pool index, -1: const or slot, -2: rax
    ValueId next;  // the value (for const and slot sources)
  };
  std::vector<Move> moves;
  for (const Carried& c : carried_) {
    const int dst = reg_of_[c.get];
    const int src = InReg(c.next) && !IsConst(c.next) ? reg_of_[R(c.next)] : -1;
    if (src != dst) moves.push_back({dst, src, c.next});
  }
  auto is_source = [&](int reg) {
    return std::any_of(moves.begin(), moves.end(), [&](const Move& m) { return m.src == reg; });
  };
  auto emit = [&](const Move& m) {
    const Reg64 d = PoolReg(m.dst);
    if (m.src >= 0) {
      mov(d, PoolReg(m.src));
    } else if (m.src == -2) {
      mov(d, rax);
    } else {
      Load(d, m.next);  // a constant or the value's slot
    }
  };
  while (!moves.empty()) {
    auto ready =
        std::find_if(moves.begin(), moves.end(), [&](const Move& m) { return !is_source(m.dst); });
    if (ready != moves.end()) {
      emit(*ready);
      moves.erase(ready);
      continue;
    }
    // Every destination is still read: a cycle. Park the first destination's value in rax.
    const int parked = moves.front().dst;
    mov(rax, PoolReg(parked));
    for (Move& m : moves) {
      if (m.src == parked) m.src = -2;
    }
  }
}

}  // namespace polyvm::engine::jit::detail
