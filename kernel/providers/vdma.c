// SPDX-License-Identifier: GPL-2.0
/*
 * vdma - the dmaengine provider core shared by dmashim's providers
 *
 * See vdma.h for the model.  Locking: a channel's virt-dma lock protects
 * its descriptors and progress; a lane's lock protects who owns the lane
 * and who waits for it.  A channel's lock may be held while taking its
 * lane's, never the other way round.
 *
 * A step in flight belongs to the channel's active descriptor.  If the
 * channel is terminated meanwhile, the descriptor goes to virt-dma's
 * terminated list, the step's completion finds no active descriptor and
 * is dropped, and vdma_synchronize() waits for it before freeing.
 */

#include <linux/dma-fence.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "dmaengine.h"
#include "vdma.h"

static struct vdma_chan *to_vdma_chan(struct dma_chan *chan)
{
	return container_of(chan, struct vdma_chan, vc.chan);
}

static struct vdma_desc *to_vdma_desc(struct virt_dma_desc *vd)
{
	return container_of(vd, struct vdma_desc, vd);
}

static struct vdma_device *to_vdma(struct vdma_chan *c)
{
	return container_of(c->vc.chan.device, struct vdma_device, ddev);
}

/* ---- descriptor pool ------------------------------------------------ */

static struct vdma_desc *vdma_desc_get(struct vdma_chan *c)
{
	struct vdma_desc *d;
	unsigned long flags;

	spin_lock_irqsave(&c->vc.lock, flags);
	d = list_first_entry_or_null(&c->free, struct vdma_desc, pool_node);
	if (d)
		list_del(&d->pool_node);
	spin_unlock_irqrestore(&c->vc.lock, flags);
	if (d) {
		d->nr_segs = 0;
		d->seg = 0;
		d->seg_off = 0;
		d->done = 0;
		d->period = 0;
	}
	return d;
}

/* virt-dma's desc_free: back to the pool.  Called without the lock. */
static void vdma_desc_free(struct virt_dma_desc *vd)
{
	struct vdma_chan *c = to_vdma_chan(vd->tx.chan);
	unsigned long flags;

	spin_lock_irqsave(&c->vc.lock, flags);
	list_add(&to_vdma_desc(vd)->pool_node, &c->free);
	spin_unlock_irqrestore(&c->vc.lock, flags);
}

/* ---- steps ------------------------------------------------------------ */

static bool vdma_at_page_end(dma_addr_t addr)
{
	return offset_in_page(addr) == PAGE_SIZE - 1;
}

/*
 * @len, or up to 2 bytes less, such that neither @mem + len nor (@both)
 * @dev + len is the last byte of a page: one of three lengths is bad for
 * each address at most.
 */
static u32 vdma_dodge_page_end(dma_addr_t mem, dma_addr_t dev, bool both,
			       u32 len)
{
	u32 cut;

	for (cut = 0; cut < 3 && cut < len - 1; cut++)
		if (!vdma_at_page_end(mem + len - cut) &&
		    (!both || !vdma_at_page_end(dev + len - cut)))
			return len - cut;
	return len;
}

/* The next run of @d for a lane to move. */
static void vdma_desc_step(struct vdma_chan *c, struct vdma_desc *d,
			   struct vdma_step *s)
{
	struct vdma_seg *seg = &d->segs[d->seg];
	u32 len = min(seg->len - d->seg_off, to_vdma(c)->max_step);
	size_t in_period;

	s->dir = d->dir;
	s->mem = seg->addr + d->seg_off;
	if (d->kind == VDMA_CYCLIC) {
		/* Every period moves through the window from its start. */
		in_period = d->done % d->period;
		len = min_t(size_t, len, d->period - in_period);
		s->dev = d->dev_addr + in_period;
	} else {
		s->dev = d->dev_addr + d->done;
	}
	if (to_vdma(c)->no_start_at_page_end && len < seg->len - d->seg_off)
		len = vdma_dodge_page_end(s->mem, s->dev,
					  d->kind == VDMA_MEMCPY, len);
	s->len = len;
}

