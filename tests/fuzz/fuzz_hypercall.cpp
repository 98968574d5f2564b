// Fuzz target: the hypercall argument checks (gandalf/core/hypercall_args.hpp), which decide
// on what a guest put in EAX/EBX/ECX before Gandalf reads or keeps anything, and the range
// rule of guest_ptr they share. Input: EAX, EBX, ECX and the partition's memory and segment
// limit, 4 bytes each.
//
// Checked: an accepted vector table lies wholly inside both the segment and the memory (no
// 32-bit wrap-around), an accepted range is never empty, and every refusal is one of the ABI's
// error values; set_if and halt accept exactly the values docs/abi.md lists.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "gandalf/core/hypercall_args.hpp"

namespace {

using gandalf::Status;
using namespace gandalf::core;

[[noreturn]] void fail(const char* what, std::uint32_t a, std::uint32_t b, Reach r) {
  std::fprintf(stderr, "fuzz_hypercall: %s (args %08x %08x, memory %08x, limit %08x)\n", what, a, b, r.memory,
               r.seg_limit);
  std::abort();
}

bool abi_error(Status s) { return s == Status::invalid || s == Status::fault || s == Status::no_such_call; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::uint32_t w[5] = {};
  std::memcpy(w, data, size < sizeof w ? size : sizeof w);
  const std::uint32_t nr = w[0] % (GANDALF_HC_COUNT + 1), ebx = w[1], ecx = w[2];
  const Reach r{w[3] & ~0xfffu, w[4]};  // memory is a whole number of pages
  switch (nr) {
    case GANDALF_HC_SET_VECTORS: {
      const Status s = check_set_vectors(r, ebx, ecx);
      if (s == Status::ok && ecx != 0) {
        const std::uint64_t end = std::uint64_t{ebx} + 4ull * ecx;
        if (ecx > GANDALF_VECTORS) fail("more vectors than the ABI has", ebx, ecx, r);
        if (end > r.memory || end - 1 > r.seg_limit) fail("accepted a table beyond reach", ebx, ecx, r);
      } else if (s != Status::ok && !abi_error(s)) {
        fail("refused with a value outside the ABI", ebx, ecx, r);
      }
      break;
    }
    case GANDALF_HC_SET_IF:
      if ((check_set_if(ebx) == Status::ok) != (ebx <= 2)) fail("set_if accepts the wrong modes", ebx, 0, r);
      break;
    case GANDALF_HC_HALT:
      if ((check_halt(ebx) == Status::ok) != (ebx == 0 || ebx == GANDALF_HALT_ENABLE))
        fail("halt accepts the wrong flags", ebx, 0, r);
      break;
    default: {
      const bool ok = in_reach(r, ebx, ecx);
      const std::uint64_t end = std::uint64_t{ebx} + ecx;
      if (ok && (ecx == 0 || end > r.memory || end - 1 > r.seg_limit)) fail("in_reach accepted a bad range", ebx, ecx, r);
      if (!ok && ecx != 0 && end <= r.memory && end - 1 <= r.seg_limit) fail("in_reach refused a good range", ebx, ecx, r);
      break;
    }
  }
  return 0;
}
