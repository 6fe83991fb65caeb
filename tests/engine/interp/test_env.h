// Test fixtures for the interpreter: a fake frontend that returns prepared IR blocks by pc, a test
// guest state, guest memory with protectable pages, and ExpectOp, which runs one IR op in every
// placement of its operands and result and checks the result against a hand-computed value.
// Built with POLYVM_TEST_ENGINE_JIT, the same fixtures (and the op tests using them) run the JIT
// (tests/engine/jit): TestEngine is then jit::JitEngine.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "polyvm/core/cpu_header.h"
#include "polyvm/core/engine.h"
#include "polyvm/engine/interp/interpreter.h"
#if defined(POLYVM_TEST_ENGINE_JIT)
#include "polyvm/engine/jit/jit_engine.h"
#endif
#include "polyvm/ir/builder.h"
#include "polyvm/ir/lifter.h"
#include "polyvm/ir/semantics/int.h"
#include "polyvm/ir/semantics/v128.h"

namespace polyvm::engine::interp::test {

using ir::Opcode;
using ir::Type;
using ir::sem::U128;
using ir::sem::V128;

struct TestState {
  core::CpuHeader hdr;
  uint64_t r[32] = {};
  alignas(16) uint8_t v[16][16] = {};
};

inline constexpr uint32_t R(unsigned i) {
  return static_cast<uint32_t>(offsetof(TestState, r) + 8 * i);
}
inline constexpr uint32_t V(unsigned i) {
  return static_cast<uint32_t>(offsetof(TestState, v) + 16 * i);
}

class FakeCode final : public ir::CodeReader {
 public:
  size_t Fetch(uint64_t, void*, size_t) const override { return 0; }
};

// Returns the block added for a pc; any other pc lifts to a fetch-fault trap.
class FakeLifter final : public ir::Lifter {
 public:
  void Add(const ir::Block& b);
  std::string_view ArchName() const override { return "test"; }
  size_t StateSize() const override { return sizeof(TestState); }
  void Lift(uint64_t pc, const ir::CodeReader& code, const ir::LiftOptions& options,
            ir::Block& out) const override;
  unsigned Disassemble(uint64_t pc, const ir::CodeReader& code, std::string& text) const override;
  std::string RegName(uint32_t) const override { return ""; }
  bool DynamicRoundingIsIeee() const override { return ieee_rounding; }
  int lifts() const { return lifts_.load(); }

  bool ieee_rounding = false;  // set before the first run

 private:
  mutable std::mutex mu_;
  std::map<uint64_t, ir::Block> blocks_;
  mutable std::atomic<int> lifts_{0};
};

// Guest memory: `pages` host pages, readable and writable unless Protect changes them.
class GuestMemory {
 public:
  explicit GuestMemory(size_t pages);
  ~GuestMemory();
  uint8_t* base() const { return base_; }
  size_t size() const { return size_; }
  void Protect(size_t page, int prot);
  void Attach(core::CpuHeader& hdr) const {
    hdr.mem_base = base_;
    hdr.mem_limit = size_;
  }

 private:
  uint8_t* base_;
  size_t size_;
};

// A block under construction, `insns` guest instructions of 4 bytes from `pc`.
struct BlockMaker {
  ir::Block block;
  ir::Builder ir{block};
  explicit BlockMaker(uint64_t pc, uint32_t insns = 1) {
    block.pc = pc;
    block.size = 4 * insns;
    block.insn_count = insns;
  }
  void Insn(unsigned k) { ir.GuestInsn(block.pc + 4 * k, 4); }
  void Jump(uint64_t target, uint32_t count) { Exit(ir::ExitKind::kJump, target, count); }
  void Halt(uint64_t target, uint32_t count) { Exit(ir::ExitKind::kHalt, target, count); }
  void Exit(ir::ExitKind kind, uint64_t target, uint32_t count) {
    ir::Exit e;
    e.kind = kind;
    e.target = target;
    e.insn_count = count;
    ir.SetExit(e);
  }
};

#if defined(POLYVM_TEST_ENGINE_JIT)
using TestEngine = jit::JitEngine;
jit::Options EngineOptions(const Options& o);
#else
using TestEngine = Interpreter;
inline const Options& EngineOptions(const Options& o) { return o; }
#endif

inline Options NoOpt() {
  Options o;
  o.optimize = false;
  return o;
}

// One interpreter over a fake lifter, a test state and guest memory.
struct Machine {
  explicit Machine(Options options = NoOpt(), size_t pages = 16);
  core::ExitInfo Run(uint64_t pc);
  void Add(const ir::Block& b) { lifter.Add(b); }

  FakeLifter lifter;
  FakeCode code;
  GuestMemory mem;
  std::unique_ptr<TestEngine> interp;
  TestState st;
  core::Vcpu vcpu;
};

// ---- single-op evaluation ----

struct Arg {
  Type t;
  U128 v;
};
inline uint64_t Ld64(const void* p) {
  uint64_t v;
  __builtin_memcpy(&v, p, 8);
  return v;
}
inline U128 Bits(V128 v) { return static_cast<U128>(v.lo) | (static_cast<U128>(v.hi) << 64); }
inline V128 Vec(U128 v) { return {static_cast<uint64_t>(v), static_cast<uint64_t>(v >> 64)}; }
U128 FBits(float f);
U128 FBits(double d);

struct OpFields {
  uint32_t aux = 0;
  uint8_t lane = 0;
  uint64_t imm = 0;
};

// Evaluates op(args) into a value of type rt in every placement of the operands (state field,
// slot, constant where the value fits an immediate) and of the result (state field, slot) and
// expects `expect` from each. With `flags`, also expects exactly those accumulated FP flags
// (CpuHeader::fp_flags after Run, starting from 0) and runs with rounding mode `rm`.
void ExpectOp(Opcode op, Type rt, const std::vector<Arg>& args, U128 expect, OpFields f = {},
              int flags = -1, uint32_t rm = 0);

// The result of op(args) with every operand in a state field and the result written to one.
U128 EvalOp(Opcode op, Type rt, const std::vector<Arg>& args, OpFields f = {});

// ---- op coverage: every IR op must have a test declaring it ----
bool Covers(std::initializer_list<Opcode> ops);
bool IsCovered(Opcode op);

#define PV_CONCAT2(a, b) a##b
#define PV_CONCAT(a, b) PV_CONCAT2(a, b)
// A test of the listed ops (Opcode::kAdd, ...).
#define OP_TEST(suite, name, ...)                                                    \
  [[maybe_unused]] static const bool PV_CONCAT(kCovers_##suite##_##name, __LINE__) = \
      ::polyvm::engine::interp::test::Covers({__VA_ARGS__});                         \
  TEST(suite, name)

// The value of the --stats entry `name` of engine `e` (a test failure, and -1, if it has none).
double StatOf(const core::ExecutionEngine& e, const std::string& name);

}  // namespace polyvm::engine::interp::test
