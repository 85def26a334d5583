/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmashim - internal declarations shared by the module's files
 */
#ifndef _DMASHIM_H
#define _DMASHIM_H

#include <linux/bits.h>
#include <linux/device.h>
#include <linux/dma-direction.h>
#include <linux/iosys-map.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <linux/dmashim.h>

#include "compat.h"

struct dentry;
struct file;
struct dma_buf;
struct dma_chan;
struct dma_buf_attachment;
struct dmashim_alloc;
struct dmashim_bind;
struct dmashim_chan_open;
struct dmashim_info;
struct dmashim_map;
struct dmashim_pin;
struct dmashim_pool;
struct dmashim_segment;
struct dmashim_segments;
struct dmashim_stats;
struct dmashim_sync;
struct dmashim_unmap;
struct sg_table;

/**
 * struct dmashim_new_fd - a file an ioctl made, and the descriptor
 *	reserved for it
 * @fd: the descriptor (get_unused_fd_flags()), -1 if none
 * @file: the file; its reference goes to the descriptor table
 *
 * The ioctl dispatcher installs @file only once the caller's struct, with
 * @fd in it, has been copied back; if that fails it puts both, and the
 * caller never sees the file (ioctl.c).
 */
struct dmashim_new_fd {
	int fd;
	struct file *file;
};

/**
 * enum dmashim_user_stage - when a user of a revoked device is revoked
 * @DMASHIM_USER_DMA: what drives DMA (channels): stopped first
 * @DMASHIM_USER_MAPPING: mappings: torn down once no DMA moves
 * @DMASHIM_USER_MEMORY: memory of the device (coherent buffers): freed
 *	last, once nothing of the device uses it
 * @DMASHIM_USER_STAGES: how many
 */
enum dmashim_user_stage {
	DMASHIM_USER_DMA,
	DMASHIM_USER_MAPPING,
	DMASHIM_USER_MEMORY,
	DMASHIM_USER_STAGES,
};

/**
 * struct dmashim_user - something using a device for DMA
 * @node: entry in the device's list of users
 * @stage: &enum dmashim_user_stage
 * @revoke: stop using the device, now: called with the device's @sem
 *	held for writing, when its driver unbinds
 */
struct dmashim_user {
	struct list_head node;
	enum dmashim_user_stage stage;
	void (*revoke)(struct dmashim_user *user);
};

/**
 * struct dmashim_dev - a device dmashim maps memory for
 * @ref: references: each bound context holds one, the default device
 *	holds one for the module's lifetime
 * @node: entry in the list of devices in use (dmashim_devs)
 * @dev: the device; a reference is held (get_device())
 * @sem: read-held by everyone using @dev for DMA; write-held while the
 *	device is revoked
 * @gone: set (under @sem, write) when the device's driver unbinds or the
 *	device is removed; nothing may use @dev for DMA afterwards
 * @claimed: dmashim became the device's driver to use it; released with
 *	the last reference
 * @is_default: this is the module's own default device
 * @translated: an IOMMU translates the device's DMA (a DMA domain)
 * @lazy: it does so with a flush queue (DMA-FQ domain)
 * @pool: the device's bounce pool, NULL if it could not be allocated
 * @users_lock: protects @users
 * @users: &struct dmashim_user entries: what uses the device for DMA
 * @share_lock: protects @shares and their address space counts
 * @shares: each user's &struct dmashim_share of the device
 * @share_refusals: requests refused because a user's share was full
 * @debugfs: the device's debugfs directory
 *
 * One exists per struct device in use, shared by every context bound to
 * that device, so that a driver unbind revokes all of them at once.
 */
struct dmashim_dev {
	struct kref ref;
	struct list_head node;
	struct device *dev;
	struct rw_semaphore sem;
	bool gone;
	bool claimed;
	bool is_default;
	bool translated;
	bool lazy;
	struct dmashim_pool *pool;
	struct mutex users_lock;	/* protects @users */
	struct list_head users;
	spinlock_t share_lock;		/* protects @shares */
	struct list_head shares;
	atomic64_t share_refusals;
	struct dentry *debugfs;
};