/*
 * @len more bytes of @d were moved.  Returns true if @d is complete (it
 * never is, for a cyclic descriptor).  The channel's lock is held.
 */
static bool vdma_desc_advance(struct vdma_desc *d, u32 len)
{
	d->seg_off += len;
	if (d->seg_off == d->segs[d->seg].len) {
		d->seg++;
		d->seg_off = 0;
	}
	d->done += len;
	if (d->kind != VDMA_CYCLIC)
		return d->done == d->total;

	if (!(d->done % d->period)) {
		/* A period is over; its residue says which. */
		d->vd.tx_result.residue = d->total - d->done;
		vchan_cyclic_callback(&d->vd);
	}
	if (d->done == d->total) {
		d->done = 0;
		d->seg = 0;
		d->seg_off = 0;
	}
	return false;
}

/* Pick the channel's next step, making the next issued descriptor active
 * if there is none.  The channel's lock is held.
 */
static bool vdma_chan_next(struct vdma_chan *c, struct vdma_step *s)
{
	struct virt_dma_desc *vd;

	if (c->paused)
		return false;
	if (!c->active) {
		vd = vchan_next_desc(&c->vc);
		if (!vd)
			return false;
		list_del(&vd->node);
		c->active = to_vdma_desc(vd);
	}
	vdma_desc_step(c, c->active, s);
	return true;
}

/* Put a channel with work in line for its lane.  The channel's lock is held. */
static void vdma_chan_queue(struct vdma_chan *c)
{
	struct vdma_lane *lane = c->lane;

	if (c->paused || c->busy || c->queued)
		return;
	if (!c->active && !vchan_next_desc(&c->vc))
		return;
	spin_lock(&lane->lock);
	list_add_tail(&c->lane_node, &lane->waiting);
	c->queued = true;
	spin_unlock(&lane->lock);
}

/* Take a channel out of line.  The channel's lock is held. */
static void vdma_chan_dequeue(struct vdma_chan *c)
{
	struct vdma_lane *lane = c->lane;

	if (!c->queued)
		return;
	spin_lock(&lane->lock);
	list_del_init(&c->lane_node);
	c->queued = false;
	spin_unlock(&lane->lock);
}

/* If the lane is idle, start the next step of the first channel waiting. */
static void vdma_lane_kick(struct vdma_lane *lane)
{
	struct vdma_step step;
	struct vdma_chan *c;
	unsigned long flags;
	bool go;

	for (;;) {
		spin_lock_irqsave(&lane->lock, flags);
		c = lane->owner ? NULL :
		    list_first_entry_or_null(&lane->waiting, struct vdma_chan,
					     lane_node);
		if (c) {
			list_del_init(&c->lane_node);
			lane->owner = c;
		}
		spin_unlock_irqrestore(&lane->lock, flags);
		if (!c)
			return;

		spin_lock_irqsave(&c->vc.lock, flags);
		c->queued = false;
		go = vdma_chan_next(c, &step);
		c->busy = go;
		spin_unlock_irqrestore(&c->vc.lock, flags);
		if (go) {
			lane->step = step;
			lane->ops->start(lane, &lane->step);
			return;
		}
		/* Paused or terminated meanwhile: let the next one have it. */
		spin_lock_irqsave(&lane->lock, flags);
		lane->owner = NULL;
		spin_unlock_irqrestore(&lane->lock, flags);
	}
}

/**
 * vdma_step_done() - the hardware finished the lane's step
 * @lane: the lane
 * @ok: the step moved its bytes; if not, its descriptor fails
 *
 * Called once per started step, in any context but from within the
 * lane's start operation.  A client's fence may be waiting for it: it
 * is annotated as a fence signalling path, and neither waits nor
 * allocates.
 */
