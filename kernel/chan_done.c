// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - completions: from the provider's callbacks to the records
 * read() returns, and the fences
 *
 * A descriptor's callback (the provider's tasklet or interrupt) counts it
 * done.  The request's last descriptor, a cyclic period, an error or an
 * abort queues the request's work on the channel's ordered workqueue,
 * which syncs what the device wrote for the CPU, signals the request's
 * fence and puts the request in line for read().  A request goes back to
 * the pool when its final record is read: records are never lost, and a
 * reader that falls behind makes submits fail with -EBUSY.  Records of
 * cyclic periods that pile up are merged into one with a count.
 *
 * Fences come from the channel's pool and go back to it an RCU grace
 * period after their last reference, as dma_fence_free() would free them.
 * Buffers keep the last fence that touched them in their reservation
 * objects: when those have taken the whole pool, fences are allocated.
 */

#include <linux/dma-fence.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "channel.h"
#include "ioctl.h"

/* ---- fences ------------------------------------------------------------ */

static struct dmashim_fence *to_dmashim_fence(struct dma_fence *fence)
{
	return container_of(fence, struct dmashim_fence, base);
}

static const char *dmashim_fence_driver_name(struct dma_fence *fence)
{
	return "dmashim";
}

static const char *dmashim_fence_timeline_name(struct dma_fence *fence)
{
	return to_dmashim_fence(fence)->chan->name;
}

static void dmashim_fence_rcu_free(struct rcu_head *rcu)
{
	struct dmashim_fence *f = container_of(rcu, struct dmashim_fence,
					       base.rcu);
	struct dmashim_chan *ch = f->chan;
	unsigned long flags;

	if (f->pooled) {
		spin_lock_irqsave(&ch->lock, flags);
		list_add(&f->node, &ch->free_fences);
		spin_unlock_irqrestore(&ch->lock, flags);
	} else {
		kfree(f);
	}
	dmashim_chan_put(ch);
}

static void dmashim_fence_release(struct dma_fence *fence)
{
	call_rcu(&fence->rcu, dmashim_fence_rcu_free);
}

static const struct dma_fence_ops dmashim_fence_ops = {
	.get_driver_name = dmashim_fence_driver_name,
	.get_timeline_name = dmashim_fence_timeline_name,
	.release = dmashim_fence_release,
};

/**
 * dmashim_fence_get() - a fence from the channel's pool, initialised
 * @ch: the channel; submits are serialised, so seqnos follow them
 *
 * Process context: when the pool is empty (its fences are all held, by
 * requests, sync_files or reservation objects) one is allocated.
 *
 * Return: the fence, holding a reference to @ch, or NULL if out of memory.
 */
struct dmashim_fence *dmashim_fence_get(struct dmashim_chan *ch)
{
	struct dmashim_fence *f;
	unsigned long flags;

	spin_lock_irqsave(&ch->lock, flags);
	f = list_first_entry_or_null(&ch->free_fences, struct dmashim_fence,
				     node);
	if (f)
		list_del(&f->node);
	spin_unlock_irqrestore(&ch->lock, flags);
	if (!f) {
		f = kzalloc(sizeof(*f), GFP_KERNEL);
		if (!f)
			return NULL;
	}
	kref_get(&ch->ref);
	f->chan = ch;
	dma_fence_init(&f->base, &dmashim_fence_ops, &ch->fence_lock,
		       ch->fence_context, ++ch->fence_seqno);
	return f;
}

/* ---- completion ------------------------------------------------------ */

/*
 * A cyclic transfer's callbacks may be merged (virt-dma runs one for any
 * number of periods): count the periods by where the ring is.
 */
static void dmashim_req_periods(struct dmashim_req *req, u64 residue)
{
	u64 pos = (req->length - residue) % req->length;
	u64 n = (pos + req->length - req->ring_pos) % req->length /
		req->period;

	/* Back where the last one ended: a whole ring went by. */
	req->periods += n ? n : req->length / req->period;
	req->ring_pos = pos;
	req->residue = residue;
}

/**
 * dmashim_req_callback() - a descriptor of a request is over
 * @param: the request
 * @res: how it went
 *
 * dmaengine's callback_result: any context.
 */
