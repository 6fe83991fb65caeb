// CSR access rules and WARL fields, with values from the privileged spec 1.12 (section numbers
// in the test names' comments) and, for misa, QEMU 7.2's rv64imafdcsu value.
#include <gtest/gtest.h>

#include "test_hart.h"

namespace polyvm::machine::riscv64 {
namespace {

using testing::TestHart;
namespace ms = mstatus;

uint64_t Read(HartState& h, uint16_t csr) {
  uint64_t v = 0;
  EXPECT_EQ(ReadCsr(h, csr, &v), CsrStatus::kOk) << std::hex << csr;
  return v;
}

TEST(Csr, MisaIsRv64ImafdcWithSAndU) {
  TestHart h;
  EXPECT_EQ(Read(*h, 0x301), 0x800000000014112dull);
  EXPECT_EQ(WriteCsr(*h, 0x301, 0), CsrStatus::kOk);  // WARL: writes ignored
  EXPECT_EQ(Read(*h, 0x301), 0x800000000014112dull);
}

TEST(Csr, MstatusFieldsAndSstatusView) {
  TestHart h;
  // 3.1.6.2: UXL and SXL read 2 (64-bit) on RV64.
  EXPECT_EQ(Read(*h, 0x300) >> 32 & 0xf, 0xau);
  ASSERT_EQ(WriteCsr(*h, 0x300, ms::kMie | ms::kSum | (1ull << ms::kMppShift)), CsrStatus::kOk);
  uint64_t s = Read(*h, 0x300);
  EXPECT_TRUE(s & ms::kMie);
  EXPECT_EQ((s & ms::kMpp) >> ms::kMppShift, 1u);
  // MPP = 2 (H) is not a supported mode: the field keeps a legal value.
  ASSERT_EQ(WriteCsr(*h, 0x300, 2ull << ms::kMppShift), CsrStatus::kOk);
  EXPECT_NE((Read(*h, 0x300) & ms::kMpp) >> ms::kMppShift, 2u);
  // FS written Initial reads as Dirty (allowed: 3.1.6.6), and SD follows FS = Dirty.
  ASSERT_EQ(WriteCsr(*h, 0x300, 1ull << ms::kFsShift), CsrStatus::kOk);
  s = Read(*h, 0x300);
  EXPECT_EQ(s & ms::kFs, ms::kFs);
  EXPECT_TRUE(s & ms::kSd);
  // sstatus shows only its fields: no MIE, MPP, TVM...
  ASSERT_EQ(WriteCsr(*h, 0x300, ms::kMie | ms::kSie | ms::kTvm | (3ull << ms::kMppShift)),
            CsrStatus::kOk);
  uint64_t ss = Read(*h, 0x100);
  EXPECT_TRUE(ss & ms::kSie);
  EXPECT_FALSE(ss & (ms::kMie | ms::kTvm | ms::kMpp));
  // Writing sstatus leaves the M-only fields alone.
  ASSERT_EQ(WriteCsr(*h, 0x100, ms::kSum), CsrStatus::kOk);
  s = Read(*h, 0x300);
  EXPECT_TRUE(s & ms::kMie);
  EXPECT_TRUE(s & ms::kTvm);
  EXPECT_TRUE(s & ms::kSum);
  EXPECT_FALSE(s & ms::kSie);
}

TEST(Csr, SatpIgnoresUnsupportedModes) {
  TestHart h;
  uint64_t sv48 = 9ull << 60 | 0x1234ull << 44 | 0x80123;
  ASSERT_EQ(WriteCsr(*h, 0x180, sv48), CsrStatus::kOk);
  EXPECT_EQ(Read(*h, 0x180), sv48);
  EXPECT_EQ(h.host.flushes, 2u);  // reset + this write
  // 4.1.11: a write with an unsupported MODE (Sv57 = 10, Sv64 = 11, reserved 1) has no effect.
  for (uint64_t mode : {10ull, 11ull, 1ull}) {
    ASSERT_EQ(WriteCsr(*h, 0x180, mode << 60 | 0x5), CsrStatus::kOk);
    EXPECT_EQ(Read(*h, 0x180), sv48);
  }
  ASSERT_EQ(WriteCsr(*h, 0x180, 8ull << 60 | 0x80000), CsrStatus::kOk);
  EXPECT_EQ(Read(*h, 0x180) >> 60, 8u);
}

TEST(Csr, DelegationRegistersHoldOnlyDelegableBits) {
  TestHart h;
  ASSERT_EQ(WriteCsr(*h, 0x302, ~0ull), CsrStatus::kOk);
  // Every defined exception except ecall from M (11); 10 and 14 are reserved.
  EXPECT_EQ(Read(*h, 0x302), 0xb3ffu);
  ASSERT_EQ(WriteCsr(*h, 0x303, ~0ull), CsrStatus::kOk);
  EXPECT_EQ(Read(*h, 0x303), 0x222u);  // SSI, STI, SEI
  // sie/sip are mie/mip restricted to delegated bits.
  ASSERT_EQ(WriteCsr(*h, 0x304, ~0ull), CsrStatus::kOk);
  EXPECT_EQ(Read(*h, 0x304), 0xaaau);
  EXPECT_EQ(Read(*h, 0x104), 0x222u);
  ASSERT_EQ(WriteCsr(*h, 0x303, 0x2), CsrStatus::kOk);
  EXPECT_EQ(Read(*h, 0x104), 0x2u);
  ASSERT_EQ(WriteCsr(*h, 0x104, 0), CsrStatus::kOk);
  EXPECT_EQ(Read(*h, 0x304), 0xaa8u) << "sie writes touch only delegated bits of mie";
}

TEST(Csr, MipWritableBits) {
  TestHart h;
  ASSERT_EQ(WriteCsr(*h, 0x344, ~0ull), CsrStatus::kOk);
  // M can write SSIP, STIP, SEIP; MSIP, MTIP, MEIP come from the CLINT and PLIC only.
  EXPECT_EQ(Read(*h, 0x344), kMipSsip | kMipStip | kMipSeip);
  SetInterruptLine(*h, kIrqMti, true);
  EXPECT_TRUE(Read(*h, 0x344) & kMipMtip);
  ASSERT_EQ(WriteCsr(*h, 0x344, 0), CsrStatus::kOk);
  EXPECT_EQ(Read(*h, 0x344), kMipMtip) << "a software write does not clear a wire";
  // S may write only SSIP, and only when it is delegated.
  ASSERT_EQ(WriteCsr(*h, 0x144, kMipSsip), CsrStatus::kOk);
  EXPECT_FALSE(Read(*h, 0x344) & kMipSsip);
  ASSERT_EQ(WriteCsr(*h, 0x303, kMipSsip | kMipStip), CsrStatus::kOk);
  ASSERT_EQ(WriteCsr(*h, 0x144, kMipSsip | kMipStip), CsrStatus::kOk);
  EXPECT_EQ(Read(*h, 0x144), kMipSsip);
}

TEST(Csr, MipSetAndClearDoNotLatchThePlicWire) {
  // Privileged spec 3.1.9: csrrs/csrrc of mip read SEIP as wire | software bit, but only the
  // software bit takes part in the write. OpenSBI sets SSIP with csrrs while the PLIC may be
  // driving SEIP; latching it left an SEI pending forever (a hung 2-hart Linux boot).
  TestHart h;
  SetInterruptLine(*h, kIrqSei, true);
  constexpr uint32_t kCsrrsiMipSsip = 0x344 << 20 | 2 << 15 | 6 << 12 | 0x73;  // csrrsi x0, mip, 2
  ASSERT_EQ(ExecutePrivileged(*h, kCsrrsiMipSsip, 0x1000, 0), 0x1004u);
  EXPECT_EQ(Read(*h, 0x344), kMipSsip | kMipSeip);
  SetInterruptLine(*h, kIrqSei, false);
  EXPECT_EQ(Read(*h, 0x344), kMipSsip) << "the wire's SEIP must not stay latched";
  constexpr uint32_t kCsrrciMipSsip = 0x344 << 20 | 2 << 15 | 7 << 12 | 0x73;  // csrrci x0, mip, 2
  ASSERT_EQ(WriteCsr(*h, 0x344, kMipSeip), CsrStatus::kOk);  // M's own SEIP is kept by csrrc
  ASSERT_EQ(ExecutePrivileged(*h, kCsrrciMipSsip, 0x1000, 0), 0x1004u);
  EXPECT_EQ(Read(*h, 0x344), kMipSeip);
}

TEST(Csr, TvecModesAndEpcAlignment) {
  TestHart h;
  ASSERT_EQ(WriteCsr(*h, 0x305, 0x80001001), CsrStatus::kOk);  // vectored
  EXPECT_EQ(Read(*h, 0x305), 0x80001001u);
  ASSERT_EQ(WriteCsr(*h, 0x305, 0x80002002), CsrStatus::kOk);  // reserved mode 2: WARL, ignored
  EXPECT_EQ(Read(*h, 0x305), 0x80001001u);
  // 3.1.14: mepc[0] is zero; with C, mepc[1] is writable.
  ASSERT_EQ(WriteCsr(*h, 0x341, 0x80000003), CsrStatus::kOk);
  EXPECT_EQ(Read(*h, 0x341), 0x80000002u);
  ASSERT_EQ(WriteCsr(*h, 0x141, 0x7), CsrStatus::kOk);
  EXPECT_EQ(Read(*h, 0x141), 0x6u);
}

TEST(Csr, PrivilegeAndReadOnlyChecks) {
  TestHart h;
  uint64_t v;
  EXPECT_EQ(WriteCsr(*h, 0xf14, 1), CsrStatus::kIllegal);  // mhartid is read-only (bits 11:10)
  h->priv = Priv::kSupervisor;
  EXPECT_EQ(ReadCsr(*h, 0x300, &v), CsrStatus::kIllegal);  // M CSR from S
  EXPECT_EQ(ReadCsr(*h, 0x100, &v), CsrStatus::kOk);
  EXPECT_EQ(ReadCsr(*h, 0x600, &v), CsrStatus::kIllegal);  // hypervisor CSR: no H
  h->priv = Priv::kUser;
  EXPECT_EQ(ReadCsr(*h, 0x100, &v), CsrStatus::kIllegal);
  EXPECT_EQ(ReadCsr(*h, 0x7c0, &v), CsrStatus::kIllegal);  // custom, unknown
}

TEST(Csr, TvmTrapsSatpInSupervisorMode) {
  TestHart h;
  ASSERT_EQ(WriteCsr(*h, 0x300, ms::kTvm), CsrStatus::kOk);
  h->priv = Priv::kSupervisor;
  uint64_t v;
  EXPECT_EQ(ReadCsr(*h, 0x180, &v), CsrStatus::kIllegal);
  h->priv = Priv::kMachine;
  EXPECT_EQ(ReadCsr(*h, 0x180, &v), CsrStatus::kOk);
}

TEST(Csr, CounterEnablesGateLowerPrivileges) {
  TestHart h;
  h.host.time = 12345;
  uint64_t v;
  EXPECT_EQ(Read(*h, 0xc01), 12345u);  // M always
  h->priv = Priv::kSupervisor;
  EXPECT_EQ(ReadCsr(*h, 0xc01, &v), CsrStatus::kIllegal);
  h->priv = Priv::kMachine;
  ASSERT_EQ(WriteCsr(*h, 0x306, kCounterTm), CsrStatus::kOk);
  h->priv = Priv::kSupervisor;
  EXPECT_EQ(Read(*h, 0xc01), 12345u);
  EXPECT_EQ(ReadCsr(*h, 0xc00, &v), CsrStatus::kIllegal);  // CY not enabled
  h->priv = Priv::kUser;
  EXPECT_EQ(ReadCsr(*h, 0xc01, &v), CsrStatus::kIllegal);  // scounteren.TM = 0
  h->priv = Priv::kSupervisor;
  ASSERT_EQ(WriteCsr(*h, 0x106, kCounterTm), CsrStatus::kOk);
  h->priv = Priv::kUser;
  EXPECT_EQ(Read(*h, 0xc01), 12345u);
}

TEST(Csr, SstcStimecmpNeedsStceAndDrivesStip) {
  TestHart h;
  uint64_t v;
  h->priv = Priv::kSupervisor;
  EXPECT_EQ(ReadCsr(*h, 0x14d, &v), CsrStatus::kIllegal);
  h->priv = Priv::kMachine;
  ASSERT_EQ(WriteCsr(*h, 0x30a, kMenvcfgStce), CsrStatus::kOk);
  ASSERT_EQ(WriteCsr(*h, 0x306, kCounterTm), CsrStatus::kOk);
  h->priv = Priv::kSupervisor;
  ASSERT_EQ(WriteCsr(*h, 0x14d, 1000), CsrStatus::kOk);
  h.host.time = 999;
  EXPECT_FALSE(ReadMip(*h) & kMipStip);
  h.host.time = 1000;
  EXPECT_TRUE(ReadMip(*h) & kMipStip) << "STIP = (time >= stimecmp)";
  EXPECT_GE(h.host.timer_changes, 2u);
}

TEST(Csr, PmpEntriesAndLocking) {
  TestHart h;
  ASSERT_EQ(WriteCsr(*h, 0x3b0, ~0ull), CsrStatus::kOk);
  EXPECT_EQ(Read(*h, 0x3b0), (1ull << 54) - 1);  // pmpaddr holds bits 55:2 of an address
  EXPECT_EQ(Read(*h, 0x3c0), 0u);                // pmpaddr16: not implemented, reads zero
  uint64_t v;
  EXPECT_EQ(ReadCsr(*h, 0x3a1, &v), CsrStatus::kIllegal);  // odd pmpcfg do not exist on RV64
  // Entry 0: TOR, RWX, locked; entry 1: W without R is reserved and not kept.
  ASSERT_EQ(WriteCsr(*h, 0x3a0, 0x0200 | 0x8f), CsrStatus::kOk);
  EXPECT_EQ(Read(*h, 0x3a0), 0x8fu);
  ASSERT_EQ(WriteCsr(*h, 0x3a0, 0), CsrStatus::kOk);
  EXPECT_EQ(Read(*h, 0x3a0) & 0xff, 0x8fu) << "a locked entry ignores writes";
  ASSERT_EQ(WriteCsr(*h, 0x3b0, 0x1234), CsrStatus::kOk);
  EXPECT_EQ(Read(*h, 0x3b0), (1ull << 54) - 1);
}

TEST(Csr, UnimplementedCountersReadZero) {
  TestHart h;
  EXPECT_EQ(Read(*h, 0xb03), 0u);  // mhpmcounter3
  EXPECT_EQ(Read(*h, 0x323), 0u);  // mhpmevent3
  EXPECT_EQ(WriteCsr(*h, 0xb03, 5), CsrStatus::kOk);
  EXPECT_EQ(Read(*h, 0xb03), 0u);
  EXPECT_EQ(Read(*h, 0x320), 0u);  // mcountinhibit hardwired to zero
}

TEST(Csr, MinstretCountsRetiredInstructionsAndIsWritable) {
  TestHart h;
  h->cpu.hdr.retired = 100;
  EXPECT_EQ(Read(*h, 0xb02), 100u);
  ASSERT_EQ(WriteCsr(*h, 0xb02, 1000), CsrStatus::kOk);
  h->cpu.hdr.retired = 150;
  EXPECT_EQ(Read(*h, 0xb02), 1050u);
  EXPECT_EQ(Read(*h, 0xc02), 1050u);
}

}  // namespace
}  // namespace polyvm::machine::riscv64
