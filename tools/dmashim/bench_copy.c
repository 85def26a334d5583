// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim bench copy - memcpy on dmaengine channels, next to a memcpy()
 *
 * For each channel and size: the microseconds from submitting one
 * transfer to reading its record (dmashim_copy()), the median of --count
 * transfers after a warm-up, the MiB/s that makes, and a userspace
 * memcpy() of the same size measured in the same run.  The copies are
 * between two page buffers, checked byte for byte after the last.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"

#define MAX_SIZES 16
#define MAX_CHANNELS 64

static const size_t default_sizes[] = {
	4 << 10, 16 << 10, 64 << 10, 256 << 10,
	1 << 20, 4 << 20, 16 << 20, 64 << 20,
};

/*
 * DMA engines too slow for the whole table: QEMU's edu moves 4095 bytes
 * per 200 ms.  Unless told --sizes, their channels copy up to @max_size;
 * unless told --count, @count times.
 */
static const struct {
	const char *driver;
	size_t max_size;
	unsigned int count;
} slow[] = {
	{ "dmashim_edu", 64 << 10, 3 },
};

struct bench {
	struct dmashim_ctx *ctx;
	const char *channels[MAX_CHANNELS];
	unsigned int nr_channels;
	size_t sizes[MAX_SIZES];
	unsigned int nr_sizes;		/* 0: the defaults */
	double memcpy_ns[MAX_SIZES];
	unsigned int count;		/* 0: by channel */
	int json;
	int rows;			/* printed so far */
	int timed;			/* channels opened */
};

/* A channel's part of the run. */
struct chan_run {
	struct dmashim_chan *chan;
	struct dmashim_channel_info info;
	struct cmd_buf src, dst;
	size_t size;
	size_t max_size;
	unsigned int count;
};

static int copy_once(void *arg)
{
	struct chan_run *cr = arg;

	return dmashim_copy(cr->chan, dmashim_buf_fd(cr->dst.buf), 0,
			    dmashim_buf_fd(cr->src.buf), 0, cr->size);
}

static const size_t *sizes_of(const struct bench *bn, unsigned int *n)
{
	*n = bn->nr_sizes ? bn->nr_sizes : ARRAY_SIZE(default_sizes);
	return bn->nr_sizes ? bn->sizes : default_sizes;
}

static void print_row(struct bench *bn, const struct chan_run *cr,
		      unsigned int i, double ns, const char *na)
{
	double copy = bn->memcpy_ns[i];
	char str[32];

	size_str(cr->size, str, sizeof(str));
	if (bn->json) {
		printf("%s\n    { \"channel\": \"%s\", \"device\": \"%s\", \"size\": %zu",
		       bn->rows ? "," : "", cr->info.name, cr->info.device,
		       cr->size);
		if (na)
			printf(", \"na\": \"%s\" }", na);
		else
			printf(", \"count\": %u, \"latency_ns\": %.0f, \"mib_s\": %.3f, \"memcpy_ns\": %.0f, \"memcpy_mib_s\": %.1f, \"per_memcpy\": %.2f }",
			       cr->count, ns, cr->size / ns * 1e9 / (1 << 20),
			       copy, cr->size / copy * 1e9 / (1 << 20),
			       ns / copy);
	} else if (na) {
		printf("%-10s %-15s %8s  n/a: %s\n", cr->info.name,
		       cr->info.device, str, na);
	} else {
		printf("%-10s %-15s %8s %5u %12.1f %9.3f %11.1f %9.1f %9.2fx\n",
		       cr->info.name, cr->info.device, str, cr->count, ns / 1e3,
		       cr->size / ns * 1e9 / (1 << 20), copy / 1e3,
		       cr->size / copy * 1e9 / (1 << 20), ns / copy);
	}
	fflush(stdout);
	bn->rows++;
}

/* A channel the run could not take. */
static void print_unavailable(struct bench *bn,
			      const struct chan_entry *e)
{
	const char *why = "in use, or without memcpy";

	if (bn->json)
		printf("%s\n    { \"channel\": \"%s\", \"device\": \"%s\", \"na\": \"%s\" }",
		       bn->rows ? "," : "", e->name, e->device, why);
	else
		printf("%-10s %-15s %8s  n/a: %s\n", e->name, e->device, "",
		       why);
	fflush(stdout);
	bn->rows++;
}

