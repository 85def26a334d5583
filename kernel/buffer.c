// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - buffers: DMASHIM_IOCTL_ALLOC and the memory behind a buffer
 *
 * Three kinds of allocated memory (pinned user memory is in pin.c):
 *
 * pages       order-8, then order-4, then order-0 blocks (1 MiB, 64 KiB,
 *             4 KiB), largest first as the system DMA-BUF heap does, so an
 *             IOMMU can use large pages.  Blocks are split into ordinary
 *             pages: mmap inserts them one by one, which gives the normal
 *             page mappings get_user_pages() needs.
 * contiguous  one block, for devices without scatter-gather.
 * coherent    dma_alloc_coherent() for the context's device.
 *
 * All are zeroed, charged to the opener's locked memory (account.c) and
 * (pages and contiguous ones) to the caller's memory cgroup, and
 * allocated without invoking the OOM killer: a request that does not fit
 * fails with -ENOMEM and leaves nothing behind.
 */

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/log2.h>
#include <linux/fcntl.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <linux/dmashim.h>
#include "dmashim.h"

/* Block sizes for the pages kind, largest first. */
static const unsigned int dmashim_page_orders[] = {
	ilog2(SZ_1M) - PAGE_SHIFT, ilog2(SZ_64K) - PAGE_SHIFT, 0,
};

#define DMASHIM_CONTIG_MAX	SZ_4M
#define DMASHIM_GFP		(__GFP_ZERO | __GFP_ACCOUNT | __GFP_NOWARN | \
				 __GFP_RETRY_MAYFAIL)

/**
 * dmashim_buf_check_length() - validate a buffer length from userspace
 * @length: bytes asked for
 *
 * Return: 0, -EINVAL for 0, -EOVERFLOW if it does not round up to pages,
 * -EFBIG if it is more than half of RAM.
 */
int dmashim_buf_check_length(u64 length)
{
	if (!length)
		return -EINVAL;
	if (length > U64_MAX - PAGE_SIZE + 1 || PAGE_ALIGN(length) > SIZE_MAX)
		return -EOVERFLOW;
	if (PAGE_ALIGN(length) >> PAGE_SHIFT > totalram_pages() / 2)
		return -EFBIG;
	return 0;
}

/**
 * dmashim_buf_create() - a buffer object without memory yet
 * @origin: where its memory will come from
 * @ops: how memory of that origin is handled
 * @size: its size in bytes
 *
 * Return: the buffer, or NULL if out of memory.
 */
struct dmashim_buf *dmashim_buf_create(enum dmashim_buf_origin origin,
				       const struct dmashim_buf_ops *ops,
				       size_t size)
{
	struct dmashim_buf *buf;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return NULL;
	buf->sgt = kzalloc(sizeof(*buf->sgt), GFP_KERNEL);
	if (!buf->sgt) {
		kfree(buf);
		return NULL;
	}
	buf->origin = origin;
	buf->ops = ops;
	buf->size = size;
	buf->writable = true;
	mutex_init(&buf->lock);
	INIT_LIST_HEAD(&buf->attachments);
	mutex_init(&buf->bounced_lock);
	INIT_LIST_HEAD(&buf->bounced);
	return buf;
}

static void dmashim_free_pages(struct dmashim_buf *buf, unsigned long nr)
{
	while (nr--)
		__free_page(buf->pages[nr]);
}

/* Fill buf->pages from blocks of the given orders, largest first. */
static int dmashim_alloc_blocks(struct dmashim_buf *buf, gfp_t gfp,
				const unsigned int *orders, unsigned int n)
{
	unsigned long done = 0, i;
	struct page *page = NULL;
	unsigned int k;

	while (done < buf->nr_pages) {
		for (k = 0; k < n; k++) {
			if (done + (1UL << orders[k]) > buf->nr_pages)
				continue;
			/* Large blocks are a bonus: don't work hard for them. */
			page = alloc_pages(gfp | (orders[k] ? __GFP_NORETRY : 0),
					   orders[k]);
			if (page)
				break;
		}
		if (!page)
			goto err;
		split_page(page, orders[k]);
		for (i = 0; i < 1UL << orders[k]; i++)
			buf->pages[done++] = page + i;
		page = NULL;
		if (fatal_signal_pending(current))
			goto err;
		cond_resched();
	}
	return 0;

err:
	dmashim_free_pages(buf, done);
	return fatal_signal_pending(current) ? -EINTR : -ENOMEM;
}

