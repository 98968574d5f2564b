// SPDX-License-Identifier: GPL-2.0
/*
 * A kernel module that crashes Linux on purpose: it panics. With `panic=-1` Linux then reboots
 * at once, and on Gandalf its last resort, a triple fault (an empty IDT and int3), is a fault
 * the partition cannot handle: Gandalf contains it and, with on_fault = "restart", reloads
 * Linux from the image store while the RTOS instances keep their ticks (tests/linux/run.py,
 * gandalf_panic_restarts_linux).
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/panic.h>

static int __init gandalf_panic_init(void)
{
	panic("gandalf-panic: a crash on purpose");
	return 0;
}
module_init(gandalf_panic_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gandalf test: panics the Linux kernel");
