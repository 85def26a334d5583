// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - DMASHIM_IOCTL_CHAN_SUBMIT: a batch of transfers onto a channel
 *
 * Following the dmaengine client guide: map, prepare, submit, issue.
 * Buffers are mapped for the channel's device once and kept in a small
 * cache.  A transfer becomes descriptors: one slave scatter-gather or
 * cyclic descriptor, or one memcpy descriptor per run that is contiguous
 * for the device on both sides.
 *
 * The batch goes whole or not at all: requests, descriptors (against the
 * channel's budget) and fences are reserved, every descriptor is
 * prepared, and only then is anything submitted.  A provider that can
 * reuse descriptors gets them with DMA_CTRL_REUSE until then, so that a
 * failed preparation frees the others; one that cannot keeps them until
 * the channel is terminated.
 */

#include <linux/dmaengine.h>
#include <linux/file.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>

#include "channel.h"
#include "ioctl.h"

static unsigned int chan_cache = 32;
module_param(chan_cache, uint, 0444);
MODULE_PARM_DESC(chan_cache,
		 "Buffers a channel keeps mapped, 1 and up (default 32)");

/**
 * struct dmashim_plan - the descriptors a submit prepares
 * @req: the request being prepared
 * @descs: the batch's descriptors, in order (the channel's @plan_descs)
 * @nr_descs: how many so far
 * @sgl: the scatterlist of a slave transfer (the channel's @plan_sgl)
 */
struct dmashim_plan {
	struct dmashim_req *req;
	struct dma_async_tx_descriptor **descs;
	unsigned int nr_descs;
	struct scatterlist *sgl;
};

/* ---- the mapping cache ------------------------------------------------ */

/*
 * Before @buf (NULL for a foreign buffer) is mapped: a pinned buffer's
 * memory may be another cached buffer's, pinned again.  A device that no
 * IOMMU translates would see the same bytes at the same address through
 * both (an IOMMU gives each mapping its own): it must not have them
 * mapped twice.  An idle mapping of them goes now (torn down here, freed
 * with @dropped); one with a transfer in flight makes the new one wait
 * its turn (-EBUSY).
 */
static int dmashim_cache_make_room(struct dmashim_chan *ch,
				   const struct dmashim_buf *buf,
				   struct list_head *dropped)
{
	struct dmashim_chan_map *cm, *next;
	const struct dmashim_buf *other;
	unsigned long flags;
	unsigned int busy;

	if (!buf || buf->origin != DMASHIM_ORIGIN_PINNED || ch->dd->translated)
		return 0;
	list_for_each_entry_safe(cm, next, &ch->cache, node) {
		other = cm->map->buf;
		if (!other || other->origin != DMASHIM_ORIGIN_PINNED ||
		    !dmashim_pinned_overlap(buf, other))
			continue;
		spin_lock_irqsave(&ch->lock, flags);
		busy = cm->busy;
		spin_unlock_irqrestore(&ch->lock, flags);
		if (busy)
			return -EBUSY;
		dmashim_mapping_revoke_now(cm->map);
		list_move(&cm->node, dropped);
		ch->cache_len--;
	}
	return 0;
}

/*
 * The cached mapping of the buffer behind @fd, made (and the cache
 * trimmed) if there is none.  The device is read-locked; @dropped
 * collects what was trimmed, to destroy once it is unlocked.
 */
static struct dmashim_chan_map *dmashim_cache_get(struct dmashim_chan *ch,
						  int fd,
						  struct list_head *dropped)
{
	struct dmashim_chan_map *cm, *victim = NULL;
	enum dma_data_direction dir;
	struct dma_buf *dmabuf;
	unsigned long flags;
	int ret;

	dmabuf = dma_buf_get(fd);
	if (IS_ERR(dmabuf))
		return ERR_PTR(-EBADF);
	list_for_each_entry(cm, &ch->cache, node) {
		if (cm->map->dmabuf == dmabuf) {
			list_move(&cm->node, &ch->cache);
			dma_buf_put(dmabuf);
			return cm;
		}
	}
	ret = dmashim_cache_make_room(ch, dmashim_dmabuf_to_buf(dmabuf),
				      dropped);
	if (ret) {
		dma_buf_put(dmabuf);
		return ERR_PTR(ret);
	}

	cm = kzalloc(sizeof(*cm), GFP_KERNEL);
	if (!cm) {
		dma_buf_put(dmabuf);
		return ERR_PTR(-ENOMEM);
	}
	/*
	 * Both ways if the buffer allows it; a read-only one (its file, or
	 * memory pinned for reading) only as a source, a write-only one
	 * only as a destination.
	 */
	if (dmashim_dmabuf_access(dmabuf, DMA_FROM_DEVICE))
		dir = DMA_TO_DEVICE;
	else if (dmashim_dmabuf_access(dmabuf, DMA_TO_DEVICE))
		dir = DMA_FROM_DEVICE;
	else
		dir = DMA_BIDIRECTIONAL;
	/*
	 * A foreign buffer the device needs the pool for is refused: its
	 * copies wait for its fences, and a transfer's copy out would do
	 * that on the way to signalling its own fence.
	 */
	cm->map = dmashim_mapping_create(ch->dd, ch->share, ch->limited,
					 dmabuf, dir,
					 DMASHIM_MAP_NO_FOREIGN_BOUNCE |
					 DMASHIM_MAP_OWNER_SYNCS, false);
	dma_buf_put(dmabuf);
	if (IS_ERR(cm->map)) {
		long err = PTR_ERR(cm->map);

		kfree(cm);
		return ERR_PTR(err);
	}
	list_add(&cm->node, &ch->cache);
	ch->cache_len++;

	/* Over the limit: drop the least recently used idle one. */
	if (ch->cache_len <= max(chan_cache, 1U))
		return cm;
	spin_lock_irqsave(&ch->lock, flags);
	list_for_each_entry_reverse(victim, &ch->cache, node)
		if (!victim->busy && victim != cm)
			break;
	spin_unlock_irqrestore(&ch->lock, flags);
	if (!list_entry_is_head(victim, &ch->cache, node)) {
		list_move(&victim->node, dropped);
		ch->cache_len--;
	}
	return cm;
}

static void dmashim_cache_destroy(struct list_head *list)
{
	struct dmashim_chan_map *cm, *next;

	list_for_each_entry_safe(cm, next, list, node) {
		list_del(&cm->node);
		dmashim_mapping_destroy(cm->map);
		kfree(cm);
	}
}

/**
 * dmashim_chan_cache_drop_all() - destroy every cached mapping
 * @ch: a channel given back, nothing in flight; its device not locked
 */
void dmashim_chan_cache_drop_all(struct dmashim_chan *ch)
{
	dmashim_cache_destroy(&ch->cache);
	ch->cache_len = 0;
}

/* ---- building transfers ---------------------------------------------- */

/* The device address of byte @off of @map, and how many follow it there. */
static dma_addr_t dmashim_dma_at(struct dmashim_mapping *map, u64 off,
				 u64 *run)
{
	struct dmashim_piece *p = dmashim_piece_at(map, off);

	*run = p->offset + p->length - off;
	return p->dma + (off - p->offset);
}

/*
 * As dmashim_dma_at(), but the run goes on through the following pieces
 * as long as they are contiguous for the device (an exporter cuts its
 * tables at the device's segment size; the addresses go on).
 */
static dma_addr_t dmashim_dma_run(struct dmashim_mapping *map, u64 off,
				  u64 *run)
{
	dma_addr_t start = dmashim_dma_at(map, off, run), next;
	u64 more;

	while (off + *run < map->length) {
		next = dmashim_dma_at(map, off + *run, &more);
		if (next != start + *run)
			break;
		*run += more;
	}
	return start;
}

/* Prepare one memcpy descriptor, or (@plan NULL) only count it. */
static int dmashim_emit_memcpy(struct dmashim_chan *ch,
			       struct dmashim_plan *plan, unsigned long flags,
			       dma_addr_t dst, dma_addr_t src, u64 len)
{
	struct dma_async_tx_descriptor *tx;

	if (plan) {
		tx = dmaengine_prep_dma_memcpy(ch->chan, dst, src, len, flags);
		if (!tx)
			return -EINVAL;
		plan->descs[plan->nr_descs] = tx;
		plan->nr_descs++;
	}
	return 0;
}

/*
 * @len bytes from @soff of @src to @doff of @dst, one memcpy descriptor
 * per run that is contiguous for the device on both sides.  With @plan,
 * prepare them; without, count them.  Returns the count, or a negative
 * errno if the provider refused one.
 */
static int dmashim_memcpy_runs(struct dmashim_chan *ch,
			       struct dmashim_mapping *src, u64 soff,
			       struct dmashim_mapping *dst, u64 doff,
			       u64 len, struct dmashim_plan *plan,
			       unsigned long flags)
{
	dma_addr_t s, d, run_s = 0, run_d = 0;
	u64 left_s, left_d, chunk, run = 0;
	int n = 0, ret;

	while (len) {
		s = dmashim_dma_at(src, soff, &left_s);
		d = dmashim_dma_at(dst, doff, &left_d);
		chunk = min3(len, left_s, left_d);
		chunk = min_t(u64, chunk, U32_MAX);
		if (run && (s != run_s + run || d != run_d + run ||
			    run + chunk > U32_MAX)) {
			ret = dmashim_emit_memcpy(ch, plan, flags, run_d,
						  run_s, run);
			if (ret)
				return ret;
			n++;
			run = 0;
		}
		if (!run) {
			run_s = s;
			run_d = d;
		}
		run += chunk;
		soff += chunk;
		doff += chunk;
		len -= chunk;
	}
	ret = dmashim_emit_memcpy(ch, plan, flags, run_d, run_s, run);
	return ret ? ret : n + 1;
}

/*
 * The device's segments of @ranges of @map, merged where contiguous,
 * into @sgl.  Returns how many, or -EINVAL for more than the provider
 * takes (or than @sgl holds).
 */
static int dmashim_slave_sg(struct dmashim_chan *ch,
			    struct dmashim_mapping *map,
			    const struct dmashim_range *ranges,
			    unsigned int nr, struct scatterlist *sgl)
{
	unsigned int max = ch->slave_caps.max_sg_burst ?: DMASHIM_SLAVE_SEGS;
	struct scatterlist *sg = NULL;
	u64 off, left, run;
	unsigned int i, n = 0;
	dma_addr_t d;

	sg_init_table(sgl, DMASHIM_SLAVE_SEGS);
	for (i = 0; i < nr; i++) {
		off = ranges[i].offset;
		for (left = ranges[i].length; left; left -= run, off += run) {
			d = dmashim_dma_at(map, off, &run);
			run = min3(run, left, (u64)U32_MAX);
			if (sg && sg_dma_address(sg) + sg_dma_len(sg) == d &&
			    sg_dma_len(sg) + run <= U32_MAX) {
				sg_dma_len(sg) += run;
				continue;
			}
			if (n == min(max, DMASHIM_SLAVE_SEGS))
				return -EINVAL;
			sg = &sgl[n++];
			sg_dma_address(sg) = d;
			sg_dma_len(sg) = run;
		}
	}
	sg_mark_end(sg);
	return n;
}

/* Whether every range lies within a buffer of @size, none empty. */
static bool dmashim_ranges_ok(const struct dmashim_range *r, unsigned int nr,
			      u64 size)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (!r[i].length || r[i].offset > size ||
		    r[i].length > size - r[i].offset)
			return false;
	return true;
}

