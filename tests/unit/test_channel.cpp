// The channel's record protocol (include/gandalf/channel.h): the one parser both ends run on
// what the other end wrote, and the shadow policy's treatment of channel frames.
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <random>
#include <vector>

#include "gandalf/channel.h"
#include "gandalf/linux/shadow_policy.hpp"

namespace {

constexpr std::uint32_t kSize = 8192, kRecord = 64, kPayload = kRecord - 4;

struct Region {
  alignas(64) std::array<std::uint8_t, kSize> bytes{};
  gandalf_channel_end rtos{}, linux_end{};
  void attach_both() {
    ASSERT_EQ(gandalf_channel_attach(&rtos, bytes.data(), kSize, kRecord, 0), 0);
    ASSERT_EQ(gandalf_channel_attach(&linux_end, bytes.data(), kSize, kRecord, 1), 0);
  }
};

TEST(Channel, MessagesCrossInOrder) {
  Region r;
  r.attach_both();
  for (std::uint32_t i = 0; i < 10; ++i) ASSERT_EQ(gandalf_channel_send(&r.rtos, &i, sizeof i), 0);
  for (std::uint32_t i = 0; i < 10; ++i) {
    std::uint32_t got = ~0u;
    ASSERT_EQ(gandalf_channel_receive(&r.linux_end, &got, sizeof got), 4);
    EXPECT_EQ(got, i);
  }
  std::uint32_t got;
  EXPECT_EQ(gandalf_channel_receive(&r.linux_end, &got, sizeof got), GANDALF_CH_EMPTY);
}

TEST(Channel, TooLongIsRefusedAndATooSmallBufferKeepsTheRecord) {
  Region r;
  r.attach_both();
  std::array<std::uint8_t, kPayload + 1> big{};
  EXPECT_EQ(gandalf_channel_send(&r.linux_end, big.data(), kPayload + 1), GANDALF_CH_TOO_LONG);
  ASSERT_EQ(gandalf_channel_send(&r.linux_end, big.data(), kPayload), 0);
  EXPECT_EQ(gandalf_channel_receive(&r.rtos, big.data(), 10), GANDALF_CH_TOO_LONG);
  EXPECT_EQ(gandalf_channel_receive(&r.rtos, big.data(), kPayload), static_cast<int>(kPayload));
}

TEST(Channel, SkipDropsARecordTooLongForTheReader) {
  Region r;
  r.attach_both();
  std::array<std::uint8_t, 40> big{};
  const std::uint32_t small = 5;
  ASSERT_EQ(gandalf_channel_send(&r.linux_end, big.data(), big.size()), 0);
  ASSERT_EQ(gandalf_channel_send(&r.linux_end, &small, 4), 0);
  std::uint32_t got = 0;
  EXPECT_EQ(gandalf_channel_receive(&r.rtos, &got, 4), GANDALF_CH_TOO_LONG);
  EXPECT_EQ(gandalf_channel_skip(&r.rtos), 0);
  ASSERT_EQ(gandalf_channel_receive(&r.rtos, &got, 4), 4);
  EXPECT_EQ(got, small);
  EXPECT_EQ(gandalf_channel_skip(&r.rtos), GANDALF_CH_EMPTY);
}

TEST(Channel, FullRingRefusesUntilThePeerReads) {
  Region r;
  r.attach_both();
  const std::uint32_t capacity = r.rtos.capacity;
  EXPECT_EQ(capacity, (kSize / 2 - GANDALF_CHANNEL_HEADER) / kRecord);
  for (std::uint32_t i = 0; i < capacity; ++i) ASSERT_EQ(gandalf_channel_send(&r.rtos, &i, 4), 0);
  EXPECT_EQ(gandalf_channel_send(&r.rtos, &capacity, 4), GANDALF_CH_FULL);
  std::uint32_t got;
  ASSERT_EQ(gandalf_channel_receive(&r.linux_end, &got, 4), 4);
  EXPECT_EQ(gandalf_channel_send(&r.rtos, &capacity, 4), 0);
}

TEST(Channel, ARestartedPeerIsReadFromItsNewStart) {
  Region r;
  r.attach_both();
  const std::uint32_t old = 1, fresh = 2;
  ASSERT_EQ(gandalf_channel_send(&r.rtos, &old, 4), 0);
  ASSERT_EQ(gandalf_channel_send(&r.rtos, &old, 4), 0);
  ASSERT_EQ(gandalf_channel_attach(&r.rtos, r.bytes.data(), kSize, kRecord, 0), 0);  // rtos1 restarts
  ASSERT_EQ(gandalf_channel_send(&r.rtos, &fresh, 4), 0);
  std::uint32_t got = 0;
  ASSERT_EQ(gandalf_channel_receive(&r.linux_end, &got, 4), 4);
  EXPECT_EQ(got, fresh);
  EXPECT_EQ(gandalf_channel_receive(&r.linux_end, &got, 4), GANDALF_CH_EMPTY);
  // And what Linux had sent to the previous life is not read by the new one.
  ASSERT_EQ(gandalf_channel_send(&r.linux_end, &old, 4), 0);
  ASSERT_EQ(gandalf_channel_attach(&r.rtos, r.bytes.data(), kSize, kRecord, 0), 0);
  EXPECT_EQ(gandalf_channel_receive(&r.rtos, &got, 4), GANDALF_CH_EMPTY);
}

TEST(Channel, MalformedRecordsAndCountersAreSkipped) {
  Region r;
  r.attach_both();
  const std::uint32_t v = 7;
  ASSERT_EQ(gandalf_channel_send(&r.linux_end, &v, 4), 0);
  ASSERT_EQ(gandalf_channel_send(&r.linux_end, &v, 4), 0);
  auto* slot0 = r.bytes.data() + kSize / 2 + GANDALF_CHANNEL_HEADER;
  const std::uint32_t bad_len = kRecord;  // beyond the record
  std::memcpy(slot0, &bad_len, 4);
  std::uint8_t buf[kRecord];
  EXPECT_EQ(gandalf_channel_receive(&r.rtos, buf, sizeof buf), GANDALF_CH_BAD);
  EXPECT_EQ(gandalf_channel_receive(&r.rtos, buf, sizeof buf), 4);  // the next one is fine
  r.linux_end.mine->head = r.linux_end.mine->head + 1000;           // beyond the ring
  EXPECT_EQ(gandalf_channel_receive(&r.rtos, buf, sizeof buf), GANDALF_CH_BAD);
  EXPECT_EQ(gandalf_channel_receive(&r.rtos, buf, sizeof buf), GANDALF_CH_EMPTY);
}

// Property: whatever the peer's half holds, a receive returns a length within the buffer and
// the record, writes nothing outside the buffer and nothing in the peer's half, and a send
// never writes outside its own half.
TEST(Channel, HostilePeerHalfProperty) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 20000; ++round) {
    Region r;
    r.attach_both();
    auto* peer_half = r.bytes.data() + kSize / 2;
    const unsigned words = 1 + rng() % 64;
    for (unsigned i = 0; i < words; ++i) {
      const std::uint32_t at = (rng() % (kSize / 2 / 4)) * 4;
      std::uint32_t value = rng();
      if (rng() % 4 == 0) value %= 80;  // plausible lengths and counters too
      std::memcpy(peer_half + at, &value, 4);
    }
    const std::vector<std::uint8_t> before(peer_half, peer_half + kSize / 2);
    std::uint8_t buf[kRecord + 16];
    std::memset(buf, 0xa5, sizeof buf);
    const std::uint32_t size = rng() % (kRecord + 1);
    for (int k = 0; k < 4; ++k) {
      const int n = gandalf_channel_receive(&r.rtos, buf, size);
      ASSERT_LE(n, static_cast<int>(std::min(size, kPayload)));
      for (std::uint32_t i = size; i < sizeof buf; ++i) ASSERT_EQ(buf[i], 0xa5) << "wrote past the buffer";
      const std::uint32_t v = 1;
      (void)gandalf_channel_send(&r.rtos, &v, 4);
    }
    ASSERT_TRUE(std::equal(before.begin(), before.end(), peer_half)) << "touched the peer's half";
  }
}

