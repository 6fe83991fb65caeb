// The block compiler's class, shared by the files that emit each op family (codegen_*.cpp).
// One pass over the IR: each op reads its operands from frame slots (or as immediates), computes
// in scratch registers and writes its slot; guest state writes go straight to the state in program
// order, so the state is exact at any faulting access. Rare or intricate ops call ColdOp.
// Out-of-line stubs (fault exits, side exits, link requests, slow FP paths) follow the body; the
// records they use follow the stubs.
#pragma once

#include <xbyak/xbyak.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cstddef>
#include <cstring>
#include <deque>
#include <tuple>
#include <vector>

#include "codegen.h"
#include "cold_ops.h"
#include "encoding_memo.h"
#include "inline_fn.h"
#include "labels.h"
#include "polyvm/core/cpu_header.h"
#include "system_mem.h"

namespace polyvm::engine::jit::detail {

using ir::Opcode;
using ir::ValueId;
using Xbyak::Reg64;
using namespace Xbyak::util;  // NOLINT: register names in every emitter file

inline constexpr int kFrameOff = static_cast<int>(offsetof(JitHot, frame));
inline constexpr int kHotSite = static_cast<int>(offsetof(JitHot, cur_site));
inline constexpr int kHotAttention = static_cast<int>(offsetof(JitHot, attention));
inline constexpr int kHotLinkDir = static_cast<int>(offsetof(JitHot, link_dir));
inline constexpr int kHotExitRec = static_cast<int>(offsetof(JitHot, exit_rec));
inline constexpr int kHotFaultAddr = static_cast<int>(offsetof(JitHot, fault_addr));
inline constexpr int kHotLim = static_cast<int>(offsetof(JitHot, lim));
inline constexpr int kHotF64NanAbove = static_cast<int>(offsetof(JitHot, f64_nan_above));
inline constexpr int kHotF64MinNormal2 = static_cast<int>(offsetof(JitHot, f64_min_normal2));
inline constexpr int kHotRetMisses = static_cast<int>(offsetof(JitHot, ret_misses));
inline constexpr int kHotRsBase = static_cast<int>(offsetof(JitHot, rs_base));
inline constexpr int kHotRsFloor = static_cast<int>(offsetof(JitHot, rs_floor));
inline constexpr int kHotJcMisses = static_cast<int>(offsetof(JitHot, jc_misses));
inline constexpr int kHotJc = static_cast<int>(offsetof(JitHot, jc));
inline constexpr int kStPc = static_cast<int>(offsetof(core::CpuHeader, pc));
inline constexpr int kStRetired = static_cast<int>(offsetof(core::CpuHeader, retired));
inline constexpr int kStIrq = static_cast<int>(offsetof(core::CpuHeader, interrupt_request));
inline constexpr int kStExclAddr = static_cast<int>(offsetof(core::CpuHeader, excl_addr));
inline constexpr int kStExclSize = static_cast<int>(offsetof(core::CpuHeader, excl_size));
inline constexpr int kStFpRound = static_cast<int>(offsetof(core::CpuHeader, fp_round));
inline constexpr int kStMemBase = static_cast<int>(offsetof(core::CpuHeader, mem_base));

inline bool Fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }
inline bool IsSmallInt(ir::Type t) { return t >= ir::Type::kI1 && t <= ir::Type::kI64; }
inline bool IsScalar64(ir::Type t) {
  return IsSmallInt(t) || t == ir::Type::kF32 || t == ir::Type::kF64;
}

// Whether `b` loops to its own entry (codegen_loop.cpp).
bool IsSelfLoop(const ir::Block& b);
// A self-loop whose first access to some scalar fields is a write: `b` with a GetReg of each
// prepended, unread, into *out (so PlanSelfLoop can carry them and their writes can wait for the
// loop's exits). False, leaving *out alone, when there are none.
bool WithEntryReadsOfWrittenFields(const ir::Block& b, ir::Block* out);

// The arena's shared stubs (ArenaStubs), emitted by `g` after the epilogue.
void EmitSharedStubs(Xbyak::CodeGenerator& g, ArenaStubs* stubs);

class Compiler : public Xbyak::CodeGenerator {
 public:
  struct Scratch;
  // `scratch` holds the per-block tables (cleared here); one compiler at a time may use it.
  Compiler(const ir::Block& b, const ArenaStubs& stubs, uint8_t* at, size_t room, JBlock* owner,
           Scratch& s)
      : Xbyak::CodeGenerator(room, at),
        b_(b),
        stubs_(stubs),
        owner_(owner),
        end_known_(s.end_known),
        entry_read_(s.entry_read),
        pinned_(s.pinned),
        carried_(s.carried),
        lazy_(s.lazy),
        elided_(s.elided),
        flag_store_off_(s.flag_store_off),
        flag_stored_(s.flag_stored),
        flags_only_(s.flags_only),
        fp_operand_(s.fp_operand),
        uses_(s.uses),
        fused_(s.fused),
        redundant_(s.redundant),
        sext_of_load_(s.sext_of_load),
        low_reads_(s.low_reads),
        loose_(s.loose),
        fused_at_(s.fused_at),
        alias_(s.alias),
        last_use_(s.last_use),
        reg_of_(s.reg_of),
        labels_(s.labels),
        records_(s.records),
        exits_(s.exits),
        deferred_(s.deferred),
        record_data_(s.record_data),
        far_(s.far),
        access_marks_(s.access_marks),
        written_(s.written),
        next_touch_(s.next_touch),
        overwritten_(s.overwritten),
        memo_(s.memo) {
    s.Clear();
  }

  // ---- raw bytes and memoized encodings (encoding_memo.h) ----
  // Appends n bytes of machine code as they are.
  void Raw(const uint8_t* p, size_t n) {
    if (getSize() + n > maxSize_) throw Xbyak::Error(Xbyak::ERR_CODE_IS_TOO_BIG);
    std::memcpy(const_cast<uint8_t*>(getCurr()), p, n);
    setSize(getSize() + n);
  }
  // The code `emit` makes, whose bytes depend on nothing but `key`: encoded by `emit` the first
  // time, copied after that. `emit` must not refer to labels or absolute addresses.
  template <typename F>
  void Memoized(uint64_t key, F&& emit) {
    const size_t start = getSize();
    if (const EncodingMemo::Entry* e = memo_.Find(key)) {
      Raw(e->bytes, e->len);
#ifndef NDEBUG
      // The same bytes from Xbyak, or the key misses an operand (or emit refers to a label).
      const size_t refs = labels_.NumRefs();
      setSize(start);
      emit();
      assert(getSize() - start == e->len && labels_.NumRefs() == refs &&
             std::memcmp(getCode() + start, e->bytes, e->len) == 0);
#endif
      return;
    }
    emit();
    memo_.Put(key, getCode() + start, getSize() - start);
  }