void dmashim_req_callback(void *param, const struct dmaengine_result *res)
{
	struct dmashim_req *req = param;
	struct dmashim_chan *ch = req->chan;
	bool failed = res && res->result != DMA_TRANS_NOERROR;
	bool cookie = dma_fence_begin_signalling();
	unsigned long flags;

	spin_lock_irqsave(&ch->lock, flags);
	if (req->state != DMASHIM_REQ_PENDING)
		goto out;
	req->timestamp = ktime_get();
	if (failed) {
		req->status = DMASHIM_XFER_ERROR;
		req->residue += res->residue;
		req->batch_last->batch_failed = true;
	}
	if (req->kind == DMASHIM_XFER_CYCLIC && !failed) {
		dmashim_req_periods(req, res ? res->residue : 0);
		queue_work(ch->wq, &req->work);
	} else {
		ch->descs_used--;
		if (++req->descs_done == req->nr_descs)
			dmashim_req_end_locked(req, failed ? DMASHIM_XFER_ERROR :
						    DMASHIM_XFER_COMPLETE);
	}
out:
	spin_unlock_irqrestore(&ch->lock, flags);
	dma_fence_end_signalling(cookie);
}

/**
 * dmashim_fence_end() - signal a request's fence, once
 * @fence: the fence
 * @error: its error, or 0
 *
 * Unless it was signalled already: a request's work can run again after
 * its end (a cyclic period's run queued before an abort), and a release
 * signals what never ran.  Any context.
 */
void dmashim_fence_end(struct dma_fence *fence, int error)
{
	unsigned long flags;

	spin_lock_irqsave(fence->lock, flags);
	if (!test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags)) {
		if (error)
			dma_fence_set_error(fence, error);
		dma_fence_signal_locked(fence);
	}
	spin_unlock_irqrestore(fence->lock, flags);
}

/* The request's fence, with the error the request (or its batch) had. */
static void dmashim_req_signal(struct dmashim_req *req)
{
	int error = 0;

	if (req->status == DMASHIM_XFER_ABORTED)
		error = -ECANCELED;
	else if (req->status == DMASHIM_XFER_ERROR ||
		 (req == req->batch_last && req->batch_failed))
		error = -EIO;
	dmashim_fence_end(&req->fence->base, error);
}

/**
 * dmashim_req_work() - report a request's event, in process context
 * @work: the request's work
 *
 * What the device wrote is synced for the CPU first.  A revocation of the
 * device holds its lock for writing: the sync is skipped then (the
 * mappings are going, and so is the device).  All of it is on the way to
 * signalling the request's fence: it takes no lock that is held while
 * waiting for a fence or allocating (dmashim buffers' bounce copies take
 * none), waits for nothing and allocates nothing.
 */
void dmashim_req_work(struct work_struct *work)
{
	struct dmashim_req *req = container_of(work, struct dmashim_req, work);
	struct dmashim_chan *ch = req->chan;
	bool done, live, cookie;
	struct dmashim_range *r;
	unsigned long flags;
	unsigned int i;
	int ret = 0;

	cookie = dma_fence_begin_signalling();

	if (req->dst && down_read_trylock(&ch->dd->sem)) {
		live = !ch->dd->gone && !req->dst->map->dead;
		for (i = 0; live && i < req->nr_dst_ranges; i++) {
			r = &req->dst_ranges[i];
			ret = dmashim_mapping_sync(req->dst->map, r->offset,
						   r->length, DMA_FROM_DEVICE,
						   true) ?: ret;
		}
		up_read(&ch->dd->sem);
	}
	/* What the device wrote did not reach the buffer: say so. */
	if (ret) {
		spin_lock_irqsave(&ch->lock, flags);
		if (req->status != DMASHIM_XFER_ABORTED)
			req->status = DMASHIM_XFER_ERROR;
		req->batch_last->batch_failed = true;
		spin_unlock_irqrestore(&ch->lock, flags);
	}

	/*
	 * The fence signals and the final record is put in line under the
	 * channel's lock, which read() takes too: whoever has the record
	 * finds the fence signalled, and whoever saw the fence signal finds
	 * the record.  A request is in line only with something to read:
	 * its end, or periods.  The periods this run was queued for may
	 * have been read already, with later ones.
	 */
	spin_lock_irqsave(&ch->lock, flags);
	done = req->state == DMASHIM_REQ_DONE;
	if (done)
		dmashim_req_signal(req);
	if (list_empty(&req->report_node) && (done || req->periods))
		list_add_tail(&req->report_node, &ch->reports);
	spin_unlock_irqrestore(&ch->lock, flags);
	wake_up_interruptible(&ch->wait);
	dma_fence_end_signalling(cookie);
}

