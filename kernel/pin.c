// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - DMASHIM_IOCTL_PIN: the caller's own memory as a buffer
 *
 * The pages are pinned long-term, as RDMA and VFIO pin them: FOLL_LONGTERM
 * migrates them out of ZONE_MOVABLE and CMA first, and a fork() copies
 * them for the child instead of sharing them copy-on-write, so the device
 * keeps seeing the parent's memory.  They are charged to the opener's
 * user's RLIMIT_MEMLOCK (account.c) until the buffer's last reference
 * goes.  The buffer covers exactly the bytes asked for: its page table
 * starts at the first byte's offset in its page.
 */

#include <linux/fcntl.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>

#include <linux/dmashim.h>
#include "dmashim.h"

static int dmashim_pin_pages(struct dmashim_buf *buf, unsigned long start,
			     unsigned int gup_flags)
{
	unsigned long done = 0;
	int n;

	while (done < buf->nr_pages) {
		n = pin_user_pages_fast(start + (done << PAGE_SHIFT),
					min_t(unsigned long, buf->nr_pages - done,
					      INT_MAX >> PAGE_SHIFT),
					gup_flags, buf->pages + done);
		if (n <= 0) {
			unpin_user_pages(buf->pages, done);
			return n ? n : -EFAULT;
		}
		done += n;
	}
	return 0;
}

/*
 * Unpin a pinned buffer's pages, whatever of it was set up; its charge
 * goes with the buffer.  Works after the process that pinned the memory
 * has exited.
 */
static void dmashim_pinned_release(struct dmashim_buf *buf)
{
	if (!buf->sgt->sgl)
		return;
	sg_free_table(buf->sgt);
	/* A device may have written them: dirty, or the bytes may be lost. */
	unpin_user_pages_dirty_lock(buf->pages, buf->nr_pages, buf->writable);
	kvfree(buf->pages);
	kvfree(buf->spans);
}

/* The memory is its owner's, mapped already. */
static int dmashim_pinned_mmap(struct dmashim_buf *buf,
			       struct vm_area_struct *vma)
{
	return -ENODEV;
}

static void *dmashim_pinned_vmap(struct dmashim_buf *buf)
{
	return vmap(buf->pages, buf->nr_pages, VM_MAP, PAGE_KERNEL);
}

static void dmashim_pinned_vunmap(struct dmashim_buf *buf, void *vaddr)
{
	vunmap(vaddr);
}

static const struct dmashim_buf_ops dmashim_pinned_ops = {
	.release = dmashim_pinned_release,
	.mmap = dmashim_pinned_mmap,
	.vmap = dmashim_pinned_vmap,
	.vunmap = dmashim_pinned_vunmap,
};

static int dmashim_span_cmp(const void *a, const void *b)
{
	const struct dmashim_pinned_span *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

/* The bytes of each page the buffer holds, by frame, sorted. */
static int dmashim_pinned_spans(struct dmashim_buf *buf, unsigned long addr)
{
	unsigned long i, last = buf->nr_pages - 1;
	struct dmashim_pinned_span *sp;

	buf->spans = kvmalloc_array(buf->nr_pages, sizeof(*buf->spans),
				    GFP_KERNEL);
	if (!buf->spans)
		return -ENOMEM;
	for (i = 0; i < buf->nr_pages; i++) {
		sp = &buf->spans[i];
		sp->pfn = page_to_pfn(buf->pages[i]);
		sp->start = i ? 0 : offset_in_page(addr);
		sp->end = i < last ? PAGE_SIZE :
			  offset_in_page(addr + buf->size - 1) + 1;
	}
	sort(buf->spans, buf->nr_pages, sizeof(*buf->spans),
	     dmashim_span_cmp, NULL);
	return 0;
}

/**
 * dmashim_pinned_overlap() - whether two pinned buffers share memory
 * @a: a pinned buffer
 * @b: another
 *
 * The same memory may be pinned by two buffers (pinned again while a
 * channel still holds the first): a device without an IOMMU must not
 * have both mapped at once, for the DMA API's debugging, and the syncs,
 * could not tell which mapping an address is of.  Buffers that only
 * share a page, each its own bytes of it, do not overlap.
 *
 * Return: true if a byte of @a is a byte of @b.
 */
bool dmashim_pinned_overlap(const struct dmashim_buf *a,
			    const struct dmashim_buf *b)
{
	const struct dmashim_pinned_span *x, *y;
	unsigned long i = 0, j = 0;

	while (i < a->nr_pages && j < b->nr_pages) {
		x = &a->spans[i];
		y = &b->spans[j];
		if (x->pfn == y->pfn && x->start < y->end && y->start < x->end)
			return true;
		if (x->pfn <= y->pfn)
			i++;
		else
			j++;
	}
	return false;
}

/**
 * dmashim_pin() - DMASHIM_IOCTL_PIN
 * @ctx: the context
 * @pin: the request; @fd is filled in on success
 * @nfd: receives the buffer's file, for the ioctl to install
 *
 * Return: 0 or a negative errno, as documented for &struct dmashim_pin.
 */
int dmashim_pin(struct dmashim_ctx *ctx, struct dmashim_pin *pin,
		struct dmashim_new_fd *nfd)
{
	unsigned int gup_flags = FOLL_LONGTERM;
	struct dmashim_buf *buf;
	unsigned long first;
	int ret;

	if (pin->flags & ~DMASHIM_PIN_DEVICE_WRITES ||
	    !dmashim_fd_flags_valid(pin->fd_flags))
		return -EINVAL;
	if (!pin->length || pin->addr + pin->length < pin->addr)
		return -EINVAL;
	ret = dmashim_buf_check_length(pin->length);
	if (ret)
		return ret;

	buf = dmashim_buf_create(DMASHIM_ORIGIN_PINNED, &dmashim_pinned_ops,
				 pin->length);
	if (!buf)
		return -ENOMEM;
	first = pin->addr & PAGE_MASK;
	buf->nr_pages = (PAGE_ALIGN(pin->addr + pin->length) - first) >>
			PAGE_SHIFT;
	buf->writable = pin->flags & DMASHIM_PIN_DEVICE_WRITES;
	if (buf->writable)
		gup_flags |= FOLL_WRITE;

	buf->pages = kvmalloc_array(buf->nr_pages, sizeof(*buf->pages),
				    GFP_KERNEL);
	if (!buf->pages) {
		ret = -ENOMEM;
		goto err_buf;
	}
	ret = dmashim_charge_pages(&buf->charge, ctx->file, buf->nr_pages);
	if (ret)
		goto err_pages;
	ret = dmashim_pin_pages(buf, first, gup_flags);
	if (ret)
		goto err_account;
	ret = dmashim_pinned_spans(buf, pin->addr);
	if (ret)
		goto err_unpin;
	ret = sg_alloc_table_from_pages(buf->sgt, buf->pages, buf->nr_pages,
					offset_in_page(pin->addr), pin->length,
					GFP_KERNEL);
	if (ret)
		goto err_pfns;

	ret = dmashim_dmabuf_export(buf, pin->fd_flags, nfd);
	if (ret < 0)
		return ret;
	pin->fd = ret;
	return 0;

err_pfns:
	kvfree(buf->spans);
	buf->spans = NULL;
err_unpin:
	unpin_user_pages(buf->pages, buf->nr_pages);
err_account:
	dmashim_uncharge_pages(&buf->charge);
err_pages:
	kvfree(buf->pages);
	buf->pages = NULL;
err_buf:
	dmashim_buf_destroy(buf);
	return ret;
}
