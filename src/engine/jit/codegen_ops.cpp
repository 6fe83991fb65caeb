// Emission of the non-memory ops: the dispatch over every IR op (no default, so a new op does not
// compile until the JIT handles it), integer arithmetic, compares, selects, width changes, guest
// state access and the inline scalar FP arithmetic. Anything not inline goes to ColdOp.
#include "compiler.h"

namespace polyvm::engine::jit::detail {

void Compiler::Emit(ValueId i, const ir::Inst& inst) {
  const ir::Type t = inst.type;
  // FpMode ftz/dn (Arm FPCR.FZ/DN): the reference alone implements them, inline or not.
  if ((inst.aux & ir::kFpModeFtzDn) != 0 && (ir::Info(inst.op).props & ir::kFpEnv) != 0) {
    Cold(i, false);
    return;
  }
  switch (inst.op) {
    case Opcode::kConst:  // read as immediates, or written to the slot where a slot is needed
    case Opcode::kGuestInsn: return;
    case Opcode::kGetReg: EmitGetReg(i, inst); return;
    case Opcode::kSetReg: EmitSetReg(inst); return;

    case Opcode::kAdd:
    case Opcode::kSub:
    case Opcode::kMul:
    case Opcode::kAnd:
    case Opcode::kOr:
    case Opcode::kXor:
      if (EmitIntBinary(i, inst) || EmitVecBitwise(i, inst)) return;
      break;
    case Opcode::kMulHiS:
    case Opcode::kMulHiU:
      if (t == ir::Type::kI64) {
        Load(rax, inst.args[0]);
        Load(rcx, inst.args[1]);
        if (inst.op == Opcode::kMulHiS) {
          imul(rcx);
        } else {
          mul(rcx);
        }
        Put(i, rdx);
        return;
      }
      break;
    case Opcode::kMulHiSU: break;
    case Opcode::kDivS:
    case Opcode::kDivU:
    case Opcode::kRemS:
    case Opcode::kRemU:
      if (EmitDivRem(i, inst)) return;
      break;
    case Opcode::kNeg:
    case Opcode::kNot:
      if (IsSmallInt(t)) {
        const Reg64 d = Def(i);
        Load(d, inst.args[0]);
        if (inst.op == Opcode::kNeg) {
          neg(d);
        } else if (t == ir::Type::kI1) {
          xor_(d.cvt32(), 1);  // the value is 0 or 1: no mask after it
          Put(i, d);
          return;
        } else {
          not_(d);
        }
        Store(i, d);
        return;
      }
      if (inst.op == Opcode::kNot && EmitVecBitwise(i, inst)) return;
      break;
    case Opcode::kShl:
    case Opcode::kLShr:
    case Opcode::kAShr:
    case Opcode::kRotl:
    case Opcode::kRotr:
      if (EmitShift(i, inst)) return;
      break;
    case Opcode::kClz:
    case Opcode::kCtz:
    case Opcode::kPopcount:
    case Opcode::kBswap:
    case Opcode::kBitReverse:
      if (EmitBitOp(i, inst)) return;
      break;

    case Opcode::kCmpEq:
    case Opcode::kCmpNe:
    case Opcode::kCmpLtS:
    case Opcode::kCmpLtU:
    case Opcode::kCmpLeS:
    case Opcode::kCmpLeU:
      if (CmpInline(inst)) {
        // Straight into the result's register (it may be an operand's: the compare has read it).
        PutCondition(i, EmitCmpFlags(inst));
        return;
      }
      break;
    case Opcode::kSelect:
      if (EmitSelect(i, inst)) return;
      break;
    case Opcode::kZExt:
    case Opcode::kSExt:
    case Opcode::kTrunc:
    case Opcode::kBitcast:
      if (EmitWidth(i, inst) || EmitWideWidth(i, inst)) return;
      break;
    case Opcode::kConcat:
      if (EmitConcat(i, inst)) return;
      break;
    case Opcode::kExtract: break;
    case Opcode::kAddCarry:
    case Opcode::kAddOverflow:
    case Opcode::kSubBorrow:
    case Opcode::kSubOverflow:
    case Opcode::kAdc:
    case Opcode::kAdcCarry:
    case Opcode::kAdcOverflow:
    case Opcode::kSbb:
    case Opcode::kSbbBorrow:
    case Opcode::kSbbOverflow:
    case Opcode::kParity:
      if (EmitCarryOp(i, inst)) return;
      break;

    case Opcode::kLoad: EmitLoad(i, inst); return;
    case Opcode::kStore: EmitStore(inst); return;
    case Opcode::kFence:
      // The host is TSO: only StoreLoad ordering needs an instruction.
      if ((inst.aux & ir::kFenceStoreLoad) != 0) mfence();
      return;
    case Opcode::kAtomicRmw:
      if (EmitAtomicRmw(i, inst)) return;  // codegen_mem.cpp
      Cold(i, true, core::MemAccess::kWrite);
      return;
    case Opcode::kAtomicCas:
      if (EmitAtomicCas(i, inst)) return;  // codegen_mem.cpp
      Cold(i, true, core::MemAccess::kWrite);
      return;
    case Opcode::kStoreCond: Cold(i, true, core::MemAccess::kWrite); return;
    case Opcode::kLoadLinked: Cold(i, true, core::MemAccess::kRead); return;
    case Opcode::kClearMonitor:
      mov(qword[rbx + kStExclAddr], -1);
      mov(dword[rbx + kStExclSize], 0);
      return;

    case Opcode::kFAdd:
    case Opcode::kFSub:
    case Opcode::kFMul:
    case Opcode::kFDiv:
    case Opcode::kFSqrt:
      if (EmitFpArith(i, inst)) return;
      break;
    case Opcode::kFNeg:
    case Opcode::kFAbs:
      Load(rax, inst.args[0]);
      if (inst.op == Opcode::kFNeg) {
        btc(rax, t == ir::Type::kF32 ? 31 : 63);
      } else {
        btr(rax, t == ir::Type::kF32 ? 31 : 63);
      }
      Put(i, rax);
      return;
    case Opcode::kFCmpEq:
    case Opcode::kFCmpLt:
    case Opcode::kFCmpLe:
    case Opcode::kFCmpUn: EmitFpCompare(i, inst); return;
    case Opcode::kFToSInt:
    case Opcode::kSIntToF:
    case Opcode::kUIntToF:
    case Opcode::kFConvert:
      if (EmitFpConvert(i, inst)) return;
      break;
    case Opcode::kFpGetFlags: EmitFpGetFlags(i); return;
    case Opcode::kFpSetFlags: EmitFpSetFlags(i, inst); return;
    case Opcode::kFMulAdd:
      if (EmitFMulAdd(i, inst)) return;
      break;
    case Opcode::kFMin:
    case Opcode::kFMax:
      if (EmitFMinMax(i, inst)) return;
      break;
    case Opcode::kFRound:
      if (EmitFRound(i, inst)) return;
      break;
    case Opcode::kFToUInt:
    case Opcode::kFpSetRound: break;

    case Opcode::kVAdd:
    case Opcode::kVSub:
    case Opcode::kVMul:
    case Opcode::kVNeg:
    case Opcode::kVAbs:
    case Opcode::kVMinS:
    case Opcode::kVMinU:
    case Opcode::kVMaxS:
    case Opcode::kVMaxU:
    case Opcode::kVAddSatS:
    case Opcode::kVAddSatU:
    case Opcode::kVSubSatS:
    case Opcode::kVSubSatU:
    case Opcode::kVShlI:
    case Opcode::kVLShrI:
    case Opcode::kVAShrI:
    case Opcode::kVCmpEq:
    case Opcode::kVCmpGtS:
    case Opcode::kVCmpGtU:
    case Opcode::kVCmpGeS:
    case Opcode::kVCmpGeU:
    case Opcode::kVPopcount:
    case Opcode::kVPairAdd:
      if (EmitVecInt(i, inst)) return;
      break;
    case Opcode::kVDup:
    case Opcode::kVExtract:
    case Opcode::kVInsert:
    case Opcode::kVTbl:
    case Opcode::kVZipLo:
    case Opcode::kVZipHi:
    case Opcode::kVUzpEven:
    case Opcode::kVUzpOdd:
    case Opcode::kVNarrow:
    case Opcode::kVWidenLoS:
    case Opcode::kVWidenLoU:
    case Opcode::kVWidenHiS:
    case Opcode::kVWidenHiU:
    case Opcode::kVMoveMask:
      if (EmitVecLanes(i, inst)) return;
      break;
    case Opcode::kVReduceAdd:
    case Opcode::kVReduceMinS:
    case Opcode::kVReduceMinU:
    case Opcode::kVReduceMaxS:
    case Opcode::kVReduceMaxU:
      if (EmitVecReduce(i, inst)) return;
      break;
    case Opcode::kVFAdd:
    case Opcode::kVFSub:
    case Opcode::kVFMul:
    case Opcode::kVFDiv:
    case Opcode::kVFSqrt:
    case Opcode::kVFMulAdd:
      if (EmitVecFp(i, inst)) return;
      break;
    case Opcode::kVFMin:
    case Opcode::kVFMax:
      if (EmitVecFMinMax(i, inst)) return;
      break;
    case Opcode::kVFCmpEq:
    case Opcode::kVFCmpLt:
    case Opcode::kVFCmpLe:
    case Opcode::kVFCmpUn:
      if (EmitVecFpCompare(i, inst)) return;
      break;
    case Opcode::kVSIntToF:
      if (EmitVecIntToFp(i, inst)) return;
      break;
    case Opcode::kVFToSInt:
    case Opcode::kVFToUInt:
    case Opcode::kVUIntToF: break;

    case Opcode::kExitIf: EmitExitIf(inst); return;
    case Opcode::kReadCounter: break;
    // A helper may touch guest memory: a fault in it is reported at its instruction.
    case Opcode::kCallHelper: Cold(i, true, core::MemAccess::kRead); return;
    case Opcode::kCount: break;
  }
  Cold(i, false);
}

void Compiler::EmitGetReg(ValueId i, const ir::Inst& inst) {
  if (!pinned_.empty() && pinned_[i]) return;  // loaded before the self-loop's head
  const int off = static_cast<int>(inst.imm);
  const unsigned size = ir::ByteSize(inst.type);
  if (size == 16) {
    movups(xmm0, ptr[rbx + off]);
    movups(ptr[SlotAddr(i)], xmm0);
    return;
  }
  const Reg64 d = Def(i);
  Memoized(MemoKey(MemoTag::kStateLoad, d.getIdx() | size << 4 | uint64_t{uint32_t(off)} << 16),
           [&] {
             switch (size) {
               case 1: movzx(d.cvt32(), byte[rbx + off]); break;
               case 2: movzx(d.cvt32(), word[rbx + off]); break;
               case 4: mov(d.cvt32(), dword[rbx + off]); break;
               default: mov(d, qword[rbx + off]); break;
             }
           });
  // The loads zero-extend; an i1 field keeps only its low bit.
  if (inst.type == ir::Type::kI1) {
    Store(i, d);
  } else {
    Put(i, d);
  }
}

void Compiler::EmitSetReg(const ir::Inst& inst) {
  if (IsLazySet(cur_)) return;                // overwritten later (codegen_lazy.cpp)
  if (flag_stored_[R(inst.args[0])]) return;  // its setcc wrote the state (FuseFlagStores)
  const int off = static_cast<int>(inst.imm);
  const ValueId v = inst.args[0];
  const unsigned size = ir::ByteSize(TypeOf(v));
  if (size == 16) {
    if (EmitWidenedSetReg(off, v)) return;
    Materialize(v);
    movups(xmm0, ptr[SlotAddr(v)]);
    movups(ptr[rbx + off], xmm0);
    return;
  }
  if (InReg(v)) {
    StoreField(off, size, RegOf(v));
    return;
  }
  int32_t imm;
  if (IsConst(v) && Imm32(v, 8 * size, &imm)) {
    switch (size) {
      case 1: mov(byte[rbx + off], imm & 0xff); return;
      case 2: mov(word[rbx + off], imm & 0xffff); return;
      case 4: mov(dword[rbx + off], imm); return;
      default: mov(qword[rbx + off], imm); return;
    }
  }
  Load(rax, v);
  StoreField(off, size, rax);
}

// The low `size` bytes of r into the guest state field at off.
void Compiler::StoreField(int off, unsigned size, const Reg64& r) {
  Memoized(MemoKey(MemoTag::kStateStore, r.getIdx() | size << 4 | uint64_t{uint32_t(off)} << 16),
           [&] {
             switch (size) {
               case 1: mov(byte[rbx + off], r.cvt8()); break;
               case 2: mov(word[rbx + off], r.cvt16()); break;
               case 4: mov(dword[rbx + off], r.cvt32()); break;
               default: mov(qword[rbx + off], r); break;
             }
           });
}

bool Compiler::EmitIntBinary(ValueId i, const ir::Inst& inst) {
  const ir::Type t = inst.type;
  if (!IsSmallInt(t)) return false;
  if (flags_only_[i]) {  // codegen_flags.cpp: only its sign and zero tests read it
    EmitCmpFlags(inst);
    return true;
  }
  if (EmitScaledAdd(i, inst)) return true;  // codegen_fuse.cpp
  ValueId a = R(inst.args[0]), b = R(inst.args[1]);
  const unsigned width = ir::BitWidth(t) < 32 ? 32 : ir::BitWidth(t);
  const bool commutative = inst.op != Opcode::kSub;
  // i32 ops run as 32-bit instructions, which zero-extend their result: no mask after them.
  const bool w32 = t == ir::Type::kI32;
  Reg64 d = Def(i);
  // d may be the register of an operand dying here: it must not be b's unless a's too.
  if (InReg(b) && RegOf(b).getIdx() == d.getIdx() &&
      !(InReg(a) && RegOf(a).getIdx() == d.getIdx())) {
    if (commutative) {
      std::swap(a, b);
    } else {
      d = rax;
    }
  }
  const Xbyak::Reg& dr =
      w32 ? static_cast<const Xbyak::Reg&>(d.cvt32()) : static_cast<const Xbyak::Reg&>(d);
  int32_t imm;
  const bool three_operand = inst.op == Opcode::kAdd && InReg(a) && RegOf(a).getIdx() != d.getIdx();
  if (three_operand && Imm32(b, width, &imm)) {
    // Three-operand add: lea (a 32-bit lea zero-extends like every 32-bit op).
    if (width == 32) {
      lea(d.cvt32(), ptr[RegOf(a) + imm]);
    } else {
      lea(d, ptr[RegOf(a) + imm]);
    }
  } else if (three_operand && InReg(b) && RegOf(b).getIdx() != d.getIdx()) {
    // Both operands live on: lea rather than a copy and an add (AArch64's register-offset
    // addresses, `strb w0, [x20, x1]`).
    if (width == 32) {
      lea(d.cvt32(), ptr[RegOf(a) + RegOf(b)]);
    } else {
      lea(d, ptr[RegOf(a) + RegOf(b)]);
    }
  } else {
    Load(d, a);
    // x + 0 and the like are x (RISC-V's sext.w is addiw 0; without the optimiser, in system
    // mode, nothing folds them earlier).
    const bool identity = Imm32(b, width, &imm) && imm == 0 &&
                          (inst.op == Opcode::kAdd || inst.op == Opcode::kSub ||
                           inst.op == Opcode::kOr || inst.op == Opcode::kXor);
    if (identity) {
      // a's bits, zero-extended, are the result's
    } else if (Imm32(b, width, &imm)) {
      switch (inst.op) {
        case Opcode::kAdd: add(dr, imm); break;
        case Opcode::kSub: sub(dr, imm); break;
        case Opcode::kMul: imul(dr, dr, imm); break;
        case Opcode::kAnd: and_(dr, imm); break;
        case Opcode::kOr: or_(dr, imm); break;
        default: xor_(dr, imm); break;
      }
    } else {
      if (IsConst(b)) Load(rcx, b);
      const Xbyak::Address slot = w32 ? dword[SlotAddr(b)] : Slot(b);
      const Reg64 breg = InReg(b) ? RegOf(b) : rcx;
      const Xbyak::Reg& br =
          w32 ? static_cast<const Xbyak::Reg&>(breg.cvt32()) : static_cast<const Xbyak::Reg&>(breg);
      const Xbyak::Operand& src = IsConst(b) || InReg(b) ? static_cast<const Xbyak::Operand&>(br)
                                                         : static_cast<const Xbyak::Operand&>(slot);
      switch (inst.op) {
        case Opcode::kAdd: add(dr, src); break;
        case Opcode::kSub: sub(dr, src); break;
        case Opcode::kMul: imul(dr, src); break;
        case Opcode::kAnd: and_(dr, src); break;
        case Opcode::kOr: or_(dr, src); break;
        default: xor_(dr, src); break;
      }
    }
    // A sub leaves the flags of cmp a, b (codegen_flags.cpp).
    if (inst.op == Opcode::kSub && ir::BitWidth(t) >= 32) NoteHostFlags(a, b, width);
  }
  // And, Or, Xor of i1 values (0 or 1) give 0 or 1: no mask either.
  const bool bits01 = t == ir::Type::kI1 && (inst.op == Opcode::kAnd || inst.op == Opcode::kOr ||
                                             inst.op == Opcode::kXor);
  if (w32 || bits01) {
    Put(i, d);
  } else {
    Store(i, d);
  }
  return true;
}

bool Compiler::EmitShift(ValueId i, const ir::Inst& inst) {
  const ir::Type t = inst.type;
  if (t != ir::Type::kI32 && t != ir::Type::kI64) return false;
  const ValueId b = inst.args[1];
  if (!IsConst(b)) Load(rcx, b);  // before d is written: d may be b's register
  const Reg64 d = Def(i);
  const Xbyak::Reg& x = t == ir::Type::kI32 ? static_cast<const Xbyak::Reg&>(d.cvt32())
                                            : static_cast<const Xbyak::Reg&>(d);
  Load(d, inst.args[0]);
  if (IsConst(b)) {
    // The hardware masks the count to 5 or 6 bits: the count modulo the width.
    int n = static_cast<int>(ConstBits(b) & (ir::BitWidth(t) - 1));
    switch (inst.op) {
      case Opcode::kShl: shl(x, n); break;
      case Opcode::kLShr: shr(x, n); break;
      case Opcode::kAShr: sar(x, n); break;
      case Opcode::kRotl: rol(x, n); break;
      default: ror(x, n); break;
    }
  } else {
    switch (inst.op) {
      case Opcode::kShl: shl(x, cl); break;
      case Opcode::kLShr: shr(x, cl); break;
      case Opcode::kAShr: sar(x, cl); break;
      case Opcode::kRotl: rol(x, cl); break;
      default: ror(x, cl); break;
    }
  }
  Put(i, d);  // 32- and 64-bit shifts leave the value zero-extended
  return true;
}

Xbyak::Operand::Code Compiler::CmpCond(Opcode op) const {
  // Encoded as the x86 condition code (low nibble of the jcc/setcc opcode).
  switch (op) {
    case Opcode::kCmpEq: return static_cast<Xbyak::Operand::Code>(0x4);
    case Opcode::kCmpNe: return static_cast<Xbyak::Operand::Code>(0x5);
    case Opcode::kCmpLtS: return static_cast<Xbyak::Operand::Code>(0xC);
    case Opcode::kCmpLtU: return static_cast<Xbyak::Operand::Code>(0x2);
    case Opcode::kCmpLeS: return static_cast<Xbyak::Operand::Code>(0xE);
    default: return static_cast<Xbyak::Operand::Code>(0x6);  // kCmpLeU: below or equal
  }
}

// Sets the host flags for compare `inst` (an inline one: see CmpInline) and returns the condition
// to test: reused from the op before when they are its operands' (codegen_flags.cpp), else a cmp.
// i64 and i32 compare at their width (a constant first operand as the immediate of a swapped
// cmp); narrower types compare zero-extended (sign-extended for the signed compares).
Xbyak::Operand::Code Compiler::EmitCmpFlags(const ir::Inst& inst) {
  Xbyak::Operand::Code cond;
  if (ReuseHostFlags(inst, &cond)) return cond;
  ValueId a = inst.args[0], b = inst.args[1];
  const ir::Type at = TypeOf(a);
  const bool is_signed = inst.op == Opcode::kCmpLtS || inst.op == Opcode::kCmpLeS;
  if (is_signed && (at == ir::Type::kI8 || at == ir::Type::kI16)) {
    for (auto [v, r] : {std::pair{a, rax}, std::pair{b, rcx}}) {
      if (IsConst(v)) {
        int64_t s = static_cast<int64_t>(ConstBits(v) << (64 - ir::BitWidth(at))) >>
                    (64 - ir::BitWidth(at));
        MovImm(r, static_cast<uint64_t>(s));
      } else if (InReg(v)) {
        if (at == ir::Type::kI8) {
          movsx(r, RegOf(v).cvt8());
        } else {
          movsx(r, RegOf(v).cvt16());
        }
      } else if (at == ir::Type::kI8) {
        movsx(r, byte[SlotAddr(v)]);
      } else {
        movsx(r, word[SlotAddr(v)]);
      }
    }
    cmp(rax, rcx);
    return CmpCond(inst.op);
  }
  const bool w32 = at == ir::Type::kI32;
  int32_t imm;
  cond = CmpCond(inst.op);
  if (IsConst(a) && !IsConst(b) && Imm32(a, w32 ? 32 : 64, &imm)) {
    std::swap(a, b);  // cmp b, imm: the swapped condition
    cond = SwappedCondOf(inst.op);
  }
  Reg64 l = rax;
  if (InReg(a)) {
    l = RegOf(a);
  } else {
    Load(rax, a);
  }
  const Xbyak::Reg& lhs =
      w32 ? static_cast<const Xbyak::Reg&>(l.cvt32()) : static_cast<const Xbyak::Reg&>(l);
  if (Imm32(b, w32 ? 32 : 64, &imm)) {
    if (imm == 0 && (inst.op == Opcode::kCmpEq || inst.op == Opcode::kCmpNe)) {
      test(lhs, lhs);  // the same flags as cmp lhs, 0
    } else {
      cmp(lhs, imm);
    }
  } else if (IsConst(b)) {
    Load(rcx, b);
    cmp(lhs, w32 ? static_cast<const Xbyak::Reg&>(ecx) : static_cast<const Xbyak::Reg&>(rcx));
  } else if (InReg(b)) {
    if (w32) {
      cmp(lhs, RegOf(b).cvt32());
    } else {
      cmp(lhs, RegOf(b));
    }
  } else if (w32) {
    cmp(lhs, dword[SlotAddr(b)]);
  } else {
    cmp(lhs, qword[SlotAddr(b)]);
  }
  // 8- and 16-bit values compare as their zero-extended 64 bits: flags not reusable.
  if (w32 || at == ir::Type::kI64) NoteHostFlags(a, b, w32 ? 32 : 64);
  return cond;
}

bool Compiler::EmitSelect(ValueId i, const ir::Inst& inst) {
  if (!IsScalar64(inst.type)) return false;
  const ValueId c = inst.args[0], tv = inst.args[1], fv = inst.args[2];
  if (IsConst(c)) {
    Load(rax, (ConstBits(c) & 1) ? tv : fv);
    Put(i, rax);
    return true;
  }
  Load(rax, fv);
  Load(rcx, tv);
  if (InReg(c)) {
    test(RegOf(c).cvt8(), 1);
  } else {
    test(byte[SlotAddr(c)], 1);
  }
  cmovnz(rax, rcx);
  Put(i, rax);
  return true;
}

// Width changes go straight into the result's register: values are kept zero-extended, so a
// zero extension or bitcast is at most one mov, a truncation to 32 bits one 32-bit mov, a sign
// extension one movsx (from the operand's register or its slot).
bool Compiler::EmitWidth(ValueId i, const ir::Inst& inst) {
  const ValueId a = inst.args[0];
  const ir::Type at = TypeOf(a);
  const ir::Type t = inst.type;
  if (!IsScalar64(t) || !IsScalar64(at)) return false;
  const Reg64 d = Def(i);
  if (IsConst(a)) {
    uint64_t c = ConstBits(a);
    if (inst.op == Opcode::kSExt) {
      unsigned w = ir::BitWidth(at);
      c = static_cast<uint64_t>(static_cast<int64_t>(c << (64 - w)) >> (64 - w));
    }
    MovImm(d, c);
    Store(i, d);
    return true;
  }
  if (inst.op == Opcode::kZExt || inst.op == Opcode::kBitcast) {
    // Values are zero-extended to 64 bits wherever they live: the bits as they are (no
    // instruction at all when the operand dies here and d is its register).
    Load(d, a);
    Put(i, d);
    return true;
  }
  if (inst.op != Opcode::kSExt) {  // Trunc
    if (loose_[i]) {  // read only for its low half (MarkLooseTruncs)
      Load(d, a);
      Put(i, d);
    } else if (ir::BitWidth(t) == 32) {
      if (InReg(a)) {
        mov(d.cvt32(), RegOf(a).cvt32());
      } else {
        mov(d.cvt32(), dword[SlotAddr(a)]);
      }
      Put(i, d);
    } else {
      Load(d, a);
      Store(i, d);
    }
    return true;
  }
  const bool in_reg = InReg(a);
  switch (at) {
    case ir::Type::kI1:
      Load(d, a);
      neg(d);
      break;
    case ir::Type::kI8: in_reg ? movsx(d, RegOf(a).cvt8()) : movsx(d, byte[SlotAddr(a)]); break;
    case ir::Type::kI16: in_reg ? movsx(d, RegOf(a).cvt16()) : movsx(d, word[SlotAddr(a)]); break;
    case ir::Type::kI32:
      in_reg ? movsxd(d, RegOf(a).cvt32()) : movsxd(d, dword[SlotAddr(a)]);
      break;
    default: Load(d, a); break;
  }
  Store(i, d);
  return true;
}

// FAdd/FSub/FMul/FDiv/FSqrt: the host instruction under the guest's MXCSR, when it rounds as the
// op asks (the dynamic mode, or a static one equal to it: EmitRoundingGuard). The reference
// (ColdOp) takes over for RMM or reserved modes (MXCSR cannot round so), for a static mode other
// than the dynamic one, and for NaN results (whose bits the guest's NaN rule decides); re-running
// an op there raises the same sticky flags again, which changes nothing. Under Arm's NaN rule
// products and quotients of the smallest normal magnitude go there too (Arm detects tininess
// before rounding, x86 after; they disagree only there: EmitFpResultCheck); sums and square roots
// are never tiny-but-rounded-up (a sum below 2^emin is exact).
bool Compiler::EmitFpArith(ValueId i, const ir::Inst& inst) {
  const ir::Type t = inst.type;
  const bool arm = ir::FpMode::Decode(inst.aux).nan == ir::NanRule::kArm;
  const bool d = t == ir::Type::kF64;
  Label slow, done;
  if (!EmitRoundingGuard(inst.aux, true, slow)) return false;
  const bool sqrt = inst.op == Opcode::kFSqrt;
  const Xbyak::Xmm& b = LoadFpOperands(inst.args[0], sqrt ? ir::kNoValue : inst.args[1]);
  if (sqrt) {
    if (d) {
      sqrtsd(xmm0, xmm0);
    } else {
      sqrtss(xmm0, xmm0);
    }
  } else {
    switch (inst.op) {
      case Opcode::kFAdd: d ? addsd(xmm0, b) : addss(xmm0, b); break;
      case Opcode::kFSub: d ? subsd(xmm0, b) : subss(xmm0, b); break;
      case Opcode::kFMul: d ? mulsd(xmm0, b) : mulss(xmm0, b); break;
      default: d ? divsd(xmm0, b) : divss(xmm0, b); break;
    }
  }
  KeepFpResultInXmm(i);  // codegen_fp_env.cpp
  // A NaN result, tested on the bits (codegen_fp_arm.cpp).
  d ? movq(rax, xmm0) : movd(eax, xmm0);
  EmitFpResultCheck(d, arm && (inst.op == Opcode::kFMul || inst.op == Opcode::kFDiv), slow);
  Put(i, rax);
  L(done);
  DeferColdSlowPath(i, slow, done);
  return true;
}

// FCmp*: comisd (signaling: invalid on any NaN) or ucomisd (invalid on signaling NaNs only), as
// the reference does on the host. Lt and Le compare b with a so that "above" is false when
// unordered.
void Compiler::EmitFpCompare(ValueId i, const ir::Inst& inst) {
  const bool d = TypeOf(inst.args[0]) == ir::Type::kF64;
  const bool swap = inst.op == Opcode::kFCmpLt || inst.op == Opcode::kFCmpLe;
  LoadXmm(xmm0, inst.args[swap ? 1 : 0]);
  LoadXmm(xmm1, inst.args[swap ? 0 : 1]);
  if (ir::FpMode::Decode(inst.aux).signaling) {
    d ? comisd(xmm0, xmm1) : comiss(xmm0, xmm1);
  } else {
    d ? ucomisd(xmm0, xmm1) : ucomiss(xmm0, xmm1);
  }
  switch (inst.op) {
    case Opcode::kFCmpEq:  // ZF and not PF
      sete(al);
      setnp(cl);
      and_(al, cl);
      break;
    case Opcode::kFCmpLt: seta(al); break;
    case Opcode::kFCmpLe: setae(al); break;
    default: setp(al); break;
  }
  movzx(eax, al);
  Put(i, rax);
}

}  // namespace polyvm::engine::jit::detail
