// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - command-line tool for the dmashim DMA mapping shim
 *
 * dmashim COMMAND [OPTIONS]; "dmashim help" lists the commands.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdmashim.h>
#include "cmds.h"

static const struct cmd cmds[] = {
	{ "info", "describe a device as dmashim sees it", cmd_info },
	{ "alloc", "allocate a buffer, fill it through its CPU mapping",
	  cmd_alloc },
	{ "map", "map a buffer for a device, show its segments", cmd_map },
	{ "copy", "copy a buffer on a dmaengine channel", cmd_copy },
	{ "pipeline", "fill buffers by DMA, check them in another process",
	  cmd_pipeline },
	{ "bench",
	  "time mappings (\"bench map\") or channel copies (\"bench copy\")",
	  cmd_bench },
};

int fail(const char *what, int err)
{
	fprintf(stderr, "dmashim: %s: %s\n", what, strerror(-err));
	return 1;
}

int open_bound(struct dmashim_ctx **ctxp, const char *device,
	       unsigned int dma_bits)
{
	int ret;

	ret = dmashim_open(ctxp);
	if (ret)
		return fail("open /dev/dmashim", ret);
	if (!device)
		return 0;
	ret = dmashim_bind(*ctxp, device, dma_bits, 0);
	if (ret) {
		fprintf(stderr, "dmashim: bind %s: %s\n", device,
			strerror(-ret));
		dmashim_close(*ctxp);
		return 1;
	}
	return 0;
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: dmashim COMMAND [OPTIONS]\n\ncommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n\"dmashim COMMAND --help\" describes a command;"
		" \"dmashim --version\" says which dmashim this is.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("dmashim %s\n", DMASHIM_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].run(argc - 1, argv + 1);
	fprintf(stderr, "dmashim: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
