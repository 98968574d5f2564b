// Boot-time construction of Gandalf's GDTs, IDT, TSS, I/O bitmaps and page tables.
#include <cstring>

#include "gandalf/arch/ia32/cpu_state.hpp"
#include "gandalf/arch/ia32/fpu.hpp"
#include "gandalf/arch/ia32/idt.hpp"
#include "gandalf/arch/ia32/paging.hpp"
#include "gandalf/core/config.hpp"

extern "C" {
extern const std::uint32_t exception_stubs[32];
extern const std::uint32_t irq_stubs[16];
void hypercall_entry();
void unexpected_entry();
extern char __text_start[], __rodata_end[], __image_end[];
}

namespace gandalf::ia32 {

constinit TssBlock tss_block{};

namespace fpu {
constinit bool use_fxsr = false;
constinit State initial{};

void capture_initial_state() {
  clear_ts();
  asm volatile("fninit" ::: "memory");
  if (use_fxsr) {
    const std::uint32_t mxcsr = 0x1f80;  // all SIMD exceptions masked, round to nearest
    asm volatile("ldmxcsr %0" ::"m"(mxcsr));
  }
  save(initial);
  set_ts();
}
}  // namespace fpu

namespace {

constinit gdt::Table boot_gdt{};
constinit gdt::Table partition_gdts[config::max_partitions]{};
constinit Descriptor idt_table[idt::entries]{};
alignas(4096) constinit std::uint32_t page_directory[entries_per_table]{};
// The top 64 MiB (RTOS window and Gandalf) use 4 KiB pages: 16 page tables.
alignas(4096) constinit std::uint32_t top_tables[16][entries_per_table]{};

std::uint32_t phys_of(const void* p) {
  const auto& sys = core::system_config;
  return reinterpret_cast<std::uint32_t>(p) - sys.gandalf_virt + sys.gandalf_phys;
}

std::uint32_t addr(const void* p) { return reinterpret_cast<std::uint32_t>(p); }

void fill_vmm_entries(gdt::Table& t) {
  t.entry[gdt::vmm_code_index] = Descriptor::code(0, 0xffffffffu, 0);
  t.entry[gdt::vmm_data_index] = Descriptor::data(0, 0xffffffffu, 0);
  t.entry[gdt::tss_index] = Descriptor::tss(addr(&tss_block), sizeof(TssBlock) - 1);
}

PseudoDescriptor pseudo(const void* table, std::uint32_t bytes) {
  return {static_cast<std::uint16_t>(bytes - 1), addr(table)};
}

// Reload every segment register after lgdt: a far return loads CS.
void reload_segments() {
  asm volatile(
      "mov %0, %%ds\n mov %0, %%es\n mov %0, %%ss\n"
      "xor %%eax, %%eax\n mov %%eax, %%fs\n mov %%eax, %%gs\n"
      "pushl %1\n pushl $1f\n lret\n1:"
      :
      : "r"(static_cast<std::uint32_t>(gdt::vmm_ds)), "i"(gdt::vmm_cs)
      : "eax", "memory");
}

void setup_idt() {
  for (auto& gate : idt_table) gate = Descriptor::gate(addr(reinterpret_cast<void*>(&unexpected_entry)), gdt::vmm_cs, 0);
  for (unsigned v = 0; v < idt::exceptions; ++v)
    idt_table[v] = Descriptor::gate(exception_stubs[v], gdt::vmm_cs, 0);
  for (unsigned i = 0; i < idt::irqs; ++i)
    idt_table[idt::irq_base + i] = Descriptor::gate(irq_stubs[i], gdt::vmm_cs, 0);
  // The one gate a guest may raise: DPL 1, an interrupt gate so Gandalf runs with IF=0.
  idt_table[idt::hypercall] = Descriptor::gate(addr(reinterpret_cast<void*>(&hypercall_entry)), gdt::vmm_cs, 1);
  cpu::lidt(pseudo(idt_table, sizeof(idt_table)));
}

void map_page(std::uint32_t virt, std::uint32_t phys, bool writable) {
  const std::uint32_t top = core::system_config.rtos_window_base;
  top_tables[(virt - top) >> 22][pt_index(virt)] = PageEntry::page(phys, writable);
}

// Every piece of processor state a guest could observe or use is set here, not inherited
// from firmware or the boot loader (issue #10; the list is in docs/architecture.md).
void reset_inherited_state() {
  namespace c0 = cpu::cr0_bits;
  namespace c4 = cpu::cr4_bits;
  // No LDT: the reset LDTR (base 0, limit 0xffff) would give every guest the descriptors
  // that firmware and GRUB left in the first 64 KiB. With a null LDTR every selector with
  // TI=1 faults #GP(selector) on load.
  cpu::lldt(0);
  // CR0: protected mode, paging, supervisor write protection, native x87 error reporting;
  // caches on; no alignment checks; EM clear. TS is set (fpu::capture_initial_state) so that
  // the first x87/SSE instruction after a partition switch traps #NM and Gandalf switches
  // the FPU state lazily (vmm.cpp, fpu_trap).
  const std::uint32_t cr0 = c0::pe | c0::mp | c0::et | c0::ne | c0::wp | c0::pg;
  cpu::set_cr0(cr0);
  // CR4: 4 MiB pages only (plus FXSAVE/SSE when the CPU has them). Clears what a boot
  // loader may leave: PCE (rdpmc at CPL > 0), TSD, DE, VME/PVI, UMIP.
  const cpu::CpuidResult id = cpu::cpuid(1);
  std::uint32_t cr4 = c4::pse;
  if (id.edx & cpu::cpuid_bits::fxsr) cr4 |= c4::osfxsr;
  if (id.edx & cpu::cpuid_bits::sse) cr4 |= c4::osxmmexcpt;
  cpu::set_cr4(cr4);
  fpu::use_fxsr = (id.edx & cpu::cpuid_bits::fxsr) != 0;
  fpu::capture_initial_state();
  // Debug registers: no breakpoint survives from the boot loader.
  cpu::set_dr7(0);
  for (unsigned n = 0; n < 4; ++n) cpu::set_dr(n, 0);
  cpu::set_dr6(0);
  // SYSENTER with SYSENTER_CS = 0 raises #GP(0) at any CPL (SDM Vol. 2B, SYSENTER).
  if ((id.edx & cpu::cpuid_bits::sep) && (id.edx & cpu::cpuid_bits::msr)) {
    cpu::wrmsr(cpu::msr::sysenter_cs, 0);
    cpu::wrmsr(cpu::msr::sysenter_esp, 0);
    cpu::wrmsr(cpu::msr::sysenter_eip, 0);
  }
  // EFER exists where CPUID 80000001H reports SYSCALL, NX or long mode: all off.
  if (cpu::cpuid(0x80000000u).eax >= 0x80000001u) {
    const std::uint32_t ext = cpu::cpuid(0x80000001u).edx;
    if (ext & (cpu::cpuid_bits::ext_syscall | cpu::cpuid_bits::ext_nx | cpu::cpuid_bits::ext_lm))
      cpu::wrmsr(cpu::msr::efer, 0);
  }
}

}  // namespace

void setup_descriptor_tables() {
  fill_vmm_entries(boot_gdt);
  cpu::lgdt(pseudo(&boot_gdt, sizeof(boot_gdt)));
  reload_segments();
  setup_idt();
  tss_block.tss.ss0 = gdt::vmm_ds;
  tss_block.tss.iomap_base = sizeof(Tss);
  std::memset(tss_block.io_bitmaps, 0xff, sizeof(tss_block.io_bitmaps));
  cpu::ltr(gdt::tss_sel);
  reset_inherited_state();
}

std::uint32_t gandalf_page_directory() { return phys_of(page_directory); }
std::uint32_t gandalf_phys_of(const void* p) { return phys_of(p); }
const std::uint32_t* top_pdes() { return &page_directory[top_pde_first]; }
Descriptor* guest_gdt_window(unsigned index) { return partition_gdts[index].entry; }

void set_syscall_gate(std::uint16_t selector, std::uint32_t offset) {
  idt_table[linux_syscall_vector] =
      selector == 0 ? Descriptor::gate(addr(reinterpret_cast<void*>(&unexpected_entry)), gdt::vmm_cs, 0)
                    : Descriptor::gate(offset, selector, 3, SegmentType::trap_gate32);
}

void set_ring1_stack(std::uint16_t ss, std::uint32_t esp) {
  tss_block.tss.ss1 = ss;
  tss_block.tss.esp1 = esp;
}

std::uint8_t* map_window(unsigned slot, std::uint32_t phys) {
  const auto& sys = core::system_config;
  const std::uint32_t virt = sys.gandalf_virt + sys.gandalf_memory + slot * page_size;
  std::uint32_t& pte = top_tables[(virt - sys.rtos_window_base) >> 22][pt_index(virt)];
  const std::uint32_t want = PageEntry::page(phys & ~(page_size - 1), true);
  if (pte != want) {
    pte = want;
    cpu::invlpg(virt);
  }
  return reinterpret_cast<std::uint8_t*>(virt) + (phys & (page_size - 1));
}

PseudoDescriptor setup_partition_gdt(unsigned index, std::uint32_t base, std::uint32_t limit) {
  gdt::Table& t = partition_gdts[index];
  fill_vmm_entries(t);
  // ltr already marked the TSS busy in the boot GDT; the copies say the same.
  t.entry[gdt::tss_index].raw = Descriptor::Type::replace(t.entry[gdt::tss_index].raw,
      static_cast<std::uint64_t>(SegmentType::tss32_busy));
  t.entry[gdt::guest_code_index] = Descriptor::code(base, limit, 1);
  t.entry[gdt::guest_data_index] = Descriptor::data(base, limit, 1);
  return pseudo(&t, sizeof(t));
}

void set_guest_descriptor_present(unsigned index, unsigned entry, bool present) {
  if (index >= config::max_partitions || entry == 0 || entry >= gdt::guest_window) return;
  Descriptor& d = partition_gdts[index].entry[entry];
  d.raw = Descriptor::P::replace(d.raw, present ? 1 : 0);
}

std::uint16_t setup_io_bitmap(unsigned index, const config::PortRange* ranges, unsigned count) {
  std::uint8_t* map = tss_block.io_bitmaps[index];
  for (unsigned r = 0; r < count; ++r)
    for (std::uint32_t port = ranges[r].first; port <= ranges[r].last; ++port)
      map[port / 8] = static_cast<std::uint8_t>(map[port / 8] & ~(1u << (port % 8)));
  return static_cast<std::uint16_t>(map - reinterpret_cast<std::uint8_t*>(&tss_block));
}

void trap_port(unsigned index, std::uint16_t port) {
  std::uint8_t* map = tss_block.io_bitmaps[index];
  map[port / 8] = static_cast<std::uint8_t>(map[port / 8] | (1u << (port % 8)));
}

void setup_paging() {
  const auto& sys = core::system_config;
  // Linux slot: identity, 4 MiB pages, exactly its memory (nothing of the RTOS or Gandalf).
  const config::Partition& linux_slot = core::partition_configs[0];
  for (std::uint32_t a = 0; a < linux_slot.memory; a += large_page_size)
    page_directory[pd_index(a)] = PageEntry::large_page(a, true);
  for (unsigned t = 0; t < 16; ++t)
    page_directory[pd_index(sys.rtos_window_base) + t] = PageEntry::table(phys_of(top_tables[t]));
  for (std::size_t i = 1; i < core::partition_config_count; ++i) {
    const config::Partition& p = core::partition_configs[i];
    for (std::uint32_t off = 0; off < p.memory; off += page_size)
      map_page(p.virt_base + off, p.phys_base + off, true);
  }
  // Channels: the half that Linux writes is read-only to the RTOS end (docs/channel.md); the
  // processor enforces it at ring 1 because CR0.WP is set.
  for (std::size_t i = 0; i < core::channel_config_count; ++i) {
    const config::Channel& ch = core::channel_configs[i];
    const unsigned linux_side = ch.linux_side();
    const config::Partition& rtos = core::partition_configs[ch.ends[1 - linux_side]];
    const std::uint32_t half = ch.size / 2, first = ch.phys + linux_side * half;
    for (std::uint32_t off = 0; off < half; off += page_size)
      map_page(rtos.virt_base + (first - rtos.phys_base) + off, first + off, false);
  }
  // Gandalf: code and read-only data are not writable, even by Gandalf (CR0.WP).
  const std::uint32_t ro_end = addr(__rodata_end);
  for (std::uint32_t off = 0; off < sys.gandalf_memory; off += page_size)
    map_page(sys.gandalf_virt + off, sys.gandalf_phys + off, sys.gandalf_virt + off >= ro_end);
  cpu::set_cr3(phys_of(page_directory));
}

}  // namespace gandalf::ia32
