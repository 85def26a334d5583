// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim selftests - vgem, the DRM driver without hardware: its card,
 * its dumb buffers (shmem GEM objects) and their CPU mapping through the
 * card, and GEM handles
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include "helpers.h"

#define DRI_DIR "/dev/dri"

/* Dumb buffers are made of rows of this many bytes. */
#define DUMB_PITCH 4096

int vgem_open(void)
{
	char path[PATH_MAX];
	struct dirent *e;
	drmVersionPtr v;
	int fd, ret = -ENOENT;
	DIR *d;

	d = opendir(DRI_DIR);
	if (!d)
		return -ENOENT;
	while (ret < 0 && (e = readdir(d))) {
		/* Dumb buffers are for primary nodes only. */
		if (strncmp(e->d_name, "card", 4))
			continue;
		snprintf(path, sizeof(path), DRI_DIR "/%s", e->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		if (v && v->name && !strcmp(v->name, "vgem"))
			ret = fd;
		else
			close(fd);
		drmFreeVersion(v);
	}
	closedir(d);
	return ret;
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
