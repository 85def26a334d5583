// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - the dma-buf exporter: every dmashim buffer is a dma-buf
 *
 * Each attachment gets its own copy of the buffer's page table, mapped
 * for the attaching device with dma_map_sgtable().  Sharing means the
 * same pages mapped for several devices at once, which DMA API debugging
 * takes for a mistake unless the mapping skips the CPU sync, as DRM's
 * PRIME does: the syncs of a map and an unmap are made explicitly.  A
 * coherent buffer attached by the device it was allocated for is mapped
 * already: that attachment gets the coherent DMA address as its one
 * segment.
 *
 * CPU access through DMA_BUF_IOCTL_SYNC syncs every mapped attachment in
 * the direction it was mapped with, and the buffer's dmashim mappings
 * that bounce (which have no attachment mapping of their own).
 */

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/fcntl.h>
#include <linux/iosys-map.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <linux/dmashim.h>
#include "dmashim.h"

/**
 * struct dmashim_attachment - an attachment of a dmashim buffer
 * @node: entry in the buffer's @attachments
 * @dev: the attached device
 * @sgt: the buffer's pages, mapped for @dev while @mapped
 * @dir: direction of the mapping, while @mapped
 * @mapped: @sgt is mapped for @dev
 * @coherent: a coherent buffer on its own device: @sgt holds the
 *	coherent DMA address and is never mapped or synced
 * @cpu_owns: the importer synced the device's writes for the CPU itself
 *	(dmashim_dmabuf_unmap_synced()): unmapping syncs nothing
 */
struct dmashim_attachment {
	struct list_head node;
	struct device *dev;
	struct sg_table sgt;
	enum dma_data_direction dir;
	bool mapped;
	bool coherent;
	bool cpu_owns;
};

static const struct dma_buf_ops dmashim_dmabuf_ops;

/**
 * dmashim_dmabuf_to_buf() - the dmashim buffer behind a dma-buf
 * @dmabuf: any dma-buf
 *
 * Return: the buffer, or NULL if dmashim did not export @dmabuf.
 */
struct dmashim_buf *dmashim_dmabuf_to_buf(struct dma_buf *dmabuf)
{
	return dmabuf->ops == &dmashim_dmabuf_ops ? dmabuf->priv : NULL;
}

/* The longest entry of @src at @done that @dev takes in one segment. */
static unsigned int dmashim_entry_chunk(struct scatterlist *s,
					unsigned int done, unsigned int max_seg,
					u64 boundary)
{
	u64 phys = sg_phys(s) + done, room = boundary - (phys & boundary);
	unsigned int len = min(s->length - done, max_seg);

	return room < len - 1 ? room + 1 : len;
}

/*
 * A copy of the buffer's page table for one attachment, its entries cut
 * to what the attaching device takes: its segment size and boundary, and
 * the largest single mapping (swiotlb's slot limit when it bounces).
 */
static int dmashim_copy_sgt(struct sg_table *dst, struct sg_table *src,
			    struct device *dev)
{
	unsigned int max_seg = max_t(size_t, PAGE_SIZE,
				     rounddown(min_t(size_t,
						     dma_get_max_seg_size(dev),
						     dma_max_mapping_size(dev)),
					       PAGE_SIZE));
	u64 boundary = dma_get_seg_boundary(dev);
	unsigned int i, done, len, n = 0;
	struct scatterlist *s, *d;
	int ret;

	for_each_sgtable_sg(src, s, i)
		for (done = 0; done < s->length; done += len, n++)
			len = dmashim_entry_chunk(s, done, max_seg, boundary);

	ret = sg_alloc_table(dst, n, GFP_KERNEL);
	if (ret)
		return ret;
	d = dst->sgl;
	for_each_sgtable_sg(src, s, i) {
		for (done = 0; done < s->length; done += len) {
			len = dmashim_entry_chunk(s, done, max_seg, boundary);
			sg_set_page(d, nth_page(sg_page(s),
						(s->offset + done) >> PAGE_SHIFT),
				    len, offset_in_page(s->offset + done));
			d = sg_next(d);
		}
	}
	return 0;
}

/*
 * A coherent buffer lives and dies with the device it was allocated for:
 * when that device is revoked its memory goes, after everything of that
 * device's that may touch it was stopped (device.c revokes DMA first,
 * memory last).  No other device may use the memory then, nor a kernel
 * mapping: only the default device's coherent buffers, which nothing
 * revokes while a buffer lives, are anyone's.  @dev NULL: a CPU user.
 */
