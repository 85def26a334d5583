// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - dmaengine channels: opening, the channel file, its state
 *
 * DMASHIM_IOCTL_CHAN_OPEN takes a channel exclusively, as the dmaengine
 * client guide describes, and returns it as a file of its own.  Buffers
 * are mapped for the channel's DMA device, for which dmashim keeps a
 * device record as for a bound device; a driver unbinding that device
 * revokes the channel: what is in flight is terminated and the channel
 * given back before the provider goes.
 *
 * Requests, descriptors (as a budget), fences and the staging area of a
 * submit are preallocated when the channel is opened: submitting does
 * not allocate, and a full pool is -EBUSY.  The state machine is
 * documented with &enum dmashim_chan_state.
 *
 * Every ioctl that touches the dmaengine channel holds @op_lock and the
 * device's read lock; revocation holds the write lock.
 */

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/dmaengine.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "channel.h"
#include "ioctl.h"

static unsigned int chan_reqs = 64;
module_param(chan_reqs, uint, 0444);
MODULE_PARM_DESC(chan_reqs,
		 "Transfers in flight (and unread) per channel, 1..1024 (default 64)");

static unsigned int chan_descs = 128;
module_param(chan_descs, uint, 0444);
MODULE_PARM_DESC(chan_descs,
		 "Provider descriptors in flight per channel, 1..4096 (default 128)");

/**
 * dmashim_chan_state() - the channel's &enum dmashim_chan_state
 * @ch: the channel
 *
 * Return: SUSPENDED if paused, RUNNING with requests pending, else
 * CONFIGURED.
 */
u32 dmashim_chan_state(struct dmashim_chan *ch)
{
	unsigned long flags;
	u32 state;

	spin_lock_irqsave(&ch->lock, flags);
	if (ch->paused)
		state = DMASHIM_CHAN_SUSPENDED;
	else if (!list_empty(&ch->pending))
		state = DMASHIM_CHAN_RUNNING;
	else
		state = DMASHIM_CHAN_CONFIGURED;
	spin_unlock_irqrestore(&ch->lock, flags);
	return state;
}

/* Bytes of @req that did not move, as the provider says now. */
static u64 dmashim_req_residue(struct dmashim_chan *ch,
			       struct dmashim_req *req)
{
	struct dma_tx_state st;
	u64 residue = 0;
	unsigned int i;

	for (i = req->descs_done; i < req->nr_descs; i++) {
		st.residue = 0;
		if (dmaengine_tx_status(ch->chan, req->cookies[i], &st) !=
		    DMA_COMPLETE)
			residue += st.residue;
	}
	return residue;
}

/*
 * Terminate everything: snapshot the residues (the step in flight may
 * still move a little: an upper bound), stop the provider, abort what
 * was pending.  The aborted requests end once the provider is
 * synchronised: here, or (@sync false) in the channel's sync work, which
 * a later submit waits for.
 */
static int dmashim_chan_terminate(struct dmashim_chan *ch, bool sync)
{
	struct dmashim_req *req, *next;
	unsigned long flags;
	int ret;

	/*
	 * Callbacks take ended requests off the list meanwhile; tx_status
	 * may be called in atomic context and takes only the provider's
	 * locks, which its callbacks are never called with.
	 */
	spin_lock_irqsave(&ch->lock, flags);
	list_for_each_entry(req, &ch->pending, node)
		req->residue = dmashim_req_residue(ch, req);
	spin_unlock_irqrestore(&ch->lock, flags);
	ret = dmaengine_terminate_async(ch->chan);
	if (ret)
		return ret;

	spin_lock_irqsave(&ch->lock, flags);
	ch->paused = false;
	list_for_each_entry_safe(req, next, &ch->pending, node)
		dmashim_req_abort_locked(req);
	/* Their descriptors are gone with the terminated transfers. */
	ch->descs_used = 0;
	spin_unlock_irqrestore(&ch->lock, flags);

	if (sync) {
		dmaengine_synchronize(ch->chan);
		dmashim_chan_synced(ch);
	} else {
		queue_work(ch->wq, &ch->sync_work);
	}
	return 0;
}

static void dmashim_chan_sync_work(struct work_struct *work)
{
	struct dmashim_chan *ch = container_of(work, struct dmashim_chan,
					       sync_work);

	/* Runs before the channel is given back (it flushes ch->wq). */
	dmaengine_synchronize(ch->chan);
	dmashim_chan_synced(ch);
}

