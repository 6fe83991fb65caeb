// The hand-written option parser for `polyvm run` and `polyvm disasm`. CLI11 (libcli11-dev 2.1)
// was tried first: its prefix_command() mode, needed so that everything after the program name
// belongs to the guest, passes unknown options through as if they were the program and rejects
// `--` before the program, both wrong for a qemu-style runner; this parser is about as short.
#include "polyvm/cli/options.h"

#include <cstdlib>
#include <cstring>

namespace polyvm::cli {

const char kMainUsage[] =
    "usage: polyvm run [options] prog [args...]      run a riscv64 or aarch64 Linux program\n"
    "       polyvm boot --arch riscv64 --kernel Image [options]   boot a virtual machine\n"
    "       polyvm disasm [--ir] [--opt] prog [start [end] | symbol]\n"
    "       polyvm --version | --help\n"
    "\n"
    "`polyvm run --help`, `polyvm boot --help` and `polyvm disasm --help` list their options.\n";

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
    "                       IR), op_opt (the IR after optimisation), out_asm (the JIT's host\n"
    "                       code, disassembled; needs a build with libcapstone-dev)\n"
    "  -D file              write the -d log to a file\n"
    "  --stats              print instruction, block, time and translation statistics at exit\n"
    "  --engine=name        execution engine: hybrid (the default: cold code interpreted, hot\n"
    "                       blocks compiled), interp, or jit (x86-64 hosts)\n"
    "  --hot-threshold=N    hybrid: a block moves to the JIT when alpha * (its runs in this\n"
    "                       period) + (1 - alpha) * (EWMA of its runs per period) reaches N\n"
    "                       (default 64)\n"
    "  --ewma-alpha=A       hybrid: weight of the newest period, 0 < A <= 1 (default 0.5)\n"
    "  --ewma-period=N      hybrid: period length in interpreted block runs (default 16384)\n"
    "  --superblock-threshold=N\n"
    "                       jit, hybrid: a JIT block that ran N times is recompiled with its\n"
    "                       hotter successors as one superblock (default 32; 0 disables)\n"
    "  --superblock-max-insns=N\n"
    "                       jit, hybrid: guest instructions in a superblock at most (default 256)\n"
    "  --jit-cache-size=SIZE\n"
    "                       jit, hybrid: code cache bytes, e.g. 64M (the default), 512K, 1G; a\n"
    "                       plain number is MiB. A full cache is flushed whole\n"
    "  --perfmap            jit, hybrid: write /tmp/perf-PID.map naming each translation by guest\n"
    "                       symbol+offset, for `perf report`\n"
    "  --help               this text\n"
    "\n"
    "The exit status is the guest's. A guest killed by a signal kills polyvm with the same\n"
    "signal after one line on stderr. Errors of polyvm itself exit with status 1.\n";

const char kBootUsage[] =
    "usage: polyvm boot --arch riscv64 --kernel Image [options]\n"
    "Boots a RISC-V64 machine like `qemu-system-riscv64 -M virt`: OpenSBI, the kernel and its\n"
    "initrd, the serial console on this terminal (Ctrl-A x ends the machine, Ctrl-A Ctrl-A sends\n"
    "Ctrl-A).\n"
    "\n"
    "  --arch riscv64         the guest architecture (riscv64 only for now)\n"
    "  --kernel file          Linux Image (or a bare-metal binary with --bios none)\n"
    "  --initrd file          initramfs\n"
    "  --append \"args\"        kernel command line\n"
    "  -m size                RAM: 512M, 2G, ... (a plain number is MiB; default 128M)\n"
    "  --smp n                harts (1 to 8; default 1)\n"
    "  --bios file|none       firmware (default: Debian's OpenSBI fw_dynamic.bin); none: the\n"
    "                         kernel runs at 0x80000000 in M-mode\n"
    "  --drive file=F[,ro]    virtio-blk disk on a raw image (repeatable; ro: read-only)\n"
    "  --net user[,hostfwd=tcp::H-:G]...\n"
    "                         virtio-net on user-mode networking (slirp): 10.0.2.15 by DHCP,\n"
    "                         10.0.2.2 is the host; hostfwd forwards host port H to guest port G\n"
    "  --device virtio-rng    entropy device\n"
    "  --device virtio-console\n"
    "                         virtio console (/dev/hvc0) on this terminal too\n"
    "  --serial stdio|none    where the UART goes (default stdio)\n"
    "  --engine=name          jit (the default) or interp\n"
    "  --timeout seconds      stop the machine after this long (reboots included) and print\n"
    "                         where each hart was (pc, privilege, interrupt CSRs)\n"
    "  --no-reboot            a guest reset ends polyvm (status 3) instead of restarting the\n"
    "                         machine with its images reloaded (QEMU's -no-reboot)\n"
    "  --stats                print run-loop, engine and MMU statistics at exit\n"
    "  -d items               log, per translation: in_asm (guest code), op, op_opt (its\n"
    "                         IR), out_asm (host code; jit)\n"
    "  -D file                write the -d log to a file\n"
    "  --perfmap              jit: write /tmp/perf-PID.map naming each translation by its\n"
    "                         guest (virtual) pc, for perf report\n"
    "  --help                 this text\n"
    "\n"
    "Exit status: 0 when the guest powers off, its failure code when it powers off with one\n"
    "(sifive-test 0x3333), 3 when it resets with --no-reboot (a kernel with panic=-1 resets on a\n"
    "panic; without --no-reboot the machine restarts), 124 on --timeout, 1 for errors and for\n"
    "guest code polyvm does not implement (with a message naming the hart, pc and instruction\n"
    "bits). Ctrl-A x exits 0, as QEMU does.\n";

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

template <typename Command>  // RunCommand or BootCommand
bool SetLogItems(const std::string& list, Command* out, std::string* error) {
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
    } else if (item == "out_asm") {
      out->log_out_asm = true;
    } else {
      *error = "unknown -d item '" + item + "' (known: in_asm, op, op_opt, out_asm)";
      return false;
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return true;
}

}  // namespace