void vdma_step_done(struct vdma_lane *lane, bool ok)
{
	bool cookie = dma_fence_begin_signalling();
	struct vdma_desc *d;
	struct vdma_chan *c;
	unsigned long flags;
	u32 len;

	spin_lock_irqsave(&lane->lock, flags);
	c = lane->owner;
	len = lane->step.len;
	lane->owner = NULL;
	spin_unlock_irqrestore(&lane->lock, flags);
	if (!c)
		goto out;

	spin_lock_irqsave(&c->vc.lock, flags);
	c->busy = false;
	d = c->active;
	if (d && !ok) {
		d->vd.tx_result.result = d->dir == DMA_DEV_TO_MEM ?
					 DMA_TRANS_WRITE_FAILED :
					 DMA_TRANS_READ_FAILED;
		d->vd.tx_result.residue = d->total - d->done;
	}
	if (d && (!ok || vdma_desc_advance(d, len))) {
		c->active = NULL;
		vchan_cookie_complete(&d->vd);
	}
	wake_up(&c->idle);
	vdma_chan_queue(c);
	spin_unlock_irqrestore(&c->vc.lock, flags);

	vdma_lane_kick(lane);
out:
	dma_fence_end_signalling(cookie);
}
EXPORT_SYMBOL_GPL(vdma_step_done);

/* ---- dmaengine operations ------------------------------------------ */

static struct dma_async_tx_descriptor *vdma_prep(struct vdma_chan *c,
						 struct vdma_desc *d,
						 unsigned long flags)
{
	/*
	 * A pooled descriptor keeps what its last client set: a client
	 * that sets only @callback (dmatest) would get the previous one's
	 * @callback_result, which dmaengine prefers, called on its freed
	 * @callback_param.
	 */
	d->vd.tx.callback = NULL;
	d->vd.tx.callback_result = NULL;
	d->vd.tx.callback_param = NULL;
	return vchan_tx_prep(&c->vc, &d->vd, flags);
}

static struct dma_async_tx_descriptor *
vdma_prep_memcpy(struct dma_chan *chan, dma_addr_t dst, dma_addr_t src,
		 size_t len, unsigned long flags)
{
	struct vdma_chan *c = to_vdma_chan(chan);
	struct vdma_desc *d;

	if (!len || len > U32_MAX)
		return NULL;
	d = vdma_desc_get(c);
	if (!d)
		return NULL;
	d->kind = VDMA_MEMCPY;
	d->dir = DMA_MEM_TO_MEM;
	d->dev_addr = dst;
	d->total = len;
	d->segs[0].addr = src;
	d->segs[0].len = len;
	d->nr_segs = 1;
	return vdma_prep(c, d, flags);
}

/* Where in the window a transfer in @dir goes, if @len bytes fit there. */
static bool vdma_window_addr(struct vdma_chan *c,
			     enum dma_transfer_direction dir, size_t len,
			     dma_addr_t *addr)
{
	struct vdma_device *vdma = to_vdma(c);

	if (!c->configured ||
	    (dir != DMA_MEM_TO_DEV && dir != DMA_DEV_TO_MEM))
		return false;
	*addr = dir == DMA_MEM_TO_DEV ? c->cfg.dst_addr : c->cfg.src_addr;
	return *addr >= vdma->window &&
	       *addr - vdma->window <= vdma->window_len &&
	       len <= vdma->window_len - (*addr - vdma->window);
}

static struct dma_async_tx_descriptor *
vdma_prep_slave_sg(struct dma_chan *chan, struct scatterlist *sgl,
		   unsigned int sg_len, enum dma_transfer_direction dir,
		   unsigned long flags, void *context)
{
	struct vdma_chan *c = to_vdma_chan(chan);
	struct scatterlist *sg;
	struct vdma_desc *d;
	dma_addr_t addr;
	size_t total = 0;
	unsigned int i;

	if (!sg_len || sg_len > VDMA_MAX_SEGS)
		return NULL;
	for_each_sg(sgl, sg, sg_len, i) {
		if (!sg_dma_len(sg))
			return NULL;
		total += sg_dma_len(sg);
	}
	if (!vdma_window_addr(c, dir, total, &addr))
		return NULL;
	d = vdma_desc_get(c);
	if (!d)
		return NULL;
	d->kind = VDMA_SLAVE;
	d->dir = dir;
	d->dev_addr = addr;
	d->total = total;
	for_each_sg(sgl, sg, sg_len, i) {
		d->segs[i].addr = sg_dma_address(sg);
		d->segs[i].len = sg_dma_len(sg);
	}
	d->nr_segs = sg_len;
	return vdma_prep(c, d, flags);
}

