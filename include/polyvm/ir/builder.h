// Builder: how frontends (and tests) write IR. It appends instructions to a Block, infers result
// types from the op table where it can, and checks operand types in debug builds.
#pragma once

#include <cassert>
#include <cstdint>
#include <utility>

#include "polyvm/ir/block.h"

namespace polyvm::ir {

// A handle to an SSA value: its defining instruction and its type.
struct Value {
  ValueId id = kNoValue;
  Type type = Type::kVoid;
  bool valid() const { return id != kNoValue; }
};

class Builder {
 public:
  explicit Builder(Block& block) : block_(block) {}

  Block& block() { return block_; }
  const Block& block() const { return block_; }
  Value ValueOf(ValueId id) const { return {id, block_.insts[id].type}; }

  // The general form: every field given.
  Value Emit(Opcode op, Type type, Value a = {}, Value b = {}, Value c = {}, uint64_t imm = 0,
             uint32_t aux = 0, uint8_t lane = 0) {
    Inst inst;
    inst.op = op;
    inst.type = type;
    inst.lane = lane;
    inst.aux = aux;
    inst.imm = imm;
    inst.args[0] = a.id;
    inst.args[1] = b.id;
    inst.args[2] = c.id;
    block_.insts.push_back(inst);
    return {static_cast<ValueId>(block_.insts.size() - 1), type};
  }

  // Result type inferred from the op table: a fixed type (I1, I32, ...), or arg0's type for ops
  // whose first operand has the result's type (Add, Select's b, FAdd, VAdd, ...).
  Value Op(Opcode op, Value a, Value b = {}, Value c = {}, uint32_t aux = 0, uint8_t lane = 0,
           uint64_t imm = 0) {
    return Emit(op, InferType(op, a, b), a, b, c, imm, aux, lane);
  }

  static Type InferType(Opcode op, Value a, Value b) {
    const OpInfo& info = Info(op);
    switch (info.result) {
      case TypeClass::None: return Type::kVoid;
      case TypeClass::I1: return Type::kI1;
      case TypeClass::I8: return Type::kI8;
      case TypeClass::I32: return Type::kI32;
      case TypeClass::I64: return Type::kI64;
      default: break;
    }
    if (info.args[0] == TypeClass::Same) return a.type;
    if (info.args[1] == TypeClass::Same) return b.type;  // Select
    assert(!"result type not inferable: use Emit with an explicit type");
    return Type::kVoid;
  }

  // ---- common forms, named for readable lifters ----
  Value Const(Type t, uint64_t v) { return Emit(Opcode::kConst, t, {}, {}, {}, v); }
  Value I64(uint64_t v) { return Const(Type::kI64, v); }
  Value I32(uint32_t v) { return Const(Type::kI32, v); }
  Value Bool(bool v) { return Const(Type::kI1, v); }

  Value GetReg(Type t, uint32_t offset) { return Emit(Opcode::kGetReg, t, {}, {}, {}, offset); }
  void SetReg(uint32_t offset, Value v) { Emit(Opcode::kSetReg, Type::kVoid, v, {}, {}, offset); }
  void GuestInsn(uint64_t pc, uint32_t length) {
    Emit(Opcode::kGuestInsn, Type::kVoid, {}, {}, {}, pc, length);
  }

  Value Add(Value a, Value b) { return Op(Opcode::kAdd, a, b); }
  Value Sub(Value a, Value b) { return Op(Opcode::kSub, a, b); }
  Value And(Value a, Value b) { return Op(Opcode::kAnd, a, b); }
  Value Or(Value a, Value b) { return Op(Opcode::kOr, a, b); }
  Value Xor(Value a, Value b) { return Op(Opcode::kXor, a, b); }
  Value Not(Value a) { return Op(Opcode::kNot, a); }
  Value Shl(Value a, Value b) { return Op(Opcode::kShl, a, b); }
  Value LShr(Value a, Value b) { return Op(Opcode::kLShr, a, b); }
  Value AShr(Value a, Value b) { return Op(Opcode::kAShr, a, b); }
  Value Select(Value c, Value t, Value f) { return Op(Opcode::kSelect, c, t, f); }
  Value Cmp(Opcode op, Value a, Value b) { return Op(op, a, b); }

  Value ZExt(Type t, Value a) { return a.type == t ? a : Emit(Opcode::kZExt, t, a); }
  Value SExt(Type t, Value a) { return a.type == t ? a : Emit(Opcode::kSExt, t, a); }
  Value Trunc(Type t, Value a) { return a.type == t ? a : Emit(Opcode::kTrunc, t, a); }
  Value Bitcast(Type t, Value a) { return a.type == t ? a : Emit(Opcode::kBitcast, t, a); }

  Value Load(Type t, Value addr, MemFlags f = {}) {
    return Emit(Opcode::kLoad, t, addr, {}, {}, 0, f.Encode());
  }
  void Store(Value addr, Value v, MemFlags f = {}) {
    Emit(Opcode::kStore, Type::kVoid, addr, v, {}, 0, f.Encode());
  }

  // Adds a side exit and returns its number, for ExitIf.
  uint32_t AddSideExit(const Exit& e) {
    block_.side_exits.push_back(e);
    return static_cast<uint32_t>(block_.side_exits.size() - 1);
  }
  void ExitIf(Value cond, const Exit& e) {
    Emit(Opcode::kExitIf, Type::kVoid, cond, {}, {}, AddSideExit(e));
  }

  void SetExit(const Exit& e) { block_.exit = e; }

 private:
  Block& block_;
};

}  // namespace polyvm::ir
