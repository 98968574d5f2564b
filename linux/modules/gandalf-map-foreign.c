// SPDX-License-Identifier: GPL-2.0
/*
 * A kernel module that attacks Gandalf's spatial protection on purpose (issue #12): for each
 * physical address in `targets` (a frame of an RTOS instance, of Gandalf's code, of the image
 * store: memory that is not Linux's), it writes a page-table entry that maps it and then writes
 * and reads through that mapping, twice:
 *   pte: the PTE of a vmalloc'ed page is pointed at the target frame;
 *   pde: the page-directory entry of a 4 MiB-aligned vmalloc range becomes a 4 MiB page that
 *        covers the target.
 *   cr3: the first target is loaded as the page directory (with an exception-table fixup).
 * Every access goes through an exception-table fixup (__put/__get_kernel_nofault), so a
 * refused access is -EFAULT, not an oops. On Gandalf each one must be refused; the test
 * (tests/linux/run.py, gandalf_foreign_mappings_refused) checks that, Gandalf's reports, and
 * checksums of the targets. On bare metal the same module would write into that memory.
 * The module never stays loaded: its init returns -EPERM when it is done.
 */
#include <linux/init.h>
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/pgtable.h>
#include <asm/asm.h>
#include <asm/tlbflush.h>

static unsigned long targets[4];
static int ntargets;
module_param_array(targets, ulong, &ntargets, 0);
MODULE_PARM_DESC(targets, "physical addresses that are not Linux's");

static const u32 pattern = 0x6a11d0ffu;
static int refused, went_through;

/* A write, then a read, through `va`; what happened is said after the mapping is undone. */
struct outcome {
	bool wrote, read;
	u32 seen;
};

static noinline bool try_write(void *va)
{
	__put_kernel_nofault(va, &pattern, u32, failed);
	return true;
failed:
	return false;
}

static noinline bool try_read(void *va, u32 *seen)
{
	u32 value;

	__get_kernel_nofault(&value, va, u32, failed);
	*seen = value;
	return true;
failed:
	return false;
}

static struct outcome try_access(void *va)
{
	struct outcome o = { false, false, 0 };

	o.wrote = try_write(va);
	o.read = try_read(va, &o.seen);
	return o;
}

static void tell(const char *how, unsigned long phys, struct outcome o)
{
	if (o.wrote) {
		went_through++;
		pr_info("gandalf-map-foreign: %s %08lx write went through\n", how, phys);
	} else {
		refused++;
		pr_info("gandalf-map-foreign: %s %08lx write refused\n", how, phys);
	}
	if (o.read) {
		went_through++;
		pr_info("gandalf-map-foreign: %s %08lx read went through (%08x)\n", how, phys, o.seen);
	} else {
		refused++;
		pr_info("gandalf-map-foreign: %s %08lx read refused\n", how, phys);
	}
}

/* A PTE of Linux's, pointed at `phys`. */
static void through_pte(unsigned long phys)
{
	unsigned int level;
	void *page = vmalloc(PAGE_SIZE);
	pte_t *pte, old;
	struct outcome o;

	if (!page)
		return;
	pte = lookup_address((unsigned long)page, &level);
	if (pte && level == PG_LEVEL_4K) {
		old = *pte;
		set_pte(pte, pfn_pte(phys >> PAGE_SHIFT, PAGE_KERNEL));
		__flush_tlb_all();
		o = try_access(page + (phys & ~PAGE_MASK));
		set_pte(pte, old);
		__flush_tlb_all();
		tell("pte", phys, o);
	}
	vfree(page);
}

/* A page-directory entry of the running address space, made a 4 MiB page over `phys`. */
static void through_pde(unsigned long phys)
{
	const unsigned long large = 4UL << 20;
	char *area = vmalloc(2 * large);
	unsigned long base, flags;
	pgd_t *pgd, old;
	struct outcome o;

	if (!area)
		return;
	base = ALIGN((unsigned long)area, large);  /* a whole 4 MiB of the area: no one else's */
	pgd = pgd_offset(current->active_mm, base);
	local_irq_save(flags);
	old = *pgd;
	WRITE_ONCE(pgd->pgd, (phys & ~(large - 1)) | _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE |
			      _PAGE_ACCESSED | _PAGE_DIRTY);
	__flush_tlb_all();
	o = try_access((void *)(base + (phys & (large - 1))));
	WRITE_ONCE(pgd->pgd, old.pgd);
	__flush_tlb_all();
	local_irq_restore(flags);
	vfree(area);
	tell("pde", phys, o);
}

/* CR3 := `phys`: on Gandalf a #GP (the fixup skips the load); on bare metal the end. */
static noinline bool try_cr3(unsigned long phys)
{
	bool loaded = false;

	asm volatile("1: mov %1, %%cr3\n"
		     "   movb $1, %0\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : "+qm"(loaded) : "r"(phys) : "memory");
	return loaded;
}

static int __init map_foreign_init(void)
{
	int i;

	for (i = 0; i < ntargets; i++) {
		through_pte(targets[i]);
		through_pde(targets[i]);
	}
	if (ntargets > 0) {
		unsigned long flags;
		bool loaded;

		local_irq_save(flags);
		loaded = try_cr3(targets[0] & PAGE_MASK);
		local_irq_restore(flags);
		loaded ? went_through++ : refused++;
		pr_info("gandalf-map-foreign: cr3 %08lx %s\n", targets[0] & PAGE_MASK, loaded ? "loaded" : "refused");
	}
	pr_info("gandalf-map-foreign: done: %d refused, %d went through\n", refused, went_through);
	return -EPERM;
}
module_init(map_foreign_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gandalf test: maps memory that is not Linux's and writes through it");
