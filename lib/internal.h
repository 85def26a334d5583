/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libdmashim - declarations shared by the library's files */
#ifndef LIBDMASHIM_INTERNAL_H
#define LIBDMASHIM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/dmashim.h>

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

/* A channel list: @n entries. */
struct dmashim_channels {
	unsigned int n;
	struct dmashim_channel_entry {
		char name[DMASHIM_CHAN_NAME_LEN];
		char device[DMASHIM_NAME_LEN];
		char driver[64];
	} e[];
};

/* ioctl() on a dmashim struct; returns 0 or -errno. */
int dmashim_ioctl(int fd, unsigned long request, void *arg);

/* The end of member @m of @type: a struct's size at the version @m ends. */
#define DMASHIM_END(type, m) (offsetof(type, m) + sizeof(((type *)0)->m))

/*
 * The sizes of the library's structs as libdmashim 1.0 had them, the
 * same on 32 and 64 bits: a caller's @size below them is refused.  Never
 * changed; the asserts keep the 1.0 members where they were.
 */
#define DEVICE_INFO_SIZE_1_0		336
#define POOL_STATS_SIZE_1_0		88
#define CHANNEL_INFO_SIZE_1_0		208
#define CHANNEL_CONFIG_SIZE_1_0		40
#define TRANSFER_SIZE_1_0		88
#define COMPLETION_SIZE_1_0		48
#define TRANSFER_STATUS_SIZE_1_0	24

_Static_assert(DMASHIM_END(struct dmashim_device_info, driver) ==
	       DEVICE_INFO_SIZE_1_0, "dmashim_device_info moved");
_Static_assert(DMASHIM_END(struct dmashim_pool_stats, share_refusals) ==
	       POOL_STATS_SIZE_1_0, "dmashim_pool_stats moved");
_Static_assert(DMASHIM_END(struct dmashim_channel_info, device) ==
	       CHANNEL_INFO_SIZE_1_0, "dmashim_channel_info moved");
_Static_assert(DMASHIM_END(struct dmashim_channel_config, dst_maxburst) ==
	       CHANNEL_CONFIG_SIZE_1_0, "dmashim_channel_config moved");
_Static_assert(DMASHIM_END(struct dmashim_transfer, __pad) ==
	       TRANSFER_SIZE_1_0, "dmashim_transfer moved");
_Static_assert(offsetof(struct dmashim_transfer, ranges) == 64 &&
	       offsetof(struct dmashim_transfer, cookie) == 80,
	       "dmashim_transfer moved");
_Static_assert(DMASHIM_END(struct dmashim_completion, timestamp_ns) ==
	       COMPLETION_SIZE_1_0, "dmashim_completion moved");
_Static_assert(DMASHIM_END(struct dmashim_transfer_status, __pad) ==
	       TRANSFER_STATUS_SIZE_1_0, "dmashim_transfer_status moved");
/* The library's range is the kernel's, passed through as it is. */
_Static_assert(sizeof(struct dmashim_byte_range) ==
	       sizeof(struct dmashim_range), "ranges differ");

/* The largest size a caller's struct may say. */
#define DMASHIM_LIB_SIZE_MAX 4096

bool dmashim_size_ok(uint32_t usize, size_t first);
int dmashim_struct_out(void *dst, const void *src, size_t ksize,
		       size_t first);
int dmashim_struct_in(void *dst, const void *src, size_t ksize, size_t first);

#endif /* LIBDMASHIM_INTERNAL_H */
