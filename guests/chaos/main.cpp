// The chaos guest (issue #14 §2): a ring-1 guest that runs instruction streams nobody chose
// by hand, snippet after snippet, to show that nothing a guest executes makes Gandalf panic,
// hang or lose another partition's tick.
//
// A snippet is 1..kMaxInsns instructions written into `code`, entered with registers drawn
// from the generator, and ended by an exception: the ud2 after it, a fault it raised (its own
// handlers take every exception vector), or the ud2 its stray returns land on. Two modes:
//  - valid: generated encodings biased toward privileged, segment, I/O, stack and control-
//    transfer instructions, random hypercalls and random port I/O. Every memory operand
//    stays inside the guest's scratch area and every branch inside `code`, so the run is
//    meaningful on QEMU TCG too, which does not enforce segment limits on data accesses and
//    near branches (docs/testing.md). Far transfers, descriptor loads, I/O permissions and
//    privileged instructions are what the processor checks, and these are left free.
//  - random: random bytes as well, with any addressing: only where limits are enforced
//    (Bochs), where a wild access faults as on hardware.
// Seeded and reproducible: args `seed=S mode=valid|random`; a life (between restarts) draws
// from seed + restarts, so a failing life replays with the same seed and `life=L`. Every
// `report=N` snippets it prints its counters on its console.
#include "guests/lib/runtime.hpp"

using namespace guest;

extern "C" {
void chaos_enter(const void* regs);
void chaos_interrupt();
#define FAULT_STUB(n) void chaos_fault_##n();
FAULT_STUB(0) FAULT_STUB(1) FAULT_STUB(2) FAULT_STUB(3) FAULT_STUB(4) FAULT_STUB(5) FAULT_STUB(6)
FAULT_STUB(7) FAULT_STUB(8) FAULT_STUB(9) FAULT_STUB(10) FAULT_STUB(11) FAULT_STUB(12) FAULT_STUB(13)
FAULT_STUB(14) FAULT_STUB(15) FAULT_STUB(16) FAULT_STUB(17) FAULT_STUB(18) FAULT_STUB(19)
#undef FAULT_STUB
// Written by chaos.S.
std::uint32_t chaos_frame_vector, chaos_frame_error, chaos_frame_eip, chaos_interrupts, chaos_entry;
std::uint32_t chaos_snippet_ticks;  // interrupts taken by the running snippet (chaos.S ends it at 20)
alignas(16) std::uint8_t chaos_stack[4096];
extern std::uint8_t chaos_stack_top[];
[[noreturn]] void chaos_fault();
}
asm(".global chaos_stack_top\n .set chaos_stack_top, chaos_stack + 4096");

namespace {

constexpr std::uint32_t kMaxInsns = 8;
constexpr std::uint32_t kCodeSize = 256;
constexpr std::uint32_t kLanding = kCodeSize - 16;  // a ud2 where stray returns land
// Scratch, 8 KiB in three parts. Memory operands (through EBX, ESI, EDI) reach only the
// first half; the far pointers of far jumps and calls through memory (through EBP) and the
// stack live above it, where no store of a snippet reaches: whatever a ret, iret, far ret or
// far jump through memory takes is a word the generator chose (fill_scratch). So in valid mode
// no control transfer carries a value a snippet computed: an offset beyond the segment limit
// would be a near branch QEMU TCG does not check, and any offset inside it would run our own
// runtime from a random byte. Pushes only write what they pop again, flags, selectors, or
// frames the processor and Gandalf build.
constexpr std::uint32_t kScratch = 8192;
constexpr std::uint32_t kOperands = kScratch / 2;      // [0, 4 KiB): memory operands
constexpr std::uint32_t kPointers = kScratch * 3 / 4;  // [4 KiB, 6 KiB): far pointers (EBP)
constexpr std::uint32_t kStackTop = kScratch * 7 / 8;  // ESP at entry: 1 KiB above the pointers
constexpr std::uint32_t kMargin = 256;                 // disp8, rep string (7 x 4), sgdt, les...

alignas(16) std::uint8_t code[kCodeSize];
alignas(16) std::uint8_t scratch[kScratch];
constinit std::uint32_t vectors[GANDALF_VECTORS]{};

struct Regs {
  std::uint32_t eax, ecx, edx, ebx, ebp, esi, edi, esp, entry;
};
static_assert(sizeof(Regs) == 36, "chaos.S reads these offsets");

// xorshift64*: the same stream for the same seed, in every build.
struct Rng {
  std::uint64_t s;
  std::uint32_t next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return static_cast<std::uint32_t>((s * 0x2545F4914F6CDD1DULL) >> 32);
  }
  std::uint32_t below(std::uint32_t n) { return next() % n; }
  bool chance(std::uint32_t percent) { return below(100) < percent; }
};

