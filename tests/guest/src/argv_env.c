/* Guest test: the initial process state the loader builds: argc/argv (empty strings, spaces,
 * non-ASCII bytes), envp and getenv for variables the harness sets, the auxiliary vector entries
 * whose values are the same natively and in the guest, and stdin passed through. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static int CompareStrings(const void* a, const void* b) {
  return strcmp(*(char* const*)a, *(char* const*)b);
}

int main(int argc, char** argv, char** envp) {
  printf("argc %d\n", argc);
  for (int i = 0; i < argc; ++i) {
    printf("argv[%d] (%zu) \"", i, strlen(argv[i]));
    for (const unsigned char* p = (const unsigned char*)argv[i]; *p; ++p)
      printf(*p >= 0x20 && *p < 0x7f ? "%c" : "\\x%02x", *p);
    printf("\"\n");
  }
  printf("argv[argc] is NULL: %d\n", argv[argc] == NULL);

  /* Only the variables this test owns (GT_*) and the harness's fixed ones: a runner may need
   * variables of its own (sanitizer options) that both runs see but that are not ours to print. */
  char* mine[128];
  int n = 0;
  for (char** e = envp; *e; ++e)
    if (strncmp(*e, "GT_", 3) == 0 && n < 128) mine[n++] = *e;
  qsort(mine, (size_t)n, sizeof mine[0], CompareStrings);
  printf("GT_ variables: %d\n", n);
  for (int i = 0; i < n; ++i) printf("  %s\n", mine[i]);
  const char* names[] = {"LANG", "LC_ALL", "TZ", "PATH", "GT_EMPTY", "GT_MISSING"};
  for (unsigned i = 0; i < sizeof names / sizeof names[0]; ++i) {
    const char* v = getenv(names[i]);
    printf("getenv(%s) = %s%s%s\n", names[i], v ? "\"" : "", v ? v : "(null)", v ? "\"" : "");
  }
  setenv("GT_NEW", "set at run time", 1);
  unsetenv("GT_ALPHA");
  printf("after setenv/unsetenv: %s %s\n", getenv("GT_NEW"), getenv("GT_ALPHA") ? "still" : "gone");

  /* auxv entries that a user-mode loader must reproduce as the kernel would. */
  printf("AT_PAGESZ %lu AT_SECURE %lu uid-match %d gid-match %d\n", getauxval(AT_PAGESZ),
         getauxval(AT_SECURE), getauxval(AT_UID) == (unsigned long)getuid(),
         getauxval(AT_EGID) == (unsigned long)getegid());
  const char* execfn = (const char*)getauxval(AT_EXECFN);
  printf("AT_EXECFN %s, AT_RANDOM present %d\n", execfn ? execfn : "(none)",
         getauxval(AT_RANDOM) != 0);

  char line[256];
  int lines = 0;
  while (fgets(line, sizeof line, stdin)) {
    ++lines;
    printf("stdin: %s", line);
  }
  printf("stdin lines %d\n", lines);
  return argc;
}
