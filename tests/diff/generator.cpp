// The random case generator (see generator.h). A case is built as a list of items (one plain
// instruction, a control transfer, or a short group such as auipc + jalr), laid out, and then
// encoded once every branch target's address is known.
#include "generator.h"

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>

#include "rv_encode.h"

namespace polyvm::diff {
namespace {

enum class Family : uint8_t {
  kIntAlu,
  kMulDiv,
  kMem,
  kAtomic,
  kFpS,
  kFpD,
  kCompressed,
  kCsr,
  kFence,
  kBitmanip,
  kCount
};

Family FamilyOf(const Form& f) {
  switch (f.ext) {
    case Ext::kM: return Family::kMulDiv;
    case Ext::kA: return Family::kAtomic;
    case Ext::kF: return Family::kFpS;
    case Ext::kD: return Family::kFpD;
    case Ext::kC: return Family::kCompressed;
    case Ext::kZicsr: return Family::kCsr;
    case Ext::kZifencei: return Family::kFence;
    case Ext::kB: return Family::kBitmanip;
    case Ext::kI: break;
  }
  if (f.fmt == Fmt::kFence) return Family::kFence;
  if (f.fmt == Fmt::kLoad || f.fmt == Fmt::kStore) return Family::kMem;
  return Family::kIntAlu;
}

enum class Kind : uint8_t { kPlain, kBranch, kJal, kCJ, kCBranch, kJalr, kCJr, kEbreak };

struct Item {
  Kind kind = Kind::kPlain;
  InsnInfo plain;       // kPlain
  unsigned target = 0;  // control transfers: index of the target item (items.size() = the end)
  uint32_t f3 = 0;      // branch condition
  uint8_t rs1 = 0, rs2 = 0, rd = 0, scratch = 0;
  bool odd = false;   // jalr groups: add 1 to the offset (the jump clears bit 0)
  bool link = false;  // c.jalr rather than c.jr
  bool wide = false;  // c.beqz/c.bnez widened to beq/bne because the target is too far
  bool compressed_ebreak = false;

  unsigned Size() const {
    switch (kind) {
      case Kind::kPlain: return plain.len;
      case Kind::kCJ: return 2;
      case Kind::kCBranch: return wide ? 4 : 2;
      case Kind::kJalr: return 8;
      case Kind::kCJr: return 10;
      case Kind::kEbreak: return compressed_ebreak ? 2 : 4;
      default: return 4;
    }
  }
};

// The FP CSRs: fflags (0x001), frm (0x002), fcsr (0x003).
constexpr unsigned kFflags = 1, kFcsr = 3;

class Generator {
 public:
  Generator(const Profile& p, uint64_t seed) : p_(p), rng_(seed) {
    for (const Form& f : AllForms()) by_family_[static_cast<size_t>(FamilyOf(f))].push_back(&f);
  }

  Case Build() {
    ChooseRegisters();
    InitState();
    auto n = static_cast<unsigned>(Uniform(rng_, p_.min_insns, p_.max_insns));
    fault_left_ = Chance(rng_, p_.fault_prob);
    std::vector<Item> items;
    while (items.size() < n) items.push_back(NextItem(static_cast<unsigned>(items.size()), n));
    Encode(items);
    return std::move(c_);
  }