struct State {
  bool random_mode;
  std::uint32_t seed, life, report_every;
  std::uint16_t cs, ds;
  Rng rng;
  std::uint32_t snippets, ended, faults[33];  // faults[32]: ran out of ticks
  std::uint32_t hypercalls, port_io;
  bool reinit_devices;
};
constinit State st{};

// ---- Emitting -----------------------------------------------------------------------------

struct Emitter {
  std::uint8_t* at;
  void b(std::uint32_t v) { *at++ = static_cast<std::uint8_t>(v); }
  void d(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b(v >> (8 * i));
  }
};

// Registers generated code may write: eax, ecx, edx. ebx, esi and edi always hold operand
// addresses, ebp a far pointer's, esp the scratch stack.
constexpr std::uint8_t kFree[3] = {0, 1, 2};
constexpr std::uint8_t kAddr[2] = {3, 6};  // [ebx], [esi]: ModRM rm values with no SIB/disp32

std::uint8_t free_reg() { return kFree[st.rng.below(3)]; }

// An address in the operand half of scratch, kMargin inside it: room for a disp8 and a short
// rep string on either side.
std::uint32_t scratch_address() {
  return reinterpret_cast<std::uint32_t>(scratch) + kMargin + st.rng.below(kOperands - 2 * kMargin);
}
// An address among the far pointers, with room for a disp8 and an m16:32. Aligned, like the
// stack (and every disp8 through it): a pointer's offset is one whole word the generator
// wrote, never the halves of two (which could make any offset inside the segment).
std::uint32_t pointer_address() {
  return reinterpret_cast<std::uint32_t>(scratch) + kOperands + kMargin +
         4 * st.rng.below((kPointers - kOperands - 2 * kMargin) / 4);
}
static_assert(kStackTop - kPointers > 8 * 32, "eight pushes (far calls, interrupt frames) stay above the pointers");
static_assert(kScratch - kStackTop > 8 * (12 + 12), "eight irets or ret imm16s stay inside scratch");

// A ModRM for a memory operand inside scratch: mod 00 or 01 (disp8), rm = ebx or esi.
void memory_modrm(Emitter& e, std::uint8_t reg) {
  const std::uint8_t rm = kAddr[st.rng.below(2)];
  if (st.rng.chance(50)) {
    e.b(0x00 | (reg & 7) << 3 | rm);
  } else {
    e.b(0x40 | (reg & 7) << 3 | rm);
    e.b(st.rng.next());
  }
}
void register_modrm(Emitter& e, std::uint8_t reg, std::uint8_t rm) { e.b(0xc0 | (reg & 7) << 3 | (rm & 7)); }

// A selector worth trying: null, ours, Gandalf's, another partition's, LDT, any.
std::uint16_t selector() {
  switch (st.rng.below(6)) {
    case 0: return 0;
    case 1: return st.cs;
    case 2: return st.ds;
    case 3: return static_cast<std::uint16_t>((st.rng.below(40) << 3) | st.rng.below(4));  // GDT entries
    case 4: return static_cast<std::uint16_t>((st.rng.next() & (st.random_mode ? 0xffff : 0x1ff)) | 4);  // LDT
    default: return static_cast<std::uint16_t>(st.rng.next() & (st.random_mode ? 0xffff : 0x1ff));
  }
}