/* One block of the smallest order that holds the buffer; the rest freed. */
static int dmashim_alloc_contiguous(struct dmashim_buf *buf, gfp_t gfp)
{
	unsigned int order = get_order(buf->size);
	struct page *page;
	unsigned long i;

	page = alloc_pages(gfp, order);
	if (!page)
		return -ENOMEM;
	split_page(page, order);
	for (i = 0; i < 1UL << order; i++) {
		if (i < buf->nr_pages)
			buf->pages[i] = page + i;
		else
			__free_page(page + i);
	}
	return 0;
}

/* Coherent memory of the context's device, and its address space. */
static int dmashim_alloc_coherent(struct dmashim_buf *buf,
				  struct dmashim_ctx *ctx)
{
	struct dmashim_dev *dd = ctx->dd;
	int ret;

	ret = dmashim_share_take_space(ctx->share, ctx->limited, buf->size);
	if (ret)
		return ret;
	buf->cpu_addr = dma_alloc_coherent(dd->dev, buf->size, &buf->dma_addr,
					   GFP_KERNEL | __GFP_NOWARN);
	if (!buf->cpu_addr) {
		ret = -ENOMEM;
		goto err_space;
	}
	ret = dma_get_sgtable(dd->dev, buf->sgt, buf->cpu_addr, buf->dma_addr,
			      buf->size);
	if (ret)
		goto err_free;
	kref_get(&dd->ref);
	buf->dd = dd;
	buf->share = dmashim_share_hold(ctx->share);
	dmashim_dev_add_user(dd, &buf->user);
	return 0;

err_free:
	dma_free_coherent(dd->dev, buf->size, buf->cpu_addr, buf->dma_addr);
err_space:
	dmashim_share_give_space(ctx->share, buf->size);
	return ret;
}

/* Free the coherent memory, and give its address space back. */
static void dmashim_free_coherent(struct dmashim_buf *buf)
{
	sg_free_table(buf->sgt);
	dma_free_coherent(buf->dd->dev, buf->size, buf->cpu_addr,
			  buf->dma_addr);
	dmashim_share_give_space(buf->share, buf->size);
}

/*
 * The device of a coherent buffer is going away: its memory goes with it.
 * CPU mappings are zapped (later accesses fault with SIGBUS); every other
 * use of the memory checks @dead under @lock.
 */
static void dmashim_coherent_revoke(struct dmashim_user *user)
{
	struct dmashim_buf *buf = container_of(user, struct dmashim_buf, user);

	mutex_lock(&buf->lock);
	WRITE_ONCE(buf->dead, true);
	/* Not exported yet: no CPU mapping to zap, and none will come. */
	if (buf->dmabuf)
		unmap_mapping_range(buf->dmabuf->file->f_mapping, 0, 0, 1);
	dmashim_free_coherent(buf);
	mutex_unlock(&buf->lock);
}

/* Pages and contiguous buffers: the zone the context's device prefers. */
static gfp_t dmashim_buf_gfp(struct dmashim_dev *dd)
{
	struct device *dev = dd->dev;

	/* Within 32 bits, a device without IOMMU needs fewer bounces. */
	if (!dd->translated && dev->dma_mask &&
	    *dev->dma_mask <= DMA_BIT_MASK(32))
		return GFP_DMA32 | GFP_KERNEL | DMASHIM_GFP;
	return GFP_HIGHUSER | DMASHIM_GFP;
}

