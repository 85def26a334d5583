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
 * for the CPU; on a paused channel it is refused instead (-EBUSY), as its
 * owner would wait for itself.
 *
 * A cyclic transfer follows like any other but puts no fence in: its
 * fence signals only when it is terminated, and readers of the ring go
 * by its period records.
 *
 * A batch only follows fences that existed before its own were made, so
 * fences cannot come to wait for each other.
 */
#include <linux/dma-buf.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/sync_file.h>

#include "channel.h"

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

static bool dmashim_ranges_overlap(const struct dmashim_range *a,
				   const struct dmashim_range *b)
{
	return a->offset < b->offset + b->length &&
	       b->offset < a->offset + a->length;
}

/* Whether @new reads bytes that @old writes through a bounced mapping. */
static bool dmashim_req_reads_bounced(struct dmashim_req *new,
				      struct dmashim_req *old)
{
	const struct dmashim_range *r, *w;
	unsigned int i, j;

	if (!new->src || new->src != old->dst)
		return false;
	for (i = 0; i < new->nr_src_ranges; i++) {
		r = &new->src_ranges[i];
		for (j = 0; j < old->nr_dst_ranges; j++) {
			w = &old->dst_ranges[j];
			if (dmashim_ranges_overlap(r, w) &&
			    dmashim_mapping_copies(new->src->map, r->offset,
						   r->length))
				return true;
		}
	}
	return false;
}

/**
 * dmashim_batch_hazard() - find a request a batch's bounce copies must
 *	wait for
 * @ch: the channel, its ioctl lock held
 * @count: requests in the batch (@ch->batch), set up
 * @wait: set to a reference to the fence to wait for, on -EAGAIN
 *
 * See the top of this file.
 *
 * Return: 0; -EAGAIN if the caller must wait for @wait (with nothing
 * locked) and try again; -EBUSY if the channel is paused.
 */
int dmashim_batch_hazard(struct dmashim_chan *ch, unsigned int count,
			 struct dma_fence **wait)
{
	struct dmashim_req *old;
	unsigned int i, j;
	int ret = 0;

	spin_lock_irq(&ch->lock);
	for (j = 0; j < ch->nr_reqs && !ret; j++) {
		old = &ch->reqs[j];
		if (old->state == DMASHIM_REQ_FREE ||
		    test_bit(DMA_FENCE_FLAG_SIGNALED_BIT,
			     &old->fence->base.flags))
			continue;
		for (i = 0; i < count; i++) {
			if (!dmashim_req_reads_bounced(ch->batch[i], old))
				continue;
			if (ch->paused) {
				ret = -EBUSY;
			} else {
				*wait = dma_fence_get(&old->fence->base);
				ret = -EAGAIN;
			}
			break;
		}
	}
	spin_unlock_irq(&ch->lock);
	return ret;
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
 * @fd: a sync_file
 *
 * Called with nothing locked.
 *
 * Return: 0 once it signalled; -EINVAL if @fd is not a sync_file;
 * -ERESTARTSYS on a signal; the fence's error if it failed.
 */
int dmashim_batch_wait_in(int fd)
{
	struct dma_fence *fence = sync_file_get_fence(fd);
	int ret;

	if (!fence)
		return -EINVAL;
	ret = dmashim_batch_wait(fence);
	if (!ret)
		ret = fence->error;
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
