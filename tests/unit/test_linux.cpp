// The Linux partition's host-testable logic (issue #11): the ELF reader Gandalf boots vmlinux
// with, the rules that turn Linux's descriptors into the processor's, and the code Gandalf
// writes over Linux's cli/sti sites (decoded by Zydis, the reference decoder).
#include <Zydis/Zydis.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "gandalf/linux/elf32.hpp"
#include "gandalf/linux/irq_sites.hpp"
#include "gandalf/linux/segments.hpp"

namespace {

using gandalf::elf32::Image;
using gandalf::ia32::Descriptor;
namespace seg = gandalf::linux_guest::segments;

constexpr std::uint32_t linux_limit = 0xfbffffffu;
constexpr std::uint32_t memory = 96u << 20;

// ---- ELF -------------------------------------------------------------------------------

// A small i386 executable: one PT_LOAD of `code` at 16 MiB (virtual 0xc1000000), a symbol
// table holding `symbol`.
struct ElfBuilder {
  std::uint32_t phys = 0x1000000, virt = 0xc1000000, entry = 0x1000000, memsz = 0x2000;
  std::string symbol = "gandalf_vif_xor";
  std::uint32_t symbol_value = 0xc1001000;

  std::vector<std::uint8_t> build() const {
    std::vector<std::uint8_t> f(0x400, 0);
    auto put32 = [&](std::size_t at, std::uint32_t v) { std::memcpy(&f[at], &v, 4); };
    auto put16 = [&](std::size_t at, std::uint16_t v) { std::memcpy(&f[at], &v, 2); };
    const std::uint8_t ident[] = {0x7f, 'E', 'L', 'F', 1, 1, 1};
    std::memcpy(f.data(), ident, sizeof ident);
    put16(16, 2);       // ET_EXEC
    put16(18, 3);       // EM_386
    put32(20, 1);
    put32(24, entry);
    put32(28, 52);      // e_phoff
    put32(32, 0x100);   // e_shoff
    put16(40, 52);
    put16(42, 32);
    put16(44, 1);
    put16(46, 40);
    put16(48, 3);       // null, .symtab, .strtab
    // PT_LOAD: file offset 0x300, 0x100 bytes.
    put32(52, 1);
    put32(56, 0x300);
    put32(60, virt);
    put32(64, phys);
    put32(68, 0x100);
    put32(72, memsz);
    // .symtab at 0x200: a null symbol and ours; .strtab at 0x280.
    const std::size_t sh1 = 0x100 + 40, sh2 = 0x100 + 80;
    put32(sh1 + 4, 2);  // SHT_SYMTAB
    put32(sh1 + 16, 0x200);
    put32(sh1 + 20, 32);
    put32(sh1 + 24, 2);  // sh_link: .strtab
    put32(sh2 + 4, 3);   // SHT_STRTAB
    put32(sh2 + 16, 0x280);
    put32(sh2 + 20, 0x80);
    put32(0x200 + 16, 1);  // st_name
    put32(0x200 + 20, symbol_value);
    std::memcpy(&f[0x281], symbol.c_str(), symbol.size() + 1);
    return f;
  }
};

const char* check(const std::vector<std::uint8_t>& f) {
  Image k{f.data(), static_cast<std::uint32_t>(f.size())};
  if (const char* p = k.check_i386_executable()) return p;
  std::uint32_t end;
  return k.check_segments(memory, end);
}

TEST(LinuxElf, AcceptsAKernelShapedExecutable) {
  const auto f = ElfBuilder{}.build();
  EXPECT_EQ(check(f), nullptr);
  Image k{f.data(), static_cast<std::uint32_t>(f.size())};
  std::uint32_t end = 0;
  ASSERT_EQ(k.check_segments(memory, end), nullptr);
  EXPECT_EQ(end, 0x1002000u);
  EXPECT_EQ(k.entry(), 0x1000000u);
  EXPECT_EQ(k.symbol_address("gandalf_vif_xor"), 0xc1001000u);
  EXPECT_EQ(k.physical_of(0xc1001000u), 0x1001000u);
  EXPECT_EQ(k.physical_of(0xc2000000u), 0u);
  EXPECT_EQ(k.symbol_address("gandalf_vif"), 0u) << "a prefix is not the symbol";
  EXPECT_EQ(k.symbol_address("nothing"), 0u);
}

TEST(LinuxElf, RefusesWhatIsNotAnI386Executable) {
  auto f = ElfBuilder{}.build();
  auto bad = f;
  bad[0] = 0;
  EXPECT_STREQ(check(bad), "is not an ELF file (no \\x7fELF magic)");
  bad = f;
  bad[4] = 2;
  EXPECT_STREQ(check(bad), "is not a 32-bit little-endian ELF file");
  bad = f;
  bad[18] = 62;  // EM_X86_64
  EXPECT_STREQ(check(bad), "is not for i386 (e_machine is not EM_386)");
  bad = f;
  bad[16] = 3;  // ET_DYN
  EXPECT_STREQ(check(bad), "is not an ELF executable (e_type is not ET_EXEC)");
  bad.assign(f.begin(), f.begin() + 40);
  EXPECT_STREQ(check(bad), "is too small to be an ELF file");
  bad.assign(f.begin(), f.begin() + 70);
  EXPECT_STREQ(check(bad), "has program headers beyond its end");
}

TEST(LinuxElf, RefusesSegmentsOutsideTheFileOrThePartition) {
  ElfBuilder b;
  b.phys = 0x80000;  // below 1 MiB: the BIOS areas and Gandalf's boot data
  b.entry = 0x80000;
  EXPECT_STREQ(check(b.build()), "has a segment outside the partition's memory above 1 MiB");
  b = ElfBuilder{};
  b.memsz = memory;  // runs past the partition's end
  EXPECT_STREQ(check(b.build()), "has a segment outside the partition's memory above 1 MiB");
  b = ElfBuilder{};
  b.memsz = 0x10;  // smaller in memory than in the file
  EXPECT_STREQ(check(b.build()), "has a segment larger in the file than in memory");
  b = ElfBuilder{};
  b.entry = 0x3000000;
  EXPECT_STREQ(check(b.build()), "has its entry point outside its segments");
  auto f = ElfBuilder{}.build();
  f.resize(0x310);  // the segment's bytes are cut off
  EXPECT_STREQ(check(f), "has a segment beyond the end of the file");
}

TEST(LinuxElf, HostileSymbolTablesAreNotFollowed) {
  auto f = ElfBuilder{}.build();
  std::uint32_t huge = 0x7fffffff;
  std::memcpy(&f[0x100 + 40 + 20], &huge, 4);  // .symtab larger than the file
  Image k{f.data(), static_cast<std::uint32_t>(f.size())};
  EXPECT_EQ(k.symbol_address("gandalf_vif_xor"), 0u);
  f = ElfBuilder{}.build();
  std::uint32_t link = 77;
  std::memcpy(&f[0x100 + 40 + 24], &link, 4);  // sh_link beyond the section count
  Image k2{f.data(), static_cast<std::uint32_t>(f.size())};
  EXPECT_EQ(k2.symbol_address("gandalf_vif_xor"), 0u);
  f = ElfBuilder{}.build();
  std::uint32_t name = 0x7f;  // st_name at the very end of .strtab: no room for the name
  std::memcpy(&f[0x200 + 16], &name, 4);
  Image k3{f.data(), static_cast<std::uint32_t>(f.size())};
  EXPECT_EQ(k3.symbol_address("gandalf_vif_xor"), 0u);
}

// ---- Descriptors ---------------------------------------------------------------------------

// Linux's GDT_ENTRY_INIT(flags, base, limit).
constexpr std::uint64_t entry(std::uint32_t flags, std::uint32_t base, std::uint32_t limit) {
  return (std::uint64_t{base & 0xff000000u} << 32) | (std::uint64_t{flags & 0xf0ffu} << 40) |
         (std::uint64_t{limit & 0xf0000u} << 32) | (std::uint64_t{base & 0x00ffffffu} << 16) |
         (limit & 0xffffu);
}

TEST(LinuxSegments, KernelSegmentsGetDpl1AndStopBelowGandalf) {
  for (std::uint32_t flags : {0xc09au, 0xc092u}) {  // __KERNEL_CS, __KERNEL_DS
    const Descriptor d{seg::validated(entry(flags, 0, 0xfffff), linux_limit)};
    EXPECT_TRUE(d.present());
    EXPECT_EQ(d.dpl(), 1u);
    EXPECT_EQ(d.base(), 0u);
    EXPECT_EQ(d.limit(), linux_limit);
  }
}

TEST(LinuxSegments, UserSegmentsKeepDpl3AndStopBelowGandalf) {
  for (std::uint32_t flags : {0xc0fau, 0xc0f2u}) {  // __USER_CS, __USER_DS
    const Descriptor d{seg::validated(entry(flags, 0, 0xfffff), linux_limit)};
    EXPECT_EQ(d.dpl(), 3u);
    EXPECT_EQ(d.limit(), linux_limit);
  }
}

TEST(LinuxSegments, UserTlsKeepsItsWrapAround) {
  const std::uint64_t tls = entry(0xc0f2, 0xb7f00000u, 0xfffff);
  EXPECT_EQ(seg::validated(tls, linux_limit), tls) << "glibc reaches its TLS at negative offsets";
}

TEST(LinuxSegments, KernelSegmentsWithABaseAreClippedOrRefused) {
  const Descriptor d{seg::validated(entry(0xc092, 0xc1200000u, 0xfffff), linux_limit)};
  EXPECT_EQ(d.dpl(), 1u);
  EXPECT_EQ(std::uint64_t{d.base()} + d.limit(), linux_limit) << "ends where Linux's space ends";
  const Descriptor small{seg::validated(entry(0x4092, 0xc1200000u, 0xfff), linux_limit)};
  EXPECT_EQ(small.limit(), 0xfffu) << "a segment that fits is left alone";
  EXPECT_EQ(seg::validated(entry(0xc092, 0xfc000000u, 0xfff), linux_limit), 0u)
      << "a kernel segment based in Gandalf's window";
  const Descriptor odd{seg::validated(entry(0xc092, 0x00000800u, 0xfffff), linux_limit)};
  EXPECT_LE(std::uint64_t{odd.base()} + odd.limit(), linux_limit);
}

TEST(LinuxSegments, WhatNeverReachesTheProcessor) {
  EXPECT_EQ(seg::validated(entry(0x0089, 0x1000, 0x67), linux_limit), 0u) << "a TSS";
  EXPECT_EQ(seg::validated(entry(0x0082, 0x1000, 0xff), linux_limit), 0u) << "an LDT";
  EXPECT_EQ(seg::validated(entry(0x00ec, 0x1000, 0), linux_limit), 0u) << "a call gate";
  EXPECT_EQ(seg::validated(entry(0xc09e, 0, 0xfffff), linux_limit), 0u) << "conforming code";
  EXPECT_EQ(seg::validated(entry(0xc096, 0, 0x1), linux_limit), 0u) << "expand-down data";
  EXPECT_EQ(seg::validated(entry(0xc01a, 0, 0xfffff), linux_limit), 0u) << "not present";
}

TEST(LinuxSegments, LiveEntriesNameTheRegistersGdtSlots) {
  gandalf::ia32::Frame f{};
  f.cs = 0x11;  // boot CS, RPL 1
  f.ds = f.es = f.ss = 0x19;
  f.fs = 0x0c;  // an LDT selector: never in the GDT
  f.gs = 0;
  EXPECT_EQ(seg::live_entries(f), (1u << 2) | (1u << 3));
}

// ---- cli/sti sites ------------------------------------------------------------------------

namespace sites = gandalf::linux_guest::irq_sites;
constexpr std::uint32_t vif_linear = 0xc1a2b3c0u;

// The sites as GNU as assembles patch 0001's "cli; jmp 1f; .skip 7; 1:" and its sti twin.
std::vector<std::uint8_t> native_site(std::uint8_t opcode, unsigned size) {
  std::vector<std::uint8_t> b(size, 0);
  b[0] = opcode;
  b[1] = 0xeb;
  b[2] = static_cast<std::uint8_t>(size - 3);
  return b;
}

struct Decoded {
  ZydisDecodedInstruction insn;
  ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
};

std::vector<Decoded> decode_all(const std::uint8_t* code, std::size_t size) {
  ZydisDecoder dec;
  ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32);
  std::vector<Decoded> out;
  for (std::size_t at = 0; at < size;) {
    Decoded d;
    if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&dec, code + at, size - at, &d.insn, d.ops))) break;
    out.push_back(d);
    at += d.insn.length;
  }
  return out;
}