 private:
  // ---- registers ----
  void ChooseRegisters() {
    // Pointer registers: one of x8..x15 (for the compressed loads and stores), sp half the time
    // (for the sp-relative forms), sometimes one more. Never x1: jal/c.jalr may write it.
    ptrs_.push_back(static_cast<unsigned>(Uniform(rng_, 8, 15)));
    bool sp_ptr = Chance(rng_, 0.5);
    if (const Form* only = p_.only_form.empty() ? nullptr : FindForm(p_.only_form)) {
      if (only->Has(kWritesSp)) sp_ptr = false;  // c.addi16sp must not move a pointer
      if (only->fmt == Fmt::kCLoadSp || only->fmt == Fmt::kCStoreSp) sp_ptr = true;
    }
    if (sp_ptr) ptrs_.push_back(2);
    if (Chance(rng_, 0.4)) {
      unsigned r = static_cast<unsigned>(Uniform(rng_, 3, 31));
      if (!IsPtr(r)) ptrs_.push_back(r);
    }
    for (size_t k = 0; k < ptrs_.size(); ++k) {
      uint64_t off = Uniform(rng_, 0, 3600);
      if (k == 0 || Chance(rng_, 0.5)) off &= ~uint64_t{7};  // the first one serves atomics
      ptr_val_[ptrs_[k]] = kDataBase + off;
    }
    // A small pool of registers keeps data flowing from one instruction to the next.
    while (xpool_.size() < 3) AddUnique(xpool_, static_cast<unsigned>(Uniform(rng_, 8, 15)), true);
    while (xpool_.size() < 8) AddUnique(xpool_, static_cast<unsigned>(Uniform(rng_, 1, 31)), true);
    while (fpool_.size() < 3) AddUnique(fpool_, static_cast<unsigned>(Uniform(rng_, 8, 15)), false);
    while (fpool_.size() < 6) AddUnique(fpool_, static_cast<unsigned>(Uniform(rng_, 0, 31)), false);
  }
  void AddUnique(std::vector<unsigned>& pool, unsigned r, bool x) {
    if (x && IsPtr(r)) return;
    if (std::find(pool.begin(), pool.end(), r) == pool.end()) pool.push_back(r);
  }
  bool IsPtr(unsigned r) const { return std::find(ptrs_.begin(), ptrs_.end(), r) != ptrs_.end(); }

  template <typename T>
  T PickFrom(const std::vector<T>& v) {
    return v[Uniform(rng_, 0, v.size() - 1)];
  }

  unsigned XWrite() {
    if (Chance(rng_, 0.03)) return 0;
    return PickFrom(xpool_);
  }
  unsigned XRead() {
    if (Chance(rng_, p_.zero_read_prob)) return 0;
    if (Chance(rng_, 0.1)) return PickFrom(ptrs_);
    return PickFrom(xpool_);
  }
  unsigned FReg() {
    return Chance(rng_, 0.05) ? static_cast<unsigned>(Uniform(rng_, 0, 31)) : PickFrom(fpool_);
  }
  // x8..x15 (rd'/rs' of the compressed forms); writes avoid the pointers.
  bool XcWrite(unsigned* r) {
    std::vector<unsigned> c;
    for (unsigned x : xpool_) {
      if (x >= 8 && x <= 15) c.push_back(x);
    }
    if (c.empty()) return false;
    *r = PickFrom(c);
    return true;
  }
  unsigned XcRead() {
    unsigned r;
    if (Chance(rng_, 0.8) && XcWrite(&r)) return r;
    return static_cast<unsigned>(Uniform(rng_, 8, 15));
  }
  unsigned FcReg() {
    std::vector<unsigned> c;
    for (unsigned f : fpool_) {
      if (f >= 8 && f <= 15) c.push_back(f);
    }
    return c.empty() || Chance(rng_, 0.1) ? static_cast<unsigned>(Uniform(rng_, 8, 15))
                                          : PickFrom(c);
  }
  unsigned Reg(Rc rc, bool write) {
    if (rc == Rc::kF) return FReg();
    return write ? XWrite() : XRead();
  }

  // ---- initial state ----
  void InitState() {
    for (unsigned i = 1; i < 32; ++i) {
      c_.init.x[i] = IsPtr(i)             ? ptr_val_[i]
                     : Chance(rng_, 0.08) ? kDataBase + Uniform(rng_, 0, kDataSize)
                                          : RandInt(rng_);
    }
    for (unsigned i = 0; i < 32; ++i) c_.init.f[i] = RandFReg(rng_);
    uint32_t frm = Chance(rng_, p_.bad_frm_prob) ? static_cast<uint32_t>(Uniform(rng_, 5, 7))
                                                 : static_cast<uint32_t>(Uniform(rng_, 0, 4));
    uint32_t fflags = Chance(rng_, 0.5) ? 0 : static_cast<uint32_t>(Uniform(rng_, 0, 31));
    c_.init.fcsr = frm << 5 | fflags;
    for (auto& b : c_.data) b = static_cast<uint8_t>(rng_());
    for (size_t off = 0; off + 8 <= kDataSize; off += 8) {
      unsigned k = static_cast<unsigned>(Uniform(rng_, 0, 9));
      uint64_t v = 0;
      if (k < 2) {
        v = RandInt(rng_);
      } else if (k < 4) {
        v = RandF64(rng_);
      } else if (k < 5) {
        v = uint64_t{RandF32(rng_)} | uint64_t{RandF32(rng_)} << 32;
      } else {
        continue;
      }
      for (unsigned b = 0; b < 8; ++b) c_.data[off + b] = static_cast<uint8_t>(v >> (8 * b));
    }
  }