/**
 * struct dmashim_share - what one user holds of a device (share.c)
 * @node: entry in the device's @shares
 * @dd: the device, referenced
 * @uid: the user
 * @refs: references, under the device's @share_lock
 * @slots: bounce pool slots held, under the pool's lock (bounce.c)
 * @space: bytes of the device's DMA address space held, under the
 *	device's @share_lock
 */
struct dmashim_share {
	struct list_head node;
	struct dmashim_dev *dd;
	kuid_t uid;
	unsigned int refs;
	unsigned long slots;
	u64 space;
};

/**
 * struct dmashim_ctx - an open file of /dev/dmashim
 * @file: the context's file, whose opener's credentials every permission
 *	is checked against (policy.c)
 * @dd: the device the context maps for (the default device until bound)
 * @share: the opener's share of @dd
 * @limited: the opener is held to its share (no %CAP_SYS_ADMIN)
 * @bound: the context was bound to a named device (it binds only once)
 * @mappings: the context's &struct dmashim_mapping entries, by handle
 */
struct dmashim_ctx {
	/** @lock: serialises binding and the mapping ioctls */
	struct mutex lock;
	const struct file *file;
	struct dmashim_dev *dd;
	struct dmashim_share *share;
	bool limited;
	bool bound;
	struct xarray mappings;
};

/**
 * struct dmashim_charge - locked memory charged to a user (account.c)
 * @user: who is charged, referenced; NULL for no charge
 * @pages: how much
 */
struct dmashim_charge {
	struct user_struct *user;
	unsigned long pages;
};

/**
 * enum dmashim_buf_origin - where a buffer's memory comes from
 * @DMASHIM_ORIGIN_PAGES: allocated pages, not necessarily contiguous
 * @DMASHIM_ORIGIN_CONTIGUOUS: one physically contiguous block
 * @DMASHIM_ORIGIN_COHERENT: dma_alloc_coherent() for a device
 * @DMASHIM_ORIGIN_PINNED: the user's memory, pinned
 *
 * The first three are &enum dmashim_buf_kind values.
 */
enum dmashim_buf_origin {
	DMASHIM_ORIGIN_PAGES,
	DMASHIM_ORIGIN_CONTIGUOUS,
	DMASHIM_ORIGIN_COHERENT,
	DMASHIM_ORIGIN_PINNED,
};

struct dmashim_buf;
struct vm_area_struct;

/**
 * struct dmashim_pinned_span - the bytes of one page a pinned buffer holds
 * @pfn: the page's frame
 * @start: first byte, in the page
 * @end: one past the last
 */
struct dmashim_pinned_span {
	unsigned long pfn;
	u32 start;
	u32 end;
};

/**
 * struct dmashim_buf_ops - what each origin of buffer memory does its way
 * @release: free the memory and what holds it, whatever of it was set up
 *	(the rest of the buffer is dmashim_buf_destroy()'s)
 * @mmap: map the memory for userspace; the buffer's @lock held
 * @vmap: a kernel mapping of the whole pages, or NULL; @lock held
 * @vunmap: undo @vmap; @lock held
 *
 * Given once, when the buffer is created: the one place that knows how
 * the memory of that origin is handled.
 */
struct dmashim_buf_ops {
	void (*release)(struct dmashim_buf *buf);
	int (*mmap)(struct dmashim_buf *buf, struct vm_area_struct *vma);
	void *(*vmap)(struct dmashim_buf *buf);
	void (*vunmap)(struct dmashim_buf *buf, void *vaddr);
};

