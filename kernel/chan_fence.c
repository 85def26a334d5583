// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - how a batch of channel transfers synchronises with everyone
 * else: explicit in-fences and the buffers' reservation objects
 *
 * A batch follows its in-fence (a sync_file) and the implicit fences of
 * its buffers: all of a destination's (nobody may still read or write
 * it), the writers of a source.  Nothing is waited for with a lock held:
 * the submit locks the batch's reservation objects together (ww_mutex,
 * backing off on -EDEADLK) and, if one still holds a fence to follow,
 * unlocks everything, waits for that fence and starts over.  Once nothing
 * is left to follow, the objects stay locked, with room for the batch's
 * fences, until the batch is submitted; then its fences go in, write
 * usage on destinations, read on sources, and the objects are unlocked.
 *
 * The channel's own fences are not followed: the channel runs its
 * requests in order.  Only the bounce slots need more: a request syncs
 * what it reads for the device when it is submitted, and if an earlier
 * request of the channel still writes those bytes into the same bounced
 * mapping, the copy would overwrite what the device wrote.  Such a read
 * waits for that writer's fence, which signals once its data was synced
 * for the CPU; on a paused channel, or one running a cyclic transfer, it
 * is refused instead (-EBUSY): the wait could last until its owner acts.
 *
 * A cyclic transfer follows like any other but puts no fence in: its
 * fence signals only when it is terminated, and readers of the ring go
 * by its period records.  (A channel takes no foreign buffer that
 * dmashim would have to bounce: its copies wait for fences.)
 *
 * A batch only follows fences that existed before its own were made, so
 * fences cannot come to wait for each other.
 */
#include <linux/dma-buf.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/sync_file.h>

#include "channel.h"

/* Whether syncing the mapping copies data: dmashim's pool or swiotlb. */
static bool dmashim_chan_map_copies(const struct dmashim_chan_map *cm)
{
	return cm->map->mapped_flags &
	       (DMASHIM_MAPPED_BOUNCED | DMASHIM_MAPPED_SWIOTLB);
}

/* Add @resv to the batch's set, once, with room for @fences more. */
static void dmashim_resv_add(struct dmashim_resv_set *set,
			     struct dma_resv *resv, bool write,
			     unsigned int fences)
{
	unsigned int i;

	for (i = 0; i < set->n; i++) {
		if (set->objs[i].resv == resv) {
			set->objs[i].write |= write;
			set->objs[i].fences += fences;
			return;
		}
	}
	set->objs[set->n].resv = resv;
	set->objs[set->n].write = write;
	set->objs[set->n].fences = fences;
	set->n++;
}

/* The reservation objects of the first @count requests of the batch. */
static void dmashim_resv_collect(struct dmashim_chan *ch, unsigned int count)
{
	struct dmashim_resv_set *set = &ch->resv;
	struct dmashim_req *req;
	unsigned int i, fences;

	set->n = 0;
	for (i = 0; i < count; i++) {
		req = ch->batch[i];
		fences = req->kind != DMASHIM_XFER_CYCLIC;
		if (req->src)
			dmashim_resv_add(set, req->src->map->dmabuf->resv,
					 false, fences);
		if (req->dst)
			dmashim_resv_add(set, req->dst->map->dmabuf->resv,
					 true, fences);
	}
}

/*
 * A reference to a fence of locked @obj the batch must follow, or NULL;
 * the fences of @context, the channel's own, are in line already.
 */
static struct dma_fence *dmashim_resv_busy(struct dmashim_resv_obj *obj,
					   u64 context)
{
	struct dma_resv_iter cursor;
	struct dma_fence *fence;

	dma_resv_for_each_fence(&cursor, obj->resv,
				dma_resv_usage_rw(obj->write), fence)
		if (fence->context != context && !dma_fence_is_signaled(fence))
			return dma_fence_get(fence);
	return NULL;
}

/* Bytes [@span->offset, + @span->length) that @n ranges cover at most. */
static void dmashim_ranges_span(const struct dmashim_range *r, unsigned int n,
				struct dmashim_range *span)
{
	u64 start = U64_MAX, end = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		start = min(start, r[i].offset);
		end = max(end, r[i].offset + r[i].length);
	}
	span->offset = n ? start : 0;
	span->length = n ? end - start : 0;
}

