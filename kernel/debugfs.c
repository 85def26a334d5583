// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - debugfs: what devices see, for tests and for debugging
 *
 *   dmashim/devices/DEVICE/bounce      the device's bounce pool counters
 *
 * and, for mappings made while the debugfs_mappings parameter is set:
 *
 *   dmashim/mappings/HANDLE/device_view
 *                                      the mapping as its device sees it:
 *                                      reads and writes at buffer offset X
 *                                      go through the device's address for
 *                                      X (translated by the IOMMU, or the
 *                                      bus address), without syncing
 *   dmashim/mappings/HANDLE/check      "ok N segments" if every page of
 *                                      every segment reaches the buffer's
 *                                      own page at that offset, its slot
 *                                      in the bounce pool, or (no IOMMU)
 *                                      the kernel's swiotlb, whose slots
 *                                      dmashim cannot tell apart;
 *                                      "foreign" for buffers dmashim did
 *                                      not make; else the first
 *                                      "mismatch: ..."
 */

#include <linux/debugfs.h>
#include <linux/dma-direct.h>
#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <linux/dmashim.h>
#include "compat.h"
#include "dmashim.h"

/*
 * A mapping's directory costs more than the mapping (about 75 us of 95 us
 * for a map and unmap under TCG): only when asked for, which tests do.
 */
static bool debugfs_mappings;
module_param(debugfs_mappings, bool, 0644);
MODULE_PARM_DESC(debugfs_mappings,
		 "Show each new mapping in debugfs (dmashim/mappings/HANDLE/), for tests (default N)");

static struct dentry *dmashim_debugfs_root;
static struct dentry *dmashim_debugfs_devs;
static struct dentry *dmashim_debugfs_maps;

static int dmashim_bounce_show(struct seq_file *s, void *unused)
{
	struct dmashim_dev *dd = s->private;
	struct dmashim_stats st;

	dmashim_pool_stats(dd->pool, &st);
	seq_printf(s, "pool_bytes %llu\n", st.pool_bytes);
	seq_printf(s, "slot_bytes %llu\n", st.slot_bytes);
	seq_printf(s, "slots_total %llu\n", st.slots_total);
	seq_printf(s, "slots_used %llu\n", st.slots_used);
	seq_printf(s, "slots_high_water %llu\n", st.slots_high_water);
	seq_printf(s, "bytes_to_device %llu\n", st.bytes_to_device);
	seq_printf(s, "bytes_to_cpu %llu\n", st.bytes_to_cpu);
	seq_printf(s, "mappings_bounced %llu\n", st.mappings_bounced);
	seq_printf(s, "failures %llu\n", st.failures);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dmashim_bounce);

/* Each user's share of the device: slots of its pool, address space. */
static int dmashim_shares_show(struct seq_file *s, void *unused)
{
	struct dmashim_dev *dd = s->private;
	struct dmashim_share *sh;

	seq_printf(s, "refusals %lld\n",
		   (long long)atomic64_read(&dd->share_refusals));
	spin_lock(&dd->share_lock);
	list_for_each_entry(sh, &dd->shares, node)
		seq_printf(s, "uid %u slots %lu space %llu\n",
			   from_kuid(&init_user_ns, sh->uid), sh->slots,
			   sh->space);
	spin_unlock(&dd->share_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dmashim_shares);

/* Where a device address of the mapping's device lands in memory. */
static phys_addr_t dmashim_dev_to_phys(struct dmashim_dev *dd,
				       dma_addr_t addr)
{
	if (dd->translated)
		return iommu_iova_to_phys(iommu_get_domain_for_dev(dd->dev),
					  addr);
	return dma_to_phys(dd->dev, addr);
}

static phys_addr_t dmashim_kaddr_to_phys(void *vaddr)
{
	if (is_vmalloc_addr(vaddr))
		return page_to_phys(vmalloc_to_page(vaddr)) +
		       offset_in_page(vaddr);
	return virt_to_phys(vaddr);
}

/* Copy between @kbuf and what the device sees at [@pos, @pos + @len). */
static int dmashim_view_copy(struct dmashim_mapping *map, u64 pos,
			     void *kbuf, size_t len, bool write)
{
	struct dmashim_piece *p;
	phys_addr_t phys;
	size_t chunk;
	void *vaddr;

	while (len) {
		p = dmashim_piece_at(map, pos);
		phys = dmashim_dev_to_phys(map->dd,
					   p->dma + (pos - p->offset));
		if (!phys || !pfn_valid(PHYS_PFN(phys)))
			return -EFAULT;
		chunk = min3(len, (size_t)(PAGE_SIZE - offset_in_page(phys)),
			     (size_t)(p->offset + p->length - pos));
		vaddr = kmap_local_page(pfn_to_page(PHYS_PFN(phys)));
		if (write)
			memcpy(vaddr + offset_in_page(phys), kbuf, chunk);
		else
			memcpy(kbuf, vaddr + offset_in_page(phys), chunk);
		kunmap_local(vaddr);
		pos += chunk;
		kbuf += chunk;
		len -= chunk;
	}
	return 0;
}

static ssize_t dmashim_view_rw(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos, bool write)
{
	struct dmashim_mapping *map = file->private_data;
	size_t done = 0, len;
	void *kbuf;
	int ret = 0;

	if (*ppos < 0)
		return -EINVAL;
	if (*ppos >= map->length)
		return write ? -ENOSPC : 0;
	count = min_t(u64, count, map->length - *ppos);
	kbuf = (void *)__get_free_page(GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;

	while (done < count && !ret) {
		len = min_t(size_t, count - done, PAGE_SIZE);
		if (write && copy_from_user(kbuf, ubuf + done, len)) {
			ret = -EFAULT;
			break;
		}
		ret = dmashim_dev_read_lock(map->dd);
		if (ret)
			break;
		ret = map->dead ? -ENODEV :
		      dmashim_view_copy(map, *ppos + done, kbuf, len, write);
		dmashim_dev_read_unlock(map->dd);
		if (!ret && !write && copy_to_user(ubuf + done, kbuf, len))
			ret = -EFAULT;
		if (!ret)
			done += len;
	}
	free_page((unsigned long)kbuf);
	*ppos += done;
	return done ? done : ret;
}

static ssize_t dmashim_view_read(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	return dmashim_view_rw(file, ubuf, count, ppos, false);
}

static ssize_t dmashim_view_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	return dmashim_view_rw(file, (char __user *)ubuf, count, ppos, true);
}

static const struct file_operations dmashim_view_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = dmashim_view_read,
	.write = dmashim_view_write,
	.llseek = default_llseek,
};

