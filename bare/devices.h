/* bare: the PC devices every guest of Gandalf programs the same way, on the ports of the
 * PC/AT: a 16550 UART as its console, the 8259 pair and the 8254's counter 0 (the latter two
 * are Gandalf's virtual devices: each port write traps). Every function returns the number of
 * port writes it made, for callers that count their traps. C and C++. */
#ifndef BARE_DEVICES_H
#define BARE_DEVICES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 16550 at `base`: 115200 baud (divisor 1), 8N1, FIFOs on and cleared, DTR, RTS and OUT2 (the
 * interrupt line to the 8259), then IER = `ier` (0: polled; 0x01: received data). */
unsigned bare_uart_init(uint16_t base, uint8_t ier);

/* The 8259 pair: master at 0x20/0x21 with vectors `vector_base`..+7, slave at 0xa0/0xa1 on
 * the master's IR2 with the next eight; edge triggered, 8086 mode, automatic EOI if
 * `auto_eoi`; then the masks as bare_pic_set_mask(unmasked). */
unsigned bare_pic_init(uint8_t vector_base, int auto_eoi, uint16_t unmasked);
/* Unmasks exactly the IRQs (bit n = IRQ n, 8..15 on the slave) in `unmasked`, and the
 * cascade (IRQ 2) when a slave line is among them. */
unsigned bare_pic_set_mask(uint16_t unmasked);
/* Non-specific EOI for `irq` (both chips for a slave line): without automatic EOI. */
unsigned bare_pic_eoi(unsigned irq);

/* The 8254's counter 0 as a rate generator (mode 2, binary) with `count` input clocks per
 * period (1193182 Hz: 1193 is 1 ms). */
unsigned bare_pit_periodic(uint16_t count);

#ifdef __cplusplus
}
#endif

#endif
