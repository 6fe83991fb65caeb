// The virt machine's device tree, written with libfdt's sequential-write API. Node names,
// compatibles and properties follow QEMU 7.2's virt machine (hw/riscv/virt.c) where Linux and
// OpenSBI depend on them, so both find the same devices in the same places.
#include <fmt/format.h>
#include <libfdt.h>

#include "polyvm/machine/riscv64/clint.h"
#include "polyvm/device/pvpanic.h"
#include "polyvm/machine/riscv64/syscon_test.h"
#include "polyvm/machine/riscv64/virt.h"

namespace polyvm::machine::riscv64 {
namespace {

// Phandles: one interrupt controller per hart, then the PLIC and the test device.
uint32_t IntcPhandle(unsigned hart) { return 1 + hart; }
uint32_t PlicPhandle(unsigned harts) { return 1 + harts; }
uint32_t TestPhandle(unsigned harts) { return 2 + harts; }

// Collects libfdt errors: the first failing call is reported, later calls are skipped.
class FdtWriter {
 public:
  explicit FdtWriter(std::vector<uint8_t>& buf) : buf_(buf) {
    Check(fdt_create(buf_.data(), static_cast<int>(buf_.size())), "create");
    Check(fdt_finish_reservemap(buf_.data()), "reservemap");
  }
  void Begin(const std::string& name) { Check(fdt_begin_node(fdt(), name.c_str()), name); }
  void End() { Check(fdt_end_node(fdt()), "end node"); }
  void U32(const char* name, uint32_t v) { Check(fdt_property_u32(fdt(), name, v), name); }
  void Str(const char* name, const std::string& v) {
    Check(fdt_property_string(fdt(), name, v.c_str()), name);
  }
  void Empty(const char* name) { Check(fdt_property(fdt(), name, nullptr, 0), name); }
  // A string list ("a\0b\0").
  void Strings(const char* name, std::initializer_list<const char*> list) {
    std::string joined;
    for (const char* s : list) joined.append(s).push_back('\0');
    Check(fdt_property(fdt(), name, joined.data(), static_cast<int>(joined.size())), name);
  }
  void Cells(const char* name, std::initializer_list<uint32_t> cells) {
    Cells(name, std::vector<uint32_t>(cells));
  }
  void Cells(const char* name, const std::vector<uint32_t>& cells) {
    std::vector<fdt32_t> be;
    for (uint32_t c : cells) be.push_back(cpu_to_fdt32(c));
    Check(fdt_property(fdt(), name, be.data(), static_cast<int>(be.size() * 4)), name);
  }
  // A (base, size) pair with two cells each.
  void Reg(uint64_t base, uint64_t size) { Cells("reg", {Hi(base), Lo(base), Hi(size), Lo(size)}); }
  bool Finish(std::string* error) {
    Check(fdt_finish(fdt()), "finish");
    if (!error_.empty()) {
      *error = error_;
      return false;
    }
    Check(fdt_pack(fdt()), "pack");
    buf_.resize(fdt_totalsize(fdt()));
    return error_.empty();
  }
  static uint32_t Hi(uint64_t v) { return static_cast<uint32_t>(v >> 32); }
  static uint32_t Lo(uint64_t v) { return static_cast<uint32_t>(v); }

