#!/usr/bin/env python3
"""System tests: boot polyvm's riscv64 test kernel (scripts/build-riscv64-kernel.sh) with
`polyvm boot` and check what the guest did, from the host: the console, the exit status, the disk
image, a TCP exchange through the port forward. Expected values come from the test itself (the
pattern it wrote, a formula, a random token), never from polyvm.

  boot_test.py --polyvm build/polyvm --engine interp --case smp2 [--timeout 300]

Cases: smp2, panic, cpu, atomics, fwjump, reboot, blk, rng, net (the test kernel), bare and bare_logs
(need --bare program.bin), escape (Ctrl-A x on a pseudo-terminal), timeout (a wfi loop)."""

import argparse
import http.server
import os
import secrets
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

import cpu_workload

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASE_APPEND = "console=ttyS0 earlycon panic=-1"
STATUS_RESET = 3  # kBootStatusReset in include/polyvm/cli/options.h
STATUS_PANIC = 4  # kBootStatusPanic
STATUS_TIMEOUT = 124  # kBootStatusTimeout
FW_DYNAMIC = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"  # Debian's opensbi
FW_JUMP = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin"


def fail(msg, output=""):
    if output:
        sys.stdout.write("---- guest console ----\n" + output[-6000:] + "\n----\n")
    print("FAIL: " + msg)
    sys.exit(1)


def kernel_images():
    out = subprocess.run([os.path.join(REPO, "scripts/build-riscv64-kernel.sh")], check=True,
                         stdout=subprocess.PIPE, text=True).stdout.strip().splitlines()[-1]
    return os.path.join(out, "Image"), os.path.join(out, "initramfs.cpio.gz")


def qemu_command(image, initrd, append, extra):
    """The same machine under qemu-system-riscv64 (--qemu): checks the test's own expectations
    against the reference. qemu gets -no-reboot when polyvm gets --no-reboot."""
    no_reboot = ["-no-reboot"] if "--no-reboot" in extra else []
    extra = [e for e in extra if e != "--no-reboot"]
    bios = FW_DYNAMIC
    if "--bios" in extra:
        bios = extra[extra.index("--bios") + 1]
    cmd = ["qemu-system-riscv64", "-M", "virt", "-m", "256M", "-nographic"] + no_reboot + [
           "-bios", bios, "-kernel", image, "-initrd", initrd, "-append", append]
    it = iter(extra)
    for opt in it:
        value = next(it)
        if opt == "--bios":
            continue
        if opt == "--smp":
            cmd += ["-smp", value]
        elif opt == "--drive":
            parts = value.split(",")
            ro = ",readonly=on" if "ro" in parts[1:] else ""
            cmd += ["-drive", "%s,format=raw,if=none,id=d0%s" % (parts[0], ro),
                    "-device", "virtio-blk-device,drive=d0"]
        elif opt == "--device":
            cmd += ["-device", "virtio-rng-device"]
        elif opt == "--net":
            fwd = value.split(",", 1)[1]
            cmd += ["-netdev", "user,id=n0," + fwd, "-device", "virtio-net-device,netdev=n0"]
    return cmd


