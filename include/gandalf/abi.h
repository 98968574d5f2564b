/* Gandalf guest ABI: hypercalls, guest image header and boot information.
 *
 * One header for C and C++ guests (μITRON ports, test guests). docs/abi.md is the
 * prose version; every number here is part of the ABI and must not change without
 * bumping GANDALF_ABI_VERSION.
 *
 * Hypercall convention (software interrupt through a DPL-1 gate):
 *   int $GANDALF_HYPERCALL_VECTOR
 *   in:  EAX = hypercall number, EBX = first argument, ECX = second argument
 *   out: EAX = result (>= 0) or a negative GANDALF_E* error code;
 *        every other general register, EFLAGS (but IF) and the segment registers
 *        are preserved.
 * Addresses passed to Gandalf are offsets in the caller's own segments.
 */
#ifndef GANDALF_ABI_H
#define GANDALF_ABI_H

#ifdef __cplusplus
#include <cstdint>
#else
#include <stdint.h>
#endif

#define GANDALF_ABI_VERSION 1u

/* ---- Hypercalls (exactly three) --------------------------------------------------- */
#define GANDALF_HYPERCALL_VECTOR 0x82

/* Replaces lidt. EBX = offset of a table of 32-bit handler offsets (in the guest's code
 * segment), ECX = number of entries (1..256). Entry v handles vector v: 0..31 are CPU
 * exceptions, GANDALF_VIRQ_BASE+n is virtual IRQ n when the virtual PIC uses the default
 * vector bases. A zero entry means "no handler". Gandalf re-reads the table at every
 * delivery. ECX = 0 unregisters. Returns 0. */
#define GANDALF_HC_SET_VECTORS 0u
/* Replaces sti/cli. EBX = 1 enables, 0 disables virtual interrupts, 2 only queries.
 * Returns the previous state (0 or 1). Enabling delivers a pending interrupt before the
 * instruction after the int returns, as sti would after one instruction. */
#define GANDALF_HC_SET_IF 1u
/* Replaces hlt. EBX = GANDALF_HALT_* flags. Gives up the CPU until an unmasked virtual
 * interrupt of this guest is pending. With GANDALF_HALT_ENABLE the virtual interrupt flag is
 * set atomically with halting (the sti;hlt idiom): the interrupt is delivered with its
 * frame's EIP pointing after the int, and EAX = 0. Without it the call returns 0 once an
 * interrupt is pending and leaves it pending. */
#define GANDALF_HC_HALT 2u
#define GANDALF_HC_COUNT 3u

#define GANDALF_HALT_ENABLE 0x1u

/* ---- Error codes (returned negated in EAX) ---------------------------------------- */
#define GANDALF_EOK 0
#define GANDALF_ENOSYS 1  /* no such hypercall number */
#define GANDALF_EINVAL 2  /* an argument is out of its documented range */
#define GANDALF_EFAULT 3  /* an address or range lies outside the caller's segment */

/* ---- Selectors every para-virtualized guest runs with ------------------------------ */
#define GANDALF_GUEST_CS 0x09u /* GDT entry 1, RPL 1: code, base/limit = the partition's slice */
#define GANDALF_GUEST_DS 0x11u /* GDT entry 2, RPL 1: data, same base/limit (DS=ES=SS at entry) */

/* ---- Interrupt vectors as the guest sees them -------------------------------------- */
#define GANDALF_VIRQ_BASE 0x20u /* default master vPIC ICW2; slave default is 0x28 */
#define GANDALF_VECTORS 256u

/* ---- Guest image header -------------------------------------------------------------
 * A para-virtualized image is a flat binary whose first bytes are this header. Gandalf
 * copies the file to load_offset in the partition's segment, zeroes up to image_end,
 * and starts the guest at entry with ESP = stack_top, EBX = offset of the boot
 * information (placed by Gandalf at the top of the slice), virtual interrupts disabled,
 * CS = GANDALF_GUEST_CS, DS = ES = FS = GS = SS = GANDALF_GUEST_DS. */
