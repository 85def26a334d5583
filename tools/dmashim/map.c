// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim map - allocate or pin a buffer, map it for a device and show the
 * mapping and the device's bounce pool
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <libdmashim.h>
#include "cmds.h"

struct map_opts {
	struct dev_opts dev;
	unsigned int kind;	/* DMASHIM_BUF_* or KIND_PINNED */
	unsigned int dir;
	unsigned int flags;
	size_t size;
	bool kind_given, pin;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dmashim map [--device NAME] [--dma-bits N]\n"
		"                   [--kind pages|contiguous|coherent | --pin] --size N\n"
		"                   [--dir to|from|bidi] [--bounce] [--json]\n"
		"\n"
		"Allocates a buffer (or pins memory of its own), maps it for the\n"
		"device and prints the segments the device must use, how the\n"
		"mapping was made and the device's bounce pool counters.\n"
		"\n"
		"  -d, --device NAME  device to map for (default: dmashim's own)\n"
		"  -b, --dma-bits N   DMA mask to set if dmashim drives the device\n"
		"  -k, --kind KIND    buffer kind (default: pages)\n"
		"  -p, --pin          pin anonymous memory instead of allocating\n"
		"  -s, --size N       bytes, or with a K, M or G suffix\n"
		"  -D, --dir DIR      to (device), from (device) or bidi (default)\n"
		"  -B, --bounce       bounce through the pool even if not needed\n"
		"  -j, --json         print JSON\n");
}

static const char *flags_str(unsigned int f, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s",
		 f & DMASHIM_MAPPED_IOMMU ? "iommu" : "direct",
		 f & DMASHIM_MAPPED_BOUNCED ? ", bounced" : "",
		 f & DMASHIM_MAPPED_SWIOTLB ? ", swiotlb" : "",
		 f & DMASHIM_MAPPED_ADDRS_HIDDEN ? ", addresses hidden" : "");
	return buf;
}

static void print_text(const struct map_opts *o,
		       const struct dmashim_mapping *map,
		       const struct dmashim_pool_stats *st)
{
	unsigned int i, n = dmashim_mapping_nr_segments(map);
	unsigned int f = dmashim_mapping_flags(map);
	char str[64], flags[64];

	printf("%-12s %s, %s\n", "buffer",
	       kind_name(o->kind),
	       size_str(dmashim_mapping_length(map), str, sizeof(str)));
	printf("%-12s handle %llu, %zu bytes, %s, %s\n", "mapping",
	       dmashim_mapping_handle(map), dmashim_mapping_length(map),
	       dir_name(o->dir), flags_str(f, flags, sizeof(flags)));
	for (i = 0; i < n; i++) {
		uint64_t addr = 0, len = 0;

		dmashim_mapping_segment(map, i, &addr, &len);

		printf("segment %-4u ", i);
		if (f & DMASHIM_MAPPED_ADDRS_HIDDEN)
			printf("%-18s", "(hidden)");
		else
			printf("0x%016" PRIx64, addr);
		printf(" %" PRIu64 "\n", len);
	}
	if (!st->pool_bytes) {
		printf("%-12s none\n", "bounce pool");
		return;
	}
	printf("%-12s %s in %" PRIu64 " slots of %" PRIu64 " bytes: %"
	       PRIu64 " in use, high water %" PRIu64 "\n", "bounce pool",
	       size_str(st->pool_bytes, str, sizeof(str)),
	       (uint64_t)st->slots_total, (uint64_t)st->slot_bytes,
	       (uint64_t)st->slots_used, (uint64_t)st->slots_high_water);
	printf("%-12s %" PRIu64 " bytes to device, %" PRIu64
	       " to cpu; %" PRIu64 " mappings bounced, %" PRIu64
	       " refused\n", "", (uint64_t)st->bytes_to_device,
	       (uint64_t)st->bytes_to_cpu, (uint64_t)st->mappings_bounced,
	       (uint64_t)st->failures);
}