class Boot:
    """One `polyvm boot` run with its console captured line by line."""

    def __init__(self, args, extra, append, timeout, console_input=False):
        image, initrd = kernel_images()
        append = BASE_APPEND + (" " + append if append else "")
        if args.qemu:
            self.cmd = qemu_command(image, initrd, append, extra)
        else:
            self.cmd = [args.polyvm, "boot", "--arch", "riscv64", "--kernel", image, "--initrd",
                        initrd, "-m", "256M", "--engine", args.engine, "--timeout", str(timeout),
                        "--append", append] + extra
        print("running: " + " ".join(self.cmd), flush=True)
        self.start = time.monotonic()
        stdin = subprocess.PIPE if console_input else subprocess.DEVNULL
        self.proc = subprocess.Popen(self.cmd, stdin=stdin, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, errors="replace")
        self.lines = []
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.timeout = timeout

    def _read(self):
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def output(self):
        with self.cond:
            return "".join(self.lines)

    def wait_until(self, matches):
        """Waits for a console line for which matches(line) holds; False if polyvm ended or the
        timeout passed first."""
        deadline = time.monotonic() + self.timeout + 30
        with self.cond:
            while not any(matches(l) for l in self.lines):
                if self.proc.poll() is not None and not self.reader.is_alive():
                    return False
                if not self.cond.wait(timeout=max(0.1, deadline - time.monotonic())):
                    if time.monotonic() > deadline:
                        return False
            return True

    def wait_for(self, text):
        return self.wait_until(lambda l: text in l)

    def wait_for_line(self, text, prompt=""):
        """A whole console line equal to `text` once the prompts in it are removed (not the typed
        command's echo, which contains it)."""
        return self.wait_until(lambda l: strip_prompts(l, prompt) == text)

    def type_line(self, line):
        """Sends a line to the guest's console (the serial port's input)."""
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def finish(self):
        try:
            status = self.proc.wait(timeout=self.timeout + 30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            fail("polyvm did not exit (its --timeout did not work)", self.output())
        self.reader.join(timeout=10)
        print("exit status %d after %.1f s" % (status, time.monotonic() - self.start))
        return status, self.output()


def expect_in(output, *texts):
    for t in texts:
        if t not in output:
            fail("expected %r on the console" % t, output)


def case_smp2(args):
    status, out = Boot(args, ["--smp", "2"], "", args.timeout).finish()
    # The kernel's count of the harts it brought up, and the init's from /sys/.../cpu/online.
    expect_in(out, "polyvm-init: hello from riscv64 user space (pid 1)",
              "smp: Brought up 1 node, 2 CPUs", "polyvm-init: harts online: 2",
              "polyvm-init: powering off", "reboot: Power down")
    if status != 0:
        fail("power-off should exit 0, got %d" % status, out)


def case_panic(args):
    """init exits, the kernel panics: its pvpanic driver reports it before panic=-1 resets, and
    polyvm ends with its panic status although resets reboot the machine (QEMU's virt has no
    pvpanic: there -no-reboot ends the run at the reset, with status 0)."""
    extra = ["--no-reboot"] if args.qemu else []
    status, out = Boot(args, extra, "polyvm_mode=exit", args.timeout).finish()
    expect_in(out, "polyvm-init: exiting", "Kernel panic", "Attempted to kill init")
    if args.qemu:
        return
    expect_in(out, "polyvm: the guest kernel panicked (pvpanic)")
    if status != STATUS_PANIC:
        fail("a panic should exit %d, got %d" % (STATUS_PANIC, status), out)


def case_atomics(args):
    """--smp 2: four guest threads add to shared counters with AMOs, with LR/SC loops and under a
    mutex, while mapping and unmapping pages (TLB shootdowns between the harts): every count
    must come out exact."""
    status, out = Boot(args, ["--smp", "2"], "polyvm_mode=atomics", args.timeout).finish()
    want = 4 * 20000  # kAtomicThreads * kAtomicRounds in init.c
    expect_in(out, "smp: Brought up 1 node, 2 CPUs",
              "polyvm-init: atomics threads=4 amo=%d lrsc=%d mutex=%d" % (want, want, want),
              "reboot: Power down")
    if status != 0:
        fail("power-off should exit 0, got %d" % status, out)


def case_fwjump(args):
    """OpenSBI's fw_jump instead of the default fw_dynamic: it finds the kernel at 0x80200000 and
    the device tree in a1, as on QEMU's virt."""
    status, out = Boot(args, ["--bios", FW_JUMP], "", args.timeout).finish()
    expect_in(out, "OpenSBI", "polyvm-init: hello from riscv64 user space (pid 1)",
              "reboot: Power down")
    if status != 0:
        fail("power-off should exit 0, got %d" % status, out)


def case_timeout(args):
    """--timeout ends a machine that never stops (a wfi loop) with status 124, its message and each
    hart's state."""
    with tempfile.TemporaryDirectory() as tmp:
        loop = os.path.join(tmp, "wfi_loop.bin")
        with open(loop, "wb") as f:  # wfi; j .-4
            f.write(struct.pack("<II", 0x10500073, 0xffdff06f))
        cmd = [args.polyvm, "boot", "--arch", "riscv64", "--bios", "none", "--kernel", loop,
               "--engine", args.engine, "--timeout", "1"]
        print("running: " + " ".join(cmd), flush=True)
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=60)
    expect_in(p.stdout, "timeout: the machine ran for 1 s without powering off",
              "hart 0: pc 0x8000000", "(in wfi)")
    if p.returncode != STATUS_TIMEOUT:
        fail("expected status %d, got %d" % (STATUS_TIMEOUT, p.returncode), p.stdout)