std::uint16_t port() {
  static constexpr std::uint16_t kPorts[] = {0x20, 0x21, 0xa0, 0xa1, 0x40, 0x41, 0x42, 0x43, 0x61, 0x70, 0x71,
                                             0x60, 0x64, 0x3f8, 0x2f8, 0x3e8, 0x2e8, 0xcf8, 0xcfc, 0xce0, 0xce4};
  if (st.rng.chance(70)) return kPorts[st.rng.below(sizeof kPorts / sizeof kPorts[0])];
  return static_cast<std::uint16_t>(st.rng.next());
}

void mov_imm(Emitter& e, std::uint8_t reg, std::uint32_t v) {
  e.b(0xb8 + reg);
  e.d(v);
}
// mov dx, port (66 BA iw): the port of the DX forms of in/out/ins/outs.
void mov_dx_port(Emitter& e) {
  e.b(0x66);
  e.b(0xba);
  const std::uint16_t p = port();
  e.b(p);
  e.b(p >> 8);
}

// One privileged, sensitive or ordinary instruction (valid encodings, bounded operands).
void emit_valid(Emitter& e) {
  Rng& r = st.rng;
  switch (r.below(40)) {
    case 0: e.b(0xfa); break;                      // cli
    case 1: e.b(0xfb); break;                      // sti
    case 2: e.b(0xf4); break;                      // hlt
    case 3: e.b(0x9c); break;                      // pushf
    case 4: e.b(0x9d); break;                      // popf
    case 5: e.b(0xcf); break;                      // iret
    case 6: {  // int n: Gandalf's gates, the hypercall gate with whatever the registers hold
      std::uint8_t n = static_cast<std::uint8_t>(r.next());
      if (!st.random_mode && n == GANDALF_HYPERCALL_VECTOR) ++n;  // case 26 makes valid-mode hypercalls
      e.b(0xcd);
      e.b(n);
      st.reinit_devices = true;
      break;
    }
    case 7: e.b(r.chance(50) ? 0xcc : 0xce); break;  // int3, into
    case 8: {                                        // in/out imm8, any width
      e.b(0xe4 + r.below(4));
      e.b(port());
      ++st.port_io;
      st.reinit_devices = true;
      break;
    }
    case 9: {  // in/out dx
      mov_dx_port(e);
      e.b(0xec + r.below(4));
      ++st.port_io;
      st.reinit_devices = true;
      break;
    }
    case 10: {  // ins/outs, rep with a small count; edi/esi point into scratch
      mov_imm(e, 1, r.below(8));
      mov_dx_port(e);
      if (r.chance(50)) e.b(0xf3);
      e.b(0x6c + r.below(4));
      ++st.port_io;
      st.reinit_devices = true;
      break;
    }
    case 11: e.b(0x0f); e.b(0x01); memory_modrm(e, static_cast<std::uint8_t>(r.below(4))); break;  // sgdt sidt lgdt lidt
    case 12: e.b(0x0f); e.b(0x01); memory_modrm(e, static_cast<std::uint8_t>(4 + 2 * r.below(2))); break;  // smsw lmsw
    case 13: e.b(0x0f); e.b(0x01); memory_modrm(e, 7); break;                                   // invlpg
    case 14: e.b(0x0f); e.b(0x00); if (r.chance(50)) memory_modrm(e, static_cast<std::uint8_t>(r.below(6))); else register_modrm(e, static_cast<std::uint8_t>(r.below(6)), free_reg()); break;  // sldt str lldt ltr verr verw
    case 15: e.b(0x0f); e.b(0x20 + r.below(4)); register_modrm(e, static_cast<std::uint8_t>(r.below(8)), free_reg()); break;  // mov cr/dr
    case 16: e.b(0x0f); e.b(r.chance(50) ? 0x06 : (r.chance(50) ? 0x08 : 0x09)); break;  // clts invd wbinvd
    case 17: mov_imm(e, 1, r.chance(50) ? r.below(0x200) : r.next()); e.b(0x0f); e.b(0x30 + r.below(4)); break;  // wrmsr rdtsc rdmsr rdpmc
    case 18: e.b(0x53); e.b(0x0f); e.b(0xa2); e.b(0x5b); break;  // cpuid (it writes ebx: saved)
    case 19: {                              // mov sreg, r/m16
      const std::uint8_t reg = free_reg();
      mov_imm(e, reg, selector());
      e.b(0x8e);
      register_modrm(e, static_cast<std::uint8_t>(r.below(8)), reg);
      break;
    }
    case 20: {  // push a selector, pop sreg
      e.b(0x68); e.d(selector());
      static constexpr std::uint8_t kPops[3] = {0x07, 0x17, 0x1f};
      if (r.chance(60)) e.b(kPops[r.below(3)]);
      else { e.b(0x0f); e.b(r.chance(50) ? 0xa1 : 0xa9); }
      break;
    }
    case 21: {  // les lds lss lfs lgs from a far pointer in scratch (lss: random mode only, its
                // ESP would be any word of scratch, and QEMU would not stop the pushes)
      std::uint32_t which = r.below(5);
      if (which == 2 && !st.random_mode) which = 3;
      static constexpr std::uint8_t kLoads[5] = {0xc4, 0xc5, 0xb2, 0xb4, 0xb5};  // les lds, 0F: lss lfs lgs
      if (which >= 2) e.b(0x0f);
      e.b(kLoads[which]);
      memory_modrm(e, free_reg());
      break;
    }
    case 22: {  // far jmp/call ptr16:32 to the landing ud2 through any selector
      const std::uint16_t sel = selector();
      e.b(r.chance(50) ? 0xea : 0x9a);
      e.d(reinterpret_cast<std::uint32_t>(code + kLanding));
      e.b(sel);
      e.b(sel >> 8);
      break;
    }
    case 23: e.b(r.chance(50) ? 0xcb : 0xca); if (e.at[-1] == 0xca) { e.b(4 * r.below(4)); e.b(0); } break;  // far ret (imm16: the stack stays aligned)
    case 24: e.b(0x0f); e.b(0x34 + r.below(2)); break;  // sysenter sysexit
    case 25: e.b(0x0f); e.b(r.chance(50) ? 0x05 : 0x07); break;  // syscall sysret (#UD on IA-32)
    case 26: {  // a hypercall with any arguments; ebx is saved (it addresses scratch)
      const std::uint32_t nr = r.chance(70) ? r.below(GANDALF_HC_COUNT + 1) : r.next();
      // EBX: a mode or flags, our own table (shifted), or (random mode) anything. A table that
      // lets a handler address be anything would run anything: not in valid mode.
      std::uint32_t ebx = r.chance(40) ? r.below(4)
                          : !st.random_mode || r.chance(50) ? reinterpret_cast<std::uint32_t>(vectors) + 4 * r.below(8)
                          : r.chance(50) ? scratch_address() : r.next();
      std::uint32_t ecx = r.chance(50) ? r.below(300) : r.next();
      // Mostly a table that keeps our handlers: a short one leaves later exceptions without
      // a handler, which ends the life (contained, restarted), and lives would stay short.
      if (nr == GANDALF_HC_SET_VECTORS && r.chance(90)) {
        ebx = reinterpret_cast<std::uint32_t>(vectors);
        ecx = 20 + r.below(GANDALF_VECTORS - 19);
      } else if (nr == GANDALF_HC_SET_VECTORS && !st.random_mode && ebx < 4) {
        // A mode's value as a table address puts the table in our first page, whose words
        // are hlt bytes: handlers at 0xf4f4f4f4. That is beyond rtos1's 2 MiB code segment
        // (no handler: the life ends cleanly) but inside the Linux slot's (limit 0xfbffffff,
        // 96 MiB of memory): every exception then jumps there, its #PF is delivered to the
        // same handler, and the frames walk the stack down over our image and the table
        // itself until a handler made of frame bytes runs anything. Valid mode: our table.
        ebx = reinterpret_cast<std::uint32_t>(vectors) + 4 * ebx;
      }
      e.b(0x53);  // push ebx
      mov_imm(e, 3, ebx);
      mov_imm(e, 0, nr);
      mov_imm(e, 1, ecx);
      e.b(0xcd);
      e.b(GANDALF_HYPERCALL_VECTOR);
      e.b(0x5b);  // pop ebx
      ++st.hypercalls;
      st.reinit_devices = true;
      break;
    }
    case 27: e.b(0x0f); e.b(0x0b); break;  // ud2
    case 28: {  // far call/jmp m16:32 through [ebp + disp8] (a pointer the generator wrote)
      e.b(0xff);
      e.b(0x40 | (r.chance(50) ? 3 : 5) << 3 | 5);
      e.b(r.next() & 0xfc);
      break;
    }
    case 29: e.b(0xc3); break;             // ret: lands where the scratch stack points
    case 30: e.b(r.chance(50) ? 0x64 : 0x65); e.b(0x8b); memory_modrm(e, free_reg()); break;  // fs:/gs: load
    case 31: e.b(r.chance(50) ? 0x26 : 0x2e); e.b(0x89); memory_modrm(e, free_reg()); break;  // es:/cs: store
    case 32: e.b(0x50 + free_reg()); e.b(0x58 + free_reg()); break;  // push/pop
    case 33: mov_imm(e, free_reg(), r.next()); break;
    case 34: e.b(0x01 + 8 * r.below(8)); register_modrm(e, free_reg(), free_reg()); break;  // alu reg, reg
    case 35: e.b(0xf7); register_modrm(e, static_cast<std::uint8_t>(6 + r.below(2)), free_reg()); break;  // div idiv
    case 36: e.b(0x9b); e.b(0xdb); e.b(0xe3); break;  // finit (FPU ownership moves)
    case 37: e.b(0x0f); e.b(0xaf); memory_modrm(e, free_reg()); break;  // imul reg, [mem]
    case 38: e.b(0x66); e.b(0x8c); register_modrm(e, static_cast<std::uint8_t>(r.below(6)), free_reg()); break;  // mov r16, sreg
    default: {  // jcc rel32 to the landing ud2
      e.b(0x0f);
      e.b(0x80 + r.below(16));
      e.d(reinterpret_cast<std::uint32_t>(code + kLanding) - reinterpret_cast<std::uint32_t>(e.at + 4));
      break;
    }
  }
}

