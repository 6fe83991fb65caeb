// Type names for the printer and error messages.
#include "polyvm/ir/type.h"

namespace polyvm::ir {

std::string_view TypeName(Type t) {
  switch (t) {
    case Type::kVoid: return "void";
    case Type::kI1: return "i1";
    case Type::kI8: return "i8";
    case Type::kI16: return "i16";
    case Type::kI32: return "i32";
    case Type::kI64: return "i64";
    case Type::kI128: return "i128";
    case Type::kF32: return "f32";
    case Type::kF64: return "f64";
    case Type::kV128: return "v128";
  }
  return "?";
}

}  // namespace polyvm::ir
