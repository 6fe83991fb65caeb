// Shared pieces of the differential tests: seeds and case counts (overridable from the
// environment, for reproduction), building a case from a list of instruction words, and the
// profiles of the random tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "case.h"
#include "generator.h"

namespace polyvm::diff {

// POLYVM_DIFF_SEED (decimal or 0x hex) replaces every random test's base seed.
uint64_t BaseSeed(uint64_t fallback);
// POLYVM_DIFF_SCALE multiplies every random test's case count (e.g. 10 for a long run).
unsigned CaseCount(unsigned fallback);
// POLYVM_DIFF_CASE runs only that case index of each random test.
std::optional<unsigned> OnlyCase();
// The seed of case `index` of a test with `base` seed and `salt` (the profile name).
uint64_t CaseSeed(uint64_t base, const std::string& salt, unsigned index);

// A case from instruction words (16-bit forms are the values whose low two bits are not 11) with
// the end ebreak appended; registers not listed start at 0, the data page at 0.
Case MakeCase(std::string name, const std::vector<uint32_t>& insns,
              const std::vector<std::pair<unsigned, uint64_t>>& x,
              const std::vector<std::pair<unsigned, uint64_t>>& f, uint32_t fcsr,
              const std::vector<std::pair<uint64_t, uint64_t>>& mem64 = {});

// The random-test profiles (against Unicorn, and against qemu-user).
std::vector<Profile> RandomProfiles();
// Profiles only qemu-user can check (Zba/Zbb/Zbs).
std::vector<Profile> QemuOnlyProfiles();

}  // namespace polyvm::diff
