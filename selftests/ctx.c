// SPDX-License-Identifier: GPL-2.0
/* dmashim selftests - the context and its ioctls, with full-size structs */

#include <errno.h>
#include <fcntl.h>
#include <linux/dma-buf.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "helpers.h"

void mapping_views_on(void)
{
	sysfs_write("/sys/module/dmashim/parameters/debugfs_mappings", "Y");
}

int ctx_open(void)
{
	int fd;

	mapping_views_on();
	fd = open(DMASHIM_DEV_PATH, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int ioctl_errno(int fd, unsigned long request, void *arg)
{
	return ioctl(fd, request, arg) < 0 ? -errno : 0;
}

int ctx_bind(int fd, const char *device, unsigned int dma_bits,
	     unsigned int flags)
{
	struct dmashim_bind bind = {
		.size = sizeof(bind),
		.flags = flags,
		.dma_bits = dma_bits,
	};

	snprintf(bind.device, sizeof(bind.device), "%s", device);
	return ioctl_errno(fd, DMASHIM_IOCTL_BIND, &bind);
}

int ctx_info(int fd, struct dmashim_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return ioctl_errno(fd, DMASHIM_IOCTL_INFO, info);
}

int bind_new(const char *device, unsigned int dma_bits)
{
	int fd = ctx_open(), ret;

	if (fd < 0)
		return fd;
	ret = ctx_bind(fd, device, dma_bits, 0);
	close(fd);
	return ret;
}

int ctx_open_bound(const char *device, unsigned int dma_bits)
{
	int fd = ctx_open(), ret;

	if (fd < 0)
		return fd;
	ret = ctx_bind(fd, device, dma_bits, 0);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

int ctx_stats(int fd, struct dmashim_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	stats->size = sizeof(*stats);
	return ioctl_errno(fd, DMASHIM_IOCTL_STATS, stats);
}

int ctx_unmap(int ctx, __u64 handle)
{
	struct dmashim_unmap unmap = {
		.size = sizeof(unmap),
		.handle = handle,
	};

	return ioctl_errno(ctx, DMASHIM_IOCTL_UNMAP, &unmap);
}

int ctx_sync(int ctx, __u64 handle, __u32 flags, __u64 offset, __u64 length,
	     __u32 dir)
{
	struct dmashim_sync sync = {
		.size = sizeof(sync),
		.flags = flags,
		.handle = handle,
		.offset = offset,
		.length = length,
		.dir = dir,
	};

	return ioctl_errno(ctx, DMASHIM_IOCTL_SYNC, &sync);
}

int dmabuf_sync(int buf_fd, unsigned long long flags)
{
	struct dma_buf_sync sync = { .flags = flags };

	return ioctl_errno(buf_fd, DMA_BUF_IOCTL_SYNC, &sync);
}
