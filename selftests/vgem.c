// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim selftests - vgem, the DRM driver without hardware: its card,
 * its dumb buffers (shmem GEM objects) and their CPU mapping through the
 * card, and GEM handles
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include <libdmashim.h>

#include "helpers.h"

/* Dumb buffers are made of rows of this many bytes. */
#define DUMB_PITCH 4096

int vgem_open(void)
{
	return dmashim_drm_open("vgem");
}

int dumb_create(int drm, size_t len, __u32 *handle, __u64 *size)
{
	struct drm_mode_create_dumb create = {
		.width = DUMB_PITCH,
		.height = (len + DUMB_PITCH - 1) / DUMB_PITCH,
		.bpp = 8,
	};

	if (drmIoctl(drm, DRM_IOCTL_MODE_CREATE_DUMB, &create))
		return -errno;
	*handle = create.handle;
	if (size)
		*size = create.size;
	return 0;
}

int dumb_map(int drm, __u32 handle, size_t len, void **addr)
{
	struct drm_mode_map_dumb map = { .handle = handle };
	void *p;

	if (drmIoctl(drm, DRM_IOCTL_MODE_MAP_DUMB, &map))
		return -errno;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, drm,
		 map.offset);
	if (p == MAP_FAILED)
		return -errno;
	*addr = p;
	return 0;
}

int gem_close(int drm, __u32 handle)
{
	struct drm_gem_close close = { .handle = handle };

	return drmIoctl(drm, DRM_IOCTL_GEM_CLOSE, &close) ? -errno : 0;
}