/**
 * dmashim_chan_give_back() - stop a channel for good and release it
 * @ch: the channel; its device is locked, for writing when revoked
 *
 * Terminates what is in flight (records say so), tears the cache's
 * mappings down and gives the dmaengine channel back.  Idempotent.
 */
void dmashim_chan_give_back(struct dmashim_chan *ch)
{
	struct dmashim_chan_map *cm;
	unsigned long flags;

	if (!ch->chan)
		return;
	dmashim_chan_terminate(ch, true);
	/* Reporting work syncs through the mappings: let it finish first. */
	flush_workqueue(ch->wq);
	list_for_each_entry(cm, &ch->cache, node)
		dmashim_mapping_revoke_now(cm->map);
	dma_release_channel(ch->chan);
	spin_lock_irqsave(&ch->lock, flags);
	ch->chan = NULL;
	ch->dead = true;
	spin_unlock_irqrestore(&ch->lock, flags);
	wake_up_interruptible_all(&ch->wait);
}

/* The channel's device is revoked: the channel goes first. */
static void dmashim_chan_revoke(struct dmashim_user *user)
{
	dmashim_chan_give_back(container_of(user, struct dmashim_chan, user));
}

static void dmashim_chan_free_mem(struct dmashim_chan *ch)
{
	if (ch->wq)
		destroy_workqueue(ch->wq);
	kvfree(ch->resv.objs);
	kvfree(ch->plan_sgl);
	kvfree(ch->plan_descs);
	kvfree(ch->batch);
	kvfree(ch->staging_ranges);
	kvfree(ch->staging);
	kvfree(ch->fences);
	kvfree(ch->reqs ? ch->reqs[0].cookies : NULL);
	kvfree(ch->reqs);
	kfree(ch);
}

static void dmashim_chan_free(struct work_struct *work)
{
	struct dmashim_chan *ch = container_of(work, struct dmashim_chan,
					       free_work);

	dmashim_share_put(ch->share);
	dmashim_dev_put(ch->dd);
	dmashim_chan_free_mem(ch);
	module_put(THIS_MODULE);
}

static void dmashim_chan_release_ref(struct kref *ref)
{
	struct dmashim_chan *ch = container_of(ref, struct dmashim_chan, ref);

	/* The last fence may go in interrupt context. */
	queue_work(dmashim_wq, &ch->free_work);
}

/**
 * dmashim_chan_put() - drop a reference to a channel
 * @ch: the channel
 *
 * Any context.
 */
void dmashim_chan_put(struct dmashim_chan *ch)
{
	kref_put(&ch->ref, dmashim_chan_release_ref);
}

/* Run @fn on the live channel, with its ioctl lock and device held. */
static int dmashim_chan_locked(struct dmashim_chan *ch,
			       int (*fn)(struct dmashim_chan *ch, void *arg),
			       void *arg)
{
	int ret;

	mutex_lock(&ch->op_lock);
	ret = dmashim_dev_read_lock(ch->dd);
	if (!ret) {
		ret = ch->dead ? -ENODEV : fn(ch, arg);
		dmashim_dev_read_unlock(ch->dd);
	}
	mutex_unlock(&ch->op_lock);
	return ret;
}

/* The uAPI's directions, not the kernel's enum dma_transfer_direction. */
static u32 dmashim_chan_dirs(u32 directions)
{
	u32 dirs = 0;

	if (directions & BIT(DMA_MEM_TO_MEM))
		dirs |= DMASHIM_CHAN_DIR_MEM_TO_MEM;
	if (directions & BIT(DMA_MEM_TO_DEV))
		dirs |= DMASHIM_CHAN_DIR_TO_DEVICE;
	if (directions & BIT(DMA_DEV_TO_MEM))
		dirs |= DMASHIM_CHAN_DIR_FROM_DEVICE;
	if (directions & BIT(DMA_DEV_TO_DEV))
		dirs |= DMASHIM_CHAN_DIR_DEV_TO_DEV;
	return dirs;
}