  // ---- labels (labels.h): these hide Xbyak's label overloads, so its labels are never used ----
  void L(const Label& l) { labels_.Bind(l, getSize()); }
  // The 4 bytes just emitted are a displacement to `l` from here (a rel32 or a rip-relative
  // operand at the end of its instruction).
  void ReferTo(const Label& l) { labels_.Refer(l, getSize() - 4, getSize()); }
  void LeaRip(const Reg64& r, const Label& l) {
    lea(r, ptr[rip]);
    ReferTo(l);
  }
  const uint8_t* Addr(const Label& l) const { return getCode() + labels_.Offset(l); }
  using Xbyak::CodeGenerator::call;
  void call(const Label& l) {
    static constexpr uint8_t kCall[5] = {0xE8};
    Raw(kCall, sizeof kCall);
    ReferTo(l);
  }
  // A call to code at a fixed address (the arena's shared stubs), as Xbyak's call(const void*).
  void CallAt(const void* target) {
    const auto rel = reinterpret_cast<intptr_t>(target) -
                     reinterpret_cast<intptr_t>(getCurr() + 5);
    if (!Fits32(rel)) throw Xbyak::Error(Xbyak::ERR_LABEL_IS_TOO_FAR);
    uint8_t insn[5] = {0xE8};
    const auto rel32 = static_cast<int32_t>(rel);
    std::memcpy(insn + 1, &rel32, 4);
    Raw(insn, sizeof insn);
  }
  // Every jump to a label is near (rel32), as the callers ask with T_NEAR.
  using Xbyak::CodeGenerator::jmp;
  void jmp(const Label& l, LabelType) {
    static constexpr uint8_t kJmp[5] = {0xE9};
    Raw(kJmp, sizeof kJmp);
    ReferTo(l);
  }
#define POLYVM_JIT_JCC(name, cc)                               \
  using Xbyak::CodeGenerator::name;                            \
  void name(const Label& l, LabelType) {                       \
    static constexpr uint8_t kJcc[6] = {0x0F, 0x80 | (cc)};    \
    Raw(kJcc, sizeof kJcc);                                    \
    ReferTo(l);                                                \
  }
  POLYVM_JIT_JCC(jo, 0x0)
  POLYVM_JIT_JCC(jno, 0x1)
  POLYVM_JIT_JCC(jb, 0x2)
  POLYVM_JIT_JCC(jae, 0x3)
  POLYVM_JIT_JCC(je, 0x4)
  POLYVM_JIT_JCC(jz, 0x4)
  POLYVM_JIT_JCC(jne, 0x5)
  POLYVM_JIT_JCC(jnz, 0x5)
  POLYVM_JIT_JCC(jbe, 0x6)
  POLYVM_JIT_JCC(ja, 0x7)
  POLYVM_JIT_JCC(js, 0x8)
  POLYVM_JIT_JCC(jns, 0x9)
  POLYVM_JIT_JCC(jp, 0xA)
  POLYVM_JIT_JCC(jnp, 0xB)
  POLYVM_JIT_JCC(jl, 0xC)
  POLYVM_JIT_JCC(jge, 0xD)
  POLYVM_JIT_JCC(jle, 0xE)
  POLYVM_JIT_JCC(jg, 0xF)
#undef POLYVM_JIT_JCC

  void Run() {
    Analyze();
    cur_pc_ = last_pc_ = b_.pc;  // a block without instructions reports its own pc
    ClearXmmCache();
    xmm_kept_ = ir::kNoValue;
    const uint8_t* entry = getCurr();
    L(entry_);
    EmitRoundingEntryCheck();  // codegen_fp_env.cpp
    EmitLoopEntry();
    uint32_t ordinal = 0;
    bool seen_insn = false;
    for (ValueId i = 0; i < b_.insts.size(); ++i) {
      const ir::Inst& inst = b_.insts[i];
      if (inst.op == Opcode::kGuestInsn) {
        if (seen_insn) ++ordinal;
        seen_insn = true;
        cur_pc_ = inst.imm;
        last_pc_ = inst.imm;
        cur_ordinal_ = ordinal;
        continue;
      }
      // Emitted at the exit / forwarded GetReg or redundant SExt / an ExitIf that cannot be
      // taken / nothing reads it.
      if (fused_[i] || alias_[i] != i || redundant_[i] || Unread(i)) continue;
      cur_ = i;
      // What the host flags hold (codegen_flags.cpp): only ops that look at them see the last.
      flags_in_ = PreservesHostFlags(inst) ? host_flags_ : HostFlags{};
      host_flags_ = HostFlags{};
      Emit(i, inst);
      if (LeavesHostFlags(inst)) host_flags_ = flags_in_;
      if (MayChangeRounding(inst)) fp_round_checked_ = false;
      if (xmm_kept_ != i && !PreservesXmmCache(inst)) ClearXmmCache();
    }
    cur_ = static_cast<ValueId>(b_.insts.size());
    flags_in_ = host_flags_;  // the exit's fused compare may reuse them
    EmitExit(b_.exit, last_pc_);
    const uint8_t* body_end = getCurr();
    EmitFaultStubs();
    // Out-of-line code runs with the register assignment of no particular point: values it needs
    // were written to their slots where it branches off (see EmitExitIf, CallPlan).
    deferred_mode_ = true;
    for (size_t k = 0; k < deferred_.size(); ++k) {  // each may defer more
      InlineFn d = std::move(deferred_[k]);
      d();
    }
    align(16);
    for (Record& r : records_) {
      align(8);
      L(r.label);
      // Room for it, zeroed (filled below): one memset, not a db() per byte.
      if (getSize() + r.size > maxSize_) throw Xbyak::Error(Xbyak::ERR_CODE_IS_TOO_BIG);
      std::memset(const_cast<uint8_t*>(getCurr()), 0, r.size);
      setSize(getSize() + r.size);
    }
    // Every label is defined and the code sits at its final address: fill in the jumps'
    // displacements, then the records in place.
    labels_.Patch(const_cast<uint8_t*>(getCode()));
    for (Record& r : records_) {
      auto* at = const_cast<uint8_t*>(Addr(r.label));
      if (r.exit != nullptr) {
        FillExit(*r.exit, at);  // needs the final addresses of its patch sites and stubs
      } else {
        std::memcpy(at, record_data_.data() + r.data, r.size);
      }
    }
    for (auto [at, site] : access_marks_) {
      owner_->access_sites.push_back({Addr(*at), reinterpret_cast<const SiteRec*>(Addr(*site))});
    }
    owner_->entry = entry;
    owner_->body_end = body_end;
    owner_->code_bytes = static_cast<uint32_t>(getSize());
  }

 private:
  struct PendingExit;
  // Data in the arena after the code: `size` bytes from record_data_ at `data`, or an exit's
  // record (FillExit).
  struct Record {
    Label label;
    uint32_t size;
    uint32_t data;
    PendingExit* exit;
  };

