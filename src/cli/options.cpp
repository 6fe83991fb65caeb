// The hand-written option parser for `polyvm run` and `polyvm disasm`. CLI11 (libcli11-dev 2.1)
// was tried first: its prefix_command() mode, needed so that everything after the program name
// belongs to the guest, passes unknown options through as if they were the program and rejects
// `--` before the program, both wrong for a qemu-style runner; this parser is about as short.
#include "polyvm/cli/options.h"

#include <cstring>

namespace polyvm::cli {

const char kMainUsage[] =
    "usage: polyvm run [options] prog [args...]      run a riscv64 or aarch64 Linux program\n"
    "       polyvm disasm [--ir] [--opt] prog [start [end] | symbol]\n"
    "       polyvm --version | --help\n"
    "\n"
    "`polyvm run --help` and `polyvm disasm --help` list their options.\n";

const char kRunUsage[] =
    "usage: polyvm run [options] [--] prog [args...]\n"
    "Runs a riscv64 or aarch64 Linux program (its ELF header says which). Options stop at the\n"
    "program name; what follows is the program's own arguments.\n"
    "\n"
    "  -L dir               guest sysroot: absolute paths (and the ELF interpreter of dynamic\n"
    "                       programs) are looked up there first, e.g. -L /usr/riscv64-linux-gnu\n"
    "  -E VAR=value         set a variable of the guest environment (repeatable)\n"
    "  -U VAR               remove a variable from the guest environment (repeatable)\n"
    "  -0 name              argv[0] given to the guest (default: prog)\n"
    "  --strace             print each guest system call to stderr\n"
    "  -W, --warn-unimplemented\n"
    "                       name each unimplemented system call once on stderr\n"
    "  -d item[,item...]    log each translated block to stderr: in_asm (guest code), op (its\n"
    "                       IR), op_opt (the IR after optimisation)\n"
    "  -D file              write the -d log to a file\n"
    "  --stats              print instruction, block, time and translation statistics at exit\n"
    "  --engine=name        execution engine: interp (the default) or jit (x86-64 hosts)\n"
    "  --help               this text\n"
    "\n"
    "The exit status is the guest's. A guest killed by a signal kills polyvm with the same\n"
    "signal after one line on stderr. Errors of polyvm itself exit with status 1.\n";

const char kDisasmUsage[] =
    "usage: polyvm disasm [--ir] [--opt] prog [start [end] | symbol]\n"
    "Disassembles guest code of an ELF file: all executable segments, the function `symbol`,\n"
    "or the addresses [start, end) (start alone: to the end of its function, or 64\n"
    "instructions). Addresses are the file's own (hex with 0x, or decimal).\n"
    "\n"
    "  --ir     print each block's IR after its instructions\n"
    "  --opt    print the IR after ir::passes::Optimize (implies --ir)\n";

namespace {

// "--name=value" or "--name value"; returns false if the option is not `name`.
bool LongOption(const std::vector<std::string>& args, size_t* i, const char* name,
                std::string* value, bool* missing) {
  const std::string& a = args[*i];
  const size_t n = std::strlen(name);
  if (a.compare(0, n, name) != 0) return false;
  if (a.size() == n) {
    if (*i + 1 >= args.size()) {
      *missing = true;
      return true;
    }
    *value = args[++*i];
    return true;
  }
  if (a[n] != '=') return false;
  *value = a.substr(n + 1);
  return true;
}

bool SetLogItems(const std::string& list, RunCommand* out, std::string* error) {
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t comma = list.find(',', pos);
    std::string item = list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (item == "in_asm") {
      out->log_in_asm = true;
    } else if (item == "op") {
      out->log_op = true;
    } else if (item == "op_opt") {
      out->log_op_opt = true;
    } else {
      *error = "unknown -d item '" + item + "' (known: in_asm, op, op_opt)";
      return false;
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return true;
}

}  // namespace

const std::vector<std::string>& KnownEngines() {
  static const std::vector<std::string> engines = {"interp", "jit"};
  return engines;
}

bool IsPlannedEngine(const std::string& name) { return name == "hybrid"; }

bool ParseRun(const std::vector<std::string>& args, RunCommand* out, bool* help, std::string* error) {
  *help = false;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string value;
    bool missing = false;
    auto need = [&](const char* opt) -> bool {
      if (i + 1 >= args.size()) {
        *error = std::string("option ") + opt + " needs a value";
        return false;
      }
      value = args[++i];
      return true;
    };
    if (a == "--") {
      ++i;
      break;
    }
    if (a.empty() || a[0] != '-') break;  // the program
    if (a == "--help" || a == "-h") {
      *help = true;
      return true;
    } else if (a == "-L") {
      if (!need("-L")) return false;
      out->sysroot = value;
      out->reexec_options.insert(out->reexec_options.end(), {"-L", value});
    } else if (a == "-E") {
      if (!need("-E")) return false;
      if (value.find('=') == std::string::npos || value[0] == '=') {
        *error = "-E needs VAR=value, got '" + value + "'";
        return false;
      }
      out->env_changes.push_back(value);
    } else if (a == "-U") {
      if (!need("-U")) return false;
      if (value.empty() || value.find('=') != std::string::npos) {
        *error = "-U needs a variable name, got '" + value + "'";
        return false;
      }
      out->env_changes.push_back("-" + value);
    } else if (a == "-0") {
      if (!need("-0")) return false;
      out->argv0 = value;
    } else if (a == "--strace" || a == "-strace") {
      out->strace = true;
      out->reexec_options.push_back("--strace");
    } else if (a == "-W" || a == "--warn-unimplemented") {
      out->warn_unimplemented = true;
      out->reexec_options.push_back("-W");
    } else if (a == "-d") {
      if (!need("-d") || !SetLogItems(value, out, error)) return false;
    } else if (a == "-D") {
      if (!need("-D")) return false;
      out->log_file = value;
    } else if (a == "--stats") {
      out->stats = true;
    } else if (LongOption(args, &i, "--engine", &value, &missing)) {
      if (missing) {
        *error = "option --engine needs a value";
        return false;
      }
      bool known = false;
      for (const std::string& e : KnownEngines()) known |= e == value;
      if (!known) {
        *error = IsPlannedEngine(value)
                     ? "--engine=" + value + " is not available yet (available: interp, jit)"
                     : "unknown engine '" + value + "' (available: interp, jit)";
        return false;
      }
      out->engine = value;
      out->reexec_options.push_back("--engine=" + value);
    } else {
      *error = "unknown option '" + a + "' (see polyvm run --help)";
      return false;
    }
  }
  if (i >= args.size()) {
    *error = "no program given (see polyvm run --help)";
    return false;
  }
  out->program = args[i];
  out->args.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
  return true;
}

bool ParseDisasm(const std::vector<std::string>& args, DisasmCommand* out, bool* help,
                 std::string* error) {
  *help = false;
  for (const std::string& a : args) {
    if (out->program.empty() && !a.empty() && a[0] == '-') {
      if (a == "--ir") {
        out->ir = true;
      } else if (a == "--opt") {
        out->ir = out->opt = true;
      } else if (a == "--help" || a == "-h") {
        *help = true;
        return true;
      } else {
        *error = "unknown option '" + a + "' (see polyvm disasm --help)";
        return false;
      }
    } else if (out->program.empty()) {
      out->program = a;
    } else {
      out->where.push_back(a);
    }
  }
  if (out->program.empty()) {
    *error = "no program given (see polyvm disasm --help)";
    return false;
  }
  if (out->where.size() > 2) {
    *error = "too many arguments: expected [start [end] | symbol]";
    return false;
  }
  return true;
}

std::vector<std::string> GuestEnvironment(const std::vector<std::string>& host,
                                          const std::vector<std::string>& changes) {
  std::vector<std::string> env = host;
  auto erase = [&env](const std::string& name) {
    std::erase_if(env, [&](const std::string& kv) {
      return kv.size() > name.size() && kv.compare(0, name.size(), name) == 0 &&
             kv[name.size()] == '=';
    });
  };
  for (const std::string& c : changes) {
    if (c[0] == '-') {
      erase(c.substr(1));
    } else {
      const std::string name = c.substr(0, c.find('='));
      bool replaced = false;
      for (std::string& kv : env) {
        if (kv.size() > name.size() && kv.compare(0, name.size(), name) == 0 && kv[name.size()] == '=') {
          if (!replaced) {
            kv = c;
            replaced = true;
          }
        }
      }
      if (!replaced) env.push_back(c);
    }
  }
  return env;
}

}  // namespace polyvm::cli
