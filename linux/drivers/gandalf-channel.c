// SPDX-License-Identifier: GPL-2.0
/*
 * gandalf-channel: one character device, /dev/gandalf-NAME, for each Gandalf channel the
 * Linux partition is an end of (docs/channel.md). One write() puts one message into one record
 * of Linux's half; one read() takes one message from the RTOS's half; poll() tells which of the
 * two would not block. The RTOS end's doorbell wakes readers (and writers waiting for room);
 * every write rings the RTOS, whose rings from Linux Gandalf rate-limits as configured.
 *
 * Gandalf gives the channels through its select port; the region is the RTOS's memory, mapped
 * here with memremap: Gandalf's shadow page tables let Linux write only its own half. The
 * record functions are the shared ones of include/gandalf/channel.h.
 */
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <asm/unaligned.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "gandalf/channel.h"

#define GCH_MAX 4
#define GANDALF_CHANNEL_IOC_RING _IO('G', 1) /* ring the RTOS without a message */

struct gch {
	struct miscdevice misc;
	char devname[32];
	char name[17];
	struct gandalf_channel_end end;
	void *base;
	u8 *buf; /* one record's message */
	u32 number, irq, payload, size;
	wait_queue_head_t wait;
	struct mutex rlock, wlock;
	atomic_t waiters; /* readers asleep or polling: the RTOS rings only then (wants_data) */
	bool irq_ok, misc_ok;
};

static struct gch *channels[GCH_MAX];
static unsigned int channel_count;

static u32 gch_field(u32 n, u32 field)
{
	outl((n << 8) | field, GANDALF_CHANNEL_SELECT);
	return inl(GANDALF_CHANNEL_SELECT);
}

static void gch_ring(struct gch *ch)
{
	outl(ch->number, GANDALF_CHANNEL_DOORBELL);
}

static irqreturn_t gch_doorbell(int irq, void *data)
{
	struct gch *ch = data;

	wake_up_interruptible(&ch->wait);
	return IRQ_HANDLED;
}

static struct gch *gch_of(struct file *file)
{
	return container_of(file->private_data, struct gch, misc);
}

static bool gch_has_room(struct gch *ch)
{
	return gandalf_channel_in_flight(&ch->end) < ch->end.capacity;
}

/* The flag is set before the caller looks for records again: a record the RTOS writes after
 * the look is rung for, one written before is seen. */
static void gch_want_data(struct gch *ch, int delta)
{
	if (atomic_add_return(delta, &ch->waiters) > 0)
		ch->end.mine->wants_data = 1;
	else
		ch->end.mine->wants_data = 0;
	barrier();
}

static ssize_t gch_read(struct file *file, char __user *to, size_t count, loff_t *pos)
{
	struct gch *ch = gch_of(file);
	int r;

	if (mutex_lock_interruptible(&ch->rlock))
		return -ERESTARTSYS;
	for (;;) {
		r = gandalf_channel_receive(&ch->end, ch->buf, min_t(size_t, count, ch->payload));
		if (r >= 0 || r == GANDALF_CH_TOO_LONG)
			break;
		if (r == GANDALF_CH_BAD) {
			pr_warn_ratelimited("gandalf-channel: %s: a malformed record from the RTOS, skipped\n", ch->name);
			continue;
		}
		if (file->f_flags & O_NONBLOCK) {
			r = -EAGAIN;
			break;
		}
		mutex_unlock(&ch->rlock);
		gch_want_data(ch, 1);
		r = wait_event_interruptible(ch->wait, gandalf_channel_readable(&ch->end));
		gch_want_data(ch, -1);
		if (r || mutex_lock_interruptible(&ch->rlock))
			return -ERESTARTSYS;
	}
	if (r >= 0 && gandalf_channel_peer_waits(&ch->end))
		gch_ring(ch);
	mutex_unlock(&ch->rlock);
	if (r == GANDALF_CH_TOO_LONG)
		return -EMSGSIZE; /* the record stays: read it with a larger buffer */
	if (r < 0)
		return r;
	if (copy_to_user(to, ch->buf, r))
		return -EFAULT;
	return r;
}

static ssize_t gch_write(struct file *file, const char __user *from, size_t count, loff_t *pos)
{
	struct gch *ch = gch_of(file);
	int r;

	if (count > ch->payload)
		return -EMSGSIZE; /* one message per record: never split */
	if (mutex_lock_interruptible(&ch->wlock))
		return -ERESTARTSYS;
	if (copy_from_user(ch->buf + ch->payload, from, count)) {
		mutex_unlock(&ch->wlock);
		return -EFAULT;
	}
	while ((r = gandalf_channel_send(&ch->end, ch->buf + ch->payload, count)) == GANDALF_CH_FULL) {
		if (file->f_flags & O_NONBLOCK)
			break;
		ch->end.mine->wants_room = 1;
		r = wait_event_interruptible(ch->wait, gch_has_room(ch));
		ch->end.mine->wants_room = 0;
		if (r)
			break;
	}
	if (r == 0)
		gch_ring(ch);
	mutex_unlock(&ch->wlock);
	if (r == GANDALF_CH_FULL)
		return -EAGAIN;
	if (r)
		return -ERESTARTSYS;
	return count;
}

