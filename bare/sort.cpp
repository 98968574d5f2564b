// bare: heapsort (sort.h).
#include "bare/sort.h"

#include <cstddef>
#include <cstdint>

namespace {

// Restores the max-heap below `root` in v[0..n).
void sift_down(std::uint32_t* v, std::size_t root, std::size_t n) {
  for (std::size_t child; (child = 2 * root + 1) < n; root = child) {
    if (child + 1 < n && v[child + 1] > v[child]) ++child;
    if (v[root] >= v[child]) return;
    const std::uint32_t t = v[root];
    v[root] = v[child];
    v[child] = t;
  }
}

}  // namespace

extern "C" void bare_sort_u32(std::uint32_t* v, std::size_t n) {
  for (std::size_t i = n / 2; i-- > 0;) sift_down(v, i, n);
  for (std::size_t end = n; end-- > 1;) {
    const std::uint32_t t = v[0];
    v[0] = v[end];
    v[end] = t;
    sift_down(v, 0, end);
  }
}
