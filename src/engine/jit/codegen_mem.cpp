// Emission of guest loads and stores: the address is checked against the per-size bound (one
// unsigned compare) and, for aligned accesses, its alignment; the memory site is recorded first so
// that a host fault in the access is reported at its guest instruction.
#include "compiler.h"

namespace polyvm::engine::jit::detail {

namespace {
int Log2Size(unsigned size) {
  switch (size) {
    case 1: return 0;
    case 2: return 1;
    case 4: return 2;
    case 8: return 3;
    default: return 4;
  }
}

// The guest memory at a (1 to 8 bytes), and register r at that size, for the atomics.
Xbyak::Address GuestAt(const Xbyak::Reg64& a, unsigned size) {
  using namespace Xbyak::util;  // NOLINT
  switch (size) {
    case 1: return byte[r12 + a];
    case 2: return word[r12 + a];
    case 4: return dword[r12 + a];
    default: return qword[r12 + a];
  }
}
Xbyak::Reg Sized(const Xbyak::Reg64& r, unsigned size) {
  switch (size) {
    case 1: return r.cvt8();
    case 2: return r.cvt16();
    case 4: return r.cvt32();
    default: return r;
  }
}
}  // namespace

// Checks the guest address in `a` (rax or a pool register). The failure stubs are per access:
// they record its site and move the address to rax for the shared fault exits.
void Compiler::EmitAccessChecks(const Reg64& a, unsigned size, bool aligned,
                                core::MemAccess access) {
  Label& site = Site(access);
  cur_access_site_ = &site;
  auto stub = [&](Label& exit) -> Label& {
    far_.emplace_back();
    Label& l = far_.back();
    Reg64 src = a;
    deferred_.push_back([this, &l, &exit, &site, src, fixes = LazyFixes()]() {
      L(l);
      EmitLazyStores(fixes);  // codegen_lazy.cpp; rdx only
      if (src.getIdx() != rax.getIdx()) mov(rax, src);
      LeaRip(rdx, site);
      mov(qword[r13 + kHotSite], rdx);
      jmp(exit, T_NEAR);
    });
    return l;
  };
  if (aligned && size > 1) {
    test(a.cvt32(), size - 1);
    jnz(stub(misaligned_), T_NEAR);
    misaligned_used_ = true;
  }
  cmp(a, qword[r13 + (kHotLim + 8 * Log2Size(size))]);
  jae(stub(oob_), T_NEAR);
  oob_used_ = true;
}

// Marks the next instruction as the access whose site EmitAccessChecks made (for host faults).
void Compiler::MarkAccess() {
  far_.emplace_back();
  Label& l = far_.back();
  L(l);
  access_marks_.push_back({&l, cur_access_site_});
}

void Compiler::EmitFaultStubs() {
  if (oob_used_) {
    L(oob_);
    mov(qword[r13 + kHotFaultAddr], rax);
    mov(eax, static_cast<uint32_t>(Status::kOutOfRange));
    JmpEpilogue();
  }
  if (misaligned_used_) {
    L(misaligned_);
    mov(qword[r13 + kHotFaultAddr], rax);
    mov(eax, static_cast<uint32_t>(Status::kMisaligned));
    JmpEpilogue();
  }
}

// The guest address: its pool register, or loaded into rax.
Reg64 Compiler::AddressReg(ValueId v) {
  if (InReg(v)) return RegOf(v);
  Load(rax, v);
  return rax;
}

void Compiler::EmitLoad(ValueId i, const ir::Inst& inst) {
  if (owner_->system) return EmitSysLoad(i, inst);  // codegen_mmu.cpp
  const unsigned size = ir::ByteSize(inst.type);
  const Reg64 a = AddressReg(inst.args[0]);
  EmitAccessChecks(a, size, ir::MemFlags::Decode(inst.aux).aligned, core::MemAccess::kRead);
  if (size == 16) {
    MarkAccess();
    movups(xmm0, ptr[r12 + a]);
    movups(ptr[SlotAddr(i)], xmm0);
    return;
  }
  const ValueId sext = sext_of_load_[i];  // the load's only reader, emitted here (codegen_fuse.cpp)
  if (sext != ir::kNoValue) {
    const Reg64 d = Def(sext);
    const bool to64 = b_.insts[sext].type == ir::Type::kI64;
    MarkAccess();
    switch (size) {
      case 1: to64 ? movsx(d, byte[r12 + a]) : movsx(d.cvt32(), byte[r12 + a]); break;
      case 2: to64 ? movsx(d, word[r12 + a]) : movsx(d.cvt32(), word[r12 + a]); break;
      default: to64 ? movsxd(d, dword[r12 + a]) : mov(d.cvt32(), dword[r12 + a]); break;
    }
    Put(sext, d);  // a 32-bit result zero-extends, as values must
    return;
  }
  const Reg64 d = Def(i);
  MarkAccess();
  switch (size) {
    case 1: movzx(d.cvt32(), byte[r12 + a]); break;
    case 2: movzx(d.cvt32(), word[r12 + a]); break;
    case 4: mov(d.cvt32(), dword[r12 + a]); break;
    default: mov(d, qword[r12 + a]); break;
  }
  Put(i, d);  // the loads zero-extend
}

void Compiler::EmitStore(const ir::Inst& inst) {
  if (owner_->system) return EmitSysStore(inst);  // codegen_mmu.cpp
  const ValueId v = inst.args[1];
  const unsigned size = ir::ByteSize(TypeOf(v));
  const ir::MemFlags f = ir::MemFlags::Decode(inst.aux);
  if (size == 16) Materialize(v);
  const Reg64 a = AddressReg(inst.args[0]);
  EmitAccessChecks(a, size, f.aligned, core::MemAccess::kWrite);
  int32_t imm;
  if (size == 16) {
    movups(xmm0, ptr[SlotAddr(v)]);
    MarkAccess();
    movups(ptr[r12 + a], xmm0);
  } else if (Imm32(v, 8 * size, &imm)) {
    MarkAccess();
    switch (size) {
      case 1: mov(byte[r12 + a], imm & 0xff); break;
      case 2: mov(word[r12 + a], imm & 0xffff); break;
      case 4: mov(dword[r12 + a], imm); break;
      default: mov(qword[r12 + a], imm); break;
    }
  } else {
    Reg64 r = rcx;
    const ValueId bits = StoredBits(v);  // codegen_fuse.cpp
    if (InReg(bits)) {
      r = RegOf(bits);
    } else {
      Load(rcx, bits);
    }
    MarkAccess();
    switch (size) {
      case 1: mov(byte[r12 + a], r.cvt8()); break;
      case 2: mov(word[r12 + a], r.cvt16()); break;
      case 4: mov(dword[r12 + a], r.cvt32()); break;
      default: mov(qword[r12 + a], r); break;
    }
  }
  // x86 is TSO: a sequentially consistent store only needs StoreLoad ordering after it.
  if (f.order == ir::MemOrder::kSeqCst) mfence();
}

// User mode's AtomicRmw of 1 to 8 bytes: add and swap as `lock xadd` and `xchg`, and, or and xor
// as a `lock cmpxchg` loop (with the address in a pool register: rax, rcx and rdx are the loop's);
// min and max, 16 bytes and system mode stay out of line. x86's locked instructions order as
// strongly as any MemOrder asks. The access checks are a store's: an atomic reports a write, also
// where it faults on a read-only page. False: not handled here (ColdOp runs it).
bool Compiler::EmitAtomicRmw(ValueId i, const ir::Inst& inst) {
  if (owner_->system) return false;
  const unsigned size = ir::ByteSize(inst.type);
  const ir::MemFlags f = ir::MemFlags::Decode(inst.aux);
  const bool fetch = f.rmw == ir::RmwOp::kAdd || f.rmw == ir::RmwOp::kSwap;
  const bool loop = f.rmw == ir::RmwOp::kAnd || f.rmw == ir::RmwOp::kOr || f.rmw == ir::RmwOp::kXor;
  if (size > 8 || !(fetch || (loop && InReg(inst.args[0])))) return false;
  const Reg64 a = AddressReg(inst.args[0]);
  EmitAccessChecks(a, size, f.aligned, core::MemAccess::kWrite);
  Load(rcx, inst.args[1]);
  const Xbyak::Address mem = GuestAt(a, size);
  Reg64 old = rcx;
  if (fetch) {
    MarkAccess();
    if (f.rmw == ir::RmwOp::kAdd) {
      lock();
      xadd(mem, Sized(rcx, size));
    } else {
      xchg(mem, Sized(rcx, size));  // implicitly locked
    }
  } else {
    old = rax;
    MarkAccess();
    switch (size) {
      case 1: movzx(eax, byte[r12 + a]); break;
      case 2: movzx(eax, word[r12 + a]); break;
      case 4: mov(eax, dword[r12 + a]); break;
      default: mov(rax, qword[r12 + a]); break;
    }
    Label retry;
    L(retry);
    mov(rdx, rax);
    switch (f.rmw) {
      case ir::RmwOp::kAnd: and_(rdx, rcx); break;
      case ir::RmwOp::kOr: or_(rdx, rcx); break;
      default: xor_(rdx, rcx); break;
    }
    MarkAccess();
    lock();
    cmpxchg(mem, Sized(rdx, size));  // a failure loads the current value into rax's low bytes
    jne(retry, T_NEAR);
  }
  // The old value is zero-extended already: 8- and 16-bit operations keep the register's upper
  // bits, which are the zero-extended operand's (rcx) or the zero-extending load's (rax).
  const Reg64 d = Def(i);
  mov(d, old);
  Put(i, d);
  return true;
}

// User mode's AtomicCas of 1 to 8 bytes: `lock cmpxchg`, the expected value in rax, which holds
// the old value after it either way (a failure loads the current one; for 1 and 2 bytes into
// rax's low bytes, above which the zero-extended expected value has zeros). 16 bytes and system
// mode stay out of line. False: not handled here (ColdOp runs it).
bool Compiler::EmitAtomicCas(ValueId i, const ir::Inst& inst) {
  const unsigned size = ir::ByteSize(inst.type);
  if (owner_->system || size > 8) return false;
  const ir::MemFlags f = ir::MemFlags::Decode(inst.aux);
  Reg64 a = AddressReg(inst.args[0]);
  if (a.getIdx() == rax.getIdx()) {
    mov(rdx, rax);  // rax takes the expected value
    a = rdx;
  }
  EmitAccessChecks(a, size, f.aligned, core::MemAccess::kWrite);
  Load(rax, inst.args[1]);
  Load(rcx, inst.args[2]);
  MarkAccess();
  lock();
  cmpxchg(GuestAt(a, size), Sized(rcx, size));
  const Reg64 d = Def(i);
  mov(d, rax);
  Put(i, d);
  return true;
}

}  // namespace polyvm::engine::jit::detail