TEST(LinuxIrqSites, TheNativeSitesAreRecognisedAndNothingElse) {
  auto cli = native_site(sites::op_cli, sites::cli_size);
  auto sti = native_site(sites::op_sti, sites::sti_size);
  EXPECT_TRUE(sites::is_site(cli.data(), sites::cli_size, sites::op_cli));
  EXPECT_TRUE(sites::is_site(sti.data(), sites::sti_size, sites::op_sti));
  EXPECT_FALSE(sites::is_site(cli.data(), sites::cli_size, sites::op_sti)) << "cli is not sti";
  EXPECT_FALSE(sites::is_site(sti.data(), sites::sti_size, sites::op_cli));
  for (unsigned i = 1; i < sites::sti_size; ++i) {  // any other byte anywhere: a different site
    auto b = sti;
    b[i] ^= 0x10;
    EXPECT_FALSE(sites::is_site(b.data(), sites::sti_size, sites::op_sti)) << "byte " << i;
  }
  auto jump_elsewhere = cli;
  jump_elsewhere[2] = 9;
  EXPECT_FALSE(sites::is_site(jump_elsewhere.data(), sites::cli_size, sites::op_cli));
}

// movl $value, absolute: a 32-bit store to the vIF word, no register involved.
template <typename Decoded>
void expect_store_to_vif(const Decoded& d, std::uint32_t value) {
  EXPECT_EQ(d.insn.mnemonic, ZYDIS_MNEMONIC_MOV);
  EXPECT_EQ(d.ops[0].type, ZYDIS_OPERAND_TYPE_MEMORY);
  EXPECT_EQ(d.ops[0].size, 32);
  EXPECT_EQ(d.ops[0].mem.base, ZYDIS_REGISTER_NONE);
  EXPECT_EQ(d.ops[0].mem.index, ZYDIS_REGISTER_NONE);
  EXPECT_EQ(static_cast<std::uint32_t>(d.ops[0].mem.disp.value), vif_linear);
  EXPECT_EQ(d.ops[1].imm.value.u, value);
}

