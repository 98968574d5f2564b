// Test guest: takes the 1 ms virtual tick, reports on its own console, and misbehaves on
// request (args "misbehave=KIND at=TICKS", or KIND typed on its console) so that the
// system and containment tests can watch Gandalf contain it.
#include "guests/lib/runtime.hpp"

using namespace guest;

extern "C" void isr_tick();
extern "C" void isr_console();
extern "C" void isr_divide();
extern "C" void isr_probe_6();
extern "C" void isr_probe_10();
extern "C" void isr_probe_11();
extern "C" void isr_probe_12();
extern "C" void isr_probe_13();
extern "C" volatile std::uint32_t probe_vector, probe_error, probe_skip;  // runtime.cpp

namespace {

constinit std::uint32_t vectors[48]{};
volatile std::uint32_t ticks = 0;
volatile std::uint32_t interrupts = 0;
volatile std::uint32_t interval_min = ~0u, interval_max = 0;
volatile std::uint64_t interval_sum = 0, interval_count = 0;
volatile std::uint64_t last_tsc = 0;
volatile bool command_ready = false;
char command[48];
std::uint32_t command_len = 0;
std::uint32_t hypercalls = 0;
std::uint16_t unmasked = 0;
std::uint32_t storm_burst = 0;  // irq_storm: interrupt edges raised per tick, 0 = not storming
std::uint32_t storm_tick = 0;

std::int32_t hc_set_if(std::uint32_t v) { ++hypercalls; return gandalf_set_if(v); }
std::int32_t hc_halt(std::uint32_t f) { ++hypercalls; return gandalf_halt(f); }
std::int32_t hc(std::uint32_t nr, std::uint32_t a, std::uint32_t b) { ++hypercalls; return gandalf_hypercall(nr, a, b); }

struct Stats { std::uint32_t n, min, max, avg; };

Stats take_stats() {  // atomically with respect to our own interrupts
  const std::int32_t was = hc_set_if(0);
  Stats s{ticks, interval_min, interval_max,
          interval_count ? static_cast<std::uint32_t>(interval_sum / interval_count) : 0};
  interval_min = ~0u;
  interval_max = 0;
  interval_sum = 0;
  interval_count = 0;
  hc_set_if(static_cast<std::uint32_t>(was));
  return s;
}

void report() {
  const Stats s = take_stats();
  print("[%s] tick n=%u min=%u max=%u avg=%u\n", boot->name, s.n, s.min, s.max, s.avg);
}

volatile std::uint32_t recursion_limit = ~0u;  // never reached: the stack runs out first

[[gnu::noinline]] std::uint32_t recurse(std::uint32_t depth) {
  volatile std::uint8_t frame[256];
  frame[0] = static_cast<std::uint8_t>(depth);
  if (depth == recursion_limit) return 0;
  return recurse(depth + 1) + frame[0];
}

// Puts `int $0x82` in the last two bytes of our segment and runs it: the hypercall returns
// to limit + 1, which Gandalf must fault as ours instead of faulting in its own iret.
void hypercall_at_segment_end() {
  const std::uint32_t at = boot->slice_size - 2;
  auto* code = reinterpret_cast<volatile std::uint8_t*>(at);
  code[0] = 0xcd;
  code[1] = GANDALF_HYPERCALL_VECTOR;
  asm volatile("call *%0" ::"r"(at), "a"(GANDALF_HC_SET_IF), "b"(2) : "memory");
}

// Probes: run one instruction that may fault; the handlers skip it. Returns the vector it
// raised, or 0xff if it ran.
constexpr std::uint32_t ran = 0xff;
void install_probe_handlers() {
  vectors[6] = reinterpret_cast<std::uint32_t>(&isr_probe_6);
  vectors[10] = reinterpret_cast<std::uint32_t>(&isr_probe_10);
  vectors[11] = reinterpret_cast<std::uint32_t>(&isr_probe_11);
  vectors[12] = reinterpret_cast<std::uint32_t>(&isr_probe_12);
  vectors[13] = reinterpret_cast<std::uint32_t>(&isr_probe_13);
}
void remove_probe_handlers() {
  vectors[6] = vectors[10] = vectors[11] = vectors[12] = vectors[13] = 0;
}
template <typename F>
std::uint32_t probe(std::uint32_t length, F&& insn) {
  probe_vector = ran;
  probe_error = 0;
  probe_skip = length;
  insn();
  return probe_vector;
}

// `mov r32, %fs` is 8E /r: two bytes whatever register the compiler picks.
std::uint32_t load_fs(std::uint32_t sel) {
  return probe(2, [sel] { asm volatile("mov %0, %%fs" ::"r"(sel) : "memory"); });
}

// Every LDT selector (TI=1, RPL 1) must fault #GP(selector): Gandalf loads a null LDTR. The
// Linux slot (base 0) first plants a 4 GiB DPL-1 data descriptor at linear 0, where the
// reset LDTR points; an RTOS relies on what firmware and GRUB left there.
void ldt_scan() {
  if (boot->partition == 0) {
    // base 0, limit 0xfffff pages; G, D/B, P, DPL 1, data read/write accessed
    asm volatile("movl %0, 0\n movl %1, 4" ::"r"(0x0000ffffu), "r"(0x00cfb300u) : "memory");
  }
  install_probe_handlers();
  std::uint32_t loadable = 0, wrong = 0, first = 0;
  for (std::uint32_t index = 0; index < 8192; ++index) {
    const std::uint32_t sel = index << 3 | 4 | 1;
    const std::uint32_t v = load_fs(sel);
    if (v == ran) {
      if (loadable++ == 0) first = sel;
    } else if (v != 13 || probe_error != (sel & 0xfffc)) {
      ++wrong;
    }
    load_fs(0);
  }
  // A far call through an LDT call gate (the review ran ring-0 code this way).
  const std::uint32_t gate = probe(7, [] { asm volatile("lcall $0x000f, $0" ::: "memory"); });
  remove_probe_handlers();
  hc_set_if(1);
  print("[%s] ldt_scan: %u of 8192 LDT selectors loadable (first 0x%x), %u wrong faults, "
        "call gate vector %u error 0x%x\n", boot->name, loadable, first, wrong, gate, probe_error);
}

// What the partition can see of the processor state Gandalf set (docs/architecture.md).
void cpu_state() {
  std::uint32_t ldtr = 0xffff, tr = 0xffff, msw = 0, flags = 0;
  asm volatile("sldt %0" : "=r"(ldtr));
  asm volatile("str %0" : "=r"(tr));
  asm volatile("smsw %0" : "=r"(msw));
  asm volatile("pushf; pop %0" : "=r"(flags));
  install_probe_handlers();
  const std::uint32_t rdpmc = probe(2, [] { asm volatile("rdpmc" ::"c"(0) : "eax", "edx"); });
  const std::uint32_t sysenter = probe(2, [] { asm volatile("sysenter" ::: "memory"); });
  const std::uint32_t dr7 = probe(3, [] { asm volatile("mov %%dr7, %%eax" ::: "eax"); });
  const std::uint32_t rdmsr = probe(2, [] { asm volatile("rdmsr" ::"c"(0x174) : "eax", "edx"); });
  const std::uint32_t fs_ok = load_fs(0x11);  // our own data selector
  load_fs(0);
  remove_probe_handlers();
  hc_set_if(1);
  print("[%s] cpu_state ldtr=0x%x tr=0x%x msw=0x%x iopl=%u rdpmc=%u sysenter=%u movdr7=%u "
        "rdmsr=%u own_fs=%u\n", boot->name, ldtr & 0xffff, tr & 0xffff, msw & 0xffff,
        (flags >> 12) & 3, rdpmc, sysenter, dr7, rdmsr, fs_ok);
}

// An iret whose EFLAGS has VM=1, at CPL 1: hardware and Bochs stay in protected mode (VM is
// only honoured at CPL 0) and fault on the null CS; QEMU 7.2 TCG enters virtual-8086 mode.
void enter_v86() {
  asm volatile(
      "pushl $0\n pushl $0\n pushl $0\n pushl $0\n"  // GS FS DS ES
      "pushl $0\n pushl $0x1000\n"                    // SS ESP
      "pushl $0x20202\n"                               // EFLAGS: VM, IF, reserved bit 1
      "pushl $0\n pushl $0\n"                          // CS EIP
      "iret" ::: "memory");
}

// x87 and SSE state must be the partition's own across preemption (issue #10 item 6): load
// `value` into st(0) and, with SSE2, into xmm0, then read both back `rounds` times.
bool has_sse2() {
  std::uint32_t a = 1, b, c = 0, d;
  asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
  return (d & (1u << 26)) != 0;
}
std::uint32_t fpu_rounds(std::uint32_t value, std::uint32_t rounds, bool sse) {
  std::uint32_t bad = 0;
  asm volatile("fninit\n fildl %0" ::"m"(value) : "memory");
  if (sse) asm volatile("movd %0, %%xmm0" ::"r"(value));
  for (std::uint32_t i = 0; i < rounds; ++i) {
    std::uint32_t x87 = 0, xmm = value;
    asm volatile("fistl %0" : "=m"(x87));
    if (sse) asm volatile("movd %%xmm0, %0" : "=r"(xmm));
    if (x87 != value || xmm != value) ++bad;
  }
  asm volatile("fstp %%st(0)" ::: "memory");
  return bad;
}
struct FpuTally { std::uint32_t checks, wrong; };
volatile std::uint32_t fpu_tick_until = 0;
FpuTally fpu_tick_tally{};

// Busy for 300 ticks, checking its own value while the tick and higher partitions preempt it.
void fpu_busy() {
  const bool sse = has_sse2();
  const std::uint32_t value = 0x2222 + boot->partition, until = ticks + 300;
  FpuTally t{};
  while (ticks < until) {
    hc_set_if(1);  // an interrupt's delivery clears the virtual IF and iret does not restore it
    t.wrong += fpu_rounds(value, 1000, sse);
    t.checks += 1000;
  }
  print("[%s] fpu_busy: %u checks, %u wrong (sse=%u)\n", boot->name, t.checks, t.wrong, sse ? 1u : 0u);
}

// Once per tick for 400 ticks: a short check that preempts a busy lower partition's FPU use.
void fpu_tick_step() {
  static const bool sse = has_sse2();
  if (fpu_tick_until == 0) return;
  if (ticks < fpu_tick_until) {
    fpu_tick_tally.wrong += fpu_rounds(0x1111 + boot->partition, 20, sse);
    fpu_tick_tally.checks += 20;
    return;
  }
  fpu_tick_until = 0;
  print("[%s] fpu_tick: %u checks, %u wrong (sse=%u)\n", boot->name, fpu_tick_tally.checks,
        fpu_tick_tally.wrong, sse ? 1u : 0u);
}

// irq_storm: our own UART interrupts at the rate we choose (issue #10 item 3). With OUT2 set,
// each 0 -> 1 of the "transmitter holding register empty" enable (IER bit 1) raises a new
// edge on the UART's IRQ line while the THR is empty; bursts once per tick leave the CPU to
// the lower partitions, so that what is tested is the interrupt load, not our spinning.
void storm_once() {
  const auto ier = static_cast<std::uint16_t>(boot->console_port + 1);
  for (std::uint32_t i = 0; i < storm_burst; ++i) {
    bare_outb(ier, 0x00);
    bare_outb(ier, 0x02);
  }
  bare_outb(ier, boot->console_irq != 0xff ? 0x01 : 0x00);  // back to receive interrupts only
}

std::uint16_t foreign_port() { return boot->console_port == 0x3f8 ? 0x2f8 : 0x3f8; }

// Each kind should be stopped by the hardware/Gandalf before the "survived" line.
bool misbehave_fault(const char* k) {
  const std::uint32_t end = boot->slice_size;  // first offset beyond our segments
  if (streq(k, "write_out")) *reinterpret_cast<volatile std::uint32_t*>(end) = 0xdeadbeef;
  else if (streq(k, "read_out")) (void)*reinterpret_cast<volatile std::uint32_t*>(end);
  else if (streq(k, "write_wrap")) *reinterpret_cast<volatile std::uint32_t*>(0xfffffff0u) = 0xdeadbeef;
  else if (streq(k, "jump_out")) asm volatile("call *%0" ::"r"(end));
  else if (streq(k, "priv_cli")) asm volatile("cli");
  else if (streq(k, "priv_hlt")) asm volatile("hlt");
  else if (streq(k, "priv_cr3")) asm volatile("mov %%eax, %%cr3" ::"a"(0));
  else if (streq(k, "priv_lgdt")) asm volatile("lgdt (%0)" ::"r"(vectors));
  else if (streq(k, "priv_wrmsr")) asm volatile("wrmsr" ::"a"(0), "c"(0x10), "d"(0));
  else if (streq(k, "port_foreign")) bare_outb(foreign_port(), 'X');
  else if (streq(k, "port_cmos")) (void)bare_inb(0x71);
  else if (streq(k, "sel_ring0")) asm volatile("mov %0, %%fs" ::"r"(0x108));
  else if (streq(k, "sel_foreign")) asm volatile("mov %0, %%fs" ::"r"(0x19));
  else if (streq(k, "far_vmm")) asm volatile("ljmp $0x100, $0");
  else if (streq(k, "int_vmm")) asm volatile("int $0x20");
  else if (streq(k, "stack_overflow")) (void)recurse(0);
  else if (streq(k, "divide")) asm volatile("div %%ecx" ::"a"(1), "d"(0), "c"(0));
  else if (streq(k, "ud2")) asm volatile("ud2");
  else if (streq(k, "std_ud2")) asm volatile("std; ud2");  // Gandalf must not inherit DF=1
  else if (streq(k, "int_at_limit")) hypercall_at_segment_end();
  else if (streq(k, "v86")) enter_v86();
  else return false;
  print("[%s] misbehave %s: survived\n", boot->name, k);
  return true;
}

// Kinds that are not faults: they must not hurt anybody else.
bool misbehave_other(const char* k) {
  if (streq(k, "bad_hypercall")) {
    const std::int32_t r1 = hc(GANDALF_HC_SET_VECTORS, boot->slice_size, 10);
    const std::int32_t r2 = hc(GANDALF_HC_SET_IF, 7, 0);
    const std::int32_t r3 = hc(99, 0, 0);
    const std::int32_t r4 = hc(GANDALF_HC_SET_VECTORS, 0, 300);
    const std::int32_t r5 = hc(GANDALF_HC_HALT, 0x80, 0);
    print("[%s] bad_hypercall results %d %d %d %d %d\n", boot->name, r1, r2, r3, r4, r5);
  } else if (streq(k, "hypercall_flood")) {  // log flooding: Gandalf's reports must survive it
    print("[%s] hypercall_flood: bad hypercalls forever\n", boot->name);
    for (std::uint32_t i = 0;; ++i) hc(99, i, 0);
  } else if (streq(k, "pic_pit")) {  // reprogram "the" PIC and PIT: only ours are touched
    bare_outb(0x21, 0xff);
    bare_outb(0xa1, 0xff);
    bare_outb(0x43, 0x30);
    bare_outb(0x40, 0xff);
    bare_outb(0x40, 0xff);
    trapped_io += 5;
    print("[%s] pic_pit: masked everything and reprogrammed counter 0\n", boot->name);
  } else if (streq(k, "divide_reflect")) {
    vectors[0] = reinterpret_cast<std::uint32_t>(&isr_divide);
    asm volatile("div %%ecx" ::"a"(1), "d"(0), "c"(0));
    print("[%s] divide_reflect: resumed after the handler\n", boot->name);
  } else if (streq(k, "cli_forever")) {
    print("[%s] cli_forever: disabling virtual interrupts and looping\n", boot->name);
    hc_set_if(0);
    for (;;) asm volatile("" ::: "memory");
  } else if (streq(k, "fpu_busy")) {
    fpu_busy();
  } else if (streq(k, "fpu_tick")) {
    fpu_tick_until = ticks + 400;
  } else if (streq(k, "ldt_scan")) {
    ldt_scan();
  } else if (streq(k, "cpu_state")) {
    cpu_state();
  } else if (streq(k, "irq_storm")) {
    storm_burst = arg_uint("storm_burst", 100);
    bare_outb(static_cast<std::uint16_t>(boot->console_port + 4), 0x0b);  // DTR, RTS, OUT2
    print("[%s] irq_storm: %u interrupt edges per tick on port 0x%x's line\n", boot->name,
          storm_burst, boot->console_port);
  } else if (streq(k, "spin")) {
    print("[%s] spin: looping without ever halting\n", boot->name);
    for (;;) asm volatile("" ::: "memory");
  } else {
    return false;
  }
  return true;
}

void misbehave(const char* kind) {
  print("[%s] misbehave %s\n", boot->name, kind);
  if (!misbehave_fault(kind) && !misbehave_other(kind))
    print("[%s] unknown command '%s'\n", boot->name, kind);
}

void run_command() {
  command_ready = false;
  if (streq(command, "stats")) report();
  else if (streq(command, "final")) print("[%s] final ticks=%u interrupts=%u trapped_io=%u hypercalls=%u\n",
                                          boot->name, ticks, interrupts, trapped_io, hypercalls);
  else if (command[0] != '\0') misbehave(command);
  command_len = 0;
}

}  // namespace

