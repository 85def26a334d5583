// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim tool - buffers for the commands: allocated, or memory pinned;
 * the pattern they are filled with
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/dma-buf.h>

#include <libdmashim.h>
#include "cmds.h"

int cmd_buf_get(struct dmashim_ctx *ctx, unsigned int kind, size_t size,
		unsigned int pin_flags, struct cmd_buf *b)
{
	int ret;

	*b = (struct cmd_buf){ .size = size };
	if (kind != KIND_PINNED)
		return dmashim_buf_alloc(ctx, size, kind, O_RDWR | O_CLOEXEC,
					 &b->buf);
	b->mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (b->mem == MAP_FAILED) {
		b->mem = NULL;
		return -errno;
	}
	ret = dmashim_buf_pin(ctx, b->mem, size, pin_flags, &b->buf);
	if (ret) {
		munmap(b->mem, size);
		b->mem = NULL;
	}
	return ret;
}

void cmd_buf_put(struct cmd_buf *b)
{
	dmashim_buf_free(b->buf);
	if (b->mem)
		munmap(b->mem, b->size);
	*b = (struct cmd_buf){ 0 };
}

unsigned char pattern(size_t off)
{
	return (off * 2654435761u) >> 24;
}

size_t first_mismatch(const unsigned char *p, size_t len, int zero,
		      size_t off)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (zero ? 0 : pattern(off + i)))
			break;
	return i;
}

int cmd_buf_fill(struct dmashim_buf *buf, size_t len, int zero)
{
	unsigned char *p;
	void *addr;
	size_t i;
	int ret;

	ret = dmashim_buf_mmap(buf, &addr);
	if (!ret)
		ret = dmashim_buf_cpu_begin(buf, DMA_BUF_SYNC_WRITE);
	if (ret)
		return ret;
	p = addr;
	if (zero)
		memset(p, 0, len);
	for (i = 0; !zero && i < len; i++)
		p[i] = pattern(i);
	return dmashim_buf_cpu_end(buf, DMA_BUF_SYNC_WRITE);
}

long long cmd_buf_check(struct dmashim_buf *buf, size_t len, size_t off)
{
	size_t bad;
	void *addr;
	int ret;

	ret = dmashim_buf_mmap(buf, &addr);
	if (!ret)
		ret = dmashim_buf_cpu_begin(buf, DMA_BUF_SYNC_READ);
	if (ret)
		return ret;
	bad = first_mismatch(addr, len, 0, off);
	ret = dmashim_buf_cpu_end(buf, DMA_BUF_SYNC_READ);
	return ret ? ret : (long long)bad;
}
