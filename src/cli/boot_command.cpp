// `polyvm boot`: builds the virt machine from the options, puts the terminal in raw mode (restored
// on every way out), runs the machine with the runtime and turns the way it stopped into the exit
// status documented in kBootUsage.
#include <fmt/format.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>

#include "cli_internal.h"
#include "host_disasm.h"
#include "polyvm/cli/options.h"
#include "polyvm/device/stdio_char_backend.h"
#include "polyvm/engine/interp/interpreter.h"
#include "polyvm/engine/jit/jit_engine.h"
#include "polyvm/frontend/riscv64/lifter.h"
#include "polyvm/machine/riscv64/hart.h"
#include "polyvm/machine/riscv64/virt_machine.h"
#include "polyvm/runtime/escape_backend.h"
#include "polyvm/runtime/riscv64_virt_board.h"
#include "polyvm/runtime/runtime.h"

namespace polyvm::cli {
namespace {

// The terminal settings to restore, for the RAII guard and for the fatal-signal handler.
struct termios g_saved_termios;
std::atomic<bool> g_termios_saved{false};

void RestoreTerminal() {
  if (g_termios_saved.exchange(false)) tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_termios);
}

void RestoreAndReraise(int sig) {
  RestoreTerminal();
  signal(sig, SIG_DFL);
  raise(sig);
}

// Raw input as QEMU's stdio character device sets it: no echo, no line editing, no signals from
// the keyboard (Ctrl-C goes to the guest; Ctrl-A x is the way out), output post-processing kept.
class RawTerminal {
 public:
  RawTerminal() {
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &g_saved_termios) != 0) return;
    struct termios raw = g_saved_termios;
    raw.c_iflag &=
        ~static_cast<tcflag_t>(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    raw.c_oflag |= OPOST;
    raw.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHONL | ICANON | IEXTEN | ISIG);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    g_termios_saved.store(true);
    for (int sig : {SIGTERM, SIGHUP, SIGQUIT, SIGINT, SIGABRT, SIGSEGV, SIGBUS}) {
      signal(sig, RestoreAndReraise);
    }
    tcsetattr(STDIN_FILENO, TCSANOW, &raw);
  }
  ~RawTerminal() { RestoreTerminal(); }
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;
};

// A system-mode engine fetches through the vCPU's soft MMU; the constructor's reader is unused.
class NoCode final : public ir::CodeReader {
 public:
  size_t Fetch(uint64_t, void*, size_t) const override { return 0; }
};

void PrintBootStats(const core::ExecutionEngine& engine, const runtime::Runtime& rt,
                    machine::riscv64::VirtMachine& m) {
  core::Stats stats;
  uint64_t retired = 0;
  for (unsigned h = 0; h < m.num_harts(); ++h) {
    const uint64_t r = m.hart(h).state().cpu.hdr.retired;
    stats.Add("hart" + std::to_string(h) + ".instructions_retired", static_cast<double>(r));
    retired += r;
  }
  stats.Add("guest.instructions_retired", static_cast<double>(retired));
  rt.CollectStats(stats);
  engine.CollectStats(stats);
  std::map<std::string, double> by_name;
  for (const auto& e : stats.entries) by_name[e.name] = e.value;
  std::fprintf(stderr, "polyvm stats (engine %s, %u harts):\n", std::string(engine.Name()).c_str(),
               m.num_harts());
  if (by_name.count("mmu.accesses") && by_name.count("mmu.refills") &&
      by_name["mmu.accesses"] > 0) {
    std::fprintf(stderr, "  %-36s %.4f%%\n", "TLB hit rate",
                 100.0 * (1.0 - by_name["mmu.refills"] / by_name["mmu.accesses"]));
  }
  for (const auto& e : stats.entries) {
    std::fprintf(stderr, "  %-36s %s\n", e.name.c_str(), FormatStatValue(e).c_str());
  }
}

