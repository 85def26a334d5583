// SPDX-License-Identifier: GPL-2.0
/*
 * A program built for dmashim 1.0: compiled against the 1.0 headers in
 * selftests/compat/1.0/ alone (no helper of the tree, whose structs may
 * have grown), it runs against the tree's module and library.  Each
 * test does what a 1.0 program does and checks the data byte for byte:
 * through the uAPI at its 1.0 sizes (old binary, new module), and
 * through libdmashim with its 1.0 structs (old binary, new library).
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/dmashim.h>
#include <libdmashim.h>

#include "kselftest_harness.h"

#define LEN 12288
#define CPU_DMA_DRIVER "dmashim_cpudma"

#ifndef DMASHIM_FEATURES_1_0
#error "not the 1.0 header"
#endif

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

static void fill(unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 7 + seed);
}

/* The first dmashim_cpudma channel, through the library's list. */
static int cpudma_channel(char *name, size_t len)
{
	struct dmashim_channels *list;
	int i, n, ret = -ENODEV;

	n = dmashim_chan_list(&list);
	if (n < 0)
		return n;
	for (i = 0; i < n && ret; i++)
		if (!strcmp(dmashim_chan_list_driver(list, i), CPU_DMA_DRIVER)) {
			snprintf(name, len, "%s", dmashim_chan_list_name(list, i));
			ret = 0;
		}
	dmashim_chan_list_free(list);
	return ret;
}

/* The uAPI at its 1.0 sizes: a context, buffers, a mapping, a channel. */
TEST(uapi_1_0)
{
	struct dmashim_info info = { .size = sizeof(info) };
	struct dmashim_alloc alloc = {
		.size = sizeof(alloc), .length = LEN,
		.kind = DMASHIM_BUF_PAGES, .fd_flags = O_RDWR | O_CLOEXEC,
	};
	struct dmashim_segment segs[8];
	struct dmashim_map map = {
		.size = sizeof(map), .dir = DMASHIM_DIR_TO_DEVICE,
		.segments = (uintptr_t)segs, .nr_segments = 8,
		.segment_size = sizeof(segs[0]),
	};
	struct dmashim_segments sr = {
		.size = sizeof(sr), .count = 1,
		.segment_size = sizeof(segs[0]),
	};
	struct dmashim_sync sync = {
		.size = sizeof(sync), .flags = DMASHIM_SYNC_FOR_DEVICE,
		.length = LEN, .dir = DMASHIM_DIR_TO_DEVICE,
	};
	struct dmashim_unmap unmap = { .size = sizeof(unmap) };
	struct dmashim_stats st = { .size = sizeof(st) };
	struct dmashim_chan_open op = {
		.size = sizeof(op), .fd_flags = O_CLOEXEC,
		.record_size = sizeof(struct dmashim_record),
	};
	struct dmashim_chan_info ci = { .size = sizeof(ci) };
	struct dmashim_xfer x = {
		.kind = DMASHIM_XFER_MEMCPY, .length = LEN - 100,
		.src_offset = 100, .user_data = 42,
	};
	struct dmashim_chan_submit sub = {
		.size = sizeof(sub), .xfers = (uintptr_t)&x, .count = 1,
		.xfer_size = sizeof(x),
	};
	struct dmashim_record rec;
	struct pollfd pfd;
	unsigned char *s, *d;
	int ctx, src, dst;

	ctx = open("/dev/dmashim", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, ctx);
	ASSERT_EQ(0, xioctl(ctx, DMASHIM_IOCTL_INFO, &info));
	EXPECT_EQ(DMASHIM_FEATURES_1_0,
		  info.features & DMASHIM_FEATURES_1_0);
	EXPECT_STREQ("dmashim", info.name);

	ASSERT_EQ(0, xioctl(ctx, DMASHIM_IOCTL_ALLOC, &alloc));
	src = alloc.fd;
	ASSERT_EQ(0, xioctl(ctx, DMASHIM_IOCTL_ALLOC, &alloc));
	dst = alloc.fd;
	s = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, src, 0);
	d = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, dst, 0);
	ASSERT_NE(MAP_FAILED, s);
	ASSERT_NE(MAP_FAILED, d);
	fill(s, LEN, 3);

	map.fd = src;
	ASSERT_EQ(0, xioctl(ctx, DMASHIM_IOCTL_MAP, &map));
	EXPECT_EQ(LEN, map.length);
	ASSERT_LE(1, map.nr_segments);
	sr.handle = map.handle;
	sr.segments = (uintptr_t)&segs[1];
	ASSERT_EQ(0, xioctl(ctx, DMASHIM_IOCTL_SEGMENTS, &sr));
	EXPECT_EQ(0, memcmp(&segs[0], &segs[1], sizeof(segs[0])));
	sync.handle = map.handle;
	EXPECT_EQ(0, xioctl(ctx, DMASHIM_IOCTL_SYNC, &sync));
	unmap.handle = map.handle;
	EXPECT_EQ(0, xioctl(ctx, DMASHIM_IOCTL_UNMAP, &unmap));
	EXPECT_EQ(0, xioctl(ctx, DMASHIM_IOCTL_STATS, &st));
	EXPECT_LT(0, st.pool_bytes);

	if (cpudma_channel(op.name, sizeof(op.name))) {
		close(ctx);
		SKIP(return, "no %s channel", CPU_DMA_DRIVER);
	}
	ASSERT_EQ(0, xioctl(ctx, DMASHIM_IOCTL_CHAN_OPEN, &op));
	ASSERT_EQ(0, xioctl(op.fd, DMASHIM_IOCTL_CHAN_INFO, &ci));
	EXPECT_STREQ(op.name, ci.name);
	EXPECT_EQ(sizeof(rec), ci.record_size);
	x.src_fd = src;
	x.dst_fd = dst;
	ASSERT_EQ(0, xioctl(op.fd, DMASHIM_IOCTL_CHAN_SUBMIT, &sub));
	EXPECT_LT(0, x.cookie);
	pfd = (struct pollfd){ .fd = op.fd, .events = POLLIN };
	ASSERT_EQ(1, poll(&pfd, 1, 60000));
	ASSERT_EQ(sizeof(rec), read(op.fd, &rec, sizeof(rec)));
	EXPECT_EQ(x.cookie, rec.cookie);
	EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec.status);
	EXPECT_EQ(42, rec.user_data);
	EXPECT_EQ(0, memcmp(d, s + 100, LEN - 100));
	close(op.fd);
	munmap(s, LEN);
	munmap(d, LEN);
	close(src);
	close(dst);
	close(ctx);
}