const std::vector<std::string>& KnownEngines() {
  static const std::vector<std::string> engines = {"hybrid", "interp", "jit"};
  return engines;
}

bool IsPlannedEngine(const std::string& name) { return name == "aot"; }

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
        *error =
            IsPlannedEngine(value)
                ? "--engine=" + value + " is not available yet (available: hybrid, interp, jit)"
                : "unknown engine '" + value + "' (available: hybrid, interp, jit)";
        return false;
      }
      out->engine = value;
      out->reexec_options.push_back("--engine=" + value);
    } else if (LongOption(args, &i, "--jit-cache-size", &value, &missing)) {
      // At least 64 KiB: one block with its records must fit in an empty cache.
      if (missing || !ParseMemorySize(value, &out->jit_cache_bytes) ||
          out->jit_cache_bytes < (uint64_t{64} << 10)) {
        *error = "--jit-cache-size needs a size from 64K to 1T (e.g. 512K, 64M, 1G), got '" +
                 value + "'";
        return false;
      }
      out->reexec_options.push_back("--jit-cache-size=" + value);
    } else if (LongOption(args, &i, "--hot-threshold", &value, &missing)) {
      char* end = nullptr;
      double v = missing ? 0 : std::strtod(value.c_str(), &end);
      if (missing || end == value.c_str() || *end != '\0' || !(v >= 1 && v <= 1e9)) {
        *error = "--hot-threshold needs a number from 1 to 1e9, got '" + value + "'";
        return false;
      }
      out->hot_threshold = v;
      out->reexec_options.push_back("--hot-threshold=" + value);
    } else if (LongOption(args, &i, "--ewma-alpha", &value, &missing)) {
      char* end = nullptr;
      double v = missing ? 0 : std::strtod(value.c_str(), &end);
      if (missing || end == value.c_str() || *end != '\0' || !(v > 0 && v <= 1)) {
        *error = "--ewma-alpha needs a number in (0, 1], got '" + value + "'";
        return false;
      }
      out->ewma_alpha = v;
      out->reexec_options.push_back("--ewma-alpha=" + value);
    } else if (LongOption(args, &i, "--ewma-period", &value, &missing)) {
      char* end = nullptr;
      unsigned long long v = missing ? 0 : std::strtoull(value.c_str(), &end, 10);
      if (missing || end == value.c_str() || *end != '\0' || v == 0 || value[0] == '-') {
        *error = "--ewma-period needs a positive whole number, got '" + value + "'";
        return false;
      }
      out->ewma_period = v;
      out->reexec_options.push_back("--ewma-period=" + value);
    } else if (LongOption(args, &i, "--superblock-threshold", &value, &missing) ||
               LongOption(args, &i, "--superblock-max-insns", &value, &missing)) {
      const bool max_insns = a.rfind("--superblock-max-insns", 0) == 0;
      const char* name = max_insns ? "--superblock-max-insns" : "--superblock-threshold";
      char* end = nullptr;
      unsigned long long v = missing ? 0 : std::strtoull(value.c_str(), &end, 10);
      if (missing || end == value.c_str() || *end != '\0' || value[0] == '-' || v > 1000000 ||
          (max_insns && v == 0)) {
        *error = std::string(name) + " needs a whole number from " + (max_insns ? "1" : "0") +
                 " to 1000000, got '" + value + "'";
        return false;
      }
      (max_insns ? out->superblock_max_insns : out->superblock_threshold) =
          static_cast<uint32_t>(v);
      out->reexec_options.push_back(std::string(name) + "=" + value);
    } else if (a == "--perfmap") {
      out->perfmap = true;
      out->reexec_options.push_back("--perfmap");
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

bool ParseMemorySize(const std::string& text, uint64_t* bytes) {
  if (text.empty() || text[0] < '0' || text[0] > '9') return false;
  size_t used = 0;
  unsigned long long n = 0;
  try {
    n = std::stoull(text, &used, 10);
  } catch (...) {
    return false;
  }
  unsigned shift = 20;  // MiB without a suffix, as QEMU
  const std::string suffix = text.substr(used);
  if (suffix == "K" || suffix == "k") {
    shift = 10;
  } else if (suffix == "M" || suffix == "m" || suffix.empty()) {
    shift = 20;
  } else if (suffix == "G" || suffix == "g") {
    shift = 30;
  } else {
    return false;
  }
  if (n == 0 || n > (uint64_t{1} << (40 - shift))) return false;  // at most 1 TiB
  *bytes = static_cast<uint64_t>(n) << shift;
  return true;
}

namespace {

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> parts;
  size_t pos = 0;
  for (;;) {
    size_t comma = s.find(',', pos);
    parts.push_back(s.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
    if (comma == std::string::npos) return parts;
    pos = comma + 1;
  }
}

bool ParseDrive(const std::string& spec, BootCommand::Drive* drive, std::string* error) {
  for (const std::string& part : SplitCommas(spec)) {
    if (part.compare(0, 5, "file=") == 0) {
      drive->file = part.substr(5);
    } else if (part == "ro" || part == "readonly=on" || part == "readonly") {
      drive->read_only = true;
    } else if (part == "format=raw" || part == "if=virtio" || part == "readonly=off") {
      // QEMU spellings of what polyvm does anyway
    } else {
      *error = "--drive: unknown part '" + part + "' (expected file=F[,ro])";
      return false;
    }
  }
  if (drive->file.empty()) {
    *error = "--drive needs file=F";
    return false;
  }
  return true;
}

bool ParseNet(const std::string& spec, BootCommand* out, std::string* error) {
  std::vector<std::string> parts = SplitCommas(spec);
  if (parts[0] != "user") {
    *error = "--net: only 'user' networking is available, got '" + parts[0] + "'";
    return false;
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].compare(0, 8, "hostfwd=") != 0) {
      *error = "--net: unknown part '" + parts[i] + "' (expected hostfwd=tcp::H-:G)";
      return false;
    }
    out->hostfwds.push_back(parts[i].substr(8));
  }
  out->net = true;
  return true;
}

}  // namespace

