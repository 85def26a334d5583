// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim pipeline - a buffer through vgem: imported as a GEM handle with
 * libdrm's PRIME helpers (vgem attaches it and maps it for its device),
 * exported again from that handle and read back through the export
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "cmds.h"
#include "pipeline.h"

#define MAX_CARDS 16

/* The first DRM card driven by vgem, or -ENODEV. */
static int vgem_open(char *card, size_t len)
{
	drmVersionPtr v;
	bool found;
	int i, fd;

	for (i = 0; i < MAX_CARDS; i++) {
		snprintf(card, len, DRM_DEV_NAME, DRM_DIR_NAME, i);
		fd = open(card, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		found = v && !strcmp(v->name, "vgem");
		drmFreeVersion(v);
		if (found)
			return fd;
		close(fd);
	}
	return -ENODEV;
}

/*
 * Read GEM object @handle of @drm back through its PRIME export: vgem
 * does not map imported objects itself (drm_gem_dumb_map_offset()
 * refuses them), but exports them again, as the same dma-buf as @fd.
 */
static int vgem_compare(int drm, uint32_t handle, int fd, size_t length,
			uint64_t off)
{
	struct stat a, b;
	int out, ret;
	void *p;

	if (drmPrimeHandleToFD(drm, handle, DRM_CLOEXEC | DRM_RDWR, &out))
		return -errno;
	ret = fstat(fd, &a) || fstat(out, &b) ? -errno : 0;
	if (!ret && a.st_ino != b.st_ino) {
		fprintf(stderr, "pipeline: MISMATCH: vgem exported another dma-buf\n");
		ret = 1;
	}
	if (!ret) {
		p = mmap(NULL, length, PROT_READ, MAP_SHARED, out, 0);
		if (p == MAP_FAILED) {
			ret = -errno;
		} else {
			ret = pattern_compare("the buffer vgem exported", p,
					      length, off);
			munmap(p, length);
		}
	}
	close(out);
	return ret;
}

int vgem_readback(int fd, size_t length, uint64_t pattern_offset,
		  struct stage *st, char *card, size_t card_len)
{
	struct dma_buf_sync sync = {
		.flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ,
	};
	uint64_t t = now_ns();
	uint32_t handle;
	int drm, ret;

	drm = vgem_open(card, card_len);
	if (drm < 0)
		return drm;
	if (drmPrimeFDToHandle(drm, fd, &handle)) {
		ret = -errno;
		goto out;
	}
	ret = ioctl(fd, DMA_BUF_IOCTL_SYNC, &sync) ? -errno : 0;
	if (!ret) {
		ret = vgem_compare(drm, handle, fd, length, pattern_offset);
		sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ;
		ioctl(fd, DMA_BUF_IOCTL_SYNC, &sync);
	}
	drmCloseBufferHandle(drm, handle);
	if (!ret) {
		st->count++;
		st->bytes += length;
		st->ns += now_ns() - t;
	}
out:
	close(drm);
	return ret;
}
