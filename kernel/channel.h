/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmashim - dmaengine channels: what channel.c, chan_submit.c and
 * chan_done.c share
 */
#ifndef _DMASHIM_CHANNEL_H
#define _DMASHIM_CHANNEL_H

#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/dmaengine.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <linux/dmashim.h>
#include "dmashim.h"

struct dmashim_chan;

/**
 * struct dmashim_chan_map - a buffer mapped for the channel's device
 * @node: entry in the channel's cache, most recently used first
 * @map: the mapping (bidirectional unless the buffer is read-only)
 * @busy: requests in flight that use it; only an idle one is dropped
 */
struct dmashim_chan_map {
	struct list_head node;
	struct dmashim_mapping *map;
	unsigned int busy;
};

/**
 * struct dmashim_fence - a request's fence, from the channel's pool
 * @base: the dma_fence
 * @chan: the channel, referenced while the fence is out of the pool
 * @node: entry in the pool's free list
 * @pooled: from the pool; else allocated because the pool was empty
 */
struct dmashim_fence {
	struct dma_fence base;
	struct dmashim_chan *chan;
	struct list_head node;
	bool pooled;
};

/**
 * struct dmashim_resv_obj - a reservation object a batch uses
 * @resv: the object, of a buffer's dma-buf
 * @write: a transfer of the batch writes the buffer
 * @fences: fences the batch puts in it
 */
struct dmashim_resv_obj {
	struct dma_resv *resv;
	bool write;
	unsigned int fences;
};

/**
 * struct dmashim_resv_set - the reservation objects of a batch
 * @ctx: the acquire context that locks them together
 * @objs: room for two per request of the pool
 * @n: entries of @objs in use
 */
struct dmashim_resv_set {
	struct ww_acquire_ctx ctx;
	struct dmashim_resv_obj *objs;
	unsigned int n;
};

/**
 * enum dmashim_req_state - where a request is (chan_req.c changes it)
 * @DMASHIM_REQ_FREE: in the pool
 * @DMASHIM_REQ_RESERVED: taken by a submit, being filled
 * @DMASHIM_REQ_PENDING: submitted, its descriptors in the provider's hands
 * @DMASHIM_REQ_ABORTED: terminated; the provider may still touch its
 *	buffers until the channel is synchronised
 * @DMASHIM_REQ_DONE: over, the provider done with it; its final record
 *	waits to be read
 */
enum dmashim_req_state {
	DMASHIM_REQ_FREE,
	DMASHIM_REQ_RESERVED,
	DMASHIM_REQ_PENDING,
	DMASHIM_REQ_ABORTED,
	DMASHIM_REQ_DONE,
};

/**
 * struct dmashim_req - a submitted transfer, from the channel's pool
 * @node: entry in the free list, or the channel's pending or aborted list
 * @report_node: entry in the channel's list of requests with a record to
 *	read (empty when not on it)
 * @chan: the channel
 * @state: &enum dmashim_req_state
 * @kind: &enum dmashim_xfer_kind
 * @user_data: for the records
 * @src: mapping of the source buffer, or NULL
 * @dst: mapping of the destination buffer, or NULL
 * @src_ranges: byte ranges of @src the device reads, synced for the
 *	device before it starts
 * @nr_src_ranges: entries in @src_ranges
 * @dst_ranges: byte ranges of @dst the device writes, synced for the CPU
 *	at completion
 * @nr_dst_ranges: entries in @dst_ranges
 * @src_span: the bytes @src_ranges cover, first to last
 * @dst_span: the bytes @dst_ranges cover, first to last
 * @length: bytes the transfer moves (the ring, for a cyclic one)
 * @period: (cyclic) bytes per period
 * @cookies: the cookies of the request's descriptors, in order
 * @nr_descs: descriptors of the request
 * @descs_done: of which finished
 * @status: (done) &enum dmashim_xfer_status of the final record
 * @residue: bytes not moved (cyclic: to the end of the ring)
 * @periods: (cyclic) periods ended and not yet reported
 * @ring_pos: (cyclic) where the last reported period ended
 * @timestamp: when the last event happened
 * @fence: signalled when the request is over
 * @batch_last: the last request of its batch, whose fence reports the
 *	batch's failure
 * @batch_failed: (@batch_last) a request of the batch failed
 * @work: syncs the destination for the CPU and reports, in process
 *	context, after a completion
 */
struct dmashim_req {
	struct list_head node;
	struct list_head report_node;
	struct dmashim_chan *chan;
	enum dmashim_req_state state;
	u32 kind;
	u64 user_data;
	struct dmashim_chan_map *src;
	struct dmashim_chan_map *dst;
	struct dmashim_range src_ranges[DMASHIM_MAX_RANGES];
	unsigned int nr_src_ranges;
	struct dmashim_range dst_ranges[DMASHIM_MAX_RANGES];
	unsigned int nr_dst_ranges;
	struct dmashim_range src_span;
	struct dmashim_range dst_span;
	u64 length;
	u64 period;
	dma_cookie_t *cookies;
	unsigned int nr_descs;
	unsigned int descs_done;
	u32 status;
	u64 residue;
	u32 periods;
	u64 ring_pos;
	ktime_t timestamp;
	struct dmashim_fence *fence;
	struct dmashim_req *batch_last;
	bool batch_failed;
	struct work_struct work;
};