  // ---- immediates ----
  int32_t Imm12() {
    switch (Uniform(rng_, 0, 5)) {
      case 0: return static_cast<int32_t>(Uniform(rng_, 0, 8)) - 4;
      case 1: {
        static constexpr std::array<int32_t, 6> kEdges = {-2048, 2047,           -1,
                                                          0x7ff, 0x800 - 0x1000, 1};
        return kEdges[Uniform(rng_, 0, kEdges.size() - 1)];
      }
      default: return static_cast<int32_t>(Uniform(rng_, 0, 4095)) - 2048;
    }
  }
  int32_t Imm6() { return static_cast<int32_t>(Uniform(rng_, 0, 63)) - 32; }
  unsigned Shamt(unsigned bits) {
    static constexpr std::array<unsigned, 6> kEdges = {0, 1, 31, 32, 63, 16};
    if (Chance(rng_, 0.4)) {
      unsigned s = kEdges[Uniform(rng_, 0, kEdges.size() - 1)];
      if (s < (1u << bits)) return s;
    }
    return static_cast<unsigned>(Uniform(rng_, 0, (1u << bits) - 1));
  }
  uint32_t Rm() {
    if (Chance(rng_, p_.illegal_prob)) return static_cast<uint32_t>(Uniform(rng_, 5, 6));
    return Chance(rng_, 0.4) ? 7 : static_cast<uint32_t>(Uniform(rng_, 0, 4));
  }

  // ---- memory operands ----
  // A guest address for an access of `size` bytes at base + imm12 with the base a pointer
  // register: inside the data page, or (once per faulting case) entirely outside it.
  bool MemOperand(unsigned size, unsigned* base, int32_t* imm) {
    *base = PickFrom(ptrs_);
    auto ob = static_cast<int64_t>(ptr_val_[*base] - kDataBase);
    int64_t t;
    const auto page = static_cast<int64_t>(kDataSize);
    if (fault_left_ && Chance(rng_, 0.3)) {
      // Entirely past the end of the page, or entirely before its start, within imm12's reach.
      if (ob + 2047 >= page) {
        t = static_cast<int64_t>(Uniform(rng_, kDataSize, static_cast<uint64_t>(ob + 2047)));
      } else if (ob + size <= 2048) {
        t = ob - static_cast<int64_t>(Uniform(rng_, static_cast<uint64_t>(ob) + size, 2048));
      } else {
        return false;
      }
      fault_left_ = false;
    } else {
      int64_t lo = std::max<int64_t>(0, ob - 2048);
      int64_t hi = std::min<int64_t>(kDataSize - size, ob + 2047);
      t = lo + static_cast<int64_t>(Uniform(rng_, 0, static_cast<uint64_t>(hi - lo)));
      if (Chance(rng_, 0.8)) {
        t &= ~static_cast<int64_t>(size - 1);
        if (t < lo) t += size;
      }
    }
    *imm = static_cast<int32_t>(t - ob);
    return true;
  }
  // A pointer register aligned for an atomic of `size` bytes (rarely a misaligned one: every
  // runner must trap). For LR and SC the choice keeps one (register, size) per 64-byte granule for
  // the whole case, whatever path it takes: an SC pairing with an LR of another size or another
  // address in the granule is implementation-defined (A 8.2; unicorn_quirks.cpp).
  bool AtomicBase(unsigned size, unsigned* base, bool lrsc, bool may_misalign) {
    std::vector<unsigned> ok, bad;
    for (unsigned r : ptrs_) {
      if (lrsc) {
        auto it = lrsc_.find(ptr_val_[r] | 63);
        if (it != lrsc_.end() && it->second != std::pair(r, size)) continue;
      }
      (ptr_val_[r] % size == 0 ? ok : bad).push_back(r);
    }
    if (may_misalign && !bad.empty() && Chance(rng_, p_.misaligned_prob)) {
      *base = PickFrom(bad);
    } else if (ok.empty()) {
      return false;
    } else {
      *base = PickFrom(ok);
    }
    if (lrsc) lrsc_.emplace(ptr_val_[*base] | 63, std::pair(*base, size));
    return true;
  }
  // For compressed loads/stores: the largest scaled offset keeping base + uimm inside the page.
  bool CompressedOffset(unsigned base, unsigned size, unsigned max_uimm, uint32_t* uimm) {
    auto ob = static_cast<int64_t>(ptr_val_[base] - kDataBase);
    int64_t room = static_cast<int64_t>(kDataSize) - size - ob;
    if (room < 0) return false;
    auto lim = static_cast<unsigned>(std::min<int64_t>(max_uimm, room));
    *uimm = static_cast<uint32_t>(Uniform(rng_, 0, lim / size) * size);
    return true;
  }

