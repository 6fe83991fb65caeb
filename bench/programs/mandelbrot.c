/* Floating-point benchmark: escape-time Mandelbrot set over a fixed window (double multiply/add,
 * compare, data-dependent loop exits). size = image rows; the width is fixed at 512 columns. */
#include "bench.h"

enum { kWidth = 512, kMaxIter = 1000 };

int main(int argc, char** argv) {
  uint64_t rows = BenchSize(argc, argv);
  uint64_t checksum = 0, total_iter = 0;
  for (uint64_t y = 0; y < rows; ++y) {
    double ci = -1.25 + 2.5 * (double)y / (double)rows;
    uint64_t row_bits = 0;
    for (int x = 0; x < kWidth; ++x) {
      double cr = -2.0 + 2.75 * (double)x / (double)kWidth;
      double zr = 0.0, zi = 0.0, zr2 = 0.0, zi2 = 0.0;
      int it = 0;
      while (it < kMaxIter && zr2 + zi2 <= 4.0) {
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        zr2 = zr * zr;
        zi2 = zi * zi;
        ++it;
      }
      total_iter += (uint64_t)it;
      row_bits = Mix64(row_bits, (uint64_t)it ^ DoubleBits(zr2 + zi2));
    }
    checksum = Mix64(checksum, row_bits);
  }
  BenchReport("mandelbrot", rows, Mix64(checksum, total_iter));
  return 0;
}
