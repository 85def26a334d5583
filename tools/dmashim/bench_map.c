// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim bench map - what mapping and syncing cost, next to a memcpy
 *
 * For each size and buffer kind, with and without DMASHIM_MAP_BOUNCE: the
 * ns per map+unmap pair and per sync pair (for the device, then for the
 * CPU, of the whole buffer) of a bidirectional mapping, and the ns of a
 * memcpy of the same size measured in the same run.  Each figure is the
 * median of MEASURE_BATCHES batches run after a warm-up; a batch repeats
 * the operation --iterations times, or as many times as take about 5 ms.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libdmashim.h>
#include "cmds.h"

#define NR_KINDS 4	/* DMASHIM_BUF_* and KIND_PINNED */

static const size_t sizes[] = {
	4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20,
};

struct bench {
	struct dmashim_ctx *ctx;
	unsigned int iterations;	/* per batch; 0: calibrate */
	int json;
	int rows;			/* printed so far */
};

/* One cell of the table: a size, a kind, bounced or not. */
struct result {
	size_t size;
	unsigned int kind;
	int bounce;			/* DMASHIM_MAP_BOUNCE asked for */
	unsigned int mapped_flags;
	double map_ns, sync_ns, memcpy_ns;
	char na[96];			/* why the cell was not measured */
};

struct map_op {
	struct dmashim_ctx *ctx;
	int fd;
	unsigned int flags;
	unsigned int mapped_flags;
};

static int map_unmap_once(void *arg)
{
	struct map_op *m = arg;
	struct dmashim_mapping *map;
	int ret;

	ret = dmashim_map(m->ctx, m->fd, DMASHIM_DIR_BIDIRECTIONAL, m->flags,
			  &map);
	if (ret)
		return ret;
	m->mapped_flags = dmashim_mapping_flags(map);
	return dmashim_unmap(map);
}

static int sync_once(void *arg)
{
	struct dmashim_mapping *map = arg;
	int ret;

	ret = dmashim_sync_for_device(map, 0, 0);
	return ret ? ret : dmashim_sync_for_cpu(map, 0, 0);
}

static void not_measured(struct bench *bn, struct result *r, const char *what,
			 int err)
{
	struct dmashim_pool_stats st = DMASHIM_POOL_STATS_INIT;
	char str[32];

	if (err == -ENOSPC && !dmashim_stats(bn->ctx, &st))
		snprintf(r->na, sizeof(r->na),
			 st.pool_bytes ? "bounce pool too small (%s)" :
					 "the device has no bounce pool",
			 size_str(st.pool_bytes, str, sizeof(str)));
	else if (err == -EFBIG)
		snprintf(r->na, sizeof(r->na), "%s: too large for a %s buffer",
			 what, kind_name(r->kind));
	else
		snprintf(r->na, sizeof(r->na), "%s: %s", what, strerror(-err));
}

static void measure_cell(struct bench *bn, const struct cmd_buf *b,
			 struct result *r)
{
	struct map_op m = {
		.ctx = bn->ctx,
		.fd = dmashim_buf_fd(b->buf),
		.flags = r->bounce ? DMASHIM_MAP_BOUNCE : 0,
	};
	struct dmashim_mapping *map;
	int ret;

	ret = measure(map_unmap_once, &m, MEASURE_BATCHES, bn->iterations,
		      &r->map_ns);
	if (ret)
		return not_measured(bn, r, "map", ret);
	r->mapped_flags = m.mapped_flags;
	ret = dmashim_map(bn->ctx, m.fd, DMASHIM_DIR_BIDIRECTIONAL, m.flags,
			  &map);
	if (ret)
		return not_measured(bn, r, "map", ret);
	ret = measure(sync_once, map, MEASURE_BATCHES, bn->iterations,
		      &r->sync_ns);
	dmashim_unmap(map);
	if (ret)
		not_measured(bn, r, "sync", ret);
}

static const char *bounce_str(const struct result *r)
{
	if (r->bounce)
		return "forced";
	if (r->mapped_flags & DMASHIM_MAPPED_BOUNCED)
		return "auto";
	return r->mapped_flags & DMASHIM_MAPPED_SWIOTLB ? "swiotlb" : "no";
}

static void print_row(struct bench *bn, const struct result *r)
{
	char str[32];

	size_str(r->size, str, sizeof(str));
	if (bn->json) {
		printf("%s\n    { \"size\": %zu, \"kind\": \"%s\", \"bounce\": \"%s\"",
		       bn->rows ? "," : "", r->size, kind_name(r->kind),
		       bounce_str(r));
		if (r->na[0])
			printf(", \"na\": \"%s\" }", r->na);
		else
			printf(", \"map_unmap_ns\": %.0f, \"sync_ns\": %.0f, \"memcpy_ns\": %.0f, \"map_unmap_per_memcpy\": %.2f, \"sync_per_memcpy\": %.2f }",
			       r->map_ns, r->sync_ns,
			       r->memcpy_ns, r->map_ns / r->memcpy_ns,
			       r->sync_ns / r->memcpy_ns);
	} else if (r->na[0]) {
		printf("%8s  %-10s  %-7s  n/a: %s\n", str,
		       kind_name(r->kind), bounce_str(r), r->na);
	} else {
		printf("%8s  %-10s  %-7s  %11.0f %7.2fx  %11.0f %7.2fx  %10.0f\n",
		       str, kind_name(r->kind), bounce_str(r), r->map_ns,
		       r->map_ns / r->memcpy_ns, r->sync_ns,
		       r->sync_ns / r->memcpy_ns, r->memcpy_ns);
	}
	fflush(stdout);
	bn->rows++;
}