def case_cpu(args):
    rounds = 20
    status, out = Boot(args, [], "polyvm_mode=cpu polyvm_cpu=%d" % rounds, args.timeout).finish()
    expect_in(out, "polyvm-init: cpu workload start (%d rounds)" % rounds,
              "polyvm-init: cpu workload done checksum=" + cpu_workload.checksum(rounds),
              "reboot: Power down")
    if status != 0:
        fail("power-off should exit 0, got %d" % status, out)


def blk_pattern(i):  # BlkPattern in tests/system/init/init.c
    return ((i * 131 + 7) ^ (i >> 8)) & 0xff


def case_blk(args):
    host_bytes = secrets.token_bytes(64)
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "disk.img")
        with open(disk, "wb") as f:
            f.write(host_bytes + bytes((1 << 20) - 64))
        status, out = Boot(args, ["--drive", "file=" + disk], "polyvm_mode=blk",
                           args.timeout).finish()
        expect_in(out, "polyvm-init: blk read: " + host_bytes.hex(),
                  "polyvm-init: blk wrote 65536 bytes at 4096")
        if status != 0:
            fail("exit status %d" % status, out)
        with open(disk, "rb") as f:
            data = f.read()
        want = bytes(blk_pattern(i) for i in range(65536))
        if data[4096:4096 + 65536] != want:
            fail("the disk image does not hold the guest's pattern at 4096", out)
        if data[:64] != host_bytes or len(data) != 1 << 20:
            fail("the disk image changed outside the guest's write", out)
        # Read-only: the guest still reads, its write fails, the image is unchanged.
        with open(disk, "wb") as f:
            f.write(host_bytes + bytes((1 << 20) - 64))
        status, out = Boot(args, ["--drive", "file=%s,ro" % disk], "polyvm_mode=blk",
                           args.timeout).finish()
        expect_in(out, "polyvm-init: blk read: " + host_bytes.hex())
        if "polyvm-init: blk wrote" in out:
            fail("a write to a read-only disk succeeded", out)
        with open(disk, "rb") as f:
            if f.read() != host_bytes + bytes((1 << 20) - 64):
                fail("the read-only image was modified", out)


def case_rng(args):
    status, out = Boot(args, ["--device", "virtio-rng"], "polyvm_mode=rng", args.timeout).finish()
    expect_in(out, "polyvm-init: rng current: virtio_rng.0", "polyvm-init: rng read 64 bytes")
    line = [l for l in out.splitlines() if "polyvm-init: rng bytes: " in l]
    if not line or len(set(line[0].split()[-1])) < 8:
        fail("the random bytes look wrong", out)
    if status != 0:
        fail("exit status %d" % status, out)


def strip_prompts(line, prompt):
    """The line without surrounding space and without the prompts in it: a shell's output follows
    its prompt on the same line when the typed command's echo came before the prompt."""
    return (line.replace(prompt, "") if prompt else line).strip()


SHELL_PROMPT = "polyvm-sh# "