void emit_random(Emitter& e) {
  const std::uint32_t n = 1 + st.rng.below(15);
  for (std::uint32_t i = 0; i < n; ++i) e.b(st.rng.next());
}

// ---- A snippet ------------------------------------------------------------------------------

// Words a pop, ret, iret, retf or far-pointer load may take: the landing ud2, our selectors,
// flags, any value (random mode). All of scratch once, then the 2 KiB around the stack before
// each snippet (what its pops take; in valid mode nothing else writes there).
// Bochs 2.7 stops the whole emulator ("3DNow! instruction still not implemented") on some
// 3DNow! opcodes instead of executing them or raising #UD: no 0F 0F escape may reach its
// decoder. In random mode, what the processor may execute (the snippet buffer, scratch) has
// every 0F 0F pair broken (the second byte becomes 0E, PUSH CS), wherever it starts.
void break_3dnow(std::uint8_t* bytes, std::uint32_t n) {
  for (std::uint32_t i = 1; i < n; ++i)
    if (bytes[i - 1] == 0x0f && bytes[i] == 0x0f) bytes[i] = 0x0e;
}

void fill_scratch(std::uint32_t first_word, std::uint32_t words) {
  auto* w = reinterpret_cast<std::uint32_t*>(scratch);
  for (std::uint32_t i = first_word; i < first_word + words; ++i) {
    switch (st.rng.below(5)) {
      case 0: case 1: w[i] = reinterpret_cast<std::uint32_t>(code + kLanding); break;
      case 2: w[i] = selector(); break;
      case 3: w[i] = 0x202 | (st.rng.next() & 0xdd5); break;  // IF, any of CF PF AF ZF SF TF DF
      default: w[i] = st.random_mode ? st.rng.next() : reinterpret_cast<std::uint32_t>(code + kLanding); break;
    }
  }
  const std::uint32_t from = first_word == 0 ? 0 : 4 * first_word - 1;  // with the byte before
  if (st.random_mode) break_3dnow(scratch + from, 4 * (first_word + words) - from);
}

