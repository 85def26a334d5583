// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libdmashim - DRM PRIME interop: a buffer imported as a GEM object of a
 * DRM device, and a GEM object exported as a buffer
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

#include "internal.h"

/*
 * The primary nodes, walked with drmGetVersion() rather than listed with
 * drmGetDevices2(): the caller names a driver ("vgem", a virtual device
 * on no bus), which drmGetVersion() gives and drmGetDevices2()'s bus
 * descriptions do not.
 */
DMASHIM_EXPORT int dmashim_drm_open(const char *driver)
{
	int i, fd, err = -ENODEV;
	char path[64];
	drmVersionPtr v;
	bool found;

	for (i = 0; i < DRM_MAX_MINOR; i++) {
		snprintf(path, sizeof(path), DRM_DEV_NAME, DRM_DIR_NAME, i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			/* A card we may not open may be the one. */
			if (errno == EACCES || errno == EPERM)
				err = -errno;
			continue;
		}
		v = drmGetVersion(fd);
		found = v && v->name && !strcmp(v->name, driver);
		drmFreeVersion(v);
		if (found)
			return fd;
		close(fd);
	}
	return err;
}

/* libdrm's PRIME calls return the ioctl's -1, the error in errno. */

DMASHIM_EXPORT int dmashim_buf_to_gem(const struct dmashim_buf *buf,
				      int drm_fd, uint32_t *handle)
{
	if (drmPrimeFDToHandle(drm_fd, buf->fd, handle))
		return -errno;
	return 0;
}

DMASHIM_EXPORT int dmashim_buf_from_gem(int drm_fd, uint32_t handle,
					struct dmashim_buf **bufp)
{
	int fd, ret;

	if (drmPrimeHandleToFD(drm_fd, handle, DRM_CLOEXEC | DRM_RDWR, &fd))
		return -errno;
	ret = dmashim_buf_import(fd, bufp);
	if (ret)
		close(fd);
	return ret;
}
