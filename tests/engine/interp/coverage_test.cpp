// Every IR op has a test, and the handler table is consistent with what lowering assumes.
#include <set>
#include <string>

#include "handler_table.h"
#include "test_env.h"

namespace polyvm::engine::interp::test {
namespace {

TEST(Coverage, EveryOpHasATest) {
  for (unsigned i = 0; i < ir::kOpcodeCount; ++i) {
    auto op = static_cast<Opcode>(i);
    EXPECT_TRUE(IsCovered(op)) << "no interpreter test declares " << ir::OpName(op);
  }
}

TEST(Coverage, HandlerNamesAreUnique) {
  std::set<std::string_view> names;
  for (unsigned i = 0; i < kHandlerCount; ++i) {
    EXPECT_TRUE(names.insert(kHandlerRows[i].name).second) << kHandlerRows[i].name;
  }
}

// Lowering picks operand kinds one operand at a time, so every family must offer the full
// product of its per-operand kinds.
TEST(Coverage, HandlerFamiliesAreProducts) {
  for (unsigned i = 0; i < kHandlerCount; ++i) {
    const HandlerRow& row = kHandlerRows[i];
    uint8_t masks[4];
    for (unsigned k = 0; k < 4; ++k) masks[k] = KindMask(row.op, row.type, row.type2, k);
    for (unsigned d = 0; d < 5; ++d) {
      for (unsigned a = 0; a < 5; ++a) {
        for (unsigned b = 0; b < 5; ++b) {
          for (unsigned c = 0; c < 5; ++c) {
            const K kinds[4] = {static_cast<K>(d), static_cast<K>(a), static_cast<K>(b),
                                static_cast<K>(c)};
            bool allowed = true;
            for (unsigned k = 0; k < 4; ++k) allowed = allowed && (masks[k] & KindBit(kinds[k]));
            if (!allowed) continue;
            EXPECT_GE(FindHandler(row.op, row.type, row.type2, kinds), 0)
                << row.name << ": kinds " << d << a << b << c << " missing";
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace polyvm::engine::interp::test
