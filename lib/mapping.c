// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libdmashim - mappings: mapping a dma-buf for the context's device,
 * reading its segments, syncing ranges of it, unmapping it
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "internal.h"

/* Segments fetched with the map call itself; more take SEGMENTS calls. */
#define MAP_SEGMENTS_FIRST 64

static struct dmashim_mapping *mapping_alloc(unsigned int nr_segments)
{
	return malloc(sizeof(struct dmashim_mapping) +
		      (size_t)nr_segments * sizeof(struct dmashim_segment));
}

/* Read segments [@first, map->nr_segments) into map->segments. */
static int read_segments(struct dmashim_mapping *map, unsigned int first)
{
	struct dmashim_segments req;
	int ret;

	while (first < map->nr_segments) {
		req = (struct dmashim_segments) {
			.size = sizeof(req),
			.handle = map->handle,
			.segments = (uintptr_t)&map->segments[first],
			.first = first,
			.count = map->nr_segments - first,
			.segment_size = sizeof(map->segments[0]),
		};
		ret = dmashim_ioctl(map->ctx->fd, DMASHIM_IOCTL_SEGMENTS, &req);
		if (ret)
			return ret;
		if (!req.count || req.nr_segments != map->nr_segments)
			return -EIO;
		first += req.count;
	}
	return 0;
}

static int unmap_handle(struct dmashim_ctx *ctx, unsigned long long handle)
{
	struct dmashim_unmap unmap = {
		.size = sizeof(unmap),
		.handle = handle,
	};

	return dmashim_ioctl(ctx->fd, DMASHIM_IOCTL_UNMAP, &unmap);
}

DMASHIM_EXPORT int dmashim_map(struct dmashim_ctx *ctx, int buf_fd,
			       unsigned int dir, unsigned int flags,
			       struct dmashim_mapping **mapp)
{
	struct dmashim_mapping *map, *bigger;
	struct dmashim_map req;
	int ret;

	map = mapping_alloc(MAP_SEGMENTS_FIRST);
	if (!map)
		return -ENOMEM;
	req = (struct dmashim_map) {
		.size = sizeof(req),
		.flags = flags,
		.fd = buf_fd,
		.dir = dir,
		.segments = (uintptr_t)map->segments,
		.nr_segments = MAP_SEGMENTS_FIRST,
		.segment_size = sizeof(map->segments[0]),
	};
	ret = dmashim_ioctl(ctx->fd, DMASHIM_IOCTL_MAP, &req);
	if (ret) {
		free(map);
		return ret;
	}
	map->ctx = ctx;
	map->handle = req.handle;
	map->length = req.length;
	map->dir = dir;
	map->mapped_flags = req.mapped_flags;
	map->nr_segments = req.nr_segments;

	if (req.length > SIZE_MAX) {
		ret = -EOVERFLOW;
		goto unmap;
	}
	if (req.nr_segments > MAP_SEGMENTS_FIRST) {
		bigger = realloc(map, sizeof(*map) + (size_t)req.nr_segments *
						     sizeof(map->segments[0]));
		if (!bigger) {
			ret = -ENOMEM;
			goto unmap;
		}
		map = bigger;
		ret = read_segments(map, MAP_SEGMENTS_FIRST);
		if (ret)
			goto unmap;
	}
	*mapp = map;
	return 0;

unmap:
	unmap_handle(ctx, map->handle);
	free(map);
	return ret;
}

DMASHIM_EXPORT int dmashim_unmap(struct dmashim_mapping *map)
{
	int ret;

	if (!map)
		return 0;
	ret = unmap_handle(map->ctx, map->handle);
	free(map);
	return ret;
}

DMASHIM_EXPORT unsigned long long
dmashim_mapping_handle(const struct dmashim_mapping *map)
{
	return map->handle;
}

DMASHIM_EXPORT size_t dmashim_mapping_length(const struct dmashim_mapping *map)
{
	return map->length;
}

DMASHIM_EXPORT unsigned int
dmashim_mapping_flags(const struct dmashim_mapping *map)
{
	return map->mapped_flags;
}

DMASHIM_EXPORT unsigned int
dmashim_mapping_nr_segments(const struct dmashim_mapping *map)
{
	return map->nr_segments;
}

DMASHIM_EXPORT int dmashim_mapping_segment(const struct dmashim_mapping *map,
					   unsigned int i, uint64_t *addr,
					   uint64_t *length)
{
	if (i >= map->nr_segments)
		return -ERANGE;
	*addr = map->segments[i].addr;
	*length = map->segments[i].length;
	return 0;
}

static int sync_range(struct dmashim_mapping *map, unsigned int flags,
		      size_t offset, size_t length)
{
	struct dmashim_sync req = {
		.size = sizeof(req),
		.flags = flags,
		.handle = map->handle,
		.offset = offset,
		.length = length,
		.dir = map->dir,
	};

	if (!length) {
		if (offset >= map->length)
			return -EINVAL;
		req.length = map->length - offset;
	}
	return dmashim_ioctl(map->ctx->fd, DMASHIM_IOCTL_SYNC, &req);
}

DMASHIM_EXPORT int dmashim_sync_for_cpu(struct dmashim_mapping *map,
					size_t offset, size_t length)
{
	return sync_range(map, DMASHIM_SYNC_FOR_CPU, offset, length);
}

DMASHIM_EXPORT int dmashim_sync_for_device(struct dmashim_mapping *map,
					   size_t offset, size_t length)
{
	return sync_range(map, DMASHIM_SYNC_FOR_DEVICE, offset, length);
}
