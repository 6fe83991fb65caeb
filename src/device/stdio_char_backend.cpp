#include "polyvm/device/stdio_char_backend.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

namespace polyvm::device {

StdioCharBackend::StdioCharBackend(int in_fd, int out_fd) : in_fd_(in_fd), out_fd_(out_fd) {
  stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (in_fd_ >= 0 && stop_fd_ >= 0) reader_ = std::thread([this] { ReaderLoop(); });
}

StdioCharBackend::~StdioCharBackend() {
  if (reader_.joinable()) {
    stopping_.store(true);
    const uint64_t one = 1;
    (void)!write(stop_fd_, &one, sizeof(one));
    reader_.join();
  }
  if (stop_fd_ >= 0) close(stop_fd_);
}

void StdioCharBackend::Write(std::span<const uint8_t> bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(out_fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // output closed or failing: the guest's bytes are dropped
    done += static_cast<size_t>(n);
  }
}

size_t StdioCharBackend::Read(std::span<uint8_t> out) {
  size_t n;
  bool was_full;
  {
    std::lock_guard lock(mu_);
    was_full = input_.size() >= kMaxBuffered;
    n = std::min(out.size(), input_.size());
    std::copy_n(input_.begin(), n, out.begin());
    input_.erase(input_.begin(), input_.begin() + static_cast<std::ptrdiff_t>(n));
  }
  if (was_full && n > 0) {
    const uint64_t one = 1;  // room again: wake the reader
    (void)!write(stop_fd_, &one, sizeof(one));
  }
  return n;
}

void StdioCharBackend::SetInputNotifier(std::function<void()> notify) {
  std::lock_guard lock(notify_mu_);
  notify_ = std::move(notify);
}

void StdioCharBackend::ReaderLoop() {
  uint8_t buffer[4096];
  bool input_open = true;
  for (;;) {
    bool full;
    {
      std::lock_guard lock(mu_);
      full = input_.size() >= kMaxBuffered;
    }
    pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {in_fd_, POLLIN, 0}};
    const nfds_t count = (input_open && !full) ? 2 : 1;
    if (poll(fds, count, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[0].revents & POLLIN) {
      uint64_t value = 0;
      (void)!read(stop_fd_, &value, sizeof(value));
    }
    if (stopping_.load()) return;
    if (count < 2) continue;
    if (fds[1].revents & POLLNVAL) {
      input_open = false;  // the caller closed the fd under us: stop reading it
      continue;
    }
    if (!(fds[1].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    const ssize_t n = read(in_fd_, buffer, sizeof(buffer));
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      input_open = false;  // end of input: the guest simply sees no more bytes
      continue;
    }
    {
      std::lock_guard lock(mu_);
      input_.insert(input_.end(), buffer, buffer + n);
    }
    std::lock_guard lock(notify_mu_);
    if (notify_) notify_();
  }
}

}  // namespace polyvm::device