static struct dma_async_tx_descriptor *
vdma_prep_cyclic(struct dma_chan *chan, dma_addr_t buf, size_t buf_len,
		 size_t period_len, enum dma_transfer_direction dir,
		 unsigned long flags)
{
	struct vdma_chan *c = to_vdma_chan(chan);
	struct vdma_desc *d;
	dma_addr_t addr;

	if (!period_len || buf_len % period_len || buf_len > U32_MAX ||
	    !vdma_window_addr(c, dir, period_len, &addr))
		return NULL;
	d = vdma_desc_get(c);
	if (!d)
		return NULL;
	d->kind = VDMA_CYCLIC;
	d->dir = dir;
	d->dev_addr = addr;
	d->total = buf_len;
	d->period = period_len;
	d->segs[0].addr = buf;
	d->segs[0].len = buf_len;
	d->nr_segs = 1;
	return vdma_prep(c, d, flags);
}

static bool vdma_width_ok(enum dma_slave_buswidth width)
{
	return width == DMA_SLAVE_BUSWIDTH_UNDEFINED ||
	       width == DMA_SLAVE_BUSWIDTH_1_BYTE ||
	       width == DMA_SLAVE_BUSWIDTH_2_BYTES ||
	       width == DMA_SLAVE_BUSWIDTH_4_BYTES ||
	       width == DMA_SLAVE_BUSWIDTH_8_BYTES;
}

static bool vdma_in_window(struct vdma_device *vdma, dma_addr_t addr)
{
	return !addr || (addr >= vdma->window &&
			 addr - vdma->window < vdma->window_len);
}

static int vdma_config(struct dma_chan *chan, struct dma_slave_config *cfg)
{
	struct vdma_chan *c = to_vdma_chan(chan);
	struct vdma_device *vdma = to_vdma(c);
	unsigned long flags;

	if (!vdma_width_ok(cfg->src_addr_width) ||
	    !vdma_width_ok(cfg->dst_addr_width) ||
	    !vdma_in_window(vdma, cfg->src_addr) ||
	    !vdma_in_window(vdma, cfg->dst_addr))
		return -EINVAL;
	spin_lock_irqsave(&c->vc.lock, flags);
	c->cfg = *cfg;
	c->configured = true;
	spin_unlock_irqrestore(&c->vc.lock, flags);
	return 0;
}

static void vdma_issue_pending(struct dma_chan *chan)
{
	struct vdma_chan *c = to_vdma_chan(chan);
	unsigned long flags;

	spin_lock_irqsave(&c->vc.lock, flags);
	if (vchan_issue_pending(&c->vc))
		vdma_chan_queue(c);
	spin_unlock_irqrestore(&c->vc.lock, flags);
	vdma_lane_kick(c->lane);
}

static enum dma_status vdma_tx_status(struct dma_chan *chan,
				      dma_cookie_t cookie,
				      struct dma_tx_state *state)
{
	struct vdma_chan *c = to_vdma_chan(chan);
	struct virt_dma_desc *vd;
	enum dma_status ret;
	unsigned long flags;
	size_t residue = 0;

	ret = dma_cookie_status(chan, cookie, state);
	if (ret == DMA_COMPLETE)
		return ret;

	spin_lock_irqsave(&c->vc.lock, flags);
	if (c->active && c->active->vd.tx.cookie == cookie) {
		residue = c->active->total - c->active->done;
	} else {
		vd = vchan_find_desc(&c->vc, cookie);
		if (vd)
			residue = to_vdma_desc(vd)->total;
	}
	/*
	 * Paused once the step in flight is over: the residue holds, for
	 * the active descriptor and those in line behind it.
	 */
	if (c->paused && !c->busy)
		ret = DMA_PAUSED;
	spin_unlock_irqrestore(&c->vc.lock, flags);
	dma_set_residue(state, residue);
	return ret;
}

