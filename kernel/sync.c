// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - moving a mapping between CPU and device: DMASHIM_IOCTL_SYNC
 * and the bounce copies
 *
 * Pieces the DMA layer mapped are synced with dma_sync_single_range_*();
 * bounced pieces are copied, with swiotlb's rules: into the pool when the
 * device takes a range over for a transfer it reads (to-device or
 * bidirectional), out of it when the CPU takes a range back after one the
 * device wrote (from-device or bidirectional).
 */

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/iosys-map.h>

#include <linux/dmashim.h>
#include "dmashim.h"

/*
 * Copy bytes [@offset, @offset + @len) of a foreign buffer.
 *
 * The copies of a channel's transfer run while its own fence is in the
 * buffer's reservation object: into the pool at submit, after the fences
 * were added, and out of it before the fence signals, so that whoever
 * waits for the fence finds the bytes.  dma_buf_begin_cpu_access() waits
 * for the buffer's implicit fences after the exporter's callback, so it
 * would wait for the transfer that is copying: the exporter's callback
 * alone does its cache maintenance.  The fences a transfer follows were
 * waited for before it was submitted (unless DMASHIM_SUBMIT_NO_IMPLICIT
 * said not to), and a sync ioctl syncs, as for dmashim's own buffers.
 */
static int dmashim_foreign_copy(struct dmashim_mapping *map, u64 offset,
				void *slot, size_t len, bool to_device)
{
	/* The CPU reads the buffer for the device, writes it for the CPU. */
	enum dma_data_direction cpu = to_device ? DMA_FROM_DEVICE :
						  DMA_TO_DEVICE;
	struct dma_buf *dmabuf = map->dmabuf;
	int ret = 0;

	if (dmabuf->ops->begin_cpu_access)
		ret = dmabuf->ops->begin_cpu_access(dmabuf, cpu);
	if (ret)
		return ret;
	if (to_device)
		iosys_map_memcpy_from(slot, &map->vmap, offset, len);
	else
		iosys_map_memcpy_to(&map->vmap, offset, slot, len);
	return dma_buf_end_cpu_access(map->dmabuf, cpu);
}

static int dmashim_bounce_piece(struct dmashim_mapping *map,
				struct dmashim_piece *p, u64 offset, u64 len,
				bool to_device)
{
	void *slot = dmashim_pool_vaddr(map->dd->pool, p) +
		     (offset - p->offset);
	int ret;

	if (!map->buf)
		ret = dmashim_foreign_copy(map, offset, slot, len, to_device);
	else if (to_device)
		ret = dmashim_buf_copy(map->buf, offset, slot, NULL, len);
	else
		ret = dmashim_buf_copy(map->buf, offset, NULL, slot, len);
	if (!ret)
		dmashim_pool_count(map->dd->pool, to_device, len);
	return ret;
}

/**
 * dmashim_bounce() - copy a range of a mapping through its bounce pieces
 * @map: the mapping
 * @offset: first byte, in the buffer
 * @length: bytes
 * @to_device: from the buffer into the pool, or back
 *
 * Return: 0, or the first error (-ENODEV: the buffer's memory is gone).
 */
