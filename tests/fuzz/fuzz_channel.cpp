// Fuzz target: the channel's record protocol (include/gandalf/channel.h) as the RTOS end runs
// it, against a peer that writes anything anywhere in its own half at any moment (Linux may;
// it can never write the RTOS's half, Gandalf's shadow page tables refuse that).
//
// Input: byte 0 the record size, byte 1 the records per ring, then a program of peer writes,
// sends and receives. Checked, besides ASan (the region and every buffer are allocations of
// their exact size) and UBSan: our end never writes into the peer's half; a receive returns a
// length that fits both the caller's buffer and a record, or an error value; a send of a
// message longer than a record is refused; an in-flight count never exceeds the ring.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "gandalf/channel.h"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

using gandalf::fuzz::Input;

[[noreturn]] void fail(const char* what, std::size_t step) {
  std::fprintf(stderr, "fuzz_channel: step %zu: %s\n", step, what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in{data, size};
  const std::uint32_t record = 4u * (1u + in.byte() % 64u);  // 4..256, also below the minimum
  const std::uint32_t records = 1u + in.byte() % 16u;
  const std::uint32_t half = GANDALF_CHANNEL_HEADER + records * record;
  const std::uint32_t region_size = 2u * half;
  // Exactly region_size bytes (ASan sees any byte beyond); operator new aligns it to 16, and
  // the protocol needs 4 (the real region is page-aligned).
  std::vector<std::uint8_t> storage(region_size);
  std::uint8_t* region = storage.data();
  gandalf_channel_end rtos{};
  const int attached = gandalf_channel_attach(&rtos, region, region_size, record, 0);
  if (attached != 0) {
    if (record >= GANDALF_CHANNEL_MIN_RECORD) fail("a usable shape refused", 0);
    return 0;
  }
  std::uint8_t* peer_half = region + half;
  std::vector<std::uint8_t> snapshot(half);
  for (std::size_t step = 0; in.more(); ++step) {
    const std::uint8_t op = in.byte();
    switch (op % 4) {
      case 0: {  // the peer writes a word anywhere in its half
        const std::uint32_t offset = (in.byte() | in.byte() << 8) % (half - 3) & ~3u;
        const std::uint32_t value = in.word();
        std::memcpy(peer_half + offset, &value, 4);
        break;
      }
      case 1: {  // the peer writes a header field with a small value (a plausible counter)
        const std::uint32_t field = (op >> 2) % 8, value = in.byte();
        std::memcpy(peer_half + 4 * field, &value, 4);
        break;
      }
      case 2: {  // we send
        const std::uint32_t len = in.byte();
        std::vector<std::uint8_t> msg(len, static_cast<std::uint8_t>(step));
        std::memcpy(snapshot.data(), peer_half, half);
        const int r = gandalf_channel_send(&rtos, msg.data(), len);
        if (std::memcmp(snapshot.data(), peer_half, half) != 0) fail("send wrote into the peer's half", step);
        if (len > record - 4 && r != GANDALF_CH_TOO_LONG) fail("an overlong message was not refused", step);
        if (r != 0 && r != GANDALF_CH_TOO_LONG && r != GANDALF_CH_FULL) fail("send: unknown result", step);
        break;
      }
      default: {  // we receive into a buffer of any size
        const std::uint32_t cap = in.byte();
        std::unique_ptr<std::uint8_t[]> buf(new std::uint8_t[cap == 0 ? 1 : cap]);
        std::memcpy(snapshot.data(), peer_half, half);
        const int r = gandalf_channel_receive(&rtos, buf.get(), cap);
        if (std::memcmp(snapshot.data(), peer_half, half) != 0) fail("receive wrote into the peer's half", step);
        if (r >= 0 && (static_cast<std::uint32_t>(r) > cap || static_cast<std::uint32_t>(r) > record - 4))
          fail("receive returned more than fits", step);
        if (r < 0 && r != GANDALF_CH_EMPTY && r != GANDALF_CH_TOO_LONG && r != GANDALF_CH_BAD)
          fail("receive: unknown result", step);
        break;
      }
    }
    if (gandalf_channel_in_flight(&rtos) > rtos.capacity) fail("more in flight than the ring holds", step);
  }
  return 0;
}
