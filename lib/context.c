// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libdmashim - contexts: opening, binding, describing a device and its
 * bounce pool
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

int dmashim_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do
		ret = ioctl(fd, request, arg);
	while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : ret;
}

DMASHIM_EXPORT int dmashim_open(struct dmashim_ctx **ctxp)
{
	const char *path = getenv("DMASHIM_DEVICE");
	struct dmashim_ctx *ctx;
	int err;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->fd = open(path && *path ? path : "/dev/dmashim",
		       O_RDWR | O_CLOEXEC);
	if (ctx->fd < 0) {
		err = -errno;
		free(ctx);
		return err;
	}
	*ctxp = ctx;
	return 0;
}

DMASHIM_EXPORT void dmashim_close(struct dmashim_ctx *ctx)
{
	if (!ctx)
		return;
	close(ctx->fd);
	free(ctx);
}

DMASHIM_EXPORT int dmashim_fd(const struct dmashim_ctx *ctx)
{
	return ctx->fd;
}

DMASHIM_EXPORT int dmashim_bind(struct dmashim_ctx *ctx, const char *device,
				unsigned int dma_bits, unsigned int flags)
{
	struct dmashim_bind bind = {
		.size = sizeof(bind),
		.flags = flags,
		.dma_bits = dma_bits,
	};
	size_t len = strlen(device);

	if (len >= sizeof(bind.device))
		return -ENAMETOOLONG;
	memcpy(bind.device, device, len + 1);
	return dmashim_ioctl(ctx->fd, DMASHIM_IOCTL_BIND, &bind);
}

DMASHIM_EXPORT int dmashim_info(struct dmashim_ctx *ctx,
				struct dmashim_device_info *info)
{
	struct dmashim_info req = { .size = sizeof(req) };
	struct dmashim_device_info out = { .size = sizeof(out) };
	int ret;

	ret = dmashim_ioctl(ctx->fd, DMASHIM_IOCTL_INFO, &req);
	if (ret)
		return ret;
	out.dev_flags = req.dev_flags;
	out.features = req.features;
	out.dma_mask = req.dma_mask;
	out.coherent_dma_mask = req.coherent_dma_mask;
	out.bus_dma_limit = req.bus_dma_limit;
	out.required_mask = req.required_mask;
	out.max_mapping_size = req.max_mapping_size;
	out.opt_mapping_size = req.opt_mapping_size;
	out.max_seg_size = req.max_seg_size;
	out.seg_boundary_mask = req.seg_boundary_mask;
	out.iommu_domain = req.iommu_domain;
	out.iommu_group = req.iommu_group;
	out.iova_start = req.iova_start;
	out.iova_end = req.iova_end;
	out.iommu_pgsize_bitmap = req.iommu_pgsize_bitmap;
	memcpy(out.name, req.name, sizeof(out.name));
	memcpy(out.bus, req.bus, sizeof(out.bus));
	memcpy(out.driver, req.driver, sizeof(out.driver));
	return dmashim_struct_out(info, &out, sizeof(out), DEVICE_INFO_SIZE_1_0);
}

DMASHIM_EXPORT int dmashim_stats(struct dmashim_ctx *ctx,
				 struct dmashim_pool_stats *stats)
{
	struct dmashim_stats req = { .size = sizeof(req) };
	struct dmashim_pool_stats out = { .size = sizeof(out) };
	int ret;

	ret = dmashim_ioctl(ctx->fd, DMASHIM_IOCTL_STATS, &req);
	if (ret)
		return ret;
	out.pool_bytes = req.pool_bytes;
	out.slot_bytes = req.slot_bytes;
	out.slots_total = req.slots_total;
	out.slots_used = req.slots_used;
	out.slots_high_water = req.slots_high_water;
	out.bytes_to_device = req.bytes_to_device;
	out.bytes_to_cpu = req.bytes_to_cpu;
	out.mappings_bounced = req.mappings_bounced;
	out.failures = req.failures;
	out.share_refusals = req.share_refusals;
	return dmashim_struct_out(stats, &out, sizeof(out), POOL_STATS_SIZE_1_0);
}

DMASHIM_EXPORT const char *dmashim_iommu_domain_name(unsigned int iommu_domain)
{
	static const char *const names[] = {
		[DMASHIM_IOMMU_NONE] = "none",
		[DMASHIM_IOMMU_IDENTITY] = "identity",
		[DMASHIM_IOMMU_DMA_STRICT] = "dma-strict",
		[DMASHIM_IOMMU_DMA_LAZY] = "dma-lazy",
		[DMASHIM_IOMMU_BLOCKED] = "blocked",
		[DMASHIM_IOMMU_OTHER] = "other",
	};

	if (iommu_domain >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[iommu_domain];
}
