// Return prediction in the JIT (codegen_exit.cpp): calls (exits hinted kCall) push a prediction on
// the host stack, returns (kReturn) that match it go back through a host `ret`. Guest programs
// here are IR blocks with a guest stack in guest memory; each expected value comes from the same
// recursion written in C++ below, never from an engine. Covered: recursion deeper than the
// prediction stack, returns to an address other than the one pushed (longjmp-like), the return
// target or the caller invalidated between call and return, code cache flushes in between, and
// vCPUs calling and returning while another thread invalidates.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "test_env.h"

namespace polyvm::engine::interp::test {
namespace {

// Registers of the test programs.
constexpr unsigned kN = 1;      // recursion depth left
constexpr unsigned kAcc = 2;    // an order-sensitive hash of the calls and returns
constexpr unsigned kSp = 3;     // guest stack pointer (the stack grows down in guest memory)
constexpr unsigned kTmp = 4;    // scratch
constexpr unsigned kLink = 31;  // the link register

constexpr uint64_t kStackTop = 0x8000;

ir::Exit CallExit(uint64_t target, uint64_t ret, uint32_t count) {
  ir::Exit e;
  e.kind = ir::ExitKind::kJump;
  e.hint = ir::BranchHint::kCall;
  e.target = target;
  e.fallthrough = ret;
  e.insn_count = count;
  return e;
}

// Sets the link register to `ret` and calls `target` (a direct call, like jal ra).
ir::Block CallBlock(uint64_t pc, uint64_t target, uint64_t ret) {
  BlockMaker b(pc, 2);
  b.Insn(0);
  b.ir.SetReg(R(kLink), b.ir.I64(ret));
  b.Insn(1);
  b.ir.SetExit(CallExit(target, ret, 2));
  return b.block;
}

// Returns to the address in the link register, plus `add` to the accumulator first.
ir::Block ReturnBlock(uint64_t pc, uint64_t add) {
  BlockMaker b(pc, 2);
  b.Insn(0);
  b.ir.SetReg(R(kAcc), b.ir.Add(b.ir.GetReg(Type::kI64, R(kAcc)), b.ir.I64(add)));
  b.Insn(1);
  ir::Exit e;
  e.kind = ir::ExitKind::kIndirect;
  e.hint = ir::BranchHint::kReturn;
  e.value = b.ir.GetReg(Type::kI64, R(kLink)).id;
  e.insn_count = 2;
  b.ir.SetExit(e);
  return b.block;
}

// acc += k, then halt at pc + 4.
ir::Block HaltBlock(uint64_t pc, uint64_t k) {
  BlockMaker b(pc);
  b.Insn(0);
  b.ir.SetReg(R(kAcc), b.ir.Add(b.ir.GetReg(Type::kI64, R(kAcc)), b.ir.I64(k)));
  b.Halt(pc + 4, 1);
  return b.block;
}

// The recursive function F at `f` (blocks at f, f + 0x10, f + 0x20, f + 0x40):
//   F(): acc = acc * 3 + n; if n == 0 { acc += 7; return }
//        push link; n -= 1; call F; n += 1; acc = acc * 31 + n; pop link; return
// `calls_via`, if not 0, is where the recursive call goes instead of F itself (a trampoline block
// that jumps to F, to put more blocks between a call and its return).
struct Recursion {
  uint64_t f;
  void AddTo(FakeLifter& lifter, uint64_t calls_via = 0) const {
    {
      BlockMaker b(f);
      b.Insn(0);
      ir::Value n = b.ir.GetReg(Type::kI64, R(kN));
      ir::Value acc = b.ir.GetReg(Type::kI64, R(kAcc));
      b.ir.SetReg(R(kAcc), b.ir.Add(b.ir.Op(Opcode::kMul, acc, b.ir.I64(3)), n));
      ir::Exit e;
      e.kind = ir::ExitKind::kBranch;
      e.value = b.ir.Cmp(Opcode::kCmpEq, n, b.ir.I64(0)).id;
      e.target = f + 0x40;
      e.fallthrough = f + 0x10;
      e.insn_count = 1;
      b.ir.SetExit(e);
      lifter.Add(b.block);
    }
    {
      BlockMaker b(f + 0x10, 3);
      b.Insn(0);
      ir::Value sp = b.ir.Sub(b.ir.GetReg(Type::kI64, R(kSp)), b.ir.I64(8));
      b.ir.Store(sp, b.ir.GetReg(Type::kI64, R(kLink)));
      b.ir.SetReg(R(kSp), sp);
      b.Insn(1);
      b.ir.SetReg(R(kN), b.ir.Sub(b.ir.GetReg(Type::kI64, R(kN)), b.ir.I64(1)));
      b.Insn(2);
      b.ir.SetReg(R(kLink), b.ir.I64(f + 0x20));
      b.ir.SetExit(CallExit(calls_via != 0 ? calls_via : f, f + 0x20, 3));
      lifter.Add(b.block);
    }
    {
      BlockMaker b(f + 0x20, 3);
      b.Insn(0);
      ir::Value n = b.ir.Add(b.ir.GetReg(Type::kI64, R(kN)), b.ir.I64(1));
      b.ir.SetReg(R(kN), n);
      b.Insn(1);
      ir::Value acc = b.ir.GetReg(Type::kI64, R(kAcc));
      b.ir.SetReg(R(kAcc), b.ir.Add(b.ir.Op(Opcode::kMul, acc, b.ir.I64(31)), n));
      b.Insn(2);
      ir::Value sp = b.ir.GetReg(Type::kI64, R(kSp));
      ir::Value link = b.ir.Load(Type::kI64, sp);
      b.ir.SetReg(R(kLink), link);
      b.ir.SetReg(R(kSp), b.ir.Add(sp, b.ir.I64(8)));
      ir::Exit e;
      e.kind = ir::ExitKind::kIndirect;
      e.hint = ir::BranchHint::kReturn;
      e.value = link.id;
      e.insn_count = 3;
      b.ir.SetExit(e);
      lifter.Add(b.block);
    }
    lifter.Add(ReturnBlock(f + 0x40, 7));
  }
};

// The same function in C++: the expected accumulator.
uint64_t NativeF(uint64_t n, uint64_t acc) {
  acc = acc * 3 + n;
  if (n == 0) return acc + 7;
  acc = NativeF(n - 1, acc);
  return acc * 31 + n;
}
// Guest instructions F(n) retires: 1 + 2 at the leaf, 1 + 3 + 3 per level above it.
uint64_t NativeFInsns(uint64_t n) { return 3 + 7 * n; }

constexpr uint64_t kF = 0x10000;
constexpr uint64_t kMain = 0x20000;  // calls F, returns to kMain + 0x10, which halts

void AddRecursionProgram(FakeLifter& lifter) {
  Recursion{kF}.AddTo(lifter);
  lifter.Add(CallBlock(kMain, kF, kMain + 0x10));
  lifter.Add(HaltBlock(kMain + 0x10, 0));
}

void StartRecursion(TestState& st, uint64_t n) {
  st.r[kN] = n;
  st.r[kAcc] = 1;
  st.r[kSp] = kStackTop;
  st.hdr.retired = 0;
}

void ExpectRecursionDone(const TestState& st, uint64_t n) {
  EXPECT_EQ(st.r[kAcc], NativeF(n, 1)) << "depth " << n;
  EXPECT_EQ(st.r[kN], n);
  EXPECT_EQ(st.r[kSp], kStackTop);
  EXPECT_EQ(st.hdr.retired, 2 + NativeFInsns(n) + 1) << "depth " << n;
}

TEST(JitReturnStack, RecursionWithinTheStackIsPredicted) {
  Machine m;
  AddRecursionProgram(m.lifter);
  for (int round = 0; round < 3; ++round) {
    StartRecursion(m.st, 20);
    EXPECT_EQ(m.Run(kMain).reason, core::ExitReason::kHalt);
    ExpectRecursionDone(m.st, 20);
  }
  // Every return went back to the address its call pushed.
  EXPECT_EQ(StatOf(*m.interp, "jit.return_mispredictions"), 0);
}

TEST(JitReturnStack, RecursionDeeperThanTheStack) {
  Machine m;
  AddRecursionProgram(m.lifter);
  for (uint64_t n : {31, 32, 33, 100, 300}) {
    StartRecursion(m.st, n);
    EXPECT_EQ(m.Run(kMain).reason, core::ExitReason::kHalt);
    ExpectRecursionDone(m.st, n);
  }
  // A full stack starts over: calls beyond it push from empty, never mispredict.
  EXPECT_EQ(StatOf(*m.interp, "jit.return_mispredictions"), 0);
}

// Two call sites whose return addresses share one entry of the jump cache ((pc >> 1) & 4095):
// returning through the lookup, each return would evict the other's entry and miss. Predicted
// returns do not look up at all.
TEST(JitReturnStack, PredictedReturnsSkipTheLookupTable) {
  Machine m;
  constexpr uint64_t kG = 0x50000, kA = 0x30000, kB = 0x32000;
  static_assert(((kA + 0x10) >> 1 & 4095) == ((kB + 0x10) >> 1 & 4095));
  // kA: n -= 1; call G returning to kA + 0x10, which calls G returning to kB + 0x10, which loops
  // to kA while n != 0 and halts at 0x40000 otherwise.
  {
    BlockMaker b(kA, 3);
    b.Insn(0);
    b.ir.SetReg(R(kN), b.ir.Sub(b.ir.GetReg(Type::kI64, R(kN)), b.ir.I64(1)));
    b.Insn(1);
    b.ir.SetReg(R(kLink), b.ir.I64(kA + 0x10));
    b.Insn(2);
    b.ir.SetExit(CallExit(kG, kA + 0x10, 3));
    m.Add(b.block);
  }
  m.Add(CallBlock(kA + 0x10, kG, kB + 0x10));
  {
    BlockMaker b(kB + 0x10);
    b.Insn(0);
    ir::Exit e;
    e.kind = ir::ExitKind::kBranch;
    e.value = b.ir.Cmp(Opcode::kCmpNe, b.ir.GetReg(Type::kI64, R(kN)), b.ir.I64(0)).id;
    e.target = kA;
    e.fallthrough = 0x40000;
    e.insn_count = 1;
    b.ir.SetExit(e);
    m.Add(b.block);
  }
  m.Add(HaltBlock(0x40000, 0));
  m.Add(ReturnBlock(kG, 1));
  m.st.r[kN] = 1000;
  EXPECT_EQ(m.Run(kA).reason, core::ExitReason::kHalt);
  EXPECT_EQ(m.st.r[kAcc], 2000u);
  EXPECT_EQ(m.st.hdr.retired, 1000u * (3 + 2 + 2 + 2 + 1) + 1);
  // Without prediction: about one miss per return (2000).
  EXPECT_LE(StatOf(*m.interp, "jit.lookup_misses"), 10);
  EXPECT_EQ(StatOf(*m.interp, "jit.return_mispredictions"), 0);
}

// A callee returns to an address other than the one its call pushed (as longjmp does): the
// return must go where the guest says, and the calls and returns after it stay exact.
TEST(JitReturnStack, ReturnToAnotherAddressThanPushed) {
  Machine m;
  Recursion{kF}.AddTo(m.lifter);
  // kJ calls kH (returning to kJ + 0x10); kH calls kH2 (returning to kH + 0x10); kH2 sets the
  // link register to kJ + 0x20 and returns: two frames skipped at once, predictions left behind.
  // kJ + 0x20 then runs a recursion, whose calls and returns are predicted as usual.
  constexpr uint64_t kJ = 0x60000, kH = 0x70000, kH2 = 0x78000;
  m.Add(CallBlock(kJ, kH, kJ + 0x10));
  m.Add(HaltBlock(kJ + 0x10, 1000));  // the address kJ's call pushed: must not run
  m.Add(CallBlock(kJ + 0x20, kF, kJ + 0x30));
  m.Add(HaltBlock(kJ + 0x30, 1));
  m.Add(CallBlock(kH, kH2, kH + 0x10));
  m.Add(HaltBlock(kH + 0x10, 2000));  // nor this one
  {
    BlockMaker b(kH2);
    b.Insn(0);
    b.ir.SetReg(R(kLink), b.ir.I64(kJ + 0x20));
    ir::Exit e;
    e.kind = ir::ExitKind::kIndirect;
    e.hint = ir::BranchHint::kReturn;
    e.value = b.ir.GetReg(Type::kI64, R(kLink)).id;
    e.insn_count = 1;
    b.ir.SetExit(e);
    m.Add(b.block);
  }
  for (int round = 0; round < 3; ++round) {
    StartRecursion(m.st, 10);
    EXPECT_EQ(m.Run(kJ).reason, core::ExitReason::kHalt);
    EXPECT_EQ(m.st.r[kAcc], NativeF(10, 1) + 1) << "round " << round;
    EXPECT_EQ(m.st.r[kSp], kStackTop);
    // kJ, kH, kH2, kJ + 0x20, F(10), the halt.
    EXPECT_EQ(m.st.hdr.retired, 2 + 2 + 1 + 2 + NativeFInsns(10) + 1);
  }
  EXPECT_GE(StatOf(*m.interp, "jit.return_mispredictions"), 1);
}

// The block a call returns to changes (and is invalidated) after the call has been chained to
// its continuation: the predicted return must reach the new block, not the old one.
TEST(JitReturnStack, ReturnTargetInvalidatedBetweenRuns) {
  Machine m;
  constexpr uint64_t kC = 0xa0000, kL = 0xa8000;
  m.Add(CallBlock(kC, kL, kC + 0x10));
  m.Add(ReturnBlock(kL, 0));
  m.Add(HaltBlock(kC + 0x10, 1));
  for (int round = 0; round < 3; ++round) m.Run(kC);
  EXPECT_EQ(m.st.r[kAcc], 3u);
  m.Add(HaltBlock(kC + 0x10, 100));
  m.interp->InvalidateCode(kC + 0x10, 4);
  EXPECT_EQ(m.Run(kC).reason, core::ExitReason::kHalt);
  EXPECT_EQ(m.st.r[kAcc], 103u);
}

// The callee stops (a syscall exit) between the call and the return, and the return target or
// the calling block is replaced meanwhile: the return reaches the current code.
TEST(JitReturnStack, InvalidationBetweenCallAndReturn) {
  Machine m;
  constexpr uint64_t kC = 0x80000, kK = 0x90000;
  m.Add(CallBlock(kC, kK, kC + 0x10));
  m.Add(HaltBlock(kC + 0x10, 1));
  {
    BlockMaker b(kK);
    b.Insn(0);
    b.Exit(ir::ExitKind::kSyscall, kK + 4, 0);
    m.Add(b.block);
  }
  m.Add(ReturnBlock(kK + 4, 0));
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(m.Run(kC).reason, core::ExitReason::kSyscall);
    EXPECT_EQ(m.Run(kK + 4).reason, core::ExitReason::kHalt);
  }
  EXPECT_EQ(m.st.r[kAcc], 2u);
  // The return target changes while the callee is stopped.
  EXPECT_EQ(m.Run(kC).reason, core::ExitReason::kSyscall);
  m.Add(HaltBlock(kC + 0x10, 100));
  m.interp->InvalidateCode(kC + 0x10, 4);
  EXPECT_EQ(m.Run(kK + 4).reason, core::ExitReason::kHalt);
  EXPECT_EQ(m.st.r[kAcc], 102u);
  // The calling block goes (its continuation with it) while the callee is stopped.
  EXPECT_EQ(m.Run(kC).reason, core::ExitReason::kSyscall);
  m.interp->InvalidateCode(kC, 4);
  EXPECT_EQ(m.Run(kK + 4).reason, core::ExitReason::kHalt);
  EXPECT_EQ(m.st.r[kAcc], 202u);
}

// Each call runs 300 other blocks before it returns, through a code cache that holds only part
// of them: the arena is flushed between calls and their returns, again and again.
TEST(JitReturnStack, CodeCacheFlushedBetweenCallAndReturn) {
  FakeLifter lifter;
  FakeCode code;
  GuestMemory mem(16);
  constexpr uint64_t kChain = 0x100000;
  constexpr int kChainBlocks = 300;
  // F's recursive call goes through the chain: kChain -> kChain + 0x40 -> ... -> F.
  Recursion{kF}.AddTo(lifter, kChain);
  for (int i = 0; i < kChainBlocks; ++i) {
    uint64_t pc = kChain + 0x40 * static_cast<uint64_t>(i);
    BlockMaker b(pc);
    b.Insn(0);
    b.ir.SetReg(R(kTmp), b.ir.Add(b.ir.GetReg(Type::kI64, R(kTmp)), b.ir.I64(1)));
    b.Jump(i + 1 < kChainBlocks ? pc + 0x40 : kF, 1);
    lifter.Add(b.block);
  }
  lifter.Add(CallBlock(kMain, kF, kMain + 0x10));
  lifter.Add(HaltBlock(kMain + 0x10, 0));
  jit::Options o;
  o.code_cache_bytes = 32 << 10;
  o.lift_through_jumps = false;  // one translation per block: the flushes counted below
  jit::JitEngine engine(lifter, code, o);
  TestState st;
  mem.Attach(st.hdr);
  core::Vcpu vcpu;
  vcpu.state = &st.hdr;
  for (int round = 0; round < 3; ++round) {
    StartRecursion(st, 6);
    st.r[kTmp] = 0;
    st.hdr.pc = kMain;
    EXPECT_EQ(engine.Run(vcpu).reason, core::ExitReason::kHalt);
    EXPECT_EQ(st.r[kAcc], NativeF(6, 1));
    EXPECT_EQ(st.r[kTmp], 6u * kChainBlocks);
    EXPECT_EQ(st.r[kSp], kStackTop);
  }
  EXPECT_GT(StatOf(engine, "jit.code_cache_flushes"), 3);
}

// vCPUs recurse (calls and predicted returns, chained) while another thread invalidates their
// code and flushes the small code cache: results stay exact, and no vCPU returns into code that
// has been freed (a crash or an ASan report if one did).
TEST(JitReturnStack, InvalidateAndFlushWhileRecursing) {
  FakeLifter lifter;
  FakeCode code;
  AddRecursionProgram(lifter);
  // Blocks that only fill the code cache, translated by the invalidating thread.
  constexpr uint64_t kFill = 0x400000;
  for (int i = 0; i < 64; ++i) lifter.Add(HaltBlock(kFill + 0x40 * static_cast<uint64_t>(i), 1));
  jit::Options o;
  o.code_cache_bytes = 64 << 10;
  jit::JitEngine engine(lifter, code, o);
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      GuestMemory mem(16);
      TestState st;
      mem.Attach(st.hdr);
      core::Vcpu vcpu;
      vcpu.state = &st.hdr;
      for (int round = 0; round < 50 || !stop.load(); ++round) {
        const uint64_t n = 5 + static_cast<uint64_t>((round + t) % 40);
        StartRecursion(st, n);
        st.hdr.pc = kMain;
        EXPECT_EQ(engine.Run(vcpu).reason, core::ExitReason::kHalt);
        ExpectRecursionDone(st, n);
      }
    });
  }
  {
    GuestMemory mem(1);
    TestState st;
    mem.Attach(st.hdr);
    core::Vcpu vcpu;
    vcpu.state = &st.hdr;
    for (int i = 0; i < 300; ++i) {
      if (i % 5 == 0) {
        engine.InvalidateAll();
      } else {
        engine.InvalidateCode(kF + 0x10 * static_cast<uint64_t>(i % 5), 4);
      }
      for (int k = 0; k < 8; ++k) {  // translate filler blocks to fill the arena
        st.hdr.pc = kFill + 0x40 * static_cast<uint64_t>((i * 8 + k) % 64);
        engine.Run(vcpu);
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }
  stop.store(true);
  for (auto& t : threads) t.join();
  EXPECT_GT(StatOf(engine, "jit.blocks_invalidated"), 0);
}

}  // namespace
}  // namespace polyvm::engine::interp::test