/* ---- a submit --------------------------------------------------------- */

/* The cached mapping of @fd, held in @slot until the request is released. */
static int dmashim_req_use(struct dmashim_chan *ch, int fd,
			   struct dmashim_chan_map **slot,
			   struct list_head *dropped)
{
	struct dmashim_chan_map *cm = dmashim_cache_get(ch, fd, dropped);
	unsigned long flags;

	if (IS_ERR(cm))
		return PTR_ERR(cm);
	spin_lock_irqsave(&ch->lock, flags);
	cm->busy++;
	spin_unlock_irqrestore(&ch->lock, flags);
	*slot = cm;
	return 0;
}

/*
 * Whether every field of @x that its kind and direction do not use is
 * zero (an fd -1), so that a later ABI can give it a meaning.
 */
static bool dmashim_xfer_fields_ok(const struct dmashim_xfer *x)
{
	bool to_dev = x->dir == DMASHIM_XFER_TO_DEVICE;

	if (x->kind == DMASHIM_XFER_MEMCPY)
		return !x->dir && !x->period && !x->ranges && !x->nr_ranges &&
		       !x->range_size;
	if (!to_dev && x->dir != DMASHIM_XFER_FROM_DEVICE)
		return false;
	/* The device's side has no buffer. */
	if (to_dev ? x->dst_fd != -1 || x->dst_offset :
		     x->src_fd != -1 || x->src_offset)
		return false;
	if (x->kind == DMASHIM_XFER_CYCLIC)
		return !x->ranges && !x->nr_ranges && !x->range_size;
	if (x->period || x->nr_ranges > DMASHIM_MAX_RANGES)
		return false;
	if (!x->nr_ranges)
		return !x->ranges && !x->range_size;
	/* The ranges say where and how much. */
	return x->ranges && !x->length && !(to_dev ? x->src_offset :
						     x->dst_offset);
}

