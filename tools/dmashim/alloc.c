// SPDX-License-Identifier: GPL-2.0
/* dmashim alloc - allocate a buffer, map it for the CPU and fill it */

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <linux/dma-buf.h>

#include <libdmashim.h>
#include "cmds.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dmashim alloc --kind pages|contiguous|coherent --size N\n"
		"                     [--device NAME] [--dma-bits N]\n"
		"\n"
		"Allocates a buffer, checks that it is zero-filled, fills it with\n"
		"a pattern through its CPU mapping and reads the pattern back.\n"
		"\n"
		"  -k, --kind KIND    what memory the buffer is made of\n"
		"  -s, --size N       bytes, or with a K, M or G suffix; rounded up\n"
		"                     to pages\n"
		"  -d, --device NAME  device to allocate for (coherent buffers)\n"
		"  -b, --dma-bits N   DMA mask to set if dmashim drives the device\n");
}

static int fill(struct dmashim_buf *buf)
{
	size_t i, size = dmashim_buf_size(buf), bad;
	unsigned char *p;
	void *addr;
	int ret;

	ret = dmashim_buf_mmap(buf, &addr);
	if (ret)
		return fail("mmap", ret);
	p = addr;
	ret = dmashim_buf_cpu_begin(buf, DMA_BUF_SYNC_RW);
	if (ret)
		return fail("DMA_BUF_IOCTL_SYNC start", ret);
	bad = first_mismatch(p, size, 1, 0);
	for (i = 0; i < size; i++)
		p[i] = pattern(i);
	ret = dmashim_buf_cpu_end(buf, DMA_BUF_SYNC_RW);
	if (ret)
		return fail("DMA_BUF_IOCTL_SYNC end", ret);
	if (bad < size) {
		fprintf(stderr, "dmashim: byte %zu of the new buffer is not 0\n",
			bad);
		return 1;
	}
	bad = first_mismatch(p, size, 0, 0);
	if (bad < size) {
		fprintf(stderr, "dmashim: byte %zu does not read back\n", bad);
		return 1;
	}
	return 0;
}

struct alloc_opts {
	unsigned int kind;
	size_t size;
};

static int alloc_opt(int opt, const char *arg, void *data)
{
	struct alloc_opts *o = data;

	switch (opt) {
	case 'k':
		return parse_kind(arg, &o->kind);
	case 's':
		return parse_size("--size", arg, &o->size);
	}
	return -1;
}

int cmd_alloc(int argc, char **argv)
{
	static const struct option opts[] = {
		DEV_OPTIONS,
		{ "kind", required_argument, NULL, 'k' },
		{ "size", required_argument, NULL, 's' },
		{ 0 }
	};
	struct alloc_opts o = { .kind = ~0U };
	struct dev_opts dev = { 0 };
	struct dmashim_ctx *ctx;
	struct dmashim_buf *buf;
	char str[32];
	int ret;

	ret = parse_options(argc, argv, DEV_SHORT_OPTIONS "k:s:", opts, &dev,
			    alloc_opt, &o, usage);
	if (ret >= 0)
		return ret;
	if (o.kind == ~0U || !o.size) {
		usage(stderr);
		return 2;
	}

	if (open_bound(&ctx, dev.device, dev.dma_bits))
		return 1;
	ret = dmashim_buf_alloc(ctx, o.size, o.kind, O_RDWR | O_CLOEXEC,
				&buf);
	if (ret) {
		dmashim_close(ctx);
		return fail("alloc", ret);
	}
	ret = fill(buf);
	if (!ret)
		printf("%zu bytes (%s), %s, zero-filled, pattern written and read back\n",
		       dmashim_buf_size(buf),
		       size_str(dmashim_buf_size(buf), str, sizeof(str)),
		       kind_name(o.kind));
	dmashim_buf_free(buf);
	dmashim_close(ctx);
	return ret;
}
