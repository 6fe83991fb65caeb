/* The first user process of polyvm's riscv64 system-mode test image (PID 1 in the initramfs).
 * It proves the kernel reached user space with a working console, file systems, harts and memory,
 * then powers the machine off so the run ends by itself (qemu and `polyvm boot` both exit).
 *
 * Extra checks are chosen on the kernel command line with polyvm_mode=a,b,... (read from
 * /proc/cmdline); tests/system/boot_test.py drives them and checks the results on the host:
 *   blk     print the first 64 bytes of /dev/vda (the host wrote them) and write the guest
 *           pattern (BlkPattern below) at byte 4096 of the disk, then fsync
 *   rng     read 64 bytes from /dev/hwrng
 *   net     (kernel ip=dhcp) print eth0's address, fetch http://10.0.2.2:<polyvm_http>/ and print
 *           it, ask slirp's DNS server (10.0.2.3) for the A record of <polyvm_dns> with query id
 *           <polyvm_dns_id> and print the reply's id, rcode and answer count, then serve one
 *           connection on guest port <polyvm_listen>: read a line, answer
 *           "polyvm-guest-echo: <line>"
 *   reboot  count boots in the first byte of /dev/vda: print "boot number N", store N + 1; on the
 *           first boot (N = 0) reboot the machine (reboot(RB_AUTOBOOT): SBI SRST, a reset),
 *           later ones power off as usual
 *   exit    return from init instead of powering off: the kernel panics (panic=-1: it resets)
 *   cpu     a CPU-bound workload for bench/boot.py (CpuWorkload below: polyvm_cpu=<rounds>,
 *           default 600), between the lines "cpu workload start" and "cpu workload done
 *           checksum=<hex>"
 *   atomics kAtomicThreads threads (on every hart the kernel brought up) each add 1 kAtomicRounds
 *           times to three shared counters: with an AMO (amoadd.d), with an LR/SC loop, and under
 *           a pthread mutex (futex waits and wake-ups); each round also maps, touches and unmaps
 *           a page, so the kernel shoots down the other harts' TLB entries (remote fences).
 *           Prints "atomics amo=N lrsc=N mutex=N" (each should be threads * rounds)
 *   shell   after the checks, a small interactive shell on the console (Shell below): the line
 *           "polyvm-init: shell ready (type help)", the prompt "polyvm-sh# ", then one command per
 *           line: echo WORDS, cat FILE..., ls [DIR], uname, help, poweroff (or exit, or the end
 *           of input), which goes on to the power-off */
#include <arpa/inet.h>
#include <dirent.h>
#include <pthread.h>
#include <sys/mman.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <unistd.h>

static void MountOrReport(const char* source, const char* target, const char* type) {
  mkdir(target, 0755); /* may already exist in the initramfs */
  if (mount(source, target, type, 0, NULL) != 0) {
    printf("polyvm-init: mount %s on %s failed: %s\n", type, target, strerror(errno));
  } else {
    printf("polyvm-init: mounted %s on %s\n", type, target);
  }
}

/* Harts the kernel brought online (not merely the possible ones the device tree lists, which
 * have a /sys/devices/system/cpu/cpuN each): the list in /sys/devices/system/cpu/online, such as
 * "0-1" or "0,2-3". -1 if it cannot be read. */
static int CountOnlineHarts(void) {
  FILE* f = fopen("/sys/devices/system/cpu/online", "r");
  if (f == NULL) return -1;
  char list[256];
  const int ok = fgets(list, sizeof list, f) != NULL;
  fclose(f);
  if (!ok) return -1;
  int harts = 0;
  for (char* p = list; *p != '\0' && *p != '\n';) {
    char* end;
    const long lo = strtol(p, &end, 10);
    if (end == p) return -1;
    long hi = lo;
    if (*end == '-') {
      p = end + 1;
      hi = strtol(p, &end, 10);
      if (end == p || hi < lo) return -1;
    }
    harts += (int)(hi - lo + 1);
    p = *end == ',' ? end + 1 : end;
  }
  return harts;
}

static void PrintMemTotal(void) {
  FILE* f = fopen("/proc/meminfo", "r");
  if (f == NULL) {
    printf("polyvm-init: /proc/meminfo unreadable: %s\n", strerror(errno));
    return;
  }
  char line[128];
  if (fgets(line, sizeof line, f) != NULL) printf("polyvm-init: %s", line);
  fclose(f);
}

static char g_cmdline[4096];

