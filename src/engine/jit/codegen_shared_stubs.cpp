// The arena's shared out-of-line code (ArenaStubs in codegen.h): what every block's exits and
// soft-MMU accesses would otherwise each carry a copy of. A block reaches them by a 5-byte
// `call rel32` from its out-of-line code, and the return address says which exit or access it
// came from; the epilogue resets rsp, so a stub that leaves to Run never returns.
//
// Exits: the call is followed by a dword, the distance from it to the exit's ExitRec (filled in
// when the block's records are placed). The stub pops the dword's address, finds the record and
// takes the target pc of its direction from it.
//
// Soft-MMU slow paths: the block passes the address in rax, a store's value in rdx and the
// access's SiteRec in rcx, and gets a load's value back in rax. The stub saves the pool's
// caller-saved registers around the C++ call (all of them: the slow path is rare, and one shared
// stub cannot know which the block keeps live), and leaves with Status::kMmuFault on a fault.
#include "compiler.h"
#include "polyvm/mem/tlb.h"
#include "system_mem.h"
#include "system_run.h"

namespace polyvm::engine::jit::detail {

namespace {

using Xbyak::CodeGenerator;

constexpr int kRecTarget = static_cast<int>(offsetof(ExitRec, target));
constexpr int kRecFallthrough = static_cast<int>(offsetof(ExitRec, fallthrough));

// The pool's caller-saved registers (Compiler::PoolReg's first kCallerSaved), in push order.
const Reg64 kSaved[] = {rsi, rdi, r8, r9, r10, r11};
static_assert(std::size(kSaved) % 2 == 0,
              "these, the site and the return address keep rsp 16-byte aligned at the call");

// rax = the ExitRec whose distance (from the dword's end) follows the call that reached this stub.
void PopExitRec(CodeGenerator& g) {
  g.pop(rax);
  g.movsxd(rcx, g.dword[rax]);
  g.lea(rax, g.ptr[rax + rcx + 4]);
}

// Rarely run (once per link, and on pending interrupts): packed, not aligned.
void EmitExitStubs(CodeGenerator& g, ArenaStubs* stubs) {
  for (unsigned dir = 0; dir < 2; ++dir) {
    const int target_off = dir == 0 ? kRecTarget : kRecFallthrough;
    stubs->link[dir] = g.getCurr();
    PopExitRec(g);
    g.mov(g.qword[r13 + kHotExitRec], rax);
    g.mov(g.dword[r13 + kHotLinkDir], dir);
    g.mov(rax, g.qword[rax + target_off]);
    g.mov(g.qword[rbx + kStPc], rax);
    g.mov(eax, static_cast<uint32_t>(Status::kLink));
    g.jmp(stubs->epilogue, CodeGenerator::T_NEAR);
    stubs->leave[dir] = g.getCurr();
    PopExitRec(g);
    g.mov(rax, g.qword[rax + target_off]);
    g.mov(g.qword[rbx + kStPc], rax);
    g.mov(eax, static_cast<uint32_t>(Status::kNeedBlock));
    g.jmp(stubs->epilogue, CodeGenerator::T_NEAR);
  }
  // Jumped to (not called) from EmitIndirect when way 0 of the set at rcx is not rax's.
  stubs->jc_way1 = g.getCurr();
  Xbyak::Label miss;
  g.cmp(rax, g.qword[r13 + rcx + (kHotJc + 16)]);
  g.jne(miss);
  g.jmp(g.qword[r13 + rcx + (kHotJc + 24)]);
  // Jumped to (not called) with the target pc in rax: a jump-cache miss, and a leave to Run.
  g.L(miss);
  stubs->jc_miss = g.getCurr();
  g.inc(g.qword[r13 + kHotJcMisses]);
  stubs->need_block = g.getCurr();
  g.mov(g.qword[rbx + kStPc], rax);
  g.mov(eax, static_cast<uint32_t>(Status::kNeedBlock));
  g.jmp(stubs->epilogue, CodeGenerator::T_NEAR);
}

// Saves the site and the pool's caller-saved registers, calls fn(hot, va = rax, ...) with the
// size in `size_arg` (a store's value stays in rdx), restores; a non-zero `status` then leaves
// with kMmuFault at the site.
void EmitMmuStub(CodeGenerator& g, const ArenaStubs& stubs, const void* fn, unsigned size,
                 const Reg64& size_arg, const Reg64& status) {
  g.push(rcx);  // the site
  for (const Reg64& r : kSaved) g.push(r);
  g.mov(rsi, rax);
  g.mov(size_arg.cvt32(), size);
  g.mov(rdi, r13);
  g.mov(r11, reinterpret_cast<uint64_t>(fn));
  g.call(r11);
  for (size_t k = std::size(kSaved); k-- > 0;) g.pop(kSaved[k]);
  g.pop(rcx);
  g.test(status, status);
  Xbyak::Label fault;
  g.jnz(fault);
  g.ret();
  g.L(fault);
  g.mov(g.qword[r13 + kHotSite], rcx);
  g.mov(eax, static_cast<uint32_t>(Status::kMmuFault));
  g.jmp(stubs.epilogue, CodeGenerator::T_NEAR);
}

// The system-mode lookup of a block to jump to, for the target pc in rax: leaves to Run if an
// interrupt or the attention flag is pending; else the vCPU's system jump cache by virtual pc,
// used only when the entry's key (physical page | fetch context) is the target's key now, from a
// fetch-TLB probe. It returns the entry in rcx (the caller jumps to [rcx + 8]); a miss (or a stale
// key) leaves to Run, which looks the target up and fills the entry. Called only at a block's
// end: the pool registers are free then, and rsi serves as a fourth scratch.
void EmitSysLookupStub(CodeGenerator& g, ArenaStubs* stubs) {
  using Entry = SystemThreadData::JcEntry;
  static_assert(sizeof(Entry) == 32 && offsetof(Entry, vpc) == 0 && offsetof(Entry, code) == 8 &&
                offsetof(Entry, key) == 16);
  static_assert(sizeof(mem::TlbEntry) == 32 && mem::kTlbPageBits == 12);
  constexpr int kKindBytes = static_cast<int>(sizeof(mem::TlbEntry) * mem::kTlbEntries);
  constexpr int kFetchBase = static_cast<int>(mem::kTlbFetch) * kKindBytes;
  constexpr int kTagOff = static_cast<int>(offsetof(mem::TlbEntry, tag));
  constexpr int kPaddrOff = static_cast<int>(offsetof(mem::TlbEntry, paddr));
  constexpr int kHotFetchTlb = static_cast<int>(offsetof(JitHot, sys_fetch_tlb));
  constexpr int kHotFetchCtx = static_cast<int>(offsetof(JitHot, sys_fetch_ctx));
  constexpr int kHotSysJc = static_cast<int>(offsetof(JitHot, sys_jc));
  g.align(16);  // run on every indirect or cross-page exit of system-mode code
  stubs->sys_lookup = g.getCurr();
  g.mov(ecx, g.dword[rbx + kStIrq]);
  g.or_(ecx, g.dword[r13 + kHotAttention]);
  g.jnz(reinterpret_cast<const void*>(stubs->need_block));
  g.mov(ecx, eax);  // entry (pc >> 1) & mask, 32 bytes each: (pc & (mask << 1)) << 4
  g.and_(ecx, static_cast<uint32_t>(SystemThreadData::kJcMask << 1));
  g.shl(ecx, 4);
  g.add(rcx, g.qword[r13 + kHotSysJc]);
  g.cmp(rax, g.qword[rcx]);
  g.jne(reinterpret_cast<const void*>(stubs->jc_miss));
  g.mov(rdx, rax);  // the fetch TLB entry of the target's page
  g.shr(rdx, 7);
  g.and_(edx, (mem::kTlbEntries - 1) << 5);
  g.add(rdx, g.qword[r13 + kHotFetchTlb]);
  g.mov(rsi, rax);
  g.and_(rsi, static_cast<int32_t>(mem::kTlbPageMask));
  g.cmp(rsi, g.qword[rdx + (kFetchBase + kTagOff)]);
  g.jne(reinterpret_cast<const void*>(stubs->jc_miss));
  g.mov(rsi, g.qword[rdx + (kFetchBase + kPaddrOff)]);
  g.or_(rsi, g.qword[r13 + kHotFetchCtx]);
  g.cmp(rsi, g.qword[rcx + 16]);
  g.jne(reinterpret_cast<const void*>(stubs->jc_miss));
  g.ret();
}

void EmitMmuStubs(CodeGenerator& g, ArenaStubs* stubs) {
  for (unsigned lg = 0; lg < 4; ++lg) {
    stubs->sys_load[lg] = g.getCurr();  // SysLoad(hot, va, size): value in rax, status in rdx
    EmitMmuStub(g, *stubs, reinterpret_cast<const void*>(&SysLoad), 1u << lg, rdx, rdx);
    stubs->sys_store[lg] = g.getCurr();  // SysStore(hot, va, value, size): status in rax
    EmitMmuStub(g, *stubs, reinterpret_cast<const void*>(&SysStore), 1u << lg, rcx, rax);
  }
}

}  // namespace

void EmitSharedStubs(Xbyak::CodeGenerator& g, ArenaStubs* stubs) {
  EmitExitStubs(g, stubs);
  EmitMmuStubs(g, stubs);
  EmitSysLookupStub(g, stubs);
}

}  // namespace polyvm::engine::jit::detail
