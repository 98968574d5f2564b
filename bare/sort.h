/* bare: sorting for freestanding code (percentiles of benchmark samples): heapsort, in place,
 * no recursion and no memory of its own, O(n log n) in the worst case. C and C++. */
#ifndef BARE_SORT_H
#define BARE_SORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sorts v[0..n) ascending. */
void bare_sort_u32(uint32_t* v, size_t n);

#ifdef __cplusplus
}
#endif

#endif
