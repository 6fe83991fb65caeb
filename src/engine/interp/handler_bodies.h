// The bodies of the dispatch loop's handlers, one macro per `body` column of handlers.def, and the
// operand accessors they share. Included only by execute.cpp, inside the dispatch function's
// scope: the macros use its locals (ip, st, fr, hdr, mem, lim, er, next_pc, ...).
#pragma once

// The vCPU's hot fields, addressed from the frame pointer (see VcpuHot).
#define PV_TD HotOfFrame(fr)

// ---- operand access by kind (see K in lowered.h) ----
#define PV_GET_S(T, f) ops::Ld<T>(st + ip->f)
#define PV_GET_F(T, f) ops::Ld<T>(fr + ip->f)
#define PV_GET_I(T, f) static_cast<T>(ip->imm)
#define PV_GET_J(T, f) static_cast<T>(static_cast<int64_t>(static_cast<int32_t>(ip->aux)))
#define PV_PUT_S(T, f, v) ops::St<T>(st + ip->f, v)
#define PV_PUT_F(T, f, v) ops::StSlot<T>(fr + ip->f, v)
#define PV_NEXT() \
  do {            \
    ++ip;         \
    goto* ip->h;  \
  } while (0)
#define PV_DYN static_cast<ir::RoundingMode>(hdr->fp_round)
#define PV_EXIT_REC reinterpret_cast<const ExitRec*>(ip->imm)
#define PV_CHECK_RANGE(addr, C)                                \
  if (__builtin_expect((addr) >= lim[kLog2Size<C>], 0)) {      \
    fault_addr = (addr);                                       \
    goto out_of_range;                                         \
  }
#define PV_CHECK_ALIGN(addr, C)                                \
  if (__builtin_expect(((addr) & (sizeof(C) - 1)) != 0, 0)) {  \
    fault_addr = (addr);                                       \
    goto misaligned;                                           \
  }

// ---- handler bodies, by the `body` column of handlers.def ----
#define PV_BODY_MOV(x, t, t2, kd, ka, kb, kc, C) \
  {                                              \
    C v_ = PV_GET_##ka(C, a);                    \
    PV_PUT_##kd(C, d, v_);                       \
    PV_NEXT();                                   \
  }
#define PV_BODY_BIN(x, t, t2, kd, ka, kb, kc, C) \
  {                                              \
    C a_ = PV_GET_##ka(C, a);                    \
    C b_ = PV_GET_##kb(C, b);                    \
    C v_ = ops::x<C>(a_, b_);                    \
    PV_PUT_##kd(C, d, v_);                       \
    PV_NEXT();                                   \
  }
