/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libdmashim - declarations shared by the library's files */
#ifndef LIBDMASHIM_INTERNAL_H
#define LIBDMASHIM_INTERNAL_H

#include <stdbool.h>

#include "libdmashim.h"

#define DMASHIM_EXPORT __attribute__((visibility("default")))

struct dmashim_ctx {
	int fd;
};

/*
 * A buffer: its dma-buf fd, its size, its CPU mapping once
 * dmashim_buf_mmap() made one (NULL before), and whether it is memory
 * dmashim_buf_pin() pinned (which has no CPU mapping of its own).
 */
struct dmashim_buf {
	int fd;
	size_t size;
	void *addr;
	bool pinned;
};

/*
 * A mapping: the context it was made in (it must not outlive it), its
 * handle and direction, what the kernel reported, and every segment.
 */
struct dmashim_mapping {
	struct dmashim_ctx *ctx;
	unsigned long long handle;
	size_t length;
	unsigned int dir;
	unsigned int mapped_flags;
	unsigned int nr_segments;
	struct dmashim_segment segments[];
};

/* A channel: the file DMASHIM_IOCTL_CHAN_OPEN returned. */
struct dmashim_chan {
	int fd;
};

/* ioctl() on a dmashim struct; returns 0 or -errno. */
int dmashim_ioctl(int fd, unsigned long request, void *arg);

#endif /* LIBDMASHIM_INTERNAL_H */