  // ---- items ----
  Item NextItem(unsigned index, unsigned count) {
    Item it;
    if (Chance(rng_, p_.ebreak_prob)) {
      it.kind = Kind::kEbreak;
      it.compressed_ebreak = Chance(rng_, 0.5);
      return it;
    }
    if (Chance(rng_, p_.reserved_prob)) {
      it.plain.word = ReservedWord();
      it.plain.len = (it.plain.word & 3) == 3 ? 4 : 2;
      return it;
    }
    if (Chance(rng_, p_.branch_prob)) return ControlItem(index, count);
    for (int attempt = 0; attempt < 10000; ++attempt) {
      const Form& f = PickForm();
      if (MakePlain(f, &it.plain)) return it;
    }
    throw std::logic_error("generator: no form of profile " + p_.name + " fits the case");
  }

  // Encodings the manual reserves or leaves undefined; every runner must raise an illegal
  // instruction exception at them.
  uint32_t ReservedWord() {
    auto r = [&](uint64_t lo, uint64_t hi) { return static_cast<uint32_t>(Uniform(rng_, lo, hi)); };
    uint32_t ci_imm = r(0, 1) << 12 | r(0, 31) << 2;  // the CI immediate bits, any value
    switch (Uniform(rng_, 0, 11)) {
      case 0: return 0x0000;        // defined illegal (16.8: all zeros)
      case 1: return r(1, 7) << 2;  // c.addi4spn, nzuimm = 0
      case 2: return 0x6101;        // c.addi16sp, nzimm = 0
      case 3: {                     // c.lui, nzimm = 0
        unsigned rd = r(1, 31);
        return 0x6001 | (rd == 2 ? 3u : rd) << 7;
      }
      case 4: return 0x2001 | ci_imm;  // c.addiw, rd = x0
      case 5: return 0x4002 | ci_imm;  // c.lwsp, rd = x0
      case 6: return 0x6002 | ci_imm;  // c.ldsp, rd = x0
      case 7: return 0x8002;           // c.jr, rs1 = x0
      case 8:                          // fadd.q: no Q extension
        return rv::R(rv::kOpFp, r(0, 4), 0x03, r(0, 31), r(0, 31), r(0, 31));
      case 9:  // OP-IMM funct3 = 1, funct6 = 000001
        return rv::I(rv::kOpImm, 1, r(0, 31), r(0, 31), static_cast<int32_t>(0x040 | r(0, 63)));
      case 10:  // AMO with funct3 = 0 (no byte AMOs)
        return rv::Amo(0, false, false, 0, r(0, 31), r(0, 31), r(0, 31));
      default: return 0xffffffff;  // a >= 48-bit encoding: unsupported
    }
  }

  const Form& PickForm() {
    if (!p_.only_form.empty()) return *FindForm(p_.only_form);
    const Mix& m = p_.mix;
    const unsigned w[] = {m.int_alu, m.muldiv,     m.mem, m.atomic, m.fp_s,
                          m.fp_d,    m.compressed, m.csr, m.fence,  m.bitmanip};
    static_assert(std::size(w) == static_cast<size_t>(Family::kCount));
    unsigned total = 0;
    for (unsigned x : w) total += x;
    auto r = static_cast<unsigned>(Uniform(rng_, 0, total - 1));
    size_t fam = 0;
    while (r >= w[fam]) r -= w[fam++];
    for (;;) {
      const Form* f = PickFrom(by_family_[fam]);
      if (std::find(p_.exclude.begin(), p_.exclude.end(), f->name) == p_.exclude.end()) return *f;
    }
  }

