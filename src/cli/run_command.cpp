// `polyvm run`: wires the guest address space, the program's frontend and ABI (guest_arch.cpp),
// the chosen engine and the Linux personality together, then runs the guest; prints --stats at
// exit.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "cli_internal.h"
#include "host_disasm.h"
#include "perf_map.h"
#include "polyvm/cli/options.h"
#include "polyvm/engine/hybrid/hybrid_engine.h"
#include "polyvm/engine/interp/interpreter.h"
#include "polyvm/engine/jit/jit_engine.h"
#include "polyvm/linux/code_reader.h"
#include "polyvm/linux/process.h"

extern char** environ;

namespace polyvm::cli {

int RunMain(const RunCommand& cmd) {
  std::string error;
  std::unique_ptr<mem::AddressSpace> as = mem::AddressSpace::Create(mem::Layout{}, &error);
  if (!as) {
    std::fprintf(stderr, "polyvm: %s\n", error.c_str());
    return 1;
  }
  // The program itself may live only in the sysroot (qemu-user looks there too).
  std::string program = cmd.program;
  if (access(program.c_str(), F_OK) != 0 && !cmd.sysroot.empty() && program[0] == '/' &&
      access((cmd.sysroot + program).c_str(), F_OK) == 0) {
    program = cmd.sysroot + program;
  }

  FILE* log = nullptr;
  if (!cmd.log_file.empty()) {
    log = std::fopen(cmd.log_file.c_str(), "we");
    if (log == nullptr) {
      std::fprintf(stderr, "polyvm: cannot open log file %s: %m\n", cmd.log_file.c_str());
      return 1;
    }
  }

  GuestArch arch;
  if (!ChooseGuestArch(program, &arch, &error)) {
    std::fprintf(stderr, "polyvm: %s\n", error.c_str());
    return 1;
  }
  const linux::GuestAbi& abi = *arch.abi;
  const ir::Lifter& lifter = *arch.lifter;
  linux::GuestCodeReader reader(*as);
  if (cmd.log_out_asm && !HostDisassemblerAvailable()) {
    std::fprintf(stderr,
                 "polyvm: -d out_asm needs a polyvm built with Capstone (Debian "
                 "libcapstone-dev, see scripts/install-deps.sh); this build has none\n");
    return 1;
  }
  if (cmd.engine == "interp" && (cmd.log_out_asm || cmd.perfmap || cmd.jit_cache_bytes != 0)) {
    std::fprintf(stderr,
                 "polyvm: -d out_asm, --perfmap and --jit-cache-size need --engine=jit "
                 "or hybrid\n");
    return 1;
  }
  PerfMap perf_map;
  if (cmd.perfmap && !perf_map.Open(&error)) {
    std::fprintf(stderr, "polyvm: %s\n", error.c_str());
    return 1;
  }
  engine::interp::Options eopts;
  eopts.log_in_asm = cmd.log_in_asm;
  eopts.log_op = cmd.log_op;
  eopts.log_op_opt = cmd.log_op_opt;
  eopts.log_file = log;
  engine::jit::Options jopts;
  jopts.log_in_asm = cmd.log_in_asm;
  jopts.log_op = cmd.log_op;
  jopts.log_op_opt = cmd.log_op_opt;
  jopts.log_file = log;
  if (cmd.jit_cache_bytes != 0) jopts.code_cache_bytes = cmd.jit_cache_bytes;
  jopts.on_translation =
      TranslationListener(cmd.perfmap ? &perf_map : nullptr,
                          cmd.log_out_asm ? (log != nullptr ? log : stderr) : nullptr);
  // The JIT's second tier, for --engine=jit and hybrid alike (hybrid::SuperblockOptions' default).
  jopts.superblock = engine::hybrid::SuperblockOptions{};
  if (cmd.superblock_threshold) jopts.superblock.threshold = *cmd.superblock_threshold;
  if (cmd.superblock_max_insns) jopts.superblock.max_insns = *cmd.superblock_max_insns;
  std::unique_ptr<core::ExecutionEngine> engine_ptr;
  if (cmd.engine == "jit") {
    engine_ptr = std::make_unique<engine::jit::JitEngine>(lifter, reader, jopts);
  } else if (cmd.engine == "hybrid") {
    engine::hybrid::Options hopts;
    if (cmd.hot_threshold) hopts.hotness.threshold = *cmd.hot_threshold;
    if (cmd.ewma_alpha) hopts.hotness.alpha = *cmd.ewma_alpha;
    if (cmd.ewma_period) hopts.hotness.period = *cmd.ewma_period;
    static_cast<engine::jit::SuperblockOptions&>(hopts.superblock) = jopts.superblock;
    hopts.interp = eopts;
    hopts.jit = jopts;
    engine_ptr = std::make_unique<engine::hybrid::HybridEngine>(lifter, reader, std::move(hopts));
  } else {
    engine_ptr = std::make_unique<engine::interp::Interpreter>(lifter, reader, eopts);
  }
  core::ExecutionEngine& engine = *engine_ptr;

  linux::Process* proc_ptr = nullptr;
  linux::RunOptions ro;
  ro.sysroot = cmd.sysroot;
  ro.strace = cmd.strace;
  ro.warn_unimplemented = cmd.warn_unimplemented;
  ro.reexec_options = cmd.reexec_options;
  ro.before_exit = [&] {
    if (cmd.stats && proc_ptr != nullptr) PrintStats(engine, *proc_ptr);
    if (log != nullptr) std::fflush(log);
  };
  linux::Process proc(*as, abi, engine, ro);
  proc_ptr = &proc;
  perf_map.SetImage(&proc.image());

  std::vector<std::string> argv = {cmd.argv0.value_or(cmd.program)};
  argv.insert(argv.end(), cmd.args.begin(), cmd.args.end());
  std::vector<std::string> host_env;
  for (char** e = environ; *e != nullptr; ++e) host_env.emplace_back(*e);
  std::vector<std::string> env = GuestEnvironment(host_env, cmd.env_changes);
  if (!proc.Start(program, argv, env, &error)) {
    std::fprintf(stderr, "polyvm: %s\n", error.c_str());
    return 1;
  }
  proc.Run();
}

}  // namespace polyvm::cli
