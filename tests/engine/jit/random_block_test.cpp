// Random whole blocks, interpreter against JIT: integer arithmetic at 64 and 32 bits, compares and
// selects, loads and stores (some outside guest memory, to check that faults are precise), guest
// register reads and writes, side exits and branch or indirect block exits. Each block has enough
// live values to exhaust the JIT's host registers. The two engines start from the same state and
// memory; everything they leave behind must be equal.
#include <cstring>
#include <string>
#include <vector>

#include "test_env.h"

namespace polyvm::engine::interp::test {
namespace {

struct Rng {
  uint64_t s;
  uint64_t Next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  unsigned Below(unsigned n) { return static_cast<unsigned>(Next() % n); }
};

constexpr uint64_t kHaltA = 0x900000, kHaltB = 0x900100, kSideHalt = 0x900200;

ir::Block RandomBlock(uint64_t pc, Rng& rng) {
  const uint32_t insns = 4 + rng.Below(12);
  BlockMaker b(pc, insns);
  std::vector<ir::Value> v64;  // i64 values to pick operands from
  auto pick = [&]() { return v64[rng.Below(static_cast<unsigned>(v64.size()))]; };
  for (unsigned k = 0; k < 4; ++k) v64.push_back(b.ir.GetReg(Type::kI64, R(rng.Below(16))));
  for (uint32_t n = 0; n < insns; ++n) {
    b.Insn(n);
    unsigned ops = 1 + rng.Below(5);
    for (unsigned o = 0; o < ops; ++o) {
      switch (rng.Below(16)) {
        case 0: v64.push_back(b.ir.Add(pick(), pick())); break;
        case 1: v64.push_back(b.ir.Sub(pick(), b.ir.I64(rng.Next() % 5000))); break;
        case 2: v64.push_back(b.ir.Op(Opcode::kMul, pick(), pick())); break;
        case 3: v64.push_back(b.ir.Xor(pick(), b.ir.And(pick(), b.ir.I64(rng.Next())))); break;
        case 4: {
          static const Opcode shifts[] = {Opcode::kShl, Opcode::kLShr, Opcode::kAShr,
                                          Opcode::kRotr};
          ir::Value cnt = rng.Below(2) ? b.ir.I64(rng.Below(70)) : pick();
          v64.push_back(b.ir.Op(shifts[rng.Below(4)], pick(), cnt));
          break;
        }
        case 5: {  // 32-bit ops, sign-extended back (RISC-V's W instructions), chained; a
                   // truncation sometimes also read whole (ZExt) or passed on by x + 0
          auto trunc = [&]() {
            ir::Value t = b.ir.Trunc(Type::kI32, pick());
            if (rng.Below(6) == 0) v64.push_back(b.ir.ZExt(Type::kI64, t));
            return t;
          };
          static const Opcode w[] = {Opcode::kAdd, Opcode::kSub, Opcode::kShl, Opcode::kLShr,
                                     Opcode::kAShr, Opcode::kRotr, Opcode::kMul, Opcode::kAnd,
                                     Opcode::kOr, Opcode::kXor};
          ir::Value x = trunc();
          for (unsigned k = 0, n = rng.Below(4); k < n; ++k) {  // none: sext.w
            const unsigned c = rng.Below(5);
            ir::Value y = c == 0 ? b.ir.I32(0) : c == 1 ? b.ir.I32(rng.Below(40)) : trunc();
            x = b.ir.Op(w[rng.Below(10)], x, y);
          }
          v64.push_back(rng.Below(3) ? b.ir.SExt(Type::kI64, x) : b.ir.ZExt(Type::kI64, x));
          break;
        }
        case 6: {
          static const Opcode cmps[] = {Opcode::kCmpEq,  Opcode::kCmpNe,  Opcode::kCmpLtS,
                                        Opcode::kCmpLtU, Opcode::kCmpLeS, Opcode::kCmpLeU};
          ir::Value c = b.ir.Cmp(cmps[rng.Below(6)], pick(),
                                 rng.Below(2) ? pick() : b.ir.I64(rng.Below(100)));
          v64.push_back(rng.Below(2) ? b.ir.ZExt(Type::kI64, c) : b.ir.Select(c, pick(), pick()));
          break;
        }
        case 7:
        case 8: {  // load: in guest memory, or (rarely) anywhere
          static const Type lt[] = {Type::kI8, Type::kI16, Type::kI32, Type::kI64};
          Type t = lt[rng.Below(4)];
          ir::Value addr = rng.Below(40) == 0
                               ? pick()
                               : b.ir.Add(b.ir.And(pick(), b.ir.I64(0x3fff)), b.ir.I64(0x1000));
          ir::Value l = b.ir.Load(t, addr);
          v64.push_back(t == Type::kI64
                            ? l
                            : (rng.Below(2) ? b.ir.ZExt(Type::kI64, l) : b.ir.SExt(Type::kI64, l)));
          break;
        }
        case 9: {
          static const Type st[] = {Type::kI8, Type::kI16, Type::kI32, Type::kI64};
          Type t = st[rng.Below(4)];
          ir::Value addr = rng.Below(40) == 0
                               ? pick()
                               : b.ir.Add(b.ir.And(pick(), b.ir.I64(0x3fff)), b.ir.I64(0x1000));
          ir::Value val = pick();
          b.ir.Store(addr, t == Type::kI64 ? val : b.ir.Trunc(t, val));
          break;
        }
        case 10: {
          const uint32_t r = R(rng.Below(16));
          if (rng.Below(3) == 0) {  // a write overwritten at once (`slli a4,a4,2; add a4,a4,a0`)
            ir::Value sh = b.ir.Op(Opcode::kShl, pick(), b.ir.I64(1 + rng.Below(3)));
            b.ir.SetReg(r, sh);
            v64.push_back(b.ir.Add(b.ir.GetReg(Type::kI64, r), pick()));
            b.ir.SetReg(r, v64.back());
          } else {
            b.ir.SetReg(r, pick());
          }
          break;
        }
        case 11: v64.push_back(b.ir.GetReg(Type::kI64, R(rng.Below(16)))); break;
        case 12:
          if (rng.Below(3) == 0) {
            ir::Exit side;
            side.kind = rng.Below(2) ? ir::ExitKind::kHalt : ir::ExitKind::kJump;
            side.target = kSideHalt;
            side.insn_count = n;
            b.ir.ExitIf(b.ir.Cmp(Opcode::kCmpLtU, pick(), b.ir.I64(1u << 20)), side);
          } else {
            v64.push_back(b.ir.Op(rng.Below(2) ? Opcode::kDivU : Opcode::kRemS, pick(), pick()));
          }
          break;
        case 13: {  // a scalar written as a whole vector register, upper bits zero (AArch64's D/S)
          ir::Value x = pick();
          switch (rng.Below(3)) {
            case 0: x = b.ir.Trunc(Type::kI32, x); break;
            case 1: x = b.ir.Emit(Opcode::kBitcast, Type::kI64, b.ir.Emit(Opcode::kBitcast, Type::kF64, x)); break;
            default: break;
          }
          ir::Value wide = b.ir.Emit(Opcode::kBitcast, Type::kV128, b.ir.ZExt(Type::kI128, x));
          b.ir.SetReg(V(rng.Below(4)), wide);
          if (rng.Below(4) == 0) b.ir.SetReg(V(4 + rng.Below(4)), wide);  // read twice
          break;
        }
        case 15: {  // sext.w of 64-bit ops on values that are (or are not) sign-extended words
          auto operand = [&]() {
            static const uint64_t consts[] = {5, 0x7fffffff, 0x80000000, 0xffffffff,
                                              ~uint64_t{0}, 0xffffffff80000000, 0x100000000};
            switch (rng.Below(3)) {
              case 0: return b.ir.I64(consts[rng.Below(7)]);
              case 1: return pick();
              default: return b.ir.SExt(Type::kI64, b.ir.Trunc(Type::kI32, pick()));
            }
          };
          static const Opcode ops[] = {Opcode::kAdd, Opcode::kSub, Opcode::kAnd, Opcode::kOr,
                                       Opcode::kXor, Opcode::kShl};
          ir::Value x = rng.Below(4) == 0
                            ? b.ir.Select(b.ir.Cmp(Opcode::kCmpLtU, pick(), pick()), operand(),
                                          operand())
                            : b.ir.Op(ops[rng.Below(6)], operand(), operand());
          v64.push_back(b.ir.SExt(Type::kI64, b.ir.Trunc(Type::kI32, x)));
          break;
        }
        case 14: {  // a vector register's low or high half, as an integer or FP bits
          const uint32_t off = V(rng.Below(8)) + (rng.Below(4) == 0 ? 8 : 0);
          if (rng.Below(2)) {
            v64.push_back(b.ir.GetReg(Type::kI64, off));
          } else if (rng.Below(2)) {
            v64.push_back(b.ir.ZExt(Type::kI64, b.ir.GetReg(Type::kI32, off)));
          } else {
            v64.push_back(b.ir.Emit(Opcode::kBitcast, Type::kI64, b.ir.GetReg(Type::kF64, off)));
          }
          break;
        }
      }
    }
  }
  ir::Exit e;
  e.insn_count = insns;
  switch (rng.Below(3)) {
    case 0:
      e.kind = ir::ExitKind::kBranch;
      e.value = b.ir.Cmp(Opcode::kCmpLtS, pick(), pick()).id;
      e.target = kHaltA;
      e.fallthrough = kHaltB;
      break;
    case 1:
      e.kind = ir::ExitKind::kIndirect;
      e.value = b.ir.Select(b.ir.Cmp(Opcode::kCmpEq, b.ir.And(pick(), b.ir.I64(1)), b.ir.I64(0)),
                            b.ir.I64(kHaltA), b.ir.I64(kHaltB))
                    .id;
      break;
    default:
      e.kind = ir::ExitKind::kJump;
      e.target = kHaltB;
      break;
  }
  b.ir.SetExit(e);
  return b.block;
}

struct Side {
  Side(FakeLifter& lifter, FakeCode& code, bool jit_engine, bool optimize) : mem(8) {
    Options o = NoOpt();
    o.optimize = optimize;
    if (jit_engine) {
      engine = std::make_unique<jit::JitEngine>(lifter, code, EngineOptions(o));
    } else {
      engine = std::make_unique<Interpreter>(lifter, code, o);
    }
    mem.Attach(st.hdr);
    vcpu.state = &st.hdr;
  }
  GuestMemory mem;
  std::unique_ptr<core::ExecutionEngine> engine;
  TestState st;
  core::Vcpu vcpu;
};

void RunRandomBlocks(bool optimize, int count) {
  FakeLifter lifter;
  FakeCode code;
  for (uint64_t h : {kHaltA, kHaltB, kSideHalt}) {
    BlockMaker m(h);
    m.Halt(h, 0);
    lifter.Add(m.block);
  }
  Side a(lifter, code, false, optimize), j(lifter, code, true, optimize);
  Rng rng{0x243F6A8885A308D3ull + static_cast<uint64_t>(optimize)};
  for (int i = 0; i < count; ++i) {
    uint64_t pc = 0x100000 + 0x100 * static_cast<uint64_t>(i);
    lifter.Add(RandomBlock(pc, rng));
    Rng init{rng.Next() | 1};
    for (Side* s : {&a, &j}) {
      Rng r = init;
      for (unsigned k = 0; k < 32; ++k) {
        uint64_t x = r.Next();
        s->st.r[k] = k % 3 == 0 ? x % 0x6000 : x;  // some register values are valid addresses
      }
      for (size_t m = 0; m < s->mem.size(); ++m)
        s->mem.base()[m] = static_cast<uint8_t>(m * 31 + 7);
      s->st.hdr.pc = pc;
      s->st.hdr.retired = 0;
    }
    core::ExitInfo x = a.engine->Run(a.vcpu);
    core::ExitInfo y = j.engine->Run(j.vcpu);
    std::string what = "block " + std::to_string(i) + (optimize ? " (optimised)" : "");
    ASSERT_EQ(x.reason, y.reason) << what;
    EXPECT_EQ(x.trap, y.trap) << what;
    EXPECT_EQ(x.pc, y.pc) << what << " reason " << static_cast<int>(x.reason) << " addr " << x.addr
                          << "/" << y.addr;
    EXPECT_EQ(x.addr, y.addr) << what;
    EXPECT_EQ(x.access, y.access) << what;
    EXPECT_EQ(a.st.hdr.pc, j.st.hdr.pc) << what;
    EXPECT_EQ(a.st.hdr.retired, j.st.hdr.retired) << what;
    for (unsigned k = 0; k < 32; ++k) EXPECT_EQ(a.st.r[k], j.st.r[k]) << what << " r" << k;
    EXPECT_EQ(0, std::memcmp(a.mem.base(), j.mem.base(), a.mem.size())) << what << " memory";
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(JitRandomBlocks, MatchInterpreter) { RunRandomBlocks(false, 2500); }

TEST(JitRandomBlocks, MatchInterpreterOptimised) { RunRandomBlocks(true, 2500); }

}  // namespace
}  // namespace polyvm::engine::interp::test