  // ---- analysis ----
  void Analyze() {
    const size_t n = b_.insts.size();
    alias_.resize(n);
    uses_.assign(n, 0);
    fused_.assign(n, 0);
    fused_at_.assign(n, -1);
    last_use_.assign(n, -1);
    reg_of_.assign(n, -1);
    ForwardGuestRegisters();
    trunc32_ = 0;
    for (ValueId i = 0; i < n; ++i) {
      if (alias_[i] != i) continue;
      const ir::Inst& inst = b_.insts[i];
      for (unsigned k = 0; k < inst.NumArgs(); ++k) ++uses_[alias_[inst.args[k]]];
      trunc32_ += inst.op == Opcode::kTrunc && inst.type == ir::Type::kI32;
    }
    auto count_exit = [&](const ir::Exit& e) {
      if (e.value != ir::kNoValue) ++uses_[alias_[e.value]];
    };
    count_exit(b_.exit);
    for (const ir::Exit& e : b_.side_exits) count_exit(e);
    elided_.assign(n, 0);
    lazy_ok_ = ComputeLazyWritesAllowed();
    DropQuietSetRegs();  // codegen_lazy.cpp; before the fusions, which count uses
    PlanLoopFlags();     // codegen_loop_flags.cpp; drops the flag SetRegs it defers
    // Pure ops nothing reads (without the optimiser, in system mode: values only dropped writes
    // or redundant sign extensions read) are not emitted, nor counted as their operands' readers.
    for (ValueId i = n; i-- > 0;) {
      if (alias_[i] != i || !Unread(i)) continue;
      const ir::Inst& inst = b_.insts[i];
      for (unsigned k = 0; k < inst.NumArgs(); ++k) --uses_[alias_[inst.args[k]]];
    }
    // A compare read only by the branch exit becomes the branch's own cmp + jcc.
    if (b_.exit.kind == ir::ExitKind::kBranch && b_.exit.value != ir::kNoValue) {
      ValueId v = alias_[b_.exit.value];
      if (uses_[v] == 1 && FusableCmp(b_.insts[v])) {
        fused_[v] = 1;
        fused_at_[v] = static_cast<int>(n);
      }
    }
    // So does a compare read only by an ExitIf (the lifters' checks: RISC-V's reserved rounding
    // modes, bounds). An ExitIf whose compare repeats an earlier ExitIf's (same op, same values)
    // cannot be taken: the block only gets there if the earlier one was not. RISC-V checks frm
    // before every FP instruction.
    redundant_.assign(n, 0);
    std::vector<std::tuple<Opcode, ValueId, ValueId>> checked;
    for (ValueId i = 0; i < n; ++i) {
      const ir::Inst& inst = b_.insts[i];
      if (alias_[i] != i || inst.op != Opcode::kExitIf) continue;
      ValueId c = alias_[inst.args[0]];
      if (!FusableCmp(b_.insts[c])) continue;
      const auto key =
          std::make_tuple(b_.insts[c].op, alias_[b_.insts[c].args[0]], alias_[b_.insts[c].args[1]]);
      if (std::find(checked.begin(), checked.end(), key) != checked.end()) {
        redundant_[i] = 1;
        --uses_[c];
        continue;
      }
      checked.push_back(key);
      if (uses_[c] == 1) {
        fused_[c] = 1;
        fused_at_[c] = static_cast<int>(i);
      }
    }
    // A compare no longer read (its ExitIf was redundant) is not emitted.
    for (ValueId i = 0; i < n; ++i) {
      if (alias_[i] == i && uses_[i] == 0 && FusableCmp(b_.insts[i]) && fused_at_[i] < 0) {
        fused_[i] = 1;
        fused_at_[i] = static_cast<int>(i);
      }
    }
    FoldWidenedSetRegs();  // codegen_widen.cpp
    FuseIntegerChains();   // codegen_fuse.cpp
    MarkLooseTruncs();     // codegen_ext.cpp
    FuseFlagStores();      // codegen_fuse.cpp
    MarkFlagOnlySubs();    // codegen_flags.cpp
    MarkFpOperands();      // codegen_fp_env.cpp
    // Last uses, for freeing host registers: the exits read at position n, and so do the
    // operands of a compare fused into the branch (and the scalar a widened SetReg stores).
    for (ValueId i = 0; i < n; ++i) {
      if (alias_[i] != i || elided_[i] || Unread(i)) continue;  // these read nothing
      const ir::Inst& inst = b_.insts[i];
      int at = fused_[i] ? fused_at_[i] : static_cast<int>(i);
      for (unsigned k = 0; k < inst.NumArgs(); ++k) {
        int& lu = last_use_[alias_[inst.args[k]]];
        lu = std::max(lu, at);
      }
      if (inst.op == Opcode::kSetReg) {
        const ValueId x = WidenedStoreSource(inst.args[0]);
        if (x != ir::kNoValue) last_use_[x] = std::max(last_use_[x], static_cast<int>(i));
      }
    }
    auto exit_use = [&](const ir::Exit& e) {
      if (e.value != ir::kNoValue) last_use_[alias_[e.value]] = static_cast<int>(n);
    };
    exit_use(b_.exit);
    for (const ir::Exit& e : b_.side_exits) exit_use(e);
    PlanElidedSetRegs();  // codegen_lazy.cpp; first: a self-loop's write-back builds on them
    PlanSelfLoop();
    PlanSiteCaches();  // codegen_mmu.cpp; system-mode self-loops
  }

  // Guest registers are read from the state once per block: a GetReg of a field whose current
  // value an earlier GetReg read or a SetReg wrote (same offset and type) becomes that value.
  // Writes still go to the state at once (EmitSetReg), so the state is exact wherever the block
  // may leave. Ops that may write the state behind SetReg's back forget everything known.
  // Also notes which GetRegs read the value the field had at block entry (no write or clobber of
  // it before them) and what each field holds at the end (for self-loops, codegen_loop.cpp).
  // A SExt that changes nothing becomes its source the same way (RedundantSExtSource).
  void ForwardGuestRegisters() {
    std::vector<KnownField>& known = end_known_;
    known.clear();
    entry_read_.assign(b_.insts.size(), 0);
    std::vector<std::pair<uint32_t, uint32_t>>& written = written_;  // (offset, size) of SetRegs
    bool clobbered = false;
    auto forget = [&](uint32_t off, uint32_t size) {
      std::erase_if(
          known, [&](const KnownField& k) { return k.off < off + size && off < k.off + k.size; });
    };
    for (ValueId i = 0; i < b_.insts.size(); ++i) {
      const ir::Inst& inst = b_.insts[i];
      alias_[i] = i;
      if (inst.op == Opcode::kGetReg) {
        auto off = static_cast<uint32_t>(inst.imm);
        auto it = std::find_if(known.begin(), known.end(), [&](const KnownField& k) {
          return k.off == off && k.type == inst.type;
        });
        if (it != known.end()) {
          alias_[i] = it->v;
        } else {
          const uint32_t size = ir::ByteSize(inst.type);
          entry_read_[i] = !clobbered && std::none_of(written.begin(), written.end(), [&](auto w) {
            return w.first < off + size && off < w.first + w.second;
          });
          forget(off, size);
          known.push_back({off, ir::ByteSize(inst.type), inst.type, i});
        }
      } else if (inst.op == Opcode::kSetReg) {
        auto off = static_cast<uint32_t>(inst.imm);
        ValueId v = alias_[inst.args[0]];
        forget(off, ir::ByteSize(b_.insts[v].type));
        known.push_back({off, ir::ByteSize(b_.insts[v].type), b_.insts[v].type, v});
        NoteWidenedScalar(off, v);  // codegen_widen.cpp
        written.push_back({off, ir::ByteSize(b_.insts[v].type)});
      } else if ((ir::Info(inst.op).props & ir::kWritesState) != 0 ||
                 inst.op == Opcode::kFpSetRound || inst.op == Opcode::kLoadLinked ||
                 inst.op == Opcode::kStoreCond) {
        known.clear();
        clobbered = true;
      } else if (inst.op == Opcode::kSExt) {
        const ValueId y = RedundantSExtSource(inst);  // codegen_ext.cpp
        if (y != ir::kNoValue) alias_[i] = y;
      }
    }
  }

