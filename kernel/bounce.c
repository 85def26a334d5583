// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - bounce pools: copies of buffers where a device can reach them
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
 */

#include <linux/bitmap.h>
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
 * @length: bytes the piece holds
 * @head: offset of the piece's first byte within its page
 * @piece: receives @dma, @slot and @nr_slots
 *
 * Never sleeps, never allocates.
 *
 * Return: 0, or -ENOSPC if there is no pool or no run of free slots
 * long enough (counted as a failure).
 */
int dmashim_pool_get(struct dmashim_pool *pool, u64 length,
		     unsigned int head, struct dmashim_piece *piece)
{
	unsigned long nr, slot;

	if (!pool)
		return -ENOSPC;
	nr = DIV_ROUND_UP(head + length, PAGE_SIZE);

	spin_lock(&pool->lock);
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
	spin_unlock(&pool->lock);

	piece->slot = slot;
	piece->nr_slots = nr;
	piece->dma = pool->dma + (slot << PAGE_SHIFT) + head;
	return 0;
}

/**
 * dmashim_pool_put() - give a piece's slots back
 * @pool: the pool the slots came from
 * @piece: a piece filled by dmashim_pool_get()
 */
void dmashim_pool_put(struct dmashim_pool *pool, struct dmashim_piece *piece)
{
	spin_lock(&pool->lock);
	bitmap_clear(pool->map, piece->slot, piece->nr_slots);
	pool->used -= piece->nr_slots;
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
