// A checked reader of ELF32 little-endian i386 executables (System V ABI, ELF "Generic"
// chapter; the i386 supplement): program headers for loading, the symbol table for one
// symbol. Every offset is bounds-checked against the file: a truncated or hostile module is
// refused with a sentence, never followed. Freestanding; also compiled into the unit tests.
#pragma once

#include <cstdint>
#include <cstring>

namespace gandalf::elf32 {

struct Segment {
  bool loadable;             // PT_LOAD
  std::uint32_t offset;      // in the file
  std::uint32_t virt, phys;  // p_vaddr, p_paddr
  std::uint32_t file_size, mem_size;
};

class Image {
 public:
  Image(const std::uint8_t* bytes, std::uint32_t size) : b_{bytes}, size_{size} {}

  // nullptr if this is a loadable i386 executable whose headers lie inside the file.
  const char* check_i386_executable() const {
    if (size_ < ehdr_size) return "is too small to be an ELF file";
    if (u32(0) != 0x464c457fu) return "is not an ELF file (no \\x7fELF magic)";
    if (b_[4] != 1 || b_[5] != 1) return "is not a 32-bit little-endian ELF file";
    if (u16(16) != 2) return "is not an ELF executable (e_type is not ET_EXEC)";
    if (u16(18) != 3) return "is not for i386 (e_machine is not EM_386)";
    if (u16(42) != phdr_size || phnum() == 0) return "has no program headers of the i386 size";
    if (!inside(phoff(), std::uint64_t{phnum()} * phdr_size)) return "has program headers beyond its end";
    return nullptr;
  }

  // Every loadable segment inside the file and inside [1 MiB, memory); `end` = highest p_paddr +
  // p_memsz. nullptr when they all are.
  const char* check_segments(std::uint32_t memory, std::uint32_t& end) const {
    end = 0;
    unsigned loads = 0;
    for (unsigned i = 0; i < segment_count(); ++i) {
      const Segment s = segment(i);
      if (!s.loadable) continue;
      ++loads;
      if (s.file_size > s.mem_size) return "has a segment larger in the file than in memory";
      if (!inside(s.offset, s.file_size)) return "has a segment beyond the end of the file";
      const std::uint64_t top = std::uint64_t{s.phys} + s.mem_size;
      if (s.phys < 0x100000 || top > memory) return "has a segment outside the partition's memory above 1 MiB";
      if (top > end) end = static_cast<std::uint32_t>(top);
    }
    if (loads == 0) return "has nothing to load";
    if (physical_of(entry()) == 0 && !in_segment_phys(entry())) return "has its entry point outside its segments";
    return nullptr;
  }

  std::uint32_t entry() const { return u32(24); }
  unsigned segment_count() const { return phnum(); }
  Segment segment(unsigned i) const {
    const std::uint32_t h = phoff() + i * phdr_size;
    return {u32(h) == 1, u32(h + 4), u32(h + 8), u32(h + 12), u32(h + 16), u32(h + 20)};
  }

  // Physical address of a virtual address inside a loadable segment, 0 if none holds it.
  std::uint32_t physical_of(std::uint32_t virt) const {
    for (unsigned i = 0; i < segment_count(); ++i) {
      const Segment s = segment(i);
      if (s.loadable && virt >= s.virt && virt - s.virt < s.mem_size) return s.phys + (virt - s.virt);
    }
    return 0;
  }

  // Value of the global symbol `name` from the section headers' symbol table, 0 if absent.
  std::uint32_t symbol_address(const char* name) const {
    const std::uint32_t shoff = u32(32), shnum = u16(48);
    if (u16(46) != shdr_size || !inside(shoff, std::uint64_t{shnum} * shdr_size)) return 0;
    for (std::uint32_t i = 0; i < shnum; ++i) {
      const std::uint32_t sh = shoff + i * shdr_size;
      if (u32(sh + 4) != 2) continue;  // SHT_SYMTAB
      const std::uint32_t link = u32(sh + 24);
      if (link >= shnum) return 0;
      const std::uint32_t str_sh = shoff + link * shdr_size;
      const std::uint32_t sym = u32(sh + 16), sym_size = u32(sh + 20);
      const std::uint32_t str = u32(str_sh + 16), str_size = u32(str_sh + 20);
      if (!inside(sym, sym_size) || !inside(str, str_size)) return 0;
      const std::size_t want = std::strlen(name);
      for (std::uint32_t s = sym; s + 16 <= sym + sym_size; s += 16) {
        const std::uint32_t at = u32(s);
        if (at >= str_size || str_size - at <= want) continue;
        const char* n = reinterpret_cast<const char*>(b_ + str + at);
        if (std::memcmp(n, name, want + 1) == 0) return u32(s + 4);
      }
    }
    return 0;
  }

 private:
  static constexpr std::uint32_t ehdr_size = 52, phdr_size = 32, shdr_size = 40;
  const std::uint8_t* b_;
  std::uint32_t size_;

  bool inside(std::uint64_t offset, std::uint64_t len) const { return offset <= size_ && len <= size_ - offset; }
  bool in_segment_phys(std::uint32_t phys) const {
    for (unsigned i = 0; i < segment_count(); ++i) {
      const Segment s = segment(i);
      if (s.loadable && phys >= s.phys && phys - s.phys < s.mem_size) return true;
    }
    return false;
  }
  std::uint32_t u32(std::uint32_t at) const {
    std::uint32_t v = 0;
    if (inside(at, 4)) std::memcpy(&v, b_ + at, 4);
    return v;
  }
  std::uint16_t u16(std::uint32_t at) const {
    std::uint16_t v = 0;
    if (inside(at, 2)) std::memcpy(&v, b_ + at, 2);
    return v;
  }
  std::uint32_t phoff() const { return u32(28); }
  unsigned phnum() const { return u16(44); }
};

}  // namespace gandalf::elf32
