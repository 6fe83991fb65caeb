// Builds the decode structure from insns.def, insns_fp.def and insns_simd.def: parses the patterns
// and operand lists, rejects ambiguous overlaps, buckets the rows by their top bits so a lookup
// scans a handful of candidates, and prints decoded instructions as objdump does.
#include "decoder.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstdlib>

namespace polyvm::frontend::arm64 {
namespace {

constexpr InsnSpec kSpecs[] = {
#define INSN(id, mnemonic, pattern, operands, lift) {InsnId::k##id, mnemonic, pattern, operands},
#include "insns.def"
#include "insns_fp.def"
#include "insns_simd.def"
#undef INSN
};
static_assert(std::size(kSpecs) == kInsnCount);

bool ParsePattern(std::string_view pattern, uint32_t& mask, uint32_t& match) {
  mask = match = 0;
  unsigned bits = 0;
  for (char c : pattern) {
    if (c == ' ') continue;
    if (c != '0' && c != '1' && c != '.') return false;
    mask = mask << 1 | (c != '.');
    match = match << 1 | (c == '1');
    ++bits;
  }
  return bits == 32;
}

bool IsTokenChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }
bool IsPunctuation(char c) {
  return c == ',' || c == ' ' || c == '[' || c == ']' || c == '!' || c == '{' || c == '}' ||
         c == '.' || c == '#';
}

}  // namespace

std::span<const InsnSpec> InsnSpecs() { return kSpecs; }

std::optional<DecodeTable> DecodeTable::Build(std::span<const InsnSpec> rows, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<DecodeTable> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  DecodeTable t;
  for (const InsnSpec& spec : rows) {
    Row row{&spec, 0, 0, {}};
    if (!ParsePattern(spec.pattern, row.mask, row.match)) {
      return fail(
          fmt::format("{}: pattern \"{}\" is not 32 of 0, 1 and .", spec.mnemonic, spec.pattern));
    }
    // Operands: tokens separated by the punctuation objdump prints.
    std::string_view ops = spec.operands;
    size_t pos = 0;
    while (pos < ops.size()) {
      size_t lit = pos;
      while (pos < ops.size() && !IsTokenChar(ops[pos])) {
        if (!IsPunctuation(ops[pos])) {
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
      uint32_t common = ra.mask & rb.mask;
      if ((ra.match ^ rb.match) & common) continue;  // disjoint
      bool a_wins = common == rb.mask && ra.mask != rb.mask;
      bool b_wins = common == ra.mask && ra.mask != rb.mask;
      if (!a_wins && !b_wins) {
        return fail(
            fmt::format("ambiguous rows: {} and {} both match 0x{:08x} and neither has strictly "
                        "more fixed bits",
                        ra.spec->mnemonic, rb.spec->mnemonic, ra.match | rb.match));
      }
    }
  }

  // A row goes into every bucket whose index bits agree with its fixed bits.
  for (size_t i = 0; i < t.rows_.size(); ++i) {
    const Row& row = t.rows_[i];
    for (uint32_t bucket = 0; bucket < kBuckets; ++bucket) {
      uint32_t bits = bucket << 25;
      if (((bits ^ row.match) & row.mask & kBucketBits) == 0) {
        t.buckets_[bucket].push_back(static_cast<uint16_t>(i));
      }
    }
  }
  for (auto& bucket : t.buckets_) {
    std::stable_sort(bucket.begin(), bucket.end(), [&](uint16_t x, uint16_t y) {
      return std::popcount(t.rows_[x].mask) > std::popcount(t.rows_[y].mask);
    });
  }
  return t;
}

int DecodeTable::Match(uint32_t raw) const {
  for (uint16_t i : buckets_[Bucket(raw)]) {
    const Row& row = rows_[i];
    if ((raw & row.mask) == row.match) return i;
  }
  return -1;
}

bool DecodeTable::Decode(uint32_t raw, Insn& out) const {
  int r = Match(raw);
  if (r < 0) return false;
  const Row& row = rows_[r];
  Insn insn;
  insn.id = row.spec->id;
  insn.raw = raw;
  insn.row = static_cast<uint16_t>(r);
  for (const Piece& piece : row.pieces) {
    if (!piece.op) continue;
    int64_t v = piece.op->Value(raw);
    if (!piece.op->Valid(raw, v)) return false;
    switch (piece.op->def->slot) {
      case Slot::kNone: break;
      case Slot::kRd: insn.rd = static_cast<uint8_t>(v); break;
      case Slot::kRn: insn.rn = static_cast<uint8_t>(v); break;
      case Slot::kRm: insn.rm = static_cast<uint8_t>(v); break;
      case Slot::kRa: insn.ra = static_cast<uint8_t>(v); break;
      case Slot::kImm: insn.imm = v; break;
      case Slot::kImm2: insn.imm2 = v; break;
      case Slot::kCond: insn.cond = static_cast<uint8_t>(v); break;
    }
  }
  out = insn;
  return true;
}

std::string DecodeTable::Format(const Insn& insn, uint64_t pc) const {
  const Row& row = rows_[insn.row];
  std::string mnemonic(row.spec->mnemonic);
  std::string ops;
  for (const Piece& piece : row.pieces) {
    ops += piece.literal;
    if (!piece.op) continue;
    std::string text = piece.op->def->show(insn, piece.op->Value(insn.raw), pc, mnemonic);
    // An operand that prints nothing (a zero offset, no shift, a suffix) takes its ", " with it.
    if (text.empty() && ops.ends_with(", ")) ops.resize(ops.size() - 2);
    ops += text;
  }
  if (ops.starts_with(", ")) ops.erase(0, 2);  // the first tokens printed nothing (suffixes)
  return ops.empty() ? mnemonic : mnemonic + ' ' + ops;
}

const DecodeTable& Arm64Table() {
  static const DecodeTable kTable = [] {
    std::string error;
    std::optional<DecodeTable> t = DecodeTable::Build(kSpecs, &error);
    if (!t) {
      std::fprintf(stderr, "arm64 decode table: %s\n", error.c_str());
      std::abort();
    }
    return std::move(*t);
  }();
  return kTable;
}

}  // namespace polyvm::frontend::arm64