#define PV_BODY_UN(x, t, t2, kd, ka, kb, kc, C) \
  {                                             \
    C v_ = ops::x<C>(PV_GET_##ka(C, a));        \
    PV_PUT_##kd(C, d, v_);                      \
    PV_NEXT();                                  \
  }
#define PV_BODY_UNB(x, t, t2, kd, ka, kb, kc, C)                 \
  {                                                              \
    auto v_ = static_cast<uint8_t>(ops::x<C>(PV_GET_F(C, a)));   \
    PV_PUT_F(uint8_t, d, v_);                                    \
    PV_NEXT();                                                   \
  }
#define PV_BODY_NOT1(x, t, t2, kd, ka, kb, kc, C)                 \
  {                                                               \
    auto v_ = static_cast<uint8_t>((PV_GET_F(uint8_t, a) & 1) ^ 1); \
    PV_PUT_F(uint8_t, d, v_);                                     \
    PV_NEXT();                                                    \
  }
#define PV_BODY_TRUNC1(x, t, t2, kd, ka, kb, kc, C)           \
  {                                                           \
    auto v_ = static_cast<uint8_t>(PV_GET_##ka(uint8_t, a) & 1); \
    PV_PUT_F(uint8_t, d, v_);                                 \
    PV_NEXT();                                                \
  }
#define PV_BODY_CMP(x, t, t2, kd, ka, kb, kc, C)      \
  {                                                   \
    C a_ = PV_GET_##ka(C, a);                         \
    C b_ = PV_GET_##kb(C, b);                         \
    auto v_ = static_cast<uint8_t>(ops::x<C>(a_, b_)); \
    PV_PUT_F(uint8_t, d, v_);                         \
    PV_NEXT();                                        \
  }
#define PV_BODY_SELECT(x, t, t2, kd, ka, kb, kc, C)                     \
  {                                                                     \
    C v_ = (PV_GET_F(uint8_t, a) & 1) ? PV_GET_F(C, b) : PV_GET_F(C, c); \
    PV_PUT_F(C, d, v_);                                                 \
    PV_NEXT();                                                          \
  }
#define PV_BODY_ZEXT(x, t, t2, kd, ka, kb, kc, CR, CA, bits) \
  {                                                          \
    CR v_ = static_cast<CR>(PV_GET_##ka(CA, a));             \
    PV_PUT_##kd(CR, d, v_);                                  \
    PV_NEXT();                                               \
  }
#define PV_BODY_SEXT(x, t, t2, kd, ka, kb, kc, CR, CA, bits)   \
  {                                                            \
    CR v_ = ops::SignExtendTo<CR, bits>(PV_GET_##ka(CA, a));   \
    PV_PUT_##kd(CR, d, v_);                                    \
    PV_NEXT();                                                 \
  }
#define PV_BODY_CONCAT(x, t, t2, kd, ka, kb, kc, CA, CR)           \
  {                                                                \
    CR v_ = ops::Concat<CA, CR>(PV_GET_F(CA, a), PV_GET_F(CA, b)); \
    PV_PUT_F(CR, d, v_);                                           \
    PV_NEXT();                                                     \
  }
#define PV_BODY_EXTRACT(x, t, t2, kd, ka, kb, kc, CR, CA)     \
  {                                                           \
    CR v_ = ops::Extract<CR, CA>(PV_GET_F(CA, a), ip->imm);   \
    PV_PUT_F(CR, d, v_);                                      \
    PV_NEXT();                                                \
  }
#define PV_BODY_CARRY3(x, t, t2, kd, ka, kb, kc, C)              \
  {                                                              \
    C v_ = ops::x<C>(PV_GET_F(C, a), PV_GET_F(C, b),             \
                     (PV_GET_F(uint8_t, c) & 1) != 0);           \
    PV_PUT_F(C, d, v_);                                          \
    PV_NEXT();                                                   \
  }
#define PV_BODY_CARRY3B(x, t, t2, kd, ka, kb, kc, C)                                   \
  {                                                                                    \
    auto v_ = static_cast<uint8_t>(                                                    \
        ops::x<C>(PV_GET_F(C, a), PV_GET_F(C, b), (PV_GET_F(uint8_t, c) & 1) != 0));   \
    PV_PUT_F(uint8_t, d, v_);                                                          \
    PV_NEXT();                                                                         \
  }

// ---- memory ----
// User mode: guest address + mem base, after a range check (a host fault is caught by Run's
// FaultScope). System mode (kSys): the soft MMU's inline TLB hit test, else the slow path; a guest
// fault leaves through mmu_fault with the state exact before this instruction.
#define PV_SYS_LOAD(C, ad, v)                                                      \
  PV_TD.mmu_accesses.Inc();                                                        \
  if (uint8_t* h_ = TlbHost<mem::kTlbRead>(*mmu, ad, sizeof(C))) {                 \
    v = ops::Ld<C>(h_);                                                            \
  } else if (!SlowLoad<C>(*mmu, ad, &v, &mfault)) {                                \
    goto mmu_fault;                                                                \
  }
#define PV_SYS_STORE(C, ad, v)                                                     \
  PV_TD.mmu_accesses.Inc();                                                        \
  if (uint8_t* h_ = TlbHost<mem::kTlbWrite>(*mmu, ad, sizeof(C))) {                \
    ops::St<C>(h_, v);                                                             \
  } else if (!SlowStore<C>(*mmu, ad, v, &mfault)) {                                \
    goto mmu_fault;                                                                \
  }
// The host address of an atomic access (alignment is always required in system mode).
#define PV_ATOMIC_HOST(C, ad, access, hp)                                          \
  if constexpr (kSys) {                                                            \
    PV_CHECK_ALIGN(ad, C)                                                          \
    PV_TD.mmu_accesses.Inc();                                                      \
    hp = AtomicHost<C>(*mmu, ad, access, &mfault);                                 \
    if (hp == nullptr) goto mmu_fault;                                             \
  } else {                                                                         \
    if (NeedsAlignment<C>(ip->aux)) PV_CHECK_ALIGN(ad, C)                          \
    PV_CHECK_RANGE(ad, C)                                                          \
    PV_TD.cur_ip = ip;                                                             \
    hp = mem + ad;                                                                 \
  }
#define PV_BODY_LOAD(x, t, t2, kd, ka, kb, kc, C)      \
  {                                                    \
    uint64_t ad_ = PV_GET_##ka(uint64_t, a) + ip->imm; \
    C v_{};                                            \
    if constexpr (kSys) {                              \
      PV_SYS_LOAD(C, ad_, v_)                          \
    } else {                                           \
      PV_CHECK_RANGE(ad_, C)                           \
      PV_TD.cur_ip = ip;                               \
      v_ = ops::Ld<C>(mem + ad_);                      \
    }                                                  \
    PV_PUT_##kd(C, d, v_);                             \
    PV_NEXT();                                         \
  }
#define PV_BODY_LOADX(x, t, t2, kd, ka, kb, kc, C, sx)    \
  {                                                       \
    uint64_t ad_ = PV_GET_##ka(uint64_t, a) + ip->imm;    \
    C n_{};                                               \
    if constexpr (kSys) {                                 \
      PV_SYS_LOAD(C, ad_, n_)                             \
    } else {                                              \
      PV_CHECK_RANGE(ad_, C)                              \
      PV_TD.cur_ip = ip;                                  \
      n_ = ops::Ld<C>(mem + ad_);                         \
    }                                                     \
    uint64_t v_ = n_;                                     \
    if (sx) v_ = ir::sem::SignExtend(v_, 8 * sizeof(C));  \
    PV_PUT_##kd(uint64_t, d, v_);                         \
    PV_NEXT();                                            \
  }
#define PV_BODY_LOADA(x, t, t2, kd, ka, kb, kc, C)  \
  {                                                 \
    uint64_t ad_ = PV_GET_F(uint64_t, a) + ip->imm; \
    PV_CHECK_ALIGN(ad_, C)                          \
    C v_{};                                         \
    if constexpr (kSys) {                           \
      PV_SYS_LOAD(C, ad_, v_)                       \
    } else {                                        \
      PV_CHECK_RANGE(ad_, C)                        \
      PV_TD.cur_ip = ip;                            \
      v_ = ops::Ld<C>(mem + ad_);                   \
    }                                               \
    PV_PUT_F(C, d, v_);                             \
    PV_NEXT();                                      \
  }
#define PV_BODY_STORE(x, t, t2, kd, ka, kb, kc, C)     \
  {                                                    \
    uint64_t ad_ = PV_GET_##ka(uint64_t, a) + ip->imm; \
    C v_ = PV_GET_##kb(C, b);                          \
    if constexpr (kSys) {                              \
      PV_SYS_STORE(C, ad_, v_)                         \
    } else {                                           \
      PV_CHECK_RANGE(ad_, C)                           \
      PV_TD.cur_ip = ip;                               \
      ops::St<C>(mem + ad_, v_);                       \
    }                                                  \
    PV_NEXT();                                         \
  }
#define PV_BODY_STOREA(x, t, t2, kd, ka, kb, kc, C) \
  {                                                 \
    uint64_t ad_ = PV_GET_F(uint64_t, a) + ip->imm; \
    C v_ = PV_GET_F(C, b);                          \
    PV_CHECK_ALIGN(ad_, C)                          \
    if constexpr (kSys) {                           \
      PV_SYS_STORE(C, ad_, v_)                      \
    } else {                                        \
      PV_CHECK_RANGE(ad_, C)                        \
      PV_TD.cur_ip = ip;                            \
      ops::St<C>(mem + ad_, v_);                    \
    }                                               \
    PV_NEXT();                                      \
  }
#define PV_BODY_RMW(x, t, t2, kd, ka, kb, kc, C)                            \
  {                                                                         \
    uint64_t ad_ = PV_GET_F(uint64_t, a);                                   \
    C v_ = PV_GET_F(C, b);                                                  \
    uint8_t* hp_ = nullptr;                                                 \
    PV_ATOMIC_HOST(C, ad_, core::MemAccess::kWrite, hp_)                    \
    C old_ = HostRmw<C>(hp_, v_, ir::MemFlags::Decode(ip->aux).rmw);        \
    PV_PUT_F(C, d, old_);                                                   \
    PV_NEXT();                                                              \
  }
#define PV_BODY_CAS(x, t, t2, kd, ka, kb, kc, C)           \
  {                                                        \
    uint64_t ad_ = PV_GET_F(uint64_t, a);                  \
    C expected_ = PV_GET_F(C, b);                          \
    C desired_ = PV_GET_F(C, c);                           \
    uint8_t* hp_ = nullptr;                                \
    PV_ATOMIC_HOST(C, ad_, core::MemAccess::kWrite, hp_)   \
    HostCas<C>(hp_, expected_, desired_);                  \
    PV_PUT_F(C, d, expected_);                             \
    PV_NEXT();                                             \
  }
#define PV_BODY_LL(x, t, t2, kd, ka, kb, kc, C)                              \
  {                                                                          \
    uint64_t ad_ = PV_GET_F(uint64_t, a);                                    \
    uint8_t* hp_ = nullptr;                                                  \
    PV_ATOMIC_HOST(C, ad_, core::MemAccess::kRead, hp_)                      \
    C v_ = ops::Ld<C>(hp_);                                                  \
    hdr->excl_addr = ad_;                                                    \
    hdr->excl_size = sizeof(C);                                              \
    hdr->excl_value[0] = static_cast<uint64_t>(v_);                          \
    hdr->excl_value[1] = sizeof(C) == 16 ? static_cast<uint64_t>(static_cast<U128>(v_) >> 64) : 0; \
    PV_PUT_F(C, d, v_);                                                      \
    PV_NEXT();                                                               \
  }
#define PV_BODY_SC(x, t, t2, kd, ka, kb, kc, C)                                      \
  {                                                                                  \
    uint64_t ad_ = PV_GET_F(uint64_t, a);                                            \
    C v_ = PV_GET_F(C, b);                                                           \
    bool armed_ = hdr->excl_addr == ad_ && hdr->excl_size == sizeof(C);             \
    C expected_ = static_cast<C>(static_cast<U128>(hdr->excl_value[0]) |             \
                                 (static_cast<U128>(hdr->excl_value[1]) << 64));     \
    hdr->excl_addr = core::kNoReservation;                                           \
    hdr->excl_size = 0;                                                              \
    if (kSys || NeedsAlignment<C>(ip->aux)) PV_CHECK_ALIGN(ad_, C)                   \
    uint8_t ok_ = 0;                                                                 \
    if (armed_) {                                                                    \
      uint8_t* hp_ = nullptr;                                                        \
      PV_ATOMIC_HOST(C, ad_, core::MemAccess::kWrite, hp_)                           \
      ok_ = HostCas<C>(hp_, expected_, v_);                                          \
    }                                                                                \
    PV_PUT_F(uint8_t, d, ok_);                                                       \
    PV_NEXT();                                                                       \
  }
#define PV_BODY_CLRMON(x, t, t2, kd, ka, kb, kc, C) \
  {                                                 \
    hdr->excl_addr = core::kNoReservation;          \
    hdr->excl_size = 0;                             \
    PV_NEXT();                                      \
  }
#define PV_BODY_FENCEFULL(x, t, t2, kd, ka, kb, kc, C) \
  {                                                    \
    HostFullFence();                                   \
    PV_NEXT();                                         \
  }
#define PV_BODY_FENCECC(x, t, t2, kd, ka, kb, kc, C) \
  {                                                  \
    asm volatile("" ::: "memory");                   \
    PV_NEXT();                                       \
  }

// ---- floating point ----
#define PV_BODY_FBIN(x, t, t2, kd, ka, kb, kc, C)                                   \
  {                                                                                 \
    C v_ = ir::sem::x<C>(PV_GET_##ka(C, a), PV_GET_##kb(C, b), ip->aux, PV_DYN);    \
    PV_PUT_##kd(C, d, v_);                                                          \
    PV_NEXT();                                                                      \
  }
#define PV_BODY_FUN(x, t, t2, kd, ka, kb, kc, C)                \
  {                                                             \
    C v_ = ir::sem::x<C>(PV_GET_##ka(C, a), ip->aux, PV_DYN);   \
    PV_PUT_##kd(C, d, v_);                                      \
    PV_NEXT();                                                  \
  }
#define PV_BODY_FTERN(x, t, t2, kd, ka, kb, kc, C)                                             \
  {                                                                                            \
    C v_ = ir::sem::x<C>(PV_GET_##ka(C, a), PV_GET_##kb(C, b), PV_GET_##kc(C, c), ip->aux,     \
                         PV_DYN);                                                              \
    PV_PUT_##kd(C, d, v_);                                                                     \
    PV_NEXT();                                                                                 \
  }
#define PV_BODY_FMINMAX(x, t, t2, kd, ka, kb, kc, C)                 \
  {                                                                  \
    C v_ = ir::sem::x<C>(PV_GET_##ka(C, a), PV_GET_##kb(C, b), ip->aux);  \
    PV_PUT_##kd(C, d, v_);                                                \
    PV_NEXT();                                                       \
  }
#define PV_BODY_FCMP(x, t, t2, kd, ka, kb, kc, C)                                         \
  {                                                                                       \
    auto v_ = static_cast<uint8_t>(ir::sem::x<C>(PV_GET_##ka(C, a), PV_GET_##kb(C, b), ip->aux)); \
    PV_PUT_F(uint8_t, d, v_);                                                             \
    PV_NEXT();                                                                            \
  }
#define PV_BODY_FTOI(x, t, t2, kd, ka, kb, kc, CI, CF)                     \
  {                                                                        \
    using UI_ = std::make_unsigned_t<CI>;                                  \
    auto v_ = static_cast<UI_>(ir::sem::x<CI, CF>(PV_GET_##ka(CF, a), ip->aux, PV_DYN)); \
    PV_PUT_##kd(UI_, d, v_);                                               \
    PV_NEXT();                                                             \
  }
#define PV_BODY_ITOF(x, t, t2, kd, ka, kb, kc, CF, CI)                     \
  {                                                                        \
    using UI_ = std::make_unsigned_t<CI>;                                  \
    auto a_ = static_cast<CI>(PV_GET_##ka(UI_, a));                        \
    CF v_ = ir::sem::x<CF, CI>(a_, ip->aux, PV_DYN);                       \
    PV_PUT_##kd(CF, d, v_);                                                \
    PV_NEXT();                                                             \
  }
#define PV_BODY_FCVT(x, t, t2, kd, ka, kb, kc, CTo, CFrom)                 \
  {                                                                        \
    CTo v_ = ir::sem::x<CTo, CFrom>(PV_GET_##ka(CFrom, a), ip->aux, PV_DYN);  \
    PV_PUT_##kd(CTo, d, v_);                                                  \
    PV_NEXT();                                                             \
  }
#define PV_BODY_FPGETFLAGS(x, t, t2, kd, ka, kb, kc, C) \
  {                                                     \
    uint32_t v_ = ir::sem::GetFpFlags();                \
    PV_PUT_F(uint32_t, d, v_);                          \
    PV_NEXT();                                          \
  }
#define PV_BODY_FPSETFLAGS(x, t, t2, kd, ka, kb, kc, C) \
  {                                                     \
    ir::sem::SetFpFlags(PV_GET_F(uint32_t, a));         \
    PV_NEXT();                                          \
  }
#define PV_BODY_FPSETROUND(x, t, t2, kd, ka, kb, kc, C) \
  {                                                     \
    ir::sem::SetFpRound(*hdr, PV_GET_F(uint32_t, a));   \
    PV_NEXT();                                          \
  }

// ---- vectors ----
#define PV_BODY_VBIN(x, t, t2, kd, ka, kb, kc, C)                          \
  {                                                                        \
    V128 v_ = ir::sem::x(PV_GET_F(V128, a), PV_GET_F(V128, b), ip->lane);  \
    PV_PUT_F(V128, d, v_);                                                 \
    PV_NEXT();                                                             \
  }
#define PV_BODY_VUN(x, t, t2, kd, ka, kb, kc, C)          \
  {                                                       \
    V128 v_ = ir::sem::x(PV_GET_F(V128, a), ip->lane);    \
    PV_PUT_F(V128, d, v_);                                \
    PV_NEXT();                                            \
  }
#define PV_BODY_VSHI(x, t, t2, kd, ka, kb, kc, C)                  \
  {                                                                \
    V128 v_ = ir::sem::x(PV_GET_F(V128, a), ip->lane, ip->imm);    \
    PV_PUT_F(V128, d, v_);                                         \
    PV_NEXT();                                                     \
  }
#define PV_BODY_VDUP(x, t, t2, kd, ka, kb, kc, C)             \
  {                                                           \
    V128 v_ = ir::sem::VDup(PV_GET_F(uint64_t, a), ip->lane); \
    PV_PUT_F(V128, d, v_);                                    \
    PV_NEXT();                                                \
  }
#define PV_BODY_VEXT(x, t, t2, kd, ka, kb, kc, C)                              \
  {                                                                            \
    U128 v_ = ir::sem::VExtract(PV_GET_F(V128, a), ip->lane, ip->imm);         \
    PV_PUT_F(U128, d, v_);                                                     \
    PV_NEXT();                                                                 \
  }
#define PV_BODY_VINS(x, t, t2, kd, ka, kb, kc, C)                                             \
  {                                                                                           \
    V128 v_ = ir::sem::VInsert(PV_GET_F(V128, a), PV_GET_F(uint64_t, b), ip->lane, ip->imm);  \
    PV_PUT_F(V128, d, v_);                                                                    \
    PV_NEXT();                                                                                \
  }
#define PV_BODY_VTBL(x, t, t2, kd, ka, kb, kc, C)                   \
  {                                                                 \
    V128 v_ = ir::sem::VTbl(PV_GET_F(V128, a), PV_GET_F(V128, b));  \
    PV_PUT_F(V128, d, v_);                                          \
    PV_NEXT();                                                      \
  }
#define PV_BODY_VRED(x, t, t2, kd, ka, kb, kc, C)        \
  {                                                      \
    U128 v_ = ir::sem::x(PV_GET_F(V128, a), ip->lane);   \
    PV_PUT_F(U128, d, v_);                               \
    PV_NEXT();                                           \
  }
#define PV_BODY_VMASK(x, t, t2, kd, ka, kb, kc, C)                 \
  {                                                                \
    uint32_t v_ = ir::sem::VMoveMask(PV_GET_F(V128, a), ip->lane); \
    PV_PUT_F(uint32_t, d, v_);                                     \
    PV_NEXT();                                                     \
  }
#define PV_BODY_VFBIN(x, t, t2, kd, ka, kb, kc, C)                                           \
  {                                                                                          \
    V128 v_ = ir::sem::x(PV_GET_F(V128, a), PV_GET_F(V128, b), ip->lane, ip->aux, PV_DYN);   \
    PV_PUT_F(V128, d, v_);                                                                   \
    PV_NEXT();                                                                               \
  }
#define PV_BODY_VFBIN2(x, t, t2, kd, ka, kb, kc, C)                                  \
  {                                                                                  \
    V128 v_ = ir::sem::x(PV_GET_F(V128, a), PV_GET_F(V128, b), ip->lane, ip->aux);   \
    PV_PUT_F(V128, d, v_);                                                           \
    PV_NEXT();                                                                       \
  }
#define PV_BODY_VFUN(x, t, t2, kd, ka, kb, kc, C)                          \
  {                                                                        \
    V128 v_ = ir::sem::x(PV_GET_F(V128, a), ip->lane, ip->aux, PV_DYN);    \
    PV_PUT_F(V128, d, v_);                                                 \
    PV_NEXT();                                                             \
  }
#define PV_BODY_VFTERN(x, t, t2, kd, ka, kb, kc, C)                                         \
  {                                                                                         \
    V128 v_ = ir::sem::x(PV_GET_F(V128, a), PV_GET_F(V128, b), PV_GET_F(V128, c), ip->lane, \
                         ip->aux, PV_DYN);                                                  \
    PV_PUT_F(V128, d, v_);                                                                  \
    PV_NEXT();                                                                              \
  }

// ---- control and environment ----
#define PV_BODY_EXITIF(x, t, t2, kd, ka, kb, kc, C) \
  {                                                 \
    if (PV_GET_F(uint8_t, a) & 1) {                 \
      er = PV_EXIT_REC;                             \
      side_value = PV_GET_F(uint64_t, b);           \
      goto side_exit;                               \
    }                                               \
    PV_NEXT();                                      \
  }
#define PV_BODY_EXITIFCMP(x, t, t2, kd, ka, kb, kc, C, cond)   \
  {                                                            \
    C a_ = PV_GET_##ka(C, a);                                  \
    C b_ = PV_GET_##kb(C, b);                                  \
    if (ops::cond<C>(a_, b_) != (ip->lane != 0)) {             \
      er = PV_EXIT_REC;                                        \
      side_value = 0;                                          \
      goto side_exit;                                          \
    }                                                          \
    PV_NEXT();                                                 \
  }
#define PV_BODY_RDCNT(x, t, t2, kd, ka, kb, kc, C)         \
  {                                                        \
    uint64_t v_ = ReadCounter(ip->aux, hdr);                \
    PV_PUT_F(uint64_t, d, v_);                             \
    PV_NEXT();                                             \
  }
#define PV_HELPER_CALL()                                                             \
  PV_TD.cur_ip = ip;                                                                    \
  const auto* helper_ = reinterpret_cast<const ir::HelperInfo*>(ip->imm);            \
  uint64_t r_ = helper_->fn(hdr, ip->lane > 0 ? PV_GET_F(uint64_t, a) : 0,           \
                            ip->lane > 1 ? PV_GET_F(uint64_t, b) : 0,                \
                            ip->lane > 2 ? PV_GET_F(uint64_t, c) : 0);
#define PV_BODY_CALLV(x, t, t2, kd, ka, kb, kc, C) \
  {                                                \
    PV_HELPER_CALL()                               \
    (void)r_;                                      \
    PV_NEXT();                                     \
  }
#define PV_BODY_CALL(x, t, t2, kd, ka, kb, kc, C, mask) \
  {                                                     \
    PV_HELPER_CALL()                                    \
    auto v_ = static_cast<C>(r_ & (mask));              \
    PV_PUT_F(C, d, v_);                                 \
    PV_NEXT();                                          \
  }

// ---- exits ----
// Block boundaries: count the exit's instructions, leave when interrupted or when blocks were
// retired, else continue at next_pc. Inlined into every exit handler so that each has its own
// indirect jump (and branch-predictor history).
#define PV_BOUNDARY_CHECKS()                                                                \
  hdr->retired += er->insn_count;                                                           \
  if (__builtin_expect((hdr->interrupt_request.load(std::memory_order_relaxed) |            \
                        PV_TD.attention.load(std::memory_order_relaxed)) != 0, 0)) {           \
    goto leave_at_boundary;                                                                 \
  }                                                                                         \
  if (__builtin_expect(PV_TD.profile != 0, 0)) {                                            \
    int32_t n_ = er->countdown.load(std::memory_order_relaxed) - 1;                         \
    er->countdown.store(n_, std::memory_order_relaxed);                                     \
    if (n_ <= 0) goto profile_event;                                                        \
  }
// A jump or branch exit, direction k: through its chain if linked, else the jump cache (and on a
// hit, Run links the exit so the next pass skips the lookup).
#define PV_BOUNDARY_DIRECT(k)                                                               \
  do {                                                                                      \
    PV_BOUNDARY_CHECKS()                                                                    \
    link_dir = (k);                                                                         \
    if (const LInst* c_ = er->chain[link_dir].load(std::memory_order_relaxed); c_) {        \
      PV_TD.chained.Inc();                                                                     \
      ip = c_;                                                                              \
      goto* ip->h;                                                                          \
    }                                                                                       \
    if constexpr (kSys) {                                                                   \
      if (!SysJcHit(PV_TD.jc[JcIndex(next_pc)], next_pc, *mmu)) goto jc_miss;                \
    } else {                                                                                \
      if (PV_TD.jc[JcIndex(next_pc)].pc != next_pc) goto jc_miss;                           \
    }                                                                                       \
    goto link;                                                                              \
  } while (0)
// An indirect exit: through the jump cache.
#define PV_BOUNDARY_INDIRECT()                                                              \
  do {                                                                                      \
    PV_BOUNDARY_CHECKS()                                                                    \
    const JcEntry& e_ = PV_TD.jc[JcIndex(next_pc)];                                            \
    if constexpr (kSys) {                                                                   \
      if (!SysJcHit(e_, next_pc, *mmu)) goto jc_miss;                                        \
    } else {                                                                                \
      if (__builtin_expect(e_.pc != next_pc, 0)) goto jc_miss;                              \
    }                                                                                       \
    PV_TD.jc_hits.Inc();                                                                       \
    ip = e_.code;                                                                           \
    goto* ip->h;                                                                            \
  } while (0)
#define PV_BODY_EXITJUMP(x, t, t2, kd, ka, kb, kc, C) \
  {                                                   \
    er = PV_EXIT_REC;                                 \
    next_pc = er->target;                             \
    PV_BOUNDARY_DIRECT(0);                            \
  }
#define PV_BODY_EXITBRANCH(x, t, t2, kd, ka, kb, kc, C)                    \
  {                                                                        \
    er = PV_EXIT_REC;                                                      \
    bool t_ = (PV_GET_F(uint8_t, a) & 1) != 0;                             \
    next_pc = t_ ? er->target : er->fallthrough;                           \
    PV_BOUNDARY_DIRECT(t_ ? 0u : 1u);                                      \
  }
#define PV_BODY_BRCMP(x, t, t2, kd, ka, kb, kc, C)             \
  {                                                            \
    C a_ = PV_GET_##ka(C, a);                                  \
    C b_ = PV_GET_##kb(C, b);                                  \
    er = PV_EXIT_REC;                                          \
    bool t_ = ops::x<C>(a_, b_);                               \
    next_pc = t_ ? er->target : er->fallthrough;               \
    PV_BOUNDARY_DIRECT(t_ ? 0u : 1u);                          \
  }
#define PV_BODY_EXITIND(x, t, t2, kd, ka, kb, kc, C) \
  {                                                  \
    er = PV_EXIT_REC;                                \
    next_pc = PV_GET_##ka(uint64_t, a);              \
    PV_BOUNDARY_INDIRECT();                          \
  }
// cur_ip names the block for RunTier's execution count (syscall blocks must turn hot too).
#define PV_BODY_EXITRET(x, t, t2, kd, ka, kb, kc, C) \
  {                                                  \
    er = PV_EXIT_REC;                                \
    hdr->retired += er->insn_count;                  \
    PV_TD.cur_ip = ip;                               \
    return {ExecStatus::kExit, er, 0};               \
  }
#define PV_BODY_UNSUPPORTED(x, t, t2, kd, ka, kb, kc, C) \
  {                                                      \
    PV_TD.cur_ip = ip;                                      \
    return {ExecStatus::kUnsupported, nullptr, 0};       \
  }
