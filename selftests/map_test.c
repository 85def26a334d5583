// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim mappings (DMASHIM_IOCTL_MAP, _UNMAP, _SEGMENTS): every buffer
 * kind mapped for dmashim's default device and for the edu device (28-bit
 * DMA), checked against the device's limits and its view of the memory;
 * the errors; reading segments in pages; closing buffer, mapping and
 * context in any order; a buffer mapped in another process and in two
 * contexts at once; who sees bus addresses; foreign dma-bufs.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/udmabuf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

FIXTURE(dev) {
	int ctx;
	const char *device;
	struct dmashim_info info;
	size_t page;
	int baseline;		/* live mappings before the test */
};

FIXTURE_VARIANT(dev) {
	bool edu;
};

FIXTURE_VARIANT_ADD(dev, default_device) {
	.edu = false,
};

FIXTURE_VARIANT_ADD(dev, edu) {
	.edu = true,
};

FIXTURE_SETUP(dev)
{
	REQUIRE_DEBUGFS();
	if (variant->edu)
		REQUIRE_EDU();
	self->page = sysconf(_SC_PAGESIZE);
	self->device = variant->edu ? edu_bind_name() : "default";
	self->ctx = ctx_open_bound(self->device,
				   variant->edu ? EDU_DMA_BITS : 0);
	ASSERT_LE(0, self->ctx);
	ASSERT_EQ(0, ctx_info(self->ctx, &self->info));
	self->baseline = live_mappings();
	ASSERT_LE(0, self->baseline);
}

FIXTURE_TEARDOWN(dev)
{
	if (self->ctx > 0)
		close(self->ctx);
}

/* A context on the fixture's device. */
static int ctx_same_device(FIXTURE_DATA(dev) *self,
			   const FIXTURE_VARIANT(dev) *variant)
{
	return ctx_open_bound(self->device, variant->edu ? EDU_DMA_BITS : 0);
}

/*
 * Map @b, which holds pattern @seed, and check the mapping: its segments
 * against the device, the self-check, and the data the device reads.
 */
static void map_and_check(struct __test_metadata *_metadata,
			  FIXTURE_DATA(dev) *self, const struct buffer *b,
			  unsigned int kind, __u32 flags, unsigned int seed)
{
	struct mapping m;
	unsigned char *view;

	view = malloc(b->len);
	ASSERT_NE(NULL, view);
	ASSERT_EQ(0, map_buf(self->ctx, b->fd, DMASHIM_DIR_BIDIRECTIONAL,
			     flags, &m));
	EXPECT_STREQ("", mapping_problem(&m, &self->info, b, kind, flags))
		TH_LOG("%s, %zu bytes, flags %#x", kind_name(kind), b->len,
		       flags);
	EXPECT_CHECK_OK(&m);
	EXPECT_EQ((long long)b->len, view_size(m.handle));
	ASSERT_EQ(0, view_read(m.handle, view, b->len, 0));
	EXPECT_PATTERN(view, b->len, 0, seed);
	EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
	mapping_free(&m);
	free(view);
}

TEST_F_TIMEOUT(dev, every_kind, 120)
{
	const size_t sizes[] = { self->page, KiB(64) + 1, MiB(1) };
	unsigned int kind, i;
	struct buffer b;

	for (kind = 0; kind < NR_KINDS; kind++) {
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			ASSERT_EQ(0, buffer_get(self->ctx, kind, sizes[i], &b))
				TH_LOG("%s, %zu bytes", kind_name(kind),
				       sizes[i]);
			pattern_fill(b.cpu, b.len, 0, kind + 1);
			map_and_check(_metadata, self, &b, kind, 0, kind + 1);
			map_and_check(_metadata, self, &b, kind,
				      DMASHIM_MAP_BOUNCE, kind + 1);
			buffer_put(&b);
		}
	}
	EXPECT_EQ(self->baseline, live_mappings());
}

