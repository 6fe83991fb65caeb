/* Branchy benchmark: introsort-style quicksort (median of three, insertion sort for short runs)
 * and a bottom-up merge sort of pseudo-random keys, followed by a sortedness check. Branches on
 * data comparisons are hard to predict, which stresses guest branch translation.
 * size = number of keys. */
#include "bench.h"

static void InsertionSort(uint32_t* a, long lo, long hi) {
  for (long i = lo + 1; i <= hi; ++i) {
    uint32_t v = a[i];
    long j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      --j;
    }
    a[j + 1] = v;
  }
}

static void Swap(uint32_t* a, long i, long j) {
  uint32_t t = a[i];
  a[i] = a[j];
  a[j] = t;
}

static void QuickSort(uint32_t* a, long lo, long hi) {
  while (hi - lo > 16) {
    long mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) Swap(a, mid, lo);
    if (a[hi] < a[lo]) Swap(a, hi, lo);
    if (a[hi] < a[mid]) Swap(a, hi, mid);
    uint32_t pivot = a[mid];
    long i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) ++i;
      while (a[j] > pivot) --j;
      if (i <= j) Swap(a, i++, j--);
    }
    /* Recurse into the smaller half so the stack stays logarithmic. */
    if (j - lo < hi - i) {
      QuickSort(a, lo, j);
      lo = i;
    } else {
      QuickSort(a, i, hi);
      hi = j;
    }
  }
  InsertionSort(a, lo, hi);
}

static void MergeSort(uint64_t* a, uint64_t* tmp, size_t n) {
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n;
      size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = a[j] < a[i] ? a[j++] : a[i++];
      while (i < mid) tmp[k++] = a[i++];
      while (j < hi) tmp[k++] = a[j++];
    }
    memcpy(a, tmp, n * sizeof *a);
  }
}

int main(int argc, char** argv) {
  size_t n = BenchSize(argc, argv);
  uint32_t* keys = BenchAlloc(n * sizeof *keys);
  uint64_t* wide = BenchAlloc(n * sizeof *wide);
  uint64_t* tmp = BenchAlloc(n * sizeof *tmp);
  uint64_t seed = 7;
  for (size_t i = 0; i < n; ++i) {
    uint64_t r = SplitMix64(&seed);
    keys[i] = (uint32_t)r % (uint32_t)(n * 4 + 1); /* some duplicates */
    wide[i] = r;
  }
  QuickSort(keys, 0, (long)n - 1);
  MergeSort(wide, tmp, n);

  uint64_t checksum = 0;
  for (size_t i = 0; i < n; ++i) {
    if ((i > 0 && (keys[i - 1] > keys[i] || wide[i - 1] > wide[i]))) {
      fprintf(stderr, "sort: not sorted at %zu\n", i);
      return 1;
    }
    if (i % 97 == 0) checksum = Mix64(checksum, keys[i] ^ wide[i]);
  }
  BenchReport("sort", n, checksum);
  free(keys);
  free(wide);
  free(tmp);
  return 0;
}
