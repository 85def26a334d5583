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
 * The channel's own fences are followed too: a request's fence signals
 * once what the device wrote was synced for the CPU, and a later request
 * that reads the buffer syncs it for the device first.
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

/* A reference to a fence of locked @obj the batch must follow, or NULL. */
static struct dma_fence *dmashim_resv_busy(struct dmashim_resv_obj *obj)
{
	struct dma_resv_iter cursor;
	struct dma_fence *fence;

	dma_resv_for_each_fence(&cursor, obj->resv,
				dma_resv_usage_rw(obj->write), fence)
		if (!dma_fence_is_signaled(fence))
			return dma_fence_get(fence);
	return NULL;
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
		*wait = dmashim_resv_busy(&set->objs[i]);
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