/**
 * struct dmashim_buf - memory dmashim exports as a dma-buf
 * @dmabuf: the dma-buf; its release frees the buffer
 * @origin: &enum dmashim_buf_origin
 * @ops: how memory of that origin is handled
 * @size: bytes (the dma-buf's size; for pinned memory, the bytes asked
 *	for, and the dma-buf is the whole pages they lie in)
 * @sgt: the memory as pages: every byte of the buffer, in order, with
 *	its first page offset for pinned memory
 * @pages: every page, in order, for mmap and vmap
 * @nr_pages: entries in @pages
 * @writable: devices may write the memory (always, but for memory pinned
 *	without %DMASHIM_PIN_DEVICE_WRITES)
 * @lock: protects @attachments, @vaddr, @vmap_count and @dead
 * @attachments: the buffer's &struct dmashim_attachment entries
 * @bounced_lock: protects @bounced; taken before @lock
 * @bounced: dmashim mappings of the buffer that bounce, which CPU access
 *	through DMA_BUF_IOCTL_SYNC must sync as well
 * @vaddr: kernel mapping while @vmap_count is not zero
 * @vmap_count: users of @vaddr
 * @dead: the memory is gone (a coherent buffer whose device was revoked)
 * @dd: (coherent) the device the memory was allocated for
 * @cpu_addr: (coherent) the allocation's kernel address
 * @dma_addr: (coherent) the allocation's DMA address for @dd
 * @user: (coherent) revokes the allocation with @dd
 * @share: (coherent) the allocator's share of @dd, which holds the
 *	allocation's address space
 * @charge: the memory, charged to its allocator's locked memory
 * @spans: (pinned) the bytes of each page it holds, sorted by frame:
 *	another buffer may pin the same memory (dmashim_pinned_overlap())
 */
struct dmashim_buf {
	struct dma_buf *dmabuf;
	enum dmashim_buf_origin origin;
	const struct dmashim_buf_ops *ops;
	size_t size;
	struct sg_table *sgt;
	struct page **pages;
	unsigned long nr_pages;
	bool writable;
	struct mutex lock;		/* see above */
	struct list_head attachments;
	struct mutex bounced_lock;	/* protects @bounced */
	struct list_head bounced;
	void *vaddr;
	unsigned int vmap_count;
	bool dead;
	struct dmashim_dev *dd;
	void *cpu_addr;
	dma_addr_t dma_addr;
	struct dmashim_user user;
	struct dmashim_share *share;
	struct dmashim_charge charge;
	struct dmashim_pinned_span *spans;
};

/**
 * enum dmashim_piece_kind - how a piece of a mapping reaches the device
 * @DMASHIM_PIECE_ATTACHED: a DMA segment of the buffer's dma-buf
 *	attachment, mapped by the exporter
 * @DMASHIM_PIECE_MAPPED: pages of a dmashim buffer mapped by dmashim
 *	itself with dma_map_page()
 * @DMASHIM_PIECE_BOUNCED: a copy in the device's bounce pool
 * @DMASHIM_PIECE_COHERENT: a coherent buffer on its own device: mapped
 *	already, nothing to sync
 */
enum dmashim_piece_kind {
	DMASHIM_PIECE_ATTACHED,
	DMASHIM_PIECE_MAPPED,
	DMASHIM_PIECE_BOUNCED,
	DMASHIM_PIECE_COHERENT,
};

/**
 * struct dmashim_piece - a byte range of a mapping and its device address
 * @offset: first byte, in the buffer
 * @length: bytes
 * @dma: device address of the first byte
 * @kind: &enum dmashim_piece_kind
 * @slot: (bounced) first pool slot
 * @nr_slots: (bounced) pool slots held
 */
struct dmashim_piece {
	u64 offset;
	u64 length;
	dma_addr_t dma;
	u32 kind;
	u32 slot;
	u32 nr_slots;
};

