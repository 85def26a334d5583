// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - mappings: DMASHIM_IOCTL_MAP, _UNMAP and _SEGMENTS
 *
 * A mapping is a buffer made visible to the context's device, described
 * as pieces: byte ranges of the buffer and the device address of each.
 * How a piece reaches the device:
 *
 * - Normally the buffer is attached to the device and mapped by its
 *   exporter (dma_buf_map_attachment(), dma_map_sgtable() in dmashim's
 *   exporter): each DMA segment is a piece.  IOMMUs remap anything, and a
 *   device that reaches all of memory needs no help.
 * - A device without IOMMU that cannot reach all of memory ("limited"),
 *   or a mapping that asks to bounce, needs dmashim's bounce pool.  For a
 *   dmashim buffer, whose pages are known, each contiguous run of the
 *   buffer is checked: a run the device reaches is mapped with
 *   dma_map_page(), any other run (all of them when the kernel forces
 *   swiotlb, whose pool may be out of reach too, or when asked) is
 *   bounced.  A foreign buffer's pages are the exporter's business: it is
 *   bounced whole, through its kernel mapping (dma_buf_vmap()).
 *
 * Pieces are reported as segments split at the device's maximum segment
 * size and segment boundary.  Handles are unique system-wide, so debugfs
 * can name mappings; each context keeps its own in an xarray.
 */

#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/dma-buf.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/idr.h>
#include <linux/delay.h>
#include <linux/iosys-map.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>
#include <linux/uaccess.h>

#include <linux/dmashim.h>
#include "compat.h"
#include "dmashim.h"
#include "ioctl.h"

static DEFINE_IDA(dmashim_mapping_ids);

/**
 * dmashim_piece_at() - the piece of a mapping that holds a byte
 * @map: a mapping with pieces
 * @offset: the byte, from the start of the buffer
 *
 * Return: the piece, or the last one if @offset is beyond the mapping.
 */
