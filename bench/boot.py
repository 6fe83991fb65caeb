#!/usr/bin/env python3
"""Boot-time benchmark: the time from start to the test init's banner and to power-off, for
`polyvm boot` (each engine asked) and `qemu-system-riscv64 -M virt`, with the same firmware
(Debian's OpenSBI fw_dynamic.bin), kernel and initramfs (scripts/build-riscv64-kernel.sh), in one
run. Runs are interleaved (each repetition visits every runner) so machine noise hits all alike;
the table shows medians and each runner's CPU time. A run that does not reach power-off is
reported as FAILED instead of a time. Standard library only. See docs/PERFORMANCE.md.

  bench/boot.py --polyvm build-release/polyvm [--engines interp,jit] [--repeat 5] [--smp 1]
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIRMWARE = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
BANNER = b"polyvm-init: hello from riscv64 user space"
POWER_DOWN = b"reboot: Power down"
APPEND = "console=ttyS0 earlycon panic=-1"


def images():
    out = subprocess.run([os.path.join(REPO, "scripts/build-riscv64-kernel.sh")], check=True,
                         stdout=subprocess.PIPE, text=True).stdout.strip().splitlines()[-1]
    return os.path.join(out, "Image"), os.path.join(out, "initramfs.cpio.gz")


def command(runner, polyvm, image, initrd, smp, mem):
    if runner == "qemu":
        return ["qemu-system-riscv64", "-M", "virt", "-smp", str(smp), "-m", mem, "-nographic",
                "-no-reboot", "-bios", FIRMWARE, "-kernel", image, "-initrd", initrd, "-append",
                APPEND]
    return [polyvm, "boot", "--arch", "riscv64", "--engine", runner, "--smp", str(smp), "-m", mem,
            "--bios", FIRMWARE, "--kernel", image, "--initrd", initrd, "--append", APPEND,
            "--timeout", "600"]


def run_once(cmd):
    """(seconds to banner, seconds to exit, cpu seconds) or None if power-off was not reached."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out = b""
    banner = None
    while True:
        chunk = p.stdout.read1(65536)
        if not chunk:
            break
        out += chunk
        if banner is None and BANNER in out:
            banner = time.monotonic() - start
    status = p.wait()
    end = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if banner is None or POWER_DOWN not in out or status != 0:
        sys.stderr.write("run failed (status %d): %s\n%s\n" % (status, " ".join(cmd),
                                                              out[-2000:].decode(errors="replace")))
        return None
    return banner, end, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--polyvm", default=os.path.join(REPO, "build-release/polyvm"))
    ap.add_argument("--engines", default="interp,jit")
    ap.add_argument("--no-qemu", action="store_true")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--smp", type=int, default=1)
    ap.add_argument("-m", dest="mem", default="256M")
    args = ap.parse_args()

    image, initrd = images()
    runners = [e for e in args.engines.split(",") if e] + ([] if args.no_qemu else ["qemu"])
    results = {r: [] for r in runners}
    failed = {r: 0 for r in runners}
    for rep in range(args.repeat):
        order = runners[rep % len(runners):] + runners[:rep % len(runners)]
        for r in order:
            res = run_once(command(r, args.polyvm, image, initrd, args.smp, args.mem))
            if res is None:
                failed[r] += 1
            else:
                results[r].append(res)

    print("boot of the test kernel + initramfs, %d hart(s), %s RAM, %d repetitions (medians)" %
          (args.smp, args.mem, args.repeat))
    print("| runner | to init banner (s) | to power-off (s) | CPU time (s) | vs qemu (power-off) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    qemu_end = None
    if results.get("qemu"):
        qemu_end = statistics.median(x[1] for x in results["qemu"])
    for r in runners:
        name = "qemu-system-riscv64" if r == "qemu" else "polyvm " + r
        if not results[r]:
            print("| %s | FAILED | FAILED | | |" % name)
            continue
        banner = statistics.median(x[0] for x in results[r])
        end = statistics.median(x[1] for x in results[r])
        cpu = statistics.median(x[2] for x in results[r])
        ratio = "%.2fx" % (end / qemu_end) if qemu_end else ""
        note = " (%d failed)" % failed[r] if failed[r] else ""
        print("| %s%s | %.2f | %.2f | %.2f | %s |" % (name, note, banner, end, cpu, ratio))


if __name__ == "__main__":
    main()