/**
 * struct dmashim_mapping - a buffer mapped for a context's device
 * @id: handle, unique in the system (debugfs names it)
 * @buf_node: (bounced dmashim buffers) entry in the buffer's @bounced
 * @dd: the device, referenced
 * @dmabuf: the buffer, referenced
 * @buf: the dmashim buffer behind @dmabuf, NULL for a foreign dma-buf
 * @attach: the attachment, NULL for a foreign buffer that bounces
 * @sgt: the attachment's mapping, if the exporter mapped it
 * @vmap: (bounced foreign buffers) the buffer's kernel mapping
 * @vmapped: @vmap is set
 * @dir: DMA direction
 * @length: bytes mapped
 * @mapped_flags: &enum dmashim_mapped_flags (without ADDRS_HIDDEN)
 * @pieces: how each byte range reaches the device, in buffer order
 * @nr_pieces: entries in @pieces
 * @segs: @pieces split at the device's segment size and boundary
 * @nr_segs: entries in @segs
 * @user: revokes the mapping with @dd
 * @share: its owner's share of @dd, referenced
 * @limited: its owner is held to that share
 * @space: bytes of @dd's address space @share holds for it
 * @live: the mapping was set up completely: the device may have written
 * @dead: the DMA side was torn down (unmapped, or the device revoked)
 * @owner_syncs: %DMASHIM_MAP_OWNER_SYNCS: teardown copies nothing back
 *	(no copy out of a bounce slot, DMA_ATTR_SKIP_CPU_SYNC on unmap),
 *	which would overwrite what the CPU wrote since with stale bytes
 * @cpu_access: (foreign, bounced) dmashim_foreign_bounce() holds the CPU
 *	access its copies need
 * @debugfs: the mapping's debugfs directory
 */
struct dmashim_mapping {
	u32 id;
	struct list_head buf_node;
	struct dmashim_dev *dd;
	struct dma_buf *dmabuf;
	struct dmashim_buf *buf;
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
	struct iosys_map vmap;
	bool vmapped;
	enum dma_data_direction dir;
	u64 length;
	u32 mapped_flags;
	struct dmashim_piece *pieces;
	unsigned int nr_pieces;
	struct dmashim_segment *segs;
	unsigned int nr_segs;
	struct dmashim_user user;
	struct dmashim_share *share;
	bool limited;
	u64 space;
	bool live;
	bool dead;
	bool owner_syncs;
	bool cpu_access;
	struct dentry *debugfs;
};

/* device.c */
void dmashim_dev_add_user(struct dmashim_dev *dd, struct dmashim_user *user);
void dmashim_dev_del_user(struct dmashim_dev *dd, struct dmashim_user *user);
bool dmashim_dev_limited(struct dmashim_dev *dd);
int dmashim_devs_init(void);
void dmashim_devs_exit(void);
struct dmashim_dev *dmashim_dev_default(void);
struct dmashim_dev *dmashim_dev_find(const char *name, u32 dma_bits,
				     u32 flags);
struct dmashim_dev *dmashim_dev_get(struct device *dev, u32 dma_bits,
				    u32 flags);
void dmashim_dev_put(struct dmashim_dev *dd);
int dmashim_dev_read_lock(struct dmashim_dev *dd);
void dmashim_dev_read_unlock(struct dmashim_dev *dd);

/* claim.c */
int dmashim_claim_init(void);
void dmashim_claim_exit(void);
bool dmashim_is_our_driver(struct device *dev);
bool dmashim_is_system_device(struct device *dev);
int dmashim_claim(struct device *dev);
void dmashim_unclaim(struct device *dev);

/* default.c */
int dmashim_default_init(unsigned int dma_bits);
void dmashim_default_exit(void);
struct device *dmashim_default_device(void);

/* policy.c */
bool dmashim_opener_capable(const struct file *opener, int cap);
int dmashim_may_bind(const struct file *opener, const char *name);
bool dmashim_may_use_chan(const struct file *opener, struct dma_chan *chan);
int dmashim_may_address(struct dma_chan *chan, bool rawio);