/*
 * Check transfer @x, map its buffers and fill its request; nothing is
 * prepared yet.  Returns the descriptors it needs, or a negative errno.
 */
static int dmashim_xfer_setup(struct dmashim_chan *ch,
			      const struct dmashim_xfer *x,
			      const struct dmashim_range *ranges,
			      struct dmashim_req *req, struct list_head *dropped)
{
	struct dmashim_range *src_ranges = req->src_ranges;
	unsigned int *nr_src = &req->nr_src_ranges;
	bool slave = x->kind != DMASHIM_XFER_MEMCPY;
	bool to_dev = x->dir == DMASHIM_XFER_TO_DEVICE;
	struct dmashim_range *mem_ranges;
	struct dmashim_chan_map *mem;
	unsigned int i;
	int ret;

	if (x->kind > DMASHIM_XFER_CYCLIC || x->flags ||
	    !dmashim_xfer_fields_ok(x))
		return -EINVAL;
	if (slave && !ch->configured)
		return -EDESTADDRREQ;
	req->kind = x->kind;
	req->user_data = x->user_data;
	req->period = x->period;

	if (!slave) {
		if (!x->length)
			return -EINVAL;
		ret = dmashim_req_use(ch, x->src_fd, &req->src, dropped);
		if (!ret)
			ret = dmashim_req_use(ch, x->dst_fd, &req->dst, dropped);
		if (ret)
			return ret;
		src_ranges[0] = (struct dmashim_range){ x->src_offset,
							x->length };
		*nr_src = 1;
		req->dst_ranges[0] = (struct dmashim_range){ x->dst_offset,
							     x->length };
		req->nr_dst_ranges = 1;
		req->length = x->length;
		if (!dmashim_ranges_ok(src_ranges, 1, req->src->map->length) ||
		    !dmashim_ranges_ok(req->dst_ranges, 1,
				       req->dst->map->length))
			return -EINVAL;
		/* Within one buffer: neither memmove nor defined, refused. */
		if (req->src == req->dst &&
		    x->src_offset < x->dst_offset + x->length &&
		    x->dst_offset < x->src_offset + x->length)
			return -EINVAL;
		if (req->dst->map->dir == DMA_TO_DEVICE ||
		    req->src->map->dir == DMA_FROM_DEVICE)
			return -EACCES;
		return dmashim_memcpy_runs(ch, req->src->map, x->src_offset,
					   req->dst->map, x->dst_offset,
					   x->length, NULL, 0);
	}

