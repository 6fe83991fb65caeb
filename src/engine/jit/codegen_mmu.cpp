// System mode loads, stores and indirect exits (docs/jit.md, "System mode"). Loads and stores:
// the soft MMU's TLB hit test inline, everything else (a miss, MMIO, a write to a page holding
// code, an access crossing a page) out of line through the arena's shared stub for the access's
// kind and size (codegen_shared_stubs.cpp), which calls SysLoad/SysStore (system_mem.cpp). A guest
// fault there leaves with Status::kMmuFault at the access's site, the guest state exact before its
// instruction.
//
// The inline test, for an access of `size` bytes at va (rcx, rdx scratch; the address register is
// left intact for the slow path):
//
//   rcx = ((va >> 7) & (1023 << 5)) + hot.sys_data_tlb    the entry of va's page, kind 0
//   rdx = (va + size - 1) & ~0xfff                        the page of the access's last byte
//   cmp rdx, [rcx + kind * 32768 + tag]; jne slow         a miss, a flag bit, or a crossing
//   rcx = [rcx + kind * 32768 + addend]                   the access is then at [rcx + va]
//
// The last byte's page equals the entry's tag only if the whole access is in va's page (the entry
// of va's index never holds the next page), so one compare covers the crossing test too.
//
// In a self-loop, each access (up to kMaxSiteCaches) has a cache of its own, of one page: the tag
// and addend of its last TLB hit, in the frame past the block's value slots, emptied at the loop's
// entry. Its test is
//
//   rdx = (va + size - 1) & ~0xfff; cmp rdx, [site tag]; jne refill; rcx = [site addend]
//
// with nothing on the path from va to the access but the access itself (the TLB probe's index
// computation and the entry's load were 7 cycles on a loop-carried address: the boot workload's
// CRC loop). The refill, out of line, is the TLB probe above, which fills the site's cache on a
// hit and goes to the slow path otherwise. A cached translation stays right while the loop runs:
// only the loop's own code runs, and loops with ops that may change the MMU's state (helpers:
// CSR writes, sfence.vma) do not get site caches (LazyWritesAllowed); a TLB flush from another
// hart, an interrupt, or another vCPU translating code in a page (whose write entries must then
// be marked) raises the interrupt or attention flag, which the back edge tests, leaving the loop.
#include <bit>

#include "compiler.h"
#include "polyvm/mem/tlb.h"
#include "system_mem.h"
#include "system_run.h"