/* MAP fills the room it is given and says how many there are. */
TEST_F(dev, map_segments_room)
{
	struct dmashim_segment segs[2], *all;
	struct dmashim_map map;
	struct buffer b;
	struct mapping m;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, MiB(1), &b));
	ASSERT_EQ(0, map_buf(self->ctx, b.fd, DMASHIM_DIR_TO_DEVICE, 0, &m));
	all = m.segs;
	/* Segments are at most max_seg_size long. */
	ASSERT_LE(MiB(1) / self->info.max_seg_size, m.nr_segments);

	map = (struct dmashim_map){
		.size = sizeof(map), .fd = b.fd, .dir = DMASHIM_DIR_TO_DEVICE,
		.segments = (uintptr_t)segs, .nr_segments = ARRAY_SIZE(segs),
		.segment_size = sizeof(segs[0]),
	};
	ASSERT_EQ(0, ioctl_errno(self->ctx, DMASHIM_IOCTL_MAP, &map));
	EXPECT_EQ(m.nr_segments, map.nr_segments);
	EXPECT_EQ(MiB(1), map.length);
	EXPECT_NE(m.handle, map.handle);
	/* The same memory, mapped directly again, at the same addresses. */
	if (!(map.mapped_flags & (DMASHIM_MAPPED_IOMMU |
				  DMASHIM_MAPPED_BOUNCED |
				  DMASHIM_MAPPED_SWIOTLB)))
		EXPECT_EQ(0, memcmp(all, segs, sizeof(segs)));
	EXPECT_EQ(all[0].length, segs[0].length);
	EXPECT_EQ(0, ctx_unmap(self->ctx, map.handle));

	/* No room at all: only the count. */
	map.segments = 0;
	map.nr_segments = 0;
	map.segment_size = 0;
	ASSERT_EQ(0, ioctl_errno(self->ctx, DMASHIM_IOCTL_MAP, &map));
	EXPECT_EQ(m.nr_segments, map.nr_segments);
	EXPECT_EQ(0, ctx_unmap(self->ctx, map.handle));

	/* Without an array, neither room nor an element size. */
	map.nr_segments = 1;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_MAP, &map));
	map.nr_segments = 0;
	map.segment_size = sizeof(segs[0]);
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_MAP, &map));
	/* With one, an element size from the first version's to the largest. */
	map.segments = (uintptr_t)segs;
	map.nr_segments = ARRAY_SIZE(segs);
	map.segment_size = sizeof(segs[0]) - 1;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_MAP, &map));
	map.segment_size = DMASHIM_STRUCT_SIZE_MAX + 1;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_MAP, &map));
	map.segment_size = sizeof(segs[0]) + 4;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_MAP, &map));
	map.segment_size = sizeof(segs[0]);
	map.__reserved = 1;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_MAP, &map));
	EXPECT_EQ(self->baseline + 1, live_mappings());

	EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
	mapping_free(&m);
	buffer_put(&b);
}

/* Segments the caller cannot receive: nothing stays mapped. */
TEST_F(dev, map_segments_fault)
{
	struct dmashim_stats before, after;
	struct dmashim_map map;
	struct buffer b;
	__u32 flags;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, KiB(64), &b));
	for (flags = 0; flags <= DMASHIM_MAP_BOUNCE; flags++) {
		ASSERT_EQ(0, ctx_stats(self->ctx, &before));
		map = (struct dmashim_map){
			.size = sizeof(map), .flags = flags, .fd = b.fd,
			.segments = 16, .nr_segments = 4,
			.segment_size = sizeof(struct dmashim_segment),
		};
		EXPECT_EQ(-EFAULT, ioctl_errno(self->ctx, DMASHIM_IOCTL_MAP,
					       &map));
		EXPECT_EQ(self->baseline, live_mappings());
		ASSERT_EQ(0, ctx_stats(self->ctx, &after));
		EXPECT_EQ(before.slots_used, after.slots_used);
	}
	buffer_put(&b);
}