/* Walks a buffer's page table in step with increasing offsets. */
struct dmashim_cursor {
	struct scatterlist *sg;
	u64 start;	/* buffer offset of @sg's first byte */
};

static phys_addr_t dmashim_cursor_phys(struct dmashim_cursor *c, u64 offset)
{
	while (offset >= c->start + c->sg->length) {
		c->start += c->sg->length;
		c->sg = sg_next(c->sg);
	}
	return sg_phys(c->sg) + (offset - c->start);
}

/* Check one piece; returns false and reports the first mismatch. */
static bool dmashim_check_piece(struct seq_file *s,
				struct dmashim_mapping *map,
				struct dmashim_piece *p,
				struct dmashim_cursor *c)
{
	u64 off = p->offset, end = p->offset + p->length, step;
	phys_addr_t got, want;
	dma_addr_t addr;

	while (off < end) {
		addr = p->dma + (off - p->offset);
		got = dmashim_dev_to_phys(map->dd, addr);
		if (p->kind == DMASHIM_PIECE_BOUNCED)
			want = dmashim_kaddr_to_phys(dmashim_pool_vaddr(map->dd->pool, p) +
						     (off - p->offset));
		else
			want = dmashim_cursor_phys(c, off);
		if (got != want && !(!map->dd->translated &&
				     dmashim_in_swiotlb(map->dd->dev, got))) {
			seq_printf(s, "mismatch: offset %llu: device address %pad reaches %pa, the buffer's byte is at %pa\n",
				   off, &addr, &got, &want);
			return false;
		}
		step = min3(end - off, PAGE_SIZE - offset_in_page(addr),
			    PAGE_SIZE - offset_in_page(want));
		off += step;
	}
	return true;
}

static int dmashim_check_show(struct seq_file *s, void *unused)
{
	struct dmashim_mapping *map = s->private;
	struct dmashim_cursor c;
	unsigned int i;
	int ret;

	ret = dmashim_dev_read_lock(map->dd);
	if (ret)
		return ret;
	if (map->dead) {
		ret = -ENODEV;
		goto out;
	}
	if (!map->buf) {
		seq_puts(s, "foreign\n");
		goto out;
	}
	mutex_lock(&map->buf->lock);
	if (map->buf->dead) {
		ret = -ENODEV;
	} else {
		c.sg = map->buf->sgt->sgl;
		c.start = 0;
		for (i = 0; i < map->nr_pieces; i++)
			if (!dmashim_check_piece(s, map, &map->pieces[i], &c))
				break;
		if (i == map->nr_pieces)
			seq_printf(s, "ok %u segments\n", map->nr_segs);
	}
	mutex_unlock(&map->buf->lock);
out:
	dmashim_dev_read_unlock(map->dd);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(dmashim_check);

/**
 * dmashim_debugfs_add_dev() - create a device's debugfs directory
 * @dd: the device; dmashim_dev_teardown() removes the directory
 */
void dmashim_debugfs_add_dev(struct dmashim_dev *dd)
{
	dd->debugfs = debugfs_create_dir(dev_name(dd->dev),
					 dmashim_debugfs_devs);
	debugfs_create_file("bounce", 0444, dd->debugfs, dd,
			    &dmashim_bounce_fops);
	debugfs_create_file("shares", 0444, dd->debugfs, dd,
			    &dmashim_shares_fops);
}

/**
 * dmashim_debugfs_add_mapping() - create a mapping's debugfs directory
 * @map: a live mapping; freeing it removes the directory
 *
 * Only with the debugfs_mappings parameter set.
 */
void dmashim_debugfs_add_mapping(struct dmashim_mapping *map)
{
	char name[16];

	if (!READ_ONCE(debugfs_mappings))
		return;
	snprintf(name, sizeof(name), "%u", map->id);
	map->debugfs = debugfs_create_dir(name, dmashim_debugfs_maps);
	debugfs_create_file_size("device_view", 0600, map->debugfs, map,
				 &dmashim_view_fops, map->length);
	debugfs_create_file("check", 0400, map->debugfs, map,
			    &dmashim_check_fops);
}

/**
 * dmashim_debugfs_init() - create dmashim's debugfs directories
 */
void dmashim_debugfs_init(void)
{
	dmashim_debugfs_root = debugfs_create_dir("dmashim", NULL);
	dmashim_debugfs_devs = debugfs_create_dir("devices",
						  dmashim_debugfs_root);
	dmashim_debugfs_maps = debugfs_create_dir("mappings",
						  dmashim_debugfs_root);
}

/**
 * dmashim_debugfs_exit() - remove dmashim's debugfs directories
 */
void dmashim_debugfs_exit(void)
{
	debugfs_remove(dmashim_debugfs_root);
}
