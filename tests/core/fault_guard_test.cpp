// A fault inside a FaultScope's range returns to the scope with the fault recorded.
#include "polyvm/core/os/fault_guard.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>

namespace polyvm::core::os {
namespace {

TEST(FaultGuard, CatchesFaultInRange) {
  InstallFaultHandler();
  const size_t kSize = 4096;
  void* p = mmap(nullptr, kSize, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  auto lo = reinterpret_cast<uintptr_t>(p);
  volatile int faults = 0;
  for (int i = 0; i < 3; ++i) {  // the scope works again after a fault
    FaultScope scope(lo, lo + kSize);
    if (POLYVM_FAULT_SCOPE_ENTER(scope)) {
      EXPECT_EQ(scope.fault().host_addr, lo + 8);
      EXPECT_EQ(scope.fault().signo, SIGSEGV);
      EXPECT_EQ(scope.fault().code, SEGV_ACCERR);
      faults = faults + 1;
      continue;
    }
    *reinterpret_cast<volatile int*>(lo + 8) = 1;
    ADD_FAILURE() << "store to a PROT_NONE page did not fault";
  }
  EXPECT_EQ(faults, 3);
  munmap(p, kSize);
}

TEST(FaultGuard, InnerScopeOutOfRangeFallsToOuter) {
  InstallFaultHandler();
  void* p = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  auto lo = reinterpret_cast<uintptr_t>(p);
  FaultScope outer(lo, lo + 4096);
  if (POLYVM_FAULT_SCOPE_ENTER(outer)) {
    SUCCEED();
    munmap(p, 4096);
    return;
  }
  {
    FaultScope inner(0, 16);  // does not cover p
    (void)*reinterpret_cast<volatile int*>(lo);
  }
  ADD_FAILURE() << "no fault";
}

TEST(FaultGuardDeathTest, FaultOutsideAnyScopeKills) {
  InstallFaultHandler();
  EXPECT_DEATH(
      {
        void* p = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        *static_cast<volatile int*>(p) = 1;
      },
      "");
}

}  // namespace
}  // namespace polyvm::core::os
