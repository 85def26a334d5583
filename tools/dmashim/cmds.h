/* SPDX-License-Identifier: GPL-2.0 */
/* dmashim tool - subcommands */
#ifndef DMASHIM_TOOL_CMDS_H
#define DMASHIM_TOOL_CMDS_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

struct dmashim_ctx;

struct cmd {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

int cmd_info(int argc, char **argv);
int cmd_alloc(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_bench(int argc, char **argv);

/*
 * The options of every command that binds: --device NAME and --dma-bits N,
 * --help, and --json where a command lists it (JSON_OPTION, "j").
 * parse_options() handles them.
 */
struct dev_opts {
	const char *device;
	unsigned int dma_bits;
	int json;
};

#define DEV_OPTIONS							\
	{ "device", required_argument, NULL, 'd' },			\
	{ "dma-bits", required_argument, NULL, 'b' },			\
	{ "help", no_argument, NULL, 'h' }

#define DEV_SHORT_OPTIONS "d:b:h"

#define JSON_OPTION { "json", no_argument, NULL, 'j' }

/*
 * getopt_long() over @argv with @shortopts and @longopts, which include
 * DEV_SHORT_OPTIONS and DEV_OPTIONS: those (and --json) fill @dev, the
 * others go to @own, which returns 0 or -1 for a bad value (NULL if the
 * command has no others).
 * Returns -1 when the command is to run, or the exit status: 0 after
 * --help, 2 on a usage error (with the usage on stderr).
 */
int parse_options(int argc, char **argv, const char *shortopts,
		  const struct option *longopts, struct dev_opts *dev,
		  int (*own)(int opt, const char *arg, void *data), void *data,
		  void (*usage)(FILE *f));

/* Report a failed library call and return the exit status for it. */
int fail(const char *what, int err);

/* Open a context bound to @device ("default" or NULL: stay unbound). */
int open_bound(struct dmashim_ctx **ctxp, const char *device,
	       unsigned int dma_bits);

/* Buffer kinds: DMASHIM_BUF_* and anonymous memory pinned. */
#define KIND_PINNED 3

/* A buffer for a command, and the memory it pins (NULL if allocated). */
struct cmd_buf {
	struct dmashim_buf *buf;
	void *mem;
	size_t size;
};

/*
 * Allocate a buffer of @kind, or pin @size bytes of new anonymous memory
 * with @pin_flags (KIND_PINNED); 0 or a negative errno.
 */
int cmd_buf_get(struct dmashim_ctx *ctx, unsigned int kind, size_t size,
		unsigned int pin_flags, struct cmd_buf *b);
void cmd_buf_put(struct cmd_buf *b);

/*
 * Option values (options.c).  The parsers print what is wrong and return
 * -1; the caller exits with status 2.
 */
/* DMASHIM_BUF_* only: pinning has an option of its own. */
int parse_kind(const char *arg, unsigned int *kind);
int parse_dir(const char *arg, unsigned int *dir);
int parse_dma_bits(const char *arg, unsigned int *bits);
int parse_count(const char *opt, const char *arg, unsigned int *count);
int parse_size(const char *arg, size_t *size);
/* "pages", "contiguous", "coherent" or "pinned". */
const char *kind_name(unsigned int kind);
const char *dir_name(unsigned int dir);
/* "4 KiB", "1 MiB", "65537 B": @size in the largest unit that divides it. */
const char *size_str(size_t size, char *buf, size_t len);

#endif
