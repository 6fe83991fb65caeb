// `polyvm boot` options: QEMU's spellings and defaults, and a one-line error for each mistake.
#include <gtest/gtest.h>

#include "polyvm/cli/options.h"

namespace polyvm::cli {
namespace {

bool Parse(std::vector<std::string> args, BootCommand* out, std::string* error) {
  bool help = false;
  return ParseBoot(args, out, &help, error);
}

TEST(BootOptions, DefaultsAreQemuVirts) {
  BootCommand b;
  std::string error;
  ASSERT_TRUE(Parse({"--arch", "riscv64", "--kernel", "Image"}, &b, &error)) << error;
  EXPECT_EQ(b.ram_size, 128ull << 20);
  EXPECT_EQ(b.smp, 1u);
  EXPECT_EQ(b.bios, "default");
  EXPECT_EQ(b.serial, "stdio");
  EXPECT_EQ(b.engine, "jit");
  EXPECT_FALSE(b.no_reboot) << "a guest reset restarts the machine, as QEMU does by default";
  EXPECT_FALSE(b.net);
  EXPECT_EQ(b.timeout, 0);
}

TEST(BootOptions, EveryOption) {
  BootCommand b;
  std::string error;
  ASSERT_TRUE(Parse({"--arch=riscv64",
                     "--kernel",
                     "Image",
                     "--initrd",
                     "rd.gz",
                     "--append",
                     "console=ttyS0 panic=-1",
                     "-m",
                     "512M",
                     "--smp",
                     "2",
                     "--bios",
                     "none",
                     "--drive",
                     "file=a.img,ro",
                     "--drive",
                     "file=b.img,format=raw",
                     "--net",
                     "user,hostfwd=tcp::2222-:22,hostfwd=tcp::8080-:80",
                     "--device",
                     "virtio-rng",
                     "--serial",
                     "none",
                     "--engine=jit",
                     "--timeout",
                     "2.5",
                     "--no-reboot",
                     "--stats",
                     "-d",
                     "in_asm,out_asm",
                     "-D",
                     "boot.log",
                     "--perfmap"},
                    &b, &error))
      << error;
  EXPECT_EQ(b.initrd, "rd.gz");
  EXPECT_EQ(b.append, "console=ttyS0 panic=-1");
  EXPECT_EQ(b.ram_size, 512ull << 20);
  EXPECT_EQ(b.smp, 2u);
  EXPECT_EQ(b.bios, "none");
  ASSERT_EQ(b.drives.size(), 2u);
  EXPECT_EQ(b.drives[0].file, "a.img");
  EXPECT_TRUE(b.drives[0].read_only);
  EXPECT_EQ(b.drives[1].file, "b.img");
  EXPECT_FALSE(b.drives[1].read_only);
  EXPECT_TRUE(b.net);
  EXPECT_EQ(b.hostfwds, (std::vector<std::string>{"tcp::2222-:22", "tcp::8080-:80"}));
  EXPECT_TRUE(b.rng);
  EXPECT_EQ(b.serial, "none");
  EXPECT_EQ(b.engine, "jit");
  EXPECT_DOUBLE_EQ(b.timeout, 2.5);
  EXPECT_TRUE(b.stats);
  EXPECT_TRUE(b.no_reboot);
  EXPECT_TRUE(b.log_in_asm);
  EXPECT_TRUE(b.log_out_asm);
  EXPECT_FALSE(b.log_op);
  EXPECT_FALSE(b.log_op_opt);
  EXPECT_EQ(b.log_file, "boot.log");
  EXPECT_TRUE(b.perfmap);
}

TEST(BootOptions, MemorySizes) {
  uint64_t v = 0;
  EXPECT_TRUE(ParseMemorySize("2G", &v));
  EXPECT_EQ(v, 2ull << 30);
  EXPECT_TRUE(ParseMemorySize("256", &v));
  EXPECT_EQ(v, 256ull << 20);
  EXPECT_TRUE(ParseMemorySize("65536K", &v));
  EXPECT_EQ(v, 64ull << 20);
  EXPECT_FALSE(ParseMemorySize("", &v));
  EXPECT_FALSE(ParseMemorySize("0", &v));
  EXPECT_FALSE(ParseMemorySize("12X", &v));
  EXPECT_FALSE(ParseMemorySize("-1G", &v));
  EXPECT_FALSE(ParseMemorySize("99999999999999999999G", &v));
}

TEST(BootOptions, Errors) {
  struct Case {
    std::vector<std::string> args;
    const char* error;
  } cases[] = {
      {{"--kernel", "I"}, "--arch is required (riscv64)"},
      {{"--arch", "riscv64"}, "--kernel is required"},
      {{"--arch", "x86_64", "--kernel", "I"},
       "--arch x86_64 is not available (available: riscv64)"},
      {{"--arch", "riscv64", "--kernel", "I", "--smp", "9"},
       "--smp: expected 1 to 8 harts, got '9'"},
      {{"--arch", "riscv64", "--kernel", "I", "--drive", "ro"}, "--drive needs file=F"},
      {{"--arch", "riscv64", "--kernel", "I", "--net", "tap"},
       "--net: only 'user' networking is available, got 'tap'"},
      {{"--arch", "riscv64", "--kernel", "I", "-d", "in_asm,tb"},
       "unknown -d item 'tb' (known: in_asm, op, op_opt, out_asm)"},
      {{"--arch", "riscv64", "--kernel", "I", "-D"}, "option -D needs a value"},
      {{"--arch", "riscv64", "--kernel", "I", "--timeout", "0"},
       "--timeout: expected a positive number of seconds, got '0'"},
      {{"--arch", "riscv64", "--kernel"}, "option --kernel needs a value"},
      {{"--arch", "riscv64", "--kernel", "I", "--bogus"},
       "unknown option '--bogus' (see polyvm boot --help)"},
  };
  for (const Case& c : cases) {
    BootCommand b;
    std::string error;
    EXPECT_FALSE(Parse(c.args, &b, &error)) << c.error;
    EXPECT_EQ(error, c.error);
  }
}

}  // namespace
}  // namespace polyvm::cli
