// Lowering, second half: where values live and the emitted code.
//
// Placement rules (docs/engines.md, "Lowered form"):
//  - A GetReg value stays in its state field (operand kind S, no copy) if every reader can take a
//    state operand and no write to that field happens between the GetReg and the last reader.
//  - The op defining a value written by SetReg writes the state field directly if nothing between
//    the op and the SetReg may leave the block (so no fault or side exit can observe the early
//    write), reads or writes that field, and the value's other readers can read it there.
//  - A constant becomes the immediate of the instructions that can take one, else a slot.
//  - Everything else lives in a 16-byte slot, reused after the value's last reader.
#include <fmt/format.h>

#include <algorithm>

#include "execute.h"
#include "lower.h"
#include "lower_internal.h"
#include "polyvm/ir/semantics/int.h"
#include "thread_data.h"

namespace polyvm::engine::interp {

namespace lowering {

namespace {

bool Overlap(uint32_t a, uint32_t asize, uint32_t b, uint32_t bsize) {
  return a < b + bsize && b < a + asize;
}

// Whether a J operand (aux, sign-extended from 32 bits to the read width) can carry `imm`
// (zero-extended from its own width) as read at `bits`.
bool FitsJ(uint64_t imm, unsigned bits) {
  if (bits <= 32) return true;
  uint64_t sx = ir::sem::SignExtend(imm & 0xffffffffu, 32);
  if (bits == 64) return sx == imm;
  return imm < (uint64_t{1} << 31);  // 128-bit: the sign extension must stay positive
}

}  // namespace

bool Lowerer::UseAllowsState(const UseRec& u, ValueId root) const {
  const ValState& rs = vals_[root];
  unsigned root_bits = StorageBits(rs.wtype);
  unsigned via_bits = StorageBits(vals_[u.via].type);
  if (via_bits > root_bits) return false;  // a zero-extending alias is only valid in a slot
  const Plan& p = plans_[u.pos];
  if (u.read_bits <= via_bits) return (KindMask(p.op, p.t, p.t2, u.operand) & KindBit(K::S)) != 0;
  // Read wider than the value: a ZExt copies it into a temporary first.
  return (KindMask(XOp::kZExt, ir::IntType(u.read_bits), ExtKey(vals_[u.via].type), 1) &
          KindBit(K::S)) != 0;
}

bool Lowerer::UseAllowsImm(const UseRec& u, ValueId root) const {
  const Plan& p = plans_[u.pos];
  uint8_t mask = KindMask(p.op, p.t, p.t2, u.operand);
  if (mask & KindBit(K::I)) return true;
  return (mask & KindBit(K::J)) != 0 && FitsJ(vals_[root].imm, u.read_bits);
}

bool Lowerer::StateWrittenIn(uint32_t lo, uint32_t hi, uint32_t off, uint32_t size) const {
  for (uint32_t k = lo + 1; k < hi; ++k) {
    const Plan& p = plans_[k];
    if (p.op == XOp::kCount) continue;
    if (p.clobbers_state) return true;
    if (p.writes_off >= 0 && Overlap(off, size, static_cast<uint32_t>(p.writes_off), p.writes_size)) {
      return true;
    }
  }
  return false;
}

bool Lowerer::StateReadIn(uint32_t lo, uint32_t hi, uint32_t off, uint32_t size,
                          ValueId except) const {
  for (uint32_t k = lo + 1; k < hi; ++k) {
    const Plan& p = plans_[k];
    if (p.op == XOp::kCount) continue;
    if (p.reads_off >= 0 && Overlap(off, size, static_cast<uint32_t>(p.reads_off), p.reads_size)) {
      return true;
    }
    for (const Operand& o : p.arg) {
      if (o.state_off >= 0 && Overlap(off, size, static_cast<uint32_t>(o.state_off), o.read_bits / 8)) {
        return true;
      }
      if (o.v == kNoValue) continue;
      ValueId r = Root(o.v);
      const ValState& rs = vals_[r];
      if (r != except && rs.loc == Loc::kState &&
          Overlap(off, size, rs.state_off, StorageBits(rs.wtype) / 8)) {
        return true;
      }
    }
  }
  return false;
}

void Lowerer::PlaceGetRegs() {
  for (uint32_t i = 0; i < n_; ++i) {
    ValState& vs = vals_[i];
    if (!vs.is_getreg || vs.root != i || plans_[i].op != XOp::kMov) continue;
    auto off = static_cast<uint32_t>(in_.insts[i].imm);
    uint32_t size = ir::ByteSize(vs.type);
    bool ok = true;
    for (const UseRec& u : vs.uses) {
      if (u.dead) continue;
      if (!UseAllowsState(u, i) || StateWrittenIn(i, u.pos, off, size)) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    vs.loc = Loc::kState;
    vs.state_off = off;
    plans_[i].op = XOp::kCount;  // no copy: readers read the field
  }
}

void Lowerer::FuseSetRegs() {
  for (uint32_t q = 0; q < n_; ++q) {
    const ir::Inst& set = in_.insts[q];
    if (set.op != ir::Opcode::kSetReg || plans_[q].op != XOp::kMov) continue;
    ValueId v = set.args[0];
    ValueId r = Root(v);
    ValState& rs = vals_[r];
    if (rs.loc != Loc::kSlot) continue;
    Plan& def = plans_[r];
    if (def.op == XOp::kCount || def.op == XOp::kUnsupported || def.dst != r) continue;
    if ((KindMask(def.op, def.t, def.t2, 0) & KindBit(K::S)) == 0) continue;
    Type vt = vals_[v].type;
    if (StorageBits(rs.wtype) != StorageBits(vt)) continue;
    auto off = static_cast<uint32_t>(set.imm);
    uint32_t size = ir::ByteSize(vt);

    bool ok = true;
    for (uint32_t k = r + 1; k < q && ok; ++k) {
      if (plans_[k].may_leave || plans_[k].clobbers_state) ok = false;
    }
    ok = ok && !StateWrittenIn(r, q, off, size) && !StateReadIn(r, q, off, size, r);
    for (const UseRec& u : rs.uses) {
      if (!ok) break;
      if (u.dead || (u.pos == q && u.operand == 1)) continue;
      if (!UseAllowsState(u, r) || (u.pos > q && StateWrittenIn(q, u.pos, off, size))) ok = false;
    }
    if (!ok) continue;

    rs.loc = Loc::kState;
    rs.state_off = off;
    def.writes_off = static_cast<int32_t>(off);
    def.writes_size = size;
    plans_[q].op = XOp::kCount;
    plans_[q].writes_off = -1;
    for (UseRec& u : rs.uses) {
      if (u.pos == q && u.operand == 1) u.dead = true;
    }
  }
}

void Lowerer::PlaceConstants() {
  for (uint32_t i = 0; i < n_; ++i) {
    ValState& vs = vals_[i];
    if (vs.root != i) continue;
    if (vs.loc == Loc::kImm) {
      for (UseRec& u : vs.uses) {
        if (u.dead) continue;
        u.imm = UseAllowsImm(u, i);
        if (!u.imm) vs.materialize = true;
      }
    }
    vs.last_slot_use = i;
    for (const UseRec& u : vs.uses) {
      if (!u.dead && !u.imm) vs.last_slot_use = std::max(vs.last_slot_use, u.pos);
    }
  }
}

int Lowerer::AllocSlot() {
  if (!free_slots_.empty()) {
    int s = free_slots_.back();
    free_slots_.pop_back();
    return s;
  }
  int s = next_slot_;
  next_slot_ += 16;
  return s;
}

void Lowerer::FreeSlot(int off) { free_slots_.push_back(off); }

void Lowerer::Push(LInst li, int hid, uint32_t pos) {
  li.h = HandlerLabels()[hid];
  li.hid = static_cast<uint16_t>(hid);
  code_.push_back(li);
  code_ordinal_.push_back(ordinal_[pos]);
}

bool Lowerer::EmitPlan(const Plan& p, uint32_t pos, std::string* error) {
  auto push = [&](LInst li, int hid) { Push(li, hid, pos); };
  auto emit_unsupported = [&](const std::string& why) {
    push(LInst{}, kH_Unsupported_Void_Void_NNNN);
    if (out_->unsupported.empty()) out_->unsupported = why;
    stopped_ = true;
  };
  if (p.op == XOp::kUnsupported) {
    emit_unsupported(p.unsupported);
    return true;
  }

  LInst li;
  li.aux = p.aux;
  li.lane = p.lane;
  li.imm = p.imm;
  K kinds[4] = {K::N, K::N, K::N, K::N};
  uint16_t* fields[4] = {&li.d, &li.a, &li.b, &li.c};
  std::vector<int> temps;
  std::vector<ValueId> read_roots;

  for (unsigned k = 0; k < 3; ++k) {
    const Operand& o = p.arg[k];
    if (o.state_off >= 0) {
      kinds[k + 1] = K::S;
      *fields[k + 1] = static_cast<uint16_t>(o.state_off);
      continue;
    }
    if (o.dummy) {
      kinds[k + 1] = K::F;
      continue;
    }
    if (o.v == kNoValue) continue;
    ValueId r = Root(o.v);
    ValState& rs = vals_[r];
    const UseRec* use = nullptr;
    for (const UseRec& u : rs.uses) {
      if (u.pos == pos && u.operand == k + 1 && !u.dead) use = &u;
    }
    if (use == nullptr) {
      *error = fmt::format("internal: no use record for operand {} at {}", k + 1, pos);
      return false;
    }
    unsigned via_bits = StorageBits(vals_[o.v].type);
    bool wide = o.read_bits > via_bits;
    K kind;
    uint16_t field = 0;
    if (rs.loc == Loc::kImm && use->imm) {
      uint8_t mask = KindMask(p.op, p.t, p.t2, k + 1);
      if (mask & KindBit(K::I)) {
        kind = K::I;
        li.imm = rs.imm;
      } else {
        kind = K::J;
        li.aux = static_cast<uint32_t>(rs.imm);
      }
      kinds[k + 1] = kind;
      continue;
    }
    if (rs.loc == Loc::kState) {
      kind = K::S;
      field = static_cast<uint16_t>(rs.state_off);
    } else {
      kind = K::F;
      field = static_cast<uint16_t>(rs.slot);
      read_roots.push_back(r);
      bool clean = (rs.loc == Loc::kImm || vals_[o.v].zext_ok) && o.read_bits <= 64;
      if (clean) wide = false;
    }
    if (wide) {
      int t = AllocSlot();
      temps.push_back(t);
      LInst z;
      z.d = static_cast<uint16_t>(t);
      z.a = field;
      K zk[4] = {K::F, kind, K::N, K::N};
      int hid = FindHandler(XOp::kZExt, ir::IntType(o.read_bits), ExtKey(vals_[o.v].type), zk);
      if (hid < 0) {
        emit_unsupported(fmt::format("internal: no ZExt to {} bits", o.read_bits));
        return true;
      }
      push(z, hid);
      kind = K::F;
      field = static_cast<uint16_t>(t);
    }
    kinds[k + 1] = kind;
    *fields[k + 1] = field;
  }

  // Slots whose last reader is this instruction are free for its result.
  std::sort(read_roots.begin(), read_roots.end());
  read_roots.erase(std::unique(read_roots.begin(), read_roots.end()), read_roots.end());
  for (ValueId r : read_roots) {
    if (vals_[r].last_slot_use == pos) FreeSlot(vals_[r].slot);
  }

  bool dead_dst = false;
  if (p.d.state_off >= 0) {
    kinds[0] = K::S;
    li.d = static_cast<uint16_t>(p.d.state_off);
  } else if (p.dst != kNoValue) {
    ValState& ds = vals_[p.dst];
    if (ds.loc == Loc::kState) {
      kinds[0] = K::S;
      li.d = static_cast<uint16_t>(ds.state_off);
    } else {
      ds.slot = AllocSlot();
      kinds[0] = K::F;
      li.d = static_cast<uint16_t>(ds.slot);
      dead_dst = ds.last_slot_use == pos;
    }
  }

  int hid = FindHandler(p.op, p.t, p.t2, kinds);
  if (hid < 0) {
    emit_unsupported(fmt::format("internal: no handler {} {} {} kinds {}{}{}{}", XOpName(p.op),
                                 ir::TypeName(p.t), ir::TypeName(p.t2), static_cast<int>(kinds[0]),
                                 static_cast<int>(kinds[1]), static_cast<int>(kinds[2]),
                                 static_cast<int>(kinds[3])));
    return true;
  }
  if (p.exit_index >= 0) li.imm = reinterpret_cast<uint64_t>(&out_->exits[p.exit_index]);
  push(li, hid);
  if (p.extra_fence) push(LInst{}, kH_FenceFull_Void_Void_NNNN);
  for (int t : temps) FreeSlot(t);
  if (dead_dst) FreeSlot(vals_[p.dst].slot);
  if (next_slot_ > static_cast<int>(kFrameBytes)) {
    *error = fmt::format("block needs {} bytes of slots", next_slot_);
    return false;
  }
  return true;
}

bool Lowerer::Emit(std::string* error) {
  for (uint32_t pos = 0; pos <= n_ && !stopped_; ++pos) {
    if (pos < n_) {
      ValState& vs = vals_[pos];
      if (vs.root == pos && vs.loc == Loc::kImm && vs.materialize) {
        // Some reader needs the constant in a slot; readers that take immediates still do.
        vs.slot = AllocSlot();
        LInst li;
        li.d = static_cast<uint16_t>(vs.slot);
        li.imm = vs.imm;
        K kinds[4] = {K::F, K::I, K::N, K::N};
        int hid = FindHandler(XOp::kMov, WidthKey(vs.type), Type::kVoid, kinds);
        if (hid < 0) {
          *error = "internal: no Mov for a constant";
          return false;
        }
        Push(li, hid, pos);
        if (vs.last_slot_use == pos) FreeSlot(vs.slot);
      }
    }
    const Plan& p = plans_[pos];
    if (p.op == XOp::kCount) continue;
    if (!EmitPlan(p, pos, error)) return false;
  }
  return true;
}

std::unique_ptr<LBlock> Lowerer::Run(std::string* error) {
  PrePass();
  for (uint32_t i = 0; i < n_; ++i) BuildPlan(i);
  BuildExitPlan();
  PlaceGetRegs();
  FuseSetRegs();
  PlaceConstants();

  out_ = std::make_unique<LBlock>();
  out_->pc = in_.pc;
  out_->size = in_.size;
  out_->insn_count = in_.insn_count;
  out_->insn_pcs = insn_pcs_;
  uint64_t last_pc = insn_pcs_.empty() ? in_.pc : insn_pcs_.back();
  auto fill_exit = [&](ExitRec& r, const ir::Exit& e) {
    r.kind = e.kind;
    r.trap = e.trap;
    r.insn_count = e.insn_count;
    r.target = e.target;
    r.fallthrough = e.fallthrough;
    r.info = e.info;
    r.last_pc = last_pc;
  };
  out_->num_exits = static_cast<uint32_t>(1 + in_.side_exits.size());
  out_->exits = std::make_unique<ExitRec[]>(out_->num_exits);
  fill_exit(out_->exits[0], in_.exit);
  if (plans_[n_].swap_targets) std::swap(out_->exits[0].target, out_->exits[0].fallthrough);
  for (size_t k = 0; k < in_.side_exits.size(); ++k) fill_exit(out_->exits[1 + k], in_.side_exits[k]);
  for (uint32_t i = 0; i < n_; ++i) {
    // Plain or fused with its compare: a side exit's last instruction is the ExitIf's.
    bool exit_if = plans_[i].op == XOp::kExitIf ||
                   (plans_[i].op >= XOp::kExitIfEq && plans_[i].op <= XOp::kExitIfLeU);
    if (exit_if && plans_[i].exit_index > 0) {
      out_->exits[plans_[i].exit_index].last_pc = out_->PcOfOrdinal(ordinal_[i]);
    }
  }

  if (!Emit(error)) return nullptr;

  out_->frame_bytes = static_cast<uint32_t>(next_slot_);
  out_->code_size = static_cast<uint32_t>(code_.size());
  out_->code_storage = std::make_unique<LInst[]>(code_.size() + 1);
  out_->code_storage[0].h = nullptr;
  out_->code_storage[0].imm = reinterpret_cast<uint64_t>(out_.get());
  std::copy(code_.begin(), code_.end(), &out_->code_storage[1]);
  out_->code = &out_->code_storage[1];
  out_->ordinal = std::move(code_ordinal_);
  // A loop back to the block itself is chained from the start: the block is alive while it runs.
  for (uint32_t k = 0; k < out_->num_exits; ++k) {
    ExitRec& e = out_->exits[k];
    if (e.kind != ir::ExitKind::kJump && e.kind != ir::ExitKind::kBranch) continue;
    if (e.target == out_->pc) e.chain[0].store(out_->code, std::memory_order_relaxed);
    if (e.kind == ir::ExitKind::kBranch && e.fallthrough == out_->pc) {
      e.chain[1].store(out_->code, std::memory_order_relaxed);
    }
  }
  return std::move(out_);
}

}  // namespace lowering

std::unique_ptr<LBlock> Lower(const ir::Block& block, std::string* error) {
  lowering::Lowerer l(block);
  return l.Run(error);
}

std::string DescribeLowered(const LBlock& block) {
  std::string out;
  static constexpr char kKindChar[] = {'-', 's', 'f', 'i', 'j'};
  for (uint32_t i = 0; i < block.code_size; ++i) {
    const LInst& li = block.code[i];
    const HandlerRow& row = kHandlerRows[li.hid];
    out += fmt::format("  {:3} [{}] {}", i, block.ordinal[i], row.name);
    const uint16_t fields[4] = {li.d, li.a, li.b, li.c};
    static constexpr const char* kNames[] = {"d", "a", "b", "c"};
    for (unsigned k = 0; k < 4; ++k) {
      K kind = row.kinds[k];
      if (kind == K::S || kind == K::F) {
        out += fmt::format(" {}={}{}", kNames[k], kKindChar[static_cast<int>(kind)], fields[k]);
      } else if (kind == K::I) {
        out += fmt::format(" {}=#{:#x}", kNames[k], li.imm);
      } else if (kind == K::J) {
        out += fmt::format(" {}=#{}", kNames[k], static_cast<int32_t>(li.aux));
      }
    }
    out += '\n';
  }
  if (!block.unsupported.empty()) out += fmt::format("  unsupported: {}\n", block.unsupported);
  return out;
}

}  // namespace polyvm::engine::interp
