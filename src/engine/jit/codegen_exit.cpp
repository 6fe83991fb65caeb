// Emission of block exits and side exits, the arena's entry/exit trampolines, and CompileBlock.
//
// A direct exit adds its instruction count to `retired`, leaves to Run if an interrupt or the
// vCPU's attention flag is pending, and otherwise takes a patchable `jmp rel32`: unchained it
// jumps to a stub that asks Run to link it (Status::kLink), chained it jumps straight into the
// next block. An indirect exit looks the target up in the vCPU's jump cache inline.
//
// Return prediction: a call (an exit with BranchHint::kCall) pushes the guest return address and
// makes a host `call` into the callee; a return whose target equals the guest address on top of
// the host stack takes a host `ret` back into the calling block, which the host's own return stack
// predicts, and a patchable jump there continues to the block at the return address. The
// predictions live on the host stack between the entry trampoline and the epilogue, which resets
// rsp, so none survives a return to Run (where epochs change and code is reclaimed).
#include <xbyak/xbyak.h>

#include "compiler.h"

namespace polyvm::engine::jit {
namespace detail {

Compiler::PendingExit& Compiler::NewExit(const ir::Exit& e, uint64_t last_pc) {
  exits_.emplace_back();
  PendingExit& pe = exits_.back();
  pe.rec.kind = e.kind;
  pe.rec.trap = e.trap;
  pe.rec.insn_count = e.insn_count;
  pe.rec.target = e.target;
  pe.rec.fallthrough = e.fallthrough;
  pe.rec.info = e.info;
  pe.rec.last_pc = last_pc;
  pe.rec.owner = owner_;
  PendingExit* p = &pe;
  pe.record = &AddExitRecord(p);
  return pe;
}

void Compiler::FillExit(PendingExit& pe, uint8_t* at) {
  ExitRec r = pe.rec;
  for (unsigned dir = 0; dir < 2; ++dir) {
    if (!pe.patchable[dir]) continue;
    r.patch[dir] = const_cast<uint8_t*>(Addr(pe.patch_end[dir])) - 4;
    r.stub[dir] = const_cast<uint8_t*>(Addr(pe.stub[dir]));
  }
  std::memcpy(at, &r, sizeof r);
  owner_->exits.push_back(reinterpret_cast<ExitRec*>(at));
}

void Compiler::EmitBoundary(uint64_t target, PendingExit& pe, unsigned dir) {
  // The shared link and leave stubs take the target from the exit's record by direction.
  assert(target == (dir == 0 ? pe.rec.target : pe.rec.fallthrough));
  const bool back_edge = target == b_.pc && !deferred_mode_;
  // Leaving a loop with lazily written state (a side exit stored it where it branched off).
  if (!back_edge && !deferred_mode_) EmitLazyStores(LazyFixes());
  const bool far = owner_->system && ((target ^ b_.pc) & ~uint64_t{0xfff}) != 0;
  bool tested = false;  // the interrupt test's loads are done (eax)
  if (pe.rec.insn_count != 0 && back_edge && retired_reg_ >= 0) {
    // A self-loop counts in a register and stores it (or leaves that to the ways out, under lazy
    // write-back): no load-add-store chain per iteration.
    add(PoolReg(retired_reg_), static_cast<int>(pe.rec.insn_count));
    if (!lazy_retired_) mov(qword[rbx + kStRetired], PoolReg(retired_reg_));
  } else if (pe.rec.insn_count != 0 && owner_->system && !far) {
    // A boundary's common shape, memoized (encoding_memo.h): the count, then the test below.
    Memoized(MemoKey(MemoTag::kExitTest, pe.rec.insn_count), [&] {
      add(qword[rbx + kStRetired], static_cast<int>(pe.rec.insn_count));
      mov(eax, dword[rbx + kStIrq]);
      or_(eax, dword[r13 + kHotAttention]);
    });
    tested = true;
  } else if (pe.rec.insn_count != 0) {
    add(qword[rbx + kStRetired], static_cast<int>(pe.rec.insn_count));
  }
  if (far) {
    // Looked up by its full key, never chained; the shared lookup tests for interrupts.
    EmitSysFarJump(target);  // codegen_mmu.cpp
    return;
  }
  // User mode tests for a pending signal or attention only on edges that may close a loop (a
  // target at or before this block): every cycle of blocks has one, so a vCPU still notices
  // within one trip around any loop, and straight-line chains of forward jumps skip the two
  // loads. System mode tests on every exit (interrupts taken as soon as they are enabled).
  const bool check = owner_->system || target <= b_.pc;
  Label leave;
  if (check) {
    if (!tested) {
      mov(eax, dword[rbx + kStIrq]);
      or_(eax, dword[r13 + kHotAttention]);
    }
    jnz(leave, T_NEAR);
  }
  if (back_edge) {
    // A loop to its own block, chained for good: the guest registers it keeps in host registers
    // get their next values, and it skips their loads.
    EmitBackEdgeMoves();
    jmp(loop_head_, T_NEAR);
  } else if (target == b_.pc) {
    jmp(entry_, T_NEAR);  // out-of-line code cannot know the registers: reload them
  } else {
    EmitPatchable(pe, dir, false);
  }
  if (check) DeferLeave(pe, dir, leave, back_edge ? LazyFixes() : std::vector<StateFix>{});
}

void Compiler::EmitPatchable(PendingExit& pe, unsigned dir, bool as_call) {
  // The rel32 field 4-byte aligned, so patching it is one atomic store that instruction fetch
  // sees whole (a call's rel32 is patched like a jmp's).
  while ((reinterpret_cast<uintptr_t>(getCurr()) + 1) % 4 != 0) nop(1);
  if (as_call) {
    call(pe.stub[dir]);
  } else {
    jmp(pe.stub[dir], T_NEAR);
  }
  L(pe.patch_end[dir]);
  pe.patchable[dir] = true;
  deferred_.push_back([this, &pe, dir]() {
    L(pe.stub[dir]);
    CallExitStub(stubs_.link[dir], pe);
  });
}

// The shared stub's call, and the distance to the exit's record it reads after it.
void Compiler::CallExitStub(const uint8_t* stub, PendingExit& pe) {
  CallAt(stub);
  static constexpr uint8_t kDistance[4] = {};
  Raw(kDistance, sizeof kDistance);
  ReferTo(*pe.record);
}

void Compiler::DeferLeave(PendingExit& pe, unsigned dir, Label leave, std::vector<StateFix> fixes) {
  deferred_.push_back([this, &pe, dir, leave, fixes = std::move(fixes)]() mutable {
    L(leave);
    EmitLazyStores(fixes);
    CallExitStub(stubs_.leave[dir], pe);
  });
}

bool Compiler::PredictsReturns(const ir::Exit& e) const {
  // System mode leaves it out: a return there may reach another address space's code.
  return e.hint != ir::BranchHint::kNone && !owner_->system;
}

void Compiler::EmitPushPrediction(uint64_t return_pc) {
  // Full: forget every prediction (the innermost calls are the ones about to return).
  Label full, room;
  cmp(rsp, qword[r13 + kHotRsFloor]);
  jbe(full, T_NEAR);
  L(room);
  if (Fits32(static_cast<int64_t>(return_pc))) {
    push(static_cast<uint32_t>(return_pc));  // sign-extended, as the check allows
  } else {
    MovImm(rcx, return_pc);
    push(rcx);
  }
  deferred_.push_back([this, full, room]() mutable {
    L(full);
    mov(rsp, qword[r13 + kHotRsBase]);
    jmp(room, T_NEAR);
  });
}

void Compiler::EmitCall(const ir::Exit& e, PendingExit& pe) {
  if (pe.rec.insn_count != 0) add(qword[rbx + kStRetired], static_cast<int>(pe.rec.insn_count));
  Label leave;
  mov(eax, dword[rbx + kStIrq]);
  or_(eax, dword[r13 + kHotAttention]);
  jnz(leave, T_NEAR);
  EmitPushPrediction(e.fallthrough);
  // A host call into the callee (chained through the call's own rel32): the callee's return
  // comes back here by a host `ret`, which the host's return stack predicts, and continues to the
  // block at the return address through a second patchable jump.
  EmitPatchable(pe, 0, true);
  EmitPatchable(pe, 1, false);
  DeferLeave(pe, 0, leave);
}

void Compiler::EmitIndirect(const ir::Exit& e, PendingExit& pe) {
  if (owner_->system) return EmitSysIndirect(e, pe);  // codegen_mmu.cpp: the full-key lookup
  Load(rax, e.value);
  if (pe.rec.insn_count != 0) add(qword[rbx + kStRetired], static_cast<int>(pe.rec.insn_count));
  // The target pc goes to the state only on the way back to Run (as for chained direct exits,
  // code running inside blocks never reads CpuHeader::pc).
  Label lookup;
  mov(ecx, dword[rbx + kStIrq]);
  or_(ecx, dword[r13 + kHotAttention]);
  jnz(stubs_.need_block);
  const bool predict = PredictsReturns(e);
  if (predict && e.hint == ir::BranchHint::kReturn) {
    EmitPredictedReturn(lookup);
  } else if (predict) {
    // An indirect call: the lookup below runs as a host call, so the callee's return comes back
    // here as for a direct call.
    EmitPushPrediction(e.fallthrough);
    call(lookup);
    EmitPatchable(pe, 1, false);
  }
  L(lookup);
  // Set JcSet(pc) (records.h), times the 32-byte set: ((pc ^ pc >> kJcFold) & (sets - 1) << 1)
  // << 4. Way 0 here, way 1 in the shared stub (rcx still the set's offset). Hits are not
  // counted (an increment per indirect jump costs too much); misses are.
  mov(ecx, eax);
  shr(ecx, kJcFold);
  xor_(ecx, eax);
  and_(ecx, static_cast<uint32_t>((kJcSets - 1) << 1));
  shl(ecx, 4);
  cmp(rax, qword[r13 + rcx + kHotJc]);
  jne(stubs_.jc_way1);
  jmp(qword[r13 + rcx + (kHotJc + 8)]);
}

void Compiler::EmitPredictedReturn(const Label& lookup) {
  // The prediction on top of the host stack: [rsp] the host return address in the calling
  // block, [rsp + 8] the guest return address the call pushed. None while rsp is at its base.
  Label mispredicted;
  cmp(rsp, qword[r13 + kHotRsBase]);
  je(lookup, T_NEAR);
  cmp(rax, qword[rsp + 8]);
  jne(mispredicted, T_NEAR);
  ret(8);
  deferred_.push_back([this, mispredicted, lookup]() mutable {
    // Drop the prediction (as a hardware return stack does) and look the target up.
    L(mispredicted);
    add(rsp, 16);
    inc(qword[r13 + kHotRetMisses]);
    jmp(lookup, T_NEAR);
  });
}

void Compiler::EmitExitIf(const ir::Inst& inst) {
  const ValueId c = inst.args[0];
  const ir::Exit& e = b_.side_exits.at(inst.imm);
  Label side;
  if (IsConst(c) && (ConstBits(c) & 1) == 0) return;
  // The side exit is emitted out of line: a value it reads goes to its slot here.
  if (e.value != ir::kNoValue) EnsureSlot(e.value);
  if (IsConst(c)) {
    jmp(side, T_NEAR);
  } else if (fused_[R(c)]) {
    JCC(EmitCmpFlags(b_.insts[R(c)]), side);
  } else {
    if (InReg(c)) {
      test(RegOf(c).cvt8(), 1);
    } else {
      test(byte[SlotAddr(c)], 1);
    }
    jnz(side, T_NEAR);
  }

  const uint64_t pc = cur_pc_;
  deferred_.push_back([this, side, &e, pc, fixes = LazyFixes()]() mutable {
    L(side);
    EmitLazyStores(fixes);
    EmitExit(e, pc);
  });
}

void Compiler::EmitExit(const ir::Exit& e, uint64_t last_pc) {
  PendingExit& pe = NewExit(e, last_pc);
  switch (e.kind) {
    case ir::ExitKind::kJump:
      if (e.hint == ir::BranchHint::kCall && e.target != b_.pc && PredictsReturns(e)) {
        EmitCall(e, pe);
      } else {
        EmitBoundary(e.target, pe, 0);
      }
      return;
    case ir::ExitKind::kBranch: {
      const ValueId v = e.value;
      if (IsConst(v)) {
        if (ConstBits(v) & 1) {
          EmitBoundary(e.target, pe, 0);
        } else {
          EmitBoundary(e.fallthrough, pe, 1);
        }
        return;
      }
      // The direction laid out first falls through; a self-loop's back edge goes there, so an
      // iteration takes one jump (the back edge's) rather than two.
      const bool loop_on_taken = e.target == b_.pc && e.fallthrough != b_.pc && !deferred_mode_;
      const unsigned first = loop_on_taken ? 0 : 1;
      const uint64_t first_pc = loop_on_taken ? e.target : e.fallthrough;
      const uint64_t second_pc = loop_on_taken ? e.fallthrough : e.target;
      Label second;
      if (fused_[R(v)]) {
        const Xbyak::Operand::Code cond = EmitCmpFlags(b_.insts[R(v)]);
        // x86 condition codes come in pairs that differ in the low bit: cc ^ 1 is its negation.
        JCC(loop_on_taken ? static_cast<Xbyak::Operand::Code>(cond ^ 1) : cond, second);
      } else {
        if (InReg(v)) {
          test(RegOf(v).cvt8(), 1);
        } else {
          test(byte[SlotAddr(v)], 1);
        }
        if (loop_on_taken) {
          jz(second, T_NEAR);
        } else {
          jnz(second, T_NEAR);
        }
      }
      EmitBoundary(first_pc, pe, first);
      L(second);
      EmitBoundary(second_pc, pe, 1 - first);
      return;
    }
    case ir::ExitKind::kIndirect: EmitIndirect(e, pe); return;
    case ir::ExitKind::kSyscall:
    case ir::ExitKind::kTrap:
    case ir::ExitKind::kCodeSync:
    case ir::ExitKind::kHalt:
      if (e.insn_count != 0) add(qword[rbx + kStRetired], static_cast<int>(e.insn_count));
      LeaRip(rax, *pe.record);
      mov(qword[r13 + kHotExitRec], rax);
      mov(eax, static_cast<uint32_t>(Status::kExit));
      JmpEpilogue();
      return;
  }
}

}  // namespace detail

size_t EmitTrampolines(uint8_t* at, size_t room, EnterFn* enter, ArenaStubs* stubs) {
  using namespace Xbyak::util;  // NOLINT
  Xbyak::CodeGenerator g(room, at);
  // enter(state, hot, code): save the callee-saved registers, pin state, hot and the memory base,
  // and jump into the block. rsp is then 16-byte aligned for the calls blocks make.
  g.push(rbp);
  g.push(rbx);
  g.push(r12);
  g.push(r13);
  g.push(r14);
  g.push(r15);
  g.sub(rsp, 8);
  g.mov(rbx, rdi);
  g.mov(r13, rsi);
  g.mov(r12, g.qword[rbx + detail::kStMemBase]);
  // The return-prediction stack starts empty here and may grow kReturnStackDepth entries.
  g.mov(g.qword[r13 + detail::kHotRsBase], rsp);
  g.lea(rax, g.ptr[rsp - static_cast<int>(16 * kReturnStackDepth)]);
  g.mov(g.qword[r13 + detail::kHotRsFloor], rax);
  g.jmp(rdx);
  g.align(16);
  const uint8_t* epilogue = g.getCurr();
  g.mov(rsp, g.qword[r13 + detail::kHotRsBase]);  // drops the predictions left
  g.add(rsp, 8);
  g.pop(r15);
  g.pop(r14);
  g.pop(r13);
  g.pop(r12);
  g.pop(rbx);
  g.pop(rbp);
  g.ret();
  *enter = reinterpret_cast<EnterFn>(at);
  stubs->epilogue = epilogue;
  detail::EmitSharedStubs(g, stubs);  // codegen_shared_stubs.cpp
  return g.getSize();
}

CompileResult CompileBlock(const ir::Block& block, const ArenaStubs& stubs, uint8_t* at,
                           size_t room, JBlock* owner, std::string* error) {
  ir::Block with_reads;
  const ir::Block& b =
      detail::WithEntryReadsOfWrittenFields(block, &with_reads) ? with_reads : block;
  if (b.insts.size() > kFrameBytes / 16) return CompileResult::kTooManyValues;
  try {
    thread_local detail::Compiler::Scratch scratch;  // see Compiler::Scratch
    detail::Compiler c(b, stubs, at, room, owner, scratch);
    c.Run();
  } catch (const Xbyak::Error& e) {
    owner->exits.clear();
    owner->access_sites.clear();
    if (static_cast<int>(e) != Xbyak::ERR_CODE_IS_TOO_BIG && error != nullptr) *error = e.what();
    return CompileResult::kNoRoom;
  }
  return CompileResult::kOk;
}

}  // namespace polyvm::engine::jit
