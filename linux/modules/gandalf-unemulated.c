// SPDX-License-Identifier: GPL-2.0
/*
 * A kernel module that executes an instruction Gandalf does not emulate for Linux: rdpmc,
 * which raises #GP at CPL 1 with CR4.PCE clear. Gandalf reports it on COM4 (partition, #GP,
 * CS:EIP, the decoded instruction) and reflects the #GP to Linux, as a processor would have:
 * Linux's own handler decides (here an oops that kills insmod; Linux and the RTOS instances
 * go on). tests/linux/run.py, gandalf_unemulated_instruction_reported.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static int __init gandalf_unemulated_init(void)
{
	unsigned int lo, hi;

	pr_info("gandalf-unemulated: rdpmc at CPL 1\n");
	asm volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(0));
	pr_info("gandalf-unemulated: rdpmc returned %08x%08x: not trapped\n", hi, lo);
	return 0;
}
module_init(gandalf_unemulated_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gandalf test: an instruction Gandalf does not emulate");
