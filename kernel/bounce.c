// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - bounce pools: copies of buffers where a device can reach them,
 * and the copies themselves
 *
 * The kernel's swiotlb is one pool for every device, placed wherever
 * memory was free at boot: on a 1 GiB machine it lies above 256 MiB, out
 * of reach of a device with a 28-bit mask.  A dmashim pool belongs to one
 * device and is allocated against it with dma_alloc_coherent(), so the
 * DMA layer places it within the device's mask (and maps it through the
 * device's IOMMU if it has one).
 *
 * The pool is cut into page-sized slots handed out in runs from a bitmap
 * under a spinlock: no memory allocation and no sleeping on the map path.
 * A run keeps the offset its data has within a page, as swiotlb does, so
 * the device sees the same low address bits as it would without
 * bouncing.
 *
 * The copies between a mapping's buffer and its slots are made here too:
 * a dmashim buffer's with memcpy, wherever its caller is; a foreign
 * buffer's only within the CPU access to it that dmashim_foreign_bounce()
 * begins, waiting for the buffer's fences with no lock held.
 */

#include <linux/bitmap.h>
#include <linux/dma-buf.h>
#include <linux/iosys-map.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include <linux/dmashim.h>
#include "dmashim.h"

/* Smallest pool worth having when memory within reach is scarce. */
#define DMASHIM_POOL_MIN	(64 * 1024)

static unsigned int bounce_pool_kb = 4096;
module_param(bounce_pool_kb, uint, 0444);
MODULE_PARM_DESC(bounce_pool_kb,
		 "Size of each device's bounce pool in KiB, 64 and up (default 4096)");

/**
 * struct dmashim_pool - a device's bounce pool
 * @vaddr: kernel address of the pool
 * @dma: the device's address of the pool
 * @size: bytes
 * @nr_slots: page-sized slots
 * @lock: protects @map and the counters
 * @used: slots in use
 * @high_water: most slots ever in use
 * @to_device: bytes copied into the pool
 * @to_cpu: bytes copied out of the pool
 * @mappings: mappings that used the pool
 * @failures: requests refused for want of room
 * @map: one bit per slot, set while in use
 */
struct dmashim_pool {
	void *vaddr;
	dma_addr_t dma;
	size_t size;
	unsigned int nr_slots;
	spinlock_t lock;	/* protects @map and the counters */
	unsigned int used;
	unsigned int high_water;
	u64 to_device;
	u64 to_cpu;
	u64 mappings;
	u64 failures;
	unsigned long map[];
};

/**
 * dmashim_pool_create() - allocate a bounce pool for a device
 * @dev: the device, set up for DMA
 * @translated: an IOMMU translates the device
 *
 * The pool is bounce_pool_kb big, or as big as the device's masks reach.
 * Without an IOMMU, memory within reach of a narrow mask can be scarce:
 * the size is halved until an allocation succeeds, down to 64 KiB.
 * Behind an IOMMU only the IOVA space limits it, and a failed IOVA
 * allocation makes the IOVA allocator refuse every later one of that size
 * below 4 GiB for the device (its "32-bit space full" shortcut), for as
 * long as the domain lives: one attempt, of a size that fits, is made.
 *
 * Return: the pool, or NULL if none could be had.
 */
struct dmashim_pool *dmashim_pool_create(struct device *dev, bool translated)
{
	u64 reach = min(dma_get_mask(dev), dev->coherent_dma_mask);
	size_t size = rounddown_pow_of_two(max(bounce_pool_kb, 64U)) * SZ_1K;
	struct dmashim_pool *pool;
	unsigned int nr_slots;

	if (reach < size - 1)
		size = rounddown_pow_of_two(reach + 1);
	for (; size >= DMASHIM_POOL_MIN; size = translated ? 0 : size / 2) {
		nr_slots = size >> PAGE_SHIFT;
		pool = kzalloc(struct_size(pool, map,
					   BITS_TO_LONGS(nr_slots)),
			       GFP_KERNEL);
		if (!pool)
			return NULL;
		pool->vaddr = dma_alloc_coherent(dev, size, &pool->dma,
						 GFP_KERNEL | __GFP_NOWARN);
		if (pool->vaddr) {
			pool->size = size;
			pool->nr_slots = nr_slots;
			spin_lock_init(&pool->lock);
			return pool;
		}
		kfree(pool);
	}
	return NULL;
}