int dmashim_bounce(struct dmashim_mapping *map, u64 offset, u64 length,
		   bool to_device)
{
	u64 end = offset + length, s, e;
	struct dmashim_piece *p;
	int ret;

	for (p = dmashim_piece_at(map, offset); dmashim_piece_before(map, p, end);
	     p++) {
		if (p->kind != DMASHIM_PIECE_BOUNCED)
			continue;
		s = max(offset, p->offset);
		e = min(end, p->offset + p->length);
		ret = dmashim_bounce_piece(map, p, s, e - s, to_device);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * dmashim_mapping_copies() - whether syncing a range of a mapping copies
 * @map: a live mapping
 * @offset: first byte, in the buffer
 * @length: bytes
 *
 * A sync of a bounced range, by dmashim or by the DMA layer's swiotlb,
 * copies the data between the buffer and a bounce slot; elsewhere it is
 * cache maintenance at most.  Whether swiotlb took part was found when
 * the mapping was made (dma_need_sync() says true for every mapping
 * behind an IOMMU on 6.1).  Any context.
 *
 * Return: true if a piece of the range bounces.
 */
bool dmashim_mapping_copies(struct dmashim_mapping *map, u64 offset,
			    u64 length)
{
	u64 end = offset + length;
	struct dmashim_piece *p;

	for (p = dmashim_piece_at(map, offset); dmashim_piece_before(map, p, end);
	     p++) {
		if (p->kind == DMASHIM_PIECE_BOUNCED)
			return true;
		if (p->kind != DMASHIM_PIECE_COHERENT &&
		    map->mapped_flags & DMASHIM_MAPPED_SWIOTLB)
			return true;
	}
	return false;
}

/**
 * dmashim_mapping_sync() - sync a range of a mapping
 * @map: a live mapping; its device is read-locked, or its buffer's
 *	@bounced_lock held
 * @offset: first byte, in the buffer
 * @length: bytes
 * @dir: direction of the transfer the sync is for
 * @for_cpu: for the CPU (dma_sync_*_for_cpu), or for the device
 *
 * Return: 0, or the first error of a bounce copy.
 */
int dmashim_mapping_sync(struct dmashim_mapping *map, u64 offset,
			 u64 length, enum dma_data_direction dir, bool for_cpu)
{
	struct device *dev = map->dd->dev;
	u64 end = offset + length, s, e;
	struct dmashim_piece *p;
	int ret = 0;

	for (p = dmashim_piece_at(map, offset); dmashim_piece_before(map, p, end);
	     p++) {
		s = max(offset, p->offset);
		e = min(end, p->offset + p->length);
		switch (p->kind) {
		case DMASHIM_PIECE_ATTACHED:
		case DMASHIM_PIECE_MAPPED:
			if (for_cpu)
				dma_sync_single_range_for_cpu(dev, p->dma,
							      s - p->offset,
							      e - s, dir);
			else
				dma_sync_single_range_for_device(dev, p->dma,
								 s - p->offset,
								 e - s, dir);
			break;
		case DMASHIM_PIECE_BOUNCED:
			if (for_cpu && dir != DMA_TO_DEVICE)
				ret = dmashim_bounce_piece(map, p, s, e - s,
							   false);
			else if (!for_cpu && dir != DMA_FROM_DEVICE)
				ret = dmashim_bounce_piece(map, p, s, e - s,
							   true);
			break;
		default:
			/* Coherent memory needs no syncing. */
			break;
		}
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * dmashim_sync() - DMASHIM_IOCTL_SYNC
 * @ctx: the context
 * @req: the request
 *
 * Return: 0 or a negative errno, as documented for &struct dmashim_sync.
 */
int dmashim_sync(struct dmashim_ctx *ctx, struct dmashim_sync *req)
{
	bool for_cpu = req->flags == DMASHIM_SYNC_FOR_CPU;
	struct dmashim_mapping *map;
	int ret;

	if (req->__reserved || req->dir > DMASHIM_DIR_FROM_DEVICE ||
	    (req->flags != DMASHIM_SYNC_FOR_CPU &&
	     req->flags != DMASHIM_SYNC_FOR_DEVICE))
		return -EINVAL;
	if (!req->length || req->offset + req->length < req->offset)
		return -EINVAL;

	mutex_lock(&ctx->lock);
	map = dmashim_mapping_find(ctx, req->handle);
	if (!map) {
		ret = -ENOENT;
		goto out;
	}
	/* As the DMA API: a mapping's own direction, or any if it has both. */
	if (req->offset + req->length > map->length ||
	    (map->dir != DMA_BIDIRECTIONAL && req->dir != map->dir)) {
		ret = -EINVAL;
		goto out;
	}
	ret = dmashim_dev_read_lock(map->dd);
	if (ret)
		goto out;
	ret = map->dead ? -ENODEV :
	      dmashim_mapping_sync(map, req->offset, req->length,
				   (enum dma_data_direction)req->dir, for_cpu);
	dmashim_dev_read_unlock(map->dd);
out:
	mutex_unlock(&ctx->lock);
	return ret;
}
