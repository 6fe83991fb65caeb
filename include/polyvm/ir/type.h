// IR value types and the helpers that classify them.
// Every IR value has exactly one of these types; the verifier checks operand types against the
// classes each op declares in opcodes.def.
#pragma once

#include <cstdint>
#include <string_view>

namespace polyvm::ir {

enum class Type : uint8_t {
  kVoid,
  kI1,
  kI8,
  kI16,
  kI32,
  kI64,
  kI128,
  kF32,
  kF64,
  kV128,
};

constexpr unsigned BitWidth(Type t) {
  switch (t) {
    case Type::kVoid: return 0;
    case Type::kI1: return 1;
    case Type::kI8: return 8;
    case Type::kI16: return 16;
    case Type::kI32: return 32;
    case Type::kI64: return 64;
    case Type::kI128: return 128;
    case Type::kF32: return 32;
    case Type::kF64: return 64;
    case Type::kV128: return 128;
  }
  return 0;
}

// Size in memory; i1 is stored as one byte.
constexpr unsigned ByteSize(Type t) { return t == Type::kI1 ? 1 : BitWidth(t) / 8; }

constexpr bool IsInt(Type t) { return t >= Type::kI8 && t <= Type::kI128; }
constexpr bool IsIntOrBool(Type t) { return t >= Type::kI1 && t <= Type::kI128; }
constexpr bool IsFloat(Type t) { return t == Type::kF32 || t == Type::kF64; }
constexpr bool IsVector(Type t) { return t == Type::kV128; }
constexpr bool IsWide(Type t) { return BitWidth(t) == 128; }

// The integer type of a given width in bits (8..128), or kVoid.
constexpr Type IntType(unsigned bits) {
  switch (bits) {
    case 1: return Type::kI1;
    case 8: return Type::kI8;
    case 16: return Type::kI16;
    case 32: return Type::kI32;
    case 64: return Type::kI64;
    case 128: return Type::kI128;
    default: return Type::kVoid;
  }
}

// The integer type of the same width as a float type.
constexpr Type IntTypeOf(Type t) { return IntType(BitWidth(t)); }

std::string_view TypeName(Type t);

// Mask of the low BitWidth(t) bits, for types up to 64 bits.
constexpr uint64_t WidthMask(Type t) {
  unsigned w = BitWidth(t);
  return w >= 64 ? ~uint64_t{0} : (uint64_t{1} << w) - 1;
}

}  // namespace polyvm::ir