/* The value of key=... on the kernel command line, copied into out; 0 if absent. */
static int CmdlineValue(const char* key, char* out, size_t size) {
  size_t klen = strlen(key);
  for (const char* p = g_cmdline; *p != '\0';) {
    while (*p == ' ' || *p == '\n') ++p;
    const char* end = p;
    while (*end != '\0' && *end != ' ' && *end != '\n') ++end;
    if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
      size_t n = (size_t)(end - p) - klen - 1;
      if (n >= size) n = size - 1;
      memcpy(out, p + klen + 1, n);
      out[n] = '\0';
      return 1;
    }
    p = end;
  }
  return 0;
}

static int HasMode(const char* mode) {
  char modes[256];
  if (!CmdlineValue("polyvm_mode", modes, sizeof modes)) return 0;
  size_t len = strlen(mode);
  for (char* m = modes; m != NULL;) {
    char* comma = strchr(m, ',');
    size_t mlen = comma ? (size_t)(comma - m) : strlen(m);
    if (mlen == len && strncmp(m, mode, len) == 0) return 1;
    m = comma ? comma + 1 : NULL;
  }
  return 0;
}

static void PrintHex(const char* what, const unsigned char* bytes, size_t n) {
  printf("polyvm-init: %s ", what);
  for (size_t i = 0; i < n; ++i) printf("%02x", bytes[i]);
  printf("\n");
}

/* Byte i of the pattern the guest writes at offset 4096 of /dev/vda (the host test computes the
 * same formula). */
enum { kBlkPatternOffset = 4096, kBlkPatternBytes = 65536 };
static unsigned char BlkPattern(unsigned i) { return (unsigned char)((i * 131u + 7u) ^ (i >> 8)); }

static void CheckBlk(void) {
  int fd = open("/dev/vda", O_RDWR);
  if (fd < 0) {
    printf("polyvm-init: blk: cannot open /dev/vda: %s\n", strerror(errno));
    return;
  }
  unsigned char first[64];
  if (pread(fd, first, sizeof first, 0) != (ssize_t)sizeof first) {
    printf("polyvm-init: blk: read failed: %s\n", strerror(errno));
  } else {
    PrintHex("blk read:", first, sizeof first);
  }
  static unsigned char pattern[kBlkPatternBytes];
  for (unsigned i = 0; i < kBlkPatternBytes; ++i) pattern[i] = BlkPattern(i);
  if (pwrite(fd, pattern, sizeof pattern, kBlkPatternOffset) != (ssize_t)sizeof pattern ||
      fsync(fd) != 0) {
    printf("polyvm-init: blk: write failed: %s\n", strerror(errno));
  } else {
    printf("polyvm-init: blk wrote %d bytes at %d\n", kBlkPatternBytes, kBlkPatternOffset);
  }
  close(fd);
}

/* polyvm_mode=reboot: returns only if this boot is not the first (or the reboot failed). */
static void CountBoots(void) {
  unsigned char n = 0;
  int fd = open("/dev/vda", O_RDWR);
  if (fd < 0 || pread(fd, &n, 1, 0) != 1) {
    printf("polyvm-init: reboot: cannot read /dev/vda: %s\n", strerror(errno));
    if (fd >= 0) close(fd);
    return;
  }
  printf("polyvm-init: boot number %u\n", n);
  unsigned char next = (unsigned char)(n + 1);
  if (pwrite(fd, &next, 1, 0) != 1 || fsync(fd) != 0) {
    printf("polyvm-init: reboot: cannot write /dev/vda: %s\n", strerror(errno));
  }
  close(fd);
  if (n != 0) return;
  printf("polyvm-init: rebooting\n");
  fflush(stdout);
  sync();
  reboot(RB_AUTOBOOT);
  printf("polyvm-init: reboot(RB_AUTOBOOT) failed: %s\n", strerror(errno));
}

static void CheckRng(void) {
  char current[64] = "";
  FILE* f = fopen("/sys/class/misc/hw_random/rng_current", "r");
  if (f != NULL) {
    if (fgets(current, sizeof current, f) == NULL) current[0] = '\0';
    fclose(f);
    current[strcspn(current, "\n")] = '\0';
  }
  printf("polyvm-init: rng current: %s\n", current);
  int fd = open("/dev/hwrng", O_RDONLY);
  if (fd < 0) {
    printf("polyvm-init: rng: cannot open /dev/hwrng: %s\n", strerror(errno));
    return;
  }
  unsigned char bytes[64];
  size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = read(fd, bytes + got, sizeof bytes - got);
    if (n <= 0) break;
    got += (size_t)n;
  }
  close(fd);
  printf("polyvm-init: rng read %zu bytes\n", got);
  PrintHex("rng bytes:", bytes, got);
}

