// Asynchronous reads, writes and flushes on a host file, completed on an I/O thread: io_uring
// when the host allows it, else one worker thread doing blocking preadv/pwritev/fdatasync.
// Used by virtio-blk so that a vCPU never waits for the disk.
#pragma once

#include <sys/uio.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace polyvm::device::virtio {

struct FileIo {
  enum class Op { kRead, kWrite, kFlush };
  Op op = Op::kRead;
  uint64_t offset = 0;
  std::vector<iovec> iov;  // host memory (inside guest RAM) that stays valid until done runs
  // Runs on the I/O thread: bytes transferred (reads and writes are retried until complete or an
  // error), or -errno.
  std::function<void(int64_t result)> done;
  // Set (release) by Submit and read (acquire) by the I/O thread: orders the submitter's writes
  // before the completion for tools that cannot see io_uring's own ordering (ThreadSanitizer).
  std::atomic<bool> submitted{false};
};

class AsyncFileIo {
 public:
  virtual ~AsyncFileIo() = default;  // waits for everything submitted to complete
  virtual void Submit(std::unique_ptr<FileIo> io) = 0;
  virtual std::string_view kind() const = 0;  // "io_uring" or "thread"
};

// fd stays owned by the caller and must outlive the returned object.
std::unique_ptr<AsyncFileIo> MakeUringFileIo(int fd, unsigned depth, std::string* error);
std::unique_ptr<AsyncFileIo> MakeThreadFileIo(int fd);

}  // namespace polyvm::device::virtio
