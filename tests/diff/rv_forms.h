// The instruction forms the differential generator draws from: one row per RV64GC + Zicsr
// instruction form (compressed forms included), with the fixed bits, how operands are chosen, and
// the few facts the Unicorn adapters need (FP precision of sources and result, min/max, FMA).
// Control transfers (branches, jumps) are built by the sequence generator, not drawn from here.
// Zba/Zbb/Zbs rows are only drawn by profiles that run against qemu-user (Unicorn lacks them).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace polyvm::diff {

enum class Ext : uint8_t { kI, kM, kA, kF, kD, kC, kZicsr, kZifencei, kB /* Zba, Zbb, Zbs */ };

// Operand layout of a form; the generator fills the fields and the encoder places them.
enum class Fmt : uint8_t {
  kR,       // rd, rs1, rs2 (x or f registers per the row's classes; rs2 fixed if its class is none)
  kImm,     // rd, rs1, imm[11:0]
  kShift6,  // rd, rs1, shamt[5:0]
  kShift5,  // rd, rs1, shamt[4:0] (*W shifts)
  kU,       // rd, imm[31:12] (lui, auipc)
  kLoad,    // rd (x or f), imm(base)
  kStore,   // rs2 (x or f), imm(base)
  kLr,      // rd, (base)
  kAmo,     // rd, rs2, (base) -- sc and AMOs
  kFp,      // FP R-type: rd, rs1, rs2 per classes; rm at 14:12 if the row has kRm
  kFma,     // rd, rs1, rs2, rs3, rm
  kCsr,     // rd, csr, rs1
  kCsrI,    // rd, csr, uimm5
  kFence,   // any pred/succ/fm, ignored rs1/rd
  kFenceI,  // ignored imm/rs1/rd
  // compressed (16.x of the manual); rd'/rs' registers are x8..x15 (f8..f15)
  kCAddi4spn,
  kCLoad,
  kCStore,
  kCAddi,
  kCAddiw,
  kCLi,
  kCAddi16sp,
  kCLui,
  kCShiftR,
  kCAndi,
  kCArith,
  kCSlli,
  kCLoadSp,
  kCStoreSp,
  kCMv,
  kCAdd,
};

// Register operand classes.
enum class Rc : uint8_t { kNone, kX, kF };

// Row flags.
enum FormFlag : uint32_t {
  kRm = 1,         // has a rounding-mode field (bits 14:12)
  kSrcS = 2,       // FP sources are single precision and NaN-box checked (not transfers)
  kDstS = 4,       // writes a single-precision result into an FP register (NaN-boxed by the spec)
  kMinMax = 8,     // fmin/fmax
  kFmaOp = 16,     // fused multiply-add family
  kWritesSp = 32,  // writes x2 (c.addi16sp)
  kReadsSp = 64,   // uses x2 as its base or operand implicitly
  kAtomic = 128,   // lr/sc/amo: the address must be aligned
  kFpCsr = 256,    // reads or writes fflags/frm/fcsr
  kAmoMinMaxW = 512,  // amomin.w, amomax.w, amominu.w, amomaxu.w
};

struct Form {
  std::string_view name;
  Ext ext;
  Fmt fmt;
  uint32_t match;  // fixed bits (opcode, funct3, funct7, fixed rs2, ...)
  Rc rd, rs1, rs2, rs3;
  uint8_t mem_size;  // bytes accessed by loads, stores and atomics
  uint32_t flags;
  bool Has(FormFlag f) const { return (flags & f) != 0; }
};

std::span<const Form> AllForms();
const Form* FindForm(std::string_view name);

// The form of an encoded instruction (for hand-written cases), or null; 32-bit forms also give
// their register fields (rd, rs1, rs2, rs3 as bits 11:7, 19:15, 24:20, 31:27).
struct Identified {
  const Form* form = nullptr;
  unsigned rd = 0, rs1 = 0, rs2 = 0, rs3 = 0;
};
Identified Identify(uint32_t word);

}  // namespace polyvm::diff
