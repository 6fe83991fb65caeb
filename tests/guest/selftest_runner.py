#!/usr/bin/env python3
# Stand-in runners for the harness self-tests (harness_selftest.cmake): each misbehaves in one
# known way that the harness must notice, or imitates polyvm's report of a guest killed by a signal.
# (Python, not sh: dash prints its own "Segmentation fault" note to stderr.)
"""usage: selftest_runner.py MODE PROGRAM ARGS..."""
import signal
import subprocess
import sys


def main():
    mode, argv = sys.argv[1], sys.argv[2:]
    if mode not in ("ignore-args", "polyvm-report", "extra-stderr"):
        sys.stderr.write("selftest_runner.py: unknown mode %s\n" % mode)
        return 125
    if mode == "ignore-args":  # drop the arguments: run "PROGRAM _exit 42"
        argv = [argv[0], "_exit", "42"]
    rc = subprocess.call(argv)
    status = 128 - rc if rc < 0 else rc
    if mode == "polyvm-report" and rc < 0:
        sys.stderr.write("polyvm: guest killed by %s\n" % signal.Signals(-rc).name)
    if mode == "extra-stderr":
        sys.stderr.write("one more line\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
