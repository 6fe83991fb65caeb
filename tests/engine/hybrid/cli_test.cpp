// `polyvm run` with the JIT's command-line features on a real guest program (guest/hot_loops.c):
// every engine's output must equal the native build's, a tiny code cache must be flushed and
// still give that output, --perfmap must name translations by the guest symbols that GNU nm
// reports, and -d out_asm must print host code (or refuse clearly in a build without Capstone).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "hybrid_test_paths.h"

extern char** environ;

namespace {

struct Result {
  int status = -1;
  pid_t pid = 0;
  std::string out, err;
};

Result Spawn(const std::vector<std::string>& argv) {
  std::vector<char*> av;
  for (const auto& a : argv) av.push_back(const_cast<char*>(a.c_str()));
  av.push_back(nullptr);
  int out[2], err[2];
  EXPECT_EQ(pipe2(out, O_CLOEXEC), 0);
  EXPECT_EQ(pipe2(err, O_CLOEXEC), 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  Result r;
  int rc = posix_spawn(&r.pid, argv[0].c_str(), &fa, nullptr, av.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  close(err[1]);
  EXPECT_EQ(rc, 0) << argv[0];
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) break;
    for (int k = 0; k < 2; ++k) {
      if (fds[k].fd < 0 || fds[k].revents == 0) continue;
      ssize_t n = read(fds[k].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[k].fd);
        fds[k].fd = -1;
        --open_fds;
      } else {
        (k == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  int st = 0;
  waitpid(r.pid, &st, 0);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}

Result RunPolyvm(std::vector<std::string> options) {
  std::vector<std::string> argv = {kPolyvm, "run"};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back(kGuestProgram);
  return Spawn(argv);
}

const std::string& NativeOutput() {
  static const std::string out = [] {
    Result r = Spawn({kNativeProgram});
    EXPECT_EQ(r.status, 0);
    return r.out;
  }();
  return out;
}

// The value of counter `name` in --stats output ("    name    value"), or -1.
double StatValue(const std::string& err, const std::string& name) {
  std::smatch m;
  std::regex re("\n +" + name + " +([0-9.]+)");
  return std::regex_search(err, m, re) ? std::stod(m[1]) : -1;
}

TEST(HybridCli, EveryEngineMatchesNative) {
  for (const char* engine : {"hybrid", "jit", "interp"}) {
    Result r = RunPolyvm({std::string("--engine=") + engine});
    EXPECT_EQ(r.status, 0) << engine << ": " << r.err;
    EXPECT_EQ(r.out, NativeOutput()) << engine;
  }
}

TEST(HybridCli, HybridIsTheDefaultAndReportsPerTier) {
  Result r = RunPolyvm({"--stats"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, NativeOutput());
  EXPECT_NE(r.err.find("polyvm stats (engine hybrid)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("instructions interp / jit"), std::string::npos);
  EXPECT_NE(r.err.find("jit translation time mean / p99"), std::string::npos);
  // The three hot loops run in the JIT: most instructions are retired there.
  double interp = StatValue(r.err, "hybrid\\.insns_interp");
  double jit = StatValue(r.err, "hybrid\\.insns_jit");
  EXPECT_GT(jit, 4 * interp) << r.err;
  EXPECT_GT(StatValue(r.err, "hybrid\\.blocks_hot"), 0);
}

TEST(HybridCli, TinyCodeCacheIsFlushedAndProgramsStillRun) {
  for (std::vector<std::string> opts :
       {std::vector<std::string>{"--engine=jit"},
        std::vector<std::string>{"--engine=hybrid", "--hot-threshold=1", "--ewma-alpha=1"}}) {
    opts.push_back("--jit-cache-size=64K");
    opts.push_back("--stats");
    Result r = RunPolyvm(opts);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, NativeOutput()) << opts[0];
    EXPECT_EQ(StatValue(r.err, "jit\\.code_cache_size"), 65536) << r.err;
    EXPECT_GT(StatValue(r.err, "jit\\.code_cache_flushes"), 0) << opts[0];
  }
}

TEST(HybridCli, SuperblockOptionsAndStatistics) {
  // Forced: every JIT block with a direct exit is recompiled after its first run.
  Result r = RunPolyvm({"--hot-threshold=1", "--ewma-alpha=1", "--superblock-threshold=1",
                        "--superblock-max-insns=40", "--stats"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, NativeOutput());
  EXPECT_EQ(StatValue(r.err, "jit\\.superblock_threshold"), 1) << r.err;
  EXPECT_EQ(StatValue(r.err, "jit\\.superblock_max_insns"), 40);
  const double built = StatValue(r.err, "jit\\.superblocks");
  EXPECT_GT(built, 0) << r.err;
  EXPECT_EQ(StatValue(r.err, "jit\\.superblocks_translated"), built);
  EXPECT_LE(StatValue(r.err, "jit\\.superblock_insns"), 40 * built);
  EXPECT_GE(StatValue(r.err, "jit\\.superblock_parts"), 2 * built);
  // The JIT engine alone has the second tier too (it is the JIT's own).
  r = RunPolyvm({"--engine=jit", "--superblock-threshold=1", "--stats"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, NativeOutput());
  EXPECT_GT(StatValue(r.err, "jit\\.superblocks"), 0) << r.err;
  // 0 turns the second tier off.
  r = RunPolyvm({"--superblock-threshold=0", "--stats"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, NativeOutput());
  EXPECT_EQ(StatValue(r.err, "jit\\.superblocks"), 0) << r.err;
  EXPECT_EQ(StatValue(r.err, "jit\\.superblock_profile_runs"), 0);
  r = RunPolyvm({"--superblock-max-insns=0"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("--superblock-max-insns needs a whole number"), std::string::npos) << r.err;
  r = RunPolyvm({"--superblock-threshold=-3"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("--superblock-threshold needs a whole number"), std::string::npos) << r.err;
}

TEST(HybridCli, BadSizesAreRefused) {
  Result r = RunPolyvm({"--jit-cache-size=12Q"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("--jit-cache-size needs a size"), std::string::npos) << r.err;
  r = RunPolyvm({"--engine=interp", "--perfmap"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("need --engine=jit or hybrid"), std::string::npos) << r.err;
}

// Function symbols of the guest program, by GNU nm.
std::map<std::string, uint64_t> GuestSymbols() {
  std::string tmp = testing::TempDir() + "hybrid_nm.txt";
  std::string cmd = std::string(kGuestNm) + " --defined-only " + kGuestProgram + " > " + tmp;
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::map<std::string, uint64_t> syms;
  std::ifstream in(tmp);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string addr, type, name;
    if (f >> addr >> type >> name && (type == "T" || type == "t"))
      syms[name] = std::stoull(addr, nullptr, 16);
  }
  return syms;
}

TEST(HybridCli, PerfMapNamesTranslationsByGuestSymbol) {
  for (const char* engine : {"jit", "hybrid"}) {
    Result r = RunPolyvm({std::string("--engine=") + engine, "--perfmap"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, NativeOutput());
    std::string path = "/tmp/perf-" + std::to_string(r.pid) + ".map";
    std::ifstream in(path);
    ASSERT_TRUE(in.good()) << path;
    std::map<std::string, uint64_t> syms = GuestSymbols();
    ASSERT_TRUE(syms.count("SumLoop") && syms.count("Sieve") && syms.count("Dispatch"));
    // "START SIZE name [guest 0xPC]", name = symbol or symbol+0xOFF (or a bare address); the
    // arena's shared code as "START SIZE polyvm-jit:NAME".
    std::regex line_re("([0-9a-f]+) ([0-9a-f]+) (\\S+) \\[guest (0x[0-9a-f]+)\\]");
    std::regex shared_re("([0-9a-f]+) ([0-9a-f]+) polyvm-jit:([a-z0-9_]+)");
    std::set<std::string> shared;
    std::regex name_re("([A-Za-z_][A-Za-z0-9_.]*)(\\+(0x[0-9a-f]+))?");
    std::map<std::string, int> seen;
    std::string line;
    int lines = 0;
    while (std::getline(in, line)) {
      ++lines;
      std::smatch m;
      if (std::regex_match(line, m, shared_re)) {
        EXPECT_GT(std::stoull(m[2], nullptr, 16), 0u) << line;
        shared.insert(m[3]);
        continue;
      }
      ASSERT_TRUE(std::regex_match(line, m, line_re)) << line;
      EXPECT_GT(std::stoull(m[2], nullptr, 16), 0u) << line;
      uint64_t pc = std::stoull(m[4], nullptr, 16);
      std::string name = m[3];
      std::smatch n;
      if (!std::regex_match(name, n, name_re)) continue;  // an address outside every symbol
      auto it = syms.find(n[1]);
      if (it == syms.end()) continue;  // a local symbol nm spells differently
      uint64_t off = n[3].matched ? std::stoull(n[3], nullptr, 16) : 0;
      EXPECT_EQ(it->second + off, pc) << line;
      ++seen[n[1]];
    }
    EXPECT_GT(lines, 10) << engine;
    EXPECT_GT(seen["SumLoop"], 0) << engine;
    EXPECT_GT(seen["Sieve"], 0) << engine;
    EXPECT_GT(seen["Dispatch"], 0) << engine;
    // The shared stubs unchained exits go through, and the epilogue every return to Run takes.
    EXPECT_TRUE(shared.count("link_taken") && shared.count("epilogue")) << engine;
    std::remove(path.c_str());
  }
}

TEST(HybridCli, OutAsmPrintsHostCode) {
  Result r = RunPolyvm({"--engine=jit", "-d", "out_asm"});
  if (!kHaveCapstone) {
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("-d out_asm needs a polyvm built with Capstone"), std::string::npos)
        << r.err;
    return;
  }
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, NativeOutput());
  EXPECT_NE(r.err.find("OUT: host code of the block at"), std::string::npos);
  EXPECT_NE(r.err.find("jmp"), std::string::npos);
}

}  // namespace
