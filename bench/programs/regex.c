/* Branchy benchmark: a small backtracking regular-expression matcher (after Kernighan and Pike,
 * extended with classes, '+' and '?') run over generated lines of text. Recursion, byte loads and
 * unpredictable branches dominate. size = number of text lines. */
#include "bench.h"

/* One pattern element: a literal, '.', or a class, with an optional quantifier. */
typedef struct {
  uint8_t set[32]; /* bitmap of accepted bytes */
  char quant;      /* 0, '*', '+' or '?' */
} Atom;

typedef struct {
  Atom atoms[32];
  int count;
  int anchored_start, anchored_end;
} Regex;

static void SetBit(uint8_t* set, unsigned c) { set[c >> 3] |= (uint8_t)(1u << (c & 7)); }
static int HasBit(const uint8_t* set, unsigned c) { return (set[c >> 3] >> (c & 7)) & 1; }

static void Compile(const char* p, Regex* re) {
  memset(re, 0, sizeof *re);
  if (*p == '^') re->anchored_start = 1, ++p;
  while (*p && !(p[0] == '$' && p[1] == '\0')) {
    Atom* a = &re->atoms[re->count++];
    if (*p == '.') {
      for (unsigned c = 1; c < 256; ++c) SetBit(a->set, c);
      ++p;
    } else if (*p == '[') {
      int negate = *++p == '^';
      if (negate) ++p;
      uint8_t set[32] = {0};
      while (*p && *p != ']') {
        if (p[1] == '-' && p[2] && p[2] != ']') {
          for (unsigned c = (unsigned char)p[0]; c <= (unsigned char)p[2]; ++c) SetBit(set, c);
          p += 3;
        } else {
          SetBit(set, (unsigned char)*p++);
        }
      }
      if (*p == ']') ++p;
      for (int i = 0; i < 32; ++i) a->set[i] = negate ? (uint8_t)~set[i] : set[i];
      a->set[0] &= 0xfe; /* never match the terminating NUL */
    } else {
      SetBit(a->set, (unsigned char)*p++);
    }
    if (*p == '*' || *p == '+' || *p == '?') a->quant = *p++;
  }
  if (*p == '$') re->anchored_end = 1;
}

static int MatchHere(const Regex* re, int i, const char* text);

/* Greedy repetition of atom i, between min and max occurrences, then the rest of the pattern. */
static int MatchRepeat(const Regex* re, int i, const char* text, int min, int max) {
  const char* t = text;
  int n = 0;
  while (n < max && *t && HasBit(re->atoms[i].set, (unsigned char)*t)) ++t, ++n;
  for (; n >= min; --n, --t)
    if (MatchHere(re, i + 1, t)) return 1;
  return 0;
}

static int MatchHere(const Regex* re, int i, const char* text) {
  if (i == re->count) return !re->anchored_end || *text == '\0';
  switch (re->atoms[i].quant) {
    case '*': return MatchRepeat(re, i, text, 0, 1 << 30);
    case '+': return MatchRepeat(re, i, text, 1, 1 << 30);
    case '?': return MatchRepeat(re, i, text, 0, 1);
    default:
      if (*text && HasBit(re->atoms[i].set, (unsigned char)*text)) return MatchHere(re, i + 1, text + 1);
      return 0;
  }
}

/* Returns the offset of the leftmost match, or -1. */
static int Search(const Regex* re, const char* text) {
  if (re->anchored_start) return MatchHere(re, 0, text) ? 0 : -1;
  const char* t = text;
  do {
    if (MatchHere(re, 0, t)) return (int)(t - text);
  } while (*t++);
  return -1;
}

static const char* const kSyllables[] = {"th", "an", "qu", "ex", "ing", "ro", "ba", "ze", "ci",
                                         "ou", "st", "pl", "mo", "4", "17", "x", "k", "ea"};
static const char* const kPatterns[] = {
    "th[aeiou]+n", "^ba.*ze", "qu[^aeiou]", "[0-9]+x", "st?r?o+m", "ex.*ing$",
    "[a-f][m-z][a-f]", "o.u.e", "k[0-9]*ea", "pl.*pl.*pl", "^[^q]*$", "zeci",
};
enum { kPatternCount = sizeof kPatterns / sizeof kPatterns[0] };

int main(int argc, char** argv) {
  uint64_t lines = BenchSize(argc, argv);
  Regex res[kPatternCount];
  for (int p = 0; p < kPatternCount; ++p) Compile(kPatterns[p], &res[p]);

  uint64_t seed = 99, checksum = 0;
  uint64_t hits[kPatternCount] = {0};
  char line[160];
  for (uint64_t l = 0; l < lines; ++l) {
    size_t len = 0, target = 40 + SplitMix64(&seed) % 60;
    while (len < target) {
      uint64_t r = SplitMix64(&seed);
      const char* s = kSyllables[r % (sizeof kSyllables / sizeof kSyllables[0])];
      size_t sl = strlen(s);
      memcpy(line + len, s, sl);
      len += sl;
      if ((r >> 20) % 5 == 0) line[len++] = ' ';
    }
    line[len] = '\0';
    for (int p = 0; p < kPatternCount; ++p) {
      int at = Search(&res[p], line);
      if (at >= 0) {
        ++hits[p];
        checksum = Mix64(checksum, (uint64_t)p << 32 | (uint64_t)at);
      }
    }
  }
  for (int p = 0; p < kPatternCount; ++p) checksum = Mix64(checksum, hits[p]);
  BenchReport("regex", lines, checksum);
  return 0;
}
