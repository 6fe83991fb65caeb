#!/usr/bin/env python3
"""A/B comparison of two polyvm binaries on the benchmark programs, interleaved.

On a shared, noisy machine two separate bench/run.py runs can differ by 20-30% per program; this
runs the two binaries back to back for every repetition (alternating which goes first) and reports
the median CPU time (user+sys of the child) of each and their ratio. Both runs' outputs must be
identical (the checksum line), or the comparison stops.

  python3 bench/ab.py --base OLD/polyvm --new build-release/polyvm --build build-release \\
      [--arch riscv64|aarch64] [--engines hybrid,jit] [--repeat 5] [prog ...]
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import LoadTable  # noqa: E402  (the one table of programs)


def cpu_run(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        sys.exit(f"ab.py: {' '.join(cmd)} failed with status {out.returncode}: {out.stderr[-400:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, out.stdout.strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--base", required=True, help="the polyvm binary to compare against")
    ap.add_argument("--new", required=True, help="the polyvm binary being measured")
    ap.add_argument("--build", default="build", help="build directory holding bench/<arch>/")
    ap.add_argument("--arch", default="riscv64", choices=["riscv64", "aarch64"])
    ap.add_argument("--engines", default="hybrid,jit")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("programs", nargs="*", help="default: every benchmark")
    args = ap.parse_args()
    names = args.programs or [b.name for b in LoadTable()]
    progdir = os.path.join(args.build, "bench", args.arch)
    for binary in (args.base, args.new):
        if not os.access(binary, os.X_OK):
            sys.exit(f"ab.py: {binary} is not an executable")
    print(f"base {args.base}, new {args.new}, {args.arch}, median CPU s of {args.repeat}")
    for engine in args.engines.split(","):
        for name in names:
            prog = os.path.join(progdir, name)
            if not os.path.exists(prog):
                sys.exit(f"ab.py: no {prog} (ninja -C {args.build} bench-programs)")
            times = {args.base: [], args.new: []}
            for k in range(args.repeat):
                order = [args.base, args.new] if k % 2 == 0 else [args.new, args.base]
                outs = []
                for binary in order:
                    cpu, out = cpu_run([binary, "run", f"--engine={engine}", prog])
                    times[binary].append(cpu)
                    outs.append(out)
                if outs[0] != outs[1]:
                    sys.exit(f"ab.py: {name} under {engine}: the outputs differ: {outs}")
            base = statistics.median(times[args.base])
            new = statistics.median(times[args.new])
            print(f"{engine:7s} {name:11s} base {base:6.3f}  new {new:6.3f}  new/base {new / base:.3f}",
                  flush=True)


if __name__ == "__main__":
    main()
