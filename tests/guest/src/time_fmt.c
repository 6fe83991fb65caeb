/* Guest test: calendar arithmetic and formatting that do not depend on the current time: gmtime,
 * timegm, mktime and localtime under POSIX TZ rules (no zoneinfo files needed), strftime with many
 * conversions, difftime; and for the clocks only properties (monotonic, sleeps last long enough).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const time_t kTimes[] = {0,
                                1,
                                -1,
                                86399,
                                951782400 /* 2000-02-29 */,
                                1000000000,
                                1234567890,
                                2147483647,
                                2147483648LL,
                                4102444800LL /* 2100 */,
                                -2208988800LL /* 1900 */,
                                253402300799LL /* 9999-12-31 */};

static void PrintTm(const char* label, const struct tm* tm) {
  printf("%s %04d-%02d-%02d %02d:%02d:%02d wday %d yday %d dst %d off %ld zone %s\n", label,
         tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec,
         tm->tm_wday, tm->tm_yday, tm->tm_isdst, tm->tm_gmtoff, tm->tm_zone ? tm->tm_zone : "-");
}

int main(void) {
  printf("-- gmtime / timegm / strftime\n");
  for (unsigned i = 0; i < sizeof kTimes / sizeof kTimes[0]; ++i) {
    struct tm tm;
    gmtime_r(&kTimes[i], &tm);
    char label[32];
    snprintf(label, sizeof label, "%lld", (long long)kTimes[i]);
    PrintTm(label, &tm);
    char buf[256];
    strftime(buf, sizeof buf,
             "%a %A %b %B %c | %D %e %F %g %G %H %I %j %m %M %p %r %R %S %T %u %U %V %w %W %x %X "
             "%y %Y %z %Z %%",
             &tm);
    printf("  %s\n", buf);
    printf("  timegm round trip %d\n", timegm(&tm) == kTimes[i]);
  }
  printf("-- normalisation by timegm\n");
  struct tm odd = {
      .tm_year = 123, .tm_mon = 13, .tm_mday = 32, .tm_hour = 25, .tm_min = 61, .tm_sec = 61};
  time_t t = timegm(&odd);
  PrintTm("normalised", &odd);
  printf("t %lld difftime %.1f\n", (long long)t, difftime(t, 1700000000));

  printf("-- local time under POSIX TZ rules\n");
  const char* zones[] = {"UTC0", "EST5EDT,M3.2.0,M11.1.0", "CET-1CEST,M3.5.0,M10.5.0/3", "IST-5:30",
                         "NZST-12NZDT,M9.5.0,M4.1.0/3"};
  const time_t moments[] = {1678604400 /* around a US DST switch */, 1679792400, 1698541200,
                            1700000000, 1719792000};
  for (unsigned z = 0; z < sizeof zones / sizeof zones[0]; ++z) {
    setenv("TZ", zones[z], 1);
    tzset();
    printf("TZ=%s tzname %s/%s timezone %ld daylight %d\n", zones[z], tzname[0], tzname[1],
           timezone, daylight);
    for (unsigned m = 0; m < sizeof moments / sizeof moments[0]; ++m) {
      struct tm tm;
      localtime_r(&moments[m], &tm);
      PrintTm("  local", &tm);
      tm.tm_isdst = -1;
      printf("  mktime round trip %d\n", mktime(&tm) == moments[m]);
    }
    char buf[64];
    time_t fixed = 1234567890;
    printf("  ctime %s", ctime_r(&fixed, buf));
  }
  setenv("TZ", "UTC0", 1);
  tzset();
  struct tm parsed;
  memset(&parsed, 0, sizeof parsed);
  const char* rest = strptime("2024-02-29 13:45:07", "%Y-%m-%d %H:%M:%S", &parsed);
  PrintTm("strptime", &parsed);
  printf("strptime consumed all: %d, asctime %s", rest && *rest == '\0', asctime(&parsed));

  printf("-- clocks (properties only)\n");
  struct timespec a, b, c;
  clock_gettime(CLOCK_MONOTONIC, &a);
  struct timespec nap = {0, 20 * 1000 * 1000};
  nanosleep(&nap, NULL);
  clock_gettime(CLOCK_MONOTONIC, &b);
  clock_gettime(CLOCK_REALTIME, &c);
  double slept = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
  printf("monotonic advanced by at least the 20 ms sleep: %d\n", slept >= 0.02);
  printf("realtime after 2023: %d, time() agrees within 2 s: %d\n", c.tv_sec > 1672531200,
         labs((long)(time(NULL) - c.tv_sec)) <= 2);
  struct timespec res;
  clock_getres(CLOCK_MONOTONIC, &res);
  printf("monotonic resolution at most 1 ms: %d\n", res.tv_sec == 0 && res.tv_nsec <= 1000000);
  clock_t used = clock();
  printf("clock() non-negative: %d\n", used >= 0);
  return 0;
}
