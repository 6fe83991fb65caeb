// Builds the decode structure from insns.def: parses the patterns and operand lists, rejects
// ambiguous overlaps, and buckets the rows by opcode so a lookup scans a handful of candidates.
#include "decoder.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstdlib>

namespace polyvm::frontend::riscv64 {
namespace {

constexpr InsnSpec kSpecs[] = {
#define INSN(id, mnemonic, pattern, operands, lift) {InsnId::k##id, mnemonic, pattern, operands},
#include "insns.def"
#undef INSN
};
static_assert(std::size(kSpecs) == kInsnCount);

constexpr uint32_t kDispatchBits32 = 0x7f;    // opcode
constexpr uint32_t kDispatchBits16 = 0xe003;  // funct3 and quadrant

bool ParsePattern(std::string_view pattern, uint32_t& mask, uint32_t& match, unsigned& bits) {
  mask = match = 0;
  bits = 0;
  for (char c : pattern) {
    if (c == ' ') continue;
    if (c != '0' && c != '1' && c != '.') return false;
    mask = mask << 1 | (c != '.');
    match = match << 1 | (c == '1');
    ++bits;
  }
  return bits == 16 || bits == 32;
}

bool IsTokenChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

}  // namespace

std::span<const InsnSpec> InsnSpecs() { return kSpecs; }

unsigned DecodeTable::Bucket(uint32_t raw, unsigned len) {
  if (len == 4) return (raw >> 2) & 31;
  return kBuckets32 + (raw & 3) * 8 + ((raw >> 13) & 7);
}

std::optional<DecodeTable> DecodeTable::Build(std::span<const InsnSpec> rows, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<DecodeTable> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  DecodeTable t;
  for (const InsnSpec& spec : rows) {
    Row row{&spec, 0, 0, 0, {}};
    unsigned bits;
    if (!ParsePattern(spec.pattern, row.mask, row.match, bits)) {
      return fail(fmt::format("{}: pattern \"{}\" is not 16 or 32 of 0, 1 and .", spec.mnemonic,
                              spec.pattern));
    }
    row.len = static_cast<uint8_t>(bits / 8);
    uint32_t dispatch = row.len == 4 ? kDispatchBits32 : kDispatchBits16;
    if ((row.mask & dispatch) != dispatch) {
      return fail(fmt::format("{}: pattern does not fix the dispatch bits 0x{:x}", spec.mnemonic,
                              dispatch));
    }
    if (((row.match & 3) == 3) != (row.len == 4)) {
      return fail(fmt::format("{}: bits 1:0 do not match the {}-bit length", spec.mnemonic, bits));
    }
    // Operands: tokens separated by the punctuation objdump prints.
    std::string_view ops = spec.operands;
    size_t pos = 0;
    while (pos < ops.size()) {
      size_t lit = pos;
      while (pos < ops.size() && !IsTokenChar(ops[pos])) {
        if (ops[pos] != ',' && ops[pos] != '(' && ops[pos] != ')') {
          return fail(
              fmt::format("{}: unexpected '{}' in operands \"{}\"", spec.mnemonic, ops[pos], ops));
        }
        ++pos;
      }
      Piece piece{ops.substr(lit, pos - lit), nullptr};
      size_t tok = pos;
      while (pos < ops.size() && IsTokenChar(ops[pos])) ++pos;
      if (pos > tok) {
        std::string_view name = ops.substr(tok, pos - tok);
        piece.op = FindOperand(name);
        if (!piece.op)
          return fail(fmt::format("{}: unknown operand token \"{}\"", spec.mnemonic, name));
      }
      row.pieces.push_back(piece);
    }
    t.rows_.push_back(std::move(row));
  }
  if (t.rows_.size() > 0xffff) return fail("too many rows");

  // Two rows that match a common encoding must be ordered by strictly more fixed bits.
  for (size_t a = 0; a < t.rows_.size(); ++a) {
    for (size_t b = a + 1; b < t.rows_.size(); ++b) {
      const Row& ra = t.rows_[a];
      const Row& rb = t.rows_[b];
      if (ra.len != rb.len) continue;
      uint32_t common = ra.mask & rb.mask;
      if ((ra.match ^ rb.match) & common) continue;  // disjoint
      bool a_wins = (ra.mask & rb.mask) == rb.mask && ra.mask != rb.mask;
      bool b_wins = (ra.mask & rb.mask) == ra.mask && ra.mask != rb.mask;
      if (!a_wins && !b_wins) {
        return fail(
            fmt::format("ambiguous rows: {} and {} both match 0x{:x} and neither has strictly "
                        "more fixed bits",
                        ra.spec->mnemonic, rb.spec->mnemonic, ra.match | rb.match));
      }
    }
  }

  for (size_t i = 0; i < t.rows_.size(); ++i) {
    t.buckets_[Bucket(t.rows_[i].match, t.rows_[i].len)].push_back(static_cast<uint16_t>(i));
  }
  for (auto& bucket : t.buckets_) {
    std::stable_sort(bucket.begin(), bucket.end(), [&](uint16_t x, uint16_t y) {
      return std::popcount(t.rows_[x].mask) > std::popcount(t.rows_[y].mask);
    });
  }
  return t;
}

int DecodeTable::Match(uint32_t raw) const {
  unsigned len = InsnLength(static_cast<uint16_t>(raw));
  if (len == 2) raw &= 0xffff;
  for (uint16_t i : buckets_[Bucket(raw, len)]) {
    const Row& row = rows_[i];
    if ((raw & row.mask) == row.match) return i;
  }
  return -1;
}

bool DecodeTable::Decode(uint32_t raw, Insn& out) const {
  unsigned len = InsnLength(static_cast<uint16_t>(raw));
  if (len == 2) raw &= 0xffff;
  int r = Match(raw);
  if (r < 0) return false;
  const Row& row = rows_[r];
  Insn insn;
  insn.id = row.spec->id;
  insn.len = static_cast<uint8_t>(len);
  insn.raw = raw;
  insn.row = static_cast<uint16_t>(r);
  for (const Piece& piece : row.pieces) {
    if (!piece.op) continue;
    int64_t v = piece.op->Extract(raw);
    if (!piece.op->Valid(v)) return false;
    for (Slot slot : {piece.op->def->slot, piece.op->def->slot2}) {
      switch (slot) {
        case Slot::kNone: break;
        case Slot::kRd: insn.rd = static_cast<uint8_t>(v); break;
        case Slot::kRs1: insn.rs1 = static_cast<uint8_t>(v); break;
        case Slot::kRs2: insn.rs2 = static_cast<uint8_t>(v); break;
        case Slot::kRs3: insn.rs3 = static_cast<uint8_t>(v); break;
        case Slot::kImm: insn.imm = v; break;
        case Slot::kRm: insn.rm = static_cast<uint8_t>(v); break;
        case Slot::kAqRl: insn.aqrl = static_cast<uint8_t>(v); break;
        case Slot::kPred: insn.pred = static_cast<uint8_t>(v); break;
        case Slot::kSucc: insn.succ = static_cast<uint8_t>(v); break;
        case Slot::kCsr: insn.csr = static_cast<uint16_t>(v); break;
      }
    }
    if (piece.op->def->implied_rd >= 0) insn.rd = static_cast<uint8_t>(piece.op->def->implied_rd);
  }
  out = insn;
  return true;
}

const DecodeTable& Riscv64Table() {
  static const DecodeTable kTable = [] {
    std::string error;
    std::optional<DecodeTable> t = DecodeTable::Build(kSpecs, &error);
    if (!t) {
      std::fprintf(stderr, "riscv64 decode table: %s\n", error.c_str());
      std::abort();
    }
    return std::move(*t);
  }();
  return kTable;
}

}  // namespace polyvm::frontend::riscv64