static void HttpFetch(int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, "10.0.2.2", &addr.sin_addr);
  if (s < 0 || connect(s, (struct sockaddr*)&addr, sizeof addr) != 0) {
    printf("polyvm-init: http: connect 10.0.2.2:%d failed: %s\n", port, strerror(errno));
    if (s >= 0) close(s);
    return;
  }
  const char request[] = "GET /polyvm-net-test.txt HTTP/1.0\r\nHost: 10.0.2.2\r\n\r\n";
  if (write(s, request, sizeof request - 1) != (ssize_t)(sizeof request - 1)) {
    printf("polyvm-init: http: send failed: %s\n", strerror(errno));
  }
  static char reply[8192];
  size_t got = 0;
  for (;;) {
    ssize_t n = read(s, reply + got, sizeof reply - 1 - got);
    if (n <= 0) break;
    got += (size_t)n;
  }
  close(s);
  reply[got] = '\0';
  char* body = strstr(reply, "\r\n\r\n");
  char* status_end = strstr(reply, "\r\n");
  if (status_end != NULL) *status_end = '\0';
  printf("polyvm-init: http status: %s\n", reply);
  if (body != NULL) printf("polyvm-init: http body: %s\n", body + 4);
}

/* One DNS query (RFC 1035: a 12-byte header, then the question: the name as length-prefixed
 * labels, type A, class IN) to slirp's resolver at 10.0.2.3, which forwards it to the host's. */
static void DnsQuery(const char* name, unsigned id) {
  unsigned char q[300];
  const unsigned char header[12] = {(unsigned char)(id >> 8), (unsigned char)id, 0x01, 0x00, 0, 1};
  memcpy(q, header, sizeof header);
  size_t len = sizeof header;
  for (const char* label = name; *label != '\0' && len < 250;) {
    const char* dot = strchr(label, '.');
    size_t n = dot != NULL ? (size_t)(dot - label) : strlen(label);
    if (n == 0 || n > 63 || len + n + 1 > 250) break;
    q[len++] = (unsigned char)n;
    memcpy(q + len, label, n);
    len += n;
    label += n + (dot != NULL);
  }
  const unsigned char tail[5] = {0, 0, 1, 0, 1}; /* root label, type A, class IN */
  memcpy(q + len, tail, sizeof tail);
  len += sizeof tail;
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct timeval timeout = {.tv_sec = 20};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(53)};
  inet_pton(AF_INET, "10.0.2.3", &addr.sin_addr);
  unsigned char reply[512];
  ssize_t got = -1;
  if (s >= 0 && sendto(s, q, len, 0, (struct sockaddr*)&addr, sizeof addr) == (ssize_t)len) {
    got = recv(s, reply, sizeof reply, 0);
  }
  if (got < 12) {
    printf("polyvm-init: dns: no reply from 10.0.2.3: %s\n", got < 0 ? strerror(errno) : "short");
  } else {
    printf("polyvm-init: dns reply id=%u rcode=%u answers=%u\n", reply[0] << 8 | reply[1],
           reply[3] & 15u, reply[6] << 8 | reply[7]);
  }
  if (s >= 0) close(s);
}

static void ServeOnce(int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  if (s < 0 || bind(s, (struct sockaddr*)&addr, sizeof addr) != 0 || listen(s, 1) != 0) {
    printf("polyvm-init: listen on %d failed: %s\n", port, strerror(errno));
    return;
  }
  printf("polyvm-init: listening on %d\n", port);
  fflush(stdout);
  int c = accept(s, NULL, NULL);
  if (c < 0) {
    printf("polyvm-init: accept failed: %s\n", strerror(errno));
    close(s);
    return;
  }
  char line[256];
  size_t got = 0;
  while (got < sizeof line - 1) {
    ssize_t n = read(c, line + got, 1);
    if (n <= 0 || line[got] == '\n') break;
    ++got;
  }
  line[got] = '\0';
  char answer[300];
  int len = snprintf(answer, sizeof answer, "polyvm-guest-echo: %s\n", line);
  if (write(c, answer, (size_t)len) != len) printf("polyvm-init: reply failed\n");
  printf("polyvm-init: served a connection: %s\n", line);
  close(c);
  close(s);
}