  bool FusableCmp(const ir::Inst& inst) const {
    return ir::IsIntCompare(inst.op) && CmpInline(inst);
  }
  bool CmpInline(const ir::Inst& inst) const {
    ir::Type at = TypeOf(inst.args[0]);
    bool is_signed = inst.op == Opcode::kCmpLtS || inst.op == Opcode::kCmpLeS;
    return IsSmallInt(at) && !(is_signed && at == ir::Type::kI1);
  }

  // ---- value locations ----
  // Scalar values of up to 64 bits live in host registers from this pool while registers are
  // free (linear scan: a register is freed after its value's last use); others, and values made
  // by out-of-line code, live in their frame slot. The first kCallerSaved are clobbered by calls.
  static constexpr int kPoolSize = 9;
  static constexpr int kCallerSaved = 6;
  static Reg64 PoolReg(int k) {
    static const int idx[kPoolSize] = {
        Xbyak::Operand::RSI, Xbyak::Operand::RDI, 8, 9, 10, 11, Xbyak::Operand::RBP, 14, 15};
    return Reg64(idx[k]);
  }
  ValueId R(ValueId v) const { return alias_[v]; }
  bool InReg(ValueId v) const { return !deferred_mode_ && reg_of_[R(v)] >= 0; }
  Reg64 RegOf(ValueId v) const { return PoolReg(reg_of_[R(v)]); }
  void FreeDead() {
    for (int k = 0; k < kPoolSize; ++k) {
      ValueId h = holder_[k];
      if (h != ir::kNoValue && last_use_[h] <= static_cast<int>(cur_)) holder_[k] = ir::kNoValue;
    }
  }
  int AllocReg(ValueId v) {
    FreeDead();
    for (int k = 0; k < kPoolSize; ++k) {
      if (holder_[k] == ir::kNoValue && k != retired_reg_) {
        holder_[k] = v;
        reg_of_[v] = static_cast<int8_t>(k);
        return k;
      }
    }
    return -1;
  }
  // Values that stay live across instruction i in caller-saved registers (saved around calls).
  std::vector<std::pair<ValueId, int>> LiveCallerSaved(ValueId i) const {
    std::vector<std::pair<ValueId, int>> out;
    for (int k = 0; k < kCallerSaved; ++k) {
      ValueId h = holder_[k];
      if (h != ir::kNoValue && h != i && last_use_[h] > static_cast<int>(i)) out.push_back({h, k});
    }
    return out;
  }

  // ---- operands ----
  // A value without a register is in its slot; a flags-only Sub has neither (MarkFlagOnlySubs
  // promised that nothing reads it), so asking for its slot is a compiler bug, not wrong code.
  Xbyak::Address Slot(ValueId v, int extra = 0) {
    if (flags_only_[R(v)]) throw Xbyak::Error(Xbyak::ERR_INTERNAL);
    return qword[r13 + (kFrameOff + 16 * static_cast<int>(R(v)) + extra)];
  }
  Xbyak::RegExp SlotAddr(ValueId v) {
    if (flags_only_[R(v)]) throw Xbyak::Error(Xbyak::ERR_INTERNAL);
    return r13 + (kFrameOff + 16 * static_cast<int>(R(v)));
  }
  bool IsConst(ValueId v) const { return b_.insts[R(v)].op == Opcode::kConst; }
  ir::Type TypeOf(ValueId v) const { return b_.insts[R(v)].type; }
  uint64_t ConstBits(ValueId v) const { return b_.insts[R(v)].imm & ir::WidthMask(TypeOf(v)); }
  // The constant as a sign-extended 32-bit immediate valid for an operation at `width` bits (the
  // low `width` bits of the 64-bit operation are what count for widths below 64).
  bool Imm32(ValueId v, unsigned width, int32_t* out) const {
    if (!IsConst(v)) return false;
    uint64_t c = ConstBits(v);
    int64_t s = width >= 64 ? static_cast<int64_t>(c)
                            : static_cast<int64_t>(c << (64 - width)) >> (64 - width);
    if (!Fits32(s)) return false;
    *out = static_cast<int32_t>(s);
    return true;
  }
  void MovImm(const Reg64& r, uint64_t c) {
    if (c == 0) {
      xor_(r.cvt32(), r.cvt32());
    } else if (c <= 0xffffffffu) {
      mov(r.cvt32(), static_cast<uint32_t>(c));
    } else if (Fits32(static_cast<int64_t>(c))) {
      mov(r, static_cast<int32_t>(static_cast<int64_t>(c)));
    } else {
      mov(r, c);
    }
  }
  // Loads a value of up to 64 bits, zero-extended (flags may change for constants).
  void Load(const Reg64& r, ValueId v) {
    if (IsConst(v)) {
      MovImm(r, ConstBits(v));
    } else if (InReg(v)) {
      if (RegOf(v).getIdx() != r.getIdx()) mov(r, RegOf(v));
    } else {
      mov(r, Slot(v));
    }
  }
  // Writes r's low bits as the value `v`, zero-extended to 64 bits.
  void Store(ValueId v, const Reg64& r) {
    switch (TypeOf(v)) {
      case ir::Type::kI1: and_(r.cvt32(), 1); break;
      case ir::Type::kI8: movzx(r.cvt32(), r.cvt8()); break;
      case ir::Type::kI16: movzx(r.cvt32(), r.cvt16()); break;
      case ir::Type::kI32:
      case ir::Type::kF32: mov(r.cvt32(), r.cvt32()); break;
      default: break;
    }
    Put(v, r);
  }
  // Gives value v (already zero-extended in r) its home: a free host register, else its slot.
  void Put(ValueId v, const Reg64& r) {
    if (uses_[v] == 0) return;
    int k = reg_of_[v] >= 0 ? reg_of_[v] : AllocReg(v);
    if (k >= 0) {
      if (PoolReg(k).getIdx() != r.getIdx()) mov(PoolReg(k), r);
    } else {
      mov(Slot(v), r);
    }
  }
  // The register result i is computed in: its own pool register when one is free (operands
  // whose last use is i give theirs up first), else rax (and Put stores it to the slot).
  Reg64 Def(ValueId i) {
    if (uses_[i] == 0) return rax;
    int k = reg_of_[i] >= 0 ? reg_of_[i] : AllocReg(i);
    return k >= 0 ? PoolReg(k) : rax;
  }
  // Makes v's slot hold it, for code that reads slots (ColdOp, 128-bit moves, side exits).
  void EnsureSlot(ValueId v) {
    if (IsConst(v)) {
      Materialize(v);
    } else if (InReg(v)) {
      mov(Slot(v), RegOf(v));
    }
  }
  void Materialize(ValueId v) {
    if (!IsConst(v)) return;
    MovImm(rax, b_.insts[R(v)].imm & ir::WidthMask(TypeOf(v)));
    mov(Slot(v), rax);
    if (ir::IsWide(TypeOf(v))) mov(Slot(v, 8), 0);
  }