static bool dmashim_spans_overlap(const struct dmashim_range *a,
				  const struct dmashim_range *b)
{
	return a->length && b->length &&
	       a->offset < b->offset + b->length &&
	       b->offset < a->offset + a->length;
}

/**
 * dmashim_batch_hazard() - find a request a batch's bounce copies must
 *	wait for
 * @ch: the channel, its ioctl lock held
 * @count: requests in the batch (@ch->batch), set up
 * @wait: set to a reference to the fence to wait for, on -EAGAIN
 *
 * See the top of this file.  A request reads a bounced mapping "where an
 * earlier one writes" if the spans of their ranges overlap.  Also sets
 * the batch's spans, which later batches compare with.
 *
 * Return: 0; -EAGAIN if the caller must wait for @wait (with nothing
 * locked) and try again; -EBUSY if the channel is paused, or runs a
 * cyclic transfer, which ends only when terminated.
 */
int dmashim_batch_hazard(struct dmashim_chan *ch, unsigned int count,
			 struct dma_fence **wait)
{
	struct dmashim_req *old, *new;
	bool copies = false, cyclic = false;
	struct dma_fence *found = NULL;
	unsigned int i, j;

	for (i = 0; i < count; i++) {
		new = ch->batch[i];
		dmashim_ranges_span(new->src_ranges, new->nr_src_ranges,
				    &new->src_span);
		dmashim_ranges_span(new->dst_ranges, new->nr_dst_ranges,
				    &new->dst_span);
		if (new->src && dmashim_chan_map_copies(new->src))
			copies = true;
	}
	if (!copies)
		return 0;

	spin_lock_irq(&ch->lock);
	for (j = 0; j < ch->nr_reqs; j++) {
		old = &ch->reqs[j];
		if (old->state == DMASHIM_REQ_FREE ||
		    old->state == DMASHIM_REQ_RESERVED ||
		    test_bit(DMA_FENCE_FLAG_SIGNALED_BIT,
			     &old->fence->base.flags))
			continue;
		if (old->kind == DMASHIM_XFER_CYCLIC)
			cyclic = true;
		for (i = 0; i < count && !found; i++) {
			new = ch->batch[i];
			if (new->src && new->src == old->dst &&
			    dmashim_chan_map_copies(new->src) &&
			    dmashim_spans_overlap(&new->src_span,
						  &old->dst_span))
				found = dma_fence_get(&old->fence->base);
		}
	}
	if (found && (ch->paused || cyclic)) {
		dma_fence_put(found);
		found = NULL;
		spin_unlock_irq(&ch->lock);
		return -EBUSY;
	}
	spin_unlock_irq(&ch->lock);
	*wait = found;
	return found ? -EAGAIN : 0;
}

static void dmashim_resv_unlock(struct dmashim_resv_set *set,
				unsigned int n)
{
	while (n--)
		dma_resv_unlock(set->objs[n].resv);
}

/* Lock every object of the set, backing off and retrying on -EDEADLK. */
static int dmashim_resv_lock_all(struct dmashim_resv_set *set)
{
	struct dma_resv *contended = NULL;
	unsigned int i;
	int ret;

retry:
	for (i = 0; i < set->n; i++) {
		if (set->objs[i].resv == contended) {
			contended = NULL;
			continue;
		}
		ret = dma_resv_lock_interruptible(set->objs[i].resv, &set->ctx);
		if (!ret)
			continue;
		dmashim_resv_unlock(set, i);
		if (contended)
			dma_resv_unlock(contended);
		if (ret != -EDEADLK)
			return ret;
		contended = set->objs[i].resv;
		ret = dma_resv_lock_slow_interruptible(contended, &set->ctx);
		if (ret)
			return ret;
		goto retry;
	}
	return 0;
}

/**
 * dmashim_batch_wait_in() - wait for a batch's explicit in-fence
 * @ch: the channel
 * @fd: a sync_file
 *
 * Called with nothing locked.  A fence of the channel's own that has not
 * signalled is not waited for: the channel runs its requests in order
 * (and, paused, would never end it).
 *
 * Return: 0 once it signalled; -EINVAL if @fd is not a sync_file;
 * -ERESTARTSYS on a signal; the fence's error if it failed.
 */
