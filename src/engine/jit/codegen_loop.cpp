// Self-loops: a block whose exit jumps back to its own entry keeps the guest registers it reads,
// and the retired count, in host registers across the back edge. Their loads move before a loop
// head, and the back edge moves each one's next value (what the block last wrote to the field, or
// the value read, if it did not write it) into its register, so a loop-carried guest register never
// takes the trip through the state's memory (a store-to-load forwarding delay per iteration).
//
// Lazy write-back: in user mode, a loop made only of inline integer code, guest state reads and
// writes and plain loads and stores also leaves the one SetReg of each carried field out of the
// loop, and the retired count's store out of the back edge. The state then holds a field's value
// from before the loop until something may look at it; every such place makes it exact first:
// - an exit or side exit leaving the loop stores the fields (and the count) on its way out;
// - an out-of-line op stores them before its call;
// - a memory access's out-of-line fault paths store them, and its site record lists where each
//   value is (host register, frame slot or constant), so that a host fault in the access, which
//   leaves through a signal, has Run copy them from the fault's registers (jit_engine.cpp).
// Before the field's SetReg in an iteration its value is the loop's entry read (`get`, kept live
// up to the SetReg); after it, the value written (`next`, live to the end anyway).
#include "compiler.h"

namespace polyvm::engine::jit::detail {
namespace {

// At most this many pool registers are held for the whole loop (besides the retired count's):
// the rest stay for the body.
constexpr size_t kMaxCarried = 5;
// The retired count's register: callee-saved, so calls out of line keep it without a save.
constexpr int kRetiredReg = 8;  // r15

}  // namespace

void Compiler::PlanSelfLoop() {
  const ir::Exit& e = b_.exit;
  const bool self_loop =
      (e.kind == ir::ExitKind::kJump && e.target == b_.pc) ||
      (e.kind == ir::ExitKind::kBranch && (e.target == b_.pc || e.fallthrough == b_.pc));
  if (!self_loop) return;
  // The retired count stays in a register across iterations and is stored (not added to memory)
  // at the back edge, so the state's count is exact wherever the block leaves.
  retired_reg_ = kRetiredReg;
  // Candidates: scalar GetRegs of the field's value at entry whose field holds a known value of
  // the same type at the end. Fields the loop writes come first: theirs is the memory round trip
  // on the loop-carried path; a read-only field only saves a load.
  std::vector<Carried> written, read_only;
  for (ValueId i = 0; i < b_.insts.size(); ++i) {
    const ir::Inst& inst = b_.insts[i];
    if (inst.op != Opcode::kGetReg || alias_[i] != i || !entry_read_[i] || uses_[i] == 0 ||
        !IsScalar64(inst.type)) {
      continue;
    }
    const auto off = static_cast<uint32_t>(inst.imm);
    auto it = std::find_if(end_known_.begin(), end_known_.end(), [&](const KnownField& k) {
      return k.off == off && k.type == inst.type;
    });
    if (it == end_known_.end()) continue;
    (it->v == i ? read_only : written).push_back({i, it->v});
  }
  carried_ = std::move(written);
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
    // `next` is read at the back edge. `get` may give its register up after its last use: the
    // back edge writes the register whatever it then holds (the parallel move orders that).
    if (!IsConst(c.next)) last_use_[c.next] = n;
  }
  PlanLazyWriteBack();
}

void Compiler::PlanLazyWriteBack() {
  if (owner_->system) return;  // soft-MMU slow paths and interrupts read the state anywhere
  // Only code whose every way out of the block is one of the places above.
  for (const ir::Inst& inst : b_.insts) {
    if (inst.op == Opcode::kGetReg || inst.op == Opcode::kSetReg) continue;
    const uint32_t props = ir::Info(inst.op).props;
    if ((props & (ir::kReadsState | ir::kWritesState | ir::kFpEnv)) != 0 ||
        (props & ir::kMemAtomic) == ir::kMemAtomic || inst.op == Opcode::kLoadLinked ||
        inst.op == Opcode::kStoreCond || inst.op == Opcode::kFpSetRound) {
      return;
    }
  }
  lazy_retired_ = retired_reg_ >= 0;
  for (const Carried& c : carried_) {
    if (c.next == c.get) continue;  // read only: nothing to write
    const ir::Inst& get = b_.insts[c.get];
    const auto off = static_cast<uint32_t>(get.imm);
    const uint32_t size = ir::ByteSize(get.type);
    auto overlaps = [&](const ir::Inst& inst) {
      const auto o = static_cast<uint32_t>(inst.imm);
      const uint32_t sz = ir::ByteSize(inst.op == Opcode::kSetReg ? TypeOf(inst.args[0]) : inst.type);
      return o < off + size && off < o + sz;
    };
    // One SetReg of the field, of `next`, and no read of it that forwarding did not answer (such
    // a read would see the state).
    ValueId set = ir::kNoValue;
    bool ok = true;
    for (ValueId i = 0; i < b_.insts.size() && ok; ++i) {
      const ir::Inst& inst = b_.insts[i];
      if (inst.op == Opcode::kSetReg && overlaps(inst)) {
        ok = set == ir::kNoValue && R(inst.args[0]) == c.next &&
             ir::ByteSize(TypeOf(inst.args[0])) == size;
        set = i;
      } else if (inst.op == Opcode::kGetReg && alias_[i] == i && i != c.get && overlaps(inst)) {
        ok = false;
      }
    }
    if (!ok || set == ir::kNoValue) continue;
    lazy_.push_back({off, static_cast<uint8_t>(size), c.get, c.next, set});
    // Places before the SetReg store the entry value: keep its register up to the last of them.
    for (ValueId i = set; i-- > 0;) {
      if (MaySync(b_.insts[i])) {
        last_use_[c.get] = std::max(last_use_[c.get], static_cast<int>(i));
        break;
      }
    }
  }
}

