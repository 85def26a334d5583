// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim pipeline - a buffer through vgem, with libdmashim's DRM PRIME
 * calls: imported as a GEM handle (vgem attaches it and maps it for its
 * device), exported again from that handle and read back through the
 * export.  vgem does not map imported objects itself
 * (drm_gem_dumb_map_offset() refuses them).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "cmds.h"
#include "pipeline.h"

/* The export of @handle must be @buf's own dma-buf, holding the pattern. */
static int check_export(struct dmashim_buf *buf, struct dmashim_buf *out,
			size_t length, uint64_t off)
{
	struct stat a, b;
	void *p;
	int ret;

	if (fstat(dmashim_buf_fd(buf), &a) || fstat(dmashim_buf_fd(out), &b))
		return -errno;
	if (a.st_ino != b.st_ino) {
		fprintf(stderr, "pipeline: MISMATCH: vgem exported another dma-buf\n");
		return 1;
	}
	ret = dmashim_buf_mmap(out, &p);
	if (ret)
		return ret;
	ret = dmashim_buf_cpu_begin(out, DMA_BUF_SYNC_READ);
	if (ret)
		return ret;
	ret = pattern_compare("the buffer vgem exported", p, length, off);
	dmashim_buf_cpu_end(out, DMA_BUF_SYNC_READ);
	return ret;
}

int vgem_readback(int fd, size_t length, uint64_t pattern_offset,
		  struct stage *st)
{
	struct dmashim_buf *buf, *out;
	uint64_t t = now_ns();
	uint32_t handle;
	int drm, dup_fd, ret;

	drm = dmashim_drm_open("vgem");
	if (drm < 0)
		return drm;
	dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	ret = dup_fd < 0 ? -errno : dmashim_buf_import(dup_fd, &buf);
	if (ret) {
		if (dup_fd >= 0)
			close(dup_fd);
		goto out;
	}
	ret = dmashim_buf_to_gem(buf, drm, &handle);
	if (ret)
		goto out_buf;
	ret = dmashim_buf_from_gem(drm, handle, &out);
	if (!ret) {
		ret = check_export(buf, out, length, pattern_offset);
		dmashim_buf_free(out);
	}
	drmCloseBufferHandle(drm, handle);
	if (!ret) {
		st->count++;
		st->bytes += length;
		st->ns += now_ns() - t;
	}
out_buf:
	dmashim_buf_free(buf);
out:
	close(drm);
	return ret;
}