static int vdma_pause(struct dma_chan *chan)
{
	struct vdma_chan *c = to_vdma_chan(chan);
	unsigned long flags;

	/* The step in flight finishes; no other starts. */
	spin_lock_irqsave(&c->vc.lock, flags);
	c->paused = true;
	vdma_chan_dequeue(c);
	spin_unlock_irqrestore(&c->vc.lock, flags);
	return 0;
}

static int vdma_resume(struct dma_chan *chan)
{
	struct vdma_chan *c = to_vdma_chan(chan);
	unsigned long flags;

	spin_lock_irqsave(&c->vc.lock, flags);
	c->paused = false;
	vdma_chan_queue(c);
	spin_unlock_irqrestore(&c->vc.lock, flags);
	vdma_lane_kick(c->lane);
	return 0;
}

static int vdma_terminate_all(struct dma_chan *chan)
{
	struct vdma_chan *c = to_vdma_chan(chan);
	struct virt_dma_chan *vc = &c->vc;
	unsigned long flags;
	LIST_HEAD(head);

	spin_lock_irqsave(&vc->lock, flags);
	c->paused = false;
	vdma_chan_dequeue(c);
	/*
	 * The active descriptor may have a step in flight, and its cyclic
	 * callback may be running: it waits for vdma_synchronize().
	 */
	if (c->active) {
		vchan_terminate_vdesc(&c->active->vd);
		c->active = NULL;
	}
	list_splice_tail_init(&vc->desc_allocated, &head);
	list_splice_tail_init(&vc->desc_submitted, &head);
	list_splice_tail_init(&vc->desc_issued, &head);
	list_splice_tail_init(&vc->desc_completed, &head);
	spin_unlock_irqrestore(&vc->lock, flags);

	vchan_dma_desc_free_list(vc, &head);
	return 0;
}

static bool vdma_chan_idle(struct vdma_chan *c)
{
	unsigned long flags;
	bool idle;

	spin_lock_irqsave(&c->vc.lock, flags);
	idle = !c->busy;
	spin_unlock_irqrestore(&c->vc.lock, flags);
	return idle;
}

static void vdma_synchronize(struct dma_chan *chan)
{
	struct vdma_chan *c = to_vdma_chan(chan);

	/* No step of the channel touches memory after this returns. */
	wait_event(c->idle, vdma_chan_idle(c));
	vchan_synchronize(&c->vc);
}

static void vdma_free_chan_resources(struct dma_chan *chan)
{
	struct vdma_chan *c = to_vdma_chan(chan);

	vdma_terminate_all(chan);
	vdma_synchronize(chan);
	vchan_free_chan_resources(&c->vc);
	c->configured = false;
}

/* ---- setting up --------------------------------------------------- */

/**
 * vdma_lane_init() - set up a lane
 * @lane: the lane
 * @ops: the provider's operations
 */
void vdma_lane_init(struct vdma_lane *lane, const struct vdma_lane_ops *ops)
{
	lane->ops = ops;
	spin_lock_init(&lane->lock);
	INIT_LIST_HEAD(&lane->waiting);
}
EXPORT_SYMBOL_GPL(vdma_lane_init);

#define VDMA_WIDTHS	(BIT(DMA_SLAVE_BUSWIDTH_1_BYTE) |	\
			 BIT(DMA_SLAVE_BUSWIDTH_2_BYTES) |	\
			 BIT(DMA_SLAVE_BUSWIDTH_4_BYTES) |	\
			 BIT(DMA_SLAVE_BUSWIDTH_8_BYTES))

/**
 * vdma_init() - set up a provider's dma_device and its channels
 * @vdma: the device; the provider sets @window, @window_len and
 *	@max_step, and after this call each channel's @lane
 * @dev: the device that does the DMA (its DMA masks apply)
 * @nr_chans: channels
 * @nr_descs: descriptors in each channel's pool
 *
 * Memory is device-managed (devm) on @dev.
 *
 * Return: 0 or -ENOMEM.
 */
