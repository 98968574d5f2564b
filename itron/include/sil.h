/* sil.h: the TOPPERS System Interface Layer: memory-mapped and port I/O of device
 * registers, the all-interrupt lock and short busy delays. Written for this project from
 * the layer's published interface; the target part is target_sil.h. */
#ifndef SIL_H
#define SIL_H

#include "t_stddef.h"
#include "target_sil.h"

#define TOPPERS_SIL_REV_ENDIAN_UINT16(data) ((uint16_t)((((uint16_t)(data) & 0xffU) << 8) | (((uint16_t)(data) >> 8) & 0xffU)))
#define TOPPERS_SIL_REV_ENDIAN_UINT32(data) \
  ((((uint32_t)(data) & 0xffU) << 24) | (((uint32_t)(data) & 0xff00U) << 8) | \
   (((uint32_t)(data) >> 8) & 0xff00U) | (((uint32_t)(data) >> 24) & 0xffU))

#ifndef TOPPERS_MACRO_ONLY

/* At least `dlytim` nanoseconds, busy (interrupts are not held off). */
Inline void sil_dly_nse(ulong_t dlytim) { itron_dly_nse(dlytim); }

/* 8-bit, 16-bit and 32-bit registers: native (little-endian on IA-32), _lem little-endian,
 * _bem big-endian. */
Inline uint8_t sil_reb_mem(const volatile void *mem) { return *(const volatile uint8_t *)mem; }
Inline void sil_wrb_mem(volatile void *mem, uint8_t data) { *(volatile uint8_t *)mem = data; }
Inline uint16_t sil_reh_mem(const volatile void *mem) { return *(const volatile uint16_t *)mem; }
Inline void sil_wrh_mem(volatile void *mem, uint16_t data) { *(volatile uint16_t *)mem = data; }
Inline uint32_t sil_rew_mem(const volatile void *mem) { return *(const volatile uint32_t *)mem; }
Inline void sil_wrw_mem(volatile void *mem, uint32_t data) { *(volatile uint32_t *)mem = data; }
Inline uint16_t sil_reh_lem(const volatile void *mem) { return sil_reh_mem(mem); }
Inline void sil_wrh_lem(volatile void *mem, uint16_t data) { sil_wrh_mem(mem, data); }
Inline uint32_t sil_rew_lem(const volatile void *mem) { return sil_rew_mem(mem); }
Inline void sil_wrw_lem(volatile void *mem, uint32_t data) { sil_wrw_mem(mem, data); }
Inline uint16_t sil_reh_bem(const volatile void *mem) { return TOPPERS_SIL_REV_ENDIAN_UINT16(sil_reh_mem(mem)); }
Inline void sil_wrh_bem(volatile void *mem, uint16_t data) { sil_wrh_mem(mem, TOPPERS_SIL_REV_ENDIAN_UINT16(data)); }
Inline uint32_t sil_rew_bem(const volatile void *mem) { return TOPPERS_SIL_REV_ENDIAN_UINT32(sil_rew_mem(mem)); }
Inline void sil_wrw_bem(volatile void *mem, uint32_t data) { sil_wrw_mem(mem, TOPPERS_SIL_REV_ENDIAN_UINT32(data)); }

/* IA-32 I/O ports (the partition's own devices; Gandalf emulates its virtual 8259/8254). */
Inline uint8_t sil_reb_iop(uint16_t port) {
  uint8_t v;
  __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}
Inline void sil_wrb_iop(uint16_t port, uint8_t data) { __asm__ volatile("outb %0, %1" : : "a"(data), "Nd"(port)); }

#endif /* TOPPERS_MACRO_ONLY */
#endif /* SIL_H */
