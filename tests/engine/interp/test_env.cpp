// Test fixtures for the interpreter (see test_env.h).
#include "test_env.h"

#include <sys/mman.h>
#include <unistd.h>

#include <bit>
#include <cstring>
#include <set>

namespace polyvm::engine::interp::test {

void FakeLifter::Add(const ir::Block& b) {
  std::lock_guard lock(mu_);
  blocks_[b.pc] = b;
}

void FakeLifter::Lift(uint64_t pc, const ir::CodeReader&, const ir::LiftOptions&,
                      ir::Block& out) const {
  lifts_.fetch_add(1);
  std::lock_guard lock(mu_);
  if (auto it = blocks_.find(pc); it != blocks_.end()) {
    out = it->second;
    return;
  }
  out = ir::Block{};
  out.pc = pc;
  out.exit.kind = ir::ExitKind::kTrap;
  out.exit.trap = core::TrapCode::kFetchFault;
  out.exit.target = pc;
  out.exit.info = pc;
}

unsigned FakeLifter::Disassemble(uint64_t pc, const ir::CodeReader&, std::string& text) const {
  text = "insn@" + std::to_string(pc);
  return 4;
}

GuestMemory::GuestMemory(size_t pages) : size_(pages * static_cast<size_t>(getpagesize())) {
  void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) abort();
  base_ = static_cast<uint8_t*>(p);
}

GuestMemory::~GuestMemory() { munmap(base_, size_); }

void GuestMemory::Protect(size_t page, int prot) {
  size_t ps = static_cast<size_t>(getpagesize());
  if (mprotect(base_ + page * ps, ps, prot) != 0) abort();
}

Machine::Machine(Options options, size_t pages)
    : mem(pages), interp(std::make_unique<TestEngine>(lifter, code, EngineOptions(options))) {
  mem.Attach(st.hdr);
  vcpu.state = &st.hdr;
}

core::ExitInfo Machine::Run(uint64_t pc) {
  st.hdr.pc = pc;
  return interp->Run(vcpu);
}

#if defined(POLYVM_TEST_ENGINE_JIT)
jit::Options EngineOptions(const Options& o) {
  jit::Options j;
  j.max_insns = o.max_insns;
  j.optimize = o.optimize;
  j.log_in_asm = o.log_in_asm;
  j.log_op = o.log_op;
  j.log_op_opt = o.log_op_opt;
  j.log_sink = o.log_sink;
  j.log_file = o.log_file;
  return j;
}
#endif

U128 FBits(float f) { return std::bit_cast<uint32_t>(f); }
U128 FBits(double d) { return std::bit_cast<uint64_t>(d); }

