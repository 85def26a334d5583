/* SPDX-License-Identifier: GPL-2.0 */
/* dmashim tool - subcommands */
#ifndef DMASHIM_TOOL_CMDS_H
#define DMASHIM_TOOL_CMDS_H

struct dmashim_ctx;

struct cmd {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

int cmd_info(int argc, char **argv);

/* Report a failed library call and return the exit status for it. */
int fail(const char *what, int err);

/* Open a context bound to @device ("default" or NULL: stay unbound). */
int open_bound(struct dmashim_ctx **ctxp, const char *device,
	       unsigned int dma_bits);

#endif
