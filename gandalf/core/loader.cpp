// Boot hand-over: validate what the boot loader gave us, keep pristine guest images, and
// (re)load a partition from its image.
#include <cstring>

#include "gandalf/abi.h"
#include "gandalf/arch/ia32/cpu.hpp"
#include "gandalf/arch/ia32/eflags.hpp"
#include "gandalf/arch/ia32/cpu_state.hpp"
#include "gandalf/arch/ia32/gdt.hpp"
#include "gandalf/arch/ia32/paging.hpp"
#include "gandalf/core/channel.hpp"
#include "gandalf/core/config.hpp"
#include "gandalf/core/console.hpp"
#include "gandalf/core/vmm.hpp"
#include "gandalf/linux/linux_guest.hpp"
#include "gandalf/platform/pc/multiboot.hpp"
#include "gandalf/platform/pc/uart_16550.hpp"

extern "C" char __image_end[];

namespace gandalf::core {
namespace {

namespace mb = pc::multiboot;

[[noreturn, gnu::format(printf, 1, 2)]] void boot_stop(const char* fmt, ...) {
  char reason[console::max_message];
  va_list ap;
  va_start(ap, fmt);
  console::vformat(reason, sizeof reason, fmt, ap);
  va_end(ap);
  console::report("gandalf: boot stopped: %s\n", reason);
  console::flush();
  ia32::cpu::halt_forever();
}

template <typename T>
const T* phys(std::uint32_t address) {  // the boot page directory maps low memory 1:1
  return reinterpret_cast<const T*>(address);
}

// Highest address of the RAM region that contains 1 MiB, from the memory map.
std::uint64_t ram_end(const mb::Info& info) {
  if (!(info.flags & mb::has_mmap)) {
    if (!(info.flags & mb::has_memory)) boot_stop("the boot loader gave no memory information");
    return (std::uint64_t{info.mem_upper} + 1024) * 1024;
  }
  std::uint64_t end = 0x100000;
  for (bool grew = true; grew;) {  // merge adjacent regions until the end stops moving
    grew = false;
    for (std::uint32_t off = 0; off < info.mmap_length;) {
      const auto* e = phys<mb::MmapEntry>(info.mmap_addr + off);
      if (e->type == mb::mmap_ram && e->base <= end && e->base + e->length > end) {
        end = e->base + e->length;
        grew = true;
      }
      off += e->size + 4;
    }
  }
  return end;
}

// The module whose command line names `image` as a word (GRUB: "/boot/x.img x args";
// QEMU -initrd: "x.img x args"). Returns the words after the name in `args`.
const mb::Module* find_module(const mb::Info& info, const char* image, const char*& args) {
  const auto* mods = phys<mb::Module>(info.mods_addr);
  const std::size_t len = std::strlen(image);
  for (std::uint32_t i = 0; i < info.mods_count; ++i) {
    const char* s = mods[i].string ? phys<char>(mods[i].string) : "";
    for (const char* w = s; *w; ++w) {
      const bool starts = w == s || w[-1] == ' ';
      if (starts && std::strncmp(w, image, len) == 0 && (w[len] == ' ' || w[len] == '\0')) {
        args = w[len] == ' ' ? w + len + 1 : w + len;
        return &mods[i];
      }
    }
  }
  return nullptr;
}

void check_header(const Partition& p, const gandalf_image_header& h, std::uint32_t size) {
  const config::Partition& c = *p.cfg;
  const std::uint32_t top = c.memory - boot_info_reserve;
  if (h.magic != GANDALF_IMAGE_MAGIC)
    boot_stop("partition '%s': module '%s' is not a Gandalf guest image (magic 0x%08x)", c.name, c.image, h.magic);
  if (h.abi_version != GANDALF_ABI_VERSION)
    boot_stop("partition '%s': image ABI version %u, Gandalf speaks %u", c.name, h.abi_version, GANDALF_ABI_VERSION);
  if (h.image_end > top || h.load_offset + size > h.image_end || h.load_offset >= h.image_end)
    boot_stop("partition '%s': image '%s' spans [0x%x, 0x%x) but the partition holds 0x%x bytes "
              "(0x%x below its boot information)", c.name, c.image, h.load_offset, h.image_end, c.memory, top);
  if (h.entry < h.load_offset || h.entry >= h.load_offset + size || h.stack_top > top || h.stack_top < 64)
    boot_stop("partition '%s': image '%s' has entry 0x%x / stack 0x%x outside its image or memory",
              c.name, c.image, h.entry, h.stack_top);
}

// The image store: pristine copies of the modules the partitions boot from, for restarts.
struct Store {
  const mb::Info& info;
  std::uint32_t count, vmm_lo, vmm_hi;
  std::uint64_t ram_end;
  std::uint32_t used = 0;
  std::uint32_t modules_used = 0;