/**
 * struct dmashim_chan - a channel opened through dmashim
 * @ref: the file holds one, and every fence out of the pool
 * @chan: the dmaengine channel, NULL once given back
 * @dd: the channel's DMA device (dmaengine_get_dma_device())
 * @user: revokes the channel with @dd
 * @caps: what the channel does (&enum dmashim_chan_caps)
 * @slave_caps: what dma_get_slave_caps() said
 * @name: the channel's name
 * @rawio: the opener of the context it was opened through had
 *	%CAP_SYS_RAWIO (raw slave addresses, policy.c)
 * @record_size: bytes of each record read() returns (the opener's
 *	sizeof(struct dmashim_record))
 * @share: that opener's share of @dd, which its mappings hold
 * @limited: that opener is held to its share
 * @lock: protects what the completion path touches: the request lists,
 *	@descs_used, @paused, @dead, the reports
 * @paused: the channel is paused
 * @configured: a slave configuration was given
 * @dead: the channel was given back (revoked with its device)
 * @free_reqs: the request pool
 * @pending: submitted requests, oldest first
 * @aborted: terminated requests waiting for the channel to be synchronised
 * @reports: requests with a record to read, in the order of their events
 * @descs_total: descriptors the channel may have in flight
 * @descs_used: of which in flight
 * @wait: readers and pollers
 * @op_lock: serialises the ioctls that change the channel and the cache
 * @read_lock: serialises readers
 * @wq: completes requests in order (ordered workqueue)
 * @cache: &struct dmashim_chan_map, most recently used first
 * @cache_len: entries in @cache
 * @staging: @nr_reqs transfers copied from userspace by a submit
 * @staging_ranges: %DMASHIM_MAX_RANGES ranges for each of them
 * @batch: the requests of a submit
 * @plan_descs: @descs_total descriptors a submit prepares
 * @plan_sgl: the scatterlist of a slave transfer being prepared
 * @reuse: the provider can reuse descriptors (DMA_CTRL_REUSE)
 * @resv: the reservation objects of a submit
 * @reqs: the requests' memory
 * @nr_reqs: requests in the pool
 * @fence_lock: the fences' lock
 * @fence_context: the channel's fence timeline
 * @fence_seqno: the last seqno handed out
 * @free_fences: the fence pool
 * @fences: the fences' memory
 * @sync_work: synchronises the channel after an asynchronous terminate,
 *	then lets the aborted requests end
 * @free_work: frees the channel after its last reference, in process
 *	context (the last may be a fence signalled in interrupt context)
 */
struct dmashim_chan {
	struct kref ref;
	struct dma_chan *chan;
	struct dmashim_dev *dd;
	struct dmashim_user user;
	u32 caps;
	struct dma_slave_caps slave_caps;
	char name[DMASHIM_CHAN_NAME_LEN];
	bool rawio;
	u32 record_size;
	struct dmashim_share *share;
	bool limited;

	spinlock_t lock;	/* see above */
	bool paused;
	bool configured;
	bool dead;
	struct list_head free_reqs;
	struct list_head pending;
	struct list_head aborted;
	struct list_head reports;
	unsigned int descs_total;
	unsigned int descs_used;
	wait_queue_head_t wait;

	struct mutex op_lock;	/* see above */
	struct mutex read_lock;	/* see above */
	struct workqueue_struct *wq;
	struct list_head cache;
	unsigned int cache_len;
	struct dmashim_xfer *staging;
	struct dmashim_range *staging_ranges;
	struct dmashim_req **batch;
	struct dma_async_tx_descriptor **plan_descs;
	struct scatterlist *plan_sgl;
	bool reuse;
	struct dmashim_resv_set resv;

	struct dmashim_req *reqs;
	unsigned int nr_reqs;

	spinlock_t fence_lock;	/* the fences' */
	u64 fence_context;
	u64 fence_seqno;
	struct list_head free_fences;
	struct dmashim_fence *fences;

	struct work_struct sync_work;
	struct work_struct free_work;
};

/* channel.c */
void dmashim_chan_put(struct dmashim_chan *ch);
u32 dmashim_chan_state(struct dmashim_chan *ch);
void dmashim_chan_give_back(struct dmashim_chan *ch);

/* chan_submit.c */
int dmashim_chan_submit(struct dmashim_chan *ch,
			struct dmashim_chan_submit *sub,
			struct dmashim_new_fd *nfd);
void dmashim_chan_cache_drop_all(struct dmashim_chan *ch);

/* chan_fence.c */
int dmashim_batch_wait_in(struct dmashim_chan *ch, int fd);
int dmashim_batch_wait(struct dma_fence *fence);
int dmashim_batch_hazard(struct dmashim_chan *ch, unsigned int count,
			 struct dma_fence **wait);
int dmashim_batch_lock(struct dmashim_chan *ch, unsigned int count,
		       struct dma_fence **wait);
void dmashim_batch_unlock(struct dmashim_chan *ch);
void dmashim_batch_fence(struct dmashim_chan *ch, unsigned int count);

/* Scatter-gather entries of a slave transfer. */
#define DMASHIM_SLAVE_SEGS	64

/* chan_req.c */
struct dmashim_req *dmashim_req_reserve_locked(struct dmashim_chan *ch);
void dmashim_req_submitted_locked(struct dmashim_req *req);
void dmashim_req_end_locked(struct dmashim_req *req, u32 status);
void dmashim_req_abort_locked(struct dmashim_req *req);
void dmashim_chan_synced(struct dmashim_chan *ch);
void dmashim_req_release(struct dmashim_req *req);

/* chan_done.c */
void dmashim_req_callback(void *param, const struct dmaengine_result *res);
void dmashim_req_work(struct work_struct *work);
void dmashim_fence_end(struct dma_fence *fence, int error);
struct dmashim_fence *dmashim_fence_get(struct dmashim_chan *ch);
void dmashim_fence_pool_put(struct dmashim_fence *f);
ssize_t dmashim_chan_read(struct file *file, char __user *buf, size_t count,
			  loff_t *ppos);
__poll_t dmashim_chan_poll(struct file *file, struct poll_table_struct *wait);

#endif /* _DMASHIM_CHANNEL_H */