extern "C" void on_tick() {
  const std::uint64_t now = bare_rdtsc();
  if (last_tsc != 0) {
    const auto d = static_cast<std::uint32_t>(now - last_tsc);
    if (d < interval_min) interval_min = d;
    if (d > interval_max) interval_max = d;
    interval_sum = interval_sum + d;
    interval_count = interval_count + 1;
  }
  last_tsc = now;
  ticks = ticks + 1;
  interrupts = interrupts + 1;
}

extern "C" void on_console() {
  interrupts = interrupts + 1;
  for (int c = console_getc(); c >= 0; c = console_getc()) {
    if (command_ready) continue;
    if (c == '\r' || c == '\n') {
      command[command_len] = '\0';
      command_ready = true;
    } else if (command_len + 1 < sizeof command) {
      command[command_len++] = static_cast<char>(c);
    }
  }
}

extern "C" void on_divide() { print("[%s] exception #DE reflected to the guest handler\n", boot->name); }

extern "C" void guest_main(std::uint32_t info) {
  boot = reinterpret_cast<const gandalf_boot_info*>(info);
  const bool rx = boot->console_irq != 0xff;
  console_init(rx);
  print("[%s] up partition=%u restarts=%u slice=0x%x args='%s'\n", boot->name, boot->partition,
        boot->restarts, boot->slice_size, boot->args);
  char kind[24];
  const bool bad = arg("misbehave", kind, sizeof kind) != nullptr;
  const std::uint32_t at = arg_uint("at", 100);
  const std::uint32_t every = arg_uint("report_every", 1000);
  const std::uint32_t stop_after = arg_uint("stop_after", 0);
  // Misbehave on the start with this restart count only (default: the first), or on every start.
  const std::uint32_t on_restart = arg_uint("misbehave_restarts", 0);
  const bool always = arg_uint("misbehave_always", 0) != 0;
  bool misbehaved = false;
  vectors[GANDALF_VIRQ_BASE + 0] = reinterpret_cast<std::uint32_t>(&isr_tick);
  if (rx) vectors[GANDALF_VIRQ_BASE + boot->console_irq] = reinterpret_cast<std::uint32_t>(&isr_console);
  hc(GANDALF_HC_SET_VECTORS, reinterpret_cast<std::uint32_t>(vectors), 48);
  unmasked = static_cast<std::uint16_t>(1u | (rx ? 1u << boot->console_irq : 0u));
  vpic_init(true, unmasked);
  vpit_periodic(1193);
  std::uint32_t next_report = every;
  bool stopped = false;
  for (;;) {
    hc_halt(GANDALF_HALT_ENABLE);
    hc_set_if(1);  // iret does not restore the virtual IF: work with interrupts on
    if (every != 0 && ticks >= next_report) {
      report();
      next_report += every;
    }
    if (bad && !misbehaved && ticks >= at && (always || boot->restarts == on_restart)) {
      misbehaved = true;
      misbehave(kind);
    }
    if (stop_after != 0 && ticks >= stop_after && !stopped) {
      stopped = true;
      vpic_set_mask(static_cast<std::uint16_t>(unmasked & ~1u));
      print("[%s] final ticks=%u interrupts=%u trapped_io=%u hypercalls=%u\n", boot->name, ticks,
            interrupts, trapped_io, hypercalls + 1);
    }
    fpu_tick_step();
    if (command_ready) run_command();
    if (storm_burst != 0 && ticks != storm_tick) {
      storm_tick = ticks;
      storm_once();
    }
  }
}