/* account.c */
int dmashim_charge_pages(struct dmashim_charge *charge,
			 const struct file *opener, unsigned long nr_pages);
void dmashim_uncharge_pages(struct dmashim_charge *charge);

/* share.c */
u64 dmashim_share_limit(u64 total);
struct dmashim_share *dmashim_share_get(struct dmashim_dev *dd,
					const struct file *opener);
struct dmashim_share *dmashim_share_hold(struct dmashim_share *s);
void dmashim_share_put(struct dmashim_share *s);
int dmashim_share_take_space(struct dmashim_share *s, bool limited,
			     u64 bytes);
void dmashim_share_give_space(struct dmashim_share *s, u64 bytes);

/* context.c */
struct dmashim_ctx *dmashim_ctx_create(const struct file *file);
void dmashim_ctx_destroy(struct dmashim_ctx *ctx);
int dmashim_ctx_bind(struct dmashim_ctx *ctx, struct dmashim_bind *bind);
int dmashim_ctx_info(struct dmashim_ctx *ctx, struct dmashim_info *info);
int dmashim_ctx_stats(struct dmashim_ctx *ctx, struct dmashim_stats *stats);

/* info.c */
int dmashim_info_fill(struct dmashim_dev *dd, struct dmashim_info *info);
bool dmashim_iommu_translates(struct device *dev);
bool dmashim_iommu_lazy(struct device *dev);

/* buffer.c */
int dmashim_buf_alloc(struct dmashim_ctx *ctx, struct dmashim_alloc *alloc,
		      struct dmashim_new_fd *nfd);
struct dmashim_buf *dmashim_buf_create(enum dmashim_buf_origin origin,
				       const struct dmashim_buf_ops *ops,
				       size_t size);
void dmashim_buf_destroy(struct dmashim_buf *buf);
int dmashim_buf_check_length(u64 length);
int dmashim_buf_copy(struct dmashim_buf *buf, u64 offset, void *to,
		     const void *from, size_t len);
bool dmashim_buf_coherent_for(struct dmashim_buf *buf, struct device *dev);

/* pin.c */
int dmashim_pin(struct dmashim_ctx *ctx, struct dmashim_pin *pin,
		struct dmashim_new_fd *nfd);
bool dmashim_pinned_overlap(const struct dmashim_buf *a,
			    const struct dmashim_buf *b);

/* dmabuf.c */
struct dmashim_buf *dmashim_dmabuf_to_buf(struct dma_buf *dmabuf);
int dmashim_dmabuf_access(struct dma_buf *dmabuf, enum dma_data_direction dir);
void dmashim_dmabuf_unmap_synced(struct dma_buf_attachment *attach,
				 struct sg_table *sgt,
				 enum dma_data_direction dir);
int dmashim_buf_usable_by(struct dmashim_buf *buf, struct device *dev);
int dmashim_dmabuf_export(struct dmashim_buf *buf, u32 fd_flags,
			  struct dmashim_new_fd *nfd);
bool dmashim_fd_flags_valid(u32 fd_flags);

/* bounce.c */
struct dmashim_pool *dmashim_pool_create(struct device *dev, bool translated);
void dmashim_pool_destroy(struct device *dev, struct dmashim_pool *pool);
int dmashim_pool_get(struct dmashim_pool *pool, struct dmashim_share *share,
		     bool limited, u64 length, unsigned int head,
		     struct dmashim_piece *piece);
void dmashim_pool_put(struct dmashim_pool *pool, struct dmashim_share *share,
		      struct dmashim_piece *piece);
void *dmashim_pool_vaddr(struct dmashim_pool *pool,
			 const struct dmashim_piece *piece);
void dmashim_pool_count(struct dmashim_pool *pool, bool to_device, u64 bytes);
void dmashim_pool_count_mapping(struct dmashim_pool *pool);
void dmashim_pool_stats(struct dmashim_pool *pool,
			struct dmashim_stats *stats);