/* The uAPI's granularity, not enum dma_residue_granularity. */
static u32 dmashim_residue_granularity(enum dma_residue_granularity g)
{
	switch (g) {
	case DMA_RESIDUE_GRANULARITY_SEGMENT:
		return DMASHIM_RESIDUE_SEGMENT;
	case DMA_RESIDUE_GRANULARITY_BURST:
		return DMASHIM_RESIDUE_BURST;
	default:
		return DMASHIM_RESIDUE_DESCRIPTOR;
	}
}

static int dmashim_chan_do_info(struct dmashim_chan *ch, void *arg)
{
	struct dmashim_chan_info *info = arg;
	unsigned long flags;

	if (info->flags)
		return -EINVAL;
	info->caps = ch->caps;
	info->state = dmashim_chan_state(ch);
	info->directions = dmashim_chan_dirs(ch->slave_caps.directions);
	info->src_addr_widths = ch->slave_caps.src_addr_widths;
	info->dst_addr_widths = ch->slave_caps.dst_addr_widths;
	info->max_burst = ch->slave_caps.max_burst;
	info->residue_granularity =
		dmashim_residue_granularity(ch->slave_caps.residue_granularity);
	info->can_pause = ch->slave_caps.cmd_pause;
	info->can_terminate = ch->slave_caps.cmd_terminate;
	memset(info->__reserved, 0, sizeof(info->__reserved));
	info->record_size = ch->record_size;
	info->__reserved2 = 0;
	spin_lock_irqsave(&ch->lock, flags);
	info->descs_total = ch->descs_total;
	info->descs_free = ch->descs_total - ch->descs_used;
	spin_unlock_irqrestore(&ch->lock, flags);
	strscpy(info->name, ch->name, sizeof(info->name));
	strscpy(info->device, dev_name(ch->dd->dev), sizeof(info->device));
	return 0;
}

static enum dma_slave_buswidth dmashim_width(u32 bytes)
{
	switch (bytes) {
	case 0:
		return DMA_SLAVE_BUSWIDTH_UNDEFINED;
	case 1:
		return DMA_SLAVE_BUSWIDTH_1_BYTE;
	case 2:
		return DMA_SLAVE_BUSWIDTH_2_BYTES;
	case 4:
		return DMA_SLAVE_BUSWIDTH_4_BYTES;
	case 8:
		return DMA_SLAVE_BUSWIDTH_8_BYTES;
	default:
		return -1;
	}
}

static int dmashim_chan_do_config(struct dmashim_chan *ch, void *arg)
{
	struct dmashim_chan_config *req = arg;
	struct dma_slave_config cfg = {
		.src_addr = req->src_addr,
		.dst_addr = req->dst_addr,
		.src_addr_width = dmashim_width(req->src_width),
		.dst_addr_width = dmashim_width(req->dst_width),
		.src_maxburst = req->src_maxburst,
		.dst_maxburst = req->dst_maxburst,
	};
	unsigned long flags;
	int ret;

	if (req->flags || (int)cfg.src_addr_width < 0 ||
	    (int)cfg.dst_addr_width < 0)
		return -EINVAL;
	if (dmashim_chan_state(ch) != DMASHIM_CHAN_CONFIGURED)
		return -EBUSY;
	/* Anywhere on the bus, unless the provider bounds them itself. */
	if (cfg.src_addr || cfg.dst_addr) {
		ret = dmashim_may_address(ch->chan, ch->rawio);
		if (ret)
			return ret;
	}
	ret = dmaengine_slave_config(ch->chan, &cfg);
	if (ret)
		return ret;
	spin_lock_irqsave(&ch->lock, flags);
	ch->configured = true;
	spin_unlock_irqrestore(&ch->lock, flags);
	return 0;
}

/*
 * A pending request's status from dmaengine's: one that moved nothing yet
 * is pending, paused or not, but for a cyclic one, whose residue comes
 * back to the whole ring each time it wraps.
 */
static u32 dmashim_dma_status(struct dmashim_req *r, enum dma_status st,
			      u64 residue)
{
	switch (st) {
	case DMA_COMPLETE:
		return DMASHIM_XFER_COMPLETE;
	case DMA_PAUSED:
		return residue == r->length && r->kind != DMASHIM_XFER_CYCLIC ?
		       DMASHIM_XFER_PENDING : DMASHIM_XFER_PAUSED;
	case DMA_ERROR:
		return DMASHIM_XFER_ERROR;
	default:
		return residue == r->length && r->kind != DMASHIM_XFER_CYCLIC ?
		       DMASHIM_XFER_PENDING : DMASHIM_XFER_IN_PROGRESS;
	}
}