// An op at which the state may have to be exact: one that may leave the block (an access, a side
// exit) or that the JIT may run out of line. Conservative: all but the plain integer ops.
bool Compiler::MaySync(const ir::Inst& inst) const {
  switch (inst.op) {
    case Opcode::kConst:
    case Opcode::kGuestInsn:
    case Opcode::kGetReg:
    case Opcode::kSetReg: return false;
    case Opcode::kAdd:
    case Opcode::kSub:
    case Opcode::kAnd:
    case Opcode::kOr:
    case Opcode::kXor:
    case Opcode::kNot:
    case Opcode::kNeg:
    case Opcode::kShl:
    case Opcode::kLShr:
    case Opcode::kAShr:
    case Opcode::kZExt:
    case Opcode::kSExt:
    case Opcode::kTrunc:
    case Opcode::kSelect:
    case Opcode::kCmpEq:
    case Opcode::kCmpNe:
    case Opcode::kCmpLtS:
    case Opcode::kCmpLtU:
    case Opcode::kCmpLeS:
    case Opcode::kCmpLeU: return !IsSmallInt(inst.type);
    default: return true;
  }
}

bool Compiler::IsLazySet(ValueId i) const {
  return std::any_of(lazy_.begin(), lazy_.end(), [&](const LazyField& f) { return f.set == i; });
}

// Where each lazily written value is at the op being emitted (cur_).
std::vector<StateFix> Compiler::LazyFixes() const {
  std::vector<StateFix> out;
  for (const LazyField& f : lazy_) {
    const ValueId v = cur_ < f.set ? f.get : f.next;
    // PlanLazyWriteBack keeps `get` live up to every op MaySync names; a register given up
    // before a place that needs it would hold another value.
    if (v == f.get && last_use_[f.get] < static_cast<int>(cur_)) {
      throw Xbyak::Error(Xbyak::ERR_INTERNAL);
    }
    StateFix x{f.off, f.size, StateFix::kSlot, 0, 0};
    if (IsConst(v)) {
      x.where = StateFix::kConst;
      x.value = b_.insts[R(v)].imm;
    } else if (reg_of_[R(v)] >= 0) {
      x.where = StateFix::kReg;
      x.reg = static_cast<uint8_t>(PoolReg(reg_of_[R(v)]).getIdx());
    } else {
      x.value = static_cast<uint64_t>(kFrameOff + 16 * static_cast<int>(R(v)));
    }
    out.push_back(x);
  }
  if (lazy_retired_) {
    out.push_back({static_cast<uint32_t>(kStRetired), 8, StateFix::kReg,
                   static_cast<uint8_t>(PoolReg(retired_reg_).getIdx()), 0});
  }
  return out;
}

// Makes the state exact from `fixes` (taken where the code branched off, so valid wherever it
// is emitted). Uses rdx.
void Compiler::EmitLazyStores(const std::vector<StateFix>& fixes) {
  for (const StateFix& x : fixes) {
    Reg64 r = rdx;
    if (x.where == StateFix::kReg) {
      r = Reg64(x.reg);
    } else if (x.where == StateFix::kConst) {
      MovImm(rdx, x.value);
    } else {
      mov(rdx, qword[r13 + static_cast<int>(x.value)]);
    }
    const int off = static_cast<int>(x.off);
    switch (x.size) {
      case 1: mov(byte[rbx + off], r.cvt8()); break;
      case 2: mov(word[rbx + off], r.cvt16()); break;
      case 4: mov(dword[rbx + off], r.cvt32()); break;
      default: mov(qword[rbx + off], r); break;
    }
  }
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
