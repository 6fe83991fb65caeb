// AdvSIMD structure loads and stores (insns_simd.def): LD1-LD4/ST1-ST4 multiple structures,
// single lanes, LD1R-LD4R, with post-index by the transfer size (Rm = 31) or by Xm. Interleaved
// structures are (de)interleaved with byte permutations of whole 16-byte chunks. Every load
// happens before any register is written, and the base is written back last, so a fault leaves
// the registers as they were (the Arm ARM allows memory to be partly written by a faulting store).
#include <algorithm>

#include "lift_simd_util.h"

namespace polyvm::frontend::arm64 {
namespace {

using ir::Opcode;
using ir::Type;
using ir::Value;

Value AddrAt(LiftContext& c, Value base, unsigned offset) {
  return offset == 0 ? base : c.b().Add(base, c.I64(offset));
}

// Post-index writeback (Rm = 31: the bytes transferred; else Xm).
void WriteBack(LiftContext& c, const Insn& i, Value base, unsigned bytes) {
  if (!Bit(i.raw, 23)) return;  // no post-index
  Value step = i.rm == 31 ? c.I64(bytes) : c.X(i.rm);
  c.SetXSp(i.rn, c.b().Add(base, step));
}

struct MultiShape {
  unsigned regs;   // registers transferred
  unsigned selem;  // elements per structure (1: no interleaving)
};
MultiShape ShapeOf(uint32_t raw) {
  switch (Bits(raw, 15, 12)) {
    case 0b0000: return {4, 4};
    case 0b0010: return {4, 1};
    case 0b0100: return {3, 3};
    case 0b0110: return {3, 1};
    case 0b0111: return {1, 1};
    case 0b1000: return {2, 2};
    default: return {2, 1};
  }
}

Value LoadChunk(LiftContext& c, Value addr, unsigned bytes) {
  ir::Builder& b = c.b();
  if (bytes == 16) return b.Load(Type::kV128, addr);
  return b.Bitcast(Type::kV128, b.ZExt(Type::kI128, b.Load(Type::kI64, addr)));
}
void StoreChunk(LiftContext& c, Value addr, Value v, unsigned bytes) {
  ir::Builder& b = c.b();
  if (bytes == 16) {
    b.Store(addr, v);
  } else {
    b.Store(addr, b.Emit(Opcode::kVExtract, Type::kI64, v, {}, {}, 0, 0, 3));
  }
}

}  // namespace

LiftStatus LiftSimdLdStMulti(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  bool load = Bit(i.raw, 22), q = SimdQ(i);
  unsigned size = Bits(i.raw, 11, 10), esz = 1u << size;
  MultiShape shape = ShapeOf(i.raw);
  unsigned reg_bytes = q ? 16 : 8, total = shape.regs * reg_bytes;
  unsigned chunks = (total + 15) / 16;
  Value base = c.XSp(i.rn);
  auto reg = [&](unsigned k) { return (i.rd + k) % 32; };

  if (shape.selem == 1) {
    if (load) {
      std::vector<Value> vals;
      for (unsigned k = 0; k < shape.regs; ++k) {
        vals.push_back(LoadChunk(c, AddrAt(c, base, k * reg_bytes), reg_bytes));
      }
      for (unsigned k = 0; k < shape.regs; ++k) c.SetQ(reg(k), vals[k]);
    } else {
      for (unsigned k = 0; k < shape.regs; ++k) {
        StoreChunk(c, AddrAt(c, base, k * reg_bytes), c.Q(reg(k)), reg_bytes);
      }
    }
    WriteBack(c, i, base, total);
    return LiftStatus::kNext;
  }

  // Interleaved: memory element e = j * selem + r is lane j of register r.
  unsigned n = shape.selem;
  if (load) {
    std::vector<Value> mem;
    for (unsigned k = 0; k < chunks; ++k) {
      mem.push_back(LoadChunk(c, AddrAt(c, base, 16 * k), std::min(16u, total - 16 * k)));
    }
    std::vector<Value> out;
    for (unsigned r = 0; r < n; ++r) {
      std::array<ByteSel, 16> map{};
      for (unsigned k = 0; k < 16; ++k) {
        if (k >= reg_bytes) {
          map[k] = {-1, 0};
          continue;
        }
        unsigned j = k / esz, byte = k % esz;
        unsigned off = (j * n + r) * esz + byte;
        map[k] = {static_cast<int8_t>(off / 16), static_cast<uint8_t>(off % 16)};
      }
      out.push_back(Permute(b, mem, map));
    }
    for (unsigned r = 0; r < n; ++r) c.SetQ(reg(r), out[r]);
  } else {
    std::vector<Value> regs;
    for (unsigned r = 0; r < n; ++r) regs.push_back(c.Q(reg(r)));
    for (unsigned k = 0; k < chunks; ++k) {
      unsigned bytes = std::min(16u, total - 16 * k);
      std::array<ByteSel, 16> map{};
      for (unsigned x = 0; x < 16; ++x) {
        unsigned off = 16 * k + x;
        if (x >= bytes) {
          map[x] = {-1, 0};
          continue;
        }
        unsigned e = off / esz, byte = off % esz;
        unsigned j = e / n, r = e % n;
        map[x] = {static_cast<int8_t>(r), static_cast<uint8_t>(j * esz + byte)};
      }
      StoreChunk(c, AddrAt(c, base, 16 * k), Permute(b, regs, map), bytes);
    }
  }
  WriteBack(c, i, base, total);
  return LiftStatus::kNext;
}

namespace {

unsigned LaneLog2(uint32_t raw) {
  unsigned opc = Bits(raw, 15, 14);
  if (opc < 2) return opc;
  return Bit(raw, 10) ? 3 : 2;
}
unsigned StructCount(uint32_t raw) { return (Bit(raw, 13) << 1 | Bit(raw, 21)) + 1; }

}  // namespace

// LD1..LD4 / ST1..ST4 (single structure): lane `index` of registers t..t+n-1.
LiftStatus LiftSimdLdStLane(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = LaneLog2(i.raw), esz = 1u << size;
  unsigned index = (Bit(i.raw, 30) << 3 | Bit(i.raw, 12) << 2 | Bits(i.raw, 11, 10)) >> size;
  unsigned n = StructCount(i.raw);
  bool load = Bit(i.raw, 22);
  Value base = c.XSp(i.rn);
  auto lane = static_cast<uint8_t>(size);
  if (load) {
    std::vector<Value> vals;
    for (unsigned k = 0; k < n; ++k)
      vals.push_back(b.Load(LaneType(size), AddrAt(c, base, k * esz)));
    for (unsigned k = 0; k < n; ++k) {
      unsigned r = (i.rd + k) % 32;
      c.SetQ(r, b.Emit(Opcode::kVInsert, Type::kV128, c.Q(r), vals[k], {}, index, 0, lane));
    }
  } else {
    for (unsigned k = 0; k < n; ++k) {
      unsigned r = (i.rd + k) % 32;
      Value e = b.Emit(Opcode::kVExtract, LaneType(size), c.Q(r), {}, {}, index, 0, lane);
      b.Store(AddrAt(c, base, k * esz), e);
    }
  }
  WriteBack(c, i, base, n * esz);
  return LiftStatus::kNext;
}

// LD1R..LD4R: one element per register, replicated to every lane.
LiftStatus LiftSimdLdRep(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = Bits(i.raw, 11, 10), esz = 1u << size;
  unsigned n = StructCount(i.raw);
  Value base = c.XSp(i.rn);
  std::vector<Value> vals;
  for (unsigned k = 0; k < n; ++k) vals.push_back(b.Load(LaneType(size), AddrAt(c, base, k * esz)));
  for (unsigned k = 0; k < n; ++k) {
    Value v = b.Emit(Opcode::kVDup, Type::kV128, vals[k], {}, {}, 0, 0, static_cast<uint8_t>(size));
    SetVec(c, (i.rd + k) % 32, v, SimdQ(i));
  }
  WriteBack(c, i, base, n * esz);
  return LiftStatus::kNext;
}

}  // namespace polyvm::frontend::arm64
