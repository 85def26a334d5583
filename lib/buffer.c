// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libdmashim - buffers: allocating, pinning and importing dma-bufs, their
 * CPU mapping and CPU access brackets (DMA_BUF_IOCTL_SYNC)
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/magic.h>

#include "internal.h"

/* Wrap @fd, whose size is @size, in a new buffer. */
static int buf_new(int fd, unsigned long long size, struct dmashim_buf **bufp)
{
	struct dmashim_buf *buf;

	if (size > SIZE_MAX)
		return -EOVERFLOW;
	buf = calloc(1, sizeof(*buf));
	if (!buf)
		return -ENOMEM;
	buf->fd = fd;
	buf->size = size;
	*bufp = buf;
	return 0;
}

DMASHIM_EXPORT int dmashim_buf_alloc(struct dmashim_ctx *ctx, size_t length,
				     unsigned int kind, unsigned int fd_flags,
				     struct dmashim_buf **bufp)
{
	struct dmashim_alloc alloc = {
		.size = sizeof(alloc),
		.length = length,
		.kind = kind,
		.fd_flags = fd_flags,
	};
	int ret;

	ret = dmashim_ioctl(ctx->fd, DMASHIM_IOCTL_ALLOC, &alloc);
	if (ret)
		return ret;
	ret = buf_new(alloc.fd, alloc.length, bufp);
	if (ret)
		close(alloc.fd);
	return ret;
}

DMASHIM_EXPORT int dmashim_buf_pin(struct dmashim_ctx *ctx, void *addr,
				   size_t length, unsigned int flags,
				   struct dmashim_buf **bufp)
{
	struct dmashim_pin pin = {
		.size = sizeof(pin),
		.flags = flags,
		.addr = (uintptr_t)addr,
		.length = length,
		.fd_flags = O_RDWR | O_CLOEXEC,
	};
	int ret;

	ret = dmashim_ioctl(ctx->fd, DMASHIM_IOCTL_PIN, &pin);
	if (ret)
		return ret;
	ret = buf_new(pin.fd, length, bufp);
	if (ret)
		close(pin.fd);
	else
		(*bufp)->pinned = true;
	return ret;
}

/*
 * Every dma-buf lives on the kernel's dma-buf pseudo filesystem, and its
 * size is what seeking to its end returns.  On failure @fd stays the
 * caller's.
 */
DMASHIM_EXPORT int dmashim_buf_import(int fd, struct dmashim_buf **bufp)
{
	struct statfs sfs;
	off_t size;

	if (fstatfs(fd, &sfs))
		return -errno;
	if (sfs.f_type != DMA_BUF_MAGIC)
		return -EBADF;
	size = lseek(fd, 0, SEEK_END);
	if (size < 0)
		return -errno;
	return buf_new(fd, size, bufp);
}

DMASHIM_EXPORT void dmashim_buf_free(struct dmashim_buf *buf)
{
	if (!buf)
		return;
	if (buf->addr)
		munmap(buf->addr, buf->size);
	close(buf->fd);
	free(buf);
}

DMASHIM_EXPORT int dmashim_buf_fd(const struct dmashim_buf *buf)
{
	return buf->fd;
}

DMASHIM_EXPORT size_t dmashim_buf_size(const struct dmashim_buf *buf)
{
	return buf->size;
}

DMASHIM_EXPORT int dmashim_buf_mmap(struct dmashim_buf *buf, void **addrp)
{
	int prot = PROT_READ | PROT_WRITE;
	int fl;
	void *addr;

	/*
	 * The kernel says so too, but the dma-buf core refuses a mapping of
	 * a size that is not whole pages (EINVAL) before it asks.
	 */
	if (buf->pinned)
		return -ENODEV;
	if (!buf->addr) {
		fl = fcntl(buf->fd, F_GETFL);
		if (fl < 0)
			return -errno;
		if ((fl & O_ACCMODE) == O_RDONLY)
			prot = PROT_READ;
		addr = mmap(NULL, buf->size, prot, MAP_SHARED, buf->fd, 0);
		if (addr == MAP_FAILED)
			return -errno;
		buf->addr = addr;
	}
	*addrp = buf->addr;
	return 0;
}

static int buf_sync(struct dmashim_buf *buf, unsigned int access,
		    unsigned int when)
{
	struct dma_buf_sync sync = { .flags = when | access };

	if (access & ~DMA_BUF_SYNC_RW)
		return -EINVAL;
	return dmashim_ioctl(buf->fd, DMA_BUF_IOCTL_SYNC, &sync);
}

DMASHIM_EXPORT int dmashim_buf_cpu_begin(struct dmashim_buf *buf,
					 unsigned int access)
{
	return buf_sync(buf, access, DMA_BUF_SYNC_START);
}

DMASHIM_EXPORT int dmashim_buf_cpu_end(struct dmashim_buf *buf,
				       unsigned int access)
{
	return buf_sync(buf, access, DMA_BUF_SYNC_END);
}