/* DMASHIM_IOCTL_SEGMENTS reads any window of the segment list. */
TEST_F(dev, segments_paging)
{
	struct dmashim_segment seg[3];
	struct dmashim_segments req;
	struct buffer b;
	struct mapping m;
	unsigned int i;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, MiB(1), &b));
	ASSERT_EQ(0, map_buf(self->ctx, b.fd, DMASHIM_DIR_TO_DEVICE, 0, &m));
	ASSERT_LE(3, m.nr_segments);

	for (i = 0; i < m.nr_segments; i++) {
		req = (struct dmashim_segments){
			.size = sizeof(req), .handle = m.handle,
			.segments = (uintptr_t)seg, .first = i, .count = 1,
			.segment_size = sizeof(seg[0]),
		};
		ASSERT_EQ(0, ioctl_errno(self->ctx, DMASHIM_IOCTL_SEGMENTS,
					 &req));
		EXPECT_EQ(1, req.count);
		EXPECT_EQ(m.nr_segments, req.nr_segments);
		EXPECT_EQ(0, memcmp(&m.segs[i], seg, sizeof(seg[0])))
			TH_LOG("segment %u", i);
	}
	/* A window running past the end gets what there is. */
	req = (struct dmashim_segments){
		.size = sizeof(req), .handle = m.handle,
		.segments = (uintptr_t)seg, .first = m.nr_segments - 2,
		.count = 3, .segment_size = sizeof(seg[0]),
	};
	ASSERT_EQ(0, ioctl_errno(self->ctx, DMASHIM_IOCTL_SEGMENTS, &req));
	EXPECT_EQ(2, req.count);
	EXPECT_EQ(0, memcmp(&m.segs[m.nr_segments - 2], seg,
			    2 * sizeof(seg[0])));

	/* Windows that start beyond the last segment. */
	req.first = m.nr_segments;
	req.count = 1;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_SEGMENTS,
				       &req));
	req.first = ~0U;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_SEGMENTS,
				       &req));

	req = (struct dmashim_segments){
		.size = sizeof(req), .handle = m.handle,
		.segments = (uintptr_t)seg, .count = 1,
		.segment_size = sizeof(seg[0]),
	};
	req.flags = 1;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_SEGMENTS,
				       &req));
	req.flags = 0;
	req.segment_size = 0;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_SEGMENTS,
				       &req));
	req.segment_size = sizeof(seg[0]) - 1;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_SEGMENTS,
				       &req));
	req.segment_size = DMASHIM_STRUCT_SIZE_MAX + 1;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_SEGMENTS,
				       &req));
	req.segment_size = sizeof(seg[0]) + 4;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_SEGMENTS,
				       &req));
	req.segment_size = sizeof(seg[0]);
	req.segments = 16;
	EXPECT_EQ(-EFAULT, ioctl_errno(self->ctx, DMASHIM_IOCTL_SEGMENTS,
				       &req));
	req.segments = (uintptr_t)seg;
	req.handle = m.handle + 1000000;
	EXPECT_EQ(-ENOENT, ioctl_errno(self->ctx, DMASHIM_IOCTL_SEGMENTS,
				       &req));

	EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
	req.handle = m.handle;
	EXPECT_EQ(-ENOENT, ioctl_errno(self->ctx, DMASHIM_IOCTL_SEGMENTS,
				       &req));
	mapping_free(&m);
	buffer_put(&b);
}

/*
 * A newer caller's longer segments get the kernel's fields and zeroes
 * after them, from MAP and from SEGMENTS; nothing past the last one.
 */
