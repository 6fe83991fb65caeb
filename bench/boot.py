#!/usr/bin/env python3
"""Boot-time benchmark: the time from start to the test init's banner and to power-off, for
`polyvm boot` (each engine asked) and `qemu-system-riscv64 -M virt`, with the same firmware
(Debian's OpenSBI fw_dynamic.bin), kernel and initramfs (scripts/build-riscv64-kernel.sh), in one
run. Runs are interleaved (each repetition visits every runner) so machine noise hits all alike;
the table shows medians and each runner's CPU time. A run that does not reach power-off is
reported as FAILED instead of a time. Standard library only. See docs/PERFORMANCE.md.

With --workload N the init also runs its CPU-bound workload (polyvm_mode=cpu, N rounds of CRC-32
over 64 KiB: tests/system/init/init.c) before powering off; the table then adds the time between
the workload's start and done lines as the host saw them, and a run whose checksum differs from
the one computed here (tests/system/cpu_workload.py) is FAILED.

  bench/boot.py --polyvm build-release/polyvm [--engines interp,jit] [--repeat 5] [--smp 1]
                [--workload 600]
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "system"))
import cpu_workload  # noqa: E402  (the workload's reference checksum)

FIRMWARE = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
BANNER = b"polyvm-init: hello from riscv64 user space"
POWER_DOWN = b"reboot: Power down"
APPEND = "console=ttyS0 earlycon panic=-1"
WORK_START = b"polyvm-init: cpu workload start"
WORK_DONE = b"polyvm-init: cpu workload done checksum="


def images():
    out = subprocess.run([os.path.join(REPO, "scripts/build-riscv64-kernel.sh")], check=True,
                         stdout=subprocess.PIPE, text=True).stdout.strip().splitlines()[-1]
    return os.path.join(out, "Image"), os.path.join(out, "initramfs.cpio.gz")


def command(runner, polyvm, image, initrd, smp, mem, workload):
    append = APPEND + (" polyvm_mode=cpu polyvm_cpu=%d" % workload if workload else "")
    if runner == "qemu":
        return ["qemu-system-riscv64", "-M", "virt", "-smp", str(smp), "-m", mem, "-nographic",
                "-no-reboot", "-bios", FIRMWARE, "-kernel", image, "-initrd", initrd, "-append",
                append]
    return [polyvm, "boot", "--arch", "riscv64", "--engine", runner, "--smp", str(smp), "-m", mem,
            "--bios", FIRMWARE, "--kernel", image, "--initrd", initrd, "--append", append,
            "--timeout", "600"]


def run_once(cmd, expected_sum):
    """(seconds to banner, seconds to exit, cpu seconds, workload seconds or None), or None if
    power-off was not reached (or the workload's checksum is not `expected_sum`)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out = b""
    banner = work_start = work_end = None
    while True:
        chunk = p.stdout.read1(65536)
        if not chunk:
            break
        out += chunk
        now = time.monotonic() - start
        if banner is None and BANNER in out:
            banner = now
        if work_start is None and WORK_START in out:
            work_start = now
        if work_end is None and WORK_DONE in out:
            work_end = now
    status = p.wait()
    end = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    wrong_sum = expected_sum is not None and WORK_DONE + expected_sum.encode() not in out
    if banner is None or POWER_DOWN not in out or status != 0 or wrong_sum:
        why = "wrong workload checksum (expected %s)" % expected_sum if wrong_sum else "status %d" % status
        sys.stderr.write("run failed (%s): %s\n%s\n" % (why, " ".join(cmd),
                                                        out[-2000:].decode(errors="replace")))
        return None
    work = work_end - work_start if work_start is not None and work_end is not None else None
    return banner, end, cpu, work


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--polyvm", default=os.path.join(REPO, "build-release/polyvm"))
    ap.add_argument("--engines", default="interp,jit")
    ap.add_argument("--no-qemu", action="store_true")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--smp", type=int, default=1)
    ap.add_argument("-m", dest="mem", default="256M")
    ap.add_argument("--workload", type=int, default=0, metavar="ROUNDS",
                    help="run the init's CPU workload (ROUNDS passes; 0: boot only)")
    args = ap.parse_args()
    expected_sum = cpu_workload.checksum(args.workload) if args.workload else None

    image, initrd = images()
    runners = [e for e in args.engines.split(",") if e] + ([] if args.no_qemu else ["qemu"])
    results = {r: [] for r in runners}
    failed = {r: 0 for r in runners}
    for rep in range(args.repeat):
        order = runners[rep % len(runners):] + runners[:rep % len(runners)]
        for r in order:
            res = run_once(command(r, args.polyvm, image, initrd, args.smp, args.mem,
                                   args.workload), expected_sum)
            if res is None:
                failed[r] += 1
            else:
                results[r].append(res)

    work = args.workload > 0
    print("boot of the test kernel + initramfs, %d hart(s), %s RAM, %d repetitions (medians)%s" %
          (args.smp, args.mem, args.repeat,
           ", CPU workload of %d rounds (checksum %s)" % (args.workload, expected_sum) if work else ""))
    head = "| runner | to init banner (s) | to power-off (s) | CPU time (s) | vs qemu (power-off) |"
    rule = "| --- | ---: | ---: | ---: | ---: |"
    if work:
        head += " workload (s) | vs qemu (workload) |"
        rule += " ---: | ---: |"
    print(head)
    print(rule)
    qemu_end = qemu_work = None
    if results.get("qemu"):
        qemu_end = statistics.median(x[1] for x in results["qemu"])
        if work:
            qemu_work = statistics.median(x[3] for x in results["qemu"])
    for r in runners:
        name = "qemu-system-riscv64" if r == "qemu" else "polyvm " + r
        if not results[r]:
            print("| %s | FAILED | FAILED | | |%s" % (name, " | |" if work else ""))
            continue
        banner = statistics.median(x[0] for x in results[r])
        end = statistics.median(x[1] for x in results[r])
        cpu = statistics.median(x[2] for x in results[r])
        ratio = "%.2fx" % (end / qemu_end) if qemu_end else ""
        note = " (%d failed)" % failed[r] if failed[r] else ""
        row = "| %s%s | %.2f | %.2f | %.2f | %s |" % (name, note, banner, end, cpu, ratio)
        if work:
            w = statistics.median(x[3] for x in results[r])
            row += " %.2f | %s |" % (w, "%.2fx" % (w / qemu_work) if qemu_work else "")
        print(row)

if __name__ == "__main__":
    main()