static int dmashim_chan_do_status(struct dmashim_chan *ch, void *arg)
{
	struct dmashim_chan_status *req = arg;
	struct dmashim_req *r = NULL;
	struct dma_tx_state st = { };
	enum dma_status dst;
	unsigned long flags;
	unsigned int i;

	if (req->flags || req->__reserved || req->cookie < DMA_MIN_COOKIE)
		return -EINVAL;
	req->state = dmashim_chan_state(ch);

	spin_lock_irqsave(&ch->lock, flags);
	for (i = 0; i < ch->nr_reqs && !r; i++)
		if (ch->reqs[i].state != DMASHIM_REQ_FREE &&
		    ch->reqs[i].state != DMASHIM_REQ_RESERVED &&
		    ch->reqs[i].cookies[ch->reqs[i].nr_descs - 1] ==
		    req->cookie)
			r = &ch->reqs[i];
	/* Over, or terminated: what its record says (or will say). */
	if (r && (r->state == DMASHIM_REQ_DONE ||
		  r->state == DMASHIM_REQ_ABORTED)) {
		req->status = r->status;
		req->residue = r->residue;
		spin_unlock_irqrestore(&ch->lock, flags);
		return 0;
	}
	spin_unlock_irqrestore(&ch->lock, flags);

	if (r) {
		req->residue = dmashim_req_residue(ch, r);
		dst = dmaengine_tx_status(ch->chan, r->cookies[r->descs_done],
					  &st);
		req->status = dmashim_dma_status(r, dst, req->residue);
		return 0;
	}
	/* Not ours, or read and gone: dmaengine knows its cookie. */
	dst = dmaengine_tx_status(ch->chan, req->cookie, &st);
	req->residue = st.residue;
	req->status = dst == DMA_COMPLETE ? DMASHIM_XFER_COMPLETE :
		      dst == DMA_ERROR ? DMASHIM_XFER_ERROR :
		      DMASHIM_XFER_IN_PROGRESS;
	return 0;
}

static int dmashim_chan_do_control(struct dmashim_chan *ch, void *arg)
{
	struct dmashim_chan_control *req = arg;
	u32 state = dmashim_chan_state(ch);
	unsigned long flags;
	int ret;

	if (req->flags)
		return -EINVAL;
	switch (req->op) {
	case DMASHIM_CHAN_PAUSE:
		if (state == DMASHIM_CHAN_CONFIGURED)
			return -EINVAL;
		if (!ch->slave_caps.cmd_pause)
			return -EOPNOTSUPP;
		ret = dmaengine_pause(ch->chan);
		if (ret)
			return ret;
		spin_lock_irqsave(&ch->lock, flags);
		ch->paused = true;
		spin_unlock_irqrestore(&ch->lock, flags);
		break;
	case DMASHIM_CHAN_RESUME:
		if (state != DMASHIM_CHAN_SUSPENDED)
			return -EINVAL;
		ret = dmaengine_resume(ch->chan);
		if (ret)
			return ret;
		spin_lock_irqsave(&ch->lock, flags);
		ch->paused = false;
		spin_unlock_irqrestore(&ch->lock, flags);
		break;
	case DMASHIM_CHAN_TERMINATE:
	case DMASHIM_CHAN_TERMINATE_SYNC:
		if (!ch->slave_caps.cmd_terminate)
			return -EOPNOTSUPP;
		ret = dmashim_chan_terminate(ch,
					     req->op == DMASHIM_CHAN_TERMINATE_SYNC);
		if (ret)
			return ret;
		break;
	default:
		return -EINVAL;
	}
	req->state = dmashim_chan_state(ch);
	return 0;
}