int dmashim_bounce_piece(struct dmashim_mapping *map, struct dmashim_piece *p,
			 u64 offset, u64 len, bool to_device);
int dmashim_bounce(struct dmashim_mapping *map, u64 offset, u64 length,
		   bool to_device);
int dmashim_foreign_bounce(struct dmashim_mapping *map, u64 offset,
			   u64 length, bool to_device);

/*
 * dmashim_mapping_create() @flags beyond &enum dmashim_map_flags: refuse
 * (-EOPNOTSUPP) a foreign buffer the device would need the pool for.
 */
#define DMASHIM_MAP_NO_FOREIGN_BOUNCE	BIT(31)
/*
 * dmashim_mapping_create() @flags: the mapping's owner syncs for the CPU
 * every range the device writes, once it is written (a channel's cache);
 * the CPU owns the memory between transfers, so teardown gives it back
 * without copying the device's view over it (&dmashim_mapping.owner_syncs).
 */
#define DMASHIM_MAP_OWNER_SYNCS		BIT(30)

/* mapping.c */
int dmashim_map(struct dmashim_ctx *ctx, struct dmashim_map *map);
struct dmashim_mapping *dmashim_mapping_create(struct dmashim_dev *dd,
					       struct dmashim_share *share,
					       bool limited,
					       struct dma_buf *dmabuf,
					       enum dma_data_direction dir,
					       u32 flags, bool revocable);
void dmashim_mapping_destroy(struct dmashim_mapping *map);
void dmashim_mapping_revoke_now(struct dmashim_mapping *map);
int dmashim_mapping_copy_back(struct dmashim_mapping *map);
int dmashim_unmap(struct dmashim_ctx *ctx, struct dmashim_unmap *unmap);
int dmashim_segments(struct dmashim_ctx *ctx, struct dmashim_segments *segs);
void dmashim_unmap_all(struct dmashim_ctx *ctx);
struct dmashim_mapping *dmashim_mapping_find(struct dmashim_ctx *ctx,
					     u64 handle);
struct dmashim_piece *dmashim_piece_at(struct dmashim_mapping *map,
				       u64 offset);

/* Whether @p, from dmashim_piece_at() on, still holds bytes before @end. */
static inline bool dmashim_piece_before(struct dmashim_mapping *map,
					struct dmashim_piece *p, u64 end)
{
	return p < map->pieces + map->nr_pieces && p->offset < end;
}

/*
 * The DMA API's direction for a valid &enum dmashim_dir: the uAPI has
 * its own values, whatever the kernel's enum says.
 */
static inline enum dma_data_direction dmashim_dma_dir(u32 dir)
{
	switch (dir) {
	case DMASHIM_DIR_TO_DEVICE:
		return DMA_TO_DEVICE;
	case DMASHIM_DIR_FROM_DEVICE:
		return DMA_FROM_DEVICE;
	default:
		return DMA_BIDIRECTIONAL;
	}
}

/* sync.c */
int dmashim_sync(struct dmashim_ctx *ctx, struct dmashim_sync *sync);
int dmashim_mapping_sync(struct dmashim_mapping *map, u64 offset,
			 u64 length, enum dma_data_direction dir, bool for_cpu);

/* debugfs.c */
void dmashim_debugfs_init(void);
void dmashim_debugfs_exit(void);
void dmashim_debugfs_add_dev(struct dmashim_dev *dd);
void dmashim_debugfs_add_mapping(struct dmashim_mapping *map);

/* main.c */
extern struct workqueue_struct *dmashim_wq;

/* ioctl.c */
long dmashim_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int dmashim_new_fd_reserve(struct dmashim_new_fd *nfd, struct file *file,
			   u32 fd_flags);

/* channel.c */
int dmashim_chan_open(struct dmashim_ctx *ctx, struct dmashim_chan_open *req,
		      struct dmashim_new_fd *nfd);

#endif /* _DMASHIM_H */