	/* Slave and cyclic: one buffer, on the memory side. */
	ret = dmashim_req_use(ch, to_dev ? x->src_fd : x->dst_fd,
			      to_dev ? &req->src : &req->dst, dropped);
	if (ret)
		return ret;
	mem = to_dev ? req->src : req->dst;
	mem_ranges = to_dev ? src_ranges : req->dst_ranges;
	if (mem->map->dir == (to_dev ? DMA_FROM_DEVICE : DMA_TO_DEVICE))
		return -EACCES;
	if (x->nr_ranges) {
		memcpy(mem_ranges, ranges, x->nr_ranges * sizeof(*mem_ranges));
		*(to_dev ? nr_src : &req->nr_dst_ranges) = x->nr_ranges;
	} else {
		mem_ranges[0] = (struct dmashim_range){
			to_dev ? x->src_offset : x->dst_offset, x->length };
		*(to_dev ? nr_src : &req->nr_dst_ranges) = 1;
	}
	if (!dmashim_ranges_ok(mem_ranges, x->nr_ranges ?: 1, mem->map->length))
		return -EINVAL;
	if (x->kind == DMASHIM_XFER_CYCLIC &&
	    (!x->period || x->length % x->period))
		return -EINVAL;
	req->length = 0;
	for (i = 0; i < (x->nr_ranges ?: 1); i++)
		req->length += mem_ranges[i].length;
	return 1;
}