#define DMASHIM_CHAN_CMD(_name, _fn)					\
static int dmashim_cmd_chan_##_name(void *obj,				\
				    union dmashim_ioctl_buf *buf,	\
				    struct dmashim_new_fd *nfd)		\
{									\
	return dmashim_chan_locked(obj, _fn, &buf->chan_##_name);	\
}

DMASHIM_CHAN_CMD(info, dmashim_chan_do_info)
DMASHIM_CHAN_CMD(config, dmashim_chan_do_config)
DMASHIM_CHAN_CMD(status, dmashim_chan_do_status)
DMASHIM_CHAN_CMD(control, dmashim_chan_do_control)

/* A submit waits for its dependencies with nothing locked. */
static int dmashim_cmd_chan_submit(void *obj, union dmashim_ioctl_buf *buf,
				   struct dmashim_new_fd *nfd)
{
	return dmashim_chan_submit(obj, &buf->chan_submit, nfd);
}

#define DMASHIM_CHAN_FIRST DMASHIM_CMD_CHAN_INFO

static const struct dmashim_ioctl_op dmashim_chan_ops[] = {
	DMASHIM_OP(DMASHIM_CHAN_FIRST, DMASHIM_CMD_CHAN_INFO,
		   dmashim_cmd_chan_info, struct dmashim_chan_info,
		   __reserved2),
	DMASHIM_OP(DMASHIM_CHAN_FIRST, DMASHIM_CMD_CHAN_CONFIG,
		   dmashim_cmd_chan_config, struct dmashim_chan_config,
		   dst_maxburst),
	DMASHIM_OP(DMASHIM_CHAN_FIRST, DMASHIM_CMD_CHAN_SUBMIT,
		   dmashim_cmd_chan_submit, struct dmashim_chan_submit,
		   xfer_size),
	DMASHIM_OP(DMASHIM_CHAN_FIRST, DMASHIM_CMD_CHAN_STATUS,
		   dmashim_cmd_chan_status, struct dmashim_chan_status,
		   __reserved),
	DMASHIM_OP(DMASHIM_CHAN_FIRST, DMASHIM_CMD_CHAN_CONTROL,
		   dmashim_cmd_chan_control, struct dmashim_chan_control,
		   state),
};

static long dmashim_chan_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	return dmashim_ioctl_dispatch(dmashim_chan_ops,
				      ARRAY_SIZE(dmashim_chan_ops),
				      DMASHIM_CHAN_FIRST, file->private_data,
				      cmd, arg);
}

static int dmashim_chan_file_release(struct inode *inode, struct file *file)
{
	struct dmashim_chan *ch = file->private_data;
	unsigned int i;

	mutex_lock(&ch->op_lock);
	down_read(&ch->dd->sem);
	if (!ch->dd->gone) {
		dmashim_dev_del_user(ch->dd, &ch->user);
		dmashim_chan_give_back(ch);
	}
	up_read(&ch->dd->sem);

	/* Completions still being reported, then every request's leftovers. */
	for (i = 0; i < ch->nr_reqs; i++)
		flush_work(&ch->reqs[i].work);
	for (i = 0; i < ch->nr_reqs; i++)
		if (ch->reqs[i].state != DMASHIM_REQ_FREE)
			dmashim_req_release(&ch->reqs[i]);
	dmashim_chan_cache_drop_all(ch);
	mutex_unlock(&ch->op_lock);

	dmashim_chan_put(ch);
	return 0;
}

static const struct file_operations dmashim_chan_fops = {
	.owner = THIS_MODULE,
	.release = dmashim_chan_file_release,
	.unlocked_ioctl = dmashim_chan_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.read = dmashim_chan_read,
	.poll = dmashim_chan_poll,
	.llseek = noop_llseek,
};

static struct dmashim_chan *dmashim_chan_alloc(void)
{
	struct dmashim_chan *ch;
	dma_cookie_t *cookies;
	unsigned int i;

	ch = kzalloc(sizeof(*ch), GFP_KERNEL);
	if (!ch)
		return NULL;
	kref_init(&ch->ref);
	spin_lock_init(&ch->lock);
	spin_lock_init(&ch->fence_lock);
	mutex_init(&ch->op_lock);
	mutex_init(&ch->read_lock);
	init_waitqueue_head(&ch->wait);
	INIT_LIST_HEAD(&ch->free_reqs);
	INIT_LIST_HEAD(&ch->pending);
	INIT_LIST_HEAD(&ch->aborted);
	INIT_LIST_HEAD(&ch->reports);
	INIT_LIST_HEAD(&ch->cache);
	INIT_LIST_HEAD(&ch->free_fences);
	INIT_WORK(&ch->sync_work, dmashim_chan_sync_work);
	INIT_WORK(&ch->free_work, dmashim_chan_free);
	ch->descs_total = chan_descs;
	ch->nr_reqs = chan_reqs;
	ch->fence_context = dma_fence_context_alloc(1);