def case_shell(args):
    """The init's shell on the serial console: commands typed on polyvm's standard input reach the
    guest through the UART and the kernel's tty, and their output comes back."""
    boot = Boot(args, [], "polyvm_mode=shell", args.timeout, console_input=True)
    # (The prompt has no newline: the console is read a line at a time.)
    if not boot.wait_for("polyvm-init: shell ready"):
        fail("the shell did not start", boot.output())
    token = secrets.token_hex(8)
    boot.type_line("echo polyvm-shell %s" % token)
    if not boot.wait_for_line("polyvm-shell %s" % token, SHELL_PROMPT):
        fail("the shell did not echo the typed words", boot.output())
    boot.type_line("uname")
    boot.type_line("cat /proc/cpuinfo")
    boot.type_line("ls /")
    boot.type_line("echo polyvm-shell done")
    if not boot.wait_for_line("polyvm-shell done", SHELL_PROMPT):
        fail("the shell stopped answering", boot.output())
    boot.type_line("poweroff")
    status, out = boot.finish()
    lines = [strip_prompts(l, SHELL_PROMPT) for l in out.splitlines()]
    if not any(l.startswith("Linux ") and l.endswith(" riscv64") for l in lines):
        fail("uname should print Linux ... riscv64", out)
    if not any(l.startswith("isa") and ": rv64" in l for l in lines):
        fail("cat /proc/cpuinfo should show the hart's ISA", out)
    if "init" not in lines or "proc" not in lines:
        fail("ls / should list the initramfs's init and the proc mount point", out)
    expect_in(out, "polyvm-init: powering off", "reboot: Power down")
    if status != 0:
        fail("power-off should exit 0, got %d" % status, out)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dns_query(name, qid):
    """A DNS query for the A record of `name` (RFC 1035), as init.c's DnsQuery builds it."""
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.split("."))
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + labels + b"\0" + struct.pack(">HH", 1, 1)


def host_dns_answer(name, qid):
    """(rcode, answer count) of the host's resolver (the first IPv4 nameserver in
    /etc/resolv.conf, the one slirp forwards the guest's queries to) for `name`, asked directly;
    None when it does not answer (no resolver: the guest's query cannot be checked)."""
    try:
        with open("/etc/resolv.conf") as f:
            servers = [l.split()[1] for l in f if l.startswith("nameserver") and len(l.split()) > 1]
    except OSError:
        return None
    servers = [a for a in servers if ":" not in a]
    if not servers:
        return None
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(3)
        for _ in range(3):
            try:
                s.sendto(dns_query(name, qid), (servers[0], 53))
                reply = s.recv(512)
            except OSError:
                continue
            if len(reply) >= 12 and struct.unpack(">H", reply[:2])[0] == qid:
                return reply[3] & 15, struct.unpack(">H", reply[6:8])[0]
    return None