/* One row: the copies of the size, their median and their check. */
static void bench_size(struct bench *bn, struct chan_run *cr, unsigned int i)
{
	char na[96];
	long long bad;
	double ns;
	int ret;

	ret = cmd_buf_fill(cr->dst.buf, cr->size, 1);
	if (ret) {
		snprintf(na, sizeof(na), "clearing: %s", strerror(-ret));
		return print_row(bn, cr, i, 0, na);
	}
	ret = measure(copy_once, cr, cr->count, 1, &ns);
	if (ret) {
		snprintf(na, sizeof(na), "copy: %s", strerror(-ret));
		return print_row(bn, cr, i, 0, na);
	}
	bad = cmd_buf_check(cr->dst.buf, cr->size, 0);
	if (bad < 0)
		snprintf(na, sizeof(na), "reading the copy: %s",
			 strerror(-bad));
	else if ((size_t)bad < cr->size)
		snprintf(na, sizeof(na), "byte %lld of the copy is wrong", bad);
	print_row(bn, cr, i, ns, bad < 0 || (size_t)bad < cr->size ? na : NULL);
}

/*
 * The largest size and the count for @e's channel: a slow one copies up
 * to its limit unless told --sizes, as often as it says unless told
 * --count.
 */
static void limits(const struct bench *bn,
		   const struct chan_entry *e,
		   struct chan_run *cr)
{
	unsigned int i, n;
	const size_t *sizes = sizes_of(bn, &n);

	cr->max_size = 0;
	for (i = 0; i < n; i++)
		if (sizes[i] > cr->max_size)
			cr->max_size = sizes[i];
	cr->count = bn->count ? bn->count : MEASURE_BATCHES;
	for (i = 0; i < ARRAY_SIZE(slow); i++) {
		if (strcmp(e->driver, slow[i].driver))
			continue;
		if (!bn->nr_sizes && cr->max_size > slow[i].max_size)
			cr->max_size = slow[i].max_size;
		if (!bn->count)
			cr->count = slow[i].count;
	}
}

static int bench_channel(struct bench *bn,
			 const struct chan_entry *e)
{
	struct chan_run cr = { 0 };
	const size_t *sizes;
	unsigned int i, n;
	int ret;

	limits(bn, e, &cr);
	ret = dmashim_chan_open(bn->ctx, e->name, DMASHIM_CAP_MEMCPY,
				&cr.chan);
	if (ret == -ENODEV && !bn->nr_channels) {
		print_unavailable(bn, e);
		return 0;
	}
	if (ret)
		return fail(e->name, ret);
	bn->timed++;
	cr.info.size = sizeof(cr.info);
	ret = dmashim_chan_info(cr.chan, &cr.info);
	if (ret) {
		dmashim_chan_close(cr.chan);
		return fail("channel info", ret);
	}
	ret = cmd_buf_get(bn->ctx, DMASHIM_BUF_PAGES, cr.max_size, 0, &cr.src);
	if (!ret) {
		ret = cmd_buf_get(bn->ctx, DMASHIM_BUF_PAGES, cr.max_size, 0,
				  &cr.dst);
		if (ret)
			cmd_buf_put(&cr.src);
	}
	if (!ret) {
		ret = cmd_buf_fill(cr.src.buf, cr.max_size, 0);
		if (ret) {
			cmd_buf_put(&cr.dst);
			cmd_buf_put(&cr.src);
		}
	}
	if (ret) {
		dmashim_chan_close(cr.chan);
		return fail("buffers", ret);
	}
	sizes = sizes_of(bn, &n);
	for (i = 0; i < n; i++) {
		cr.size = sizes[i];
		if (cr.size <= cr.max_size)
			bench_size(bn, &cr, i);
		else
			print_row(bn, &cr, i, 0,
				  "too slow for the default sizes (--sizes)");
	}
	cmd_buf_put(&cr.dst);
	cmd_buf_put(&cr.src);
	dmashim_chan_close(cr.chan);
	return 0;
}

