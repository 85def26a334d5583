// SPDX-License-Identifier: GPL-2.0
/* dmashim copy - copy a buffer into another on a dmaengine channel */

#include <stdbool.h>
#include <stdio.h>

#include "cmds.h"

struct copy_opts {
	const char *channel;
	unsigned int kind;
	size_t size;
	bool verify;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dmashim copy [--channel NAME | --device DEVNAME] --size N\n"
		"                    [--kind pages|contiguous|coherent] [--verify]\n"
		"\n"
		"Allocates two buffers, fills one with a pattern, copies it into\n"
		"the other on a dmaengine channel and prints how long that took.\n"
		"\n"
		"  -c, --channel NAME    the channel (\"dma0chan1\")\n"
		"  -d, --device DEVNAME  a free channel of this DMA device\n"
		"                        (\"0000:00:11.0\", \"dmashim_cpudma\")\n"
		"                        (default: any free memcpy channel)\n"
		"  -s, --size N          bytes, or with a K, M or G suffix\n"
		"  -k, --kind KIND       buffer kind (default: pages)\n"
		"  -V, --verify          check the copy byte for byte\n");
}

/* Check the copy; the exit status. */
static int verify(struct dmashim_buf *dst, size_t size)
{
	long long bad = cmd_buf_check(dst, size, 0);
	const unsigned char *p;
	void *addr;

	if (bad < 0)
		return fail("reading the copy", bad);
	if ((size_t)bad == size)
		return 0;
	if (dmashim_buf_mmap(dst, &addr)) {
		fprintf(stderr, "dmashim: byte %lld of the copy is wrong\n",
			bad);
		return 1;
	}
	p = addr;
	fprintf(stderr, "dmashim: byte %lld of the copy is 0x%02x, not 0x%02x\n",
		bad, p[bad], pattern(bad));
	return 1;
}

static int run(struct dmashim_ctx *ctx, struct dmashim_chan *chan,
	       const struct copy_opts *o)
{
	struct dmashim_channel_info info = DMASHIM_CHANNEL_INFO_INIT;
	struct cmd_buf src, dst;
	uint64_t t = 0;
	char str[32];
	int ret;

	ret = dmashim_chan_info(chan, &info);
	if (ret)
		return fail("channel info", ret);
	ret = cmd_buf_get(ctx, o->kind, o->size, 0, &src);
	if (ret)
		return fail("alloc", ret);
	ret = cmd_buf_get(ctx, o->kind, o->size, 0, &dst);
	if (ret) {
		cmd_buf_put(&src);
		return fail("alloc", ret);
	}
	/* The destination is new: zero-filled. */
	ret = cmd_buf_fill(src.buf, o->size, 0);
	if (ret) {
		ret = fail("filling the source", ret);
	} else {
		t = now_ns();
		ret = dmashim_copy(chan, dmashim_buf_fd(dst.buf), 0,
				   dmashim_buf_fd(src.buf), 0, o->size);
		t = now_ns() - t;
		ret = ret ? fail("copy", ret) : 0;
	}
	if (!ret && o->verify)
		ret = verify(dst.buf, o->size);
	if (!ret)
		printf("copied %s (%s) on %s (device %s) in %.1f us, %.3f MiB/s%s\n",
		       size_str(o->size, str, sizeof(str)), kind_name(o->kind),
		       info.name, info.device, t / 1e3,
		       o->size / (t / 1e9) / (1 << 20),
		       o->verify ? ", verified" : "");
	cmd_buf_put(&dst);
	cmd_buf_put(&src);
	return ret;
}

static int copy_opt(int opt, const char *arg, void *data)
{
	struct copy_opts *o = data;

	switch (opt) {
	case 'c':
		o->channel = arg;
		return 0;
	case 'k':
		return parse_kind(arg, &o->kind);
	case 's':
		return parse_size("--size", arg, &o->size);
	case 'V':
		o->verify = true;
		return 0;
	}
	return -1;
}

int cmd_copy(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "channel", required_argument, NULL, 'c' },
		{ "device", required_argument, NULL, 'd' },
		{ "size", required_argument, NULL, 's' },
		{ "kind", required_argument, NULL, 'k' },
		{ "verify", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct copy_opts o = { .kind = DMASHIM_BUF_PAGES };
	struct dev_opts dev = { 0 };
	struct dmashim_chan *chan;
	struct dmashim_ctx *ctx;
	int ret;

	/* --device names the channel's DMA device: nothing is bound. */
	ret = parse_options(argc, argv, "c:d:s:k:Vh", opts, &dev, copy_opt,
			    &o, usage);
	if (ret >= 0)
		return ret;
	if (!o.size || (o.channel && dev.device)) {
		usage(stderr);
		return 2;
	}

	if (open_bound(&ctx, NULL, 0))
		return 1;
	ret = open_memcpy_channel(ctx, o.channel, dev.device, &chan);
	if (!ret) {
		ret = run(ctx, chan, &o);
		dmashim_chan_close(chan);
	}
	dmashim_close(ctx);
	return ret;
}