void write_snippet(Regs& regs) {
  for (std::uint32_t i = 0; i < kCodeSize; ++i) code[i] = 0xf4;  // hlt: #GP wherever a branch lands
  Emitter e{code};
  const std::uint32_t n = 1 + st.rng.below(kMaxInsns);
  for (std::uint32_t i = 0; i < n && e.at < code + kLanding - 32; ++i) {
    if (st.random_mode && st.rng.chance(20)) emit_random(e);  // (random bytes often move ESP: lives end)
    else emit_valid(e);
  }
  e.b(0x0f);
  e.b(0x0b);  // ud2: the snippet ran through
  code[kLanding] = 0x0f;
  code[kLanding + 1] = 0x0b;
  if (st.random_mode) break_3dnow(code, kCodeSize);
  regs = Regs{st.rng.next(), st.rng.below(64), st.rng.next(), scratch_address(), pointer_address(),
              scratch_address(), scratch_address(), reinterpret_cast<std::uint32_t>(scratch) + kStackTop,
              reinterpret_cast<std::uint32_t>(code)};
  if (st.random_mode && st.rng.chance(20)) {  // any register, now and then any stack
    regs.ebx = st.rng.next();
    regs.esi = st.rng.next();
    regs.edi = st.rng.next();
    regs.ebp = st.rng.next();
    if (st.rng.below(100) == 0) regs.esp = st.rng.next();  // the next exception cannot be delivered
  }
}