static bool dmashim_buf_shareable(struct dmashim_buf *buf, struct device *dev)
{
	return buf->origin != DMASHIM_ORIGIN_COHERENT || buf->dd->is_default ||
	       (dev && dev == buf->dd->dev);
}

/**
 * dmashim_buf_usable_by() - whether a device may use a buffer's memory
 * @buf: a dmashim buffer
 * @dev: the device
 *
 * The memory stays as long as the answer is yes: a coherent buffer's
 * device is revoked only with its read lock free, and the caller holds
 * it (or @dev is the default device, never revoked while buffers live).
 *
 * Return: 0; -ENODEV if the memory went with its device; -EXDEV if it
 * is a coherent buffer of another device (dmashim_buf_shareable()).
 */
int dmashim_buf_usable_by(struct dmashim_buf *buf, struct device *dev)
{
	int ret = 0;

	mutex_lock(&buf->lock);
	if (buf->dead)
		ret = -ENODEV;
	else if (!dmashim_buf_shareable(buf, dev))
		ret = -EXDEV;
	mutex_unlock(&buf->lock);
	return ret;
}

static int dmashim_attach(struct dma_buf *dmabuf,
			  struct dma_buf_attachment *attach)
{
	struct dmashim_buf *buf = dmabuf->priv;
	struct dmashim_attachment *a;
	int ret;

	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->dev = attach->dev;

	mutex_lock(&buf->lock);
	if (buf->dead) {
		ret = -ENODEV;
		goto err;
	}
	if (!dmashim_buf_shareable(buf, attach->dev)) {
		ret = -EXDEV;
		goto err;
	}
	ret = dmashim_copy_sgt(&a->sgt, buf->sgt, attach->dev);
	if (ret)
		goto err;
	if (dmashim_buf_coherent_for(buf, attach->dev)) {
		a->coherent = true;
		a->sgt.nents = 1;
		sg_dma_address(a->sgt.sgl) = buf->dma_addr;
		sg_dma_len(a->sgt.sgl) = buf->size;
	}
	list_add(&a->node, &buf->attachments);
	mutex_unlock(&buf->lock);
	attach->priv = a;
	return 0;

err:
	mutex_unlock(&buf->lock);
	kfree(a);
	return ret;
}

static void dmashim_detach(struct dma_buf *dmabuf,
			   struct dma_buf_attachment *attach)
{
	struct dmashim_buf *buf = dmabuf->priv;
	struct dmashim_attachment *a = attach->priv;

	mutex_lock(&buf->lock);
	list_del(&a->node);
	mutex_unlock(&buf->lock);
	sg_free_table(&a->sgt);
	kfree(a);
}

/* Memory pinned read-only must never be written by a device. */
static bool dmashim_dir_allowed(struct dmashim_buf *buf,
				enum dma_data_direction dir)
{
	return buf->origin != DMASHIM_ORIGIN_PINNED || buf->writable ||
	       dir == DMA_TO_DEVICE;
}

/**
 * dmashim_dmabuf_access() - whether devices may use a dma-buf in a
 *	direction, for dmashim's users
 * @dmabuf: any dma-buf
 * @dir: what the device does: reads (%DMA_TO_DEVICE), writes
 *	(%DMA_FROM_DEVICE) or both
 *
 * A dma-buf's file is opened read-only, write-only or both, whatever fd
 * refers to it: a device reads only what it was opened to read, writes
 * only what it was opened to write.  Memory pinned without
 * %DMASHIM_PIN_DEVICE_WRITES is never written either.
 *
 * Return: 0, or -EACCES.
 */
int dmashim_dmabuf_access(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	fmode_t mode = dmabuf->file->f_mode;
	struct dmashim_buf *buf = dmashim_dmabuf_to_buf(dmabuf);

	if (dir != DMA_FROM_DEVICE && !(mode & FMODE_READ))
		return -EACCES;
	if (dir != DMA_TO_DEVICE && !(mode & FMODE_WRITE))
		return -EACCES;
	if (buf && !dmashim_dir_allowed(buf, dir))
		return -EACCES;
	return 0;
}

static struct sg_table *dmashim_map_dma_buf(struct dma_buf_attachment *attach,
					    enum dma_data_direction dir)
{
	struct dmashim_buf *buf = attach->dmabuf->priv;
	struct dmashim_attachment *a = attach->priv;
	int ret = 0;