TEST_F(dev, segments_grown)
{
	struct { struct dmashim_segment s; __u64 more; } segs[4];
	struct dmashim_segments req;
	struct dmashim_map map;
	struct buffer b;
	struct mapping m;
	unsigned int i, n;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, MiB(1), &b));
	ASSERT_EQ(0, map_buf(self->ctx, b.fd, DMASHIM_DIR_TO_DEVICE, 0, &m));
	ASSERT_LE(2, m.nr_segments);
	n = m.nr_segments < 3 ? m.nr_segments : 3;

	memset(segs, 0xff, sizeof(segs));
	map = (struct dmashim_map){
		.size = sizeof(map), .fd = b.fd, .dir = DMASHIM_DIR_TO_DEVICE,
		.segments = (uintptr_t)segs, .nr_segments = n,
		.segment_size = sizeof(segs[0]),
	};
	ASSERT_EQ(0, ioctl_errno(self->ctx, DMASHIM_IOCTL_MAP, &map));
	for (i = 0; i < n; i++) {
		EXPECT_EQ(m.segs[i].length, segs[i].s.length);
		EXPECT_EQ(0, segs[i].more) TH_LOG("segment %u", i);
	}
	EXPECT_EQ(~0ULL, segs[n].s.addr);
	EXPECT_EQ(0, ctx_unmap(self->ctx, map.handle));

	memset(segs, 0xff, sizeof(segs));
	req = (struct dmashim_segments){
		.size = sizeof(req), .handle = m.handle,
		.segments = (uintptr_t)segs, .first = 1, .count = n - 1,
		.segment_size = sizeof(segs[0]),
	};
	ASSERT_EQ(0, ioctl_errno(self->ctx, DMASHIM_IOCTL_SEGMENTS, &req));
	EXPECT_EQ(n - 1, req.count);
	for (i = 0; i < n - 1; i++) {
		EXPECT_EQ(0, memcmp(&m.segs[i + 1], &segs[i].s,
				    sizeof(segs[i].s)));
		EXPECT_EQ(0, segs[i].more);
	}
	EXPECT_EQ(~0ULL, segs[n - 1].s.addr);
	EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
	mapping_free(&m);
	buffer_put(&b);
}

TEST_F(dev, unmap_errors)
{
	struct dmashim_unmap unmap;
	struct buffer b;
	struct mapping m;
	int other;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, self->page, &b));
	ASSERT_EQ(0, map_buf(self->ctx, b.fd, DMASHIM_DIR_TO_DEVICE, 0, &m));

	EXPECT_EQ(-ENOENT, ctx_unmap(self->ctx, m.handle + 1000000));
	EXPECT_EQ(-ENOENT, ctx_unmap(self->ctx, ~0ULL));
	unmap = (struct dmashim_unmap){
		.size = sizeof(unmap), .flags = 1, .handle = m.handle,
	};
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_UNMAP, &unmap));

	/* A mapping is its context's: another cannot use it. */
	other = ctx_same_device(self, variant);
	ASSERT_LE(0, other);
	EXPECT_EQ(-ENOENT, ctx_unmap(other, m.handle));
	EXPECT_EQ(-ENOENT, ctx_sync(other, m.handle, DMASHIM_SYNC_FOR_CPU, 0,
				    1, DMASHIM_DIR_TO_DEVICE));
	close(other);

	EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
	EXPECT_EQ(-ENOENT, ctx_unmap(self->ctx, m.handle));
	EXPECT_EQ(self->baseline, live_mappings());
	mapping_free(&m);
	buffer_put(&b);
}

/* Only dma-bufs map. */
TEST_F(dev, bad_fds)
{
	struct mapping m;
	int fds[3], p[2], closed;
	size_t i;

	ASSERT_EQ(0, pipe(p));
	fds[0] = open("/dev/null", O_RDWR | O_CLOEXEC);
	fds[1] = memfd_create("map_test", MFD_CLOEXEC);
	fds[2] = p[0];
	closed = dup(p[1]);
	ASSERT_LE(0, closed);
	close(closed);

	EXPECT_EQ(-EBADF, map_buf(self->ctx, -1, DMASHIM_DIR_TO_DEVICE, 0, &m));
	EXPECT_EQ(-EBADF, map_buf(self->ctx, closed, DMASHIM_DIR_TO_DEVICE, 0,
				  &m));
	EXPECT_EQ(-EBADF, map_buf(self->ctx, self->ctx, DMASHIM_DIR_TO_DEVICE,
				  0, &m));
	for (i = 0; i < ARRAY_SIZE(fds); i++) {
		ASSERT_LE(0, fds[i]);
		EXPECT_EQ(-EBADF, map_buf(self->ctx, fds[i],
					  DMASHIM_DIR_TO_DEVICE, 0, &m))
			TH_LOG("fd #%zu", i);
		close(fds[i]);
	}
	close(p[1]);
	EXPECT_EQ(self->baseline, live_mappings());
}

