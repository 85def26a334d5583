// SPDX-License-Identifier: GPL-2.0
/* dmashim tool - buffers for the commands: allocated, or memory pinned */

#include <errno.h>
#include <sys/mman.h>

#include <libdmashim.h>
#include "cmds.h"

int cmd_buf_get(struct dmashim_ctx *ctx, unsigned int kind, size_t size,
		unsigned int pin_flags, struct cmd_buf *b)
{
	int ret;

	*b = (struct cmd_buf){ .size = size };
	if (kind != KIND_PINNED)
		return dmashim_buf_alloc(ctx, size, kind, 0, &b->buf);
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
