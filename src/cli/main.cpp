// The polyvm binary: `run`, `boot` and `disasm` subcommands, --version, --help.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli_internal.h"
#include "polyvm/cli/options.h"

#ifndef POLYVM_VERSION
#define POLYVM_VERSION "unknown"
#endif

int main(int argc, char** argv) {
  using namespace polyvm::cli;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(kMainUsage, stderr);
    return 1;
  }
  const std::string cmd = args[0];
  args.erase(args.begin());
  std::string error;
  bool help = false;
  if (cmd == "--version" || cmd == "-V") {
    std::printf("polyvm %s (guests: riscv64, aarch64; engines: interp)\n", POLYVM_VERSION);
    return 0;
  }
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::fputs(kMainUsage, stdout);
    return 0;
  }
  if (cmd == "run") {
    RunCommand run;
    if (!ParseRun(args, &run, &help, &error)) {
      std::fprintf(stderr, "polyvm run: %s\n", error.c_str());
      return 1;
    }
    if (help) {
      std::fputs(kRunUsage, stdout);
      return 0;
    }
    return RunMain(run);
  }
  if (cmd == "boot") {
    BootCommand boot;
    if (!ParseBoot(args, &boot, &help, &error)) {
      std::fprintf(stderr, "polyvm boot: %s\n", error.c_str());
      return 1;
    }
    if (help) {
      std::fputs(kBootUsage, stdout);
      return 0;
    }
    return BootMain(boot);
  }
  if (cmd == "disasm") {
    DisasmCommand dis;
    if (!ParseDisasm(args, &dis, &help, &error)) {
      std::fprintf(stderr, "polyvm disasm: %s\n", error.c_str());
      return 1;
    }
    if (help) {
      std::fputs(kDisasmUsage, stdout);
      return 0;
    }
    return DisasmMain(dis);
  }
  std::fprintf(stderr, "polyvm: unknown command '%s'\n%s", cmd.c_str(), kMainUsage);
  return 1;
}