TEST_F(dev, bad_dir_and_flags)
{
	static const __u32 dirs[] = { 3, 4, 0x80000000, ~0U };
	struct buffer b;
	struct mapping m;
	unsigned int bit;
	size_t i;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, self->page, &b));
	for (i = 0; i < ARRAY_SIZE(dirs); i++)
		EXPECT_EQ(-EINVAL, map_buf(self->ctx, b.fd, dirs[i], 0, &m))
			TH_LOG("dir %#x", dirs[i]);
	for (bit = 1; bit < 32; bit++)
		EXPECT_EQ(-EINVAL, map_buf(self->ctx, b.fd,
					   DMASHIM_DIR_TO_DEVICE, 1U << bit,
					   &m))
			TH_LOG("flag bit %u", bit);
	EXPECT_EQ(self->baseline, live_mappings());
	buffer_put(&b);
}

/*
 * Buffer fd, mapping and context closed in every order: what is still
 * open keeps working, and nothing is left when all is closed.
 *   b: close the buffer fd (and its CPU mapping)
 *   m: unmap
 *   c: close the context, which unmaps what is left
 */
TEST_F(dev, close_orders)
{
	static const char *const orders[] = { "bmc", "bc", "mbc", "mcb", "cb" };
	unsigned char *view;
	struct buffer b;
	struct mapping m;
	size_t i, len = 8 * self->page;
	bool buf_open, mapped;
	const char *step;
	int ctx;

	view = malloc(len);
	ASSERT_NE(NULL, view);
	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		ctx = ctx_same_device(self, variant);
		ASSERT_LE(0, ctx);
		ASSERT_EQ(0, buffer_get(ctx, DMASHIM_BUF_PAGES, len, &b));
		pattern_fill(b.cpu, len, 0, i + 1);
		ASSERT_EQ(0, map_buf(ctx, b.fd, DMASHIM_DIR_BIDIRECTIONAL, 0,
				     &m));
		buf_open = mapped = true;
		for (step = orders[i]; *step; step++) {
			switch (*step) {
			case 'b':
				buffer_put(&b);
				buf_open = false;
				break;
			case 'm':
				EXPECT_EQ(0, ctx_unmap(ctx, m.handle));
				mapped = false;
				break;
			case 'c':
				EXPECT_EQ(0, close(ctx));
				mapped = false;
				break;
			}
			if (mapped) {
				EXPECT_EQ(0, view_read(m.handle, view, len, 0));
				EXPECT_PATTERN(view, len, 0, i + 1);
				EXPECT_CHECK_OK(&m);
			}
			if (buf_open)
				EXPECT_PATTERN(b.cpu, len, 0, i + 1);
		}
		/* Once the context is closed the mapping is gone. */
		EXPECT_EQ(-ENOENT, view_read(m.handle, view, 1, 0))
			TH_LOG("order %s", orders[i]);
		EXPECT_EQ(self->baseline, live_mappings())
			TH_LOG("order %s", orders[i]);
		mapping_free(&m);
	}
	free(view);
}

/*
 * A buffer passed over a Unix socket is mapped in the other process,
 * which reads it and writes it as the device.
 */