// ---- Devices, vectors, reports --------------------------------------------------------------

void install_vectors() {
  static constexpr void (*kFaults[20])() = {
      chaos_fault_0,  chaos_fault_1,  chaos_fault_2,  chaos_fault_3,  chaos_fault_4,  chaos_fault_5,  chaos_fault_6,
      chaos_fault_7,  chaos_fault_8,  chaos_fault_9,  chaos_fault_10, chaos_fault_11, chaos_fault_12, chaos_fault_13,
      chaos_fault_14, chaos_fault_15, chaos_fault_16, chaos_fault_17, chaos_fault_18, chaos_fault_19};
  for (std::uint32_t v = 0; v < GANDALF_VECTORS; ++v)
    vectors[v] = reinterpret_cast<std::uint32_t>(v < 20 ? kFaults[v] : chaos_interrupt);
  gandalf_set_vectors(vectors, GANDALF_VECTORS);
}

// What a snippet may have reprogrammed: the virtual 8259 (back to base 0x20, the tick only),
// the virtual 8254 (1 ms), the vector table, the console.
void reinit_devices() {
  vpic_init(false, 1u << 0);
  vpit_periodic(1193);
  install_vectors();
  st.reinit_devices = false;
}

void report(const char* what) {
  console_init(false);  // a snippet may have reprogrammed our UART
  print("chaos: %s life=%u seed=%u mode=%s snippets=%u ended=%u interrupts=%u hypercalls=%u port_io=%u faults", what,
        st.life, st.seed, st.random_mode ? "random" : "valid", st.snippets, st.ended, chaos_interrupts, st.hypercalls,
        st.port_io);
  for (std::uint32_t v = 0; v < 33; ++v)
    if (st.faults[v] != 0) print(" %u:%u", v, st.faults[v]);
  print("\n");
}

