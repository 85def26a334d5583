/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vdma - the dmaengine provider core shared by dmashim's providers
 *
 * A provider describes its hardware as lanes: a lane moves one step (a
 * run of bytes between memory and the device's window, or memory and
 * memory) at a time.  The core, built on virt-dma, turns descriptors into
 * steps, feeds each lane from the channels that use it, and does the
 * dmaengine bookkeeping: cookies, residue, pause and resume at step
 * boundaries, termination, synchronisation, cyclic periods.
 *
 * Nothing here sleeps but vdma_synchronize(), and nothing allocates
 * after registration: each channel's descriptors come from a pool made
 * when the device is set up, so every dmaengine operation but
 * device_synchronize may be called from interrupt context.
 */
#ifndef _DMASHIM_VDMA_H
#define _DMASHIM_VDMA_H

#include <linux/dmaengine.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "virt-dma.h"

struct vdma_lane;

/**
 * struct vdma_step - one run of bytes for a lane to move
 * @dir: DMA_MEM_TO_DEV, DMA_DEV_TO_MEM or DMA_MEM_TO_MEM
 * @mem: DMA address of the memory side (the source, for MEM_TO_MEM)
 * @dev: device-window address (the destination's DMA address, for
 *	MEM_TO_MEM)
 * @len: bytes, at most the provider's @max_step
 */
struct vdma_step {
	enum dma_transfer_direction dir;
	dma_addr_t mem;
	dma_addr_t dev;
	u32 len;
};

/**
 * struct vdma_lane_ops - what a provider's hardware does
 * @start: start moving @step; called with no lock held, in any context.
 *	The provider calls vdma_step_done() when the step is over (from its
 *	interrupt handler or worker), never from within @start.
 */
struct vdma_lane_ops {
	void (*start)(struct vdma_lane *lane, const struct vdma_step *step);
};

/**
 * struct vdma_lane - hardware that moves one step at a time
 * @ops: the provider's
 * @lock: protects @owner and @waiting
 * @owner: the channel whose step is in flight, NULL when idle
 * @step: the step in flight, written by whoever made the lane its owner's
 * @waiting: channels with steps to move, first come first served
 */
struct vdma_lane {
	const struct vdma_lane_ops *ops;
	spinlock_t lock;	/* see above */
	struct vdma_chan *owner;
	struct vdma_step step;
	struct list_head waiting;
};

/**
 * struct vdma_seg - a DMA-mapped run of memory of a descriptor
 * @addr: DMA address
 * @len: bytes
 */
struct vdma_seg {
	dma_addr_t addr;
	u32 len;
};

/**
 * enum vdma_kind - what a descriptor does
 * @VDMA_MEMCPY: memory to memory
 * @VDMA_SLAVE: memory segments to or from the device window
 * @VDMA_CYCLIC: a memory ring to or from the device window, period by
 *	period, until terminated
 */
enum vdma_kind {
	VDMA_MEMCPY,
	VDMA_SLAVE,
	VDMA_CYCLIC,
};

/* Segments a slave descriptor can hold. */
#define VDMA_MAX_SEGS	64

/**
 * struct vdma_desc - a transfer, from the channel's pool
 * @vd: virt-dma's descriptor
 * @pool_node: entry in the channel's free list
 * @kind: &enum vdma_kind
 * @dir: the transfer's direction
 * @dev_addr: the device-window address (MEMCPY: the destination)
 * @total: bytes
 * @period: (cyclic) bytes per period
 * @nr_segs: entries of @segs in use
 * @segs: the memory side
 * @seg: (progress) segment of the next byte to move
 * @seg_off: (progress) offset in it
 * @done: (progress) bytes delivered
 */
struct vdma_desc {
	struct virt_dma_desc vd;
	struct list_head pool_node;
	enum vdma_kind kind;
	enum dma_transfer_direction dir;
	dma_addr_t dev_addr;
	size_t total;
	size_t period;
	unsigned int nr_segs;
	struct vdma_seg segs[VDMA_MAX_SEGS];
	unsigned int seg;
	u32 seg_off;
	size_t done;
};

/**
 * struct vdma_chan - a channel
 * @vc: virt-dma's channel; @vc.lock protects the fields below
 * @lane: the hardware the channel's steps run on
 * @cfg: the slave configuration
 * @configured: @cfg was set
 * @active: the descriptor being moved
 * @paused: no new step starts
 * @busy: a step of the channel is in flight
 * @queued: the channel is on its lane's @waiting list
 * @lane_node: entry in that list
 * @idle: woken when @busy clears
 * @free: the descriptor pool
 * @descs: its memory
 */
struct vdma_chan {
	struct virt_dma_chan vc;
	struct vdma_lane *lane;
	struct dma_slave_config cfg;
	bool configured;
	struct vdma_desc *active;
	bool paused;
	bool busy;
	bool queued;
	struct list_head lane_node;
	wait_queue_head_t idle;
	struct list_head free;
	struct vdma_desc *descs;
};

/**
 * struct vdma_device - a provider's dma_device
 * @ddev: the dmaengine device
 * @chans: its channels
 * @nr_chans: how many
 * @window: device-side address of the window slave transfers use
 * @window_len: bytes in the window
 * @max_step: most bytes a step moves
 * @no_start_at_page_end: a step that ends before its segment does must
 *	not leave the next one to start on the last byte of a page (QEMU
 *	7.2's virtio-iommu looks such an access up as [addr, addr + 1],
 *	finds the next page's mapping, and moves the byte before it)
 */
struct vdma_device {
	struct dma_device ddev;
	struct vdma_chan *chans;
	unsigned int nr_chans;
	dma_addr_t window;
	u32 window_len;
	u32 max_step;
	bool no_start_at_page_end;
};

int vdma_init(struct vdma_device *vdma, struct device *dev,
	      unsigned int nr_chans, unsigned int nr_descs);
int vdma_register(struct vdma_device *vdma);
void vdma_unregister(struct vdma_device *vdma);
void vdma_lane_init(struct vdma_lane *lane, const struct vdma_lane_ops *ops);
void vdma_step_done(struct vdma_lane *lane, bool ok);

#endif /* _DMASHIM_VDMA_H */