TEST_F(dev, passed_to_other_process)
{
	size_t len = 4 * self->page;
	int sv[2], status;
	struct buffer b;
	pid_t pid;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, len, &b));
	pattern_fill(b.cpu, len, 0, 1);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		unsigned char view[64];
		struct mapping m;
		int fd, ctx;

		fd = recv_fd(sv[1]);
		ctx = ctx_same_device(self, variant);
		if (fd < 0 || ctx < 0)
			_exit(1);
		if (map_buf(ctx, fd, DMASHIM_DIR_BIDIRECTIONAL, 0, &m))
			_exit(2);
		close(fd);
		if (m.length != len || view_read(m.handle, view, 64, 100) ||
		    pattern_diff(view, 64, 100, 1) != -1)
			_exit(3);
		pattern_fill(view, 64, 100, 2);
		if (view_write(m.handle, view, 64, 100) ||
		    ctx_sync(ctx, m.handle, DMASHIM_SYNC_FOR_CPU, 0, len,
			     DMASHIM_DIR_BIDIRECTIONAL))
			_exit(4);
		_exit(ctx_unmap(ctx, m.handle) ? 5 : 0);
	}
	ASSERT_EQ(0, send_fd(sv[0], b.fd));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child: 1 receive, 2 map, 3 read, 4 write, 5 unmap");
	EXPECT_PATTERN(b.cpu, 100, 0, 1);
	EXPECT_PATTERN(b.cpu + 100, 64, 100, 2);
	EXPECT_PATTERN(b.cpu + 164, len - 164, 164, 1);
	close(sv[0]);
	close(sv[1]);
	buffer_put(&b);
}

/* One buffer mapped in two contexts at once: two mappings, one memory. */
TEST_F(dev, two_contexts)
{
	const char *other_device = variant->edu ? "default" : edu_bind_name();
	size_t len = 4 * self->page;
	struct dmashim_info info;
	unsigned char *view;
	struct mapping m1, m2;
	struct buffer b;
	int other;

	if (!other_device)
		other_device = "default";
	other = ctx_open_bound(other_device, strcmp(other_device, "default") ?
					     EDU_DMA_BITS : 0);
	ASSERT_LE(0, other);
	ASSERT_EQ(0, ctx_info(other, &info));
	view = malloc(len);
	ASSERT_NE(NULL, view);
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, len, &b));
	pattern_fill(b.cpu, len, 0, 1);

	ASSERT_EQ(0, map_buf(self->ctx, b.fd, DMASHIM_DIR_BIDIRECTIONAL, 0,
			     &m1));
	ASSERT_EQ(0, map_buf(other, b.fd, DMASHIM_DIR_TO_DEVICE, 0, &m2));
	EXPECT_NE(m1.handle, m2.handle);
	EXPECT_STREQ("", mapping_problem(&m1, &self->info, &b,
					 DMASHIM_BUF_PAGES, 0));
	EXPECT_STREQ("", mapping_problem(&m2, &info, &b, DMASHIM_BUF_PAGES, 0));
	EXPECT_CHECK_OK(&m1);
	EXPECT_CHECK_OK(&m2);

	/* The device writes through one; the other sees it once synced. */
	pattern_fill(view, len, 0, 2);
	ASSERT_EQ(0, view_write(m1.handle, view, len, 0));
	ASSERT_EQ(0, ctx_sync(self->ctx, m1.handle, DMASHIM_SYNC_FOR_CPU, 0,
			      len, DMASHIM_DIR_BIDIRECTIONAL));
	EXPECT_PATTERN(b.cpu, len, 0, 2);
	ASSERT_EQ(0, ctx_sync(other, m2.handle, DMASHIM_SYNC_FOR_DEVICE, 0,
			      len, DMASHIM_DIR_TO_DEVICE));
	ASSERT_EQ(0, view_read(m2.handle, view, len, 0));
	EXPECT_PATTERN(view, len, 0, 2);

	EXPECT_EQ(0, ctx_unmap(self->ctx, m1.handle));
	EXPECT_CHECK_OK(&m2);
	ASSERT_EQ(0, view_read(m2.handle, view, len, 0));
	EXPECT_PATTERN(view, len, 0, 2);
	EXPECT_EQ(0, ctx_unmap(other, m2.handle));
	mapping_free(&m1);
	mapping_free(&m2);
	buffer_put(&b);
	close(other);
	free(view);
}