// The shadow policy: channel frames are the only frames outside Linux's memory it maps, and the
// RTOS's half only for reading.
TEST(ChannelShadow, LinuxHalfWritableRtosHalfReadOnlyOthersForeign) {
  using namespace gandalf::linux_guest::shadow;
  constexpr std::uint32_t memory = 96u << 20, chan = 0x063f0000u;
  const SharedRange shared[2] = {{chan, 0x2000, false}, {chan + 0x2000, 0x2000, true}};
  const Mode m{true, true, memory, shared, 2};
  const std::uint32_t pde = 0x00001000u | 0x7u, rw_pte = 0x3u | 0x40u;  // P RW U; PTE P RW D
  auto at = [&](std::uint32_t frame, bool write) { return at_table(pde, frame | rw_pte, {write, false}, m); };
  EXPECT_EQ(at(chan, false).verdict, Verdict::map);
  EXPECT_EQ(at(chan, false).shadow & 2u, 0u) << "the RTOS's half must be read-only";
  EXPECT_EQ(at(chan, true).verdict, Verdict::read_only);
  EXPECT_EQ(at(chan, true).error, pf_present | pf_write | pf_reserved);
  EXPECT_EQ(at(chan + 0x2000, true).verdict, Verdict::map);
  EXPECT_NE(at(chan + 0x2000, true).shadow & 2u, 0u);
  EXPECT_EQ(at(chan + 0x4000, false).verdict, Verdict::foreign);
  EXPECT_EQ(at(chan - 0x1000, false).verdict, Verdict::foreign);
  // A supervisor write with CR0.WP clear would go through a read-only entry: not to the RTOS's half.
  const Mode no_wp{false, true, memory, shared, 2};
  EXPECT_EQ(at_table(pde, chan | 0x1u, {true, false}, no_wp).verdict, Verdict::read_only);
  // The same through a 4 MiB page over the channel.
  const DirectoryStep big = at_directory(chan, (chan & 0xffc00000u) | 0x83u | 0x40u, {true, false}, m);
  EXPECT_EQ(big.decision.verdict, Verdict::read_only);
  const DirectoryStep big_read = at_directory(chan + 0x2000, (chan & 0xffc00000u) | 0x83u, {false, false}, m);
  EXPECT_EQ(big_read.decision.verdict, Verdict::map);
}

}  // namespace