  const std::uint8_t* take(const Partition& p, const char* name, const char*& args, std::uint32_t& size) {
    const mb::Module* m = count ? find_module(info, name, args) : nullptr;
    if (m == nullptr) boot_stop("partition '%s': module '%s' missing (the boot loader handed over %u modules)", p.cfg->name, name, count);
    if (m->start < vmm_hi && m->end > vmm_lo) boot_stop("module '%s' at 0x%x overlaps Gandalf's image", name, m->start);
    if (m->end > ram_end || m->end < m->start) boot_stop("module '%s' lies outside RAM", name);
    size = m->end - m->start;
    if (size > image_store_size - used)
      boot_stop("partition '%s': module '%s' is %u bytes; the image store has %u bytes left", p.cfg->name, name, size, image_store_size - used);
    std::uint8_t* copy = image_store + used;
    std::memcpy(copy, phys<std::uint8_t>(m->start), size);
    used += (size + 15) & ~15u;
    ++modules_used;
    return copy;
  }
};

}  // namespace

constinit char gandalf_cmdline[128]{};

void take_modules(std::uint32_t magic, std::uint32_t info_address) {
  if (magic != mb::loader_magic) boot_stop("not started by a multiboot boot loader (EAX=0x%08x)", magic);
  const mb::Info& info = *phys<mb::Info>(info_address);
  if ((info.flags & mb::has_cmdline) && info.cmdline != 0)
    std::strncpy(gandalf_cmdline, phys<char>(info.cmdline), sizeof gandalf_cmdline - 1);
  const std::uint64_t need = std::uint64_t{system_config.gandalf_phys} + system_config.gandalf_memory;
  const std::uint64_t have = ram_end(info);
  if (have < need)
    boot_stop("the machine has %llu MiB of RAM, the configuration needs %llu MiB", have >> 20, need >> 20);
  // Gandalf's physical-memory windows (ia32::map_window) sit right above its own mapping.
  if (std::uint64_t{system_config.gandalf_virt} + system_config.gandalf_memory +
          std::uint64_t{ia32::window_slots} * ia32::page_size > 0x100000000ull)
    boot_stop("Gandalf's %u MiB leave no room for its %u window pages below 4 GiB",
              system_config.gandalf_memory >> 20, ia32::window_slots);
  const std::uint32_t count = (info.flags & mb::has_modules) ? info.mods_count : 0;
  const std::uint32_t vmm_lo = system_config.gandalf_phys;
  const std::uint32_t vmm_hi = vmm_lo + static_cast<std::uint32_t>(__image_end - reinterpret_cast<char*>(system_config.gandalf_virt));
  Store store{info, count, vmm_lo, vmm_hi, have};
  for (std::size_t i = 0; i < partition_count(); ++i) {
    Partition& p = partitions()[i];
    p.cfg = &partition_configs[i];
    p.index = static_cast<std::uint8_t>(i);
    const char* args = "";
    p.image = store.take(p, p.cfg->image, args, p.image_size);
    std::strncpy(p.module_args, args, sizeof p.module_args - 1);
    if (linux_guest::is_linux(p)) {
      const char* ignored = "";
      if (p.cfg->initrd[0] != '\0') p.initrd = store.take(p, p.cfg->initrd, ignored, p.initrd_size);
      // A kernel Gandalf cannot boot stops Linux only: the RTOS instances still start.
      p.unbootable = linux_guest::check_images(p, p.initrd, p.initrd_size);
      if (p.unbootable != nullptr)
        console::report("gandalf: partition '%s': kernel '%s' %s; the partition stays stopped\n",
                        p.cfg->name, p.cfg->image, p.unbootable);
      continue;
    }
    if (p.image_size < sizeof(gandalf_image_header))
      boot_stop("partition '%s': module '%s' is %u bytes, too small for an image", p.cfg->name, p.cfg->image, p.image_size);
    gandalf_image_header h;
    std::memcpy(&h, p.image, sizeof h);
    check_header(p, h, p.image_size);
    if (const char* ch = channel::overlapped_by_image(p, h.image_end))
      boot_stop("partition '%s': image '%s' spans [0x%x, 0x%x), over channel %s's region (docs/channel.md)",
                p.cfg->name, p.cfg->image, h.load_offset, h.image_end, ch);
  }
  const std::uint32_t used = store.modules_used;
  if (count > used)
    console::chatter(console::gandalf_source, "gandalf: warning: %u modules handed over, %u used\n", count, used);
}

void write_boot_info(Partition& p, std::uint32_t offset) {
  const config::Partition& c = *p.cfg;
  auto* bi = reinterpret_cast<gandalf_boot_info*>(guest_ptr(p, offset, sizeof(gandalf_boot_info)));
  std::memset(bi, 0, sizeof *bi);
  bi->magic = GANDALF_BOOT_MAGIC;
  bi->abi_version = GANDALF_ABI_VERSION;
  bi->partition = p.index;
  bi->slice_size = c.seg_limit + 1;
  bi->memory_size = c.memory;
  bi->restarts = p.restarts;
  bi->console_port = pc::uart::com_base(static_cast<unsigned>(c.console));
  bi->console_irq = c.console_irq;  // the platform's line for its UART, when routed to it
  bi->pit_hz = 1193182;
  std::strncpy(bi->name, c.name, sizeof bi->name - 1);
  p.guest_irq_tsc = &bi->irq_raise_tsc;
  std::size_t n = std::strlen(c.args);
  std::memcpy(bi->args, c.args, n < sizeof bi->args ? n : sizeof bi->args - 1);
  if (p.module_args[0] != '\0' && n + 1 < sizeof bi->args) {
    if (n > 0) bi->args[n++] = ' ';
    std::strncpy(bi->args + n, p.module_args, sizeof bi->args - n - 1);
  }
}

namespace {

// A restart clears and reloads the image at most this much per timer tick, so even a Linux-
// sized image never holds interrupts off for long (issue #10 item 7): 64 KiB is 16 Ki
// `rep stosl` iterations (string.cpp), microseconds on hardware and about a third of a
// tick on Bochs, which counts every iteration as an instruction.
constexpr std::uint32_t reload_chunk = 64 * 1024;

gandalf_image_header header_of(const Partition& p) {
  gandalf_image_header h;
  std::memcpy(&h, p.image, sizeof h);  // the pristine copy, checked at boot
  return h;
}

// What a (re)load rewrites: [start, end) of the partition, zeroed, then the pieces copied in.
// A guest image: the image and, in a slice, the stack below it (zeroing the whole partition
// would cost time for nothing). Linux: all its memory, with the kernel's segments and the
// initramfs.
struct Plan {
  std::uint32_t start, end;
  linux_guest::LoadItem items[6];
  unsigned count;
};

Plan plan_of(const Partition& p) {
  Plan plan{};
  if (linux_guest::is_linux(p)) {
    plan.start = 0;
    plan.end = p.cfg->memory;
    plan.count = linux_guest::load_plan(p, plan.items, sizeof plan.items / sizeof plan.items[0]);
    return plan;
  }
  const gandalf_image_header h = header_of(p);
  plan.start = p.cfg->kind == config::Kind::rtos ? 0 : h.load_offset;
  plan.end = h.image_end;
  plan.items[0] = {h.load_offset, p.image, p.image_size};
  plan.count = 1;
  return plan;
}

// Rewrites [from, to) of the partition: zeros, then the planned bytes that fall inside.
void reload_range(Partition& p, const Plan& plan, std::uint32_t from, std::uint32_t to) {
  std::memset(guest_ptr(p, from, to - from), 0, to - from);
  for (unsigned i = 0; i < plan.count; ++i) {
    const linux_guest::LoadItem& item = plan.items[i];
    const std::uint32_t a = from > item.dest ? from : item.dest;
    const std::uint32_t end = item.dest + item.len, b = to < end ? to : end;
    if (a < b) std::memcpy(guest_ptr(p, a, b - a), item.src + (a - item.dest), b - a);
  }
}

void finish_common(Partition& p) {
  p.vector_table = p.vector_count = 0;
  p.raise_tsc = 0;
  p.vpic.reset();
  p.vpit.reset();
  fpu_reset(p);
  p.budget.reset();
  p.prio_bit = ~p.prio_clear;  // no longer throttled, if it was
  set_state(p, State::ready);
}

// The memory is reloaded: set up the virtual CPU and let the partition run.
void finish_load(Partition& p) {
  const config::Partition& c = *p.cfg;
  p.gdtr = ia32::setup_partition_gdt(p.index, c.virt_base, c.seg_limit);
  if (linux_guest::is_linux(p)) {
    p.guest_irq_tsc = nullptr;
    linux_guest::start(p);
    return finish_common(p);
  }
  const gandalf_image_header h = header_of(p);
  // The guest's descriptors as configured, whatever happened to them since (above).
  const std::uint32_t info = c.memory - boot_info_reserve;
  write_boot_info(p, info);
  ia32::Frame& f = p.frame;
  f = ia32::Frame{};
  f.gs = f.fs = f.es = f.ds = f.ss = ia32::gdt::guest_ds;
  f.cs = ia32::gdt::guest_cs;
  f.eip = h.entry;
  f.esp = h.stack_top;
  f.ebx = info;
  f.eflags = ia32::eflags::sanitize_for_guest(0);
  p.vif = false;
  p.telemetry.vif_off_since = 0;  // its start with the virtual IF off is not a window
  finish_common(p);
}

}  // namespace

// Boot: all at once, before any guest runs.
void load_partition(Partition& p) {
  const Plan plan = plan_of(p);
  reload_range(p, plan, plan.start, plan.end);
  finish_load(p);
}

// A restart: the partition stays out of the schedule (State::loading) while the timer tick
// reloads it a chunk at a time (continue_reload).
void begin_reload(Partition& p) {
  if (p.unbootable != nullptr) return stop_partition(p, "cannot restart: its kernel cannot boot");
  const Plan plan = plan_of(p);
  set_state(p, State::loading);
  // Linux's memory is rewritten through Gandalf's identity map, not Linux's page tables.
  if (linux_guest::is_linux(p)) linux_guest::leave_paging(p);
  p.reload_pos = plan.start;
  p.vpic.reset();  // nothing is delivered to a partition that is not there yet
  if (p.cfg->console != config::Com::none)
    pc::uart::Uart::reset_for_new_owner(pc::uart::com_base(static_cast<unsigned>(p.cfg->console)));
}

void continue_reload(Partition& p) {
  const Plan plan = plan_of(p);
  const std::uint32_t to = plan.end - p.reload_pos > reload_chunk ? p.reload_pos + reload_chunk : plan.end;
  reload_range(p, plan, p.reload_pos, to);
  p.reload_pos = to;
  if (to == plan.end) finish_load(p);
}

}  // namespace gandalf::core
