/* Floating-point benchmark: the classic five-body planetary simulation (double precision, sqrt
 * and division in the inner loop). Built with -ffp-contract=off so host and guest round alike.
 * size = simulation steps. */
#include <math.h>

#include "bench.h"

enum { kBodies = 5 };

typedef struct {
  double x, y, z, vx, vy, vz, mass;
} Body;

static const double kPi = 3.141592653589793;
static const double kDaysPerYear = 365.24;

static void Advance(Body* b, double dt) {
  for (int i = 0; i < kBodies; ++i) {
    for (int j = i + 1; j < kBodies; ++j) {
      double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
      double d2 = dx * dx + dy * dy + dz * dz;
      double mag = dt / (d2 * sqrt(d2));
      b[i].vx -= dx * b[j].mass * mag;
      b[i].vy -= dy * b[j].mass * mag;
      b[i].vz -= dz * b[j].mass * mag;
      b[j].vx += dx * b[i].mass * mag;
      b[j].vy += dy * b[i].mass * mag;
      b[j].vz += dz * b[i].mass * mag;
    }
  }
  for (int i = 0; i < kBodies; ++i) {
    b[i].x += dt * b[i].vx;
    b[i].y += dt * b[i].vy;
    b[i].z += dt * b[i].vz;
  }
}

static double Energy(const Body* b) {
  double e = 0.0;
  for (int i = 0; i < kBodies; ++i) {
    e += 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
    for (int j = i + 1; j < kBodies; ++j) {
      double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
      e -= b[i].mass * b[j].mass / sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

int main(int argc, char** argv) {
  uint64_t steps = BenchSize(argc, argv);
  const double solar_mass = 4 * kPi * kPi;
  Body bodies[kBodies] = {
      {0, 0, 0, 0, 0, 0, solar_mass},
      {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
       1.66007664274403694e-03 * kDaysPerYear, 7.69901118419740425e-03 * kDaysPerYear,
       -6.90460016972063023e-05 * kDaysPerYear, 9.54791938424326609e-04 * solar_mass},
      {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
       -2.76742510726862411e-03 * kDaysPerYear, 4.99852801234917238e-03 * kDaysPerYear,
       2.30417297573763929e-05 * kDaysPerYear, 2.85885980666130812e-04 * solar_mass},
      {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
       2.96460137564761618e-03 * kDaysPerYear, 2.37847173959480950e-03 * kDaysPerYear,
       -2.96589568540237556e-05 * kDaysPerYear, 4.36624404335156298e-05 * solar_mass},
      {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
       2.68067772490389322e-03 * kDaysPerYear, 1.62824170038242295e-03 * kDaysPerYear,
       -9.51592254519715870e-05 * kDaysPerYear, 5.15138902046611451e-05 * solar_mass},
  };
  /* Offset the sun's momentum so the system's total momentum is zero. */
  double px = 0, py = 0, pz = 0;
  for (int i = 0; i < kBodies; ++i) {
    px += bodies[i].vx * bodies[i].mass;
    py += bodies[i].vy * bodies[i].mass;
    pz += bodies[i].vz * bodies[i].mass;
  }
  bodies[0].vx = -px / solar_mass;
  bodies[0].vy = -py / solar_mass;
  bodies[0].vz = -pz / solar_mass;

  uint64_t checksum = DoubleBits(Energy(bodies));
  for (uint64_t s = 0; s < steps; ++s) Advance(bodies, 0.01);
  double e = Energy(bodies);
  checksum = Mix64(checksum, DoubleBits(e));
  for (int i = 0; i < kBodies; ++i) checksum = Mix64(checksum, DoubleBits(bodies[i].x));
  BenchReport("nbody", steps, checksum);
  return 0;
}
