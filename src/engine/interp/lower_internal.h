// The lowering pass's working state, shared by lower_plan.cpp (what each IR op becomes) and
// lower.cpp (where values live, fusions, slot allocation, emission).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "handler_table.h"
#include "lowered.h"
#include "polyvm/ir/block.h"

namespace polyvm::engine::interp::lowering {

using ir::Type;
using ir::ValueId;
using ir::kNoValue;

enum class Loc : uint8_t {
  kSlot,   // a 16-byte slot of the frame
  kState,  // a guest state field (a GetReg not yet overwritten, or a fused SetReg target)
  kImm,    // a constant, folded into the instructions that use it where they can take one
};

// One read of a value by a plan operand.
struct UseRec {
  uint32_t pos;        // plan position (instruction index; the block exit is insts.size())
  uint8_t operand;     // 1 = a, 2 = b, 3 = c
  uint16_t read_bits;  // how many bits the handler reads
  ValueId via;         // the value named by the IR (an alias of the root, or the root)
  bool dead = false;   // the reading plan was fused away
  bool imm = false;    // reads the constant from the instruction (kImm roots)
};

struct ValState {
  ValueId root = kNoValue;  // storage root: itself, or the value it aliases
  Type type = Type::kVoid;  // the value's own type
  bool zext_ok = true;      // in a slot, the bits above `type` up to 64 are zero
  // Root-only fields:
  Loc loc = Loc::kSlot;
  Type wtype = Type::kVoid;  // what the defining handler writes (LoadSx: i64 for an i8 load)
  uint32_t state_off = 0;
  uint64_t imm = 0;  // kImm: the value zero-extended from its width
  bool is_getreg = false;
  bool materialize = false;  // kImm root some use needs in a slot
  int32_t slot = -1;
  uint32_t last_slot_use = 0;
  std::vector<UseRec> uses;  // reads of the root and of all its aliases
};

// An operand of a plan: a value, or a fixed state offset (GetReg source, SetReg target), or a
// dummy slot read that the handler ignores (absent optional operands).
struct Operand {
  ValueId v = kNoValue;
  uint16_t read_bits = 0;
  int32_t state_off = -1;
  bool dummy = false;
};

// What one IR instruction (or the block exit) lowers to.
struct Plan {
  XOp op = XOp::kCount;  // kCount: emits nothing
  Type t = Type::kVoid, t2 = Type::kVoid;
  Operand d, arg[3];
  ValueId dst = kNoValue;  // the value written through d (a root), if any
  uint32_t aux = 0;
  uint8_t lane = 0;
  uint64_t imm = 0;
  int32_t exit_index = -1;   // imm = &exits[exit_index]
  bool extra_fence = false;  // a FenceFull follows (sequentially consistent store)
  bool swap_targets = false;  // fused branch: the handler's condition is the negation
  // Effects, for deciding which GetReg/SetReg may be fused across this position.
  bool may_leave = false;       // may fault, trap or take a side exit
  bool clobbers_state = false;  // may write any state (helpers, monitor, rounding mode)
  int32_t writes_off = -1;
  uint32_t writes_size = 0;
  int32_t reads_off = -1;  // a GetReg copied into a slot here
  uint32_t reads_size = 0;
  std::string unsupported;  // non-empty: emit a kUnsupported trap with this reason
};

// Bits a value occupies in a slot or state field (an i1 is a byte).
inline unsigned StorageBits(Type t) { return t == Type::kI1 ? 8 : ir::BitWidth(t); }

// The integer key of a type for moves and memory rows: same width, f32 -> i32, v128 -> i128.
inline Type WidthKey(Type t) {
  switch (t) {
    case Type::kI1: return Type::kI8;
    case Type::kF32: return Type::kI32;
    case Type::kF64: return Type::kI64;
    case Type::kV128: return Type::kI128;
    default: return t;
  }
}

// The source-type key of an extension from `t`.
inline Type ExtKey(Type t) {
  switch (t) {
    case Type::kF32: return Type::kI32;
    case Type::kF64: return Type::kI64;
    case Type::kV128: return Type::kI128;
    default: return t;
  }
}

// v zero-extended from the storage width of t (i128 and v128 constants are 64-bit immediates).
inline uint64_t NormalizeImm(uint64_t v, Type t) {
  unsigned bits = t == Type::kI1 ? 1 : StorageBits(t);
  return bits >= 64 ? v : v & ((uint64_t{1} << bits) - 1);
}

class Lowerer {
 public:
  explicit Lowerer(const ir::Block& in);
  std::unique_ptr<LBlock> Run(std::string* error);

 private:
  // lower_plan.cpp
  void PrePass();
  void BuildPlan(uint32_t i);
  void BuildExitPlan();
  void PlanSimple(uint32_t i, XOp op, Type t, Type t2, std::initializer_list<unsigned> arg_bits);
  void PlanMemory(uint32_t i);
  void Use(uint32_t pos, unsigned operand, ValueId v, unsigned read_bits);
  void Alias(ValueId v, ValueId of, bool zext_ok);
  void MakeImm(ValueId v, uint64_t imm);
  ValueId Root(ValueId v) const { return vals_[v].root; }
  bool IsImm(ValueId v) const { return vals_[Root(v)].loc == Loc::kImm; }
  void Unsupported(uint32_t i, std::string why);

  // lower.cpp
  bool UseAllowsState(const UseRec& u, ValueId root) const;
  bool UseAllowsImm(const UseRec& u, ValueId root) const;
  bool StateWrittenIn(uint32_t lo, uint32_t hi, uint32_t off, uint32_t size) const;
  bool StateReadIn(uint32_t lo, uint32_t hi, uint32_t off, uint32_t size, ValueId except) const;
  void PlaceGetRegs();
  void FuseSetRegs();
  void PlaceConstants();
  bool Emit(std::string* error);
  bool EmitPlan(const Plan& p, uint32_t pos, std::string* error);
  int AllocSlot();
  void FreeSlot(int off);
  void Push(LInst li, int hid, uint32_t pos);

  const ir::Block& in_;
  const uint32_t n_;  // instruction count; the exit's position
  std::vector<ValState> vals_;
  std::vector<Plan> plans_;  // n_ + 1
  std::vector<uint32_t> use_count_;
  std::vector<uint8_t> fused_cmp_;    // compares evaluated by the branch exit
  std::vector<uint8_t> folded_addr_;  // Add(base, const) folded into a load/store offset
  std::vector<uint8_t> load_ext_;     // 0, or 1/2: the load is a LoadZx/LoadSx to i64
  std::vector<uint32_t> ordinal_;     // per position: guest instructions before it
  std::vector<uint64_t> insn_pcs_;
  std::unique_ptr<LBlock> out_;
  std::vector<LInst> code_;
  std::vector<uint32_t> code_ordinal_;
  std::vector<int> free_slots_;
  int next_slot_ = 0;
  bool stopped_ = false;  // an Unsupported trap was emitted; the rest is unreachable
};

}  // namespace polyvm::engine::interp::lowering
