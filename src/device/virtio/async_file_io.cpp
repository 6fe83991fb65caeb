#include "polyvm/device/virtio/async_file_io.h"

#include <liburing.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

namespace polyvm::device::virtio {

namespace {

uint64_t TotalBytes(const FileIo& io) {
  uint64_t n = 0;
  for (const iovec& v : io.iov) n += v.iov_len;
  return n;
}

// Performs the rest of a read or write after `done` bytes, blocking (on the I/O thread only).
// Returns the total transferred, or -errno.
int64_t FinishBlocking(int fd, FileIo& io, uint64_t done) {
  const uint64_t total = TotalBytes(io);
  while (done < total) {
    // Skip the iovecs (and part of one) already transferred.
    std::vector<iovec> rest;
    uint64_t skip = done;
    for (const iovec& v : io.iov) {
      if (skip >= v.iov_len) {
        skip -= v.iov_len;
        continue;
      }
      rest.push_back({static_cast<uint8_t*>(v.iov_base) + skip, v.iov_len - skip});
      skip = 0;
    }
    const int count = static_cast<int>(std::min<size_t>(rest.size(), IOV_MAX));
    const off_t at = static_cast<off_t>(io.offset + done);
    const ssize_t n = io.op == FileIo::Op::kRead ? preadv(fd, rest.data(), count, at)
                                                 : pwritev(fd, rest.data(), count, at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -errno;
    if (n == 0) return -EIO;  // end of file inside a range that was checked to exist
    done += static_cast<uint64_t>(n);
  }
  return static_cast<int64_t>(done);
}

int64_t RunBlocking(int fd, FileIo& io) {
  if (io.op == FileIo::Op::kFlush) {
    while (fdatasync(fd) != 0) {
      if (errno != EINTR) return -errno;
    }
    return 0;
  }
  return FinishBlocking(fd, io, 0);
}

// Counts submitted-but-not-completed operations so destructors can wait for them.
class InFlight {
 public:
  void Add() {
    std::lock_guard lock(mu_);
    ++count_;
  }
  void Done() {
    std::lock_guard lock(mu_);
    if (--count_ == 0) cv_.notify_all();
  }
  void WaitIdle() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return count_ == 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t count_ = 0;
};

class UringFileIo final : public AsyncFileIo {
 public:
  // The ring is set up in place (its struct is not meant to be copied) before the reaper starts.
  static std::unique_ptr<UringFileIo> Create(int fd, unsigned depth, std::string* error) {
    std::unique_ptr<UringFileIo> io(new UringFileIo(fd));
    const int ret = io_uring_queue_init(depth, &io->ring_, 0);
    if (ret < 0) {
      *error = std::string("io_uring_queue_init: ") + std::strerror(-ret);
      io->ring_ok_ = false;
      return nullptr;
    }
    io->reaper_ = std::thread([raw = io.get()] { raw->Reap(); });
    return io;
  }
  ~UringFileIo() override {
    if (!ring_ok_) return;
    in_flight_.WaitIdle();
    {
      std::lock_guard lock(submit_mu_);
      io_uring_sqe* sqe = GetSqe();
      if (sqe != nullptr) {
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data(sqe, nullptr);  // the stop marker
        io_uring_submit(&ring_);
      }
    }
    reaper_.join();
    io_uring_queue_exit(&ring_);
  }

  void Submit(std::unique_ptr<FileIo> io) override {
    in_flight_.Add();
    std::unique_lock lock(submit_mu_);
    io_uring_sqe* sqe = GetSqe();
    if (sqe == nullptr) {
      lock.unlock();
      Complete(io.release(), -EAGAIN);
      return;
    }
    FileIo* raw = io.release();
    switch (raw->op) {
      case FileIo::Op::kRead:
        io_uring_prep_readv(sqe, fd_, raw->iov.data(), static_cast<unsigned>(raw->iov.size()),
                            raw->offset);
        break;
      case FileIo::Op::kWrite:
        io_uring_prep_writev(sqe, fd_, raw->iov.data(), static_cast<unsigned>(raw->iov.size()),
                             raw->offset);
        break;
      case FileIo::Op::kFlush: io_uring_prep_fsync(sqe, fd_, IORING_FSYNC_DATASYNC); break;
    }
    io_uring_sqe_set_data(sqe, raw);
    raw->submitted.store(true, std::memory_order_release);  // last touch before the kernel's
    const int submitted = io_uring_submit(&ring_);
    if (submitted < 0) {
      // The kernel refused the submission; the request never left the ring.
      lock.unlock();
      Complete(raw, submitted);
    }
  }

  std::string_view kind() const override { return "io_uring"; }

 private:
  explicit UringFileIo(int fd) : fd_(fd) {}

  io_uring_sqe* GetSqe() {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    if (sqe == nullptr) {
      io_uring_submit(&ring_);
      sqe = io_uring_get_sqe(&ring_);
    }
    return sqe;
  }

  void Complete(FileIo* io, int64_t result) {
    io->done(result);
    delete io;
    in_flight_.Done();
  }

  void Reap() {
    for (;;) {
      io_uring_cqe* cqe = nullptr;
      const int ret = io_uring_wait_cqe(&ring_, &cqe);
      if (ret == -EINTR) continue;
      if (ret < 0) return;  // the ring is broken: nothing more can complete
      auto* io = static_cast<FileIo*>(io_uring_cqe_get_data(cqe));
      int64_t result = cqe->res;
      io_uring_cqe_seen(&ring_, cqe);
      if (io == nullptr) return;
      (void)io->submitted.load(std::memory_order_acquire);
      if (io->op != FileIo::Op::kFlush && result >= 0 &&
          static_cast<uint64_t>(result) < TotalBytes(*io)) {
        result = FinishBlocking(fd_, *io, static_cast<uint64_t>(result));  // short transfer
      }
      Complete(io, result);
    }
  }

  int fd_;
  io_uring ring_{};
  bool ring_ok_ = true;
  std::mutex submit_mu_;  // the submission queue has one producer at a time
  InFlight in_flight_;
  std::thread reaper_;
};

class ThreadFileIo final : public AsyncFileIo {
 public:
  explicit ThreadFileIo(int fd) : fd_(fd) {
    worker_ = std::thread([this] { Work(); });
  }
  ~ThreadFileIo() override {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    worker_.join();
  }

  void Submit(std::unique_ptr<FileIo> io) override {
    {
      std::lock_guard lock(mu_);
      queue_.push_back(std::move(io));
    }
    cv_.notify_all();
  }

  std::string_view kind() const override { return "thread"; }

 private:
  void Work() {
    for (;;) {
      std::unique_ptr<FileIo> io;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stop requested and everything done
        io = std::move(queue_.front());
        queue_.pop_front();
      }
      const int64_t result = RunBlocking(fd_, *io);
      io->done(result);
    }
  }

  int fd_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<FileIo>> queue_;
  bool stop_ = false;
  std::thread worker_;
};

}  // namespace

std::unique_ptr<AsyncFileIo> MakeUringFileIo(int fd, unsigned depth, std::string* error) {
  return UringFileIo::Create(fd, depth, error);
}

std::unique_ptr<AsyncFileIo> MakeThreadFileIo(int fd) { return std::make_unique<ThreadFileIo>(fd); }

}  // namespace polyvm::device::virtio