#define GANDALF_IMAGE_MAGIC 0x4c444e47u /* "GNDL" little-endian */

struct gandalf_image_header {
  uint32_t magic;       /* GANDALF_IMAGE_MAGIC */
  uint32_t abi_version; /* GANDALF_ABI_VERSION */
  uint32_t load_offset; /* where the first byte of the file goes, segment-relative */
  uint32_t entry;       /* initial EIP, segment-relative */
  uint32_t image_end;   /* end of bss, segment-relative: [load_offset, image_end) is the image */
  uint32_t stack_top;   /* initial ESP, segment-relative */
  uint32_t reserved[2];
};

/* ---- Boot information ------------------------------------------------------------------
 * Written by Gandalf at the top of the slice before every (re)start. */
#define GANDALF_BOOT_MAGIC 0x544f4f42u /* "BOOT" */
#define GANDALF_ARGS_MAX 128u

struct gandalf_boot_info {
  uint32_t magic;          /* GANDALF_BOOT_MAGIC */
  uint32_t abi_version;
  uint32_t partition;      /* index in the configuration: 0 = Linux slot, 1.. = RTOS */
  uint32_t slice_size;     /* bytes addressable through the guest's segments (limit + 1) */
  uint32_t memory_size;    /* bytes of RAM behind the segment, from offset 0 */
  uint32_t restarts;       /* how often this partition was restarted */
  uint16_t console_port;   /* base I/O port of the partition's 16550 UART */
  uint8_t console_irq;     /* the line its UART is wired to, 0xff unless that line is the
                              partition's (then the console is polled) */
  uint8_t tick_hz_div;     /* reserved, 0 */
  uint32_t pit_hz;         /* input clock of the virtual 8254 (1193182) */
  char name[16];           /* partition name, NUL-terminated */
  char args[GANDALF_ARGS_MAX]; /* configuration args followed by the module's, NUL-terminated */
  /* Written by Gandalf at every virtual interrupt delivery (not only at start): the TSC
   * value when Gandalf took the real interrupt that raised it. A handler that reads the
   * TSC first thing gets its interrupt latency through Gandalf. */
  uint64_t irq_raise_tsc;
};

#ifdef __cplusplus
static_assert(sizeof(gandalf_image_header) == 32, "ABI: image header is 32 bytes");
static_assert(sizeof(gandalf_boot_info) == 184, "ABI: boot info is 184 bytes");
#endif

/* ---- Inline hypercall wrappers (guest side) ---------------------------------------- */
#if defined(__i386__) && !defined(GANDALF_ABI_NO_WRAPPERS)
static inline int32_t gandalf_hypercall(uint32_t nr, uint32_t a, uint32_t b) {
  int32_t ret;
  __asm__ volatile("int $0x82" : "=a"(ret) : "a"(nr), "b"(a), "c"(b) : "memory", "cc");
  return ret;
}
static inline int32_t gandalf_set_vectors(const void *table, uint32_t entries) {
  return gandalf_hypercall(GANDALF_HC_SET_VECTORS, (uint32_t)(uintptr_t)table, entries);
}
/* One-argument calls leave ECX alone (Gandalf does not read it for them). */
static inline int32_t gandalf_hypercall1(uint32_t nr, uint32_t a) {
  int32_t ret;
  __asm__ volatile("int $0x82" : "=a"(ret) : "a"(nr), "b"(a) : "memory", "cc");
  return ret;
}
static inline int32_t gandalf_set_if(uint32_t enable) {
  return gandalf_hypercall1(GANDALF_HC_SET_IF, enable);
}
static inline int32_t gandalf_halt(uint32_t flags) {
  return gandalf_hypercall1(GANDALF_HC_HALT, flags);
}
#endif

#endif /* GANDALF_ABI_H */
