// Both AsyncFileIo implementations (io_uring and the worker thread) against a temporary file:
// reads and writes through several iovecs, flush, and errors reported as -errno.
#include "polyvm/device/virtio/async_file_io.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>

namespace polyvm::device::virtio {
namespace {

class AsyncFileIoTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    const char* dir = std::getenv("TMPDIR");
    path_ = std::string(dir != nullptr ? dir : "/tmp") + "/polyvm-aio-XXXXXX";
    fd_ = mkstemp(path_.data());
    ASSERT_GE(fd_, 0);
    if (GetParam()) {
      std::string error;
      io_ = MakeUringFileIo(fd_, 16, &error);
      if (io_ == nullptr) GTEST_SKIP() << "io_uring unavailable on this host: " << error;
      EXPECT_EQ(io_->kind(), "io_uring");
    } else {
      io_ = MakeThreadFileIo(fd_);
      EXPECT_EQ(io_->kind(), "thread");
    }
  }
  void TearDown() override {
    io_.reset();
    close(fd_);
    unlink(path_.c_str());
  }

  // Submits and waits (bounded) for the result.
  int64_t Run(FileIo::Op op, uint64_t offset, std::vector<iovec> iov) {
    auto io = std::make_unique<FileIo>();
    io->op = op;
    io->offset = offset;
    io->iov = std::move(iov);
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    int64_t result = 0;
    io->done = [&](int64_t r) {
      std::lock_guard lock(mu);
      result = r;
      done = true;
      cv.notify_all();
    };
    io_->Submit(std::move(io));
    std::unique_lock lock(mu);
    EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return done; }));
    return result;
  }

  std::string path_;
  int fd_ = -1;
  std::unique_ptr<AsyncFileIo> io_;
};

TEST_P(AsyncFileIoTest, WriteThenReadBack) {
  char a[] = "hello, ", b[] = "world";
  EXPECT_EQ(Run(FileIo::Op::kWrite, 100, {{a, 7}, {b, 5}}), 12);
  char check[12];
  ASSERT_EQ(pread(fd_, check, 12, 100), 12);
  EXPECT_EQ(std::string(check, 12), "hello, world");
  char x[5] = {}, y[7] = {};
  EXPECT_EQ(Run(FileIo::Op::kRead, 100, {{x, 5}, {y, 7}}), 12);
  EXPECT_EQ(std::string(x, 5) + std::string(y, 7), "hello, world");
  EXPECT_EQ(Run(FileIo::Op::kFlush, 0, {}), 0);
}

TEST_P(AsyncFileIoTest, ReadPastEndIsAnError) {
  char buf[16];
  EXPECT_LT(Run(FileIo::Op::kRead, 1 << 20, {{buf, sizeof(buf)}}), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, AsyncFileIoTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "io_uring" : "thread"; });

}  // namespace
}  // namespace polyvm::device::virtio