/**
 * dmashim_pool_destroy() - free a bounce pool
 * @dev: the device it was created for
 * @pool: the pool, no slot of which is in use; NULL is ignored
 */
void dmashim_pool_destroy(struct device *dev, struct dmashim_pool *pool)
{
	if (!pool)
		return;
	WARN_ON(pool->used);
	dma_free_coherent(dev, pool->size, pool->vaddr, pool->dma);
	kfree(pool);
}

/**
 * dmashim_pool_get() - take slots for a piece of a mapping
 * @pool: the pool, or NULL
 * @share: the share of the mapping's owner, which holds the slots
 * @limited: the owner may hold no more than its share of the pool
 * @length: bytes the piece holds
 * @head: offset of the piece's first byte within its page
 * @piece: receives @dma, @slot and @nr_slots
 *
 * Never sleeps, never allocates.
 *
 * Return: 0; -ENOSPC if there is no pool or no run of free slots long
 * enough (counted as a failure); -EDQUOT if a limited owner would hold
 * more than its share (counted as a share refusal).
 */
int dmashim_pool_get(struct dmashim_pool *pool, struct dmashim_share *share,
		     bool limited, u64 length, unsigned int head,
		     struct dmashim_piece *piece)
{
	unsigned long nr, slot;

	if (!pool)
		return -ENOSPC;
	nr = DIV_ROUND_UP(head + length, PAGE_SIZE);

	spin_lock(&pool->lock);
	if (limited &&
	    share->slots + nr > dmashim_share_limit(pool->nr_slots)) {
		spin_unlock(&pool->lock);
		atomic64_inc(&share->dd->share_refusals);
		return -EDQUOT;
	}
	slot = nr > pool->nr_slots ? pool->nr_slots :
	       bitmap_find_next_zero_area(pool->map, pool->nr_slots, 0, nr, 0);
	if (slot >= pool->nr_slots) {
		pool->failures++;
		spin_unlock(&pool->lock);
		return -ENOSPC;
	}
	bitmap_set(pool->map, slot, nr);
	pool->used += nr;
	pool->high_water = max(pool->high_water, pool->used);
	share->slots += nr;
	spin_unlock(&pool->lock);

	piece->slot = slot;
	piece->nr_slots = nr;
	piece->dma = pool->dma + (slot << PAGE_SHIFT) + head;
	return 0;
}

/**
 * dmashim_pool_put() - give a piece's slots back
 * @pool: the pool the slots came from
 * @share: the share that holds them
 * @piece: a piece filled by dmashim_pool_get()
 */
void dmashim_pool_put(struct dmashim_pool *pool, struct dmashim_share *share,
		      struct dmashim_piece *piece)
{
	spin_lock(&pool->lock);
	bitmap_clear(pool->map, piece->slot, piece->nr_slots);
	pool->used -= piece->nr_slots;
	share->slots -= piece->nr_slots;
	spin_unlock(&pool->lock);
	piece->nr_slots = 0;
}

/**
 * dmashim_pool_vaddr() - the kernel address of a bounced piece's copy
 * @pool: the pool
 * @piece: a piece filled by dmashim_pool_get()
 *
 * Return: the address of the copy's first byte.
 */
void *dmashim_pool_vaddr(struct dmashim_pool *pool,
			 const struct dmashim_piece *piece)
{
	return pool->vaddr + (piece->dma - pool->dma);
}

/**
 * dmashim_pool_count() - count bytes copied through the pool
 * @pool: the pool
 * @to_device: into the pool (true) or out of it
 * @bytes: bytes copied
 */
void dmashim_pool_count(struct dmashim_pool *pool, bool to_device, u64 bytes)
{
	spin_lock(&pool->lock);
	if (to_device)
		pool->to_device += bytes;
	else
		pool->to_cpu += bytes;
	spin_unlock(&pool->lock);
}

/**
 * dmashim_pool_count_mapping() - count a mapping that uses the pool
 * @pool: the pool
 */
void dmashim_pool_count_mapping(struct dmashim_pool *pool)
{
	spin_lock(&pool->lock);
	pool->mappings++;
	spin_unlock(&pool->lock);
}

/**
 * dmashim_pool_stats() - read a pool's counters
 * @pool: the pool, or NULL for a device without one
 * @stats: filled in, apart from @size and @flags
 */
