// The `polyvm` command line: what `run` and `disasm` accept, parsed by hand in qemu-user's manner
// (options stop at the program name; everything after it belongs to the guest).
#pragma once

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
  std::string log_file;                   // -D
  bool stats = false;                     // --stats
  std::string engine = "interp";          // --engine
  std::string program;
  std::vector<std::string> args;          // the guest's argv[1..]
  // The options to repeat when the guest execs another guest program.
  std::vector<std::string> reexec_options;
};

struct DisasmCommand {
  bool ir = false;
  bool opt = false;
  std::string program;
  std::vector<std::string> where;  // [start [end]] or [symbol]
};

// Parses the arguments after "run" / "disasm". On error returns false with a one-line *error.
// *help is set if --help was given.
bool ParseRun(const std::vector<std::string>& args, RunCommand* out, bool* help, std::string* error);
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
extern const char kMainUsage[];

}  // namespace polyvm::cli
