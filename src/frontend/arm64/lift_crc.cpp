// CRC32B/H/W/X and CRC32CB/H/W/X: a CallHelper per polynomial (docs/ir.md lists CRC32 among the
// helper candidates). Arm's CRC32 is the bit-reflected CRC update without the initial and final
// inversions that zlib adds: for each data bit, lsb first, crc = (crc >> 1) ^ (poly & -(crc & 1))
// after crc ^= data (Arm ARM, CRC32 pseudocode, with BitReverse folded into the reflected form).
#include "lift_int_util.h"

namespace polyvm::frontend::arm64 {
namespace {

using ir::Opcode;
using ir::Type;
using ir::Value;

constexpr uint32_t kCrc32Poly = 0xedb88320;   // 0x04C11DB7 reflected
constexpr uint32_t kCrc32cPoly = 0x82f63b78;  // 0x1EDC6F41 reflected (Castagnoli)

uint32_t CrcUpdate(uint32_t crc, uint64_t data, unsigned bytes, uint32_t poly) {
  for (unsigned byte = 0; byte < bytes; ++byte) {
    crc ^= static_cast<uint8_t>(data >> (8 * byte));
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (poly & (0u - (crc & 1)));
  }
  return crc;
}

uint64_t Crc32Helper(void*, uint64_t crc, uint64_t data, uint64_t bytes) {
  return CrcUpdate(static_cast<uint32_t>(crc), data, static_cast<unsigned>(bytes), kCrc32Poly);
}
uint64_t Crc32cHelper(void*, uint64_t crc, uint64_t data, uint64_t bytes) {
  return CrcUpdate(static_cast<uint32_t>(crc), data, static_cast<unsigned>(bytes), kCrc32cPoly);
}

constexpr ir::HelperInfo kCrc32{&Crc32Helper, "crc32"};
constexpr ir::HelperInfo kCrc32c{&Crc32cHelper, "crc32c"};

}  // namespace

LiftStatus LiftCrc32(LiftContext& c, const Insn& i) {
  unsigned size = Bits(i.raw, 11, 10);  // 0..3: B H W X
  bool castagnoli = Bit(i.raw, 12);
  static constexpr Type kData[4] = {Type::kI8, Type::kI16, Type::kI32, Type::kI64};
  Value acc = c.W(i.rn);
  Value data = c.b().Trunc(kData[size], size == 3 ? c.X(i.rm) : c.W(i.rm));
  Value bytes = c.I32(1u << size);
  const ir::HelperInfo* helper = castagnoli ? &kCrc32c : &kCrc32;
  Value result = c.b().Emit(Opcode::kCallHelper, Type::kI32, acc, data, bytes,
                            reinterpret_cast<uint64_t>(helper));
  c.SetW(i.rd, result);
  return LiftStatus::kNext;
}

}  // namespace polyvm::frontend::arm64
