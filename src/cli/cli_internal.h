// The pieces of the polyvm binary that main.cpp wires together.
#pragma once

#include <memory>
#include <string>

#include "polyvm/cli/options.h"
#include "polyvm/core/engine.h"
#include "polyvm/core/stats.h"
#include "polyvm/ir/lifter.h"
#include "polyvm/linux/abi.h"
#include "polyvm/linux/process.h"

namespace polyvm::cli {

int RunMain(const RunCommand& cmd);
int DisasmMain(const DisasmCommand& cmd);
int BootMain(const BootCommand& cmd);
void PrintStats(const core::ExecutionEngine& engine, const linux::Process& proc);
// One --stats value with its unit: times in ns/us/ms/s as fits, counts as integers.
std::string FormatStatValue(const core::Stats::Entry& e);

// The Linux ABI and the frontend for a program, chosen by its ELF e_machine (guest_arch.cpp).
struct GuestArch {
  const linux::GuestAbi* abi = nullptr;
  std::unique_ptr<ir::Lifter> lifter;
};
// Files that are no guest polyvm knows get riscv64, whose loader then says what is wrong with
// them; false (with a one-line *error) only for a known guest this build cannot run.
bool ChooseGuestArch(const std::string& path, GuestArch* out, std::string* error);

}  // namespace polyvm::cli