/* Prepare the descriptors of a request set up by dmashim_xfer_setup(). */
static int dmashim_xfer_prep(struct dmashim_chan *ch,
			     const struct dmashim_xfer *x,
			     struct dmashim_plan *plan, unsigned long flags)
{
	struct dmashim_req *req = plan->req;
	bool to_dev = x->dir == DMASHIM_XFER_TO_DEVICE;
	enum dma_transfer_direction dir = to_dev ? DMA_MEM_TO_DEV :
						   DMA_DEV_TO_MEM;
	struct dmashim_mapping *mem = to_dev ? req->src->map : req->dst->map;
	struct dma_async_tx_descriptor *tx;
	dma_addr_t addr;
	u64 run;
	int n;

	switch (x->kind) {
	case DMASHIM_XFER_MEMCPY:
		n = dmashim_memcpy_runs(ch, req->src->map, x->src_offset,
					req->dst->map, x->dst_offset,
					x->length, plan, flags);
		return n < 0 ? n : 0;
	case DMASHIM_XFER_SLAVE:
		n = dmashim_slave_sg(ch, mem, to_dev ? req->src_ranges :
						   req->dst_ranges,
				     to_dev ? req->nr_src_ranges :
					      req->nr_dst_ranges,
				     plan->sgl);
		if (n < 0)
			return n;
		tx = dmaengine_prep_slave_sg(ch->chan, plan->sgl, n, dir,
					     flags);
		break;
	default:
		addr = dmashim_dma_run(mem, to_dev ? x->src_offset :
						      x->dst_offset, &run);
		/* One run: cyclic descriptors take one address. */
		if (run < x->length)
			return -EINVAL;
		tx = dmaengine_prep_dma_cyclic(ch->chan, addr, x->length,
					       x->period, dir, flags);
		break;
	}
	if (!tx)
		return -EINVAL;
	plan->descs[plan->nr_descs++] = tx;
	return 0;
}

/* Give the requests of a failed submit back, and what they hold. */
static void dmashim_batch_unwind(struct dmashim_chan *ch, unsigned int count,
				 unsigned int descs)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&ch->lock, flags);
	ch->descs_used -= descs;
	spin_unlock_irqrestore(&ch->lock, flags);
	for (i = 0; i < count; i++)
		dmashim_req_release(ch->batch[i]);
}

/*
 * Sync what the device will read for it, and what it will write.  A
 * bounce copy that fails (a foreign exporter's CPU access, interrupted)
 * leaves the device reading stale bytes: the request and its batch are
 * marked failed, and their fence and record say so.
 */