  // ---- records in the arena ----
  Label& AddRecord(const void* data, size_t size) {
    const size_t at = record_data_.size();
    record_data_.resize(at + size);
    std::memcpy(record_data_.data() + at, data, size);
    records_.push_back(
        Record{Label(), static_cast<uint32_t>(size), static_cast<uint32_t>(at), nullptr});
    return records_.back().label;
  }
  Label& AddExitRecord(PendingExit* pe) {
    records_.push_back(Record{Label(), sizeof(ExitRec), 0, pe});
    return records_.back().label;
  }
  // A site's record carries where the lazily written fields are there (codegen_lazy.cpp).
  Label& Site(core::MemAccess access) {
    SiteRec s{cur_pc_, cur_ordinal_, access};
    std::vector<StateFix> fx = LazyFixes();
    // Most sites have none: keep their record's fill as small as it was (translation time).
    if (fx.empty()) return AddRecord(&s, sizeof s);
    s.nfix = static_cast<uint16_t>(fx.size());
    Label& l = AddRecord(&s, sizeof s);  // the fixes follow it in the arena
    const size_t at = record_data_.size();
    record_data_.resize(at + fx.size() * sizeof(StateFix));
    std::memcpy(record_data_.data() + at, fx.data(), fx.size() * sizeof(StateFix));
    records_.back().size += static_cast<uint32_t>(fx.size() * sizeof(StateFix));
    return l;
  }
  void SetSite(core::MemAccess access) {
    Label& l = Site(access);
    LeaRip(rdx, l);
    mov(qword[r13 + kHotSite], rdx);
  }
  void JmpEpilogue() { jmp(reinterpret_cast<const void*>(stubs_.epilogue), T_NEAR); }

  // ---- out-of-line ops ----
  // What a call to ColdOp for instruction i must do around the call, decided where i is (the
  // call itself may be emitted later, out of line): operands held in registers go to their slots,
  // live caller-saved registers are saved and restored, and a result with a register reloaded.
  struct CallPlan {
    ValueId inst;
    std::vector<std::pair<ValueId, int>> args_in_regs;
    std::vector<std::pair<ValueId, int>> saves;
    int result_reg = -1;
    std::vector<StateFix> lazy;  // lazily written state to store first (codegen_lazy.cpp)
  };
  CallPlan PlanCall(ValueId i) const {
    CallPlan p;
    p.inst = i;
    p.lazy = LazyFixes();
    const ir::Inst& inst = b_.insts[i];
    for (unsigned k = 0; k < inst.NumArgs(); ++k) {
      ValueId a = alias_[inst.args[k]];
      if (reg_of_[a] >= 0) p.args_in_regs.push_back({a, reg_of_[a]});
    }
    p.saves = LiveCallerSaved(i);
    return p;
  }

  // Calls ColdOp for plan.inst; with_site: the site is set before the call (memory, helper).
  void Cold(const CallPlan& plan, bool with_site, core::MemAccess access = core::MemAccess::kRead) {
    const ValueId i = plan.inst;
    const ir::Inst& inst = b_.insts[i];
    ColdRec rec{};
    rec.op = inst.op;
    rec.type = inst.type;
    rec.lane = inst.lane;
    rec.aux = inst.aux;
    rec.imm = inst.imm;
    rec.nargs = static_cast<uint8_t>(inst.NumArgs());
    rec.dst = static_cast<uint32_t>(16 * i);
    for (unsigned k = 0; k < 3; ++k) {
      rec.arg_type[k] = k < rec.nargs ? TypeOf(inst.args[k]) : ir::Type::kVoid;
      rec.arg[k] = k < rec.nargs ? static_cast<uint32_t>(16 * R(inst.args[k])) : 0;
      if (k < rec.nargs) Materialize(inst.args[k]);
    }
    EmitLazyStores(plan.lazy);  // the call may leave the block (unsupported)
    for (auto [v, k] : plan.args_in_regs) mov(Slot(v), PoolReg(k));
    for (auto [v, k] : plan.saves) mov(Slot(v), PoolReg(k));
    Label& rl = AddRecord(&rec, sizeof rec);
    if (with_site) SetSite(access);
    LeaRip(rdi, rl);
    mov(rsi, r13);
    mov(rdx, rbx);
    // System mode: atomics through the soft MMU, the data TLB reloaded after helpers.
    mov(rax, reinterpret_cast<uint64_t>(owner_->system ? &SysColdOp : &ColdOp));
    call(rax);
    for (auto [v, k] : plan.saves) mov(PoolReg(k), Slot(v));
    if (plan.result_reg >= 0) mov(PoolReg(plan.result_reg), Slot(i));
    test(eax, eax);
    if (with_site) {
      jnz(reinterpret_cast<const void*>(stubs_.epilogue));
      return;
    }
    // ColdOp failed (unsupported): report it at this op's guest instruction.
    Label& site = Site(access);
    Label fail;
    jnz(fail, T_NEAR);
    deferred_.push_back([this, &site, fail]() mutable {
      L(fail);
      LeaRip(rdx, site);
      mov(qword[r13 + kHotSite], rdx);
      JmpEpilogue();
    });
  }
  void Cold(ValueId i, bool with_site, core::MemAccess access = core::MemAccess::kRead) {
    Cold(PlanCall(i), with_site, access);
  }