static void print_header(const struct bench *bn)
{
	if (bn->json) {
		printf("{\n  \"results\": [");
		return;
	}
	printf("dmashim bench copy: memcpy transfers between page buffers\n"
	       "latency: us from submitting one transfer to reading its record,\n"
	       "median of count after a warm-up; MiB/s: the size over that;\n"
	       "memcpy: the same for memcpy() in this process, median of %d\n"
	       "batches; x: latency over memcpy\n\n", MEASURE_BATCHES);
	printf("%-10s %-15s %8s %5s %12s %9s %11s %9s %10s\n", "channel",
	       "device", "size", "count", "latency us", "MiB/s", "memcpy us",
	       "MiB/s", "x");
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dmashim bench copy [--channel NAME]... [--sizes N,N,...]\n"
		"                          [--count N] [--json]\n"
		"\n"
		"Times memcpy transfers on dmaengine channels, one at a time, for\n"
		"sizes from 4 KiB to 64 MiB, next to a memcpy() of the same size.\n"
		"\n"
		"  -c, --channel NAME  a channel to time (default: every free one;\n"
		"                      edu's up to 64 KiB unless --sizes, 3 times\n"
		"                      unless --count)\n"
		"  -S, --sizes LIST    sizes, comma-separated, with K, M or G\n"
		"  -n, --count N       transfers timed per size (default: %d)\n"
		"  -j, --json          print JSON\n", MEASURE_BATCHES);
}

static int bench_opt(int opt, const char *arg, void *data)
{
	struct bench *bn = data;
	int n;

	switch (opt) {
	case 'c':
		if (bn->nr_channels == MAX_CHANNELS) {
			fprintf(stderr, "dmashim: more than %d channels\n",
				MAX_CHANNELS);
			return -1;
		}
		bn->channels[bn->nr_channels++] = arg;
		return 0;
	case 'S':
		n = parse_sizes("--sizes", arg, bn->sizes, MAX_SIZES);
		if (n < 0)
			return -1;
		bn->nr_sizes = n;
		return 0;
	case 'n':
		return parse_count("--count", arg, &bn->count);
	}
	return -1;
}

/* The channels to time: those named, else every one. */
static int channels_of(const struct bench *bn,
		       struct chan_entry **list)
{
	struct chan_entry *all;
	unsigned int i;
	int j, n;

	n = chan_entries(&all);
	if (n < 0 || !bn->nr_channels) {
		*list = all;
		return n;
	}
	*list = calloc(bn->nr_channels, sizeof(**list));
	if (!*list) {
		free(all);
		return -ENOMEM;
	}
	for (i = 0; i < bn->nr_channels; i++) {
		snprintf((*list)[i].name, sizeof((*list)[i].name), "%s",
			 bn->channels[i]);
		for (j = 0; j < n; j++)
			if (!strcmp(all[j].name, bn->channels[i]))
				(*list)[i] = all[j];
	}
	free(all);
	return bn->nr_channels;
}

int cmd_bench_copy(int argc, char **argv)
{
	static const struct option opts[] = {
		JSON_OPTION,
		{ "channel", required_argument, NULL, 'c' },
		{ "sizes", required_argument, NULL, 'S' },
		{ "count", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct dev_opts dev = { 0 };
	struct bench bn = { 0 };
	struct chan_entry *list;
	const size_t *sizes;
	unsigned int i, n;
	int ret, nr;

	ret = parse_options(argc, argv, "jc:S:n:h", opts, &dev, bench_opt,
			    &bn, usage);
	if (ret >= 0)
		return ret;
	bn.json = dev.json;

	if (open_bound(&bn.ctx, NULL, 0))
		return 1;
	nr = channels_of(&bn, &list);
	if (nr < 0) {
		dmashim_close(bn.ctx);
		return fail("channels", nr);
	}
	sizes = sizes_of(&bn, &n);
	ret = 0;
	for (i = 0; !ret && i < n; i++) {
		ret = memcpy_ns(sizes[i], 0, &bn.memcpy_ns[i]);
		if (ret)
			ret = fail("memcpy", ret);
	}
	if (!ret) {
		print_header(&bn);
		for (i = 0; !ret && i < (unsigned int)nr; i++)
			ret = bench_channel(&bn, &list[i]);
		/* Whole JSON even after a failure: stderr says what. */
		if (bn.json)
			printf("\n  ]\n}\n");
	}
	if (!ret && !bn.timed) {
		fprintf(stderr, "dmashim: no free memcpy channel to time\n");
		ret = 1;
	}
	free(list);
	dmashim_close(bn.ctx);
	return ret;
}