	if (!dmashim_dir_allowed(buf, dir))
		return ERR_PTR(-EACCES);

	mutex_lock(&buf->lock);
	if (buf->dead)
		ret = -ENODEV;
	else if (a->mapped)
		ret = -EBUSY;
	else if (!a->coherent)
		ret = dma_map_sgtable(attach->dev, &a->sgt, dir,
				      DMA_ATTR_SKIP_CPU_SYNC);
	if (!ret && !a->coherent)
		dma_sync_sgtable_for_device(attach->dev, &a->sgt, dir);
	if (!ret) {
		a->mapped = true;
		a->cpu_owns = false;
		a->dir = dir;
	}
	mutex_unlock(&buf->lock);
	return ret ? ERR_PTR(ret) : &a->sgt;
}

static void dmashim_unmap_dma_buf(struct dma_buf_attachment *attach,
				  struct sg_table *sgt,
				  enum dma_data_direction dir)
{
	struct dmashim_buf *buf = attach->dmabuf->priv;
	struct dmashim_attachment *a = attach->priv;

	mutex_lock(&buf->lock);
	if (!a->coherent) {
		if (!a->cpu_owns)
			dma_sync_sgtable_for_cpu(attach->dev, sgt, dir);
		dma_unmap_sgtable(attach->dev, sgt, dir,
				  DMA_ATTR_SKIP_CPU_SYNC);
	}
	a->mapped = false;
	mutex_unlock(&buf->lock);
}

/**
 * dmashim_dmabuf_unmap_synced() - unmap a dmashim buffer's attachment
 *	whose device writes were all synced for the CPU already
 * @attach: an attachment to a dmashim buffer (dmashim_dmabuf_to_buf())
 * @sgt: its mapping
 * @dir: the direction it was mapped with
 *
 * A channel's cache syncs each transfer's destination for the CPU when
 * the transfer ends, and the CPU owns the memory until the next one: a
 * sync for the CPU at unmap would copy stale bounce slots over what the
 * CPU wrote since.  Unmaps without it.
 */
void dmashim_dmabuf_unmap_synced(struct dma_buf_attachment *attach,
				 struct sg_table *sgt,
				 enum dma_data_direction dir)
{
	struct dmashim_buf *buf = attach->dmabuf->priv;
	struct dmashim_attachment *a = attach->priv;

	mutex_lock(&buf->lock);
	a->cpu_owns = true;
	mutex_unlock(&buf->lock);
	dma_buf_unmap_attachment_unlocked(attach, sgt, dir);
}

/* Sync every mapping of the buffer for the CPU, or for the devices. */
static int dmashim_cpu_access(struct dmashim_buf *buf, bool for_cpu)
{
	struct dmashim_attachment *a;
	struct dmashim_mapping *map;
	int ret = 0, err;

	mutex_lock(&buf->lock);
	if (buf->dead) {
		mutex_unlock(&buf->lock);
		return -ENODEV;
	}
	list_for_each_entry(a, &buf->attachments, node) {
		if (!a->mapped || a->coherent)
			continue;
		if (for_cpu)
			dma_sync_sgtable_for_cpu(a->dev, &a->sgt, a->dir);
		else
			dma_sync_sgtable_for_device(a->dev, &a->sgt, a->dir);
	}
	mutex_unlock(&buf->lock);

	/*
	 * Bounced mappings copy through the buffer, which takes @lock: walk
	 * them under the list's own protection instead.
	 */
	mutex_lock(&buf->bounced_lock);
	list_for_each_entry(map, &buf->bounced, buf_node) {
		err = dmashim_mapping_sync(map, 0, map->length, map->dir,
					   for_cpu);
		ret = ret ?: err;
	}
	mutex_unlock(&buf->bounced_lock);
	return ret;
}

/*
 * The CPU goes after the DMA in flight that it must not overtake: the
 * writers for a read, everyone for a write.
 */
static int dmashim_begin_cpu_access(struct dma_buf *dmabuf,
				    enum dma_data_direction dir)
{
	long ret;

	ret = dma_resv_wait_timeout(dmabuf->resv,
				    dma_resv_usage_rw(dir != DMA_FROM_DEVICE),
				    true, MAX_SCHEDULE_TIMEOUT);
	if (ret < 0)
		return ret;
	return dmashim_cpu_access(dmabuf->priv, true);
}