struct dmashim_piece *dmashim_piece_at(struct dmashim_mapping *map,
				       u64 offset)
{
	unsigned int lo = 0, hi = map->nr_pieces, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (map->pieces[mid].offset <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return &map->pieces[lo];
}

static int dmashim_alloc_pieces(struct dmashim_mapping *map, unsigned int n)
{
	map->pieces = kvcalloc(n, sizeof(*map->pieces), GFP_KERNEL);
	return map->pieces ? 0 : -ENOMEM;
}

/* The exporter maps the buffer: its DMA segments are the pieces. */
static int dmashim_map_attached(struct dmashim_mapping *map)
{
	struct device *dev = map->dd->dev;
	struct dmashim_buf *buf = map->buf;
	struct dmashim_piece *p;
	struct scatterlist *sg;
	u32 kind = DMASHIM_PIECE_ATTACHED;
	unsigned int i;
	u64 offset = 0;
	int ret;

	map->attach = dma_buf_attach(map->dmabuf, dev);
	if (IS_ERR(map->attach)) {
		ret = PTR_ERR(map->attach);
		map->attach = NULL;
		return ret;
	}
	map->sgt = dma_buf_map_attachment_unlocked(map->attach, map->dir);
	if (IS_ERR(map->sgt)) {
		ret = PTR_ERR(map->sgt);
		map->sgt = NULL;
		return ret;
	}
	ret = dmashim_alloc_pieces(map, map->sgt->nents);
	if (ret)
		return ret;

	if (dmashim_buf_coherent_for(buf, dev))
		kind = DMASHIM_PIECE_COHERENT;
	for_each_sgtable_dma_sg(map->sgt, sg, i) {
		p = &map->pieces[map->nr_pieces++];
		p->offset = offset;
		p->length = sg_dma_len(sg);
		p->dma = sg_dma_address(sg);
		p->kind = kind;
		offset += p->length;
	}
	map->length = offset;
	return 0;
}

/* A dmashim buffer for a limited device: run by run, mapped or bounced. */
static int dmashim_map_runs(struct dmashim_mapping *map, bool bounce_all)
{
	struct device *dev = map->dd->dev;
	struct sg_table *sgt = map->buf->sgt;
	bool force = bounce_all || is_swiotlb_force_bounce(dev);
	struct dmashim_piece *p;
	struct scatterlist *sg;
	unsigned int i;
	u64 offset = 0;
	int ret;

	ret = dmashim_alloc_pieces(map, sgt->orig_nents);
	if (ret)
		return ret;
	for_each_sgtable_sg(sgt, sg, i) {
		p = &map->pieces[map->nr_pieces];
		p->offset = offset;
		p->length = sg->length;
		if (!force && dma_capable(dev, phys_to_dma(dev, sg_phys(sg)),
					  sg->length, true)) {
			p->dma = dma_map_page(dev, sg_page(sg), sg->offset,
					      sg->length, map->dir);
			if (dma_mapping_error(dev, p->dma))
				return -ENOMEM;
			p->kind = DMASHIM_PIECE_MAPPED;
		} else {
			ret = dmashim_pool_get(map->dd->pool, map->share,
					       map->limited, sg->length,
					       offset_in_page(sg_phys(sg)), p);
			if (ret)
				return ret;
			p->kind = DMASHIM_PIECE_BOUNCED;
			map->mapped_flags |= DMASHIM_MAPPED_BOUNCED;
		}
		map->nr_pieces++;
		offset += p->length;
	}
	map->length = offset;
	return 0;
}

/*
 * A foreign buffer for a limited device: bounced whole.  Its bytes are
 * copied in by the caller, once the device is unlocked
 * (dmashim_foreign_bounce(): the copy waits for the buffer's fences).
 */
static int dmashim_map_foreign_bounced(struct dmashim_mapping *map, u32 flags)
{
	struct dmashim_piece *p;
	int ret;

	if (flags & DMASHIM_MAP_NO_FOREIGN_BOUNCE)
		return -EOPNOTSUPP;
	ret = dmashim_alloc_pieces(map, 1);
	if (ret)
		return ret;
	ret = dmashim_dma_buf_vmap(map->dmabuf, &map->vmap);
	if (ret)
		return ret;
	map->vmapped = true;

	p = &map->pieces[0];
	p->length = map->dmabuf->size;
	ret = dmashim_pool_get(map->dd->pool, map->share, map->limited,
			       p->length, 0, p);
	if (ret)
		return ret;
	p->kind = DMASHIM_PIECE_BOUNCED;
	map->nr_pieces = 1;
	map->length = p->length;
	map->mapped_flags |= DMASHIM_MAPPED_BOUNCED;
	return 0;
}

/*
 * Split a piece into segments the device accepts; fills @out if not NULL.
 * Returns the number of segments.
 */
static unsigned int dmashim_split(const struct dmashim_piece *p, u64 max_seg,
				  u64 boundary, struct dmashim_segment *out)
{
	u64 addr = p->dma, left = p->length, len, room;
	unsigned int n = 0;

	while (left) {
		len = min(left, max_seg);
		/* Bytes up to the next boundary crossing, less one. */
		room = boundary - (addr & boundary);
		if (room < len - 1)
			len = room + 1;
		if (out) {
			out[n].addr = addr;
			out[n].length = len;
		}
		n++;
		addr += len;
		left -= len;
	}
	return n;
}

static int dmashim_make_segments(struct dmashim_mapping *map)
{
	struct device *dev = map->dd->dev;
	u64 max_seg = dma_get_max_seg_size(dev);
	u64 boundary = dma_get_seg_boundary(dev);
	unsigned int i, n = 0;

	for (i = 0; i < map->nr_pieces; i++)
		n += dmashim_split(&map->pieces[i], max_seg, boundary, NULL);
	map->segs = kvcalloc(n, sizeof(*map->segs), GFP_KERNEL);
	if (!map->segs)
		return -ENOMEM;
	for (i = 0; i < map->nr_pieces; i++)
		map->nr_segs += dmashim_split(&map->pieces[i], max_seg,
					      boundary,
					      map->segs + map->nr_segs);
	return 0;
}

/*
 * Undo what the device sees of a mapping: copy bounced data back where
 * the device may have written, give the pool slots back, unmap, detach.
 * The device's @sem is held, for reading or (revocation) writing.
 */
static void dmashim_mapping_teardown(struct dmashim_mapping *map)
{
	struct device *dev = map->dd->dev;
	struct dmashim_piece *p;
	unsigned int i;

	if (map->dead)
		return;
	if (map->mapped_flags & DMASHIM_MAPPED_BOUNCED && map->buf) {
		mutex_lock(&map->buf->bounced_lock);
		list_del_init(&map->buf_node);
		mutex_unlock(&map->buf->bounced_lock);
	}
	/*
	 * A mapping that failed half-way never had the device's data; a
	 * foreign buffer's is copied back by the mapping's owner, before
	 * (dmashim_mapping_copy_back()).
	 */
	if (map->live && map->mapped_flags & DMASHIM_MAPPED_BOUNCED &&
	    map->dir != DMA_TO_DEVICE && map->buf && !map->owner_syncs)
		dmashim_bounce(map, 0, map->length, false);

	for (i = 0; i < map->nr_pieces; i++) {
		p = &map->pieces[i];
		if (p->kind == DMASHIM_PIECE_MAPPED)
			dma_unmap_page_attrs(dev, p->dma, p->length, map->dir,
					     map->owner_syncs ?
					     DMA_ATTR_SKIP_CPU_SYNC : 0);
		else if (p->kind == DMASHIM_PIECE_BOUNCED && p->nr_slots)
			dmashim_pool_put(map->dd->pool, map->share, p);
	}
	if (map->sgt && map->buf && map->owner_syncs)
		dmashim_dmabuf_unmap_synced(map->attach, map->sgt, map->dir);
	else if (map->sgt)
		dma_buf_unmap_attachment_unlocked(map->attach, map->sgt,
						  map->dir);
	if (map->attach)
		dma_buf_detach(map->dmabuf, map->attach);
	if (map->vmapped)
		dmashim_dma_buf_vunmap(map->dmabuf, &map->vmap);
	map->dead = true;
}

static void dmashim_mapping_revoke(struct dmashim_user *user)
{
	dmashim_mapping_teardown(container_of(user, struct dmashim_mapping,
					      user));
}

/* Whether the DMA layer put a piece in the kernel's swiotlb. */
static bool dmashim_uses_swiotlb(struct dmashim_mapping *map)
{
	struct device *dev = map->dd->dev;
	unsigned int i;

	for (i = 0; i < map->nr_pieces; i++)
		if (map->pieces[i].kind != DMASHIM_PIECE_BOUNCED &&
		    dmashim_in_swiotlb(dev, dma_to_phys(dev, map->pieces[i].dma)))
			return true;
	return false;
}

/* How the mapping reaches the device, pieces and all. */
static int dmashim_mapping_build(struct dmashim_mapping *map, u32 flags)
{
	struct dmashim_dev *dd = map->dd;
	bool bounce = flags & DMASHIM_MAP_BOUNCE;
	int ret;

	ret = dmashim_dmabuf_access(map->dmabuf, map->dir);
	if (!ret && map->buf)
		ret = dmashim_buf_usable_by(map->buf, dd->dev);
	/* The buffer's size of the device's address space, at most. */
	if (!ret)
		ret = dmashim_share_take_space(map->share, map->limited,
					       map->dmabuf->size);
	if (ret)
		return ret;
	map->space = map->dmabuf->size;

	/*
	 * A coherent buffer is mapped for its own device already, limited
	 * or not; anything else a limited device needs help to reach.
	 */
	if (!bounce && (!dmashim_dev_limited(dd) ||
			dmashim_buf_coherent_for(map->buf, dd->dev)))
		ret = dmashim_map_attached(map);
	else if (map->buf)
		ret = dmashim_map_runs(map, bounce);
	else
		ret = dmashim_map_foreign_bounced(map, flags);
	if (ret)
		return ret;

	if (map->mapped_flags & DMASHIM_MAPPED_BOUNCED) {
		dmashim_pool_count_mapping(dd->pool);
		/*
		 * As swiotlb: copy in whatever the direction, so that bytes
		 * the device does not write come back unchanged (a foreign
		 * buffer's: see dmashim_map_foreign_bounced()).
		 */
		if (map->buf) {
			ret = dmashim_bounce(map, 0, map->length, true);
			if (ret)
				return ret;
			mutex_lock(&map->buf->bounced_lock);
			list_add(&map->buf_node, &map->buf->bounced);
			mutex_unlock(&map->buf->bounced_lock);
		}
	}
	if (dd->translated)
		map->mapped_flags |= DMASHIM_MAPPED_IOMMU;
	else if (dmashim_uses_swiotlb(map))
		map->mapped_flags |= DMASHIM_MAPPED_SWIOTLB;
	ret = dmashim_make_segments(map);
	if (!ret)
		map->live = true;
	return ret;
}

/* Free a mapping whose DMA side is torn down. */
static void dmashim_mapping_release(struct dmashim_mapping *map)
{
	struct dmashim_dev *dd = map->dd;

	if (map->space)
		dmashim_share_give_space(map->share, map->space);
	dmashim_share_put(map->share);
	kvfree(map->segs);
	kvfree(map->pieces);
	ida_free(&dmashim_mapping_ids, map->id);
	dma_buf_put(map->dmabuf);
	dmashim_dev_put(dd);
	kfree(map);
}

/**
 * dmashim_mapping_destroy() - unmap and free a mapping
 * @map: a mapping from dmashim_mapping_create(), which no one else uses
 *
 * Takes the device's lock; may sleep.
 */
void dmashim_mapping_destroy(struct dmashim_mapping *map)
{
	struct dmashim_dev *dd = map->dd;

	/* Waits for debugfs readers; they see the mapping whole. */
	debugfs_remove(map->debugfs);

	down_read(&dd->sem);
	if (!dd->gone) {
		dmashim_dev_del_user(dd, &map->user);
		dmashim_mapping_teardown(map);
	}
	up_read(&dd->sem);
	dmashim_mapping_release(map);
}

/* A foreign buffer bounced for the device: its copies wait for fences. */
static bool dmashim_mapping_foreign_bounced(struct dmashim_mapping *map)
{
	return !map->buf && map->mapped_flags & DMASHIM_MAPPED_BOUNCED;
}

/**
 * dmashim_mapping_copy_back() - copy a foreign buffer's bounced mapping
 *	back before it is unmapped
 * @map: a live mapping, nothing locked
 *
 * A dmashim buffer's bytes come back as the mapping is torn down; a
 * foreign buffer's need the exporter's CPU access, which waits for its
 * fences: here, with no lock held.
 *
 * Return: 0, or the error of the copy (-ENODEV: the device is gone, and
 * what it wrote with it).
 */
int dmashim_mapping_copy_back(struct dmashim_mapping *map)
{
	if (!dmashim_mapping_foreign_bounced(map) || map->dir == DMA_TO_DEVICE)
		return 0;
	return dmashim_foreign_bounce(map, 0, map->length, false);
}

/**
 * dmashim_mapping_revoke_now() - tear a mapping down for its owner
 * @map: a mapping created without @revocable, whose owner is being
 *	revoked with the device (the device's @sem is write-held)
 */
void dmashim_mapping_revoke_now(struct dmashim_mapping *map)
{
	dmashim_mapping_teardown(map);
}

/*
 * A lazy IOMMU keeps the IOVAs of unmappings in a flush queue until its
 * timer flushes them: 10 ms, or a second for a single queue (intel-iommu
 * in a VM, among others).  A device with a narrow mask can run out of
 * IOVA space meanwhile, though most of it is free: mapping fails with
 * -ENOMEM.  There is no way to flush the queue from outside, so wait for
 * it, a little at a time, for a little more than the longest timeout.
 */
#define DMASHIM_FQ_RETRY_MS	10
#define DMASHIM_FQ_RETRIES	150

static struct dmashim_mapping *dmashim_mapping_try(struct dmashim_dev *dd,
						   struct dmashim_share *share,
						   bool limited,
						   struct dma_buf *dmabuf,
						   enum dma_data_direction dir,
						   u32 flags, bool revocable);

/**
 * dmashim_mapping_create() - map a dma-buf for a device
 * @dd: the device, read-locked (dmashim_dev_read_lock())
 * @share: the owner's share of @dd (share.c); the mapping takes its own
 *	reference
 * @limited: the owner is held to that share
 * @dmabuf: the buffer; the mapping takes its own reference
 * @dir: DMA direction
 * @flags: &enum dmashim_map_flags
 * @revocable: the mapping tears itself down when @dd is revoked; without,
 *	its owner must (dmashim_mapping_revoke_now()), after stopping what
 *	uses it
 *
 * Return: the mapping, with its handle and debugfs entries, or an
 * ERR_PTR() with the errors of DMASHIM_IOCTL_MAP.
 */
struct dmashim_mapping *dmashim_mapping_create(struct dmashim_dev *dd,
					       struct dmashim_share *share,
					       bool limited,
					       struct dma_buf *dmabuf,
					       enum dma_data_direction dir,
					       u32 flags, bool revocable)
{
	struct dmashim_mapping *map;
	unsigned int tries;

	for (tries = 0;; tries++) {
		map = dmashim_mapping_try(dd, share, limited, dmabuf, dir,
					  flags, revocable);
		if (PTR_ERR_OR_ZERO(map) != -ENOMEM || !dd->lazy ||
		    tries == DMASHIM_FQ_RETRIES || fatal_signal_pending(current))
			return map;
		msleep(DMASHIM_FQ_RETRY_MS);
	}
}

/* One attempt of dmashim_mapping_create(). */
static struct dmashim_mapping *dmashim_mapping_try(struct dmashim_dev *dd,
						   struct dmashim_share *share,
						   bool limited,
						   struct dma_buf *dmabuf,
						   enum dma_data_direction dir,
						   u32 flags, bool revocable)
{
	struct dmashim_mapping *map;
	int ret;

	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return ERR_PTR(-ENOMEM);
	ret = ida_alloc_min(&dmashim_mapping_ids, 1, GFP_KERNEL);
	if (ret < 0) {
		kfree(map);
		return ERR_PTR(ret);
	}
	map->id = ret;
	get_dma_buf(dmabuf);
	map->dmabuf = dmabuf;
	map->buf = dmashim_dmabuf_to_buf(dmabuf);
	map->dir = dir;
	map->owner_syncs = flags & DMASHIM_MAP_OWNER_SYNCS;
	map->user.stage = DMASHIM_USER_MAPPING;
	map->user.revoke = dmashim_mapping_revoke;
	INIT_LIST_HEAD(&map->user.node);
	INIT_LIST_HEAD(&map->buf_node);
	kref_get(&dd->ref);
	map->dd = dd;
	map->share = dmashim_share_hold(share);
	map->limited = limited;

	if (revocable)
		dmashim_dev_add_user(dd, &map->user);
	ret = dmashim_mapping_build(map, flags);
	if (ret) {
		dmashim_dev_del_user(dd, &map->user);
		dmashim_mapping_teardown(map);
		dmashim_mapping_release(map);
		return ERR_PTR(ret);
	}
	dmashim_debugfs_add_mapping(map);
	return map;
}

/* Physical bus addresses are for CAP_SYS_RAWIO only; IOVAs for all. */
static bool dmashim_addrs_hidden(struct dmashim_ctx *ctx,
				 struct dmashim_mapping *map)
{
	return !map->dd->translated &&
	       !dmashim_opener_capable(ctx->file, CAP_SYS_RAWIO);
}

/* Segments [@first, + @count) into the array at @uptr, @usize apart. */
static int dmashim_copy_segments(struct dmashim_ctx *ctx,
				 struct dmashim_mapping *map, u64 uptr,
				 u32 usize, unsigned int first,
				 unsigned int count)
{
	struct dmashim_segment seg;
	bool hidden = dmashim_addrs_hidden(ctx, map);
	unsigned int i;
	int ret;

	for (i = 0; i < count; i++) {
		seg = map->segs[first + i];
		if (hidden)
			seg.addr = 0;
		ret = dmashim_elem_to_user(u64_to_user_ptr(uptr), usize, i,
					   &seg, sizeof(seg));
		if (ret)
			return ret;
	}
	return 0;
}

/* An array of segments, or none (0, with no room and no size). */
static bool dmashim_segments_ok(u64 uptr, u32 count, u32 usize)
{
	if (!uptr)
		return !count && !usize;
	return dmashim_elem_size_ok(usize, sizeof(struct dmashim_segment));
}

/**
 * dmashim_map() - DMASHIM_IOCTL_MAP
 * @ctx: the context
 * @req: the request; filled in on success
 *
 * Return: 0 or a negative errno, as documented for &struct dmashim_map.
 */
int dmashim_map(struct dmashim_ctx *ctx, struct dmashim_map *req)
{
	struct dmashim_mapping *map;
	struct dma_buf *dmabuf;
	int ret;

	if (req->flags & ~DMASHIM_MAP_BOUNCE || req->__reserved ||
	    req->dir > DMASHIM_DIR_FROM_DEVICE ||
	    !dmashim_segments_ok(req->segments, req->nr_segments,
				 req->segment_size))
		return -EINVAL;
	dmabuf = dma_buf_get(req->fd);
	if (IS_ERR(dmabuf))
		return -EBADF;

	mutex_lock(&ctx->lock);
	ret = dmashim_dev_read_lock(ctx->dd);
	if (ret) {
		map = ERR_PTR(ret);
	} else {
		map = dmashim_mapping_create(ctx->dd, ctx->share, ctx->limited,
					     dmabuf,
					     dmashim_dma_dir(req->dir),
					     req->flags, true);
		dmashim_dev_read_unlock(ctx->dd);
	}
	dma_buf_put(dmabuf);
	if (IS_ERR(map)) {
		mutex_unlock(&ctx->lock);
		return PTR_ERR(map);
	}
	/* As swiotlb, a bounced mapping starts with the buffer's bytes. */
	if (dmashim_mapping_foreign_bounced(map)) {
		ret = dmashim_foreign_bounce(map, 0, map->length, true);
		if (ret)
			goto err_free;
	}
	ret = xa_insert(&ctx->mappings, map->id, map, GFP_KERNEL);
	if (ret)
		goto err_free;
	ret = dmashim_copy_segments(ctx, map, req->segments,
				    req->segment_size, 0,
				    min(req->nr_segments, map->nr_segs));
	if (ret)
		goto err_erase;
	mutex_unlock(&ctx->lock);

	req->nr_segments = map->nr_segs;
	req->mapped_flags = map->mapped_flags;
	if (dmashim_addrs_hidden(ctx, map))
		req->mapped_flags |= DMASHIM_MAPPED_ADDRS_HIDDEN;
	req->handle = map->id;
	req->length = map->length;
	return 0;

err_erase:
	xa_erase(&ctx->mappings, map->id);
err_free:
	mutex_unlock(&ctx->lock);
	dmashim_mapping_destroy(map);
	return ret;
}

/**
 * dmashim_mapping_find() - look a handle up in a context
 * @ctx: the context, locked
 * @handle: a handle from DMASHIM_IOCTL_MAP
 *
 * Return: the mapping, or NULL if @ctx has none with that handle.
 */
struct dmashim_mapping *dmashim_mapping_find(struct dmashim_ctx *ctx,
					     u64 handle)
{
	lockdep_assert_held(&ctx->lock);
	if (!handle || handle > U32_MAX)
		return NULL;
	return xa_load(&ctx->mappings, handle);
}

/**
 * dmashim_unmap() - DMASHIM_IOCTL_UNMAP
 * @ctx: the context
 * @req: the request
 *
 * Unmapping a mapping of a revoked device frees what is left of it.
 *
 * Return: 0, -EINVAL for flags, -ENOENT for an unknown handle, or the
 * error of a foreign buffer's copy back (the mapping stays).
 */
int dmashim_unmap(struct dmashim_ctx *ctx, struct dmashim_unmap *req)
{
	struct dmashim_mapping *map;
	int ret;

	if (req->flags)
		return -EINVAL;
	mutex_lock(&ctx->lock);
	map = dmashim_mapping_find(ctx, req->handle);
	if (!map) {
		mutex_unlock(&ctx->lock);
		return -ENOENT;
	}
	/*
	 * What the device wrote goes back first; if that is interrupted
	 * the mapping stays, for the caller to unmap again.
	 */
	ret = dmashim_mapping_copy_back(map);
	if (ret && ret != -ENODEV) {
		mutex_unlock(&ctx->lock);
		return ret;
	}
	xa_erase(&ctx->mappings, map->id);
	mutex_unlock(&ctx->lock);
	dmashim_mapping_destroy(map);
	return 0;
}

/**
 * dmashim_unmap_all() - unmap everything a context mapped
 * @ctx: the context, being destroyed
 */
void dmashim_unmap_all(struct dmashim_ctx *ctx)
{
	struct dmashim_mapping *map;
	unsigned long id;

	xa_for_each(&ctx->mappings, id, map) {
		xa_erase(&ctx->mappings, id);
		/* Closing: what can still be copied back is. */
		dmashim_mapping_copy_back(map);
		dmashim_mapping_destroy(map);
	}
}

/**
 * dmashim_segments() - DMASHIM_IOCTL_SEGMENTS
 * @ctx: the context
 * @req: the request; @count and @nr_segments are filled in
 *
 * Return: 0 or a negative errno, as documented for
 * &struct dmashim_segments.
 */
int dmashim_segments(struct dmashim_ctx *ctx, struct dmashim_segments *req)
{
	struct dmashim_mapping *map;
	int ret = 0;

	if (req->flags ||
	    !dmashim_elem_size_ok(req->segment_size,
				  sizeof(struct dmashim_segment)))
		return -EINVAL;
	/*
	 * A mapping's segments never change, and it is freed only under
	 * the context's lock: they are copied out without the device's
	 * lock, which a user copy (a fault served by userfaultfd or FUSE)
	 * must never hold up a revocation with.
	 */
	mutex_lock(&ctx->lock);
	map = dmashim_mapping_find(ctx, req->handle);
	if (!map)
		ret = -ENOENT;
	else if (READ_ONCE(map->dd->gone))
		ret = -ENODEV;
	else if (req->first >= map->nr_segs)
		ret = -EINVAL;
	if (!ret) {
		req->count = min(req->count, map->nr_segs - req->first);
		req->nr_segments = map->nr_segs;
		ret = dmashim_copy_segments(ctx, map, req->segments,
					    req->segment_size, req->first,
					    req->count);
	}
	mutex_unlock(&ctx->lock);
	return ret;
}
