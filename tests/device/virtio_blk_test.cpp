// virtio-blk against a temporary raw image (virtio 1.x section 5.2.6): reads return what the host
// wrote to the file, writes land in the file (checked with pread on the host), flush, GET_ID,
// read-only rejection, range and size errors, several requests in flight.
#include "polyvm/device/virtio/virtio_blk.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <random>

#include "polyvm/device/virtio/blk_request.h"
#include "polyvm/device/virtio/virtio_mmio.h"
#include "virtio_test_driver.h"

namespace polyvm::device::virtio {
namespace {

using namespace testing;  // NOLINT

constexpr uint64_t kImageBytes = 1 << 20;
constexpr uint64_t kFeatureFlush = uint64_t{1} << 9, kFeatureRo = uint64_t{1} << 5;

std::string Pattern(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

class TempImage {
 public:
  TempImage() {
    const char* dir = std::getenv("TMPDIR");
    path_ = std::string(dir != nullptr ? dir : "/tmp") + "/polyvm-blk-XXXXXX";
    fd_ = mkstemp(path_.data());
    content_ = Pattern(kImageBytes, 42);
    EXPECT_EQ(pwrite(fd_, content_.data(), content_.size(), 0), ssize_t(kImageBytes));
  }
  ~TempImage() {
    close(fd_);
    unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }
  const std::string& content() const { return content_; }
  std::string ReadBack(uint64_t offset, size_t n) const {
    std::string s(n, '\0');
    EXPECT_EQ(pread(fd_, s.data(), n, static_cast<off_t>(offset)), ssize_t(n));
    return s;
  }

 private:
  std::string path_;
  int fd_ = -1;
  std::string content_;
};

class VirtioBlkTest : public ::testing::Test {
 protected:
  void Open(bool read_only) {
    std::string error;
    auto blk = MakeVirtioBlk({image.path(), read_only, "polyvm-disk-0"}, &error);
    ASSERT_NE(blk, nullptr) << error;
    dev = std::make_unique<VirtioMmio>(std::move(blk), mem.ram(), irq);
    driver = std::make_unique<TestDriver>(*dev, mem);
    const uint64_t features = kFeatureVersion1 | kFeatureFlush | (read_only ? kFeatureRo : 0);
    q = driver->Start(features, 1, 64);
    ASSERT_EQ(q.size(), 1u);
  }

  // Posts one request; returns the header's gpa, fills *status_gpa.
  uint64_t Header(uint32_t type, uint64_t sector) {
    const uint64_t h = mem.Alloc(16);
    mem.Put<uint32_t>(h, type);
    mem.Put<uint32_t>(h + 4, 0);
    mem.Put<uint64_t>(h + 8, sector);
    return h;
  }
  UsedElem Wait() {
    UsedElem used{};
    EXPECT_TRUE(driver->WaitUsed(q[0], &used));
    return used;
  }

  TempImage image;
  TestMemory mem{8 << 20};
  TestIrq irq;
  std::unique_ptr<VirtioMmio> dev;
  std::unique_ptr<TestDriver> driver;
  std::vector<DriverQueue> q;
};

TEST_F(VirtioBlkTest, ConfigCapacityAndFeatures) {
  Open(false);
  EXPECT_EQ(driver->Reg(reg::kDeviceId), 2u);
  EXPECT_EQ(dev->Read(reg::kConfig, 4), kImageBytes / 512);  // capacity, low word
  EXPECT_EQ(dev->Read(reg::kConfig + 4, 4), 0u);
  EXPECT_EQ(dev->Read(reg::kConfig + 20, 4), 512u);  // blk_size
  EXPECT_FALSE(driver->DeviceFeatures() & kFeatureRo);
}

TEST_F(VirtioBlkTest, ReadAcrossBuffers) {
  Open(false);
  const uint64_t a = mem.Alloc(1000), b = mem.Alloc(3096), s = mem.Alloc(1);
  driver->Submit(
      q[0], {{Header(kBlkTypeIn, 10), 16, false}, {a, 1000, true}, {b, 3096, true}, {s, 1, true}});
  const UsedElem used = Wait();
  EXPECT_EQ(used.len, 4097u);  // data + status
  EXPECT_EQ(mem.Get<uint8_t>(s), kBlkStatusOk);
  EXPECT_EQ(mem.GetBytes(a, 1000) + mem.GetBytes(b, 3096), image.content().substr(10 * 512, 4096));
  EXPECT_TRUE(irq.WaitRises(0));
}

TEST_F(VirtioBlkTest, WriteLandsInFile) {
  Open(false);
  const std::string data = Pattern(8192, 7);
  const uint64_t d = mem.Alloc(8192), s = mem.Alloc(1);
  mem.PutBytes(d, data);
  driver->Submit(q[0], {{Header(kBlkTypeOut, 100), 16, false}, {d, 8192, false}, {s, 1, true}});
  const UsedElem used = Wait();
  EXPECT_EQ(used.len, 1u);
  EXPECT_EQ(mem.Get<uint8_t>(s), kBlkStatusOk);
  EXPECT_EQ(image.ReadBack(100 * 512, 8192), data);
  EXPECT_EQ(image.ReadBack(99 * 512, 512), image.content().substr(99 * 512, 512));  // untouched
}

TEST_F(VirtioBlkTest, HeaderAndDataInOneBuffer) {
  Open(false);
  // Drivers may merge buffers: header and data share one readable descriptor.
  const uint64_t h = Header(kBlkTypeOut, 3);
  const uint64_t d = mem.Alloc(512);  // allocated right after the header
  ASSERT_EQ(d, h + 16);
  const std::string data = Pattern(512, 9);
  mem.PutBytes(d, data);
  const uint64_t s = mem.Alloc(1);
  driver->Submit(q[0], {{h, 16 + 512, false}, {s, 1, true}});
  Wait();
  EXPECT_EQ(mem.Get<uint8_t>(s), kBlkStatusOk);
  EXPECT_EQ(image.ReadBack(3 * 512, 512), data);
}

TEST_F(VirtioBlkTest, ManyRequestsInFlight) {
  Open(false);
  struct Req {
    uint64_t data, status;
    uint64_t sector;
  };
  std::vector<Req> reqs;
  for (uint64_t i = 0; i < 8; ++i) {
    Req r{mem.Alloc(512), mem.Alloc(1), 200 + 3 * i};
    driver->Submit(
        q[0], {{Header(kBlkTypeIn, r.sector), 16, false}, {r.data, 512, true}, {r.status, 1, true}},
        /*kick=*/false);
    reqs.push_back(r);
  }
  driver->Kick(q[0]);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(Wait().len, 513u);
  for (const Req& r : reqs) {
    EXPECT_EQ(mem.Get<uint8_t>(r.status), kBlkStatusOk);
    EXPECT_EQ(mem.GetBytes(r.data, 512), image.content().substr(r.sector * 512, 512));
  }
}

TEST_F(VirtioBlkTest, Flush) {
  Open(false);
  const uint64_t s = mem.Alloc(1);
  mem.Put<uint8_t>(s, 0xff);
  driver->Submit(q[0], {{Header(kBlkTypeFlush, 0), 16, false}, {s, 1, true}});
  EXPECT_EQ(Wait().len, 1u);
  EXPECT_EQ(mem.Get<uint8_t>(s), kBlkStatusOk);
}

TEST_F(VirtioBlkTest, GetId) {
  Open(false);
  const uint64_t id = mem.Alloc(20), s = mem.Alloc(1);
  driver->Submit(q[0], {{Header(kBlkTypeGetId, 0), 16, false}, {id, 20, true}, {s, 1, true}});
  EXPECT_EQ(Wait().len, 21u);
  EXPECT_EQ(mem.GetBytes(id, 20), std::string("polyvm-disk-0") + std::string(7, '\0'));
  EXPECT_EQ(mem.Get<uint8_t>(s), kBlkStatusOk);
}

TEST_F(VirtioBlkTest, ReadOnlyRejectsWrites) {
  Open(true);
  EXPECT_TRUE(driver->DeviceFeatures() & kFeatureRo);
  const uint64_t d = mem.Alloc(512), s = mem.Alloc(1);
  mem.PutBytes(d, std::string(512, 'X'));
  driver->Submit(q[0], {{Header(kBlkTypeOut, 0), 16, false}, {d, 512, false}, {s, 1, true}});
  Wait();
  EXPECT_EQ(mem.Get<uint8_t>(s), kBlkStatusIoErr);
  EXPECT_EQ(image.ReadBack(0, 512), image.content().substr(0, 512));
  // Reads still work.
  const uint64_t r = mem.Alloc(512), s2 = mem.Alloc(1);
  driver->Submit(q[0], {{Header(kBlkTypeIn, 0), 16, false}, {r, 512, true}, {s2, 1, true}});
  Wait();
  EXPECT_EQ(mem.Get<uint8_t>(s2), kBlkStatusOk);
  EXPECT_EQ(mem.GetBytes(r, 512), image.content().substr(0, 512));
}

TEST_F(VirtioBlkTest, OutOfRangeAndPartialSectors) {
  Open(false);
  const uint64_t d = mem.Alloc(1024), s = mem.Alloc(1);
  const uint64_t last = kImageBytes / 512 - 1;
  driver->Submit(q[0], {{Header(kBlkTypeIn, last), 16, false}, {d, 1024, true}, {s, 1, true}});
  Wait();
  EXPECT_EQ(mem.Get<uint8_t>(s), kBlkStatusIoErr);  // second sector is past the end
  driver->Submit(q[0],
                 {{Header(kBlkTypeIn, ~uint64_t{0}), 16, false}, {d, 512, true}, {s, 1, true}});
  Wait();
  EXPECT_EQ(mem.Get<uint8_t>(s), kBlkStatusIoErr);  // sector * 512 would overflow
  driver->Submit(q[0], {{Header(kBlkTypeIn, 0), 16, false}, {d, 100, true}, {s, 1, true}});
  Wait();
  EXPECT_EQ(mem.Get<uint8_t>(s), kBlkStatusIoErr);  // not a whole sector
  driver->Submit(q[0], {{Header(11 /* DISCARD */, 0), 16, false}, {s, 1, true}});
  Wait();
  EXPECT_EQ(mem.Get<uint8_t>(s), kBlkStatusUnsupported);
}

TEST_F(VirtioBlkTest, MalformedRequestNeedsReset) {
  Open(false);
  const uint64_t h = Header(kBlkTypeIn, 0);
  driver->Submit(q[0], {{h, 8, false}, {mem.Alloc(1), 1, true}});  // header of 8 bytes
  EXPECT_TRUE(driver->Status() & VirtioMmio::kStatusNeedsReset);
  EXPECT_NE(dev->last_error().find("header"), std::string::npos);
}

TEST_F(VirtioBlkTest, ResetWithRequestsInFlight) {
  Open(false);
  for (int i = 0; i < 16; ++i) {
    driver->Submit(q[0],
                   {{Header(kBlkTypeIn, 0), 16, false},
                    {mem.Alloc(4096), 4096, true},
                    {mem.Alloc(1), 1, true}},
                   /*kick=*/false);
  }
  driver->Kick(q[0]);
  driver->SetReg(reg::kStatus, 0);  // waits for the disk, then forgets the queue
  EXPECT_EQ(driver->Status(), 0u);
}

TEST(VirtioBlkOpenTest, MissingFile) {
  std::string error;
  EXPECT_EQ(MakeVirtioBlk({"/nonexistent/polyvm.img", false, ""}, &error), nullptr);
  EXPECT_NE(error.find("/nonexistent/polyvm.img"), std::string::npos);
}

TEST(VirtioBlkOpenTest, Directory) {
  std::string error;
  EXPECT_EQ(MakeVirtioBlk({"/", true, ""}, &error), nullptr);
  EXPECT_NE(error.find("not a regular file"), std::string::npos);
}

}  // namespace
}  // namespace polyvm::device::virtio

// The machine learns of every byte a device writes into guest RAM (so it can drop translated
// code there): the data of a read, written by the I/O thread, and the status byte.
namespace polyvm::device::virtio {
namespace {

class RecordingObserver final : public core::DmaWriteObserver {
 public:
  void OnDmaWrite(uint64_t gpa, uint64_t len) override {
    std::lock_guard lock(mu);
    writes.push_back({gpa, len});
  }
  std::mutex mu;
  std::vector<std::pair<uint64_t, uint64_t>> writes;
};

TEST_F(VirtioBlkTest, ReadReportsDmaWrites) {
  RecordingObserver observer;
  core::GuestRam ram = mem.ram();
  ram.set_write_observer(&observer);
  std::string error;
  auto blk = MakeVirtioBlk({image.path(), false, "polyvm-disk-0"}, &error);
  ASSERT_NE(blk, nullptr) << error;
  dev = std::make_unique<VirtioMmio>(std::move(blk), ram, irq);
  driver = std::make_unique<TestDriver>(*dev, mem);
  q = driver->Start(kFeatureVersion1 | kFeatureFlush, 1, 64);
  const uint64_t a = mem.Alloc(512), b = mem.Alloc(1024), s = mem.Alloc(1);
  driver->Submit(q[0], {{Header(kBlkTypeIn, 2), 16, false}, {a, 512, true}, {b, 1024, true},
                        {s, 1, true}});
  Wait();
  std::lock_guard lock(observer.mu);
  using W = std::pair<uint64_t, uint64_t>;
  EXPECT_NE(std::find(observer.writes.begin(), observer.writes.end(), W{a, 512}),
            observer.writes.end());
  EXPECT_NE(std::find(observer.writes.begin(), observer.writes.end(), W{b, 1024}),
            observer.writes.end());
  EXPECT_NE(std::find(observer.writes.begin(), observer.writes.end(), W{s, 1}),
            observer.writes.end());
}

}  // namespace
}  // namespace polyvm::device::virtio