/* libdmashim with its 1.0 structs. */
TEST(library_1_0)
{
	struct dmashim_device_info info = DMASHIM_DEVICE_INFO_INIT;
	struct dmashim_pool_stats st = DMASHIM_POOL_STATS_INIT;
	struct dmashim_channel_info ci = DMASHIM_CHANNEL_INFO_INIT;
	struct dmashim_transfer_status ts = DMASHIM_TRANSFER_STATUS_INIT;
	struct dmashim_completion rec = DMASHIM_COMPLETION_INIT;
	struct dmashim_transfer x = DMASHIM_TRANSFER_INIT;
	struct dmashim_buf *src, *dst;
	struct dmashim_mapping *map;
	struct dmashim_ctx *ctx;
	struct dmashim_chan *ch;
	char name[DMASHIM_CHAN_NAME_LEN];
	uint64_t addr, len;
	void *s, *d;

	ASSERT_EQ(0, dmashim_open(&ctx));
	ASSERT_EQ(0, dmashim_info(ctx, &info));
	EXPECT_EQ(sizeof(info), info.size);
	EXPECT_STREQ("dmashim", info.name);
	EXPECT_EQ(DMASHIM_FEATURES_1_0,
		  info.features & DMASHIM_FEATURES_1_0);
	ASSERT_EQ(0, dmashim_stats(ctx, &st));
	EXPECT_LT(0, st.pool_bytes);

	ASSERT_EQ(0, dmashim_buf_alloc(ctx, LEN, DMASHIM_BUF_PAGES,
				       O_RDWR | O_CLOEXEC, &src));
	ASSERT_EQ(0, dmashim_buf_alloc(ctx, LEN, DMASHIM_BUF_PAGES,
				       O_RDWR | O_CLOEXEC, &dst));
	ASSERT_EQ(0, dmashim_buf_mmap(src, &s));
	ASSERT_EQ(0, dmashim_buf_mmap(dst, &d));
	fill(s, LEN, 5);
	ASSERT_EQ(0, dmashim_map(ctx, dmashim_buf_fd(src),
				 DMASHIM_DIR_TO_DEVICE, 0, &map));
	EXPECT_EQ(LEN, dmashim_mapping_length(map));
	ASSERT_LE(1, dmashim_mapping_nr_segments(map));
	EXPECT_EQ(0, dmashim_mapping_segment(map, 0, &addr, &len));
	EXPECT_LT(0, len);
	EXPECT_EQ(0, dmashim_sync_for_device(map, 0, 0));
	EXPECT_EQ(0, dmashim_unmap(map));

	if (cpudma_channel(name, sizeof(name))) {
		dmashim_buf_free(src);
		dmashim_buf_free(dst);
		dmashim_close(ctx);
		SKIP(return, "no %s channel", CPU_DMA_DRIVER);
	}
	ASSERT_EQ(0, dmashim_chan_open(ctx, name, DMASHIM_CAP_MEMCPY, &ch));
	ASSERT_EQ(0, dmashim_chan_info(ch, &ci));
	EXPECT_STREQ(name, ci.name);
	x.kind = DMASHIM_XFER_MEMCPY;
	x.src_fd = dmashim_buf_fd(src);
	x.dst_fd = dmashim_buf_fd(dst);
	x.dst_offset = 10;
	x.length = LEN - 10;
	x.user_data = 7;
	ASSERT_EQ(0, dmashim_chan_submit(ch, &x, 1, 0, NULL));
	ASSERT_EQ(1, dmashim_chan_wait(ch, &rec, 1, 60000));
	EXPECT_EQ(x.cookie, rec.cookie);
	EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec.status);
	EXPECT_EQ(7, rec.user_data);
	EXPECT_EQ(0, memcmp((char *)d + 10, s, LEN - 10));
	ASSERT_EQ(0, dmashim_chan_status(ch, x.cookie, &ts));
	EXPECT_EQ(DMASHIM_XFER_COMPLETE, ts.status);
	EXPECT_EQ(0, dmashim_copy(ch, dmashim_buf_fd(dst), 0,
				  dmashim_buf_fd(src), 0, LEN));
	EXPECT_EQ(0, memcmp(d, s, LEN));
	dmashim_chan_close(ch);
	dmashim_buf_free(src);
	dmashim_buf_free(dst);
	dmashim_close(ctx);
}

TEST_HARNESS_MAIN
