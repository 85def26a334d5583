// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim pipeline - a buffer through vgem, with libdmashim's DRM PRIME
 * calls: imported as a GEM handle (vgem attaches it and maps it for its
 * device), exported again from that handle and read back through the
 * export.  vgem does not map imported objects itself
 * (drm_gem_dumb_map_offset() refuses them).
 */

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xf86drm.h>

#include "cmds.h"
#include "pipeline.h"

/* The export must be @buf's own dma-buf, holding the pattern. */
static int check_export(struct dmashim_buf *buf, struct dmashim_buf *out,
			size_t length, uint64_t off)
{
	struct stat a, b;

	if (fstat(dmashim_buf_fd(buf), &a) || fstat(dmashim_buf_fd(out), &b))
		return -errno;
	if (a.st_ino != b.st_ino) {
		fprintf(stderr, "pipeline: MISMATCH: vgem exported another dma-buf\n");
		return 1;
	}
	return pattern_check("the buffer vgem exported", out, length, off);
}

int vgem_readback(struct dmashim_buf *buf, size_t length,
		  uint64_t pattern_offset, struct stage *st)
{
	struct dmashim_buf *out;
	uint64_t t = now_ns();
	uint32_t handle;
	int drm, ret;

	drm = dmashim_drm_open("vgem");
	if (drm < 0)
		return drm;
	ret = dmashim_buf_to_gem(buf, drm, &handle);
	if (ret)
		goto out;
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
out:
	close(drm);
	return ret;
}