void dmashim_pool_stats(struct dmashim_pool *pool,
			struct dmashim_stats *stats)
{
	if (!pool) {
		stats->pool_bytes = 0;
		stats->slot_bytes = 0;
		stats->slots_total = 0;
		stats->slots_used = 0;
		stats->slots_high_water = 0;
		stats->bytes_to_device = 0;
		stats->bytes_to_cpu = 0;
		stats->mappings_bounced = 0;
		stats->failures = 0;
		return;
	}
	spin_lock(&pool->lock);
	stats->pool_bytes = pool->size;
	stats->slot_bytes = PAGE_SIZE;
	stats->slots_total = pool->nr_slots;
	stats->slots_used = pool->used;
	stats->slots_high_water = pool->high_water;
	stats->bytes_to_device = pool->to_device;
	stats->bytes_to_cpu = pool->to_cpu;
	stats->mappings_bounced = pool->mappings;
	stats->failures = pool->failures;
	spin_unlock(&pool->lock);
}

/* ---- copies ------------------------------------------------------------ */

/**
 * dmashim_bounce_piece() - copy part of a bounced piece
 * @map: the mapping; its device read-locked (or write-locked, revoking)
 * @p: a %DMASHIM_PIECE_BOUNCED piece of it
 * @offset: first byte, in the buffer, within @p
 * @len: bytes, within @p
 * @to_device: from the buffer into the pool, or back
 *
 * A foreign buffer's bytes are copied only within the CPU access
 * dmashim_foreign_bounce() holds.  Never sleeps, never allocates.
 *
 * Return: 0, -EINVAL for a foreign buffer outside that access, or
 * -ENODEV if the buffer's memory is gone.
 */
int dmashim_bounce_piece(struct dmashim_mapping *map, struct dmashim_piece *p,
			 u64 offset, u64 len, bool to_device)
{
	void *slot = dmashim_pool_vaddr(map->dd->pool, p) +
		     (offset - p->offset);
	int ret = 0;

	if (!map->buf) {
		if (WARN_ON_ONCE(!map->cpu_access))
			return -EINVAL;
		if (to_device)
			iosys_map_memcpy_from(slot, &map->vmap, offset, len);
		else
			iosys_map_memcpy_to(&map->vmap, offset, slot, len);
	} else if (to_device) {
		ret = dmashim_buf_copy(map->buf, offset, slot, NULL, len);
	} else {
		ret = dmashim_buf_copy(map->buf, offset, NULL, slot, len);
	}
	if (!ret)
		dmashim_pool_count(map->dd->pool, to_device, len);
	return ret;
}

/**
 * dmashim_bounce() - copy a range of a mapping through its bounce pieces
 * @map: the mapping; as for dmashim_bounce_piece()
 * @offset: first byte, in the buffer
 * @length: bytes
 * @to_device: from the buffer into the pool, or back
 *
 * Return: 0, or the first error.
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
 * dmashim_foreign_bounce() - copy a range of a foreign buffer's bounced
 *	mapping, as any CPU access to the buffer
 * @map: a mapping of a foreign buffer that bounces, kept alive by the
 *	caller; nothing locked
 * @offset: first byte
 * @length: bytes
 * @to_device: from the buffer into the pool, or back
 *
 * Between dma_buf_begin_cpu_access(), which waits (interruptibly, with no
 * lock held: the device may be revoked meanwhile) for the buffer's
 * implicit fences, and dma_buf_end_cpu_access(); the copy itself under
 * the device's read lock.
 *
 * Return: 0; -ENODEV if the device or the mapping went meanwhile; the
 * exporter's error, or -ERESTARTSYS, from the CPU access.
 */
int dmashim_foreign_bounce(struct dmashim_mapping *map, u64 offset,
			   u64 length, bool to_device)
{
	/* The CPU reads the buffer for the device, writes it for the CPU. */
	enum dma_data_direction cpu = to_device ? DMA_FROM_DEVICE :
						  DMA_TO_DEVICE;
	int ret, end;

	ret = dma_buf_begin_cpu_access(map->dmabuf, cpu);
	if (ret)
		return ret;
	ret = dmashim_dev_read_lock(map->dd);
	if (!ret) {
		if (map->dead) {
			ret = -ENODEV;
		} else {
			map->cpu_access = true;
			ret = dmashim_bounce(map, offset, length, to_device);
			map->cpu_access = false;
		}
		dmashim_dev_read_unlock(map->dd);
	}
	end = dma_buf_end_cpu_access(map->dmabuf, cpu);
	return ret ?: end;
}