static __poll_t gch_poll(struct file *file, poll_table *wait)
{
	struct gch *ch = gch_of(file);
	__poll_t mask = 0;

	poll_wait(file, &ch->wait, wait);
	if (!ch->end.mine->wants_data) { /* until the file is closed: a poller may sleep any time */
		ch->end.mine->wants_data = 1;
		barrier();
	}
	if (gandalf_channel_readable(&ch->end))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (gch_has_room(ch))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

static int gch_release(struct inode *inode, struct file *file)
{
	gch_want_data(gch_of(file), 0);
	return 0;
}

static long gch_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	if (cmd != GANDALF_CHANNEL_IOC_RING)
		return -ENOTTY;
	gch_ring(gch_of(file));
	return 0;
}

static const struct file_operations gch_fops = {
	.owner = THIS_MODULE,
	.read = gch_read,
	.write = gch_write,
	.poll = gch_poll,
	.unlocked_ioctl = gch_ioctl,
	.release = gch_release,
	.llseek = no_llseek,
};

static void gch_remove(struct gch *ch)
{
	if (ch->misc_ok)
		misc_deregister(&ch->misc);
	if (ch->irq_ok)
		free_irq(ch->irq, ch);
	if (ch->base)
		memunmap(ch->base);
	kfree(ch->buf);
	kfree(ch);
}

static int gch_probe(u32 n)
{
	struct gch *ch = kzalloc(sizeof(*ch), GFP_KERNEL);
	u32 phys, record, w;
	int r;

	if (!ch)
		return -ENOMEM;
	for (w = 0; w < 4; ++w)
		put_unaligned_le32(gch_field(n, GANDALF_CHF_NAME + w), ch->name + 4 * w);
	ch->name[16] = '\0';
	phys = gch_field(n, GANDALF_CHF_ADDRESS);
	ch->size = gch_field(n, GANDALF_CHF_SIZE);
	record = gch_field(n, GANDALF_CHF_RECORD);
	ch->irq = gch_field(n, GANDALF_CHF_IRQ);
	ch->number = n;
	init_waitqueue_head(&ch->wait);
	mutex_init(&ch->rlock);
	mutex_init(&ch->wlock);
	atomic_set(&ch->waiters, 0);
	r = -EINVAL;
	if (ch->irq > 15 || gandalf_channel_capacity(ch->size / 2, record) == 0)
		goto fail;
	ch->payload = record - 4;
	r = -ENOMEM;
	ch->buf = kmalloc(2 * record, GFP_KERNEL);
	ch->base = memremap(phys, ch->size, MEMREMAP_WB);
	if (!ch->buf || !ch->base)
		goto fail;
	gandalf_channel_attach(&ch->end, ch->base, ch->size, record, gch_field(n, GANDALF_CHF_HALF) != 0);
	snprintf(ch->devname, sizeof(ch->devname), "gandalf-%s", ch->name);
	r = request_irq(ch->irq, gch_doorbell, 0, ch->devname, ch);
	if (r)
		goto fail;
	ch->irq_ok = true;
	ch->misc.minor = MISC_DYNAMIC_MINOR;
	ch->misc.name = ch->devname;
	ch->misc.fops = &gch_fops;
	ch->misc.mode = 0666;
	r = misc_register(&ch->misc);
	if (r)
		goto fail;
	ch->misc_ok = true;
	channels[channel_count++] = ch;
	pr_info("gandalf-channel: /dev/%s: %u bytes at %#x, records of %u bytes, doorbell IRQ %u\n", ch->devname,
		ch->size, phys, record, ch->irq);
	return 0;
fail:
	pr_err("gandalf-channel: channel %u (%s) unusable: %d\n", n, ch->name, r);
	gch_remove(ch);
	return r;
}

static int __init gch_init(void)
{
	u32 count = gch_field(0, GANDALF_CHF_COUNT), n;

	if (count == 0 || count == GANDALF_CHF_NONE) {
		pr_info("gandalf-channel: no channels (not on Gandalf, or none configured for Linux)\n");
		return -ENODEV;
	}
	for (n = 0; n < count && n < GCH_MAX; ++n)
		gch_probe(n);
	return channel_count ? 0 : -ENODEV;
}

static void __exit gch_exit(void)
{
	while (channel_count)
		gch_remove(channels[--channel_count]);
}

module_init(gch_init);
module_exit(gch_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gandalf RTOS<->Linux channels as character devices");