  Item ControlItem(unsigned index, unsigned count) {
    Item it;
    // Near targets are more likely; `count` is the end marker.
    unsigned span = count - index;
    it.target =
        index + 1 +
        static_cast<unsigned>(std::min<uint64_t>(
            span - 1, Uniform(rng_, 0, 3) == 0 ? Uniform(rng_, 0, span - 1) : Uniform(rng_, 0, 2)));
    switch (Uniform(rng_, 0, 9)) {
      case 0:
      case 1:
      case 2: {
        static constexpr std::array<uint32_t, 6> kConds = {0, 1, 4, 5, 6, 7};
        it.kind = Kind::kBranch;
        it.f3 = kConds[Uniform(rng_, 0, kConds.size() - 1)];
        it.rs1 = static_cast<uint8_t>(XRead());
        it.rs2 = Chance(rng_, 0.25) ? it.rs1 : static_cast<uint8_t>(XRead());
        break;
      }
      case 3:
      case 4:
        it.kind = Kind::kCBranch;
        it.f3 = Chance(rng_, 0.5) ? 6 : 7;
        it.rs1 = static_cast<uint8_t>(XcRead());
        break;
      case 5:
        it.kind = Kind::kJal;
        it.rd = static_cast<uint8_t>(Chance(rng_, 0.3) ? 1 : XWrite());
        break;
      case 6: it.kind = Kind::kCJ; break;
      case 7:
      case 8:
        it.kind = Kind::kJalr;
        it.rd = static_cast<uint8_t>(XWrite());
        it.scratch = static_cast<uint8_t>(PickFrom(xpool_));
        it.odd = Chance(rng_, 0.3);
        break;
      default:
        it.kind = Kind::kCJr;
        it.scratch = static_cast<uint8_t>(PickFrom(xpool_));
        it.link = Chance(rng_, 0.5);
        it.odd = Chance(rng_, 0.3);
        break;
    }
    return it;
  }