static int bench_size(struct bench *bn, size_t size)
{
	unsigned int kind, bounce;
	struct cmd_buf b;
	struct result r;
	double copy;
	int ret;

	ret = memcpy_ns(size, bn->iterations, &copy);
	if (ret)
		return fail("memcpy", ret);
	for (kind = 0; kind < NR_KINDS; kind++) {
		ret = cmd_buf_get(bn->ctx, kind, size,
				  DMASHIM_PIN_DEVICE_WRITES, &b);
		for (bounce = 0; bounce < 2; bounce++) {
			r = (struct result){ .size = size, .kind = kind,
					     .bounce = bounce,
					     .memcpy_ns = copy };
			if (ret)
				not_measured(bn, &r, kind == KIND_PINNED ?
						     "pin" : "alloc", ret);
			else
				measure_cell(bn, &b, &r);
			print_row(bn, &r);
		}
		if (!ret)
			cmd_buf_put(&b);
	}
	return 0;
}

static void print_header(const struct bench *bn,
			 const struct dmashim_device_info *info)
{
	const char *domain = dmashim_iommu_domain_name(info->iommu_domain);
	char iter[32] = "auto";

	if (bn->iterations)
		snprintf(iter, sizeof(iter), "%u", bn->iterations);
	if (bn->json) {
		printf("{\n  \"device\": \"%s\",\n  \"iommu_domain\": \"%s\",\n"
		       "  \"dir\": \"bidirectional\",\n  \"batches\": %d,\n"
		       "  \"iterations\": %u,\n  \"results\": [",
		       info->name, domain, MEASURE_BATCHES, bn->iterations);
		return;
	}
	printf("dmashim bench map: device %s (iommu domain %s), bidirectional mappings\n"
	       "ns per map+unmap pair and per sync pair (for device, then for cpu, whole\n"
	       "buffer); x: that over a memcpy of the same size; median of %d batches of\n"
	       "%s iterations; bounce: forced (asked for), auto (the device needs it),\n"
	       "swiotlb (the kernel's), no\n\n",
	       info->name, domain, MEASURE_BATCHES, iter);
	printf("%8s  %-10s  %-7s  %11s %8s  %11s %8s  %10s\n", "size", "kind",
	       "bounce", "map+unmap", "x", "sync", "x", "memcpy");
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dmashim bench map [--device NAME] [--dma-bits N]\n"
		"                         [--iterations N] [--json]\n"
		"\n"
		"Times map+unmap and sync of bidirectional mappings for every\n"
		"buffer kind (pages, contiguous, coherent, pinned), bounced and\n"
		"not, from 4 KiB to 4 MiB, next to a memcpy of the same size.\n"
		"\n"
		"  -d, --device NAME   device to map for (default: dmashim's own)\n"
		"  -b, --dma-bits N    DMA mask to set if dmashim drives the device\n"
		"  -n, --iterations N  operations per batch (default: about 5 ms)\n"
		"  -j, --json          print JSON\n");
}

static int bench_opt(int opt, const char *arg, void *data)
{
	struct bench *bn = data;

	if (opt == 'n')
		return parse_count("--iterations", arg, &bn->iterations);
	return -1;
}

int cmd_bench_map(int argc, char **argv)
{
	static const struct option opts[] = {
		DEV_OPTIONS,
		JSON_OPTION,
		{ "iterations", required_argument, NULL, 'n' },
		{ 0 }
	};
	struct dev_opts dev = { 0 };
	struct dmashim_device_info info = DMASHIM_DEVICE_INFO_INIT;
	struct bench bn = { 0 };
	size_t i;
	int ret;

	ret = parse_options(argc, argv, DEV_SHORT_OPTIONS "jn:", opts, &dev,
			    bench_opt, &bn, usage);
	if (ret >= 0)
		return ret;
	bn.json = dev.json;

	if (open_bound(&bn.ctx, dev.device, dev.dma_bits))
		return 1;
	ret = dmashim_info(bn.ctx, &info);
	if (ret) {
		dmashim_close(bn.ctx);
		return fail("info", ret);
	}
	print_header(&bn, &info);
	for (i = 0; !ret && i < sizeof(sizes) / sizeof(sizes[0]); i++)
		ret = bench_size(&bn, sizes[i]);
	if (bn.json)
		printf("\n  ]\n}\n");
	dmashim_close(bn.ctx);
	return ret;
}
