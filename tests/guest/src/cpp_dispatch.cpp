// Guest test: indirect calls the C++ way: virtual dispatch (multiple and virtual inheritance,
// dynamic_cast, typeid), std::function and capturing lambdas, templates (variadic, CRTP,
// constexpr), std::variant/std::visit, smart pointers, and static constructors/destructors whose
// output at exit is part of the compared stdout.
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <typeinfo>
#include <variant>
#include <vector>

namespace {

struct StaticGreeter {
  explicit StaticGreeter(const char* n) : name(n) { std::printf("static init %s\n", name); }
  ~StaticGreeter() { std::printf("static fini %s\n", name); }
  const char* name;
};
StaticGreeter g_first("first");
StaticGreeter g_second("second");

struct Shape {
  virtual ~Shape() = default;
  virtual double Area() const = 0;
  virtual std::string Name() const { return "shape"; }
};
struct Rect : Shape {
  Rect(double w, double h) : w_(w), h_(h) {}
  double Area() const override { return w_ * h_; }
  std::string Name() const override { return "rect"; }
  double w_, h_;
};
struct Square final : Rect {
  explicit Square(double s) : Rect(s, s) {}
  std::string Name() const override { return "square"; }
};
struct Circle : Shape {
  explicit Circle(double r) : r_(r) {}
  double Area() const override { return 3.0 * r_ * r_; }  // exact in binary, unlike pi
  double r_;
};

// Diamond with virtual inheritance: the this-adjusting thunks and vbase offsets.
struct Base {
  virtual ~Base() = default;
  virtual int Id() const { return 1; }
  int base_value = 100;
};
struct Left : virtual Base {
  int Id() const override { return 2; }
  virtual int LeftOnly() const { return 20 + base_value; }
};
struct Right : virtual Base {
  virtual int RightOnly() const { return 30 + base_value; }
};
struct Bottom : Left, Right {
  int Id() const override { return 4; }
  int RightOnly() const override { return 40 + base_value; }
};

void Virtuals() {
  std::printf("-- virtual dispatch\n");
  std::vector<std::unique_ptr<Shape>> shapes;
  for (int i = 1; i <= 6; ++i) {
    if (i % 3 == 0)
      shapes.push_back(std::make_unique<Circle>(i));
    else if (i % 3 == 1)
      shapes.push_back(std::make_unique<Rect>(i, i + 0.5));
    else
      shapes.push_back(std::make_unique<Square>(i));
  }
  double total = 0;
  for (const auto& s : shapes) {
    total += s->Area();
    const Rect* r = dynamic_cast<const Rect*>(s.get());
    std::printf("%s area %.2f rect? %d square? %d typeid %s\n", s->Name().c_str(), s->Area(),
                r != nullptr, dynamic_cast<const Square*>(s.get()) != nullptr, typeid(*s).name());
  }
  std::printf("total %.2f\n", total);
  Bottom b;
  b.base_value = 7;
  Right* rp = &b;
  Left* lp = &b;
  Base* bp = rp;
  std::printf("diamond: id %d/%d/%d left %d right %d cross-cast %d\n", bp->Id(), lp->Id(), rp->Id(),
              lp->LeftOnly(), rp->RightOnly(), dynamic_cast<Left*>(rp) == lp);
}

template <typename Derived>
struct Counter {
  int Bump() { return ++static_cast<Derived*>(this)->count_ * Derived::kStep; }
};
struct ByTwo : Counter<ByTwo> {
  static constexpr int kStep = 2;
  int count_ = 0;
};

template <typename... Ts>
constexpr auto SumAll(Ts... xs) {
  return (xs + ... + 0);
}

template <typename T>
constexpr T Power(T base, unsigned e) {
  return e == 0 ? T(1) : base * Power(base, e - 1);
}

template <unsigned N>
struct Fib {
  static constexpr unsigned long long kValue = Fib<N - 1>::kValue + Fib<N - 2>::kValue;
};
template <>
struct Fib<0> {
  static constexpr unsigned long long kValue = 0;
};
template <>
struct Fib<1> {
  static constexpr unsigned long long kValue = 1;
};

template <typename T>
std::string Describe(const T& x) {
  if constexpr (std::is_integral_v<T>)
    return "int:" + std::to_string(x);
  else if constexpr (std::is_floating_point_v<T>)
    return "fp:" + std::to_string(x);
  else
    return "other:" + std::string(x);
}

void Templates() {
  std::printf("-- templates\n");
  ByTwo c;
  int last = 0;
  for (int i = 0; i < 5; ++i) last = c.Bump();
  static_assert(Fib<50>::kValue == 12586269025ULL);
  std::printf("crtp %d sum %d %.2f power %lld %.6f fib90 %llu\n", last, SumAll(1, 2, 3, 4),
              SumAll(0.5, 0.25), Power(3LL, 20), Power(1.5, 7), Fib<90>::kValue);
  std::printf("%s %s %s\n", Describe(42).c_str(), Describe(0.5).c_str(), Describe("text").c_str());
}

using Value = std::variant<int, double, std::string>;

void Functional() {
  std::printf("-- std::function, lambdas, variant\n");
  std::map<std::string, std::function<long(long, long)>> ops = {
      {"add", [](long a, long b) { return a + b; }},
      {"mul", [](long a, long b) { return a * b; }},
      {"sub", std::minus<long>()},
      {"max", [](long a, long b) { return a > b ? a : b; }}};
  long acc = 1;
  int step = 0;
  auto counter = [&step]() mutable { return ++step; };
  for (int i = 0; i < 12; ++i)
    for (auto& [name, fn] : ops) acc = fn(acc, counter()) % 1000003;
  std::printf("ops result %ld after %d steps\n", acc, step);
  std::function<long(int)> fact = [&fact](int n) -> long { return n <= 1 ? 1 : n * fact(n - 1); };
  std::printf("recursive lambda 20! = %ld\n", fact(20));
  auto compose = [](auto f, auto g) { return [=](auto x) { return f(g(x)); }; };
  auto inc_then_sq = compose([](long x) { return x * x; }, [](long x) { return x + 1; });
  std::printf("compose %ld\n", inc_then_sq(9));
  auto bound = std::bind(&Rect::Area, Rect(2, 8));
  std::printf("bind %.1f\n", bound());
  std::vector<Value> values = {1, 2.5, std::string("three"), 4, std::string("five")};
  std::string out;
  for (const auto& v : values)
    out += std::visit(
        [](const auto& x) -> std::string {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::string>)
            return "s(" + x + ")";
          else
            return "n(" + std::to_string(x) + ")";
        },
        v);
  std::printf("visit %s index %zu\n", out.c_str(), values[2].index());
  std::optional<int> maybe;
  int before = maybe.value_or(-1);
  maybe = 5;
  std::printf("optional %d %d\n", before, *maybe);
  auto shared = std::make_shared<std::string>("shared");
  std::weak_ptr<std::string> weak = shared;
  {
    auto copy = shared;
    std::printf("use_count %ld\n", shared.use_count());
  }
  shared.reset();
  std::printf("expired %d\n", weak.expired());
}

}  // namespace

int main() {
  Virtuals();
  Templates();
  Functional();
  std::printf("main returns\n");
  return 0;
}
