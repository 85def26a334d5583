// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - a request's life cycle: the one file that changes its state
 *
 *   FREE --reserve--> RESERVED --submitted--> PENDING --end--> DONE
 *     ^                  |                      |               |
 *     |                  +------release---------|---------------+
 *     |                                         |               |
 *     +--------------------------------------- abort            |
 *                                               v               |
 *                                           ABORTED --synced----+
 *
 * A submit reserves requests from the channel's pool, fills them, and
 * either submits them to the provider (PENDING) or releases them.  The
 * provider's callbacks end a PENDING request (DONE: completed or failed).
 * A terminate aborts the PENDING ones; the provider may still be moving a
 * step of theirs, and a callback of theirs may still be running, so they
 * stay ABORTED, holding their buffers, until dmaengine_synchronize() has
 * returned for the channel; only then are they DONE.  A DONE request has
 * its final record and signalled fence waiting; reading the record (or
 * closing the channel) releases it back to the pool, dropping what it
 * held.  No memory a device may still touch, and no request slot, is
 * given back before the provider has said it is done with it.
 *
 * Every transition holds the channel's @lock.
 */

#include "channel.h"

/**
 * dmashim_req_reserve_locked() - take a request out of the pool
 * @ch: the channel, its @lock held
 *
 * Return: a RESERVED request, or NULL if the pool is empty.
 */
struct dmashim_req *dmashim_req_reserve_locked(struct dmashim_chan *ch)
{
	struct dmashim_req *req;

	lockdep_assert_held(&ch->lock);
	req = list_first_entry_or_null(&ch->free_reqs, struct dmashim_req,
				       node);
	if (!req)
		return NULL;
	list_del_init(&req->node);
	req->state = DMASHIM_REQ_RESERVED;
	return req;
}

/**
 * dmashim_req_submitted_locked() - the request's descriptors went to the
 *	provider
 * @req: a RESERVED request; its channel's @lock held
 */
void dmashim_req_submitted_locked(struct dmashim_req *req)
{
	lockdep_assert_held(&req->chan->lock);
	WARN_ON_ONCE(req->state != DMASHIM_REQ_RESERVED);
	req->state = DMASHIM_REQ_PENDING;
	list_add_tail(&req->node, &req->chan->pending);
}

/**
 * dmashim_req_end_locked() - the provider is done with a request
 * @req: a PENDING request; its channel's @lock held
 * @status: %DMASHIM_XFER_COMPLETE or %DMASHIM_XFER_ERROR (an error seen
 *	before, in @req->status, stands)
 *
 * Any context: the provider's callback.  Queues the request's work, which
 * syncs, signals its fence and puts its final record in line.
 */
void dmashim_req_end_locked(struct dmashim_req *req, u32 status)
{
	lockdep_assert_held(&req->chan->lock);
	WARN_ON_ONCE(req->state != DMASHIM_REQ_PENDING);
	if (req->status != DMASHIM_XFER_ERROR)
		req->status = status;
	req->state = DMASHIM_REQ_DONE;
	list_del_init(&req->node);
	queue_work(req->chan->wq, &req->work);
}

/**
 * dmashim_req_abort_locked() - a pending request was terminated
 * @req: a PENDING request; its channel's @lock held
 *
 * Its residue is what the terminate saw.  It stays ABORTED, its fence
 * unsignalled and its record not in line, until the channel is
 * synchronised (dmashim_chan_synced()).
 */
void dmashim_req_abort_locked(struct dmashim_req *req)
{
	struct dmashim_chan *ch = req->chan;

	lockdep_assert_held(&ch->lock);
	WARN_ON_ONCE(req->state != DMASHIM_REQ_PENDING);
	req->state = DMASHIM_REQ_ABORTED;
	req->status = DMASHIM_XFER_ABORTED;
	req->timestamp = ktime_get();
	req->batch_last->batch_failed = true;
	list_move_tail(&req->node, &ch->aborted);
}

/**
 * dmashim_chan_synced() - the provider no longer touches what aborted
 *	requests held
 * @ch: the channel; dmaengine_synchronize() returned since the last abort
 *
 * Every ABORTED request is DONE: its work signals its fence (cancelled)
 * and puts its final record in line.
 */
void dmashim_chan_synced(struct dmashim_chan *ch)
{
	struct dmashim_req *req, *next;
	unsigned long flags;

	spin_lock_irqsave(&ch->lock, flags);
	list_for_each_entry_safe(req, next, &ch->aborted, node) {
		req->state = DMASHIM_REQ_DONE;
		list_del_init(&req->node);
		queue_work(ch->wq, &req->work);
	}
	spin_unlock_irqrestore(&ch->lock, flags);
}

/**
 * dmashim_req_release() - give a request back to the pool
 * @req: a RESERVED request (a submit that failed) or a DONE one (its
 *	final record read, or the channel closing)
 *
 * Drops what it held: its buffers' cache entries, its fence (signalled,
 * as cancelled, if it never was).
 */
void dmashim_req_release(struct dmashim_req *req)
{
	struct dmashim_chan *ch = req->chan;
	struct dmashim_fence *f = req->fence;
	unsigned long flags;

	spin_lock_irqsave(&ch->lock, flags);
	WARN_ON_ONCE(req->state != DMASHIM_REQ_RESERVED &&
		     req->state != DMASHIM_REQ_DONE);
	if (req->src)
		req->src->busy--;
	if (req->dst)
		req->dst->busy--;
	list_del_init(&req->report_node);
	req->state = DMASHIM_REQ_FREE;
	req->src = NULL;
	req->dst = NULL;
	req->fence = NULL;
	req->nr_src_ranges = 0;
	req->nr_dst_ranges = 0;
	req->nr_descs = 0;
	req->descs_done = 0;
	req->status = 0;
	req->residue = 0;
	req->periods = 0;
	req->ring_pos = 0;
	req->batch_last = NULL;
	req->batch_failed = false;
	list_add_tail(&req->node, &ch->free_reqs);
	spin_unlock_irqrestore(&ch->lock, flags);

	if (!f)
		return;
	dmashim_fence_end(&f->base, -ECANCELED);
	dma_fence_put(&f->base);
}
