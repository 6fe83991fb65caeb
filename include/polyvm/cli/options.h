// The `polyvm` command line: what `run` and `disasm` accept, parsed by hand in qemu-user's manner
// (options stop at the program name; everything after it belongs to the guest).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace polyvm::cli {

struct RunCommand {
  std::string sysroot;                    // -L
  std::vector<std::string> env_changes;   // -E VAR=val and -U VAR, in order ("-VAR" for unset)
  std::optional<std::string> argv0;       // -0
  bool strace = false;                    // --strace
  bool warn_unimplemented = false;        // -W, --warn-unimplemented
  bool log_in_asm = false, log_op = false, log_op_opt = false;  // -d
  bool log_out_asm = false;               // -d out_asm (jit and hybrid)
  std::string log_file;                   // -D
  bool stats = false;                     // --stats
  std::string engine = "hybrid";          // --engine
  uint64_t jit_cache_bytes = 0;           // --jit-cache-size (0: the JIT's default)
  bool perfmap = false;                   // --perfmap
  // --hot-threshold, --ewma-alpha, --ewma-period (hybrid); unset: the engine's defaults.
  std::optional<double> hot_threshold, ewma_alpha;
  std::optional<uint64_t> ewma_period;
  std::optional<uint32_t> superblock_threshold, superblock_max_insns;  // hybrid's second tier
  std::string program;
  std::vector<std::string> args;          // the guest's argv[1..]
  // The options to repeat when the guest execs another guest program.
  std::vector<std::string> reexec_options;
};

// `polyvm boot`: a whole machine, qemu-system style (docs/system-mode.md, "polyvm boot").
struct BootCommand {
  std::string arch;                  // --arch (riscv64)
  std::string kernel;                // --kernel
  std::string initrd;                // --initrd
  std::string append;                // --append
  uint64_t ram_size = 128ull << 20;  // -m (QEMU virt's default)
  unsigned smp = 1;                  // --smp
  std::string bios = "default";      // --bios file | none | default (Debian's OpenSBI)
  struct Drive {
    std::string file;
    bool read_only = false;
  };
  std::vector<Drive> drives;              // --drive file=F[,ro]
  bool net = false;                       // --net user[,hostfwd=...]
  std::vector<std::string> hostfwds;      // "tcp::H-:G" each
  std::string serial = "stdio";           // --serial stdio | none
  bool rng = false;                       // --device virtio-rng
  bool virtio_console = false;            // --device virtio-console (on the same terminal)
  std::string engine = "jit";             // --engine
  double timeout = 0;                     // --timeout seconds (0: none)
  bool stats = false;                     // --stats
  bool no_reboot = false;                 // --no-reboot: a guest reset ends the run (status 3)
  bool log_in_asm = false, log_op = false, log_op_opt = false;  // -d, as for RunCommand
  bool log_out_asm = false;                                      // -d out_asm (jit)
  std::string log_file;                                          // -D
  bool perfmap = false;                                          // --perfmap (jit)
};

// Exit statuses of `polyvm boot` besides the guest's own power-off code (0 or its failure code).
inline constexpr int kBootStatusError = 1;     // polyvm could not run the machine, or unsupported
inline constexpr int kBootStatusReset = 3;     // --no-reboot and the guest reset
inline constexpr int kBootStatusPanic = 4;     // the guest kernel panicked (pvpanic)
inline constexpr int kBootStatusTimeout = 124; // --timeout expired (as GNU timeout)

struct DisasmCommand {
  bool ir = false;
  bool opt = false;
  std::string program;
  std::vector<std::string> where;  // [start [end]] or [symbol]
};

// Parses the arguments after "run" / "disasm". On error returns false with a one-line *error.
// *help is set if --help was given.
bool ParseRun(const std::vector<std::string>& args, RunCommand* out, bool* help, std::string* error);
bool ParseBoot(const std::vector<std::string>& args, BootCommand* out, bool* help,
               std::string* error);
// "512M", "2G", "65536K", "128" (MiB, as QEMU's -m); false on anything else.
bool ParseMemorySize(const std::string& text, uint64_t* bytes);
bool ParseDisasm(const std::vector<std::string>& args, DisasmCommand* out, bool* help,
                 std::string* error);

// The guest environment: the host's `environ` with the -E/-U changes applied in order.
std::vector<std::string> GuestEnvironment(const std::vector<std::string>& host,
                                          const std::vector<std::string>& changes);

// Engines that exist (--engine values); and whether a name is planned but not there yet.
const std::vector<std::string>& KnownEngines();
bool IsPlannedEngine(const std::string& name);

extern const char kRunUsage[];
extern const char kDisasmUsage[];
extern const char kBootUsage[];
extern const char kMainUsage[];

}  // namespace polyvm::cli