// Where each hart was when the timeout stopped it (read after the vCPU threads have ended): what
// someone debugging a stuck guest looks at first (QEMU's `info registers`, in short).
void PrintHartStates(machine::riscv64::VirtMachine& m) {
  namespace rv = machine::riscv64;
  for (unsigned h = 0; h < m.num_harts(); ++h) {
    rv::HartState& s = m.hart(h).state();
    const char* priv = s.priv == rv::Priv::kMachine      ? "M"
                       : s.priv == rv::Priv::kSupervisor ? "S"
                                                         : "U";
    fmt::print(stderr,
               "  hart {}: pc {:#x} priv {}{} mstatus {:#x} mie {:#x} mip {:#x} mideleg {:#x} "
               "mcause {:#x} scause {:#x} sepc {:#x} stimecmp {:#x}\n",
               h, s.cpu.hdr.pc, priv, s.waiting ? " (in wfi)" : "", s.csr.mstatus, s.csr.mie,
               rv::ReadMip(s), s.csr.mideleg, s.csr.mcause, s.csr.scause, s.csr.sepc,
               s.csr.stimecmp);
  }
}

}  // namespace

int BootMain(const BootCommand& cmd) {
  namespace rv = machine::riscv64;
  std::string error;

  // -d, -D, --perfmap as `polyvm run` has them (QEMU's -d for the engines' translations); made
  // before the engine, which uses them until it is gone.
  if (cmd.engine == "interp" && (cmd.log_out_asm || cmd.perfmap)) {
    std::fprintf(stderr, "polyvm boot: -d out_asm and --perfmap need --engine=jit\n");
    return kBootStatusError;
  }
  if (cmd.log_out_asm && !HostDisassemblerAvailable()) {
    std::fprintf(stderr,
                 "polyvm boot: -d out_asm needs a polyvm built with Capstone (Debian "
                 "libcapstone-dev, see scripts/install-deps.sh); this build has none\n");
    return kBootStatusError;
  }
  std::unique_ptr<FILE, int (*)(FILE*)> log_file(nullptr, &std::fclose);
  if (!cmd.log_file.empty()) {
    log_file.reset(std::fopen(cmd.log_file.c_str(), "we"));
    if (log_file == nullptr) {
      std::fprintf(stderr, "polyvm boot: cannot open log file %s: %m\n", cmd.log_file.c_str());
      return kBootStatusError;
    }
  }
  FILE* const log = log_file.get();  // null: stderr
  PerfMap perf_map;                  // names translations by guest pc: there is no ELF image
  if (cmd.perfmap && !perf_map.Open(&error)) {
    std::fprintf(stderr, "polyvm boot: %s\n", error.c_str());
    return kBootStatusError;
  }

  // The engine next: device I/O threads may report DMA writes to it until the machine is gone.
  frontend::riscv64::Riscv64Lifter lifter(frontend::riscv64::SystemHooks{rv::PrivilegedHelper()});
  NoCode no_code;
  std::unique_ptr<core::ExecutionEngine> engine;
  if (cmd.engine == "jit") {
    engine::jit::Options o;
    o.system_mode = true;
    o.log_in_asm = cmd.log_in_asm;
    o.log_op = cmd.log_op;
    o.log_op_opt = cmd.log_op_opt;
    o.log_file = log;
    o.on_translation =
        TranslationListener(cmd.perfmap ? &perf_map : nullptr,
                            cmd.log_out_asm ? (log != nullptr ? log : stderr) : nullptr);
    // Without the IR optimiser: a boot runs most of its ~32k blocks a few times only, so
    // translation is most of its CPU time, and the code generator's own forwarding of guest
    // registers leaves the optimiser little to gain (measured: docs/system-mode.md, "Boot time").
    o.optimize = false;
    o.count_mmu_accesses = cmd.stats;  // an add to memory per block run, for --stats only
    engine = std::make_unique<engine::jit::JitEngine>(lifter, no_code, o);
  } else {
    engine::interp::Options o;
    o.system_mode = true;
    o.log_in_asm = cmd.log_in_asm;
    o.log_op = cmd.log_op;
    o.log_op_opt = cmd.log_op_opt;
    o.log_file = log;
    o.optimize = false;  // as for the JIT above: translation dominates a boot
    engine = std::make_unique<engine::interp::Interpreter>(lifter, no_code, o);
  }

  // The console: the terminal, behind the escape-key filter. The runtime is made after the
  // machine, so the escape reaches it through a pointer set once it exists.
  std::atomic<runtime::Runtime*> running{nullptr};
  std::atomic<bool> escaped{false};
  std::unique_ptr<device::StdioCharBackend> stdio;
  std::unique_ptr<runtime::EscapeBackend> serial;
  std::unique_ptr<device::StdioCharBackend> console_out;
  if (cmd.serial == "stdio") {
    stdio = std::make_unique<device::StdioCharBackend>(STDIN_FILENO, STDOUT_FILENO);
    serial = std::make_unique<runtime::EscapeBackend>(*stdio, [&] {
      escaped.store(true);
      if (runtime::Runtime* rt = running.load()) {
        rt->RequestStop(runtime::StopReason::kEscape, "Ctrl-A x");
      }
    });
  }
  if (cmd.virtio_console) {
    // Output only: the terminal's input belongs to the UART.
    console_out = std::make_unique<device::StdioCharBackend>(-1, STDOUT_FILENO);
  }

  rv::VirtMachineConfig config;
  config.harts = cmd.smp;
  config.ram_size = cmd.ram_size;
  config.firmware = cmd.bios == "default" ? rv::kDefaultVirtFirmware
                    : cmd.bios == "none"  ? ""
                                          : cmd.bios;
  config.kernel = cmd.kernel;
  config.initrd = cmd.initrd;
  config.bootargs = cmd.append;
  config.serial = serial.get();
  for (const BootCommand::Drive& d : cmd.drives) {
    device::virtio::BlkOptions blk;
    blk.path = d.file;
    blk.read_only = d.read_only;
    config.drives.push_back(blk);
  }
  if (cmd.net) {
    device::virtio::NetOptions net;
    for (const std::string& spec : cmd.hostfwds) {
      device::virtio::HostForward fwd;
      if (!device::virtio::NetOptions::ParseHostForward(spec, &fwd, &error)) {
        std::fprintf(stderr, "polyvm boot: --net hostfwd=%s: %s\n", spec.c_str(), error.c_str());
        return kBootStatusError;
      }
      net.forwards.push_back(fwd);
    }
    config.net = net;
  }
  config.rng = cmd.rng;
  config.console = console_out.get();

  std::unique_ptr<rv::VirtMachine> machine = rv::VirtMachine::Create(config, &error);
  if (!machine) {
    std::fprintf(stderr, "polyvm boot: %s\n", error.c_str());
    return kBootStatusError;
  }
  runtime::Riscv64VirtBoard board(*machine);
  runtime::Runtime rt(board, *engine);
  running.store(&rt);
  if (escaped.load()) rt.RequestStop(runtime::StopReason::kEscape, "Ctrl-A x");

  runtime::RunOptions options;
  options.timeout_seconds = cmd.timeout;
  options.reboot = !cmd.no_reboot;
  runtime::RunResult result;
  {
    // Raw mode only when the terminal's input goes to the guest.
    std::optional<RawTerminal> raw;
    if (cmd.serial == "stdio") raw.emplace();
    result = rt.Run(options);
  }
  running.store(nullptr);
  std::fflush(stdout);

  int status = 0;
  switch (result.reason) {
    case runtime::StopReason::kPowerOff:
      // A failure code from the finisher becomes the status (never 0 for a failure).
      status = result.exit_code == 0 ? 0 : (result.exit_code & 0xff ? result.exit_code & 0xff : 1);
      if (result.exit_code != 0) {
        std::fprintf(stderr, "polyvm: the guest powered off with failure code %u\n",
                     result.exit_code);
      }
      break;
    case runtime::StopReason::kReset:
      std::fprintf(stderr, "polyvm: the guest reset the machine (--no-reboot)\n");
      status = kBootStatusReset;
      break;
    case runtime::StopReason::kPanic:
      std::fprintf(stderr, "polyvm: the guest kernel panicked (pvpanic)\n");
      status = kBootStatusPanic;
      break;
    case runtime::StopReason::kTimeout:
      std::fprintf(stderr, "polyvm: timeout: the machine ran for %g s without powering off\n",
                   cmd.timeout);
      PrintHartStates(*machine);
      status = kBootStatusTimeout;
      break;
    case runtime::StopReason::kEscape:
      std::fprintf(stderr, "\npolyvm: terminated (Ctrl-A x)\n");
      status = 0;
      break;
    case runtime::StopReason::kUnsupported:
      std::fprintf(stderr, "polyvm: %s\n", result.message.c_str());
      status = kBootStatusError;
      break;
  }
  if (cmd.stats) PrintBootStats(*engine, rt, *machine);
  return status;
}

}  // namespace polyvm::cli