static void CheckNet(void) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strcpy(ifr.ifr_name, "eth0");
  if (s >= 0 && ioctl(s, SIOCGIFADDR, &ifr) == 0) {
    struct sockaddr_in* a = (struct sockaddr_in*)&ifr.ifr_addr;
    printf("polyvm-init: eth0 address %s\n", inet_ntoa(a->sin_addr));
  } else {
    printf("polyvm-init: eth0 has no address: %s\n", strerror(errno));
  }
  if (s >= 0) close(s);
  char value[16];
  if (CmdlineValue("polyvm_http", value, sizeof value)) HttpFetch(atoi(value));
  char dns_name[128];
  if (CmdlineValue("polyvm_dns", dns_name, sizeof dns_name) &&
      CmdlineValue("polyvm_dns_id", value, sizeof value)) {
    DnsQuery(dns_name, (unsigned)atoi(value) & 0xffffu);
  }
  if (CmdlineValue("polyvm_listen", value, sizeof value)) ServeOnce(atoi(value));
}

/* polyvm_mode=cpu: `rounds` passes of CRC-32 (zlib's: reflected 0xEDB88320, inverted) over a 64 KiB
 * buffer of xorshift64 bytes, each pass folded into a checksum that also perturbs one buffer byte,
 * so no pass can be skipped: table loads, byte loads, shifts and a loop branch, as in integer
 * user code. boot_test.py recomputes the checksum in Python (case cpu). */
static uint64_t CpuWorkload(unsigned rounds) {
  static uint32_t table[256];
  static unsigned char buf[1 << 16];
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  uint64_t x = 88172645463325252ull;
  for (size_t i = 0; i < sizeof buf; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    buf[i] = (unsigned char)x;
  }
  uint64_t sum = 0;
  for (unsigned r = 0; r < rounds; ++r) {
    uint32_t crc = ~0u;
    for (size_t i = 0; i < sizeof buf; ++i) crc = table[(crc ^ buf[i]) & 0xff] ^ (crc >> 8);
    sum = sum * 31 + (uint32_t)~crc;
    buf[r & 0xffff] ^= (unsigned char)sum;
  }
  return sum;
}

enum { kAtomicThreads = 4, kAtomicRounds = 20000 };
static uint64_t amo_count, lrsc_count, mutex_count;
static pthread_mutex_t count_mutex = PTHREAD_MUTEX_INITIALIZER;

static void* AtomicWorker(void* arg) {
  (void)arg;
  for (int i = 0; i < kAtomicRounds; ++i) {
    uint64_t one = 1, old;
    __asm__ volatile("amoadd.d.aqrl %0, %2, (%1)" : "=r"(old) : "r"(&amo_count), "r"(one) : "memory");
    uint64_t tmp, fail;
    __asm__ volatile(
        "1: lr.d.aq %0, (%2)\n"
        "   addi %0, %0, 1\n"
        "   sc.d.rl %1, %0, (%2)\n"
        "   bnez %1, 1b\n"
        : "=&r"(tmp), "=&r"(fail)
        : "r"(&lrsc_count)
        : "memory");
    pthread_mutex_lock(&count_mutex);
    ++mutex_count;
    pthread_mutex_unlock(&count_mutex);
    if (i % 64 == 0) {
      volatile char* p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p != MAP_FAILED) {
        p[0] = 1;
        munmap((void*)p, 4096);
      }
    }
  }
  return NULL;
}

static void CheckAtomics(void) {
  pthread_t threads[kAtomicThreads];
  int started = 0;
  for (int i = 0; i < kAtomicThreads; ++i) {
    if (pthread_create(&threads[i], NULL, AtomicWorker, NULL) == 0) ++started;
  }
  for (int i = 0; i < started; ++i) pthread_join(threads[i], NULL);
  printf("polyvm-init: atomics threads=%d amo=%llu lrsc=%llu mutex=%llu\n", started,
         (unsigned long long)amo_count, (unsigned long long)lrsc_count,
         (unsigned long long)mutex_count);
}

static void RunCpuWorkload(void) {
  char value[32];
  unsigned rounds = 600;
  if (CmdlineValue("polyvm_cpu", value, sizeof value)) rounds = (unsigned)strtoul(value, NULL, 10);
  printf("polyvm-init: cpu workload start (%u rounds)\n", rounds);
  fflush(stdout);
  uint64_t sum = CpuWorkload(rounds);
  printf("polyvm-init: cpu workload done checksum=%016llx\n", (unsigned long long)sum);
  fflush(stdout);
}

