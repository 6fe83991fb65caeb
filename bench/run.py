#!/usr/bin/env python3
"""Runs the guest benchmarks natively, under polyvm (each engine asked) and under qemu-user.

Runs are interleaved (every repetition visits every benchmark, and for each benchmark every runner
in a rotating order) so machine noise hits all runners alike; the table shows the median wall (or
CPU) time per (benchmark, runner) and the ratios to native and to qemu. Every guest run's output must equal the native run's checksum line, or the
result is reported as WRONG instead of a time. See docs/PERFORMANCE.md. Standard library only.
"""

import argparse
import datetime
import json
import math
import os
import platform
import re
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLE = HERE / "benchmarks.txt"
CPU_GROUPS = ("integer", "branchy", "fp", "memory")
SYS_GROUPS = ("syscall", "libc")


@dataclass
class Benchmark:
    name: str
    group: str
    default_size: int
    smoke_size: int
    what: str


@dataclass
class Runner:
    name: str           # native, polyvm-interp, qemu, ...
    prefix: list        # argv before the program path
    guest: bool         # runs the --arch guest binary (else the native one)
    describe: str       # path and version, for the report


@dataclass
class Cell:
    """Results of one (benchmark, runner): wall/cpu seconds per successful run, or a failure."""
    wall: list = field(default_factory=list)
    cpu: list = field(default_factory=list)
    failure: str = ""   # "" while all runs succeeded


def LoadTable():
    rows = []
    for line in TABLE.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, group, default_size, smoke_size, what = line.split(None, 4)
        if group not in CPU_GROUPS + SYS_GROUPS:
            sys.exit(f"{TABLE}: unknown group {group!r} for {name}")
        rows.append(Benchmark(name, group, int(default_size), int(smoke_size), what))
    return rows


def FirstLine(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).splitlines()[0].strip()
    except (OSError, subprocess.SubprocessError, IndexError):
        return "version unknown"


def CpuModel():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def FindRunners(args, bench_dir):
    """Returns (runners, missing): missing maps a runner name to why it cannot run."""
    wanted = [r.strip() for r in args.runners.split(",") if r.strip()]
    for r in wanted:
        if r not in ("native", "polyvm", "qemu"):
            sys.exit(f"--runners: unknown runner {r!r} (native, polyvm, qemu)")
    runners = [Runner("native", [], False, f"{bench_dir / 'native'} (host build, same source)")]
    missing = {}
    if "polyvm" in wanted:
        engines = [e.strip() for e in args.engines.split(",") if e.strip()]
        if args.polyvm:
            path = Path(args.polyvm)
            if not os.access(path, os.X_OK):
                sys.exit(f"--polyvm {path}: no such executable (is the polyvm target built?)")
        else:
            # The brief puts the CLI at BUILD/polyvm; BUILD/src/cli/polyvm is where CMake would put a
            # target defined in src/cli without an output directory.
            tried = [Path(args.build) / "polyvm", Path(args.build) / "src" / "cli" / "polyvm"] \
                if args.build else []
            path = next((t for t in tried if os.access(t, os.X_OK)), None)
        for engine in engines:
            name = f"polyvm-{engine}"
            if path is None:
                where = " or ".join(str(t) for t in tried) or "(no --build given)"
                missing[name] = f"no polyvm binary at {where} (build it, or pass --polyvm PATH)"
            else:
                runners.append(Runner(name, [str(path), "run", f"--engine={engine}"], True,
                                      f"{path} run --engine={engine}"))
    if "qemu" in wanted:
        if args.qemu:
            if not os.access(args.qemu, os.X_OK):
                sys.exit(f"--qemu {args.qemu}: no such executable")
            qemu = args.qemu
        else:
            qemu = shutil.which(f"qemu-{args.arch}")
        if qemu is None:
            missing["qemu"] = f"qemu-{args.arch} not found in PATH (Debian qemu-user)"
        else:
            runners.append(Runner("qemu", [qemu], True, f"{qemu} ({FirstLine([qemu, '--version'])})"))
    return runners, missing