int dmashim_batch_wait_in(struct dmashim_chan *ch, int fd)
{
	struct dma_fence *fence = sync_file_get_fence(fd);
	int ret = 0;

	if (!fence)
		return -EINVAL;
	if (fence->context != ch->fence_context ||
	    dma_fence_is_signaled(fence)) {
		ret = dmashim_batch_wait(fence);
		if (!ret)
			ret = fence->error;
	}
	dma_fence_put(fence);
	return ret;
}

/**
 * dmashim_batch_wait() - wait for a fence a batch must follow
 * @fence: the fence
 *
 * Called with nothing locked.  An implicit dependency orders the batch
 * only: how it ended is its owner's to report.
 *
 * Return: 0 once it signalled; -ERESTARTSYS on a signal.
 */
int dmashim_batch_wait(struct dma_fence *fence)
{
	return dma_fence_wait(fence, true);
}

/**
 * dmashim_batch_lock() - lock a batch's buffers' reservation objects,
 *	unless they hold a fence the batch must follow
 * @ch: the channel
 * @count: requests in the batch (@ch->batch), their buffers mapped
 * @wait: set to a reference to the fence to follow, on -EAGAIN
 *
 * On success the objects are locked, with room for the batch's fences,
 * until dmashim_batch_fence() or dmashim_batch_unlock().
 *
 * Return: 0; -EAGAIN, nothing locked, if the caller must wait for @wait
 * (dmashim_batch_wait(), with nothing locked) and try again;
 * -ERESTARTSYS on a signal; -ENOMEM.
 */
int dmashim_batch_lock(struct dmashim_chan *ch, unsigned int count,
		       struct dma_fence **wait)
{
	struct dmashim_resv_set *set = &ch->resv;
	unsigned int i;
	int ret;

	dmashim_resv_collect(ch, count);
	ww_acquire_init(&set->ctx, &reservation_ww_class);
	ret = dmashim_resv_lock_all(set);
	if (ret)
		goto err_fini;
	ww_acquire_done(&set->ctx);

	for (i = 0; i < set->n; i++) {
		*wait = dmashim_resv_busy(&set->objs[i], ch->fence_context);
		if (*wait) {
			ret = -EAGAIN;
			goto err_unlock;
		}
	}
	for (i = 0; i < set->n; i++) {
		if (!set->objs[i].fences)
			continue;
		ret = dma_resv_reserve_fences(set->objs[i].resv,
					      set->objs[i].fences);
		if (ret)
			goto err_unlock;
	}
	return 0;

err_unlock:
	dmashim_resv_unlock(set, set->n);
err_fini:
	ww_acquire_fini(&set->ctx);
	return ret;
}

/**
 * dmashim_batch_unlock() - unlock a batch's objects without fencing them
 * @ch: the channel, after dmashim_batch_lock()
 */
void dmashim_batch_unlock(struct dmashim_chan *ch)
{
	dmashim_resv_unlock(&ch->resv, ch->resv.n);
	ww_acquire_fini(&ch->resv.ctx);
}

/**
 * dmashim_batch_fence() - put a batch's fences in its buffers'
 *	reservation objects, and unlock them
 * @ch: the channel, after dmashim_batch_lock()
 * @count: requests in the batch, each with its fence
 */
void dmashim_batch_fence(struct dmashim_chan *ch, unsigned int count)
{
	struct dmashim_req *req;
	unsigned int i;

	for (i = 0; i < count; i++) {
		req = ch->batch[i];
		if (req->kind == DMASHIM_XFER_CYCLIC)
			continue;
		if (req->src)
			dma_resv_add_fence(req->src->map->dmabuf->resv,
					   &req->fence->base,
					   DMA_RESV_USAGE_READ);
		if (req->dst)
			dma_resv_add_fence(req->dst->map->dmabuf->resv,
					   &req->fence->base,
					   DMA_RESV_USAGE_WRITE);
	}
	dmashim_batch_unlock(ch);
}
