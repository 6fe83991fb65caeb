// Guest test: iostream formatting and parsing: std::cout with setprecision/fixed/scientific/hex/
// setw/setfill/showpos/boolalpha, stringstreams both ways, std::cerr (stderr is compared too), and
// std::cin reading the harness-provided stdin.
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace {

void Numbers() {
  std::cout << "-- numbers\n";
  const double values[] = {0.0, 1.0, -2.5, 3.14159265358979, 1e-5, 123456789.125, 6.02214076e23};
  for (double v : values) {
    std::cout << v << " | " << std::setprecision(3) << v << " | " << std::fixed << v << " | "
              << std::scientific << v << " | " << std::hexfloat << v << std::defaultfloat
              << std::setprecision(17) << " | " << v << std::setprecision(6) << "\n";
  }
  const long ints[] = {0, 1, -1, 255, -4096, 1234567890123L, std::numeric_limits<long>::min()};
  for (long i : ints) {
    std::cout << std::dec << i << " hex " << std::hex << i << " HEX " << std::uppercase
              << std::showbase << i << std::nouppercase << std::noshowbase << " oct " << std::oct
              << i << std::dec << " [" << std::setw(12) << i << "] [" << std::left << std::setw(12)
              << i << std::right << "] [" << std::setfill('0') << std::setw(12) << i
              << std::setfill(' ') << "] [" << std::internal << std::showpos << std::setw(12) << i
              << std::noshowpos << std::right << "]\n";
  }
  std::cout << std::boolalpha << true << " " << false << std::noboolalpha << " " << true << "\n";
  std::cout << std::showpoint << 2.0 << " " << std::noshowpoint << 2.0 << "\n";
  std::cout << static_cast<unsigned>(static_cast<unsigned char>('A')) << " " << 'A' << " "
            << static_cast<int>(static_cast<signed char>(-3)) << "\n";
  std::cout << std::numeric_limits<double>::max() << " " << std::numeric_limits<float>::min() << " "
            << std::numeric_limits<double>::infinity() << "\n";
}

void Streams() {
  std::cout << "-- stringstream\n";
  std::istringstream in("42 -17 3.75 word 0x1f 1e3 true tail-of-line\nsecond line");
  int a = 0, b = 0;
  double c = 0;
  std::string w;
  in >> a >> b >> c >> w;
  int h = 0;
  in >> std::hex >> h >> std::dec;
  double e = 0;
  in >> e;
  bool flag = false;
  in >> std::boolalpha >> flag;
  std::string rest;
  std::getline(in, rest);
  std::string second;
  std::getline(in, second);
  std::cout << a << " " << b << " " << c << " " << w << " " << h << " " << e << " " << flag << " ["
            << rest << "] [" << second << "] eof " << in.eof() << "\n";
  std::istringstream bad("12abc");
  int x = 0;
  std::string tail;
  bad >> x >> tail;
  std::cout << "partial: " << x << " " << tail << "\n";
  std::istringstream fail("abc");
  fail >> x;
  std::cout << "fail: " << fail.fail() << " x " << x << "\n";
  std::ostringstream out;
  out << std::setw(8) << std::setfill('*') << "pad" << '|' << std::left << std::setw(6) << 12 << '|'
      << std::fixed << std::setprecision(2) << 1.005 << '|' << 2.675;
  std::cout << out.str() << " (" << out.str().size() << ")\n";
}

void Cin() {
  std::cout << "-- cin (stdin from the harness)\n";
  std::string line;
  std::vector<std::string> lines;
  long total = 0;
  while (std::getline(std::cin, line)) {
    lines.push_back(line);
    std::istringstream ls(line);
    long v = 0;
    while (ls >> v) total += v;
  }
  std::cout << "lines " << lines.size() << " total " << total << "\n";
  for (const auto& l : lines) std::cout << "[" << l << "] ";
  std::cout << "\n";
  std::cerr << "this line goes to stderr: " << total << std::endl;
  std::clog << "and this one through clog\n";
}

}  // namespace

int main() {
  Numbers();
  Streams();
  Cin();
  return 0;
}
