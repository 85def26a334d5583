/* SPDX-License-Identifier: GPL-2.0 */
/* dmashim tool - subcommands */
#ifndef DMASHIM_TOOL_CMDS_H
#define DMASHIM_TOOL_CMDS_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libdmashim.h>
#include <linux/dmashim.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct cmd {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

int cmd_info(int argc, char **argv);
int cmd_alloc(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_copy(int argc, char **argv);
int cmd_pipeline(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_bench_map(int argc, char **argv);
int cmd_bench_copy(int argc, char **argv);

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

/* Byte @off of the tool's pattern: not periodic at any power of two. */
unsigned char pattern(size_t off);

/*
 * Offset of the first of @len bytes at @p that is not 0 (@zero) or the
 * pattern from offset @off, or @len.
 */
size_t first_mismatch(const unsigned char *p, size_t len, int zero,
		      size_t off);

/*
 * Write the pattern (or 0s, @zero) over the first @len bytes of an
 * allocated buffer through its CPU mapping, between DMA_BUF_IOCTL_SYNC
 * start and end; 0 or a negative errno.
 */
int cmd_buf_fill(struct dmashim_buf *buf, size_t len, int zero);

/*
 * Offset of the first of the first @len bytes of a buffer (allocated or
 * imported) that is not the pattern from offset @off, @len if none, or a
 * negative errno; read through its CPU mapping between DMA_BUF_IOCTL_SYNC
 * start and end.
 */
long long cmd_buf_check(struct dmashim_buf *buf, size_t len, size_t off);

/*
 * Option values (options.c).  The parsers print what is wrong and return
 * -1; the caller exits with status 2.
 */
/* DMASHIM_BUF_* only: pinning has an option of its own. */
int parse_kind(const char *arg, unsigned int *kind);
int parse_dir(const char *arg, unsigned int *dir);
int parse_dma_bits(const char *arg, unsigned int *bits);
int parse_count(const char *opt, const char *arg, unsigned int *count);
int parse_size(const char *opt, const char *arg, size_t *size);
/* A comma-separated list of at most @max sizes; returns how many, or -1. */
int parse_sizes(const char *opt, const char *arg, size_t *sizes,
		unsigned int max);
/* "pages", "contiguous", "coherent" or "pinned". */
const char *kind_name(unsigned int kind);
const char *dir_name(unsigned int dir);
/* "4 KiB", "1 MiB", "65537 B": @size in the largest unit that divides it. */
const char *size_str(size_t size, char *buf, size_t len);

/* dmaengine channels (channels.c). */

/*
 * Open a memcpy channel: @name if given, else a free one of DMA device
 * @device ("0000:00:11.0", with or without its "pci:" or "platform:"
 * prefix) if given, else any.  Prints what failed; returns the exit
 * status (0 when *@chanp is open).
 */
int open_memcpy_channel(struct dmashim_ctx *ctx, const char *name,
			const char *device, struct dmashim_chan **chanp);

/*
 * Open a free memcpy channel of the dmaengine driver @driver
 * ("dmashim_edu"): 0, -ENODEV if it has none, or a negative errno.
 */
/* A channel of the system, as dmashim_chan_list() gives it. */
struct chan_entry {
	char name[DMASHIM_CHAN_NAME_LEN];
	char device[DMASHIM_NAME_LEN];
	char driver[64];
};

/* Every channel into a malloc()ed array (free() it); how many or -errno. */
int chan_entries(struct chan_entry **entries);

int open_driver_channel(struct dmashim_ctx *ctx, const char *driver,
			struct dmashim_chan **chanp);

/* Timing (timing.c). */
typedef int (*op_fn)(void *arg);

/* Batches a figure is the median of, unless a command says otherwise. */
#define MEASURE_BATCHES 7

uint64_t now_ns(void);

/*
 * Median ns per call of @op over @batches batches of @iterations calls,
 * after a warm-up call; with @iterations 0, a timed call first picks as
 * many as take about 5 ms.  0 or the first error of @op.
 */
int measure(op_fn op, void *arg, unsigned int batches,
	    unsigned int iterations, double *ns);

/* measure() of a memcpy() of @size bytes between two malloc()ed buffers. */
int memcpy_ns(size_t size, unsigned int iterations, double *ns);

#endif