namespace {

enum class Place { kState, kSlot, kConst };

bool FitsConst(const Arg& a) {
  if (ir::IsVector(a.t) || a.t == Type::kI128) return (a.v >> 64) == 0;
  return true;
}

void Store128(uint8_t* p, U128 v) { std::memcpy(p, &v, 16); }

constexpr uint8_t kSentinel = 0xA5;

// Runs one placement; returns the result, checks the surrounding bytes and the exit.
U128 RunOnce(Machine& m, uint64_t pc, Opcode op, Type rt, const std::vector<Arg>& args,
             const std::vector<Place>& place, bool dst_slot, const OpFields& f, int flags,
             uint32_t rm, const std::string& what) {
  BlockMaker bm(pc);
  bm.Insn(0);
  std::vector<ir::Value> vals;
  for (size_t k = 0; k < args.size(); ++k) {
    if (place[k] == Place::kConst) {
      vals.push_back(bm.ir.Const(args[k].t, static_cast<uint64_t>(args[k].v)));
    } else {
      vals.push_back(bm.ir.GetReg(args[k].t, V(static_cast<unsigned>(k))));
    }
  }
  for (size_t k = 0; k < args.size(); ++k) {
    // Overwriting the field after the GetReg forces the value into a slot.
    if (place[k] == Place::kSlot) {
      bm.ir.SetReg(V(static_cast<unsigned>(k)), bm.ir.Const(args[k].t, 0));
    }
  }
  ir::Value a = vals.size() > 0 ? vals[0] : ir::Value{};
  ir::Value b = vals.size() > 1 ? vals[1] : ir::Value{};
  ir::Value c = vals.size() > 2 ? vals[2] : ir::Value{};
  ir::Value r = bm.ir.Emit(op, rt, a, b, c, f.imm, f.aux, f.lane);
  if (dst_slot) {
    // A possible side exit between the op and the SetReg keeps the result out of the field.
    ir::Exit side;
    side.kind = ir::ExitKind::kHalt;
    side.target = pc + 0x100;
    bm.ir.ExitIf(bm.ir.Bool(false), side);
  }
  bm.ir.SetReg(V(4), r);
  bm.Halt(pc + 4, 1);
  m.Add(bm.block);

  for (size_t k = 0; k < args.size(); ++k) Store128(m.st.v[k], args[k].v);
  // The result field v[4] and the field after it, as one byte range.
  uint8_t* res = reinterpret_cast<uint8_t*>(m.st.v) + 4 * 16;
  std::memset(res, kSentinel, 32);
  m.st.hdr.fp_flags = 0;
  m.st.hdr.fp_round = rm;
  uint64_t retired = m.st.hdr.retired;
  core::ExitInfo info = m.Run(pc);
  EXPECT_EQ(info.reason, core::ExitReason::kHalt) << what;
  EXPECT_EQ(m.st.hdr.pc, pc + 4) << what;
  EXPECT_EQ(m.st.hdr.retired, retired + 1) << what;
  unsigned size = ir::ByteSize(rt);
  for (unsigned i = size; i < 32; ++i) {
    if (res[i] != kSentinel) {
      ADD_FAILURE() << what << ": byte " << i << " beyond the " << size << "-byte result written";
      break;
    }
  }
  if (flags >= 0) {
    EXPECT_EQ(m.st.hdr.fp_flags, static_cast<uint32_t>(flags)) << what << ": FP flags";
  }
  U128 out = 0;
  std::memcpy(&out, res, size);
  return out;
}

std::string Hex(U128 v) {
  char buf[40];
  snprintf(buf, sizeof buf, "0x%016llx%016llx", static_cast<unsigned long long>(v >> 64),
           static_cast<unsigned long long>(v));
  return buf;
}

Machine& SharedMachine() {
  static Machine* m = new Machine(NoOpt());
  return *m;
}
uint64_t NextPc() {
  static uint64_t pc = 0x100000;
  pc += 0x1000;
  return pc;
}

}  // namespace

void ExpectOp(Opcode op, Type rt, const std::vector<Arg>& args, U128 expect, OpFields f, int flags,
              uint32_t rm) {
  Machine& m = SharedMachine();
  size_t combos = 1;
  for (size_t k = 0; k < args.size(); ++k) combos *= 3;
  for (size_t combo = 0; combo < combos; ++combo) {
    std::vector<Place> place(args.size());
    size_t c = combo;
    bool ok = true;
    for (size_t k = 0; k < args.size(); ++k) {
      place[k] = static_cast<Place>(c % 3);
      c /= 3;
      if (place[k] == Place::kConst && !FitsConst(args[k])) ok = false;
    }
    if (!ok) continue;
    for (bool dst_slot : {false, true}) {
      std::string what = std::string(ir::OpName(op)) + "." + std::string(ir::TypeName(rt)) + "(";
      for (size_t k = 0; k < args.size(); ++k) {
        what += (k ? ", " : "") + Hex(args[k].v) + "@" + "rsc"[static_cast<int>(place[k])];
      }
      what += dst_slot ? ") -> slot" : ") -> state";
      U128 got = RunOnce(m, NextPc(), op, rt, args, place, dst_slot, f, flags, rm, what);
      EXPECT_EQ(Hex(got), Hex(expect)) << what;
    }
  }
}

U128 EvalOp(Opcode op, Type rt, const std::vector<Arg>& args, OpFields f) {
  Machine& m = SharedMachine();
  std::vector<Place> place(args.size(), Place::kState);
  return RunOnce(m, NextPc(), op, rt, args, place, false, f, -1, 0, std::string(ir::OpName(op)));
}

namespace {
std::set<Opcode>& CoveredSet() {
  static std::set<Opcode> s;
  return s;
}
}  // namespace

bool Covers(std::initializer_list<Opcode> ops) {
  for (Opcode op : ops) CoveredSet().insert(op);
  return true;
}

bool IsCovered(Opcode op) { return CoveredSet().count(op) != 0; }

double StatOf(const core::ExecutionEngine& e, const std::string& name) {
  core::Stats s;
  e.CollectStats(s);
  for (const auto& entry : s.entries) {
    if (entry.name == name) return entry.value;
  }
  ADD_FAILURE() << "no statistic " << name;
  return -1;
}

}  // namespace polyvm::engine::interp::test