  // ---- per-op emission ----
  void Emit(ValueId i, const ir::Inst& inst);
  void EmitFaultStubs();
  void EmitGetReg(ValueId i, const ir::Inst& inst);
  void EmitSetReg(const ir::Inst& inst);
  void StoreField(int off, unsigned size, const Reg64& r);
  // Scalars written into 128-bit guest registers (codegen_widen.cpp).
  ValueId ZeroWidenedScalar(ValueId v) const;
  ValueId FpBitsSource(ValueId x) const;
  ValueId WidenedStoreSource(ValueId v) const;
  void NoteWidenedScalar(uint32_t off, ValueId v128);
  void FoldWidenedSetRegs();
  bool EmitWidenedSetReg(int off, ValueId v);
  bool EmitIntBinary(ValueId i, const ir::Inst& inst);
  bool EmitShift(ValueId i, const ir::Inst& inst);
  // Fusions on integer chains (codegen_fuse.cpp): shift+add as lea, load+sign extension.
  int LeaScale(ValueId shl, ir::Type t) const;
  void FuseIntegerChains();
  void MarkLooseTruncs();
  bool IsIdentity32(const ir::Inst& inst) const;
  bool IsSignExtended32(ValueId v, int depth) const;
  ValueId RedundantSExtSource(const ir::Inst& inst) const;
  // Nothing reads it and it has no effect: a pure op, or a GetReg (a carried one is loaded at the
  // loop's entry instead, EmitLoopEntry).
  bool Unread(ValueId i) const {
    return uses_[i] == 0 && (ir::Info(b_.insts[i].op).props == ir::kPure ||
                             b_.insts[i].op == Opcode::kGetReg);
  }
  void FuseFlagStores();
  void MarkFlagOnlySubs();
  ValueId StoredBits(ValueId v) const;
  bool EmitScaledAdd(ValueId i, const ir::Inst& inst);
  Xbyak::Operand::Code CmpCond(Opcode op) const;
  Xbyak::Operand::Code EmitCmpFlags(const ir::Inst& inst);  // the condition to test
  bool EmitWidth(ValueId i, const ir::Inst& inst);
  bool EmitSelect(ValueId i, const ir::Inst& inst);
  void EmitLoad(ValueId i, const ir::Inst& inst);
  void EmitStore(const ir::Inst& inst);
  bool EmitAtomicRmw(ValueId i, const ir::Inst& inst);
  bool EmitAtomicCas(ValueId i, const ir::Inst& inst);
  void EmitAccessChecks(const Reg64& a, unsigned size, bool aligned, core::MemAccess access);
  Reg64 AddressReg(ValueId v);
  void MarkAccess();
  // codegen_mmu.cpp: system mode loads and stores through the soft MMU's TLB.
  void EmitSysLoad(ValueId i, const ir::Inst& inst);
  void EmitSysStore(const ir::Inst& inst);
  void EmitSysAccessCount();
  void EmitTlbProbe(const Reg64& a, unsigned size, unsigned kind, const Label& slow);
  void EmitTlbEntry(const Reg64& a);
  void EmitLastBytePage(const Reg64& a, unsigned size);
  void EmitTlbHit(unsigned kind, const Label& slow);
  void PlanSiteCaches();
  int SiteCacheOff(ValueId i) const;
  void EmitDataProbe(ValueId i, const Reg64& a, unsigned size, unsigned kind, const Label& slow);
  void EmitSysAlignCheck(const Reg64& a, unsigned size, Label& site);
  void EmitSysFaultBranch(const Reg64& status, Label& site);
  bool EmitFpArith(ValueId i, const ir::Inst& inst);
  void EmitFpCompare(ValueId i, const ir::Inst& inst);
  // codegen_fp_arm.cpp: scalar FP under Arm's NaN rule, FMulAdd, FMin/FMax, FRound.
  void EmitFpResultCheck(bool d, bool min_normal, const Label& slow);
  bool EmitFMulAdd(ValueId i, const ir::Inst& inst);
  bool EmitFMinMax(ValueId i, const ir::Inst& inst);
  bool EmitFRound(ValueId i, const ir::Inst& inst);
  // codegen_vec*.cpp: v128 (and i128) values in their slots; vector ops on SSE.
  void LoadV(const Xbyak::Xmm& x, ValueId v);
  void StoreV(ValueId i, const Xbyak::Xmm& x);
  void LoadVConst(const Xbyak::Xmm& x, uint64_t lo, uint64_t hi);
  void LoadShuffle(const Xbyak::Xmm& x, const std::array<uint8_t, 16>& idx);
  bool EmitWideWidth(ValueId i, const ir::Inst& inst);
  bool EmitVecLanes(ValueId i, const ir::Inst& inst);
  bool EmitVecInt(ValueId i, const ir::Inst& inst);
  bool EmitVecMulWide(ValueId i, const ir::Inst& inst);
  bool EmitVecPopcount(ValueId i, const ir::Inst& inst);
  bool EmitVecPairAdd(ValueId i, const ir::Inst& inst);
  bool EmitVecBitwise(ValueId i, const ir::Inst& inst);
  bool EmitVecReduce(ValueId i, const ir::Inst& inst);
  void EmitVecFpResultCheck(bool d, bool min_normal, const Label& slow);
  bool EmitVecFp(ValueId i, const ir::Inst& inst);
  bool EmitVecFpCompare(ValueId i, const ir::Inst& inst);
  bool EmitVecFMinMax(ValueId i, const ir::Inst& inst);
  bool EmitVecIntToFp(ValueId i, const ir::Inst& inst);
  // codegen_bits.cpp: bit counts, byte and bit reversal, division and remainder.
  bool EmitBitOp(ValueId i, const ir::Inst& inst);
  bool FitsInByte(ValueId v) const;
  bool EmitDivRem(ValueId i, const ir::Inst& inst);
  // codegen_carry.cpp: AddCarry ... SbbOverflow and Parity as x86 flags; Concat.
  bool EmitCarryOp(ValueId i, const ir::Inst& inst);
  static bool HasCarryRow(Opcode op);  // an op EmitCarryOp emits inline (8 to 64-bit operands)
  bool EmitConcat(ValueId i, const ir::Inst& inst);
  // codegen_fp_env.cpp: the FP flags (kept in MXCSR) and the scalar conversions.
  void EmitFpGetFlags(ValueId i);
  void EmitFpSetFlags(ValueId i, const ir::Inst& inst);
  bool EmitFpConvert(ValueId i, const ir::Inst& inst);
  bool EmitRoundingGuard(uint32_t aux, bool rounds, const Label& slow);
  void EmitRoundingEntryCheck();
  // FpSetRound, and helpers that may write any of the state (not SetReg: fp_round is no field).
  static bool MayChangeRounding(const ir::Inst& inst) {
    return inst.op == Opcode::kFpSetRound ||
           (inst.op != Opcode::kSetReg && (ir::Info(inst.op).props & ir::kWritesState) != 0);
  }
  void LoadXmm(const Xbyak::Xmm& x, ValueId v);
  // The results of scalar FP ops stay in xmm4-xmm15 (codegen_fp_env.cpp): later FP ops read them
  // there rather than from the results' general registers, off the dependency chain.
  ValueId FpRoot(ValueId v) const;
  int XmmHolding(ValueId v) const;
  const Xbyak::Xmm& LoadFpOperands(ValueId a, ValueId b);
  void KeepFpResultInXmm(ValueId i);
  bool PreservesXmmCache(const ir::Inst& inst) const;
  void MarkFpOperands();
  void ClearXmmCache() { xmm_holds_.fill(ir::kNoValue); }
  void DeferColdSlowPath(ValueId i, Label slow, Label done);
  void SetCC(Xbyak::Operand::Code cond, const Xbyak::Operand& r);  // r (8 bits) = condition
  // An i1 result from a host condition: into its register, or straight into its guest state byte
  // (FuseFlagStores).
  void PutCondition(ValueId i, Xbyak::Operand::Code cond);
  // Host flags reuse (codegen_flags.cpp).
  struct HostFlags {
    bool valid = false;
    ValueId a = 0, b = 0;  // the flags of cmp a, b
    unsigned width = 0;    // 32 or 64
  };
  bool PreservesHostFlags(const ir::Inst& inst) const;
  bool LeavesHostFlags(const ir::Inst& inst) const;
  void NoteHostFlags(ValueId a, ValueId b, unsigned width);
  bool SameValue(ValueId x, ValueId y) const;
  bool FlagsMatch(ValueId a, ValueId b) const;
  bool ReuseHostFlags(const ir::Inst& inst, Xbyak::Operand::Code* cond);
  static Xbyak::Operand::Code SwappedCondOf(Opcode op);
  void JCC(Xbyak::Operand::Code cond, const Label& to);

