// SPDX-License-Identifier: GPL-2.0
/* dmashim bench - "bench map" and "bench copy" */

#include <stdio.h>
#include <string.h>

#include "cmds.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dmashim bench map|copy [OPTIONS]\n"
		"\n"
		"  map   time mappings and syncs, next to a memcpy\n"
		"  copy  time memcpy transfers on dmaengine channels, next to a\n"
		"        memcpy\n"
		"\n"
		"\"dmashim bench map --help\" and \"dmashim bench copy --help\"\n"
		"describe their options.\n");
}

int cmd_bench(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "map"))
		return cmd_bench_map(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "copy"))
		return cmd_bench_copy(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") ||
			  !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