TEST(LinuxIrqSites, TheCliSiteBecomesOneStoreOfIf) {
  const auto code = sites::encode_cli(vif_linear);
  const auto d = decode_all(code.data(), code.size());
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].insn.length, sites::cli_size);
  expect_store_to_vif(d[0], 0x200u);  // EFLAGS.IF: the virtual IF is off
}

TEST(LinuxIrqSites, TheStiSiteStoresThenTrapsOnlyWhenAnInterruptIsHeld) {
  const auto code = sites::encode_sti(vif_linear);
  const auto d = decode_all(code.data(), code.size());
  ASSERT_EQ(d.size(), 4u);
  expect_store_to_vif(d[0], 0u);  // the virtual IF is on
  EXPECT_EQ(d[1].insn.mnemonic, ZYDIS_MNEMONIC_CMP);
  EXPECT_EQ(d[1].ops[0].size, 8);
  EXPECT_EQ(static_cast<std::uint32_t>(d[1].ops[0].mem.disp.value), vif_linear + sites::pending_offset);
  EXPECT_EQ(d[1].ops[1].imm.value.u, 0u);
  EXPECT_EQ(d[2].insn.mnemonic, ZYDIS_MNEMONIC_JZ);
  const std::size_t after_jz = d[0].insn.length + d[1].insn.length + d[2].insn.length;
  EXPECT_EQ(after_jz + static_cast<std::size_t>(d[2].ops[0].imm.value.s), code.size())
      << "je skips exactly the sti, to the end of the site";
  EXPECT_EQ(d[3].insn.mnemonic, ZYDIS_MNEMONIC_STI);
  EXPECT_EQ(after_jz + d[3].insn.length, code.size());
}

}  // namespace