static int dmashim_buf_fill(struct dmashim_buf *buf, struct dmashim_ctx *ctx)
{
	struct dmashim_dev *dd = ctx->dd;
	int ret;

	if (buf->origin == DMASHIM_ORIGIN_COHERENT) {
		buf->user.stage = DMASHIM_USER_MEMORY;
		buf->user.revoke = dmashim_coherent_revoke;
		return dmashim_alloc_coherent(buf, ctx);
	}

	buf->nr_pages = buf->size >> PAGE_SHIFT;
	buf->pages = kvmalloc_array(buf->nr_pages, sizeof(*buf->pages),
				    GFP_KERNEL);
	if (!buf->pages)
		return -ENOMEM;
	if (buf->origin == DMASHIM_ORIGIN_CONTIGUOUS)
		ret = dmashim_alloc_contiguous(buf, dmashim_buf_gfp(dd));
	else
		ret = dmashim_alloc_blocks(buf, dmashim_buf_gfp(dd),
					   dmashim_page_orders,
					   ARRAY_SIZE(dmashim_page_orders));
	if (ret)
		goto err_pages;

	ret = sg_alloc_table_from_pages(buf->sgt, buf->pages, buf->nr_pages,
					0, buf->size, GFP_KERNEL);
	if (ret)
		goto err_free;
	return 0;

err_free:
	dmashim_free_pages(buf, buf->nr_pages);
err_pages:
	kvfree(buf->pages);
	buf->pages = NULL;
	return ret;
}

/* ---- each origin's memory ----------------------------------------------- */

/* Pages and contiguous buffers: ordinary pages of the buffer's own. */
static void dmashim_pages_release(struct dmashim_buf *buf)
{
	if (!buf->pages)
		return;
	sg_free_table(buf->sgt);
	dmashim_free_pages(buf, buf->nr_pages);
	kvfree(buf->pages);
}

/* Ordinary pages, one by one: get_user_pages() accepts the mapping. */
static int dmashim_pages_mmap(struct dmashim_buf *buf,
			      struct vm_area_struct *vma)
{
	return vm_map_pages(vma, buf->pages, buf->nr_pages);
}

static void *dmashim_pages_vmap(struct dmashim_buf *buf)
{
	return vmap(buf->pages, buf->nr_pages, VM_MAP, PAGE_KERNEL);
}

static void dmashim_pages_vunmap(struct dmashim_buf *buf, void *vaddr)
{
	vunmap(vaddr);
}

static const struct dmashim_buf_ops dmashim_pages_ops = {
	.release = dmashim_pages_release,
	.mmap = dmashim_pages_mmap,
	.vmap = dmashim_pages_vmap,
	.vunmap = dmashim_pages_vunmap,
};

/* Coherent memory goes with its device, or with the buffer. */
static void dmashim_coherent_release(struct dmashim_buf *buf)
{
	if (!buf->dd)
		return;
	/* The revocation of its device may have freed it already. */
	down_read(&buf->dd->sem);
	if (!buf->dd->gone) {
		dmashim_dev_del_user(buf->dd, &buf->user);
		dmashim_free_coherent(buf);
	}
	up_read(&buf->dd->sem);
	dmashim_share_put(buf->share);
	dmashim_dev_put(buf->dd);
}

static int dmashim_coherent_mmap(struct dmashim_buf *buf,
				 struct vm_area_struct *vma)
{
	if (buf->dead)
		return -ENODEV;
	return dma_mmap_coherent(buf->dd->dev, vma, buf->cpu_addr,
				 buf->dma_addr, buf->size);
}

static void *dmashim_coherent_vmap(struct dmashim_buf *buf)
{
	return buf->cpu_addr;
}

static void dmashim_coherent_vunmap(struct dmashim_buf *buf, void *vaddr)
{
}

static const struct dmashim_buf_ops dmashim_coherent_ops = {
	.release = dmashim_coherent_release,
	.mmap = dmashim_coherent_mmap,
	.vmap = dmashim_coherent_vmap,
	.vunmap = dmashim_coherent_vunmap,
};

/**
 * dmashim_buf_destroy() - free a buffer and its memory
 * @buf: the buffer; its dma-buf, if it had one, is released
 */
void dmashim_buf_destroy(struct dmashim_buf *buf)
{
	buf->ops->release(buf);
	dmashim_uncharge_pages(&buf->charge);
	mutex_destroy(&buf->bounced_lock);
	mutex_destroy(&buf->lock);
	kfree(buf->sgt);
	kfree(buf);
}

/**
 * dmashim_buf_alloc() - DMASHIM_IOCTL_ALLOC
 * @ctx: the context; coherent memory is allocated for its device
 * @alloc: the request; @length and @fd are filled in on success
 * @nfd: receives the buffer's file, for the ioctl to install
 *
 * Return: 0 or a negative errno, as documented for &struct dmashim_alloc.
 */
