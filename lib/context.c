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
				struct dmashim_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return dmashim_ioctl(ctx->fd, DMASHIM_IOCTL_INFO, info);
}

DMASHIM_EXPORT int dmashim_stats(struct dmashim_ctx *ctx,
				 struct dmashim_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	stats->size = sizeof(*stats);
	return dmashim_ioctl(ctx->fd, DMASHIM_IOCTL_STATS, stats);
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