  bool MakePlain(const Form& f, InsnInfo* out) {
    InsnInfo& in = *out;
    in = InsnInfo{};
    in.form = &f;
    in.len = f.ext == Ext::kC ? 2 : 4;
    uint32_t w = f.match;
    unsigned rd = 0, rs1 = 0, rs2 = 0, rs3 = 0;
    switch (f.fmt) {
      case Fmt::kR:
        rd = Reg(f.rd, true), rs1 = Reg(f.rs1, false);
        if (f.rs2 != Rc::kNone) rs2 = Reg(f.rs2, false);
        w |= rd << 7 | rs1 << 15 | rs2 << 20;
        break;
      case Fmt::kImm:
        rd = XWrite(), rs1 = XRead();
        w = rv::I(w & 0x7f, (w >> 12) & 7, rd, rs1, Imm12());
        break;
      case Fmt::kShift6:
      case Fmt::kShift5:
        rd = XWrite(), rs1 = XRead();
        w |= rd << 7 | rs1 << 15 | Shamt(f.fmt == Fmt::kShift6 ? 6 : 5) << 20;
        break;
      case Fmt::kU: {
        rd = XWrite();
        static constexpr std::array<uint32_t, 5> kEdges = {0, 0x80000, 0xfffff, 0x7ffff, 1};
        uint32_t imm = Chance(rng_, 0.3) ? kEdges[Uniform(rng_, 0, kEdges.size() - 1)]
                                         : static_cast<uint32_t>(rng_());
        w = rv::U(w, rd, imm);
        break;
      }
      case Fmt::kLoad:
      case Fmt::kStore: {
        int32_t imm;
        if (!MemOperand(f.mem_size, &rs1, &imm)) return false;
        if (f.fmt == Fmt::kLoad) {
          rd = Reg(f.rd, true);
          w = rv::I(w & 0x7f, (w >> 12) & 7, rd, rs1, imm);
        } else {
          rs2 = Reg(f.rs2, false);
          w = rv::S(w & 0x7f, (w >> 12) & 7, rs1, rs2, imm);
        }
        break;
      }
      case Fmt::kLr:
        if (!AtomicBase(f.mem_size, &rs1, /*lrsc=*/true, /*may_misalign=*/true)) return false;
        rd = XWrite();
        w |= rd << 7 | rs1 << 15 | AqRl();
        break;
      case Fmt::kAmo: {
        // A misaligned SC is not generated: unicorn_quirks.cpp, sc-misaligned.
        bool sc = f.name.starts_with("sc.");
        if (!AtomicBase(f.mem_size, &rs1, /*lrsc=*/sc, /*may_misalign=*/!sc)) return false;
        rd = XWrite(), rs2 = XRead();
        w |= rd << 7 | rs1 << 15 | rs2 << 20 | AqRl();
        break;
      }
      case Fmt::kFp:
        rd = Reg(f.rd, true);
        rs1 = Reg(f.rs1, false);
        if (f.rs2 != Rc::kNone) rs2 = Reg(f.rs2, false);
        w |= rd << 7 | rs1 << 15 | rs2 << 20;
        if (f.Has(kRm)) w |= Rm() << 12;
        break;
      case Fmt::kFma:
        rd = FReg(), rs1 = FReg(), rs2 = FReg(), rs3 = FReg();
        w |= rd << 7 | Rm() << 12 | rs1 << 15 | rs2 << 20 | rs3 << 27;
        break;
      case Fmt::kCsr:
      case Fmt::kCsrI: {
        rd = XWrite();
        unsigned src = f.fmt == Fmt::kCsr ? XRead() : static_cast<unsigned>(Uniform(rng_, 0, 31));
        if (f.fmt == Fmt::kCsr) rs1 = src;
        unsigned csr = static_cast<unsigned>(Uniform(rng_, kFflags, kFcsr));
        w |= rd << 7 | src << 15 | csr << 20;
        break;
      }
      case Fmt::kFence:
      case Fmt::kFenceI:
        // Every field but the opcode and funct3 is ignored by base implementations (spec 2.7, 3.1).
        w |= static_cast<uint32_t>(rng_()) & 0xfff00000;
        if (Chance(rng_, 0.2)) w |= static_cast<uint32_t>(rng_()) & 0x000f8f80;
        break;
      default:
        if (!MakeCompressed(f, &w, &rd, &rs1, &rs2)) return false;
        break;
    }
    in.word = w;
    in.rd = static_cast<uint8_t>(rd), in.rs1 = static_cast<uint8_t>(rs1);
    in.rs2 = static_cast<uint8_t>(rs2), in.rs3 = static_cast<uint8_t>(rs3);
    return true;
  }

  uint32_t AqRl() { return static_cast<uint32_t>(Uniform(rng_, 0, 3)) << 25; }

