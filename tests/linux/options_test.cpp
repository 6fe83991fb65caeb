// The `polyvm run` / `polyvm disasm` option parser: qemu-style options stop at the program, and
// errors are one clear line.
#include "polyvm/cli/options.h"

#include <gtest/gtest.h>

namespace polyvm::cli {
namespace {

RunCommand Parse(const std::vector<std::string>& args) {
  RunCommand r;
  bool help = false;
  std::string err;
  EXPECT_TRUE(ParseRun(args, &r, &help, &err)) << err;
  return r;
}

std::string Error(const std::vector<std::string>& args) {
  RunCommand r;
  bool help = false;
  std::string err;
  EXPECT_FALSE(ParseRun(args, &r, &help, &err));
  return err;
}

TEST(RunOptions, OptionsStopAtTheProgram) {
  RunCommand r = Parse({"-L", "/sysroot", "--strace", "prog", "--strace", "-L", "x"});
  EXPECT_EQ(r.sysroot, "/sysroot");
  EXPECT_TRUE(r.strace);
  EXPECT_EQ(r.program, "prog");
  EXPECT_EQ(r.args, (std::vector<std::string>{"--strace", "-L", "x"}));
  EXPECT_EQ(r.reexec_options, (std::vector<std::string>{"-L", "/sysroot", "--strace"}));
}

TEST(RunOptions, AllOptions) {
  RunCommand r = Parse({"-E", "A=1", "-U", "B", "-0", "-name", "-W", "-d", "in_asm,op_opt", "-D",
                        "log.txt", "--stats", "--engine=interp", "--", "-prog", "a"});
  EXPECT_EQ(r.env_changes, (std::vector<std::string>{"A=1", "-B"}));
  EXPECT_EQ(r.argv0, "-name");
  EXPECT_TRUE(r.warn_unimplemented);
  EXPECT_TRUE(r.log_in_asm);
  EXPECT_FALSE(r.log_op);
  EXPECT_TRUE(r.log_op_opt);
  EXPECT_EQ(r.log_file, "log.txt");
  EXPECT_TRUE(r.stats);
  EXPECT_EQ(r.engine, "interp");
  EXPECT_EQ(r.program, "-prog");
  EXPECT_EQ(r.args, (std::vector<std::string>{"a"}));
  EXPECT_EQ(Parse({"--engine", "interp", "p"}).engine, "interp");
}

TEST(RunOptions, Errors) {
  EXPECT_EQ(Error({}), "no program given (see polyvm run --help)");
  EXPECT_EQ(Error({"--bogus", "prog"}), "unknown option '--bogus' (see polyvm run --help)");
  EXPECT_EQ(Error({"-L"}), "option -L needs a value");
  EXPECT_EQ(Error({"--engine=aot", "p"}), "--engine=aot is not available yet (available: hybrid, interp, jit)");
  EXPECT_EQ(Error({"--engine=fast", "p"}), "unknown engine 'fast' (available: hybrid, interp, jit)");
  EXPECT_EQ(Error({"-d", "in_asm,bogus", "p"}), "unknown -d item 'bogus' (known: in_asm, op, op_opt, out_asm)");
  EXPECT_EQ(Error({"--jit-cache-size=0", "p"}), "--jit-cache-size needs a size from 64K to 1T (e.g. 512K, 64M, 1G), got '0'");
  EXPECT_EQ(Error({"--jit-cache-size=32K", "p"}), "--jit-cache-size needs a size from 64K to 1T (e.g. 512K, 64M, 1G), got '32K'");
  EXPECT_EQ(Error({"--ewma-alpha=0", "p"}), "--ewma-alpha needs a number in (0, 1], got '0'");
  EXPECT_EQ(Error({"--ewma-alpha=1.5", "p"}), "--ewma-alpha needs a number in (0, 1], got '1.5'");
  EXPECT_EQ(Error({"--hot-threshold=x", "p"}), "--hot-threshold needs a number from 1 to 1e9, got 'x'");
  EXPECT_EQ(Error({"--ewma-period=-3", "p"}), "--ewma-period needs a positive whole number, got '-3'");
  EXPECT_EQ(Error({"-E", "NOVALUE", "p"}), "-E needs VAR=value, got 'NOVALUE'");
  EXPECT_EQ(Error({"-U", "A=1", "p"}), "-U needs a variable name, got 'A=1'");
}

TEST(RunOptions, EngineAndJitOptions) {
  RunCommand d = Parse({"p"});
  EXPECT_EQ(d.engine, "hybrid");  // the default
  EXPECT_EQ(d.jit_cache_bytes, 0u);
  EXPECT_FALSE(d.perfmap);
  EXPECT_FALSE(d.hot_threshold.has_value());
  RunCommand r = Parse({"--engine=jit", "--jit-cache-size=512K", "--perfmap", "-d", "out_asm",
                        "--hot-threshold", "100", "--ewma-alpha=0.25", "--ewma-period=4096", "p"});
  EXPECT_EQ(r.engine, "jit");
  EXPECT_EQ(r.jit_cache_bytes, 512u * 1024);
  EXPECT_TRUE(r.perfmap);
  EXPECT_TRUE(r.log_out_asm);
  EXPECT_EQ(r.hot_threshold, 100.0);
  EXPECT_EQ(r.ewma_alpha, 0.25);
  EXPECT_EQ(r.ewma_period, 4096u);
  EXPECT_EQ(Parse({"--jit-cache-size=2G", "p"}).jit_cache_bytes, uint64_t{2} << 30);
  EXPECT_EQ(Parse({"--jit-cache-size=16", "p"}).jit_cache_bytes, uint64_t{16} << 20);  // MiB
  // Kept for guest programs the guest execs.
  EXPECT_EQ(r.reexec_options,
            (std::vector<std::string>{"--engine=jit", "--jit-cache-size=512K", "--perfmap",
                                      "--hot-threshold=100", "--ewma-alpha=0.25",
                                      "--ewma-period=4096"}));
}

TEST(RunOptions, Help) {
  RunCommand r;
  bool help = false;
  std::string err;
  EXPECT_TRUE(ParseRun({"--help", "prog"}, &r, &help, &err));
  EXPECT_TRUE(help);
}

TEST(RunOptions, GuestEnvironment) {
  std::vector<std::string> host = {"A=1", "B=2", "AB=3"};
  EXPECT_EQ(GuestEnvironment(host, {}), host);
  EXPECT_EQ(GuestEnvironment(host, {"A=9", "-B", "C=4"}),
            (std::vector<std::string>{"A=9", "AB=3", "C=4"}));
  EXPECT_EQ(GuestEnvironment(host, {"-A"}), (std::vector<std::string>{"B=2", "AB=3"}));
  EXPECT_EQ(GuestEnvironment(host, {"X=a=b"}), (std::vector<std::string>{"A=1", "B=2", "AB=3", "X=a=b"}));
}

TEST(DisasmOptions, Parse) {
  DisasmCommand d;
  bool help = false;
  std::string err;
  ASSERT_TRUE(ParseDisasm({"--opt", "prog", "main"}, &d, &help, &err)) << err;
  EXPECT_TRUE(d.ir);
  EXPECT_TRUE(d.opt);
  EXPECT_EQ(d.program, "prog");
  EXPECT_EQ(d.where, (std::vector<std::string>{"main"}));
  DisasmCommand e;
  EXPECT_FALSE(ParseDisasm({"prog", "1", "2", "3"}, &e, &help, &err));
  EXPECT_FALSE(ParseDisasm({"--x", "prog"}, &e, &help, &err));
}

}  // namespace
}  // namespace polyvm::cli
