// The out-of-line memory paths of system-mode JIT code (see system_mem.h).
#include "system_mem.h"

#include <cstring>

#include "cold_ops.h"
#include "polyvm/engine/common/host_atomics.h"
#include "polyvm/ir/opcode.h"
#include "polyvm/ir/type.h"
#include "polyvm/mem/soft_mmu.h"

namespace polyvm::engine::jit {

namespace {

mem::SoftMmu& MmuOf(JitHot* hot) { return *static_cast<mem::SoftMmu*>(hot->sys_mmu); }

uint64_t Fault(JitHot* hot, const mem::MmuFault& f) {
  hot->fault_addr = f.vaddr;
  hot->mmu_fault_access = static_cast<uint32_t>(f.access);
  hot->mmu_access_fault = f.kind == mem::WalkFault::kAccessFault ? 1 : 0;
  return static_cast<uint64_t>(Status::kMmuFault);
}

// The inline hit test of the TLB (tlb.h), for atomics.
uint8_t* TlbHost(JitHot* hot, unsigned kind, uint64_t va, unsigned size) {
  const auto* tlb = static_cast<const mem::TlbSet*>(hot->sys_data_tlb);
  const mem::TlbEntry& e = tlb->entries[kind][mem::TlbSet::Index(va)];
  if (e.tag == (va & mem::kTlbPageMask) && (va & ~mem::kTlbPageMask) + size <= mem::kTlbPageSize) {
    return reinterpret_cast<uint8_t*>(va + e.addend);
  }
  return nullptr;
}

uint64_t ReadSlot(const uint8_t* frame, uint32_t off) {
  uint64_t v;
  std::memcpy(&v, frame + off, 8);
  return v;
}

void WriteSlot(uint8_t* frame, uint32_t off, uint64_t v, ir::Type t) {
  unsigned bits = ir::BitWidth(t);
  if (bits < 64) v &= (uint64_t{1} << bits) - 1;
  std::memcpy(frame + off, &v, 8);
}

template <class U>
uint32_t AtomicAt(const ColdRec& r, JitHot* hot, core::CpuHeader* st) {
  uint8_t* frame = hot->frame;
  const uint64_t va = ReadSlot(frame, r.arg[0]);
  bool armed = true;
  U expected{};
  if (r.op == ir::Opcode::kStoreCond) {  // the monitor is disarmed before anything can fail
    armed = st->excl_addr == va && st->excl_size == sizeof(U);
    expected = static_cast<U>(st->excl_value[0]);
    st->excl_addr = core::kNoReservation;
    st->excl_size = 0;
  }
  if ((va & (sizeof(U) - 1)) != 0) {
    hot->fault_addr = va;
    return static_cast<uint32_t>(Status::kMisaligned);
  }
  if (!armed) {
    WriteSlot(frame, r.dst, 0, r.type);
    return 0;
  }
  hot->mmu_accesses.store(hot->mmu_accesses.load(std::memory_order_relaxed) + 1,
                          std::memory_order_relaxed);
  const core::MemAccess access =
      r.op == ir::Opcode::kLoadLinked ? core::MemAccess::kRead : core::MemAccess::kWrite;
  uint8_t* p = TlbHost(hot, access == core::MemAccess::kRead ? mem::kTlbRead : mem::kTlbWrite, va,
                       sizeof(U));
  if (p == nullptr) {
    mem::MmuFault f;
    p = MmuOf(hot).AtomicPointer(va, sizeof(U), access, &f);
    if (p == nullptr) return static_cast<uint32_t>(Fault(hot, f));
  }
  switch (r.op) {
    case ir::Opcode::kAtomicRmw: {
      U old =
          HostRmw<U>(p, static_cast<U>(ReadSlot(frame, r.arg[1])), ir::MemFlags::Decode(r.aux).rmw);
      WriteSlot(frame, r.dst, old, r.type);
      return 0;
    }
    case ir::Opcode::kAtomicCas: {
      U exp = static_cast<U>(ReadSlot(frame, r.arg[1]));
      HostCas<U>(p, exp, static_cast<U>(ReadSlot(frame, r.arg[2])));
      WriteSlot(frame, r.dst, exp, r.type);
      return 0;
    }
    case ir::Opcode::kLoadLinked: {
      U v;
      std::memcpy(&v, p, sizeof(U));
      st->excl_addr = va;
      st->excl_size = sizeof(U);
      st->excl_value[0] = v;
      st->excl_value[1] = 0;
      WriteSlot(frame, r.dst, v, r.type);
      return 0;
    }
    default: {  // kStoreCond
      bool ok = HostCas<U>(p, expected, static_cast<U>(ReadSlot(frame, r.arg[1])));
      WriteSlot(frame, r.dst, ok ? 1 : 0, r.type);
      return 0;
    }
  }
}

}  // namespace

SysLoadResult SysLoad(JitHot* hot, uint64_t va, uint64_t size) {
  uint64_t v = 0;
  if (mem::MmuFault f = MmuOf(hot).Load(va, static_cast<unsigned>(size), &v))
    return {0, Fault(hot, f)};
  return {v, 0};
}

uint64_t SysStore(JitHot* hot, uint64_t va, uint64_t value, uint64_t size) {
  if (mem::MmuFault f = MmuOf(hot).Store(va, static_cast<unsigned>(size), value)) {
    return Fault(hot, f);
  }
  return 0;
}

uint64_t SysLoad16(JitHot* hot, uint64_t va, uint8_t* out) {
  uint64_t lo = 0, hi = 0;
  mem::SoftMmu& mmu = MmuOf(hot);
  if (mem::MmuFault f = mmu.Load(va, 8, &lo)) return Fault(hot, f);
  if (mem::MmuFault f = mmu.Load(va + 8, 8, &hi)) return Fault(hot, f);
  std::memcpy(out, &lo, 8);
  std::memcpy(out + 8, &hi, 8);
  return 0;
}

uint64_t SysStore16(JitHot* hot, uint64_t va, const uint8_t* in) {
  uint64_t lo, hi;
  std::memcpy(&lo, in, 8);
  std::memcpy(&hi, in + 8, 8);
  mem::SoftMmu& mmu = MmuOf(hot);
  mem::MmuFault f;
  // Both halves translated first, so a fault writes nothing.
  if (mmu.Refill(va, core::MemAccess::kWrite, &f) == nullptr ||
      mmu.Refill(va + 15, core::MemAccess::kWrite, &f) == nullptr) {
    return Fault(hot, f);
  }
  if ((f = mmu.Store(va, 8, lo)) || (f = mmu.Store(va + 8, 8, hi))) return Fault(hot, f);
  return 0;
}

uint32_t SysColdOp(const ColdRec* rec, JitHot* hot, core::CpuHeader* st) {
  const ColdRec& r = *rec;
  switch (r.op) {
    case ir::Opcode::kAtomicRmw:
    case ir::Opcode::kAtomicCas:
    case ir::Opcode::kLoadLinked:
    case ir::Opcode::kStoreCond: {
      ir::Type t = r.op == ir::Opcode::kStoreCond ? r.arg_type[1] : r.type;
      switch (t) {
        case ir::Type::kI8: return AtomicAt<uint8_t>(r, hot, st);
        case ir::Type::kI16: return AtomicAt<uint16_t>(r, hot, st);
        case ir::Type::kI32: return AtomicAt<uint32_t>(r, hot, st);
        case ir::Type::kI64: return AtomicAt<uint64_t>(r, hot, st);
        default: return static_cast<uint32_t>(Status::kUnsupported);  // no 16-byte atomics here
      }
    }
    case ir::Opcode::kCallHelper: {
      uint32_t s = ColdOp(rec, hot, st);
      mem::SoftMmu& mmu = MmuOf(hot);
      hot->sys_data_tlb = &mmu.data_tlb();
      hot->sys_fetch_tlb = &mmu.fetch_tlb();
      hot->sys_fetch_ctx = mmu.fetch_context();
      return s;
    }
    default: return ColdOp(rec, hot, st);
  }
}

}  // namespace polyvm::engine::jit