/* ---- read() and poll() ----------------------------------------------- */

/*
 * The next record of a request in line: its periods, if any are pending,
 * else its end.  Returns true for the final record.  The lock is held.
 */
static bool dmashim_record(struct dmashim_req *req, struct dmashim_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->cookie = req->cookies[req->nr_descs - 1];
	rec->user_data = req->user_data;
	rec->timestamp_ns = ktime_to_ns(req->timestamp);
	rec->residue = req->residue;
	if (req->periods) {
		rec->flags = DMASHIM_RECORD_PERIOD;
		rec->periods = req->periods;
		rec->status = DMASHIM_XFER_IN_PROGRESS;
		return false;
	}
	rec->status = req->status;
	return true;
}

static bool dmashim_chan_readable(struct dmashim_chan *ch)
{
	bool ready;

	spin_lock_irq(&ch->lock);
	ready = !list_empty(&ch->reports) || ch->dead;
	spin_unlock_irq(&ch->lock);
	return ready;
}

/**
 * dmashim_chan_read() - read() of a channel: &struct dmashim_record
 * @file: the channel's file
 * @ubuf: where to
 * @count: room; whole records only, of the size the opener asked for
 * @ppos: unused
 *
 * Return: bytes read (0 once the channel was revoked and every record
 * read), or -EINVAL for room for less than a record, -EAGAIN,
 * -ERESTARTSYS, -EFAULT.
 */
ssize_t dmashim_chan_read(struct file *file, char __user *ubuf, size_t count,
			  loff_t *ppos)
{
	struct dmashim_chan *ch = file->private_data;
	size_t size = ch->record_size;
	struct dmashim_record rec;
	struct dmashim_req *req;
	size_t done = 0;
	bool final;
	int ret = 0;

	if (count < size)
		return -EINVAL;
	if (mutex_lock_interruptible(&ch->read_lock))
		return -ERESTARTSYS;
	while (done + size <= count) {
		spin_lock_irq(&ch->lock);
		req = list_first_entry_or_null(&ch->reports, struct dmashim_req,
					       report_node);
		if (req)
			final = dmashim_record(req, &rec);
		spin_unlock_irq(&ch->lock);
		if (!req) {
			if (done || ch->dead)
				break;
			ret = -EAGAIN;
			if (file->f_flags & O_NONBLOCK)
				break;
			ret = wait_event_interruptible(ch->wait,
						       dmashim_chan_readable(ch));
			if (ret)
				break;
			continue;
		}
		ret = dmashim_elem_to_user(ubuf + done, size, 0, &rec,
					   sizeof(rec));
		if (ret)
			break;
		done += size;

		/*
		 * Take what was copied; more periods may have ended since.
		 * A final record is read once the request's work reported
		 * it; the work may still be running, not be queued again.
		 */
		if (final) {
			flush_work(&req->work);
			dmashim_req_release(req);
			continue;
		}
		spin_lock_irq(&ch->lock);
		req->periods -= rec.periods;
		if (!req->periods && req->state != DMASHIM_REQ_DONE)
			list_del_init(&req->report_node);
		spin_unlock_irq(&ch->lock);
	}
	mutex_unlock(&ch->read_lock);
	return done ? done : ret;
}

/**
 * dmashim_chan_poll() - poll() of a channel
 * @file: the channel's file
 * @wait: the poll table
 *
 * Return: EPOLLIN with a record to read, EPOLLHUP once revoked.
 */
__poll_t dmashim_chan_poll(struct file *file, struct poll_table_struct *wait)
{
	struct dmashim_chan *ch = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &ch->wait, wait);
	spin_lock_irq(&ch->lock);
	if (!list_empty(&ch->reports))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (ch->dead)
		mask |= EPOLLHUP;
	spin_unlock_irq(&ch->lock);
	return mask;
}