static void dmashim_req_sync_for_device(struct dmashim_req *req)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; req->src && i < req->nr_src_ranges; i++)
		ret = dmashim_mapping_sync(req->src->map,
					   req->src_ranges[i].offset,
					   req->src_ranges[i].length,
					   DMA_TO_DEVICE, false) ?: ret;
	for (i = 0; req->dst && i < req->nr_dst_ranges; i++)
		ret = dmashim_mapping_sync(req->dst->map,
					   req->dst_ranges[i].offset,
					   req->dst_ranges[i].length,
					   DMA_FROM_DEVICE, false) ?: ret;
	if (ret) {
		req->status = DMASHIM_XFER_ERROR;
		req->batch_last->batch_failed = true;
	}
}

/* Submit the prepared descriptors of request @req, which start at @tx. */
static void dmashim_req_submit(struct dmashim_chan *ch, struct dmashim_req *req,
			       struct dma_async_tx_descriptor **tx)
{
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < req->nr_descs; i++) {
		if (ch->reuse)
			dmaengine_desc_clear_reuse(tx[i]);
		tx[i]->callback_result = dmashim_req_callback;
		tx[i]->callback_param = req;
		req->cookies[i] = dmaengine_submit(tx[i]);
	}
	spin_lock_irqsave(&ch->lock, flags);
	dmashim_req_submitted_locked(req);
	spin_unlock_irqrestore(&ch->lock, flags);
}

/*
 * Reserve requests, descriptors and fences for @count transfers of the
 * staging area, map their buffers, lock their reservation objects
 * (@implicit; -EAGAIN and @wait if one must be waited for first), and
 * prepare every descriptor.  Returns the descriptors reserved, or a
 * negative errno with everything given back.
 */
static int dmashim_batch_prepare(struct dmashim_chan *ch, unsigned int count,
				 bool implicit, struct dmashim_plan *plan,
				 struct list_head *dropped,
				 struct dma_fence **wait)
{
	unsigned long flags, prep = DMA_PREP_INTERRUPT | DMA_CTRL_ACK;
	unsigned int i, got = 0, descs = 0;
	struct dmashim_req *req;
	int ret;

	spin_lock_irqsave(&ch->lock, flags);
	list_for_each_entry(req, &ch->free_reqs, node)
		if (++got == count)
			break;
	if (got < count) {
		spin_unlock_irqrestore(&ch->lock, flags);
		return -EBUSY;
	}
	for (i = 0; i < count; i++)
		ch->batch[i] = dmashim_req_reserve_locked(ch);
	spin_unlock_irqrestore(&ch->lock, flags);

	for (i = 0; i < count; i++) {
		ret = dmashim_xfer_setup(ch, &ch->staging[i],
					 ch->staging_ranges +
					 i * DMASHIM_MAX_RANGES,
					 ch->batch[i], dropped);
		if (ret < 0)
			goto err;
		ch->batch[i]->nr_descs = ret;
		descs += ret;
	}
	if (descs > ch->descs_total) {
		ret = -EINVAL;
		goto err;
	}
	ret = dmashim_batch_hazard(ch, count, wait);
	if (ret)
		goto err;
	if (implicit) {
		ret = dmashim_batch_lock(ch, count, wait);
		if (ret)
			goto err;
	}
	spin_lock_irqsave(&ch->lock, flags);
	ret = ch->descs_used + descs > ch->descs_total ? -EBUSY : 0;
	if (!ret)
		ch->descs_used += descs;
	spin_unlock_irqrestore(&ch->lock, flags);
	if (ret)
		goto err_unlock;

	for (i = 0; i < count; i++) {
		ch->batch[i]->fence = dmashim_fence_get(ch);
		if (!ch->batch[i]->fence) {
			ret = -ENOMEM;
			goto err_descs;
		}
	}

	if (ch->reuse)
		prep |= DMA_CTRL_REUSE;
	for (i = 0; i < count; i++) {
		plan->req = ch->batch[i];
		ret = dmashim_xfer_prep(ch, &ch->staging[i], plan, prep);
		if (ret)
			goto err_prep;
	}
	return descs;

err_prep:
	/* Without reuse the provider keeps them until a terminate. */
	for (i = 0; ch->reuse && i < plan->nr_descs; i++)
		dmaengine_desc_free(plan->descs[i]);
err_descs:
	if (implicit)
		dmashim_batch_unlock(ch);
	dmashim_batch_unwind(ch, count, descs);
	return ret;
err_unlock:
	if (implicit)
		dmashim_batch_unlock(ch);
err:
	dmashim_batch_unwind(ch, count, 0);
	return ret;
}