def RunOnce(argv, timeout):
    """Returns (wall seconds, cpu seconds, returncode or None on timeout, stdout, stderr)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # Own process group, so a timeout also ends whatever the runner started.
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        rc = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        rc = None
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, rc, out, err


def Tail(text, lines=6):
    return "\n".join("    " + l for l in text.strip().splitlines()[-lines:])


def Measure(benches, runners, sizes, bench_dir, args, log):
    """Runs everything; returns {(bench, runner): Cell}. Native output is the reference."""
    cells = {(b.name, r.name): Cell() for b in benches for r in runners}
    reference = {}
    for rep in range(args.repeat):
        for bi, bench in enumerate(benches):
            # Rotate the runner order so no runner always goes first (cache/frequency effects).
            shift = (rep + bi) % len(runners)
            order = runners[shift:] + runners[:shift]
            # Native first when its reference is still unknown, so guests can be checked at once.
            if bench.name not in reference:
                order = [r for r in order if r.name == "native"] + \
                        [r for r in order if r.name != "native"]
            for runner in order:
                cell = cells[(bench.name, runner.name)]
                if cell.failure:
                    continue
                if runner.guest and bench.name not in reference:
                    cell.failure = "NO-REFERENCE"  # the native run failed: nothing to check against
                    continue
                exe = bench_dir / (args.arch if runner.guest else "native") / bench.name
                argv = runner.prefix + [str(exe), str(sizes[bench.name])]
                wall, cpu, rc, out, err = RunOnce(argv, args.timeout)
                tag = f"[{rep + 1}/{args.repeat}] {bench.name:<11} {runner.name:<14}"
                if rc is None:
                    cell.failure = f"TIMEOUT>{args.timeout}s"
                elif rc < 0:
                    cell.failure = f"KILLED({signal.Signals(-rc).name})"
                elif rc != 0:
                    cell.failure = f"FAILED(exit {rc})"
                elif runner.name == "native":
                    if not re.fullmatch(rf"{bench.name} size=\d+ checksum=[0-9a-f]{{16}}\n", out):
                        cell.failure = "BAD-OUTPUT"  # the reference itself must be a checksum line
                    elif bench.name in reference and reference[bench.name] != out:
                        cell.failure = "NONDETERMINISTIC"
                    else:
                        reference.setdefault(bench.name, out)
                elif out != reference.get(bench.name):
                    cell.failure = "WRONG"
                if cell.failure:
                    log(f"{tag} {cell.failure}: {shlex.join(argv)}")
                    if cell.failure == "WRONG":
                        log(f"    expected (native): {reference.get(bench.name, '').strip()}")
                        log(f"    got:               {out.strip()}")
                    if err.strip():
                        log(Tail(err))
                    continue
                cell.wall.append(wall)
                cell.cpu.append(cpu)
                log(f"{tag} {wall:8.3f} s  {out.strip()}")
    return cells


def Median(cell, metric):
    samples = cell.wall if metric == "wall" else cell.cpu
    return statistics.median(samples) if samples and not cell.failure else None


def GeoMean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def RunnerOrder(name):
    return (0 if name == "native" else 1 if name.startswith("polyvm-") else 2, name)


def BuildTable(benches, runner_names, missing, cells, sizes, metric):
    """Returns (header, rows); cells are strings. Ratio columns: X/native and polyvm/qemu."""
    names = sorted(list(runner_names) + list(missing), key=RunnerOrder)
    guests = [n for n in names if n != "native"]
    polyvms = [n for n in names if n.startswith("polyvm-")]
    ratio_cols = [(g, "native") for g in guests]
    if "qemu" in names:
        ratio_cols += [(p, "qemu") for p in polyvms]
    header = ["benchmark", "group", "size"] + [f"{n} s" for n in names] + \
             [f"{a}/{b}" for a, b in ratio_cols]

    def Time(bench, runner):
        if runner in missing:
            return None, "missing"
        cell = cells[(bench, runner)]
        if cell.failure:
            return None, cell.failure
        m = Median(cell, metric)
        return m, f"{m:.3f}"

    rows, ratios = [], {col: {} for col in ratio_cols}
    for b in benches:
        row = [b.name, b.group, str(sizes[b.name])]
        row += [Time(b.name, n)[1] for n in names]
        for a, c in ratio_cols:
            ta, sa = Time(b.name, a)
            tb, sb = Time(b.name, c)
            if ta is not None and tb is not None and tb > 0:
                ratios[(a, c)][b.name] = ta / tb
                row.append(f"{ta / tb:.2f}")
            else:
                row.append("-")
        rows.append(row)
    for label, groups in (("geomean CPU-bound", CPU_GROUPS), ("geomean syscall+libc", SYS_GROUPS)):
        members = [b.name for b in benches if b.group in groups]
        if not members:
            continue
        row = [label, "", ""] + [""] * len(names)
        for col in ratio_cols:
            got = [ratios[col][m] for m in members if m in ratios[col]]
            g = GeoMean(got)
            text = "-" if g is None else f"{g:.2f}"
            if got and len(got) < len(members):
                text += f" ({len(got)}/{len(members)})"  # some benchmarks failed or were missing
            row.append(text)
        rows.append(row)
    return header, rows


def PrintText(header, rows, out):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    for i, row in enumerate([header] + rows):
        out.write("  ".join(str(x).rjust(w) if j > 1 else str(x).ljust(w)
                            for j, (x, w) in enumerate(zip(row, widths))).rstrip() + "\n")
        if i == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


def PrintMarkdown(header, rows, out):
    out.write("| " + " | ".join(header) + " |\n")
    out.write("|" + "|".join(" --- " if j < 2 else " ---: " for j in range(len(header))) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(str(x) for x in row) + " |\n")


def MachineLines(args, runners, missing, started, load_before):
    load_after = os.getloadavg()
    lines = [
        f"date: {started.strftime('%Y-%m-%d %H:%M %Z')} "
        f"(took {(datetime.datetime.now().astimezone() - started).total_seconds() / 60:.1f} min)",
        f"machine: nproc={os.cpu_count()}, CPU {CpuModel()!r}, {platform.system()} {platform.release()}",
        f"load average (1 min) before/after: {load_before[0]:.2f} / {load_after[0]:.2f}",
        f"guest arch: {args.arch}; repeat: {args.repeat}, interleaved; size scale: {args.size_scale}",
        "command: " + shlex.join(["python3", "bench/run.py"] + sys.argv[1:]),
    ]
    for r in runners:
        lines.append(f"runner {r.name}: {r.describe}")
    for name, why in missing.items():
        lines.append(f"runner {name}: MISSING - {why}")
    return lines


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", help="CMake build directory (binaries in BUILD/bench, polyvm at BUILD/polyvm)")
    p.add_argument("--bench-dir", help="directory holding native/ and one directory per guest arch "
                   "(default BUILD/bench)")
    p.add_argument("--arch", choices=("riscv64", "aarch64"), default="riscv64",
                   help="guest architecture whose binaries polyvm and qemu run (default: %(default)s)")
    p.add_argument("--polyvm", help="polyvm binary (default BUILD/polyvm or BUILD/src/cli/polyvm); "
                   "an explicit path must exist")
    p.add_argument("--qemu", help="qemu-user binary (default: qemu-ARCH from PATH)")
    p.add_argument("--runners", default="native,polyvm,qemu", help="comma list (default: %(default)s); native always runs, it is the reference")
    p.add_argument("--engines", default="interp,jit,hybrid",
                   help="polyvm engines, comma list (default: %(default)s)")
    p.add_argument("--repeat", type=int, default=3, help="repetitions per (benchmark, runner)")
    p.add_argument("--only", nargs="+", metavar="NAME", help="run only these benchmarks")
    p.add_argument("--size-scale", type=float, default=1.0, help="multiply every default size")
    p.add_argument("--metric", choices=("wall", "cpu"), default="wall",
                   help="median of wall time (default) or of the child's user+sys CPU time")
    p.add_argument("--timeout", type=float, default=900, help="seconds per run before it fails")
    p.add_argument("--smoke", action="store_true",
                   help="tiny sizes, one run, checksums only; every listed runner must exist")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    p.add_argument("--json", metavar="FILE", help="also write every sample to FILE")
    p.add_argument("--from-json", metavar="FILE",
                   help="run nothing: print the table from samples saved by --json (e.g. --metric cpu)")
    p.add_argument("--quiet", action="store_true", help="no per-run progress on stderr")
    args = p.parse_args()

    if args.from_json:
        return Report(args, *LoadJson(args.from_json))
    if not args.build and not args.bench_dir:
        p.error("give --build DIR or --bench-dir DIR")
    bench_dir = Path(args.bench_dir) if args.bench_dir else Path(args.build) / "bench"
    if args.smoke:
        args.repeat = 1
    if args.repeat < 1 or args.size_scale <= 0:
        p.error("--repeat must be >= 1 and --size-scale > 0")

    benches = LoadTable()
    if args.only:
        known = {b.name for b in benches}
        unknown = [n for n in args.only if n not in known]
        if unknown:
            p.error(f"unknown benchmark(s) {unknown}; known: {sorted(known)}")
        benches = [b for b in benches if b.name in args.only]
    for b in benches:
        for kind in ("native", args.arch):
            if not (bench_dir / kind / b.name).is_file():
                sys.exit(f"missing {bench_dir / kind / b.name}: build it with `ninja bench-programs`")
    sizes = {b.name: b.smoke_size if args.smoke else max(1, round(b.default_size * args.size_scale))
             for b in benches}

    runners, missing = FindRunners(args, bench_dir)
    log = (lambda msg: None) if args.quiet else (lambda msg: print(msg, file=sys.stderr, flush=True))
    for name, why in missing.items():
        log(f"runner {name}: MISSING - {why}")
    if args.smoke and missing:
        sys.exit("smoke: required runner(s) missing: " + ", ".join(missing))

    started = datetime.datetime.now().astimezone()
    load_before = os.getloadavg()
    cells = Measure(benches, runners, sizes, bench_dir, args, log)
    info = MachineLines(args, runners, missing, started, load_before)
    if args.json:
        Path(args.json).write_text(json.dumps({
            "machine": info,
            "sizes": sizes,
            "runners": [r.name for r in runners],
            "missing": missing,
            "cells": [{"benchmark": b, "runner": r, "wall": c.wall, "cpu": c.cpu,
                       "failure": c.failure} for (b, r), c in cells.items()],
        }, indent=1) + "\n")
    return Report(args, benches, [r.name for r in runners], missing, cells, sizes, info)


def LoadJson(path):
    data = json.loads(Path(path).read_text())
    sizes = data["sizes"]
    benches = [b for b in LoadTable() if b.name in sizes]
    cells = {(c["benchmark"], c["runner"]): Cell(c["wall"], c["cpu"], c["failure"])
             for c in data["cells"]}
    info = data["machine"] + [f"(table re-rendered from {path})"]
    return benches, data["runners"], data["missing"], cells, sizes, info


def Report(args, benches, runner_names, missing, cells, sizes, info):
    """Prints the smoke verdicts or the timing table; returns the exit code."""
    failures = [(b, r, c.failure) for (b, r), c in cells.items() if c.failure]
    if args.smoke:
        for b in benches:
            for r in runner_names[1:]:
                c = cells[(b.name, r)]
                print(f"{b.name} under {r} at size {sizes[b.name]}: "
                      f"{c.failure or 'checksum matches native'}")
    else:
        header, rows = BuildTable(benches, runner_names, missing, cells, sizes, args.metric)
        if args.markdown:
            sys.stdout.write("".join(f"- {line}\n" for line in info) + "\n")
            PrintMarkdown(header, rows, sys.stdout)
        else:
            sys.stdout.write("".join(f"{line}\n" for line in info) + "\n")
            PrintText(header, rows, sys.stdout)
        print(f"\ntimes: median {args.metric} seconds. X/native > 1: X is slower than native; "
              "polyvm-E/qemu < 1: polyvm is faster than qemu.\n"
              f"geomeans: CPU-bound = {', '.join(CPU_GROUPS)}; syscall+libc = {', '.join(SYS_GROUPS)}; "
              "(k/n) = only k of n benchmarks had both times.")
    if failures:
        print(f"\n{len(failures)} failed (benchmark, runner) pair(s):", file=sys.stderr)
        for b, r, f in failures:
            print(f"  {b} under {r}: {f}", file=sys.stderr)
        return 1
    return 0

if __name__ == "__main__":
    sys.exit(main())
