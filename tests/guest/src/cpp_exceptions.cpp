// Guest test: C++ exceptions: throw/catch across frames, nesting, rethrow, the std::exception
// hierarchy, destructors run during unwinding, exceptions from constructors, noexcept, and
// std::exception_ptr. The unwinder reads the guest's .eh_frame and restores callee-saved registers.
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <system_error>
#include <typeinfo>
#include <vector>

namespace {

std::string g_log;

struct Tracer {
  explicit Tracer(std::string name) : name_(std::move(name)) { g_log += "+" + name_; }
  ~Tracer() { g_log += "-" + name_; }
  std::string name_;
};

struct MyError : std::runtime_error {
  MyError(const std::string& what, int code) : std::runtime_error(what), code_(code) {}
  int code_;
};

struct NotDerived {
  int value;
};

__attribute__((noinline)) int Level3(int kind) {
  Tracer t("L3");
  switch (kind) {
    case 0: return 42;
    case 1: throw std::out_of_range("index 7 out of range");
    case 2: throw MyError("custom failure", 17);
    case 3: throw NotDerived{99};
    case 4: throw 3.5;
    case 5: throw std::string("a string");
    case 6: {
      std::vector<int> v(3);
      return v.at(10);
    }
    case 7:
      throw std::system_error(std::make_error_code(std::errc::no_such_file_or_directory), "open");
    default: throw std::bad_alloc();
  }
}

__attribute__((noinline)) int Level2(int kind) {
  Tracer t("L2");
  double local_fp = kind * 1.25;  // live across the call: the unwinder must not corrupt it
  int r = Level3(kind);
  return r + static_cast<int>(local_fp);
}

__attribute__((noinline)) int Level1(int kind) {
  Tracer t("L1");
  try {
    return Level2(kind);
  } catch (const std::logic_error& e) {
    g_log += "[L1 logic:" + std::string(e.what()) + "]";
    throw;  // rethrow the same object
  }
}

void AcrossFrames() {
  std::printf("-- throw across frames\n");
  for (int kind = 0; kind <= 8; ++kind) {
    g_log.clear();
    std::string outcome;
    try {
      outcome = "returned " + std::to_string(Level1(kind));
    } catch (const MyError& e) {
      outcome = "MyError(" + std::string(e.what()) + ", " + std::to_string(e.code_) + ")";
    } catch (const std::system_error& e) {
      outcome = std::string("system_error ") + e.code().message();
    } catch (const std::out_of_range& e) {
      outcome = std::string("out_of_range: ") + e.what();
    } catch (const std::exception& e) {
      outcome = std::string("std::exception ") + typeid(e).name() + ": " + e.what();
    } catch (const NotDerived& e) {
      outcome = "NotDerived " + std::to_string(e.value);
    } catch (double d) {
      outcome = "double " + std::to_string(d);
    } catch (...) {
      outcome = "something else";
    }
    std::printf("kind %d: %s; trace %s\n", kind, outcome.c_str(), g_log.c_str());
  }
}

void Nested() {
  std::printf("-- nested try, exception while handling, nested_exception\n");
  g_log.clear();
  try {
    Tracer a("a");
    try {
      Tracer b("b");
      throw std::runtime_error("inner");
    } catch (const std::exception& e) {
      g_log += "[caught " + std::string(e.what()) + "]";
      try {
        throw std::logic_error("while handling");
      } catch (const std::logic_error& e2) {
        g_log += "[caught " + std::string(e2.what()) + "]";
      }
      std::throw_with_nested(std::runtime_error("outer"));
    }
  } catch (const std::exception& e) {
    g_log += "[top " + std::string(e.what());
    try {
      std::rethrow_if_nested(e);
    } catch (const std::exception& inner) {
      g_log += " <- " + std::string(inner.what());
    }
    g_log += "]";
  }
  std::printf("%s\n", g_log.c_str());
}

struct Member {
  explicit Member(int v) : t("m" + std::to_string(v)) {
    if (v == 2) throw std::invalid_argument("member 2 refuses");
  }
  Tracer t;
};

struct Composite {
  Composite() : m1(1), m2(2), m3(3) { g_log += "[body]"; }
  Member m1, m2, m3;
};

void Constructors() {
  std::printf("-- exception from a constructor destroys the built members only\n");
  g_log.clear();
  try {
    Composite c;
  } catch (const std::invalid_argument& e) {
    g_log += std::string("[") + e.what() + "]";
  }
  std::printf("%s\n", g_log.c_str());
  g_log.clear();
  try {
    auto p = std::make_unique<Tracer>("heap");
    std::vector<Tracer> v;
    v.reserve(4);
    v.emplace_back("v0");
    v.emplace_back("v1");
    throw std::length_error("unwind containers");
  } catch (const std::length_error& e) {
    g_log += std::string("[") + e.what() + "]";
  }
  std::printf("%s\n", g_log.c_str());
}

void ExceptionPtr() {
  std::printf("-- exception_ptr, noexcept, function\n");
  std::exception_ptr saved;
  try {
    Level3(2);
  } catch (...) {
    saved = std::current_exception();
  }
  try {
    std::rethrow_exception(saved);
  } catch (const MyError& e) {
    std::printf("rethrown from exception_ptr: %s %d\n", e.what(), e.code_);
  }
  auto make = [](int n) -> std::function<int()> {
    return [n]() -> int {
      if (n % 3 == 0) throw std::overflow_error("multiple of 3: " + std::to_string(n));
      return n * n;
    };
  };
  long sum = 0;
  int caught = 0;
  for (int i = 1; i <= 30; ++i) {
    try {
      sum += make(i)();
    } catch (const std::overflow_error&) {
      ++caught;
    }
  }
  std::printf("sum %ld caught %d noexcept(Level3) %d\n", sum, caught, noexcept(Level3(0)) ? 1 : 0);
  // Many throws in a loop: the unwinder's caches and allocation of exception objects.
  int count = 0;
  for (int i = 0; i < 2000; ++i) {
    try {
      if (i % 2) throw i;
      throw std::to_string(i);
    } catch (int v) {
      count += v % 3;
    } catch (const std::string& s) {
      count += static_cast<int>(s.size());
    }
  }
  std::printf("loop count %d\n", count);
}

}  // namespace

int main() {
  AcrossFrames();
  Nested();
  Constructors();
  ExceptionPtr();
  return 0;
}