/*
 * Bus addresses are physical addresses: only CAP_SYS_RAWIO sees them.
 * IOVAs behind an IOMMU are shown to everyone.
 */
TEST_F(dev, addresses_hidden)
{
	bool translated = self->info.dev_flags & DMASHIM_DEV_IOMMU;
	struct buffer b;
	struct mapping m;
	unsigned int i;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, MiB(1), &b));
	ASSERT_EQ(0, map_buf(self->ctx, b.fd, DMASHIM_DIR_TO_DEVICE, 0, &m));
	EXPECT_FALSE(m.mapped_flags & DMASHIM_MAPPED_ADDRS_HIDDEN);
	EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
	mapping_free(&m);

	/*
	 * The opener's privilege counts: the fixture's context still sees
	 * them; one opened without CAP_SYS_RAWIO does not.
	 */
	ASSERT_EQ(0, drop_cap(CAP_SYS_RAWIO));
	ASSERT_EQ(0, map_buf(self->ctx, b.fd, DMASHIM_DIR_TO_DEVICE, 0, &m));
	EXPECT_FALSE(m.mapped_flags & DMASHIM_MAPPED_ADDRS_HIDDEN);
	EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
	mapping_free(&m);
	close(self->ctx);
	self->ctx = ctx_same_device(self, variant);
	ASSERT_LE(0, self->ctx);
	ASSERT_EQ(0, map_buf(self->ctx, b.fd, DMASHIM_DIR_TO_DEVICE, 0, &m));
	EXPECT_STREQ("", mapping_problem(&m, &self->info, &b,
					 DMASHIM_BUF_PAGES, 0));
	EXPECT_EQ(!translated,
		  !!(m.mapped_flags & DMASHIM_MAPPED_ADDRS_HIDDEN));
	/* All of them, the ones MAP wrote and the ones SEGMENTS did. */
	for (i = 0; !translated && i < m.nr_segments; i++)
		EXPECT_EQ(0, m.segs[i].addr) TH_LOG("segment %u", i);
	EXPECT_CHECK_OK(&m);
	EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
	mapping_free(&m);
	buffer_put(&b);
}

/* Another exporter's dma-buf (udmabuf) maps; the self-check says so. */
TEST_F(dev, foreign_udmabuf)
{
	size_t len = 4 * self->page;
	struct udmabuf_create create;
	int dev, memfd, fd;
	char line[64];
	unsigned char *p, *view;
	struct mapping m;

	dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		SKIP(return, "no /dev/udmabuf: %s", strerror(errno));
	memfd = memfd_create("map_test", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	ASSERT_LE(0, memfd);
	ASSERT_EQ(0, ftruncate(memfd, len));
	ASSERT_EQ(0, fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	ASSERT_NE(MAP_FAILED, p);
	pattern_fill(p, len, 0, 3);
	create = (struct udmabuf_create){
		.memfd = memfd, .flags = UDMABUF_FLAGS_CLOEXEC, .size = len,
	};
	fd = ioctl(dev, UDMABUF_CREATE, &create);
	ASSERT_LE(0, fd);

	view = malloc(len);
	ASSERT_NE(NULL, view);
	ASSERT_EQ(0, map_buf(self->ctx, fd, DMASHIM_DIR_TO_DEVICE, 0, &m));
	EXPECT_EQ(len, m.length);
	EXPECT_EQ(1, view_check(&m, line, sizeof(line)));
	EXPECT_STREQ("foreign", line);
	ASSERT_EQ(0, ctx_sync(self->ctx, m.handle, DMASHIM_SYNC_FOR_DEVICE,
			      0, len, DMASHIM_DIR_TO_DEVICE));
	ASSERT_EQ(0, view_read(m.handle, view, len, 0));
	EXPECT_PATTERN(view, len, 0, 3);
	EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
	mapping_free(&m);
	free(view);
	close(fd);
	munmap(p, len);
	close(memfd);
	close(dev);
}

TEST_HARNESS_MAIN