/*
 * One attempt at a submit, with the channel's ioctl lock and its device's
 * read lock held: -EAGAIN, and @wait, if a dependency must be waited for.
 */
static int dmashim_submit_locked(struct dmashim_chan *ch,
				 struct dmashim_chan_submit *sub,
				 struct dmashim_new_fd *nfd,
				 struct list_head *dropped,
				 struct dma_fence **wait)
{
	bool implicit = !(sub->flags & DMASHIM_SUBMIT_NO_IMPLICIT);
	struct dmashim_plan plan = {
		.descs = ch->plan_descs,
		.sgl = ch->plan_sgl,
	};
	unsigned int i, count = sub->count, first = 0;
	struct sync_file *sf = NULL;
	struct dmashim_req *last;
	int fd = -1, descs;
	bool cookie;

	descs = dmashim_batch_prepare(ch, count, implicit, &plan, dropped,
				      wait);
	if (descs < 0)
		return descs;
	last = ch->batch[count - 1];
	if (sub->flags & DMASHIM_SUBMIT_FENCE_OUT) {
		sf = sync_file_create(&last->fence->base);
		fd = sf ? dmashim_new_fd_reserve(nfd, sf->file, O_CLOEXEC) :
			  -ENOMEM;
		if (fd < 0) {
			if (sf)
				fput(sf->file);
			for (i = 0; ch->reuse && i < plan.nr_descs; i++)
				dmaengine_desc_free(plan.descs[i]);
			if (implicit)
				dmashim_batch_unlock(ch);
			dmashim_batch_unwind(ch, count, descs);
			return fd;
		}
	}

	/*
	 * Nothing can fail from here on.  What the devices read is synced
	 * (copied into the pool, where it bounces) before the fences are
	 * published: from then on, until they can signal, nothing may wait
	 * or allocate (dma_fence_begin_signalling() lets lockdep check).
	 */
	for (i = 0; i < count; i++)
		ch->batch[i]->batch_last = last;
	for (i = 0; i < count; i++)
		dmashim_req_sync_for_device(ch->batch[i]);
	cookie = dma_fence_begin_signalling();
	if (implicit)
		dmashim_batch_fence(ch, count);
	for (i = 0; i < count; i++) {
		dmashim_req_submit(ch, ch->batch[i], plan.descs + first);
		first += ch->batch[i]->nr_descs;
		ch->staging[i].cookie =
			ch->batch[i]->cookies[ch->batch[i]->nr_descs - 1];
	}
	dma_async_issue_pending(ch->chan);
	dma_fence_end_signalling(cookie);
	sub->fence_fd = fd;
	return 0;
}

/* Where transfer @i of a submit wants its cookie. */
static s32 __user *dmashim_cookie_ptr(const struct dmashim_chan_submit *sub,
				      unsigned int i)
{
	return u64_to_user_ptr(sub->xfers + (u64)i * sub->xfer_size +
			       offsetof(struct dmashim_xfer, cookie));
}

/*
 * Copy a submit's transfers, and the ranges of its slave transfers, from
 * userspace into the channel's staging area (its ioctl lock held, the
 * device's not: a user copy can stall for as long as its user likes),
 * element by element at the caller's sizes.  The cookies go back into
 * the array: they must be writable too.
 */
