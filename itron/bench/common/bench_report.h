/* bench_report.h: how the μITRON benchmarks print a figure (bench/run_itron.py reads it).
 *
 *   bench: NAME n=.. min=.. p50=.. p90=.. p99=.. p999=.. max=..
 *   hist: NAME lo:count lo:count ...   (the non-empty ones of 20 equal buckets from min
 *                                        to max, over as many lines as needed)
 *
 * Sorts the samples in place. */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include <kernel.h>
#include <t_syslog.h>
#include "bare/sort.h"

static inline void report(const char *name, uint32_t *v, uint_t n) {
  bare_sort_u32(v, n);
  syslog(LOG_NOTICE, "bench: %s n=%u min=%u p50=%u p90=%u p99=%u p999=%u max=%u", name, n, v[0], v[n / 2],
         v[n * 9 / 10], v[n * 99 / 100], v[n * 999 / 1000], v[n - 1]);
  /* 20 equal buckets from min to max; the non-empty ones, a few per line (syslog lines
   * are at most 158 characters). */
  const uint32_t lo = v[0], width = (v[n - 1] - v[0]) / 20 + 1;
  uint_t i = 0;
  uint32_t bucket_lo[20], bucket_n[20];
  uint_t used = 0;
  for (uint_t b = 0; b < 20 && i < n; ++b) {
    const uint32_t hi = lo + (b + 1) * width;
    uint_t count = 0;
    while (i < n && v[i] < hi) { ++count; ++i; }
    if (count == 0) continue;
    bucket_lo[used] = lo + b * width;
    bucket_n[used++] = count;
  }
  for (uint_t b = 0; b < used; b += 4) {
    if (used - b >= 4) {
      syslog(LOG_NOTICE, "hist: %s %u:%u %u:%u %u:%u %u:%u", name, bucket_lo[b], bucket_n[b], bucket_lo[b + 1],
             bucket_n[b + 1], bucket_lo[b + 2], bucket_n[b + 2], bucket_lo[b + 3], bucket_n[b + 3]);
    } else {
      for (uint_t c = b; c < used; ++c) syslog(LOG_NOTICE, "hist: %s %u:%u", name, bucket_lo[c], bucket_n[c]);
    }
  }
}

#endif /* BENCH_REPORT_H */