  bool MakeCompressed(const Form& f, uint32_t* w, unsigned* rd, unsigned* rs1, unsigned* rs2) {
    uint32_t f3 = f.match >> 13;
    switch (f.fmt) {
      case Fmt::kCAddi4spn:
        if (!XcWrite(rd)) return false;
        *rs1 = 2;
        *w = rv::CAddi4spn(*rd, static_cast<uint32_t>(Uniform(rng_, 1, 255)) * 4);
        return true;
      case Fmt::kCLoad:
      case Fmt::kCStore: {
        std::vector<unsigned> bases;
        for (unsigned p : ptrs_) {
          if (p >= 8 && p <= 15) bases.push_back(p);
        }
        if (bases.empty()) return false;
        *rs1 = PickFrom(bases);
        uint32_t uimm;
        if (!CompressedOffset(*rs1, f.mem_size, f.mem_size == 4 ? 124 : 248, &uimm)) return false;
        unsigned r;
        bool fp = (f.fmt == Fmt::kCLoad ? f.rd : f.rs2) == Rc::kF;
        if (fp) {
          r = FcReg();
        } else if (f.fmt == Fmt::kCLoad) {
          if (!XcWrite(&r)) return false;
        } else {
          r = XcRead();
        }
        (f.fmt == Fmt::kCLoad ? *rd : *rs2) = r;
        *w = f.mem_size == 4 ? rv::CLsw(f3, *rs1, r, uimm) : rv::CLsd(f3, *rs1, r, uimm);
        return true;
      }
      case Fmt::kCAddi:  // rd = x0 is c.nop; imm = 0 is a HINT (legal)
        *rd = Chance(rng_, 0.05) ? 0 : XWrite();
        *rs1 = *rd;
        *w = rv::CI6(0, *rd, Imm6(), 1);
        return true;
      case Fmt::kCAddiw:  // rd = x0 is reserved
        do *rd = XWrite();
        while (*rd == 0);
        *rs1 = *rd;
        *w = rv::CI6(1, *rd, Imm6(), 1);
        return true;
      case Fmt::kCLi:  // rd = x0 is a HINT
        *rd = XWrite();
        *w = rv::CI6(2, *rd, Imm6(), 1);
        return true;
      case Fmt::kCAddi16sp: {
        if (IsPtr(2)) return false;
        int32_t k = static_cast<int32_t>(Uniform(rng_, 0, 62)) - 32;
        if (k >= 0) ++k;  // nzimm != 0
        *rd = *rs1 = 2;
        *w = rv::CAddi16sp(k * 16);
        return true;
      }
      case Fmt::kCLui: {  // rd = x0 is a HINT, rd = x2 is c.addi16sp; nzimm = 0 is reserved
        do *rd = XWrite();
        while (*rd == 0 || *rd == 2);
        int32_t imm = Imm6();
        if (imm == 0) imm = 1;
        *w = rv::CLui(*rd, imm);
        return true;
      }
      case Fmt::kCShiftR:
      case Fmt::kCAndi: {
        if (!XcWrite(rd)) return false;
        *rs1 = *rd;
        int32_t imm = f.fmt == Fmt::kCAndi ? Imm6() : static_cast<int32_t>(Shamt(6));
        *w = rv::CBImm((f.match >> 10) & 3, *rd, imm);
        return true;
      }
      case Fmt::kCArith:
        if (!XcWrite(rd)) return false;
        *rs1 = *rd;
        *rs2 = XcRead();
        *w = f.match | (*rd - 8) << 7 | (*rs2 - 8) << 2;
        return true;
      case Fmt::kCSlli:  // rd = x0 and shamt = 0 are HINTs
        *rd = XWrite();
        *rs1 = *rd;
        *w = rv::CI6(0, *rd, static_cast<int32_t>(Shamt(6)), 2);
        return true;
      case Fmt::kCLoadSp:
      case Fmt::kCStoreSp: {
        if (!IsPtr(2)) return false;
        *rs1 = 2;
        uint32_t uimm;
        if (!CompressedOffset(2, f.mem_size, f.mem_size == 4 ? 252 : 504, &uimm)) return false;
        if (f.fmt == Fmt::kCLoadSp) {
          if (f.rd == Rc::kF) {
            *rd = FReg();
          } else {
            do *rd = XWrite();  // rd = x0 is reserved
            while (*rd == 0);
          }
          *w = f.mem_size == 4 ? rv::CLwsp(*rd, uimm) : rv::CLdsp(f3, *rd, uimm);
        } else {
          *rs2 = f.rs2 == Rc::kF ? FReg() : XRead();
          *w = f.mem_size == 4 ? rv::CSwsp(*rs2, uimm) : rv::CSdsp(f3, *rs2, uimm);
        }
        return true;
      }
      case Fmt::kCMv:
      case Fmt::kCAdd:  // rs2 = x0 would be c.jr / c.jalr / c.ebreak; rd = x0 is a HINT
        *rd = Chance(rng_, 0.05) ? 0 : XWrite();
        do *rs2 = XRead();
        while (*rs2 == 0);
        if (f.fmt == Fmt::kCAdd) *rs1 = *rd;
        *w = f.match | *rd << 7 | *rs2 << 2;
        return true;
      default: return false;
    }
  }