def case_net(args):
    token = secrets.token_hex(8)
    # DNS through slirp (10.0.2.3): a name under .invalid (RFC 6761: never resolves), so the host's
    # resolver gives a fixed answer; the guest must get the same rcode and answer count, in a
    # reply carrying its own query id.
    dns_name = "polyvm-%s.invalid" % token
    dns_id = secrets.randbelow(0xffff) + 1
    host_dns = host_dns_answer(dns_name, dns_id)
    dns_append = " polyvm_dns=%s polyvm_dns_id=%d" % (dns_name, dns_id) if host_dns else ""
    if host_dns is None:
        print("net: the host's resolver did not answer; slirp's DNS is not checked in this run")
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "polyvm-net-test.txt"), "w") as f:
            f.write("token " + token + "\n")

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **kw):
                super().__init__(*a, directory=tmp, **kw)

            def log_message(self, *a):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        http_port = server.server_address[1]
        host_port = free_port()
        boot = Boot(args, ["--net", "user,hostfwd=tcp::%d-:8080" % host_port],
                    "ip=dhcp polyvm_mode=net polyvm_http=%d polyvm_listen=8080" % http_port
                    + dns_append,
                    args.timeout)
        if not boot.wait_for("polyvm-init: listening on 8080"):
            status, out = boot.finish()
            fail("the guest never listened on 8080", out)
        greeting = "hello-" + secrets.token_hex(4)
        with socket.create_connection(("127.0.0.1", host_port), timeout=60) as c:
            c.sendall((greeting + "\n").encode())
            reply = c.makefile().readline()
        status, out = boot.finish()
        server.shutdown()
        expect_in(out, "polyvm-init: eth0 address 10.0.2.15", "polyvm-init: http status: HTTP/1.0 200",
                  "polyvm-init: http body: token " + token)
        if reply.strip() != "polyvm-guest-echo: " + greeting:
            fail("port forward: expected the guest's echo, got %r" % reply, out)
        if host_dns is not None:
            expect_in(out, "polyvm-init: dns reply id=%d rcode=%d answers=%d" % ((dns_id,) + host_dns))
        if status != 0:
            fail("exit status %d" % status, out)


def case_reboot(args):
    """A guest reboot restarts the machine, as QEMU does by default: init counts its boots in the
    disk's first byte, reboots on the first boot and powers off on the second (status 0, the disk
    says 2). With --no-reboot the reset ends polyvm after the first boot with status 3."""
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "disk.img")
        for no_reboot in (False, True):
            with open(disk, "wb") as f:
                f.write(bytes(1 << 20))
            extra = ["--drive", "file=" + disk] + (["--no-reboot"] if no_reboot else [])
            status, out = Boot(args, extra, "polyvm_mode=reboot", args.timeout).finish()
            with open(disk, "rb") as f:
                boots = f.read(1)[0]
            expect_in(out, "polyvm-init: boot number 0", "polyvm-init: rebooting")
            if no_reboot:
                if "polyvm-init: boot number 1" in out:
                    fail("--no-reboot: the machine booted again", out)
                want_status = 0 if args.qemu else STATUS_RESET  # qemu -no-reboot exits 0
                if status != want_status or boots != 1:
                    fail("--no-reboot: expected status %d and 1 boot, got %d and %d"
                         % (want_status, status, boots), out)
            else:
                expect_in(out, "polyvm-init: boot number 1", "polyvm-init: powering off")
                if status != 0 or boots != 2:
                    fail("expected status 0 and 2 boots, got %d and %d" % (status, boots), out)


