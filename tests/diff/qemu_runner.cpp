// The qemu-user runner (see qemu_runner.h). The record layouts must match qemu_oracle.c.
#include "qemu_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

namespace polyvm::diff {

namespace {

constexpr uint32_t kMagic = 0x46464944;  // "DIFF"

struct CaseIn {
  uint32_t magic;
  uint32_t code_size;
  uint64_t x[32];
  uint64_t f[32];
  uint32_t fcsr;
  uint32_t pad;
};

struct CaseOut {
  uint32_t magic;
  int32_t signo;
  int32_t si_code;
  uint32_t fcsr;
  uint64_t pc;
  uint64_t addr;
  uint64_t x[32];
  uint64_t f[32];
};

// si_code of a misaligned-access SIGBUS (BUS_ADRALN).
constexpr int kBusAdrAln = 1;

[[maybe_unused]] bool Executable(const std::string& path) {
  return !path.empty() && access(path.c_str(), X_OK) == 0;
}

std::string TempPath(const char* tag) {
  const char* dir = std::getenv("TMPDIR");
  std::string tmpl = std::string(dir != nullptr ? dir : "/tmp") + "/polyvm-diff-" + tag + "-XXXXXX";
  int fd = mkstemp(tmpl.data());
  if (fd < 0) return "";
  close(fd);
  return tmpl;
}

}  // namespace

std::unique_ptr<QemuUserRunner> QemuUserRunner::Create(std::string* why) {
#if defined(POLYVM_DIFF_QEMU) && defined(POLYVM_DIFF_QEMU_ORACLE)
  std::string qemu = POLYVM_DIFF_QEMU, oracle = POLYVM_DIFF_QEMU_ORACLE;
  if (!Executable(qemu) || !Executable(oracle)) {
    *why = "qemu-riscv64 (" + qemu + ") or the oracle program (" + oracle + ") is not executable";
    return nullptr;
  }
  return std::unique_ptr<QemuUserRunner>(new QemuUserRunner(qemu, oracle));
#else
  *why = "built without qemu-riscv64 or the riscv64 cross compiler (see tests/diff/CMakeLists.txt)";
  return nullptr;
#endif
}

std::vector<Outcome> QemuUserRunner::Run(const std::vector<Case>& cases) {
  std::vector<Outcome> outcomes(cases.size());
  std::string in_path = TempPath("in"), out_path = TempPath("out");
  auto fail_all = [&](const std::string& why) {
    for (Outcome& o : outcomes) o.detail = why;
    std::remove(in_path.c_str());
    std::remove(out_path.c_str());
    return outcomes;
  };
  if (in_path.empty() || out_path.empty()) return fail_all("cannot create temporary files");
  {
    std::ofstream in(in_path, std::ios::binary);
    for (const Case& c : cases) {
      CaseIn rec{};
      rec.magic = kMagic;
      rec.code_size = static_cast<uint32_t>(c.code.size());
      std::copy(c.init.x.begin(), c.init.x.end(), rec.x);
      std::copy(c.init.f.begin(), c.init.f.end(), rec.f);
      rec.fcsr = c.init.fcsr;
      in.write(reinterpret_cast<const char*>(&rec), sizeof rec);
      in.write(reinterpret_cast<const char*>(c.code.data()),
               static_cast<std::streamsize>(c.code.size()));
      in.write(reinterpret_cast<const char*>(c.data.data()), kDataSize);
    }
    if (!in) return fail_all("cannot write " + in_path);
  }

  // Every extension polyvm implements, on QEMU 7.2's generic 64-bit CPU.
  std::string cpu = "rv64,zba=true,zbb=true,zbs=true";
  std::vector<std::string> args = {qemu_, "-cpu", cpu, oracle_};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_TRUNC, 0);
  pid_t pid;
  int rc = posix_spawn(&pid, qemu_.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return fail_all("cannot start " + qemu_ + ": " + std::strerror(rc));
  int status = 0;
  waitpid(pid, &status, 0);

  std::ifstream out(out_path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  std::remove(in_path.c_str());
  std::remove(out_path.c_str());
  std::string exit_text = WIFEXITED(status)
                              ? "exit status " + std::to_string(WEXITSTATUS(status))
                              : "killed by signal " + std::to_string(WTERMSIG(status));
  size_t pos = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    Outcome& o = outcomes[i];
    if (bytes.size() - pos < sizeof(CaseOut) + kDataSize) {
      o.detail = "the oracle stopped before this case (" + exit_text + ")";
      continue;
    }
    CaseOut rec;
    std::memcpy(&rec, bytes.data() + pos, sizeof rec);
    o.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(pos + sizeof rec),
                  bytes.begin() + static_cast<std::ptrdiff_t>(pos + sizeof rec + kDataSize));
    pos += sizeof rec + kDataSize;
    if (rec.magic != kMagic) {
      o.detail = "corrupt oracle output";
      continue;
    }
    std::copy(rec.x, rec.x + 32, o.regs.x.begin());
    std::copy(rec.f, rec.f + 32, o.regs.f.begin());
    o.regs.fcsr = rec.fcsr;
    o.pc = rec.pc;
    switch (rec.signo) {
      case SIGTRAP: o.stop = rec.pc == cases[i].end_pc ? Stop::kEnd : Stop::kBreakpoint; break;
      case SIGILL: o.stop = Stop::kIllegal; break;
      case SIGSEGV: o.stop = Stop::kMemFault; break;
      case SIGBUS: o.stop = rec.si_code == kBusAdrAln ? Stop::kMisaligned : Stop::kMemFault; break;
      default: o.stop = Stop::kError; break;
    }
    o.detail = "signal " + std::to_string(rec.signo) + " code " + std::to_string(rec.si_code);
  }
  return outcomes;
}

}  // namespace polyvm::diff