namespace polyvm::engine::jit::detail {

namespace {

constexpr int kHotDataTlb = static_cast<int>(offsetof(JitHot, sys_data_tlb));
constexpr int kHotMmuAccesses = static_cast<int>(offsetof(JitHot, mmu_accesses));
constexpr int kKindBytes = static_cast<int>(sizeof(mem::TlbEntry) * mem::kTlbEntries);
constexpr int kTagOff = static_cast<int>(offsetof(mem::TlbEntry, tag));
constexpr int kAddendOff = static_cast<int>(offsetof(mem::TlbEntry, addend));
static_assert(sizeof(mem::TlbEntry) == 32 && mem::kTlbEntries <= 4096 && mem::kTlbPageBits == 12,
              "the inline probe's shift and mask");
static_assert(offsetof(mem::TlbSet, entries) == 0);

}  // namespace

void Compiler::EmitSysAccessCount() {
  if (sys_counted_ || deferred_mode_ || !owner_->count_accesses) return;
  sys_counted_ = true;
  uint32_t n = 0;
  for (const ir::Inst& inst : b_.insts) n += inst.op == Opcode::kLoad || inst.op == Opcode::kStore;
  add(qword[r13 + kHotMmuAccesses], static_cast<int>(n));
}

// The probe above; jumps to `slow` on anything but a plain hit, leaves the page's addend in rcx
// (the host address is rcx + a: the access adds it in its addressing mode).
void Compiler::EmitTlbProbe(const Reg64& a, unsigned size, unsigned kind, const Label& slow) {
  const int base = static_cast<int>(kind) * kKindBytes;
  Memoized(MemoKey(MemoTag::kTlbProbe, a.getIdx() | size << 4 | kind << 12), [&] {
    EmitTlbEntry(a);
    EmitLastBytePage(a, size);
    cmp(rdx, qword[rcx + (base + kTagOff)]);
  });
  jne(slow, T_NEAR);
  Memoized(MemoKey(MemoTag::kTlbAddend, kind),
           [&] { mov(rcx, qword[rcx + (base + kAddendOff)]); });
}

// The probe's parts: rcx = the data TLB entry of a's page (kind 0); rdx = the page of the access's
// last byte; then the tag compare (to `slow`) and rcx = the page's addend.
void Compiler::EmitTlbEntry(const Reg64& a) {
  mov(rcx, a);
  shr(rcx, 7);
  and_(ecx, (mem::kTlbEntries - 1) << 5);
  add(rcx, qword[r13 + kHotDataTlb]);
}

void Compiler::EmitLastBytePage(const Reg64& a, unsigned size) {
  if (size == 1) {
    mov(rdx, a);
  } else {
    lea(rdx, ptr[a + static_cast<int>(size - 1)]);
  }
  and_(rdx, static_cast<int32_t>(mem::kTlbPageMask));
}

void Compiler::EmitTlbHit(unsigned kind, const Label& slow) {
  const int base = static_cast<int>(kind) * kKindBytes;
  cmp(rdx, qword[rcx + (base + kTagOff)]);
  jne(slow, T_NEAR);
  mov(rcx, qword[rcx + (base + kAddendOff)]);
}

// Which accesses of a system-mode self-loop get a site cache (see the top).
void Compiler::PlanSiteCaches() {
  if (!owner_->system || retired_reg_ < 0 || deferred_mode_ || !LazyWritesAllowed()) return;
  const auto n = static_cast<ValueId>(b_.insts.size());
  for (ValueId i = 0; i < n && num_cached_sites_ < kMaxSiteCaches; ++i) {
    const ir::Inst& inst = b_.insts[i];
    if (inst.op != Opcode::kLoad && inst.op != Opcode::kStore) continue;
    const ir::Type t = inst.op == Opcode::kLoad ? inst.type : TypeOf(inst.args[1]);
    if (ir::ByteSize(t) > 8) continue;  // 16-byte accesses take the slow path
    if (n + static_cast<ValueId>(num_cached_sites_) + 1 > kFrameBytes / 16) return;
    cached_sites_[num_cached_sites_++] = i;
  }
}

// The frame offset of access i's site cache (tag, then addend), or -1.
int Compiler::SiteCacheOff(ValueId i) const {
  for (int k = 0; k < num_cached_sites_; ++k) {
    if (cached_sites_[k] == i) {
      return kFrameOff + 16 * static_cast<int>(b_.insts.size() + static_cast<size_t>(k));
    }
  }
  return -1;
}

// The TLB probe, or for an access with a site cache its test (see the top). Either leaves the
// page's addend in rcx or jumps to `slow`.
void Compiler::EmitDataProbe(ValueId i, const Reg64& a, unsigned size, unsigned kind,
                             const Label& slow) {
  const int off = SiteCacheOff(i);
  if (off < 0) {
    EmitTlbProbe(a, size, kind, slow);
    return;
  }
  Label refill, hit;
  labels_.Declare(slow);  // the caller's copy and the one the refill jumps to: one label
  EmitLastBytePage(a, size);
  cmp(rdx, qword[r13 + off]);
  jne(refill, T_NEAR);
  mov(rcx, qword[r13 + (off + 8)]);
  L(hit);
  deferred_.push_back([this, refill, hit, slow, a, kind, off]() mutable {
    L(refill);  // rdx: the page of the access's last byte
    EmitTlbEntry(a);
    EmitTlbHit(kind, slow);
    mov(qword[r13 + off], rdx);
    mov(qword[r13 + (off + 8)], rcx);
    jmp(hit, T_NEAR);
  });
}

// Alignment (MemFlags::aligned) first, as the interpreter does; a failure reports this site.
void Compiler::EmitSysAlignCheck(const Reg64& a, unsigned size, Label& site) {
  far_.emplace_back();
  Label& l = far_.back();
  test(a.cvt32(), size - 1);
  jnz(l, T_NEAR);
  misaligned_used_ = true;
  Reg64 src = a;
  deferred_.push_back([this, &l, &site, src, fixes = LazyFixes()]() {
    L(l);
    EmitLazyStores(fixes);  // codegen_lazy.cpp; rdx only
    if (src.getIdx() != rax.getIdx()) mov(rax, src);
    LeaRip(rdx, site);
    mov(qword[r13 + kHotSite], rdx);
    jmp(misaligned_, T_NEAR);
  });
}

// Out of line: the thunk returned a status in `status` (non-zero: the access faulted).
void Compiler::EmitSysFaultBranch(const Reg64& status, Label& site) {
  Label fault;
  test(status.cvt32(), status.cvt32());
  jnz(fault, T_NEAR);
  deferred_.push_back([this, fault, &site]() mutable {
    L(fault);
    LeaRip(rdx, site);
    mov(qword[r13 + kHotSite], rdx);
    mov(eax, static_cast<uint32_t>(Status::kMmuFault));
    JmpEpilogue();
  });
}

void Compiler::EmitSysLoad(ValueId i, const ir::Inst& inst) {
  const unsigned size = ir::ByteSize(inst.type);
  const Reg64 a = AddressReg(inst.args[0]);
  Label& site = Site(core::MemAccess::kRead);
  EmitSysAccessCount();
  if (ir::MemFlags::Decode(inst.aux).aligned && size > 1) EmitSysAlignCheck(a, size, site);
  if (size == 16) {               // no RISC-V instruction makes one: always the slow path
    const std::vector<std::pair<ValueId, int>> saves = LiveCallerSaved(i);
    EmitLazyStores(LazyFixes());  // the call may fault: the state exact first
    for (auto [v, k] : saves) mov(Slot(v), PoolReg(k));
    mov(rsi, a);
    mov(rdi, r13);
    lea(rdx, ptr[SlotAddr(i)]);
    mov(rax, reinterpret_cast<uint64_t>(&SysLoad16));
    call(rax);
    for (auto [v, k] : saves) mov(PoolReg(k), Slot(v));
    EmitSysFaultBranch(rax, site);
    return;
  }
  // The load's only reader, a SExt, is emitted with it (codegen_fuse.cpp): its value is defined
  // here, sign-extended by the load (and by the slow path below).
  const ValueId sext = sext_of_load_[i];
  const ValueId out = sext != ir::kNoValue ? sext : i;
  const bool to64 = sext != ir::kNoValue && b_.insts[sext].type == ir::Type::kI64;
  const Reg64 d = Def(out);
  Label slow, done;
  EmitDataProbe(i, a, size, mem::kTlbRead, slow);
  const uint64_t key = d.getIdx() | a.getIdx() << 4 | size << 8 |
                       (sext != ir::kNoValue ? 1u << 16 : 0) | (to64 ? 1u << 17 : 0);
  Memoized(MemoKey(MemoTag::kSysLoad, key), [&] {
    if (sext != ir::kNoValue) {
      switch (size) {
        case 1: to64 ? movsx(d, byte[rcx + a]) : movsx(d.cvt32(), byte[rcx + a]); break;
        case 2: to64 ? movsx(d, word[rcx + a]) : movsx(d.cvt32(), word[rcx + a]); break;
        default: to64 ? movsxd(d, dword[rcx + a]) : mov(d.cvt32(), dword[rcx + a]); break;
      }
    } else {
      switch (size) {
        case 1: movzx(d.cvt32(), byte[rcx + a]); break;
        case 2: movzx(d.cvt32(), word[rcx + a]); break;
        case 4: mov(d.cvt32(), dword[rcx + a]); break;
        default: mov(d, qword[rcx + a]); break;
      }
    }
  });
  L(done);
  Put(out, d);  // extended by the load above, and by the slow path below
  deferred_.push_back([this, slow, done, a, d, size, to64, sext, &site,
                       fixes = LazyFixes()]() mutable {
    L(slow);
    EmitLazyStores(fixes);  // the access may fault: the state exact first (rdx only)
    if (a.getIdx() != rax.getIdx()) mov(rax, a);
    LeaRip(rcx, site);
    CallAt(stubs_.sys_load[std::countr_zero(size)]);  // value in rax
    if (sext != ir::kNoValue) {
      switch (size) {
        case 1: to64 ? movsx(d, al) : movsx(d.cvt32(), al); break;
        case 2: to64 ? movsx(d, ax) : movsx(d.cvt32(), ax); break;
        default: to64 ? movsxd(d, eax) : mov(d.cvt32(), eax); break;
      }
    } else {
      switch (size) {  // an MMIO read's bits above its size are the device's business
        case 1: movzx(d.cvt32(), al); break;
        case 2: movzx(d.cvt32(), ax); break;
        case 4: mov(d.cvt32(), eax); break;
        default:
          if (d.getIdx() != rax.getIdx()) mov(d, rax);
          break;
      }
    }
    jmp(done, T_NEAR);
  });
}

void Compiler::EmitSysStore(const ir::Inst& inst) {
  const ValueId v = inst.args[1];
  const unsigned size = ir::ByteSize(TypeOf(v));
  const ir::MemFlags f = ir::MemFlags::Decode(inst.aux);
  if (size == 16) Materialize(v);
  const Reg64 a = AddressReg(inst.args[0]);
  Label& site = Site(core::MemAccess::kWrite);
  EmitSysAccessCount();
  if (f.aligned && size > 1) EmitSysAlignCheck(a, size, site);
  // The value where it is now: a constant, a pool register or its slot (all still valid out of
  // line, where the register assignment of this point is captured here).
  const bool is_const = IsConst(v);
  const uint64_t bits = is_const ? ConstBits(v) : 0;
  const bool in_reg = !is_const && InReg(v);
  const Reg64 vr = in_reg ? RegOf(v) : rdx;
  const Xbyak::Address vslot = Slot(v);
  if (size == 16) {
    const std::vector<std::pair<ValueId, int>> saves = LiveCallerSaved(cur_);
    EmitLazyStores(LazyFixes());  // the call may fault: the state exact first
    for (auto [s, k] : saves) mov(Slot(s), PoolReg(k));
    mov(rsi, a);
    mov(rdi, r13);
    lea(rdx, ptr[SlotAddr(v)]);
    mov(rax, reinterpret_cast<uint64_t>(&SysStore16));
    call(rax);
    for (auto [s, k] : saves) mov(PoolReg(k), Slot(s));
    EmitSysFaultBranch(rax, site);
    return;
  }
  Label slow, done;
  EmitDataProbe(cur_, a, size, mem::kTlbWrite, slow);
  int32_t imm;
  if (Imm32(v, 8 * size, &imm)) {
    const uint64_t key = a.getIdx() | size << 4 | uint64_t{static_cast<uint32_t>(imm)} << 16;
    Memoized(MemoKey(MemoTag::kSysStoreImm, key), [&] {
      switch (size) {
        case 1: mov(byte[rcx + a], imm & 0xff); break;
        case 2: mov(word[rcx + a], imm & 0xffff); break;
        case 4: mov(dword[rcx + a], imm); break;
        default: mov(qword[rcx + a], imm); break;
      }
    });
  } else {
    const Reg64 r = vr;
    if (!in_reg) Load(rdx, v);
    Memoized(MemoKey(MemoTag::kSysStore, r.getIdx() | a.getIdx() << 4 | size << 8), [&] {
      switch (size) {
        case 1: mov(byte[rcx + a], r.cvt8()); break;
        case 2: mov(word[rcx + a], r.cvt16()); break;
        case 4: mov(dword[rcx + a], r.cvt32()); break;
        default: mov(qword[rcx + a], r); break;
      }
    });
  }
  L(done);
  // x86 is TSO: a sequentially consistent store only needs StoreLoad ordering after it.
  if (f.order == ir::MemOrder::kSeqCst) mfence();
  deferred_.push_back([this, slow, done, a, size, &site, is_const, bits, in_reg, vr, vslot,
                       fixes = LazyFixes()]() mutable {
    L(slow);
    EmitLazyStores(fixes);  // the access may fault: the state exact first (rdx only)
    if (a.getIdx() != rax.getIdx()) mov(rax, a);
    if (is_const) {
      MovImm(rdx, bits);
    } else if (in_reg) {
      mov(rdx, vr);
    } else {
      mov(rdx, vslot);
    }
    LeaRip(rcx, site);
    CallAt(stubs_.sys_store[std::countr_zero(size)]);
    jmp(done, T_NEAR);
  });
}

// An indirect exit, and a direct exit to another virtual page than the block's (never chained in
// system mode: the target's key depends on that page's translation): the arena's shared lookup
// (codegen_shared_stubs.cpp) tests for a pending interrupt and finds the target's code, and the
// jump to it is the site's own (each indirect jump predicted on its own).
void Compiler::EmitSysIndirect(const ir::Exit& e, PendingExit& pe) {
  Load(rax, e.value);
  if (pe.rec.insn_count != 0) add(qword[rbx + kStRetired], static_cast<int>(pe.rec.insn_count));
  EmitSysLookup();
}

void Compiler::EmitSysFarJump(uint64_t target) {
  MovImm(rax, target);
  EmitSysLookup();
}

void Compiler::EmitSysLookup() {
  CallAt(stubs_.sys_lookup);
  jmp(qword[rcx + 8]);
}

}  // namespace polyvm::engine::jit::detail
