// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - moving a mapping between CPU and device: DMASHIM_IOCTL_SYNC
 *
 * Pieces the DMA layer mapped are synced with dma_sync_single_range_*()
 * where dma_need_sync() says the address needs it;
 * bounced pieces are copied (bounce.c), with swiotlb's rules: into the
 * pool when the device takes a range over for a transfer it reads
 * (to-device or bidirectional), out of it when the CPU takes a range back
 * after one the device wrote (from-device or bidirectional).  A foreign
 * buffer's copies wait for its fences, which happens with no lock held
 * (dmashim_foreign_bounce()).
 */

#include <linux/dma-mapping.h>

#include <linux/dmashim.h>
#include "dmashim.h"

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
			/*
			 * Nothing to do where the DMA layer says so (direct,
			 * coherent, not bounced): no walk over the segments
			 * of a large mapping, and no sync of an address that
			 * two mappings of the same memory share, which
			 * dma-debug cannot tell apart and reports.
			 */
			if (!dma_need_sync(dev, p->dma))
				break;
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
	enum dma_data_direction dir = dmashim_dma_dir(req->dir);
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
	    (map->dir != DMA_BIDIRECTIONAL && dir != map->dir)) {
		ret = -EINVAL;
		goto out;
	}
	/*
	 * A foreign buffer that bounces is all pool: its copies wait for
	 * its fences, with the device unlocked (the context's lock keeps
	 * the mapping).
	 */
	if (!map->buf && map->mapped_flags & DMASHIM_MAPPED_BOUNCED) {
		ret = 0;
		if (for_cpu ? dir != DMA_TO_DEVICE : dir != DMA_FROM_DEVICE)
			ret = dmashim_foreign_bounce(map, req->offset,
						     req->length, !for_cpu);
		goto out;
	}
	ret = dmashim_dev_read_lock(map->dd);
	if (ret)
		goto out;
	ret = map->dead ? -ENODEV :
	      dmashim_mapping_sync(map, req->offset, req->length,
				   dir, for_cpu);
	dmashim_dev_read_unlock(map->dd);
out:
	mutex_unlock(&ctx->lock);
	return ret;
}