def case_bare(args):
    """A bare-metal program (tests/system/bare/uart_timer.S) with --bios none: UART output, a CLINT
    timer that ends a wfi, the timer taken as a vectored interrupt inside a loop, and a power-off
    with failure code 42; then with --stats."""
    cmd = [args.polyvm, "boot", "--arch", "riscv64", "--bios", "none", "--kernel", args.bare,
           "--engine", args.engine, "--timeout", str(args.timeout)]
    print("running: " + " ".join(cmd), flush=True)
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=args.timeout + 30)
    expect_in(p.stdout, "bare: hello\n", "bare: timer\n", "bare: interrupt\n")
    if p.returncode != 42:
        fail("expected status 42 (sifive-test 0x3333 | 42 << 16), got %d" % p.returncode, p.stdout)
    # --stats: the JIT counts memory accesses only then (an add per block run), and the TLB hit
    # rate comes from that count.
    p = subprocess.run(cmd + ["--stats"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=args.timeout + 30)
    expect_in(p.stdout, "bare: timer\n", "mmu.accesses", "mmu.refills", "TLB hit rate")


def case_bare_logs(args):
    """The bare-metal program again with -d and -D (and --perfmap under the JIT): the log lists its
    first block's guest code (and host code), the perf map names that block's host code by its
    guest pc; the interpreter refuses what only the JIT can log."""
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "boot.log")
        jit = args.engine == "jit"
        items = "in_asm,out_asm" if jit else "in_asm"
        cmd = [args.polyvm, "boot", "--arch", "riscv64", "--bios", "none", "--kernel", args.bare,
               "--engine", args.engine, "--timeout", str(args.timeout), "-d", items, "-D", log]
        if jit:
            cmd.append("--perfmap")
        print("running: " + " ".join(cmd), flush=True)
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        out, _ = p.communicate(timeout=args.timeout + 30)
        perf_map = "/tmp/perf-%d.map" % p.pid
        try:
            expect_in(out, "bare: hello\n", "bare: timer\n")
            if p.returncode != 42:
                fail("expected status 42, got %d" % p.returncode, out)
            with open(log) as f:
                text = f.read()
            # The program's first instruction (tests/system/bare/uart_timer.S), as the in_asm
            # listing prints it.
            expect_in(text, "IN: riscv64 block at 0x80000000", "0x80000000: c.bnez a0,")
            if jit:
                expect_in(text, "OUT: host code of the block at 0x80000000")
                with open(perf_map) as f:
                    entries = f.read().splitlines()
                if not any(e.split(" ", 2)[2].startswith("0x80000000 ") for e in entries):
                    fail("no perf map entry for 0x80000000", "\n".join(entries[:5]))
                # The shared stub of system-mode indirect and cross-page jumps, named.
                if not any(e.endswith(" polyvm-jit:sys_lookup") for e in entries):
                    fail("no perf map entry for the shared sys_lookup stub", "\n".join(entries[:20]))
        finally:
            if os.path.exists(perf_map):
                os.unlink(perf_map)
        if not jit:  # what only the JIT has
            bad = subprocess.run(cmd[:-4] + ["-d", "out_asm"], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            expect_in(bad.stdout, "-d out_asm and --perfmap need --engine=jit")
            if bad.returncode != 1:
                fail("expected status 1 for -d out_asm under the interpreter", bad.stdout)


def case_escape(args):
    """On a terminal: Ctrl-A x ends a machine that would run forever (a wfi loop), with status 0
    and the terminal's settings restored."""
    import pty

    import termios
    with tempfile.TemporaryDirectory() as tmp:
        loop = os.path.join(tmp, "wfi_loop.bin")
        with open(loop, "wb") as f:  # wfi; j .-4 (RISC-V encodings: 0x10500073, jal x0, -4)
            f.write(struct.pack("<II", 0x10500073, 0xffdff06f))
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(args.polyvm, [args.polyvm, "boot", "--arch", "riscv64", "--bios", "none",
                                   "--kernel", loop, "--engine", args.engine, "--timeout",
                                   str(args.timeout)])
        before = termios.tcgetattr(fd)  # the pty's cooked settings (polyvm is still starting)
        time.sleep(2.0)
        during = termios.tcgetattr(fd)  # the master sees the slave's settings
        os.write(fd, b"\x01x")
        out = b""
        restored = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            if restored is None and b"terminated (Ctrl-A x)" in out:
                restored = termios.tcgetattr(fd)  # printed after the terminal was restored
        _, status = os.waitpid(pid, 0)
        lflag = 3
        if during[lflag] & (termios.ECHO | termios.ICANON | termios.ISIG):
            fail("the terminal was not in raw mode while the guest ran", out.decode())
        if restored is None or restored[lflag] != before[lflag]:
            fail("the terminal settings were not restored", out.decode())
        text = out.decode(errors="replace")
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            fail("Ctrl-A x should exit 0, got wait status %d" % status, text)
        expect_in(text, "terminated (Ctrl-A x)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--polyvm", required=True)
    ap.add_argument("--engine", default="interp")
    ap.add_argument("--case", required=True)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--bare")
    ap.add_argument("--qemu", action="store_true",
                    help="boot under qemu-system-riscv64 instead (checks the test itself)")
    args = ap.parse_args()
    globals()["case_" + args.case](args)
    print("PASS")


if __name__ == "__main__":
    main()