[[noreturn]] void next_snippet() {
  // Random bytes may have written anything of ours, the vector table included: reinstalled
  // before every random-mode snippet.
  if (st.reinit_devices || st.random_mode) reinit_devices();
  if (st.report_every != 0 && st.snippets % st.report_every == 0 && st.snippets != 0) report("at");
  ++st.snippets;
  Regs regs;
  fill_scratch(kStackTop / 4 - 256, 512);
  write_snippet(regs);
  chaos_snippet_ticks = 0;
  // Mostly with the virtual IF on: the tick then ends a snippet caught in a loop. (One with
  // it off that loops runs until the harness restarts the partition from the monitor.)
  gandalf_set_if(st.rng.chance(90) ? 1 : 0);
  chaos_enter(&regs);
  __builtin_unreachable();
}

// A fault in our own code: a random-mode snippet jumped into our runtime or wrote over it. This life cannot be trusted any more: end it the way Gandalf
// restarts a guest (an exception with no handler registered), touching nothing else of ours.
// (A fault anywhere else, in free memory the snippet jumped to, is an ordinary end.)
[[noreturn]] void end_life() {
  gandalf_set_vectors(nullptr, 0);
  asm volatile("ud2");
  __builtin_unreachable();
}

// Our code and constants (guest.ld): a fault at an EIP there means a snippet reached our
// runtime (the snippet buffer itself is data).
extern "C" char __text_end[];
bool in_runtime(std::uint32_t eip) { return eip >= GUEST_LOAD && eip < reinterpret_cast<std::uint32_t>(__text_end); }

bool in_snippet(std::uint32_t eip) {
  return eip >= reinterpret_cast<std::uint32_t>(code) && eip < reinterpret_cast<std::uint32_t>(code + kCodeSize);
}

}  // namespace

// Every snippet ends here (chaos.S), on a fresh stack.
extern "C" [[noreturn]] void chaos_fault() {
  const std::uint32_t v = chaos_frame_vector, eip = chaos_frame_eip;
  if (st.random_mode && in_runtime(eip)) end_life();
  if (v == 6 && (eip == reinterpret_cast<std::uint32_t>(code + kLanding) ||
                 (in_snippet(eip) && code[eip - reinterpret_cast<std::uint32_t>(code)] == 0x0f)))
    ++st.ended;
  else if (v < 33)
    ++st.faults[v];
  next_snippet();
}

extern "C" [[noreturn]] void guest_main(std::uint32_t boot_offset) {
  boot = reinterpret_cast<const gandalf_boot_info*>(boot_offset);
  char mode[16];
  st.random_mode = arg("mode", mode, sizeof mode) != nullptr && streq(mode, "random");
  st.seed = arg_uint("seed", 1);
  st.life = arg_uint("life", 0) + boot->restarts;
  st.report_every = arg_uint("report", 20000);
  st.rng.s = (std::uint64_t{st.seed} << 32 | st.life) * 0x9E3779B97F4A7C15ULL + 1;
  std::uint32_t cs, ds;
  asm volatile("mov %%cs, %0\n mov %%ds, %1" : "=r"(cs), "=r"(ds));
  st.cs = static_cast<std::uint16_t>(cs);
  st.ds = static_cast<std::uint16_t>(ds);
  if (ds != cs + 8) {  // chaos.S derives the data selector from the code selector
    print("chaos: data selector 0x%x is not code selector 0x%x + 8: cannot run\n", ds, cs);
    for (;;) gandalf_halt(0);
  }
  // The first page becomes hlt: a stray return to a small value (a selector, flags) faults
  // there instead of running whatever lies in it. (Nothing of ours lives there: the image
  // and its stack are higher, the boot information at the top.)
  std::uint32_t first = 0, count = 0x1000;
  asm volatile("cld\n rep stosb" : "+D"(first), "+c"(count) : "a"(0xf4u) : "memory");
  report("up");
  fill_scratch(0, kScratch / 4);
  reinit_devices();
  next_snippet();
}
