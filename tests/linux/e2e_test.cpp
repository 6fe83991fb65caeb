// End to end: the polyvm binary runs small riscv64 programs built at test build time and must
// behave as the program does on riscv64 Linux (output, status, signal death and its report line).
// Expected text comes from the programs' sources; statuses are 128 + the signal's number.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <regex>
#include <string>
#include <vector>

#include "polyvm/linux/elf.h"
#include "test_paths.h"

extern char** environ;

namespace polyvm::linux {
namespace {

struct Result {
  int status = -1;  // as a shell shows it: exit code, or 128 + signal
  std::string out;
  std::string err;
};

Result RunPolyvm(const std::vector<std::string>& args, const std::vector<std::string>& extra_env = {}) {
  std::vector<std::string> argv = {kPolyvm};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> av;
  for (auto& a : argv) av.push_back(const_cast<char*>(a.c_str()));
  av.push_back(nullptr);
  std::vector<std::string> env_store;
  for (char** e = environ; *e; ++e) env_store.emplace_back(*e);
  env_store.insert(env_store.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> ev;
  for (auto& e : env_store) ev.push_back(const_cast<char*>(e.c_str()));
  ev.push_back(nullptr);

  int out[2], err[2];
  EXPECT_EQ(pipe2(out, O_CLOEXEC), 0);
  EXPECT_EQ(pipe2(err, O_CLOEXEC), 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid;
  int rc = posix_spawn(&pid, kPolyvm, &fa, nullptr, av.data(), ev.data());
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  close(err[1]);
  Result r;
  if (rc != 0) {
    ADD_FAILURE() << "cannot start " << kPolyvm << ": " << strerror(rc);
    close(out[0]);
    close(err[0]);
    return r;
  }
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* bufs[2] = {&r.out, &r.err};
  int open_fds = 2;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (open_fds > 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "polyvm timed out";
      kill(pid, SIGKILL);
      break;
    }
    if (poll(fds, 2, 1000) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buf[4096];
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        bufs[i]->append(buf, static_cast<size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) close(f.fd);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

// [start, end) of a function in a guest ELF (from its symbol table).
std::pair<uint64_t, uint64_t> FunctionRange(const char* path, const std::string& name) {
  int fd = open(path, O_RDONLY);
  std::vector<ElfSymbol> syms;
  std::string err;
  EXPECT_TRUE(ReadElfSymbols(fd, &syms, &err)) << err;
  close(fd);
  for (const ElfSymbol& s : syms) {
    if (s.name == name) return {s.value, s.value + s.size};
  }
  ADD_FAILURE() << "no symbol " << name << " in " << path;
  return {0, 0};
}

class E2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    struct rlimit none = {0, 0};  // no core files from the deaths below
    setrlimit(RLIMIT_CORE, &none);
  }
};

TEST_F(E2E, HelloStatic) {
  Result r = RunPolyvm({"run", kHelloStatic});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "hello, world\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(E2E, HelloDynamicThroughTheSysroot) {
  Result r = RunPolyvm({"run", "-L", kSysroot, kHelloDyn});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "hello, world\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(E2E, StaticPieWithoutLibc) {
  Result r = RunPolyvm({"run", kPieStart});
  EXPECT_EQ(r.status, 42);
  EXPECT_EQ(r.out, "static-pie says hi\n");
}

TEST_F(E2E, ExitCodes) {
  for (int code : {0, 1, 7, 255}) {
    Result r = RunPolyvm({"run", kExitCode, std::to_string(code)});
    EXPECT_EQ(r.status, code);
    EXPECT_EQ(r.out, "atexit ran\n");
  }
}

TEST_F(E2E, ArgvAndEnvironment) {
  Result r = RunPolyvm({"run", "-E", "FOO=bar baz", "-U", "POLYVM_TEST_GONE", "-0", "myname", kArgsEnv, "a",
                  "b c", "env:FOO", "env:POLYVM_TEST_GONE", "env:POLYVM_TEST_KEPT"},
                 {"POLYVM_TEST_GONE=1", "POLYVM_TEST_KEPT=kept"});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out,
            "argc=6\nargv[0]=myname\nargv[1]=a\nargv[2]=b c\nargv[3]=env:FOO\n"
            "argv[4]=env:POLYVM_TEST_GONE\nargv[5]=env:POLYVM_TEST_KEPT\n"
            "FOO=bar baz\nPOLYVM_TEST_GONE=(unset)\nPOLYVM_TEST_KEPT=kept\n");
}

TEST_F(E2E, FileWrittenAndReadBack) {
  char dir[] = "/tmp/polyvm-e2e-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string file = std::string(dir) + "/data.txt";
  Result r = RunPolyvm({"run", kFileIo, file});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "size=18 mode=640 regular=1\nread: line one\nread: line two\nend=18 word=one\n");
  EXPECT_NE(access(file.c_str(), F_OK), 0);  // the program removed it
  rmdir(dir);
}

TEST_F(E2E, StartingPrograms) {
  char dir[] = "/tmp/polyvm-e2e-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  Result r = RunPolyvm({"run", kSpawn, dir});
  rmdir(dir);
  EXPECT_EQ(r.status, 0) << r.err;
  // The script line: the kernel's argv for "#!interp arg" is interp, arg, the script's path,
  // then argv[1..] of the execve.
  const std::string self = std::string(kSpawn).substr(std::string(kSpawn).rfind('/') + 1);
  EXPECT_EQ(r.out,
            "child argv0=x args: A\n"
            "execv child exit 5\n"
            "child argv0=y args: B\n"
            "posix_spawn child exit 5\n"
            "system exit 3\n"
            "child argv0=" + self + " args: ./script C\n"
            "script child exit 5\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(E2E, Threads) {
  Result r = RunPolyvm({"run", kThreads});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "locked=200000 atomic=80000 joined=100\n");
}

TEST_F(E2E, MainThreadExitsFirst) {
  Result r = RunPolyvm({"run", kThreads, "main-exits"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "worker finished after main\n");
}

TEST_F(E2E, SegvDeathReportsPcAndAddress) {
  Result r = RunPolyvm({"run", kFaults, "segv"});
  EXPECT_EQ(r.status, 128 + SIGSEGV);
  EXPECT_EQ(r.out, "");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(r.err, m, std::regex("polyvm: guest killed by SIGSEGV at pc 0x([0-9a-f]+): "
                                                    "write to unmapped address 0x0\n")))
      << r.err;
  const uint64_t pc = std::stoull(m[1].str(), nullptr, 16);
  auto [lo, hi] = FunctionRange(kFaults, "main");
  EXPECT_GE(pc, lo);
  EXPECT_LT(pc, hi);
}

TEST_F(E2E, IllegalInstructionDeath) {
  Result r = RunPolyvm({"run", kFaults, "ill"});
  EXPECT_EQ(r.status, 128 + SIGILL);
  std::smatch m;
  ASSERT_TRUE(std::regex_match(r.err, m, std::regex("polyvm: guest killed by SIGILL at pc 0x([0-9a-f]+): "
                                                    "illegal instruction 0x0+\n")))
      << r.err;
  auto [lo, hi] = FunctionRange(kFaults, "main");
  const uint64_t pc = std::stoull(m[1].str(), nullptr, 16);
  EXPECT_GE(pc, lo);
  EXPECT_LT(pc, hi);
}

TEST_F(E2E, AbortDeath) {
  Result r = RunPolyvm({"run", kFaults, "abort"});
  EXPECT_EQ(r.status, 128 + SIGABRT);
  EXPECT_EQ(r.err.rfind("polyvm: guest killed by SIGABRT", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

TEST_F(E2E, SegvHandlerRecoversWithSiglongjmp) {
  Result r = RunPolyvm({"run", kFaults, "recover"});
  EXPECT_EQ(r.status, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_match(r.out, m, std::regex("handler: sig=11 code=SEGV_MAPERR addr=0x18\n"
                                                    "handler: sig=11 code=SEGV_ACCERR addr=0x([0-9a-f]+)\n"
                                                    "recovered twice\n")))
      << r.out;
  auto [lo, hi] = FunctionRange(kFaults, "main");
  EXPECT_EQ(std::stoull(m[1].str(), nullptr, 16), lo);  // the store went to main's first byte
  (void)hi;
}

TEST_F(E2E, Usr1HandlerViaRaiseAndKill) {
  Result r = RunPolyvm({"run", kFaults, "usr1"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "usr1 handled 2 times\n");
}

TEST_F(E2E, BadPointerToWriteIsEfault) {
  Result r = RunPolyvm({"run", kFaults, "efault"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "write returned -1 errno=EFAULT\n");
}

TEST_F(E2E, HandlerSeesTheInterruptedContext) {
  Result r = RunPolyvm({"run", kFaults, "ucontext"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "pc in text: 1 a0=0\n");
}

TEST_F(E2E, GuestViewOfTheSystem) {
  Result r = RunPolyvm({"run", kSyscalls});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "machine=riscv64\n"
            "io_setup: -1 ENOSYS\nsyscall 2000: -1 ENOSYS\n"
            "io_setup: -1 ENOSYS\nsyscall 2000: -1 ENOSYS\n"
            "maps: stack=1 text=1\nexe matches argv[0]: 1\n");
  EXPECT_EQ(r.err, "");  // no -W: unimplemented calls are silent
}

TEST_F(E2E, UnimplementedSyscallsAreNamedOnce) {
  Result r = RunPolyvm({"run", "-W", kSyscalls});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.err,
            "polyvm: unimplemented syscall 0 (io_setup)\n"
            "polyvm: unimplemented syscall 2000 (unknown)\n");
}

TEST_F(E2E, Strace) {
  Result r = RunPolyvm({"run", "--strace", kHelloStatic});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "hello, world\n");
  EXPECT_NE(r.err.find(" write(1,\"hello, world\\n\",13) = 13\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" exit_group(0)"), std::string::npos) << r.err;
}

TEST_F(E2E, Stats) {
  Result r = RunPolyvm({"run", "--stats", kHelloStatic});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "hello, world\n");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.err, m, std::regex("guest instructions retired +([0-9]+)"))) << r.err;
  EXPECT_GT(std::stoull(m[1].str()), 1000u);
  EXPECT_NE(r.err.find("blocks translated"), std::string::npos);
  EXPECT_NE(r.err.find("time in syscalls"), std::string::npos);
}

TEST_F(E2E, PolyvmErrorsExitWithStatusOne) {
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  ASSERT_GT(n, 0);
  self[n] = 0;
  Result r = RunPolyvm({"run", self});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, std::string("polyvm: ") + self +
                       ": this is an x86-64 ELF, polyvm run needs riscv64 (EM_RISCV)\n");
  r = RunPolyvm({"run", "/nonexistent/prog"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "polyvm: /nonexistent/prog: No such file or directory\n");
  r = RunPolyvm({"run", "--engine=aot", kHelloStatic});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err,
            "polyvm run: --engine=aot is not available yet (available: hybrid, interp, jit)\n");
  r = RunPolyvm({"frobnicate"});
  EXPECT_EQ(r.status, 1);
  r = RunPolyvm({"run", kHelloDyn});  // dynamic without -L: its interpreter is not on the host
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("interpreter"), std::string::npos) << r.err;
}

TEST_F(E2E, VersionAndHelp) {
  Result r = RunPolyvm({"--version"});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.rfind("polyvm ", 0), 0u);
  r = RunPolyvm({"run", "--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("-L dir"), std::string::npos);
}

TEST_F(E2E, DisasmOfASymbol) {
  Result r = RunPolyvm({"disasm", kHelloStatic, "main"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("<main>:"), std::string::npos) << r.out;
  r = RunPolyvm({"disasm", "--opt", kHelloStatic, "main"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("-- IR of block"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("-- optimised IR"), std::string::npos) << r.out;
  r = RunPolyvm({"disasm", kHelloStatic, "no_such_symbol"});
  EXPECT_EQ(r.status, 1);
}

}  // namespace
}  // namespace polyvm::linux