int vdma_init(struct vdma_device *vdma, struct device *dev,
	      unsigned int nr_chans, unsigned int nr_descs)
{
	struct dma_device *dd = &vdma->ddev;
	struct vdma_chan *c;
	unsigned int i, j;

	vdma->chans = devm_kcalloc(dev, nr_chans, sizeof(*c), GFP_KERNEL);
	if (!vdma->chans)
		return -ENOMEM;
	vdma->nr_chans = nr_chans;

	dd->dev = dev;
	INIT_LIST_HEAD(&dd->channels);
	dma_cap_set(DMA_MEMCPY, dd->cap_mask);
	dma_cap_set(DMA_SLAVE, dd->cap_mask);
	dma_cap_set(DMA_CYCLIC, dd->cap_mask);
	/* Only clients that ask for them get the channels. */
	dma_cap_set(DMA_PRIVATE, dd->cap_mask);
	dd->src_addr_widths = VDMA_WIDTHS;
	dd->dst_addr_widths = VDMA_WIDTHS;
	dd->directions = BIT(DMA_MEM_TO_DEV) | BIT(DMA_DEV_TO_MEM) |
			 BIT(DMA_MEM_TO_MEM);
	dd->residue_granularity = DMA_RESIDUE_GRANULARITY_BURST;
	dd->max_sg_burst = VDMA_MAX_SEGS;
	dd->copy_align = DMAENGINE_ALIGN_1_BYTE;
	dd->device_free_chan_resources = vdma_free_chan_resources;
	dd->device_prep_dma_memcpy = vdma_prep_memcpy;
	dd->device_prep_slave_sg = vdma_prep_slave_sg;
	dd->device_prep_dma_cyclic = vdma_prep_cyclic;
	dd->device_config = vdma_config;
	dd->device_pause = vdma_pause;
	dd->device_resume = vdma_resume;
	dd->device_terminate_all = vdma_terminate_all;
	dd->device_synchronize = vdma_synchronize;
	dd->device_issue_pending = vdma_issue_pending;
	dd->device_tx_status = vdma_tx_status;

	for (i = 0; i < nr_chans; i++) {
		c = &vdma->chans[i];
		c->descs = devm_kcalloc(dev, nr_descs, sizeof(*c->descs),
					GFP_KERNEL);
		if (!c->descs)
			return -ENOMEM;
		INIT_LIST_HEAD(&c->free);
		for (j = 0; j < nr_descs; j++)
			list_add_tail(&c->descs[j].pool_node, &c->free);
		INIT_LIST_HEAD(&c->lane_node);
		init_waitqueue_head(&c->idle);
		c->vc.desc_free = vdma_desc_free;
		vchan_init(&c->vc, dd);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(vdma_init);

/**
 * vdma_register() - make a provider's channels available
 * @vdma: a device set up by vdma_init(), every channel with its lane
 *
 * Return: 0 or the error of dma_async_device_register().
 */
int vdma_register(struct vdma_device *vdma)
{
	return dma_async_device_register(&vdma->ddev);
}
EXPORT_SYMBOL_GPL(vdma_register);

/**
 * vdma_unregister() - withdraw a provider's channels
 * @vdma: a registered device whose channels no client holds
 *
 * Once this returns no step is in flight and no callback runs.
 */
void vdma_unregister(struct vdma_device *vdma)
{
	struct vdma_chan *c;
	unsigned int i;

	dma_async_device_unregister(&vdma->ddev);
	for (i = 0; i < vdma->nr_chans; i++) {
		c = &vdma->chans[i];
		wait_event(c->idle, vdma_chan_idle(c));
		tasklet_kill(&c->vc.task);
	}
}
EXPORT_SYMBOL_GPL(vdma_unregister);

MODULE_DESCRIPTION("dmashim's dmaengine provider core, on virt-dma");
MODULE_LICENSE("GPL");