	ch->reqs = kvcalloc(ch->nr_reqs, sizeof(*ch->reqs), GFP_KERNEL);
	cookies = kvcalloc(ch->nr_reqs * ch->descs_total, sizeof(*cookies),
			   GFP_KERNEL);
	if (!ch->reqs || !cookies) {
		kvfree(cookies);
		dmashim_chan_free_mem(ch);
		return NULL;
	}
	ch->reqs[0].cookies = cookies;
	/* A fence may outlive its request in a sync_file or elsewhere. */
	ch->fences = kvcalloc(2 * ch->nr_reqs, sizeof(*ch->fences),
			      GFP_KERNEL);
	ch->staging = kvcalloc(ch->nr_reqs, sizeof(*ch->staging), GFP_KERNEL);
	ch->staging_ranges = kvcalloc(ch->nr_reqs * DMASHIM_MAX_RANGES,
				      sizeof(*ch->staging_ranges), GFP_KERNEL);
	ch->batch = kvcalloc(ch->nr_reqs, sizeof(*ch->batch), GFP_KERNEL);
	ch->plan_descs = kvcalloc(ch->descs_total, sizeof(*ch->plan_descs),
				  GFP_KERNEL);
	ch->plan_sgl = kvcalloc(DMASHIM_SLAVE_SEGS, sizeof(*ch->plan_sgl),
				GFP_KERNEL);
	ch->resv.objs = kvcalloc(2 * ch->nr_reqs, sizeof(*ch->resv.objs),
				 GFP_KERNEL);
	/* Ordered: completions are reported as they happened. */
	ch->wq = alloc_ordered_workqueue("dmashim-chan", 0);
	if (!ch->fences || !ch->staging || !ch->staging_ranges || !ch->batch ||
	    !ch->plan_descs || !ch->plan_sgl || !ch->resv.objs || !ch->wq) {
		dmashim_chan_free_mem(ch);
		return NULL;
	}
	for (i = 0; i < ch->nr_reqs; i++) {
		ch->reqs[i].chan = ch;
		ch->reqs[i].cookies = cookies + i * ch->descs_total;
		INIT_LIST_HEAD(&ch->reqs[i].report_node);
		INIT_WORK(&ch->reqs[i].work, dmashim_req_work);
		list_add_tail(&ch->reqs[i].node, &ch->free_reqs);
	}
	for (i = 0; i < 2 * ch->nr_reqs; i++) {
		ch->fences[i].pooled = true;
		list_add_tail(&ch->fences[i].node, &ch->free_fences);
	}
	return ch;
}

/**
 * struct dmashim_chan_want - what a channel request looks for
 * @name: the channel's name, or "" for any
 * @opener: the context's file: only channels its opener may use match
 * @refused: a free channel of that name was there, not for the opener
 */
struct dmashim_chan_want {
	const char *name;
	const struct file *opener;
	bool refused;
};

static bool dmashim_chan_filter(struct dma_chan *chan, void *param)
{
	struct dmashim_chan_want *want = param;

	if (want->name[0] && strcmp(dma_chan_name(chan), want->name))
		return false;
	if (dmashim_may_use_chan(want->opener, chan))
		return true;
	want->refused = want->name[0];
	return false;
}

/* What the channel's device can do, as &enum dmashim_chan_caps. */
static u32 dmashim_chan_caps(struct dma_chan *chan)
{
	struct dma_device *dd = chan->device;

	return (dma_has_cap(DMA_MEMCPY, dd->cap_mask) ? DMASHIM_CAP_MEMCPY : 0) |
	       (dma_has_cap(DMA_SLAVE, dd->cap_mask) ? DMASHIM_CAP_SLAVE : 0) |
	       (dma_has_cap(DMA_CYCLIC, dd->cap_mask) ? DMASHIM_CAP_CYCLIC : 0);
}

/*
 * A free channel with the capabilities asked for, by name or the first
 * one, among those the opener may use; -ENODEV if none, -EPERM if the
 * channel named is one the opener may not use.
 */
static struct dma_chan *dmashim_chan_request(struct dmashim_ctx *ctx,
					     struct dmashim_chan_open *req)
{
	struct dmashim_chan_want want = { req->name, ctx->file, false };
	struct dma_chan *chan;
	dma_cap_mask_t mask;