  // ---- layout and encoding ----
  void Encode(std::vector<Item>& items) {
    std::vector<uint32_t> off(items.size() + 1);
    for (int pass = 0; pass < 4; ++pass) {
      uint32_t o = 0;
      for (size_t i = 0; i < items.size(); ++i) {
        off[i] = o;
        o += items[i].Size();
      }
      off[items.size()] = o;
      bool changed = false;
      for (size_t i = 0; i < items.size(); ++i) {
        Item& it = items[i];
        if (it.kind == Kind::kCBranch && !it.wide) {
          int64_t d = static_cast<int64_t>(off[it.target]) - off[i];
          if (d > 254) it.wide = changed = true;
        }
      }
      if (!changed) break;
    }
    auto emit = [&](uint32_t word, unsigned len, const Form* form, unsigned rd = 0,
                    unsigned rs1 = 0) {
      InsnInfo in;
      in.offset = static_cast<uint32_t>(c_.code.size());
      in.len = static_cast<uint8_t>(len);
      in.word = word;
      in.form = form;
      in.rd = static_cast<uint8_t>(rd);
      in.rs1 = static_cast<uint8_t>(rs1);
      c_.insns.push_back(in);
      for (unsigned b = 0; b < len; ++b) c_.code.push_back(static_cast<uint8_t>(word >> (8 * b)));
    };
    static const Form* auipc = FindForm("auipc");
    static const Form* addi = FindForm("addi");
    for (size_t i = 0; i < items.size(); ++i) {
      const Item& it = items[i];
      auto d = static_cast<int32_t>(static_cast<int64_t>(off[it.target]) - off[i]);
      if (it.kind != Kind::kPlain && it.kind != Kind::kEbreak) c_.targets.push_back(off[it.target]);
      switch (it.kind) {
        case Kind::kPlain: {
          InsnInfo in = it.plain;
          in.offset = static_cast<uint32_t>(c_.code.size());
          c_.insns.push_back(in);
          for (unsigned b = 0; b < in.len; ++b)
            c_.code.push_back(static_cast<uint8_t>(in.word >> (8 * b)));
          break;
        }
        case Kind::kBranch: emit(rv::B(it.f3, it.rs1, it.rs2, d), 4, nullptr); break;
        case Kind::kCBranch:
          if (it.wide) {
            emit(rv::B(it.f3 == 6 ? 0 : 1, it.rs1, 0, d), 4, nullptr);
          } else {
            emit(rv::CBranch(it.f3, it.rs1, d), 2, nullptr);
          }
          break;
        case Kind::kJal: emit(rv::J(it.rd, d), 4, nullptr, it.rd); break;
        case Kind::kCJ: emit(rv::CJ(5, d), 2, nullptr); break;
        case Kind::kJalr:
          emit(rv::U(rv::kOpAuipc, it.scratch, 0), 4, auipc, it.scratch);
          emit(rv::I(rv::kOpJalr, 0, it.rd, it.scratch, d + it.odd), 4, nullptr, it.rd, it.scratch);
          break;
        case Kind::kCJr:
          emit(rv::U(rv::kOpAuipc, it.scratch, 0), 4, auipc, it.scratch);
          emit(rv::I(rv::kOpImm, 0, it.scratch, it.scratch, d + it.odd), 4, addi, it.scratch,
               it.scratch);
          emit(rv::CR(it.link ? 9 : 8, it.scratch, 0, 2), 2, nullptr, it.link ? 1 : 0, it.scratch);
          break;
        case Kind::kEbreak:
          if (it.compressed_ebreak) {
            emit(rv::kCEbreak, 2, nullptr);
          } else {
            emit(rv::kEbreak, 4, nullptr);
          }
          break;
      }
    }
    c_.end_pc = kCodeBase + c_.code.size();
    emit(rv::kEbreak, 4, nullptr);
    c_.insns.back().end = true;
  }

  const Profile& p_;
  Rng rng_;
  Case c_;
  std::array<std::vector<const Form*>, static_cast<size_t>(Family::kCount)> by_family_;
  std::vector<unsigned> ptrs_, xpool_, fpool_;
  std::array<uint64_t, 32> ptr_val_{};
  bool fault_left_ = false;
  std::map<uint64_t, std::pair<unsigned, unsigned>> lrsc_;  // granule -> (register, size)
};

}  // namespace

Case Generate(const Profile& profile, uint64_t seed) { return Generator(profile, seed).Build(); }

const char* StopName(Stop s) {
  switch (s) {
    case Stop::kEnd: return "end";
    case Stop::kBreakpoint: return "breakpoint";
    case Stop::kIllegal: return "illegal-instruction";
    case Stop::kMisaligned: return "misaligned";
    case Stop::kMemFault: return "memory-fault";
    case Stop::kTimeout: return "timeout";
    case Stop::kError: return "error";
  }
  return "?";
}

}  // namespace polyvm::diff