static void ReadCmdline(void) {
  int fd = open("/proc/cmdline", O_RDONLY);
  if (fd < 0) return;
  ssize_t n = read(fd, g_cmdline, sizeof g_cmdline - 1);
  g_cmdline[n > 0 ? n : 0] = '\0';
  close(fd);
}

/* polyvm_mode=shell: reads commands from the console (the kernel's tty: canonical mode, so the
 * typed line is echoed and arrives whole) and runs its builtins. Returns on poweroff or exit, or
 * at the end of input. */
static void ShellCat(const char* path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    printf("polyvm-sh: cat: %s: %s\n", path, strerror(errno));
    return;
  }
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) fwrite(buf, 1, (size_t)n, stdout);
  close(fd);
}

static void ShellLs(const char* path) {
  DIR* d = opendir(path);
  if (d == NULL) {
    printf("polyvm-sh: ls: %s: %s\n", path, strerror(errno));
    return;
  }
  for (struct dirent* e; (e = readdir(d)) != NULL;) {
    if (e->d_name[0] != '.') printf("%s\n", e->d_name);
  }
  closedir(d);
}

static void Shell(void) {
  printf("polyvm-init: shell ready (type help)\n");
  char line[512];
  for (;;) {
    printf("polyvm-sh# ");
    fflush(stdout);
    if (fgets(line, sizeof line, stdin) == NULL) {
      printf("\n");
      return;
    }
    char* argv[16];
    int argc = 0;
    for (char* tok = strtok(line, " \t\r\n"); tok != NULL && argc < 16;
         tok = strtok(NULL, " \t\r\n")) {
      argv[argc++] = tok;
    }
    if (argc == 0) continue;
    if (strcmp(argv[0], "echo") == 0) {
      for (int i = 1; i < argc; ++i) printf("%s%s", i > 1 ? " " : "", argv[i]);
      printf("\n");
    } else if (strcmp(argv[0], "cat") == 0) {
      for (int i = 1; i < argc; ++i) ShellCat(argv[i]);
    } else if (strcmp(argv[0], "ls") == 0) {
      ShellLs(argc > 1 ? argv[1] : ".");
    } else if (strcmp(argv[0], "uname") == 0) {
      struct utsname u;
      if (uname(&u) == 0) printf("%s %s %s %s\n", u.sysname, u.nodename, u.release, u.machine);
    } else if (strcmp(argv[0], "help") == 0) {
      printf("builtins: echo WORDS, cat FILE..., ls [DIR], uname, help, poweroff, exit\n");
    } else if (strcmp(argv[0], "poweroff") == 0 || strcmp(argv[0], "exit") == 0) {
      return;
    } else {
      printf("polyvm-sh: %s: not a builtin (try help)\n", argv[0]);
    }
  }
}

int main(void) {
  printf("polyvm-init: hello from riscv64 user space (pid %d)\n", (int)getpid());
  MountOrReport("proc", "/proc", "proc");
  MountOrReport("sysfs", "/sys", "sysfs");
  MountOrReport("devtmpfs", "/dev", "devtmpfs");
  printf("polyvm-init: harts online: %d\n", CountOnlineHarts());
  PrintMemTotal();
  struct sysinfo si;
  if (sysinfo(&si) == 0) {
    printf("polyvm-init: sysinfo totalram %lu KiB\n",
           (unsigned long)(si.totalram / 1024 * si.mem_unit));
  }
  ReadCmdline();
  if (HasMode("blk")) CheckBlk();
  if (HasMode("rng")) CheckRng();
  if (HasMode("net")) CheckNet();
  if (HasMode("reboot")) CountBoots();
  if (HasMode("cpu")) RunCpuWorkload();
  if (HasMode("atomics")) CheckAtomics();
  if (HasMode("shell")) Shell();
  if (HasMode("exit")) {
    printf("polyvm-init: exiting (the kernel panics)\n");
    fflush(stdout);
    return 0;
  }
  printf("polyvm-init: powering off\n");
  fflush(stdout);
  sync();
  reboot(RB_POWER_OFF);
  /* Only reached if the power-off request failed: say so, and never return (PID 1 exiting
   * panics the kernel, which would hide the real error). */
  printf("polyvm-init: reboot(RB_POWER_OFF) failed: %s\n", strerror(errno));
  for (;;) pause();
}