bool ParseBoot(const std::vector<std::string>& args, BootCommand* out, bool* help,
               std::string* error) {
  *help = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string value;
    bool missing = false;
    auto option = [&](const char* name) {
      missing = false;
      return LongOption(args, &i, name, &value, &missing);
    };
    auto complain_missing = [&](const char* name) {
      *error = std::string("option ") + name + " needs a value";
      return false;
    };
    if (a == "--help" || a == "-h") {
      *help = true;
      return true;
    } else if (a == "--stats") {
      out->stats = true;
    } else if (a == "--no-reboot") {
      out->no_reboot = true;
    } else if (a == "--perfmap") {
      out->perfmap = true;
    } else if (option("-d")) {
      if (missing) return complain_missing("-d");
      if (!SetLogItems(value, out, error)) return false;
    } else if (option("-D")) {
      if (missing) return complain_missing("-D");
      out->log_file = value;
    } else if (option("--arch")) {
      if (missing) return complain_missing("--arch");
      if (value != "riscv64") {
        *error = "--arch " + value + " is not available (available: riscv64)";
        return false;
      }
      out->arch = value;
    } else if (option("--kernel")) {
      if (missing) return complain_missing("--kernel");
      out->kernel = value;
    } else if (option("--initrd")) {
      if (missing) return complain_missing("--initrd");
      out->initrd = value;
    } else if (option("--append")) {
      if (missing) return complain_missing("--append");
      out->append = value;
    } else if (option("-m")) {
      if (missing) return complain_missing("-m");
      if (!ParseMemorySize(value, &out->ram_size)) {
        *error = "-m: bad size '" + value + "' (e.g. 512M, 2G)";
        return false;
      }
    } else if (option("--smp")) {
      if (missing) return complain_missing("--smp");
      char* end = nullptr;
      unsigned long n = std::strtoul(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || n == 0 || n > 8) {
        *error = "--smp: expected 1 to 8 harts, got '" + value + "'";
        return false;
      }
      out->smp = static_cast<unsigned>(n);
    } else if (option("--bios")) {
      if (missing) return complain_missing("--bios");
      out->bios = value;
    } else if (option("--drive")) {
      if (missing) return complain_missing("--drive");
      BootCommand::Drive drive;
      if (!ParseDrive(value, &drive, error)) return false;
      out->drives.push_back(drive);
    } else if (option("--net")) {
      if (missing) return complain_missing("--net");
      if (!ParseNet(value, out, error)) return false;
    } else if (option("--device")) {
      if (missing) return complain_missing("--device");
      if (value == "virtio-rng" || value == "virtio-rng-device") {
        out->rng = true;
      } else if (value == "virtio-console") {
        out->virtio_console = true;
      } else {
        *error = "--device: unknown device '" + value + "' (available: virtio-rng, virtio-console)";
        return false;
      }
    } else if (option("--serial")) {
      if (missing) return complain_missing("--serial");
      if (value != "stdio" && value != "none") {
        *error = "--serial: expected stdio or none, got '" + value + "'";
        return false;
      }
      out->serial = value;
    } else if (option("--engine")) {
      if (missing) return complain_missing("--engine");
      if (value != "interp" && value != "jit") {
        *error = "unknown engine '" + value + "' (available: interp, jit)";
        return false;
      }
      out->engine = value;
    } else if (option("--timeout")) {
      if (missing) return complain_missing("--timeout");
      char* end = nullptr;
      double t = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !(t > 0)) {
        *error = "--timeout: expected a positive number of seconds, got '" + value + "'";
        return false;
      }
      out->timeout = t;
    } else {
      *error = "unknown option '" + a + "' (see polyvm boot --help)";
      return false;
    }
  }
  if (out->arch.empty()) {
    *error = "--arch is required (riscv64)";
    return false;
  }
  if (out->kernel.empty()) {
    *error = "--kernel is required";
    return false;
  }
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
