// Descriptor, gate, selector and page-entry builders against values worked out from the
// Intel SDM Vol. 3A (Figures 3-8, 6-2, 7-3, Tables 4-4/4-6): bytes as they sit in memory.
#include <gtest/gtest.h>

#include "gandalf/arch/ia32/descriptor.hpp"
#include "gandalf/arch/ia32/eflags.hpp"
#include "gandalf/arch/ia32/gdt.hpp"
#include "gandalf/arch/ia32/paging.hpp"

using namespace gandalf::ia32;

TEST(Descriptor, FlatRing0CodeAndData) {
  // Base 0, limit 4 GiB (G=1, units 0xfffff), D=1, P=1, DPL 0, accessed code 0xb / data 0x3.
  EXPECT_EQ(Descriptor::code(0, 0xffffffffu, 0).raw, 0x00cf9b000000ffffull);
  EXPECT_EQ(Descriptor::data(0, 0xffffffffu, 0).raw, 0x00cf93000000ffffull);
}

TEST(Descriptor, LinuxPartitionSegmentsEndBelowTheRtosWindow) {
  // Limit 0xfbffffff: 0xfbfff pages, so limit[15:0] = 0xbfff and limit[19:16] = 0xf;
  // DPL 1 data -> access byte 0xb3.
  const Descriptor d = Descriptor::data(0, 0xfbffffffu, 1);
  EXPECT_EQ(d.raw, 0x00cfb3000000bfffull);
  EXPECT_EQ(d.limit(), 0xfbffffffu);
  EXPECT_EQ(d.base(), 0u);
  EXPECT_EQ(d.dpl(), 1u);
}

TEST(Descriptor, RtosSliceAtTheTopOfTheAddressSpace) {
  // Base 0xfc000000, limit 0x1fffff (2 MiB): 0x1ff pages, base[31:24] = 0xfc.
  const Descriptor c = Descriptor::code(0xfc000000u, 0x1fffffu, 1);
  EXPECT_EQ(c.raw, 0xfcc0bb00000001ffull);
  EXPECT_EQ(c.base(), 0xfc000000u);
  EXPECT_EQ(c.limit(), 0x1fffffu);
}

TEST(Descriptor, ByteGranularLimitBelowOneMiB) {
  const Descriptor d = Descriptor::data(0x00123456u, 0x0ffffu, 1);
  EXPECT_EQ(d.raw, 0x0040b3123456ffffull);  // G=0, D=1
  EXPECT_EQ(d.limit(), 0xffffu);
}

TEST(Descriptor, LimitsAboveOneMiBMustEndOnAPage) {
  EXPECT_TRUE(Descriptor::limit_encodable(0xfffffu));
  EXPECT_TRUE(Descriptor::limit_encodable(0x1fffffu));
  EXPECT_FALSE(Descriptor::limit_encodable(0x1ffffeu));
}

TEST(Descriptor, TssDescriptor) {
  // Base 0x00123450, limit 0x67, type 9 (available 32-bit TSS), P=1, DPL 0, G=0.
  EXPECT_EQ(Descriptor::tss(0x00123450u, 0x67).raw, 0x0000891234500067ull);
}

TEST(Descriptor, InterruptGates) {
  EXPECT_EQ(Descriptor::gate(0x12345678u, 0x100, 0).raw, 0x12348e0001005678ull);
  // The hypercall gate: DPL 1 so ring-1 guests may `int` through it.
  EXPECT_EQ(Descriptor::gate(0x12345678u, 0x100, 1).raw, 0x1234ae0001005678ull);
  EXPECT_EQ(Descriptor::gate(0xfc400000u, 0x100, 0, SegmentType::trap_gate32).raw, 0xfc408f0001000000ull);
}

TEST(Selector, GuestAndVmmSelectors) {
  EXPECT_EQ(gdt::guest_cs, 0x09);
  EXPECT_EQ(gdt::guest_ds, 0x11);
  EXPECT_EQ(gdt::vmm_cs, 0x100);
  EXPECT_EQ(gdt::vmm_ds, 0x108);
  EXPECT_EQ(Selector::Rpl::decode(gdt::guest_cs), 1);
}

TEST(Paging, Entries) {
  EXPECT_EQ(PageEntry::large_page(0x06400000u, true), 0x06400083u);  // P | RW | PS
  EXPECT_EQ(PageEntry::page(0x00001000u, false), 0x00001001u);         // P, read-only
  EXPECT_EQ(PageEntry::page(0x06401000u, true), 0x06401003u);
  EXPECT_EQ(PageEntry::table(0x06410000u), 0x06410003u);
  EXPECT_EQ(pd_index(0xfc400000u), 1009u);
  EXPECT_EQ(pt_index(0xfc401000u), 1u);
}

TEST(Eflags, GuestsNeverHoldIoplNtOrVm) {
  EXPECT_EQ(eflags::sanitize_for_guest(0), 0x202u);                   // IF and the reserved bit
  EXPECT_EQ(eflags::sanitize_for_guest(0x00027000u | 0x1u), 0x203u);  // IOPL 3, NT, VM dropped
}