static void print_json(const struct map_opts *o,
		       const struct dmashim_mapping *map,
		       const struct dmashim_pool_stats *st)
{
	unsigned int i, n = dmashim_mapping_nr_segments(map);
	unsigned int f = dmashim_mapping_flags(map);
	const struct {
		const char *name;
		uint64_t val;
	} pool[] = {
		{ "pool_bytes", st->pool_bytes },
		{ "slot_bytes", st->slot_bytes },
		{ "slots_total", st->slots_total },
		{ "slots_used", st->slots_used },
		{ "slots_high_water", st->slots_high_water },
		{ "bytes_to_device", st->bytes_to_device },
		{ "bytes_to_cpu", st->bytes_to_cpu },
		{ "mappings_bounced", st->mappings_bounced },
		{ "failures", st->failures },
	};

	printf("{\n");
	printf("  \"kind\": \"%s\",\n",
	       kind_name(o->kind));
	printf("  \"handle\": %llu,\n", dmashim_mapping_handle(map));
	printf("  \"length\": %zu,\n", dmashim_mapping_length(map));
	printf("  \"dir\": \"%s\",\n", dir_name(o->dir));
	printf("  \"bounced\": %s,\n",
	       f & DMASHIM_MAPPED_BOUNCED ? "true" : "false");
	printf("  \"swiotlb\": %s,\n",
	       f & DMASHIM_MAPPED_SWIOTLB ? "true" : "false");
	printf("  \"iommu\": %s,\n",
	       f & DMASHIM_MAPPED_IOMMU ? "true" : "false");
	printf("  \"addrs_hidden\": %s,\n",
	       f & DMASHIM_MAPPED_ADDRS_HIDDEN ? "true" : "false");
	printf("  \"segments\": [");
	for (i = 0; i < n; i++) {
		uint64_t addr = 0, len = 0;

		dmashim_mapping_segment(map, i, &addr, &len);

		printf("%s\n    { \"addr\": %" PRIu64 ", \"length\": %" PRIu64
		       " }", i ? "," : "", addr, len);
	}
	printf("\n  ],\n  \"bounce_pool\": {");
	for (i = 0; i < sizeof(pool) / sizeof(pool[0]); i++)
		printf("%s\n    \"%s\": %" PRIu64, i ? "," : "", pool[i].name,
		       pool[i].val);
	printf("\n  }\n}\n");
}

/* Map @buf_fd and report; returns the exit status. */
static int map_and_report(struct dmashim_ctx *ctx, int buf_fd,
			  const struct map_opts *o)
{
	struct dmashim_mapping *map;
	struct dmashim_pool_stats st = DMASHIM_POOL_STATS_INIT;
	int ret;

	ret = dmashim_map(ctx, buf_fd, o->dir, o->flags, &map);
	if (ret)
		return fail("map", ret);
	/* While the mapping lives, so that its slots show. */
	ret = dmashim_stats(ctx, &st);
	if (ret) {
		dmashim_unmap(map);
		return fail("stats", ret);
	}
	if (o->dev.json)
		print_json(o, map, &st);
	else
		print_text(o, map, &st);
	ret = dmashim_unmap(map);
	return ret ? fail("unmap", ret) : 0;
}

static int run(struct dmashim_ctx *ctx, const struct map_opts *o)
{
	/* Pinned for reading only if the device only reads. */
	unsigned int pin_flags = o->dir == DMASHIM_DIR_TO_DEVICE ?
				 0 : DMASHIM_PIN_DEVICE_WRITES;
	struct cmd_buf b;
	int ret;

	ret = cmd_buf_get(ctx, o->kind, o->size, pin_flags, &b);
	if (ret)
		return fail(o->kind == KIND_PINNED ? "pin" : "alloc", ret);
	ret = map_and_report(ctx, dmashim_buf_fd(b.buf), o);
	cmd_buf_put(&b);
	return ret;
}

static int map_opt(int opt, const char *arg, void *data)
{
	struct map_opts *o = data;

	switch (opt) {
	case 'k':
		o->kind_given = true;
		return parse_kind(arg, &o->kind);
	case 'p':
		o->pin = true;
		return 0;
	case 's':
		return parse_size("--size", arg, &o->size);
	case 'D':
		return parse_dir(arg, &o->dir);
	case 'B':
		o->flags |= DMASHIM_MAP_BOUNCE;
		return 0;
	}
	return -1;
}

int cmd_map(int argc, char **argv)
{
	static const struct option opts[] = {
		DEV_OPTIONS,
		JSON_OPTION,
		{ "kind", required_argument, NULL, 'k' },
		{ "pin", no_argument, NULL, 'p' },
		{ "size", required_argument, NULL, 's' },
		{ "dir", required_argument, NULL, 'D' },
		{ "bounce", no_argument, NULL, 'B' },
		{ 0 }
	};
	struct map_opts o = { .kind = DMASHIM_BUF_PAGES };
	struct dmashim_ctx *ctx;
	int ret;

	ret = parse_options(argc, argv, DEV_SHORT_OPTIONS "jk:ps:D:B", opts,
			    &o.dev, map_opt, &o, usage);
	if (ret >= 0)
		return ret;
	if (!o.size || (o.pin && o.kind_given)) {
		usage(stderr);
		return 2;
	}
	if (o.pin)
		o.kind = KIND_PINNED;

	if (open_bound(&ctx, o.dev.device, o.dev.dma_bits))
		return 1;
	ret = run(ctx, &o);
	dmashim_close(ctx);
	return ret;
}