	dma_cap_zero(mask);
	if (req->caps & DMASHIM_CAP_MEMCPY)
		dma_cap_set(DMA_MEMCPY, mask);
	if (req->caps & DMASHIM_CAP_SLAVE)
		dma_cap_set(DMA_SLAVE, mask);
	if (req->caps & DMASHIM_CAP_CYCLIC)
		dma_cap_set(DMA_CYCLIC, mask);
	chan = dma_request_channel(mask, dmashim_chan_filter, &want);
	if (chan)
		return chan;
	return ERR_PTR(want.refused ? -EPERM : -ENODEV);
}

/**
 * dmashim_chan_open() - DMASHIM_IOCTL_CHAN_OPEN
 * @ctx: the context
 * @req: the request; @fd is filled in on success
 * @nfd: receives the channel's file, for the ioctl to install
 *
 * Return: 0 or a negative errno, as documented for
 * &struct dmashim_chan_open.
 */
int dmashim_chan_open(struct dmashim_ctx *ctx, struct dmashim_chan_open *req,
		      struct dmashim_new_fd *nfd)
{
	struct dmashim_chan *ch;
	struct file *file;
	struct dma_chan *chan;
	struct dmashim_dev *dd;
	int ret;

	if (req->flags || req->fd_flags & ~O_CLOEXEC ||
	    !dmashim_elem_size_ok(req->record_size,
				  sizeof(struct dmashim_record)) ||
	    req->caps & ~(DMASHIM_CAP_MEMCPY | DMASHIM_CAP_SLAVE |
			  DMASHIM_CAP_CYCLIC) ||
	    !memchr(req->name, '\0', sizeof(req->name)))
		return -EINVAL;
	if (chan_reqs < 1 || chan_reqs > 1024 || chan_descs < 1 ||
	    chan_descs > 4096)
		return -EINVAL;

	ch = dmashim_chan_alloc();
	if (!ch)
		return -ENOMEM;
	chan = dmashim_chan_request(ctx, req);
	if (IS_ERR(chan)) {
		ret = PTR_ERR(chan);
		goto err_free;
	}
	ch->rawio = dmashim_opener_capable(ctx->file, CAP_SYS_RAWIO);
	ch->record_size = req->record_size;
	ch->chan = chan;
	ch->caps = dmashim_chan_caps(chan);
	strscpy(ch->name, dma_chan_name(chan), sizeof(ch->name));
	/* Providers without slave support have no caps to give. */
	dma_get_slave_caps(chan, &ch->slave_caps);
	ch->reuse = ch->slave_caps.descriptor_reuse;

	dd = dmashim_dev_get(dmaengine_get_dma_device(chan), 0,
			     DMASHIM_BIND_NO_CLAIM);
	if (IS_ERR(dd)) {
		ret = PTR_ERR(dd);
		goto err_release;
	}
	ch->dd = dd;
	ch->share = dmashim_share_get(dd, ctx->file);
	if (!ch->share) {
		ret = -ENOMEM;
		goto err_dev;
	}
	ch->limited = ctx->limited;
	ch->user.stage = DMASHIM_USER_DMA;
	ch->user.revoke = dmashim_chan_revoke;
	ret = dmashim_dev_read_lock(dd);
	if (ret)
		goto err_dev;
	dmashim_dev_add_user(dd, &ch->user);
	dmashim_dev_read_unlock(dd);

	/* The file holds the module, the channel holds itself. */
	__module_get(THIS_MODULE);
	file = anon_inode_getfile("[dmashim-chan]", &dmashim_chan_fops, ch,
				  O_RDWR | req->fd_flags);
	if (IS_ERR(file)) {
		module_put(THIS_MODULE);
		ret = PTR_ERR(file);
		goto err_user;
	}
	ret = dmashim_new_fd_reserve(nfd, file, req->fd_flags);
	if (ret < 0) {
		/* Its release gives everything back. */
		fput(file);
		return ret;
	}
	req->fd = ret;
	return 0;

err_user:
	down_read(&dd->sem);
	if (!dd->gone)
		dmashim_dev_del_user(dd, &ch->user);
	up_read(&dd->sem);
err_dev:
	dmashim_share_put(ch->share);
	dmashim_dev_put(dd);
err_release:
	dma_release_channel(ch->chan);
err_free:
	dmashim_chan_free_mem(ch);
	return ret;
}
