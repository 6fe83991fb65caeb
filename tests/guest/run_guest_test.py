#!/usr/bin/env python3
# Runs one guest test: the natively built program and the guest build under a runner (polyvm, or
# qemu-user while developing), each in a fresh working directory with the same argv, environment and
# stdin, then compares stdout, stderr and exit status and prints a unified diff on mismatch.
"""Compare a native program with its guest build run under an emulator. Exit 0 iff they agree."""

import argparse
import difflib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

# Variables of the harness's own environment passed to both runs (so both see the same envp):
# sanitizer and emulator settings that the runner needs, never anything the programs print.
PASSTHROUGH_PREFIXES = ("ASAN_", "UBSAN_", "LSAN_", "POLYVM_", "QEMU_")
BASE_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C",
    "LC_ALL": "C",
    "TZ": "UTC0",
}
MAX_DIFF_LINES = 200
REPORT_RE = re.compile(r"^polyvm: guest killed by (SIG[A-Z0-9]+)")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--name", default="guest test")
    p.add_argument("--native", required=True, help="natively built reference program")
    p.add_argument("--guest", required=True, help="guest program run under the runner")
    p.add_argument("--runner-arg", action="append", default=[], dest="runner",
                   help="one word of the runner command line (repeat); empty: run the guest directly")
    p.add_argument("--sysroot", help="guest sysroot for dynamically linked programs (runner -L DIR)")
    p.add_argument("--polyvm-runner", action="store_true",
                   help="the runner is polyvm: its 'guest killed by' lines are not compared, and "
                        "one must name the expected signal")
    p.add_argument("--arg", action="append", default=[], help="one program argument (repeat)")
    p.add_argument("--stdin", help="file fed to stdin (default: /dev/null)")
    p.add_argument("--env", action="append", default=[], help="KEY=VALUE added to the environment")
    p.add_argument("--no-stderr", action="store_true", help="do not compare stderr")
    p.add_argument("--expect-status", type=int, default=0,
                   help="exit status the native run must have (documents the test's intent)")
    p.add_argument("--expect-signal", type=int, default=0,
                   help="signal the native run must die of (status 128+N)")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per run")
    p.add_argument("--program-name", default="prog",
                   help="name of the symlink to the program that argv[0] uses (busybox picks its "
                        "applet by it)")
    p.add_argument("--alias", action="append", default=[],
                   help="another name for the program in the same directory (repeat); with "
                        "--env=PATH=<BIN> a script finds each side's own program by these names")
    return p.parse_args()


class Result:
    def __init__(self, status, stdout, stderr, timed_out):
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.timed_out = timed_out


def limit_child():
    # No core files (native or emulated), and a fixed umask so file modes are reproducible.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.umask(0o022)


def run_once(argv, workdir, env, stdin_path, timeout):
    with open(stdin_path or os.devnull, "rb") as stdin:
        proc = subprocess.Popen(argv, cwd=workdir, env=env, stdin=stdin, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, preexec_fn=limit_child,
                                start_new_session=True)
        timed_out = False
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
    # Shell-visible status: death by signal N is 128+N, whether the process really died of the
    # signal (native, qemu) or the runner reports it as an exit code.
    status = proc.returncode if proc.returncode >= 0 else 128 - proc.returncode
    return Result(status, out, err, timed_out)


def run_in_fresh_dir(root, program, prefix, args, env, stdin_path, timeout, name="prog",
                     aliases=()):
    # Both runs use the same paths (root/work as cwd, root/bin/<name> as argv[0]), recreated empty,
    # so getcwd() and argv[0] agree between native and guest.
    work = os.path.join(root, "work")
    bindir = os.path.join(root, "bin")
    for d in (work, bindir):
        shutil.rmtree(d, ignore_errors=True)
        os.mkdir(d)
    for n in [name] + [a for a in aliases if a != name]:
        os.symlink(os.path.abspath(program), os.path.join(bindir, n))
    env = {k: v.replace("<BIN>", bindir) for k, v in env.items()}
    argv = prefix + ["../bin/" + name] + args
    result = run_once(argv, work, env, stdin_path, timeout)
    return argv, result


def describe_status(status):
    if status > 128 and status - 128 < signal.NSIG:
        try:
            return "%d (signal %s)" % (status, signal.Signals(status - 128).name)
        except ValueError:
            pass
    return str(status)


