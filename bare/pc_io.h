/* bare: the one freestanding helper library of Gandalf's tree (docs/architecture.md,
 * "Repository layout"). Port I/O and the time-stamp counter, for every freestanding part that
 * runs on IA-32: Gandalf, its test guests, the μITRON port and its applications. C and C++.
 *
 * Each access is also a compiler barrier ("memory"): the device may be Gandalf's emulation,
 * which reads and writes guest memory on the trap. */
#ifndef BARE_PC_IO_H
#define BARE_PC_IO_H

#include <stdint.h>

static inline uint8_t bare_inb(uint16_t port) {
  uint8_t v;
  __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
  return v;
}

static inline void bare_outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port) : "memory"); }

/* RDTSC (SDM Vol. 2B): under QEMU -icount shift=0, guest instructions. */
static inline uint64_t bare_rdtsc(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return ((uint64_t)hi << 32) | lo;
}

#endif
