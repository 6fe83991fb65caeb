// End to end: the polyvm binary runs an aarch64 program (guest/abi_probe.c) that prints what it
// sees of the arm64 Linux ABI, and --strace names its arm64 open flags. Expected values come from
// the arm64 kernel and glibc headers (arm64_offsets.h), GNU as (the sigreturn code), and the
// kernel's rules (sigaltstack below MINSIGSTKSZ is ENOMEM), never from polyvm.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "arm64_offsets.h"
#include "arm64_test_paths.h"

namespace polyvm::linux {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct ProbeRun {
  int status = -1;
  std::map<std::string, std::string> values;  // "key rest of line"
  std::string err;
};

ProbeRun RunProbe(const std::string& options) {
  char dir[] = "/tmp/polyvm-arm64-e2e-XXXXXX";
  EXPECT_NE(mkdtemp(dir), nullptr);
  const std::string out = std::string(dir) + "/out", err = std::string(dir) + "/err";
  const std::string cmd = "cd " + std::string(dir) + " && " + kArm64Polyvm + " run " + options +
                          " " + kArm64AbiProbe + " >" + out + " 2>" + err + " </dev/null";
  ProbeRun r;
  const int rc = std::system(cmd.c_str());
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  std::istringstream lines(Slurp(out));
  std::string line;
  while (std::getline(lines, line)) {
    const size_t sp = line.find(' ');
    if (sp != std::string::npos) r.values[line.substr(0, sp)] = line.substr(sp + 1);
  }
  r.err = Slurp(err);
  std::remove(out.c_str());
  std::remove(err.c_str());
  rmdir(dir);
  return r;
}

TEST(Arm64E2E, ProgramSeesTheArm64Abi) {
  ProbeRun r = RunProbe("");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.values["machine"], "aarch64");
  EXPECT_EQ(r.values["platform"], "aarch64");
  // signal.c's signal_minsigstksz without SVE: the rt_sigframe, its frame record, 16 of padding.
  EXPECT_EQ(r.values["minsigstksz"],
            std::to_string(oracle::kSiginfoSize + oracle::kKUcontextSize + 16 + 16));
  EXPECT_EQ(std::strtoull(r.values["hwcap"].c_str(), nullptr, 16) &
                static_cast<unsigned long long>(oracle::kHwcapFp | oracle::kHwcapAsimd),
            static_cast<unsigned long long>(oracle::kHwcapFp | oracle::kHwcapAsimd));
  // 4096 < arm64's MINSIGSTKSZ (5120): the kernel refuses it.
  ASSERT_EQ(oracle::kMinSigStkSz, 5120);
  EXPECT_EQ(r.values["sigaltstack_4096"], "-1 ENOMEM");
  EXPECT_EQ(r.values["sigaltstack_5120"], "0");
  EXPECT_EQ(r.values["open"], "directory ok");
}

TEST(Arm64E2E, SignalHandlerSeesTheKernelsFrameAndSigreturnHonoursItsEdits) {
  ProbeRun r = RunProbe("");
  ASSERT_EQ(r.status, 0) << r.err;
  // The handler moved the saved pc past the udf: the program went on from there.
  EXPECT_EQ(r.values["resumed"], "1 fault_pc_matches 1");
  char want[64];
  std::snprintf(want, sizeof want, "%#llx %lld",
                static_cast<unsigned long long>(oracle::kFpsimdMagic), oracle::kFpsimdSize);
  EXPECT_EQ(r.values["record"], want);
  EXPECT_EQ(r.values["end"], "0 0");
  // The handler returns into the vDSO's sigreturn code (or glibc's copy of it): what GNU as
  // assembles for `mov x8, #__NR_rt_sigreturn; svc #0`.
  const std::string tramp = Slurp(kArm64Trampoline);
  ASSERT_EQ(tramp.size(), 8u);
  uint32_t w[2];
  std::memcpy(w, tramp.data(), 8);
  std::snprintf(want, sizeof want, "%08x %08x", w[0], w[1]);
  EXPECT_EQ(r.values["return_code"], want);
}

TEST(Arm64E2E, StraceNamesArm64OpenFlags) {
  ProbeRun r = RunProbe("--strace");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("openat(AT_FDCWD,\".\",O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC,"),
            std::string::npos)
      << r.err;
}

// "address: text" per instruction, tabs as spaces, objdump's <symbol> comments dropped.
std::vector<std::string> Instructions(const std::string& listing, bool objdump) {
  static const std::regex kObjdump(R"(^\s+([0-9a-f]+):\s+[0-9a-f]{8}\s+(.*?)(\s+<[^>]*>)?$)");
  static const std::regex kPolyvm(R"(^\s+([0-9a-f]+):\s+(.*)$)");
  std::vector<std::string> out;
  std::istringstream in(listing);
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (!std::regex_match(line, m, objdump ? kObjdump : kPolyvm)) continue;
    std::string text = m[2].str();
    for (char& c : text) c = c == '\t' ? ' ' : c;
    out.push_back(m[1].str() + ": " + text);
  }
  return out;
}

TEST(Arm64E2E, DisasmUsesTheArm64DisassemblerLikeObjdump) {
  char dir[] = "/tmp/polyvm-arm64-disasm-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string out = std::string(dir) + "/out";
  const std::string cmd =
      std::string(kArm64Polyvm) + " disasm " + kArm64HelloStatic + " main >" + out + " 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  const std::string got = Slurp(out);
  std::remove(out.c_str());
  rmdir(dir);
  const std::vector<std::string> want = Instructions(Slurp(kArm64HelloMainObjdump), true);
  ASSERT_GE(want.size(), 4u);
  EXPECT_EQ(Instructions(got, false), want) << got;
}

}  // namespace
}  // namespace polyvm::linux