def diff(what, native, guest):
    a = native.decode("utf-8", "replace").splitlines(keepends=True)
    b = guest.decode("utf-8", "replace").splitlines(keepends=True)
    lines = list(difflib.unified_diff(a, b, "native " + what, "guest " + what))
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + ["... (%d more diff lines)\n" % (len(lines) - MAX_DIFF_LINES)]
    out = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                  for line in lines)
    return out


def strip_report(stderr):
    kept, reports = [], []
    for line in stderr.decode("utf-8", "replace").splitlines(keepends=True):
        m = REPORT_RE.match(line)
        (reports if m else kept).append(m.group(1) if m else line)
    return "".join(kept).encode(), reports


def main():
    a = parse_args()
    env = dict(BASE_ENV)
    env.update({k: v for k, v in os.environ.items() if k.startswith(PASSTHROUGH_PREFIXES)})
    for kv in a.env:
        k, sep, v = kv.partition("=")
        if not sep:
            sys.exit("harness: --env needs KEY=VALUE, got %r" % kv)
        env[k] = v
    runner = list(a.runner)
    if runner:
        exe = runner[0] if os.sep in runner[0] else shutil.which(runner[0])
        if not exe or not os.access(exe, os.X_OK):
            print("%s: FAIL: runner %r not found or not executable (build the polyvm target, or set "
                  "POLYVM_GUEST_RUNNER)" % (a.name, runner[0]))
            return 1
        runner[0] = os.path.abspath(exe)
        if a.sysroot:
            runner += ["-L", a.sysroot]
    for prog in (a.native, a.guest):
        if not os.path.isfile(prog):
            print("%s: FAIL: program %s does not exist (build the guest test programs first)"
                  % (a.name, prog))
            return 1
    stdin_path = os.path.abspath(a.stdin) if a.stdin else None

    root = tempfile.mkdtemp(prefix="polyvm-guest-")
    try:
        n_argv, native = run_in_fresh_dir(root, a.native, [], a.arg, env, stdin_path, a.timeout,
                                          a.program_name, a.alias)
        g_argv, guest = run_in_fresh_dir(root, a.guest, runner, a.arg, env, stdin_path, a.timeout,
                                         a.program_name, a.alias)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    problems = []
    expected_status = 128 + a.expect_signal if a.expect_signal else a.expect_status
    if native.timed_out:
        problems.append("native run timed out after %gs" % a.timeout)
    elif native.status != expected_status:
        problems.append("native run exited with %s but the test expects %s: the test itself is wrong"
                        % (describe_status(native.status), describe_status(expected_status)))
    if guest.timed_out:
        problems.append("guest run timed out after %gs" % a.timeout)
    if native.status != guest.status:
        problems.append("exit status differs: native %s, guest %s"
                        % (describe_status(native.status), describe_status(guest.status)))
    if native.stdout != guest.stdout:
        problems.append("stdout differs:\n" + diff("stdout", native.stdout, guest.stdout))

    guest_stderr = guest.stderr
    compare_stderr = not a.no_stderr
    if a.polyvm_runner:
        # polyvm reports every guest process killed by a signal, forked children included; those
        # lines are polyvm's, not the program's output.
        guest_stderr, reports = strip_report(guest.stderr)
        if a.expect_signal:
            want = signal.Signals(a.expect_signal).name
            if want not in reports:
                problems.append("guest stderr lacks the line 'polyvm: guest killed by %s'" % want)
    elif a.expect_signal:
        # Other runners (qemu) print their own report in their own words.
        compare_stderr = False
    if compare_stderr and native.stderr != guest_stderr:
        problems.append("stderr differs:\n" + diff("stderr", native.stderr, guest_stderr))

    if problems:
        print("%s: FAIL" % a.name)
        print("  native: %s  (status %s)" % (" ".join(n_argv), describe_status(native.status)))
        print("  guest:  %s  (status %s)" % (" ".join(g_argv), describe_status(guest.status)))
        for p in problems:
            print("- " + p)
        if guest.stderr and not any(p.startswith("stderr differs") for p in problems):
            text = guest.stderr.decode("utf-8", "replace")
            print("guest stderr (last 2000 chars):\n" + text[-2000:])
        return 1
    print("%s: ok (status %s, %d bytes stdout, %d bytes stderr)"
          % (a.name, describe_status(guest.status), len(guest.stdout), len(guest.stderr)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
