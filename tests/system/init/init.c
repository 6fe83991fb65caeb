/* The first user process of polyvm's riscv64 system-mode test image (PID 1 in the initramfs).
 * It proves the kernel reached user space with a working console, file systems, harts and memory,
 * then powers the machine off so the run ends by itself (qemu and `polyvm boot` both exit). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <unistd.h>

static void MountOrReport(const char* source, const char* target, const char* type) {
  mkdir(target, 0755); /* may already exist in the initramfs */
  if (mount(source, target, type, 0, NULL) != 0) {
    printf("polyvm-init: mount %s on %s failed: %s\n", type, target, strerror(errno));
  } else {
    printf("polyvm-init: mounted %s on %s\n", type, target);
  }
}

/* Harts as the kernel brought them online: counted from /sys so the number comes from the device
 * tree the machine generated, not from a libc guess. */
static int CountOnlineHarts(void) {
  int harts = 0;
  for (int i = 0; i < 4096; ++i) {
    char path[64];
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d", i);
    struct stat st;
    if (stat(path, &st) != 0) break;
    ++harts;
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
  printf("polyvm-init: powering off\n");
  fflush(stdout);
  sync();
  reboot(RB_POWER_OFF);
  /* Only reached if the power-off request failed: say so, and never return (PID 1 exiting
   * panics the kernel, which would hide the real error). */
  printf("polyvm-init: reboot(RB_POWER_OFF) failed: %s\n", strerror(errno));
  for (;;) pause();
}
