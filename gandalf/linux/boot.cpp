// Linux's boot hand-off: the kernel is an ELF32 i386 vmlinux (no decompressor, no real-mode
// setup), loaded at its physical addresses; Gandalf plays the boot loader of the 32-bit boot
// protocol (Documentation/x86/boot.rst, "32-bit boot protocol"): a zero page with the memory
// map, the command line and the initramfs, ESI pointing at it, flat segments, paging off.
#include <cstring>

#include "gandalf/arch/ia32/cpu_state.hpp"
#include "gandalf/arch/ia32/eflags.hpp"
#include "gandalf/linux/elf32.hpp"
#include "gandalf/linux/linux_guest.hpp"

namespace gandalf::linux_guest {

constinit Vcpu vcpu{};

namespace {

using core::Partition;

// Where Gandalf puts the boot protocol's pieces in Linux's memory: in the first 64 KiB, which
// Linux keeps for the BIOS and never allocates (CONFIG_X86_RESERVE_LOW), and which startup_32
// copies out before anything else runs.
constexpr std::uint32_t zero_page = 0x7000;
constexpr std::uint32_t cmdline_at = 0x8000;
constexpr std::uint32_t cmdline_max = 2048;
constexpr std::uint32_t boot_stack = 0x7000;   // grows down below the zero page
constexpr std::uint32_t low_ram_end = 0x9f000;  // conventional memory; the BIOS areas above
constexpr std::uint32_t high_ram = 0x100000;

// Zero-page fields (Documentation/x86/zero-page.rst and boot.rst).
namespace zp {
constexpr std::uint32_t e820_entries = 0x1e8, header = 0x202, version = 0x206,
                        type_of_loader = 0x210, loadflags = 0x211, ramdisk_image = 0x218,
                        ramdisk_size = 0x21c, cmd_line_ptr = 0x228, cmdline_size = 0x238,
                        e820_table = 0x2d0;
constexpr std::uint32_t hdrs_magic = 0x53726448;  // "HdrS"
}

constexpr std::uint32_t e820_ram = 1, e820_reserved = 2;

// The segments Linux's startup_32 finds: __BOOT_CS (entry 2) and __BOOT_DS (entry 3).
constexpr std::uint16_t boot_cs = (2 << 3) | 1, boot_ds = (3 << 3) | 1;

const char* symbol_name = "gandalf_vif_xor";
// Where the kernel keeps gandalf_vif_xor (Linux-physical and kernel-linear), found once when
// the image is checked at boot: the symbol table is not searched again on every restart.
constinit std::uint32_t vif_word_phys = 0, vif_word_linear = 0;

std::uint32_t initrd_address(const Partition& p) {
  return (p.cfg->memory - p.initrd_size) & ~0xfffu;
}

template <typename T>
void put(std::uint8_t* page, std::uint32_t offset, T value) {
  std::memcpy(page + offset, &value, sizeof value);
}

void put_e820(std::uint8_t* page, unsigned i, std::uint64_t base, std::uint64_t size, std::uint32_t type) {
  std::uint8_t* e = page + zp::e820_table + 20 * i;
  std::memcpy(e, &base, 8);
  std::memcpy(e + 8, &size, 8);
  std::memcpy(e + 16, &type, 4);
}

// Linux's memory is still identity-mapped by Gandalf's page directory here.
std::uint8_t* low(const Partition& p, std::uint32_t address, std::uint32_t len) {
  return core::guest_ptr(p, address, len);
}

void write_zero_page(Partition& p) {
  std::uint8_t* page = low(p, zero_page, 4096);
  std::memset(page, 0, 4096);
  put(page, zp::header, zp::hdrs_magic);
  put<std::uint16_t>(page, zp::version, 0x020f);
  put<std::uint8_t>(page, zp::type_of_loader, 0xff);  // "undefined" boot loader
  put<std::uint8_t>(page, zp::loadflags, 0x01);       // LOADED_HIGH: the kernel is at 16 MiB
  if (p.initrd_size != 0) {
    put(page, zp::ramdisk_image, initrd_address(p));
    put(page, zp::ramdisk_size, p.initrd_size);
  }
  char* cmdline = reinterpret_cast<char*>(low(p, cmdline_at, cmdline_max));
  std::memset(cmdline, 0, cmdline_max);
  // The configured command line, then what the boot loader's module line adds (GRUB's
  // "module /boot/linux.img linux ARGS"), as for the RTOS instances' arguments.
  std::strncpy(cmdline, p.cfg->args, cmdline_max - 1);
  if (p.module_args[0] != '\0') {
    std::size_t n = std::strlen(cmdline);
    if (n > 0 && n + 1 < cmdline_max) cmdline[n++] = ' ';
    std::strncpy(cmdline + n, p.module_args, cmdline_max - 1 - n);
  }
  put(page, zp::cmd_line_ptr, cmdline_at);
  put(page, zp::cmdline_size, cmdline_max);
  put_e820(page, 0, 0, low_ram_end, e820_ram);
  put_e820(page, 1, low_ram_end, high_ram - low_ram_end, e820_reserved);
  put_e820(page, 2, high_ram, p.cfg->memory - high_ram, e820_ram);
  put<std::uint8_t>(page, zp::e820_entries, 3);
}

}  // namespace

const char* check_images(const Partition& p, const std::uint8_t* initrd, std::uint32_t initrd_size) {
  elf32::Image k{p.image, p.image_size};
  const char* problem = k.check_i386_executable();
  std::uint32_t kernel_end = 0;
  if (problem == nullptr) problem = k.check_segments(p.cfg->memory, kernel_end);
  if (problem == nullptr) {
    for (unsigned i = 0; i < k.segment_count(); ++i) {
      const elf32::Segment s = k.segment(i);
      if (s.loadable) {
        shadow::set_kernel_base(s.virt - s.phys);  // Linux's PAGE_OFFSET
        break;
      }
    }
    vif_word_linear = k.symbol_address(symbol_name);
    vif_word_phys = k.physical_of(vif_word_linear);
  }
  if (problem == nullptr && (vif_word_phys == 0 || (vif_word_phys & 7) != 0))
    problem = "has no 8-byte aligned gandalf_vif_xor in its loaded data: the kernel was not built with linux/patches";
  if (problem == nullptr && initrd != nullptr &&
      ((p.cfg->memory - initrd_size) & ~0xfffu) < kernel_end + 0x100000)
    problem = "and its initramfs do not fit in the partition's memory together";
  return problem;
}

unsigned load_plan(const Partition& p, LoadItem* items, unsigned max) {
  elf32::Image k{p.image, p.image_size};
  unsigned n = 0;
  for (unsigned i = 0; i < k.segment_count() && n + 1 < max; ++i) {
    const elf32::Segment s = k.segment(i);
    if (s.loadable && s.file_size != 0) items[n++] = {s.phys, p.image + s.offset, s.file_size};
  }
  if (p.initrd_size != 0 && n < max) items[n++] = {initrd_address(p), p.initrd, p.initrd_size};
  return n;
}

void leave_paging(Partition& p) {
  (void)p;
  vcpu.cr0 = 0;
  ia32::cpu::set_cr3(ia32::gandalf_page_directory());
}

void start(Partition& p) {
  elf32::Image k{p.image, p.image_size};
  vcpu = Vcpu{};
  vcpu.vif_linear = vif_word_linear;
  p.vif_words = map_vif_words(p, vif_word_phys);
  write_zero_page(p);
  // The boot protocol's flat 4 GiB segments, clipped to the partition, DPL 1.
  ia32::Descriptor* gdt = ia32::guest_gdt_window(p.index);
  for (unsigned i = 0; i < gdt_entries; ++i) gdt[i].raw = 0;
  gdt[2] = ia32::Descriptor::code(0, p.cfg->seg_limit, 1);
  gdt[3] = ia32::Descriptor::data(0, p.cfg->seg_limit, 1);
  ia32::Frame& f = p.frame;
  f = ia32::Frame{};
  f.cs = boot_cs;
  f.ds = f.es = f.fs = f.gs = f.ss = boot_ds;
  f.eip = k.entry();
  f.esp = boot_stack;
  f.esi = zero_page;
  f.eflags = ia32::eflags::sanitize_for_guest(0);
  set_vif(p, false);
  ia32::set_syscall_gate(0, 0);  // until Linux's IDT says where its system calls go
  ia32::set_ring1_stack(0, 0);
}

}  // namespace gandalf::linux_guest