static int dmashim_submit_copy_in(struct dmashim_chan *ch,
				  const struct dmashim_chan_submit *sub)
{
	struct dmashim_range *ranges;
	const struct dmashim_xfer *x;
	unsigned int i, r;
	int ret;

	for (i = 0; i < sub->count; i++) {
		x = &ch->staging[i];
		ret = dmashim_elem_from_user(&ch->staging[i], sizeof(*x),
					     u64_to_user_ptr(sub->xfers),
					     sub->xfer_size, i);
		if (ret)
			return ret;
		if (put_user(x->cookie, dmashim_cookie_ptr(sub, i)))
			return -EFAULT;
		/* Anything else is refused when the transfer is set up. */
		if (x->kind != DMASHIM_XFER_SLAVE || !x->nr_ranges ||
		    x->nr_ranges > DMASHIM_MAX_RANGES || !x->ranges)
			continue;
		if (!dmashim_elem_size_ok(x->range_size, sizeof(*ranges)))
			return -EINVAL;
		ranges = ch->staging_ranges + i * DMASHIM_MAX_RANGES;
		for (r = 0; r < x->nr_ranges; r++) {
			ret = dmashim_elem_from_user(&ranges[r],
						     sizeof(*ranges),
						     u64_to_user_ptr(x->ranges),
						     x->range_size, r);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* The cookies back into the caller's array, probed writable already. */
static void dmashim_submit_copy_out(struct dmashim_chan *ch,
				    const struct dmashim_chan_submit *sub)
{
	unsigned int i;

	for (i = 0; i < sub->count; i++)
		if (put_user(ch->staging[i].cookie, dmashim_cookie_ptr(sub, i)))
			pr_debug("dmashim: cookies lost to a racing munmap\n");
}

#define DMASHIM_SUBMIT_FLAGS (DMASHIM_SUBMIT_FENCE_OUT | \
			      DMASHIM_SUBMIT_FENCE_IN | \
			      DMASHIM_SUBMIT_NO_IMPLICIT)

/**
 * dmashim_chan_submit() - DMASHIM_IOCTL_CHAN_SUBMIT
 * @ch: the channel, nothing locked
 * @sub: the request; @fence_fd is filled in
 * @nfd: receives the out-fence's file, for the ioctl to install
 *
 * Waits for the in-fence, then tries the submit under the channel's and
 * the device's locks; a dependency found in a reservation object is
 * waited for with everything unlocked, and the submit tried again.
 * Mappings the submit pushed out of the cache are destroyed once the
 * device is unlocked.
 *
 * Return: 0 or a negative errno, as documented for
 * &struct dmashim_chan_submit.
 */
int dmashim_chan_submit(struct dmashim_chan *ch,
			struct dmashim_chan_submit *sub,
			struct dmashim_new_fd *nfd)
{
	struct dma_fence *wait = NULL;
	LIST_HEAD(dropped);
	int ret;

	if (sub->flags & ~DMASHIM_SUBMIT_FLAGS ||
	    !dmashim_elem_size_ok(sub->xfer_size, sizeof(struct dmashim_xfer)) ||
	    (!(sub->flags & DMASHIM_SUBMIT_FENCE_IN) && sub->in_fence_fd) ||
	    !sub->count || sub->count > ch->nr_reqs)
		return -EINVAL;
	if (sub->flags & DMASHIM_SUBMIT_FENCE_IN) {
		ret = dmashim_batch_wait_in(ch, sub->in_fence_fd);
		if (ret)
			return ret;
	}
	/* An asynchronous terminate's synchronisation comes first. */
	flush_work(&ch->sync_work);
	for (;;) {
		mutex_lock(&ch->op_lock);
		ret = dmashim_submit_copy_in(ch, sub);
		if (!ret)
			ret = dmashim_dev_read_lock(ch->dd);
		if (!ret) {
			ret = ch->dead ? -ENODEV :
			      dmashim_submit_locked(ch, sub, nfd, &dropped,
						    &wait);
			dmashim_dev_read_unlock(ch->dd);
			if (!ret)
				dmashim_submit_copy_out(ch, sub);
		}
		mutex_unlock(&ch->op_lock);
		dmashim_cache_destroy(&dropped);
		if (ret != -EAGAIN || !wait)
			return ret;
		ret = dmashim_batch_wait(wait);
		dma_fence_put(wait);
		wait = NULL;
		if (ret)
			return ret;
	}
}