  // An exit being emitted: its record and the labels its patch sites and link stubs get.
  struct PendingExit {
    ExitRec rec{};
    Label* record = nullptr;  // the record's label (in records_)
    Label patch_end[2];       // just after each direction's patchable jmp
    Label stub[2];            // each direction's link stub
    bool patchable[2] = {false, false};
  };
  // codegen_loop.cpp: a block that jumps to itself keeps guest registers in host registers
  // across its back edge.
  void PlanSelfLoop();
  void EmitLoopEntry();
  void EmitBackEdgeMoves();
  // Lazy state writes (codegen_lazy.cpp): elided SetRegs and a self-loop's write-back.
  bool ComputeLazyWritesAllowed() const;
  bool LazyWritesAllowed() const { return lazy_ok_; }
  bool MaySync(const ir::Inst& inst) const;
  bool OverlapsField(const ir::Inst& inst, uint32_t off, uint32_t size) const;
  void AddLazyRange(uint32_t off, uint32_t size, ValueId v, int from, int to);
  template <typename F>
  void ForEachOverwrittenSetReg(F overwritten);
  void DropQuietSetRegs();
  void PlanElidedSetRegs();
  void PlanLazyWriteBack();
  bool IsLazySet(ValueId i) const { return elided_[i] != 0; }
  // A self-loop's deferred flags (codegen_loop_flags.cpp).
  struct FlagOperand {
    uint32_t off = 0;
    uint8_t size = 0;  // bytes of the state field; 0: the constant `value`
    uint64_t value = 0;
    bool operator==(const FlagOperand&) const = default;  // unused members are 0
  };
  struct LoopFlag {
    uint32_t off;  // the i1 field
    bool is_const;
    uint8_t const_value;
    StateFix::FlagTest test;
    uint8_t width;  // 4 or 8: the test's operand size
    FlagOperand base;
    StateFix::FlagAdjust adjust;
    FlagOperand adj, q;
  };
  void PlanLoopFlags();
  bool PlanLoopFlag(ValueId f, uint32_t off, LoopFlag* out) const;
  bool FlagLeaf(ValueId v, FlagOperand* out) const;
  bool FlagTerm(ValueId v, LoopFlag* f) const;
  void AppendLoopFlagFixes(int at, std::vector<StateFix>* out) const;
  void EmitFlagFix(const StateFix* f, const StateFix* prev);
  std::vector<StateFix> LazyFixes() const;
  void EmitLazyStores(const std::vector<StateFix>& fixes);
  void EmitExitIf(const ir::Inst& inst);
  void EmitExit(const ir::Exit& e, uint64_t last_pc);
  void EmitBoundary(uint64_t target, PendingExit& pe, unsigned dir);
  void EmitIndirect(const ir::Exit& e, PendingExit& pe);
  void EmitSysIndirect(const ir::Exit& e, PendingExit& pe);  // codegen_mmu.cpp
  void EmitSysFarJump(uint64_t target);
  void EmitSysLookup();
  // A patchable jmp (or call) of direction `dir` (0: the exit's target, 1: its fallthrough),
  // unchained at first.
  void EmitPatchable(PendingExit& pe, unsigned dir, bool as_call);
  // Out of line at `leave`: the lazy stores `fixes`, then leave to Run for direction dir of pe.
  void DeferLeave(PendingExit& pe, unsigned dir, Label leave, std::vector<StateFix> fixes = {});
  void CallExitStub(const uint8_t* stub, PendingExit& pe);
  // Return prediction (codegen_exit.cpp): calls push, returns compare and `ret`.
  bool PredictsReturns(const ir::Exit& e) const;
  void EmitPushPrediction(uint64_t return_pc);
  void EmitCall(const ir::Exit& e, PendingExit& pe);
  void EmitPredictedReturn(const Label& lookup);
  PendingExit& NewExit(const ir::Exit& e, uint64_t last_pc);
  void FillExit(PendingExit& pe, uint8_t* at);

  // A guest register field's current value, as ForwardGuestRegisters tracks it.
  struct KnownField {
    uint32_t off, size;
    ir::Type type;
    ValueId v;
  };
  // A guest register a self-loop keeps in a host register: read at block entry (`get`), and
  // `next`, its value when the block jumps back to itself.
  struct Carried {
    ValueId get, next;
  };