int dmashim_buf_alloc(struct dmashim_ctx *ctx, struct dmashim_alloc *alloc,
		      struct dmashim_new_fd *nfd)
{
	static const struct {
		enum dmashim_buf_origin origin;
		const struct dmashim_buf_ops *ops;
	} kinds[] = {
		[DMASHIM_BUF_PAGES] = {
			DMASHIM_ORIGIN_PAGES, &dmashim_pages_ops },
		[DMASHIM_BUF_CONTIGUOUS] = {
			DMASHIM_ORIGIN_CONTIGUOUS, &dmashim_pages_ops },
		[DMASHIM_BUF_COHERENT] = {
			DMASHIM_ORIGIN_COHERENT, &dmashim_coherent_ops },
	};
	struct dmashim_buf *buf;
	struct dmashim_dev *dd;
	int ret, fd;

	if (alloc->flags || alloc->__reserved ||
	    alloc->kind >= ARRAY_SIZE(kinds) ||
	    !dmashim_fd_flags_valid(alloc->fd_flags))
		return -EINVAL;
	ret = dmashim_buf_check_length(alloc->length);
	if (ret)
		return ret;
	if (alloc->kind == DMASHIM_BUF_CONTIGUOUS &&
	    alloc->length > DMASHIM_CONTIG_MAX)
		return -EFBIG;

	buf = dmashim_buf_create(kinds[alloc->kind].origin,
				 kinds[alloc->kind].ops,
				 PAGE_ALIGN(alloc->length));
	if (!buf)
		return -ENOMEM;
	ret = dmashim_charge_pages(&buf->charge, ctx->file,
				   buf->size >> PAGE_SHIFT);
	if (ret) {
		dmashim_buf_destroy(buf);
		return ret;
	}

	mutex_lock(&ctx->lock);
	dd = ctx->dd;
	ret = dmashim_dev_read_lock(dd);
	if (!ret) {
		ret = dmashim_buf_fill(buf, ctx);
		dmashim_dev_read_unlock(dd);
	}
	mutex_unlock(&ctx->lock);
	if (ret) {
		dmashim_buf_destroy(buf);
		return ret;
	}

	fd = dmashim_dmabuf_export(buf, alloc->fd_flags, nfd);
	if (fd < 0)
		return fd;
	alloc->length = buf->size;
	alloc->fd = fd;
	return 0;
}

/**
 * dmashim_buf_coherent_for() - whether a buffer is coherent memory of a
 *	device
 * @buf: a dmashim buffer, or NULL
 * @dev: the device
 *
 * Return: true if @buf was allocated with dma_alloc_coherent() for @dev,
 * which therefore has it mapped already.
 */
bool dmashim_buf_coherent_for(struct dmashim_buf *buf, struct device *dev)
{
	return buf && buf->origin == DMASHIM_ORIGIN_COHERENT &&
	       buf->dd->dev == dev;
}

/**
 * dmashim_buf_copy() - copy between a buffer's bytes and kernel memory
 * @buf: the buffer, which a live mapping of it keeps: its memory is
 *	there (a coherent buffer's goes only after every mapping of its
 *	device was torn down, device.c)
 * @offset: first byte in the buffer
 * @to: where to copy the buffer's bytes to, or NULL
 * @from: where to copy the buffer's new bytes from, if @to is NULL
 * @len: bytes
 *
 * Takes no lock, never sleeps, never allocates: completions on the way
 * to signalling a fence copy with it.
 *
 * Return: 0, or -EIO if the range is not the buffer's (a bug).
 */
int dmashim_buf_copy(struct dmashim_buf *buf, u64 offset, void *to,
		     const void *from, size_t len)
{
	struct scatterlist *sgl = buf->sgt->sgl;
	unsigned int nents = buf->sgt->orig_nents;
	size_t done;

	if (WARN_ON_ONCE(READ_ONCE(buf->dead)))
		return -EIO;
	if (to)
		done = sg_pcopy_to_buffer(sgl, nents, to, len, offset);
	else
		done = sg_pcopy_from_buffer(sgl, nents, from, len, offset);
	return WARN_ON(done != len) ? -EIO : 0;
}
