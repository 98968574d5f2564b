// SPDX-License-Identifier: GPL-2.0
/*
 * A kernel module that misbehaves on purpose, for Gandalf's temporal-protection test: it turns
 * interrupts off and spins for ever. On bare metal this freezes the machine. On Gandalf only
 * Linux's virtual interrupt flag goes off; the RTOS instances keep their ticks and the monitor
 * can restart Linux (tests/linux/run.py, gandalf_irqoff_spin_contained).
 */
#include <linux/init.h>
#include <linux/irqflags.h>
#include <linux/module.h>
#include <linux/printk.h>

static int __init irqoff_spin_init(void)
{
	pr_info("gandalf-irqoff-spin: interrupts off, spinning for ever\n");
	local_irq_disable();
	for (;;)
		cpu_relax();
	return 0;
}
module_init(irqoff_spin_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gandalf test: disables interrupts and never returns");
