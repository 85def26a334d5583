// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - shares: what one user holds of a device others use too
 *
 * A device's bounce pool and its DMA address space (the IOVA space of a
 * device behind an IOMMU: a narrow device has little of it) are shared by
 * everyone who binds to the device.  Each user (by uid) holds a share of
 * both on each device, and one whose context was opened without
 * CAP_SYS_ADMIN may hold at most share_pct percent of either: beyond
 * that, -EDQUOT, counted in the device's share_refusals (STATS, debugfs).
 * Root's contexts still count what they hold, but are not limited.
 *
 * Pool slots are counted under the pool's lock, by bounce.c, as they are
 * taken; address space here, under the device's share lock, when a
 * mapping or a coherent buffer takes it.
 */

#include <linux/cred.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <linux/dmashim.h>
#include "dmashim.h"

static unsigned int share_pct = 50;
module_param(share_pct, uint, 0644);
MODULE_PARM_DESC(share_pct,
		 "Percent of a device's bounce pool and DMA address space one user may hold, unless its context was opened with CAP_SYS_ADMIN (1..100, default 50)");

/**
 * dmashim_share_limit() - the most of something one limited user holds
 * @total: how much the device has
 *
 * Return: share_pct percent of @total.
 */
u64 dmashim_share_limit(u64 total)
{
	unsigned int pct = clamp(READ_ONCE(share_pct), 1U, 100U);

	return div_u64(total, 100) * pct + div_u64((total % 100) * pct, 100);
}

/**
 * dmashim_share_get() - the share of a context opener's user on a device
 * @dd: the device
 * @opener: the context's file
 *
 * Return: the share, referenced, or NULL if out of memory.
 */
struct dmashim_share *dmashim_share_get(struct dmashim_dev *dd,
					const struct file *opener)
{
	kuid_t uid = opener->f_cred->uid;
	struct dmashim_share *s, *new;

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return NULL;
	spin_lock(&dd->share_lock);
	list_for_each_entry(s, &dd->shares, node) {
		if (uid_eq(s->uid, uid)) {
			s->refs++;
			spin_unlock(&dd->share_lock);
			kfree(new);
			return s;
		}
	}
	new->uid = uid;
	new->dd = dd;
	new->refs = 1;
	kref_get(&dd->ref);
	list_add(&new->node, &dd->shares);
	spin_unlock(&dd->share_lock);
	return new;
}

/**
 * dmashim_share_hold() - take another reference to a share
 * @s: the share
 *
 * Return: @s.
 */
struct dmashim_share *dmashim_share_hold(struct dmashim_share *s)
{
	spin_lock(&s->dd->share_lock);
	s->refs++;
	spin_unlock(&s->dd->share_lock);
	return s;
}

/**
 * dmashim_share_put() - drop a reference to a share
 * @s: the share, or NULL
 *
 * May sleep (the last reference to the device may go).
 */
void dmashim_share_put(struct dmashim_share *s)
{
	struct dmashim_dev *dd;
	bool last;

	if (!s)
		return;
	dd = s->dd;
	spin_lock(&dd->share_lock);
	last = !--s->refs;
	if (last)
		list_del(&s->node);
	spin_unlock(&dd->share_lock);
	if (!last)
		return;
	WARN_ON(s->slots || s->space);
	kfree(s);
	dmashim_dev_put(dd);
}

/* The device's DMA address space, in bytes (its mask's reach). */
static u64 dmashim_share_space_total(struct dmashim_dev *dd)
{
	u64 mask = min(dma_get_mask(dd->dev), dd->dev->coherent_dma_mask);

	return mask == U64_MAX ? U64_MAX : mask + 1;
}

/**
 * dmashim_share_take_space() - take address space of a device for a user
 * @s: the user's share
 * @limited: the user is held to share_pct
 * @bytes: how much; only devices an IOMMU translates count it
 *
 * Return: 0, or -EDQUOT (counted) if a limited user would hold more than
 * its share.
 */
int dmashim_share_take_space(struct dmashim_share *s, bool limited,
			     u64 bytes)
{
	struct dmashim_dev *dd = s->dd;
	int ret = 0;

	if (!dd->translated)
		return 0;
	spin_lock(&dd->share_lock);
	if (limited && s->space + bytes >
	    dmashim_share_limit(dmashim_share_space_total(dd))) {
		ret = -EDQUOT;
		atomic64_inc(&dd->share_refusals);
	} else {
		s->space += bytes;
	}
	spin_unlock(&dd->share_lock);
	return ret;
}

/**
 * dmashim_share_give_space() - give back what dmashim_share_take_space()
 *	took
 * @s: the share
 * @bytes: as taken
 */
void dmashim_share_give_space(struct dmashim_share *s, u64 bytes)
{
	struct dmashim_dev *dd = s->dd;

	if (!dd->translated)
		return;
	spin_lock(&dd->share_lock);
	s->space -= bytes;
	spin_unlock(&dd->share_lock);
}
