// The argument checks of the three hypercalls (hypercall.cpp, docs/abi.md) and the rule every
// guest-supplied range obeys (guest_ptr), as pure functions: what a guest passes in EBX/ECX
// decides here, before Gandalf touches anything. Portable, so the host fuzz target
// (tests/fuzz/fuzz_hypercall.cpp) runs this very code.
#pragma once

#include <cstdint>

#include "gandalf/abi.h"
#include "gandalf/core/status.hpp"

namespace gandalf::core {

// A partition's reach: `memory` bytes from its segment base, of which the segment covers
// offsets [0, seg_limit].
struct Reach {
  std::uint32_t memory;
  std::uint32_t seg_limit;
};

// [offset, offset + len) is non-empty and inside both the segment and the partition's memory
// (64-bit arithmetic: no wrap-around at 4 GiB).
constexpr bool in_reach(Reach r, std::uint32_t offset, std::uint32_t len) {
  const std::uint64_t end = std::uint64_t{offset} + len;
  return len != 0 && end <= r.memory && end - 1 <= r.seg_limit;
}

// set_vectors(table = EBX, entries = ECX): at most GANDALF_VECTORS 4-byte entries, all in reach.
constexpr Status check_set_vectors(Reach r, std::uint32_t table, std::uint32_t entries) {
  if (entries > GANDALF_VECTORS) return Status::invalid;
  if (entries != 0 && !in_reach(r, table, entries * 4)) return Status::fault;
  return Status::ok;
}

// set_if(mode = EBX): 0 off, 1 on, 2 query.
constexpr Status check_set_if(std::uint32_t mode) { return mode > 2 ? Status::invalid : Status::ok; }

// halt(flags = EBX): only GANDALF_HALT_ENABLE.
constexpr Status check_halt(std::uint32_t flags) {
  return (flags & ~GANDALF_HALT_ENABLE) != 0 ? Status::invalid : Status::ok;
}

}  // namespace gandalf::core