 private:
  void* fdt() { return buf_.data(); }
  void Check(int rc, const std::string& what) {
    if (rc < 0 && error_.empty()) error_ = fmt::format("fdt {}: {}", what, fdt_strerror(rc));
  }
  std::vector<uint8_t>& buf_;
  std::string error_;
};

void Cpus(FdtWriter& w, const VirtConfig& c) {
  w.Begin("cpus");
  w.U32("#address-cells", 1);
  w.U32("#size-cells", 0);
  w.U32("timebase-frequency", MachineClock::kTimebaseHz);
  std::string isa = "rv64imafdc_zicsr_zifencei_zba_zbb_zbs";
  if (c.sstc) isa += "_sstc";
  for (unsigned h = 0; h < c.harts; ++h) {
    w.Begin(fmt::format("cpu@{:x}", h));
    w.Str("device_type", "cpu");
    w.U32("reg", h);
    w.Str("status", "okay");
    w.Str("compatible", "riscv");
    w.Str("riscv,isa", isa);
    w.Str("mmu-type", "riscv,sv48");
    w.Begin("interrupt-controller");
    w.U32("#interrupt-cells", 1);
    w.Empty("interrupt-controller");
    w.Str("compatible", "riscv,cpu-intc");
    w.U32("phandle", IntcPhandle(h));
    w.End();
    w.End();
  }
  w.End();
}

void Soc(FdtWriter& w, const VirtConfig& c) {
  w.Begin("soc");
  w.U32("#address-cells", 2);
  w.U32("#size-cells", 2);
  w.Str("compatible", "simple-bus");
  w.Empty("ranges");

  w.Begin(fmt::format("test@{:x}", kVirtTestBase));
  w.Strings("compatible", {"sifive,test1", "sifive,test0", "syscon"});
  w.Reg(kVirtTestBase, SysconTest::kWindowSize);
  w.U32("phandle", TestPhandle(c.harts));
  w.End();

  w.Begin(fmt::format("pvpanic@{:x}", kVirtPvPanicBase));
  w.Str("compatible", "qemu,pvpanic-mmio");
  w.Reg(kVirtPvPanicBase, device::PvPanic::kWindowSize);
  w.End();

  w.Begin(fmt::format("clint@{:x}", kVirtClintBase));
  w.Strings("compatible", {"sifive,clint0", "riscv,clint0"});
  w.Reg(kVirtClintBase, Clint::kWindowSize);
  std::vector<uint32_t> clint_irqs;
  for (unsigned h = 0; h < c.harts; ++h) {
    clint_irqs.insert(clint_irqs.end(), {IntcPhandle(h), 3, IntcPhandle(h), 7});  // MSI, MTI
  }
  w.Cells("interrupts-extended", clint_irqs);
  w.End();

  w.Begin(fmt::format("plic@{:x}", kVirtPlicBase));
  w.Strings("compatible", {"sifive,plic-1.0.0", "riscv,plic0"});
  w.Reg(kVirtPlicBase, VirtPlicSize(c.harts));
  w.U32("#address-cells", 0);
  w.U32("#interrupt-cells", 1);
  w.Empty("interrupt-controller");
  w.U32("riscv,ndev", kVirtPlicSources);
  std::vector<uint32_t> plic_irqs;
  for (unsigned h = 0; h < c.harts; ++h) {
    plic_irqs.insert(plic_irqs.end(), {IntcPhandle(h), 11, IntcPhandle(h), 9});  // MEI, SEI
  }
  w.Cells("interrupts-extended", plic_irqs);
  w.U32("phandle", PlicPhandle(c.harts));
  w.End();

  w.Begin(fmt::format("serial@{:x}", kVirtUartBase));
  w.Str("compatible", "ns16550a");
  w.Reg(kVirtUartBase, kVirtUartSize);
  w.U32("clock-frequency", 3686400);
  w.U32("interrupts", kVirtUartIrq);
  w.U32("interrupt-parent", PlicPhandle(c.harts));
  w.End();

  for (unsigned i = 0; i < c.virtio_slots; ++i) {
    uint64_t base = kVirtVirtioBase + kVirtVirtioStride * i;
    w.Begin(fmt::format("virtio_mmio@{:x}", base));
    w.Str("compatible", "virtio,mmio");
    w.Reg(base, kVirtVirtioStride);
    w.U32("interrupts", kVirtVirtioFirstIrq + i);
    w.U32("interrupt-parent", PlicPhandle(c.harts));
    w.End();
  }
  w.End();
}

}  // namespace

std::vector<uint8_t> BuildVirtFdt(const VirtConfig& c, std::string* error) {
  if (c.harts == 0 || c.harts > kVirtMaxHarts) {
    *error = fmt::format("virt: {} harts (1..{} supported)", c.harts, kVirtMaxHarts);
    return {};
  }
  if (c.virtio_slots > kVirtMaxVirtio) {
    *error = fmt::format("virt: {} virtio slots (at most {})", c.virtio_slots, kVirtMaxVirtio);
    return {};
  }
  std::vector<uint8_t> buf(kFdtMaxSize);
  FdtWriter w(buf);
  w.Begin("");
  w.U32("#address-cells", 2);
  w.U32("#size-cells", 2);
  w.Str("compatible", "riscv-virtio");
  w.Str("model", "polyvm,riscv64-virt");

  w.Begin("chosen");
  w.Str("bootargs", c.bootargs);
  w.Str("stdout-path", fmt::format("/soc/serial@{:x}", kVirtUartBase));
  if (c.initrd_end > c.initrd_start) {
    w.Cells("linux,initrd-start", {FdtWriter::Hi(c.initrd_start), FdtWriter::Lo(c.initrd_start)});
    w.Cells("linux,initrd-end", {FdtWriter::Hi(c.initrd_end), FdtWriter::Lo(c.initrd_end)});
  }
  w.End();

  w.Begin(fmt::format("memory@{:x}", kVirtRamBase));
  w.Str("device_type", "memory");
  w.Reg(kVirtRamBase, c.ram_size);
  w.End();

  Cpus(w, c);
  Soc(w, c);

  w.Begin("poweroff");
  w.Str("compatible", "syscon-poweroff");
  w.U32("regmap", TestPhandle(c.harts));
  w.U32("offset", 0);
  w.U32("value", SysconTest::kPass);
  w.End();
  w.Begin("reboot");
  w.Str("compatible", "syscon-reboot");
  w.U32("regmap", TestPhandle(c.harts));
  w.U32("offset", 0);
  w.U32("value", SysconTest::kReset);
  w.End();

  w.End();
  if (!w.Finish(error)) return {};
  return buf;
}

}  // namespace polyvm::machine::riscv64