static int dmashim_end_cpu_access(struct dma_buf *dmabuf,
				  enum dma_data_direction dir)
{
	return dmashim_cpu_access(dmabuf->priv, false);
}

static int dmashim_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	struct dmashim_buf *buf = dmabuf->priv;
	int ret;

	mutex_lock(&buf->lock);
	ret = buf->ops->mmap(buf, vma);
	mutex_unlock(&buf->lock);
	return ret;
}

static int dmashim_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct dmashim_buf *buf = dmabuf->priv;
	int ret = 0;

	mutex_lock(&buf->lock);
	if (buf->dead) {
		ret = -ENODEV;
	} else if (!dmashim_buf_shareable(buf, NULL)) {
		ret = -EXDEV;
	} else if (!buf->vmap_count) {
		buf->vaddr = buf->ops->vmap(buf);
		if (!buf->vaddr)
			ret = -ENOMEM;
	}
	if (!ret) {
		buf->vmap_count++;
		/* Pinned memory need not start at a page boundary. */
		iosys_map_set_vaddr(map, buf->vaddr + buf->sgt->sgl->offset);
	}
	mutex_unlock(&buf->lock);
	return ret;
}

static void dmashim_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct dmashim_buf *buf = dmabuf->priv;

	mutex_lock(&buf->lock);
	if (!--buf->vmap_count) {
		buf->ops->vunmap(buf, buf->vaddr);
		buf->vaddr = NULL;
	}
	mutex_unlock(&buf->lock);
}

static void dmashim_release(struct dma_buf *dmabuf)
{
	dmashim_buf_destroy(dmabuf->priv);
}

static const struct dma_buf_ops dmashim_dmabuf_ops = {
	.attach = dmashim_attach,
	.detach = dmashim_detach,
	.map_dma_buf = dmashim_map_dma_buf,
	.unmap_dma_buf = dmashim_unmap_dma_buf,
	.begin_cpu_access = dmashim_begin_cpu_access,
	.end_cpu_access = dmashim_end_cpu_access,
	.mmap = dmashim_mmap,
	.vmap = dmashim_vmap,
	.vunmap = dmashim_vunmap,
	.release = dmashim_release,
};

/**
 * dmashim_fd_flags_valid() - check the file flags asked for a buffer
 * @fd_flags: O_CLOEXEC and an access mode, as for DMA-BUF heaps
 *
 * Return: true if dmashim_dmabuf_export() accepts them.
 */
bool dmashim_fd_flags_valid(u32 fd_flags)
{
	return !(fd_flags & ~(O_CLOEXEC | O_ACCMODE)) &&
	       (fd_flags & O_ACCMODE) != O_ACCMODE;
}

/**
 * dmashim_dmabuf_export() - export a buffer as a dma-buf and open it
 * @buf: a buffer with its memory
 * @fd_flags: valid file flags (dmashim_fd_flags_valid())
 * @nfd: receives the dma-buf's file, for the ioctl to install
 *
 * On success the dma-buf owns @buf: its release frees it.  On failure
 * @buf is freed.
 *
 * Return: the file descriptor reserved for the dma-buf, or a negative
 * errno.
 */
int dmashim_dmabuf_export(struct dmashim_buf *buf, u32 fd_flags,
			  struct dmashim_new_fd *nfd)
{
	DEFINE_DMA_BUF_EXPORT_INFO(info);
	struct dma_buf *dmabuf;
	int fd;

	info.ops = &dmashim_dmabuf_ops;
	/*
	 * Whole pages, as importers expect (DRM's GEM DMA helpers BUG_ON()
	 * any other size); pinned memory's table still covers exactly the
	 * bytes asked for.
	 */
	info.size = buf->origin == DMASHIM_ORIGIN_PINNED ?
		    buf->nr_pages << PAGE_SHIFT : buf->size;
	info.flags = fd_flags;
	info.priv = buf;
	dmabuf = dma_buf_export(&info);
	if (IS_ERR(dmabuf)) {
		dmashim_buf_destroy(buf);
		return PTR_ERR(dmabuf);
	}
	mutex_lock(&buf->lock);
	buf->dmabuf = dmabuf;
	mutex_unlock(&buf->lock);

	fd = dmashim_new_fd_reserve(nfd, dmabuf->file, fd_flags & O_CLOEXEC);
	if (fd < 0)
		dma_buf_put(dmabuf);
	return fd;
}
