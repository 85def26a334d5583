// SPDX-License-Identifier: GPL-2.0
/* dmashim tool - parsing and naming what the options take */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdmashim.h>
#include "cmds.h"

static const char *const kind_names[] = {
	[DMASHIM_BUF_PAGES] = "pages",
	[DMASHIM_BUF_CONTIGUOUS] = "contiguous",
	[DMASHIM_BUF_COHERENT] = "coherent",
	[KIND_PINNED] = "pinned",
};

static const char *const dir_names[] = {
	[DMASHIM_DIR_BIDIRECTIONAL] = "bidi",
	[DMASHIM_DIR_TO_DEVICE] = "to",
	[DMASHIM_DIR_FROM_DEVICE] = "from",
};

static int lookup(const char *const *names, size_t n, const char *opt,
		  const char *arg, unsigned int *val)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(arg, names[i])) {
			*val = i;
			return 0;
		}
	}
	fprintf(stderr, "dmashim: %s: '%s' is not one of", opt, arg);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s %s", i ? "," : "", names[i]);
	fprintf(stderr, "\n");
	return -1;
}

int parse_kind(const char *arg, unsigned int *kind)
{
	return lookup(kind_names, KIND_PINNED, "--kind", arg, kind);
}

int parse_dir(const char *arg, unsigned int *dir)
{
	return lookup(dir_names, ARRAY_SIZE(dir_names), "--dir", arg, dir);
}

const char *kind_name(unsigned int kind)
{
	return kind < ARRAY_SIZE(kind_names) ? kind_names[kind] : "unknown";
}

const char *dir_name(unsigned int dir)
{
	static const char *const long_names[] = {
		[DMASHIM_DIR_BIDIRECTIONAL] = "bidirectional",
		[DMASHIM_DIR_TO_DEVICE] = "to-device",
		[DMASHIM_DIR_FROM_DEVICE] = "from-device",
	};

	return dir < ARRAY_SIZE(long_names) ? long_names[dir] : "unknown";
}

int parse_dma_bits(const char *arg, unsigned int *bits)
{
	unsigned long val;
	char *end;

	errno = 0;
	val = strtoul(arg, &end, 0);
	if (errno || *end || !*arg || val > 64) {
		fprintf(stderr, "dmashim: --dma-bits: '%s' is not 0..64\n", arg);
		return -1;
	}
	*bits = val;
	return 0;
}

int parse_options(int argc, char **argv, const char *shortopts,
		  const struct option *longopts, struct dev_opts *dev,
		  int (*own)(int opt, const char *arg, void *data), void *data,
		  void (*usage)(FILE *f))
{
	int opt, bad = 0;

	while (!bad && (opt = getopt_long(argc, argv, shortopts, longopts,
					  NULL)) != -1) {
		switch (opt) {
		case 'd':
			dev->device = optarg;
			break;
		case 'b':
			bad = parse_dma_bits(optarg, &dev->dma_bits);
			break;
		case 'j':
			dev->json = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case '?':
			usage(stderr);
			return 2;
		default:
			bad = own(opt, optarg, data);
		}
	}
	if (bad)
		return 2;
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	return -1;
}

int parse_count(const char *opt, const char *arg, unsigned int *count)
{
	unsigned long val;
	char *end;

	errno = 0;
	val = strtoul(arg, &end, 0);
	if (errno || *end || !*arg || arg[0] == '-' || !val || val > 1000000) {
		fprintf(stderr, "dmashim: %s: '%s' is not 1..1000000\n", opt,
			arg);
		return -1;
	}
	*count = val;
	return 0;
}

/* Bytes, or KiB, MiB, GiB with a K, M or G suffix. */
int parse_size(const char *opt, const char *arg, size_t *size)
{
	unsigned long long val;
	unsigned int shift = 0;
	char *end;

	errno = 0;
	val = strtoull(arg, &end, 0);
	if (*end == 'K' || *end == 'M' || *end == 'G') {
		shift = *end == 'K' ? 10 : *end == 'M' ? 20 : 30;
		end++;
	}
	if (errno || *end || !*arg || arg[0] == '-' || !val ||
	    val > (SIZE_MAX >> shift)) {
		fprintf(stderr,
			"dmashim: %s: '%s' is not a size (bytes, or with K, M or G)\n",
			opt, arg);
		return -1;
	}
	*size = (size_t)val << shift;
	return 0;
}

int parse_sizes(const char *opt, const char *arg, size_t *sizes,
		unsigned int max)
{
	char *list = strdup(arg), *tok, *save = NULL;
	unsigned int n = 0;
	int ret = 0;

	if (!list)
		return -1;
	for (tok = strtok_r(list, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save)) {
		if (n == max) {
			fprintf(stderr, "dmashim: %s: more than %u sizes\n",
				opt, max);
			ret = -1;
		} else {
			ret = parse_size(opt, tok, &sizes[n++]);
		}
	}
	free(list);
	if (!ret && !n)
		fprintf(stderr, "dmashim: %s: no size given\n", opt);
	return ret || !n ? -1 : (int)n;
}

const char *size_str(size_t size, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB" };
	unsigned int u = 0;

	while (u + 1 < ARRAY_SIZE(units) && size >= 1024 && !(size % 1024)) {
		size /= 1024;
		u++;
	}
	snprintf(buf, len, "%zu %s", size, units[u]);
	return buf;
}
