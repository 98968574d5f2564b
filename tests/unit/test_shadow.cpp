// Linux's virtual TLB, the rule of one fill (gandalf/linux/shadow_policy.hpp, issue #12):
// the cases Linux relies on, the hostile and malformed entries of the issue, and a property
// test over random entries: no shadow entry ever names a frame outside Linux's memory or grants
// more than Linux's own entries do.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>

#include "gandalf/linux/shadow_policy.hpp"

namespace {

using namespace gandalf::linux_guest::shadow;
using E = gandalf::ia32::PageEntry;

constexpr std::uint32_t memory = 96u << 20;
constexpr Mode mode{true, true, memory};
constexpr Access kernel_read{false, false}, kernel_write{true, false};
constexpr Access user_read{false, true}, user_write{true, true};

constexpr std::uint32_t P = E::P::mask, RW = E::Rw::mask, US = E::Us::mask, A = E::A::mask, D = E::D::mask,
                        PS = E::Ps::mask, PCD = E::Pcd::mask;

Decision walk(std::uint32_t linear, std::uint32_t pde, std::uint32_t pte, Access a, Mode m = mode) {
  const DirectoryStep s = at_directory(linear, pde, a, m);
  return s.to_table ? at_table(pde, pte, a, m) : s.decision;
}

TEST(ShadowFill, UserPageIsMappedWithLinuxsRights) {
  const Decision d = walk(0x08049123, 0x00123000 | P | RW | US, 0x00456000 | P | RW | US | D, user_read);
  ASSERT_EQ(d.verdict, Verdict::map);
  EXPECT_FALSE(d.large);
  EXPECT_EQ(d.frame, 0x00456000u);
  EXPECT_EQ(d.shadow & ~0xfffu, 0x00456000u);
  EXPECT_TRUE(d.shadow & P);
  EXPECT_TRUE(d.shadow & US);
  EXPECT_TRUE(d.shadow & RW);  // already dirty: writable at once
  EXPECT_EQ(d.pte_set, A);
  EXPECT_EQ(d.pde_set, A);
}

TEST(ShadowFill, CleanPageIsReadOnlyUntilWrittenThenDirty) {
  const std::uint32_t pde = 0x00123000 | P | RW | US, pte = 0x00456000 | P | RW | US;
  const Decision read = walk(0x08049000, pde, pte, user_read);
  ASSERT_EQ(read.verdict, Verdict::map);
  EXPECT_FALSE(read.shadow & RW) << "a clean page must fault on its first write";
  EXPECT_EQ(read.pte_set, A);
  const Decision write = walk(0x08049000, pde, pte, user_write);
  ASSERT_EQ(write.verdict, Verdict::map);
  EXPECT_TRUE(write.shadow & RW);
  EXPECT_EQ(write.pte_set, A | D);
}

TEST(ShadowFill, NotPresentGivesLinuxsOwnFault) {
  EXPECT_EQ(walk(0x1000, 0, 0, user_write).error, unsigned{pf_write | pf_user});
  const Decision d = walk(0x1000, 0x00123000 | P | RW | US, 0, kernel_read);
  EXPECT_EQ(d.verdict, Verdict::guest_fault);
  EXPECT_EQ(d.error, 0u);
}

TEST(ShadowFill, ProtectionFaultsAreLinuxsToHandle) {
  const std::uint32_t pde = 0x00123000 | P | RW | US;
  // Copy-on-write: a write to a read-only user page, from user mode and from the kernel (WP).
  EXPECT_EQ(walk(0x1000, pde, 0x00456000 | P | US, user_write).error, unsigned{pf_present | pf_write | pf_user});
  EXPECT_EQ(walk(0x1000, pde, 0x00456000 | P | US, kernel_write).error, unsigned{pf_present | pf_write});
  // A user access to a kernel page.
  EXPECT_EQ(walk(0xc1000000, pde, 0x01000000 | P | RW, user_read).error, unsigned{pf_present | pf_user});
  // The directory entry's rights count too.
  EXPECT_EQ(walk(0x1000, 0x00123000 | P | US, 0x00456000 | P | RW | US, user_write).verdict, Verdict::guest_fault);
}

TEST(ShadowFill, SupervisorWriteWithoutWpIsSupervisorOnly) {
  const Mode no_wp{false, true, memory};
  const Decision d = walk(0x1000, 0x00123000 | P | RW | US, 0x00456000 | P | US, kernel_write, no_wp);
  ASSERT_EQ(d.verdict, Verdict::map);
  EXPECT_TRUE(d.shadow & RW);
  EXPECT_FALSE(d.shadow & US) << "user code must not write through an entry only CR0.WP=0 made writable";
}

TEST(ShadowFill, LargePageInsideLinuxIsShadowedLarge) {
  const Decision d = walk(0xc1234567, 0x01000000 | P | RW | PS | D, 0, kernel_write);
  ASSERT_EQ(d.verdict, Verdict::map);
  EXPECT_TRUE(d.large);
  EXPECT_EQ(d.shadow & 0xffc00000u, 0x01000000u);
  EXPECT_TRUE(d.shadow & PS);
  EXPECT_EQ(d.pde_set, A | D);
}

TEST(ShadowFill, PsIsATablePointerWithoutCr4Pse) {
  const Mode no_pse{true, false, memory};
  const DirectoryStep s = at_directory(0xc1234567, 0x01000000 | P | RW | PS, kernel_read, no_pse);
  EXPECT_TRUE(s.to_table);
  EXPECT_EQ(s.table, 0x01000000u);
}

TEST(ShadowFill, LargePageAcrossLinuxsEndIsShadowedPageByPage) {
  const std::uint32_t pde = 0x05c00000 | P | RW | PS | D;  // 92..96 MiB: inside
  EXPECT_TRUE(walk(0x05c00000, pde, 0, kernel_read).large);
  const Mode small{true, true, 94u << 20};  // Linux ends in the middle of the 4 MiB page
  const Decision inside = walk(0x05c01000, pde, 0, kernel_read, small);
  ASSERT_EQ(inside.verdict, Verdict::map);
  EXPECT_FALSE(inside.large);
  EXPECT_EQ(inside.frame, 0x05c01000u);
  const Decision outside = walk(0x05fff000, pde, 0, kernel_read, small);
  EXPECT_EQ(outside.verdict, Verdict::foreign);
  EXPECT_EQ(outside.frame, 0x05fff000u);
}

TEST(ShadowFill, ForeignFramesAreNeverMapped) {
  const std::uint32_t pde = 0x00123000 | P | RW | US;
  for (std::uint32_t frame : {0x06000000u /* rtos0 */, 0x06400000u /* Gandalf */, 0x06a00000u /* image store */,
                              0xfffff000u, memory}) {
    const Decision d = walk(0x1000, pde, frame | P | RW | US | D, kernel_write);
    EXPECT_EQ(d.verdict, Verdict::foreign) << std::hex << frame;
    EXPECT_EQ(d.error, unsigned{pf_present | pf_reserved | pf_write});
    EXPECT_EQ(d.frame, frame);
  }
  // A page table outside Linux's memory is never read.
  const DirectoryStep s = at_directory(0x1000, 0x06000000 | P | RW | US, kernel_read, mode);
  EXPECT_FALSE(s.to_table);
  EXPECT_EQ(s.decision.verdict, Verdict::foreign);
  // A 4 MiB page of Gandalf's.
  EXPECT_EQ(walk(0x00400000, 0x06400000 | P | RW | PS, 0, kernel_read).verdict, Verdict::foreign);
}

TEST(ShadowFill, ReservedBitsOfALargePageFault) {
  const Decision d = walk(0xc1000000, 0x01000000 | P | RW | PS | (1u << 21), 0, kernel_read);
  EXPECT_EQ(d.verdict, Verdict::guest_fault);
  EXPECT_EQ(d.error, unsigned{pf_present | pf_reserved});
  EXPECT_EQ(walk(0xc1000000, 0x01000000 | P | RW | PS | (1u << 13), 0, user_read).error,
            unsigned{pf_present | pf_reserved | pf_user});
}

TEST(ShadowFill, RecursiveAndSelfPointingDirectoriesStayInsideLinux) {
  // A PDE that points at its own directory: the directory is read as a table, its entries as
  // PTEs; whatever they name is checked like any PTE.
  const std::uint32_t dir = 0x00200000;
  const std::uint32_t self = dir | P | RW | US;
  const DirectoryStep s = at_directory(0xbfc00000, self, kernel_read, mode);
  ASSERT_TRUE(s.to_table);
  EXPECT_EQ(s.table, dir);
  EXPECT_EQ(at_table(self, self, kernel_read, mode).frame, dir) << "the directory itself, a frame of Linux's";
  EXPECT_EQ(at_table(self, 0x06000000 | P, kernel_read, mode).verdict, Verdict::foreign);
}

TEST(ShadowFill, CacheControlIsKept) {
  const Decision d = walk(0x1000, 0x00123000 | P | RW, 0x00456000 | P | RW | PCD | D, kernel_read);
  EXPECT_TRUE(d.shadow & PCD);
}

// Machine-chosen inputs: any PDE/PTE pair, any access, any mode.
TEST(ShadowFill, NoEntryEverReachesBeyondLinuxOrBeyondItsRights) {
  std::mt19937 rng(20261205);
  std::uniform_int_distribution<std::uint32_t> any;
  for (int i = 0; i < 1000000; ++i) {
    const std::uint32_t linear = any(rng), r = any(rng);
    const std::uint32_t mem = ((r % 256) + 1) << 20;
    const Mode m{(r & 0x100) != 0, (r & 0x200) != 0, mem};
    const Access a{(r & 0x400) != 0, (r & 0x800) != 0};
    // Bias the frames toward the interesting region around Linux's end.
    const std::uint32_t pde = (r & 0x1000) ? any(rng) : ((any(rng) % (mem + (8u << 20))) & ~0xfffu) | (any(rng) & 0xfff);
    const std::uint32_t pte = (r & 0x2000) ? any(rng) : ((any(rng) % (mem + (8u << 20))) & ~0xfffu) | (any(rng) & 0xfff);
    const DirectoryStep s = at_directory(linear, pde, a, m);
    if (s.to_table) {
      ASSERT_LE(std::uint64_t{s.table} + 4096, std::uint64_t{mem}) << "a foreign table was walked";
    }
    const Decision d = s.to_table ? at_table(pde, pte, a, m) : s.decision;
    if (d.verdict != Verdict::map) {
      ASSERT_TRUE(d.error & pf_present || !(d.error & pf_reserved));
      ASSERT_EQ((d.error & pf_write) != 0, a.write);
      ASSERT_EQ((d.error & pf_user) != 0, a.user);
      continue;
    }
    const std::uint64_t size = d.large ? (4u << 20) : 4096;
    const std::uint32_t base = d.large ? (d.shadow & 0xffc00000u) : (d.shadow & ~0xfffu);
    ASSERT_LE(std::uint64_t{base} + size, mem) << std::hex << "pde " << pde << " pte " << pte;
    const std::uint32_t leaf = s.to_table ? pte : pde;
    const bool user_ok = (pde & US) && (leaf & US);
    const bool write_ok = (pde & RW) && (leaf & RW);
    ASSERT_TRUE(!(d.shadow & US) || user_ok);
    ASSERT_TRUE(!(d.shadow & RW) || write_ok || (!m.wp && !(d.shadow & US)));
    ASSERT_TRUE(!a.user || (d.shadow & US));
    ASSERT_TRUE(!a.write || (d.shadow & RW));
    ASSERT_TRUE(d.shadow & P);
  }
}

}  // namespace