  const ir::Block& b_;
  const ArenaStubs& stubs_;
  JBlock* owner_;
  Label entry_;
  Label loop_head_;  // after the self-loop's guest register loads: where its back edge jumps
  std::vector<KnownField>& end_known_;  // each field's value at the end of the block
  std::vector<uint8_t>& entry_read_;    // a GetReg reading the field's value at block entry
  std::vector<uint8_t>& pinned_;        // a GetReg loaded before loop_head_ (empty: none)
  std::vector<Carried>& carried_;
  // Between ops `from` and `to` (exclusive) the field at `off` holds `value`, not what the state
  // holds (codegen_lazy.cpp).
  struct LazyRange {
    uint32_t off;
    uint8_t size;
    ValueId value;
    int from, to;
  };
  std::vector<LazyRange>& lazy_;
  std::vector<uint8_t>& elided_;          // a SetReg not emitted: overwritten (quietly, or lazy_)
  std::vector<int32_t>& flag_store_off_;  // an i1 whose setcc may write this state byte, or -1
  std::vector<uint8_t>& flag_stored_;     // ... and did (its SetReg emits nothing)
  std::vector<uint8_t>& flags_only_;      // a Sub read only through its flags: a cmp, no value
  std::vector<uint8_t>& fp_operand_;      // an FpRoot an inline scalar FP op reads (MarkFpOperands)
  bool lazy_retired_ = false;  // a self-loop's back edge leaves CpuHeader::retired to the exits
  // The flag fields a self-loop leaves to its exits, and the first and last of their SetRegs.
  std::vector<LoopFlag> loop_flags_;
  int loop_flags_first_ = 0, loop_flags_last_ = 0;
  int retired_reg_ = -1;       // a self-loop's pool register holding CpuHeader::retired, or -1
  bool lazy_ok_ = false;       // LazyWritesAllowed, computed once (Analyze)
  // fp_round was found to be a mode MXCSR has at the block's entry and nothing since may have
  // changed it (EmitRoundingEntryCheck): ops of dynamic mode need no check of their own.
  bool fp_round_checked_ = false;
  // The scalar FP value (FpRoot) each of xmm4-xmm15 holds here in the block's straight-line code:
  // results of inline FP ops, kept through the ops PreservesXmmCache names; kNoValue if none.
  static constexpr int kXmmCacheFirst = 4;
  std::array<ValueId, 16> xmm_holds_{};
  int xmm_next_ = kXmmCacheFirst;     // round robin when every register holds a live value
  ValueId xmm_kept_ = ir::kNoValue;  // the op that last put its result there
  int trunc32_ = 0;            // truncations to i32 in the block (MarkLooseTruncs has work)
  // System-mode self-loops: the accesses with a one-page translation cache of their own in the
  // frame (codegen_mmu.cpp, PlanSiteCaches).
  static constexpr int kMaxSiteCaches = 8;
  std::array<ValueId, kMaxSiteCaches> cached_sites_{};
  int num_cached_sites_ = 0;
  std::vector<uint32_t>& uses_;
  std::vector<uint8_t>& fused_;
  std::vector<uint8_t>& redundant_;     // an ExitIf repeating an earlier one's compare
  std::vector<ValueId>& sext_of_load_;  // a load's only reader, a SExt emitted with it
  std::vector<uint32_t>& low_reads_;    // MarkLooseTruncs: readers of only the low 32 bits
  std::vector<uint8_t>& loose_;         // read only for its low 32 bits (upper ones may be stale)
  std::vector<int>& fused_at_;   // where a fused compare's operands are read (its exit's index)
  std::vector<ValueId>& alias_;  // a forwarded GetReg's value, else the value itself
  std::vector<int>& last_use_;   // index of the last reader (block size for exits), -1 if none
  std::vector<int8_t>& reg_of_;  // pool register of a value, -1 if none
  ValueId holder_[kPoolSize] = {ir::kNoValue, ir::kNoValue, ir::kNoValue,
                                ir::kNoValue, ir::kNoValue, ir::kNoValue,
                                ir::kNoValue, ir::kNoValue, ir::kNoValue};
  ValueId cur_ = 0;
  LabelTable& labels_;
  HostFlags host_flags_, flags_in_;  // after the op being emitted; as the op before left them
  bool deferred_mode_ = false;
  std::deque<Record>& records_;
  std::deque<PendingExit>& exits_;
  std::vector<InlineFn>& deferred_;
  std::vector<uint8_t>& record_data_;  // the records' bytes (Record::data)
  Label oob_, misaligned_;
  std::deque<Label>& far_;  // per-access stubs and access marks
  Label* cur_access_site_ = nullptr;
  std::vector<std::pair<Label*, Label*>>& access_marks_;  // (access instruction, its site)
  std::vector<std::pair<uint32_t, uint32_t>>& written_;   // ForwardGuestRegisters' SetRegs so far
  std::vector<int>& next_touch_;  // PlanElidedSetRegs: per state byte, the next op touching it
  // DropQuietSetRegs: SetRegs overwritten (first) by a later one (second) with something between
  // that may look at the state, for PlanElidedSetRegs.
  std::vector<std::pair<int, int>>& overwritten_;
  EncodingMemo& memo_;
  bool oob_used_ = false, misaligned_used_ = false;
  bool sys_counted_ = false;  // system mode: the block's accesses are counted (EmitSysAccessCount)
  uint64_t cur_pc_ = 0, last_pc_ = 0;
  uint32_t cur_ordinal_ = 0;

 public:
  // The compiler's per-block tables and lists, kept from one block to the next (per thread, see
  // CompileBlock) so that they keep their capacity: a translation then allocates little
  // (docs/jit.md, "Translation time").
  struct Scratch {
    std::vector<KnownField> end_known;
    std::vector<uint8_t> entry_read;
    std::vector<uint8_t> pinned;
    std::vector<Carried> carried;
    std::vector<LazyRange> lazy;
    std::vector<uint8_t> elided;
    std::vector<int32_t> flag_store_off;
    std::vector<uint8_t> flags_only;
    std::vector<uint8_t> fp_operand;
    std::vector<uint8_t> flag_stored;
    std::vector<uint32_t> uses;
    std::vector<uint8_t> fused;
    std::vector<uint8_t> redundant;
    std::vector<ValueId> sext_of_load;
    std::vector<uint32_t> low_reads;
    std::vector<uint8_t> loose;
    std::vector<int> fused_at;
    std::vector<ValueId> alias;
    std::vector<int> last_use;
    std::vector<int8_t> reg_of;
    LabelTable labels;
    std::deque<Record> records;
    std::deque<PendingExit> exits;
    std::vector<InlineFn> deferred;
    std::vector<uint8_t> record_data;
    std::deque<Label> far;
    std::vector<std::pair<Label*, Label*>> access_marks;
    std::vector<std::pair<uint32_t, uint32_t>> written;
    std::vector<int> next_touch;
    std::vector<std::pair<int, int>> overwritten;
    EncodingMemo memo;  // kept from block to block
    void Clear() {
      end_known.clear();
      entry_read.clear();
      pinned.clear();
      carried.clear();
      lazy.clear();
      elided.clear();
      flag_store_off.clear();
      flag_stored.clear();
      uses.clear();
      fused.clear();
      redundant.clear();
      sext_of_load.clear();
      low_reads.clear();
      loose.clear();
      fused_at.clear();
      alias.clear();
      last_use.clear();
      reg_of.clear();
      labels.clear();
      records.clear();
      exits.clear();
      deferred.clear();
      record_data.clear();
      far.clear();
      access_marks.clear();
      written.clear();
      next_touch.clear();
      overwritten.clear();
    }
  };
};

}  // namespace polyvm::engine::jit::detail
