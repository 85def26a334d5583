// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim's bounce pool: DMASHIM_MAP_BOUNCE, what is copied when (checked
 * with the counters and with the data), exhaustion, slots given back on
 * unmap and on close, the high-water mark, the counters in debugfs; and
 * the configurations: under swiotlb=force the 28-bit edu device maps
 * through the pool, within its reach; behind a translating IOMMU nothing
 * bounces unless asked.
 *
 * The copies follow swiotlb: into the pool at map time whatever the
 * direction (bytes the device does not write come back unchanged), and on
 * a sync for the device for to-device and bidirectional mappings; out of
 * it on a sync for the CPU and at unmap for from-device and bidirectional
 * ones.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

FIXTURE(pool) {
	int ctx;
	const char *device;
	unsigned int dma_bits;
	struct dmashim_info info;
	struct dmashim_stats st;
	size_t page;
};

FIXTURE_VARIANT(pool) {
	bool edu;
};

FIXTURE_VARIANT_ADD(pool, default_device) {
	.edu = false,
};

FIXTURE_VARIANT_ADD(pool, edu) {
	.edu = true,
};

FIXTURE_SETUP(pool)
{
	REQUIRE_DEBUGFS();
	if (variant->edu)
		REQUIRE_EDU();
	self->page = sysconf(_SC_PAGESIZE);
	self->device = variant->edu ? edu_bind_name() : "default";
	self->dma_bits = variant->edu ? EDU_DMA_BITS : 0;
	self->ctx = ctx_open_bound(self->device, self->dma_bits);
	ASSERT_LE(0, self->ctx);
	ASSERT_EQ(0, ctx_info(self->ctx, &self->info));
	ASSERT_EQ(0, ctx_stats(self->ctx, &self->st));
	/* Every bound device has a pool, empty between tests. */
	ASSERT_LT(0, self->st.pool_bytes);
	ASSERT_EQ(0, self->st.slots_used);
}

FIXTURE_TEARDOWN(pool)
{
	if (self->ctx > 0)
		close(self->ctx);
}

/* Counters that moved since @before. */
struct moved {
	__u64 to_device, to_cpu;
};

static struct moved moved_since(int ctx, const struct dmashim_stats *before)
{
	struct dmashim_stats now;
	struct moved m = { ~0ULL, ~0ULL };

	if (!ctx_stats(ctx, &now)) {
		m.to_device = now.bytes_to_device - before->bytes_to_device;
		m.to_cpu = now.bytes_to_cpu - before->bytes_to_cpu;
	}
	return m;
}

TEST_F(pool, shape_and_debugfs)
{
	struct dmashim_stats dbg;

	EXPECT_EQ(self->st.pool_bytes, self->st.slots_total *
				       self->st.slot_bytes);
	EXPECT_LE(self->st.slots_used, self->st.slots_high_water);
	EXPECT_LE(self->st.slots_high_water, self->st.slots_total);
	ASSERT_EQ(0, debugfs_bounce(self->info.name, &dbg));
	EXPECT_EQ(0, memcmp(&self->st, &dbg, sizeof(dbg)));
}

/*
 * Each direction through the life of a bounced mapping: map, CPU writes
 * and syncs a range for the device, the device writes and the CPU syncs
 * a range, unmap.
 */
TEST_F(pool, copies_by_direction)
{
	static const __u32 dirs[] = {
		DMASHIM_DIR_TO_DEVICE, DMASHIM_DIR_FROM_DEVICE,
		DMASHIM_DIR_BIDIRECTIONAL,
	};
	const size_t len = 4 * self->page, off = 100, n = self->page + 50;
	struct dmashim_stats before;
	unsigned char *view;
	struct buffer b;
	struct mapping m;
	struct moved mv;
	bool in, out;
	size_t d;

	view = malloc(len);
	ASSERT_NE(NULL, view);
	for (d = 0; d < ARRAY_SIZE(dirs); d++) {
		in = dirs[d] != DMASHIM_DIR_FROM_DEVICE;
		out = dirs[d] != DMASHIM_DIR_TO_DEVICE;
		ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, len, &b));
		pattern_fill(b.cpu, len, 0, 1);

		/* Map: copied in, whatever the direction. */
		ASSERT_EQ(0, ctx_stats(self->ctx, &before));
		ASSERT_EQ(0, map_buf(self->ctx, b.fd, dirs[d],
				     DMASHIM_MAP_BOUNCE, &m));
		ASSERT_TRUE(m.mapped_flags & DMASHIM_MAPPED_BOUNCED);
		mv = moved_since(self->ctx, &before);
		EXPECT_EQ(len, mv.to_device) TH_LOG("dir %u", dirs[d]);
		EXPECT_EQ(0, mv.to_cpu) TH_LOG("dir %u", dirs[d]);
		ASSERT_EQ(0, view_read(m.handle, view, len, 0));
		EXPECT_PATTERN(view, len, 0, 1);
		EXPECT_CHECK_OK(&m);

		/* Sync for the device: copied in if the device reads. */
		pattern_fill(b.cpu, len, 0, 2);
		ASSERT_EQ(0, ctx_stats(self->ctx, &before));
		ASSERT_EQ(0, ctx_sync(self->ctx, m.handle,
				      DMASHIM_SYNC_FOR_DEVICE, off, n,
				      dirs[d]));
		mv = moved_since(self->ctx, &before);
		EXPECT_EQ(in ? n : 0, mv.to_device) TH_LOG("dir %u", dirs[d]);
		EXPECT_EQ(0, mv.to_cpu) TH_LOG("dir %u", dirs[d]);
		ASSERT_EQ(0, view_read(m.handle, view, len, 0));
		EXPECT_PATTERN(view, off, 0, 1);
		EXPECT_PATTERN(view + off, n, off, in ? 2 : 1);
		EXPECT_PATTERN(view + off + n, len - off - n, off + n, 1);

		/* Sync for the CPU: copied out if the device writes. */
		pattern_fill(view, len, 0, 3);
		ASSERT_EQ(0, view_write(m.handle, view, len, 0));
		ASSERT_EQ(0, ctx_stats(self->ctx, &before));
		ASSERT_EQ(0, ctx_sync(self->ctx, m.handle, DMASHIM_SYNC_FOR_CPU,
				      off, n, dirs[d]));
		mv = moved_since(self->ctx, &before);
		EXPECT_EQ(0, mv.to_device) TH_LOG("dir %u", dirs[d]);
		EXPECT_EQ(out ? n : 0, mv.to_cpu) TH_LOG("dir %u", dirs[d]);
		EXPECT_PATTERN(b.cpu, off, 0, 2);
		EXPECT_PATTERN(b.cpu + off, n, off, out ? 3 : 2);
		EXPECT_PATTERN(b.cpu + off + n, len - off - n, off + n, 2);

		/* Unmap: copied out if the device writes. */
		ASSERT_EQ(0, ctx_stats(self->ctx, &before));
		ASSERT_EQ(0, ctx_unmap(self->ctx, m.handle));
		mv = moved_since(self->ctx, &before);
		EXPECT_EQ(0, mv.to_device) TH_LOG("dir %u", dirs[d]);
		EXPECT_EQ(out ? len : 0, mv.to_cpu) TH_LOG("dir %u", dirs[d]);
		EXPECT_PATTERN(b.cpu, len, 0, out ? 3 : 2);
		mapping_free(&m);
		buffer_put(&b);
	}
	free(view);
}

/*
 * A mapping the pool cannot hold fails whole: ENOSPC, one more failure,
 * no slot taken, nothing mapped; slots come back on unmap and on close,
 * and the high-water mark remembers.
 */
TEST_F_TIMEOUT(pool, exhaustion, 120)
{
	const size_t quarter = self->st.pool_bytes / 4;
	struct dmashim_stats st, before;
	struct buffer b[4], big, half, one;
	struct mapping m[4], extra;
	int live = live_mappings(), ctx2;
	unsigned int i;

	ASSERT_EQ(0, quarter % self->page);
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES,
				self->st.pool_bytes + self->page, &big));
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, 2 * quarter,
				&half));
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, self->page,
				&one));

	/* Larger than the whole pool. */
	EXPECT_EQ(-ENOSPC, map_buf(self->ctx, big.fd, DMASHIM_DIR_TO_DEVICE,
				   DMASHIM_MAP_BOUNCE, &extra));
	ASSERT_EQ(0, ctx_stats(self->ctx, &st));
	EXPECT_EQ(self->st.failures + 1, st.failures);
	EXPECT_EQ(0, st.slots_used);
	EXPECT_EQ(self->st.mappings_bounced, st.mappings_bounced);
	EXPECT_EQ(self->st.bytes_to_device, st.bytes_to_device);
	EXPECT_EQ(live, live_mappings());

	/* Four quarters fill it. */
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, quarter,
					&b[i]));
		ASSERT_EQ(0, map_buf(self->ctx, b[i].fd, DMASHIM_DIR_TO_DEVICE,
				     DMASHIM_MAP_BOUNCE, &m[i]))
			TH_LOG("quarter %u", i);
	}
	ASSERT_EQ(0, ctx_stats(self->ctx, &st));
	EXPECT_EQ(st.slots_total, st.slots_used);
	EXPECT_EQ(st.slots_total, st.slots_high_water);
	EXPECT_EQ(self->st.mappings_bounced + 4, st.mappings_bounced);

	before = st;
	EXPECT_EQ(-ENOSPC, map_buf(self->ctx, one.fd, DMASHIM_DIR_TO_DEVICE,
				   DMASHIM_MAP_BOUNCE, &extra));
	ASSERT_EQ(0, ctx_stats(self->ctx, &st));
	EXPECT_EQ(before.failures + 1, st.failures);
	EXPECT_EQ(before.slots_used, st.slots_used);

	/*
	 * Unmapping a quarter makes room for a quarter, not for a half,
	 * whose first part would fit: it fails whole.
	 */
	EXPECT_EQ(0, ctx_unmap(self->ctx, m[0].handle));
	mapping_free(&m[0]);
	ASSERT_EQ(0, ctx_stats(self->ctx, &before));
	EXPECT_EQ(st.slots_used - st.slots_total / 4, before.slots_used);
	EXPECT_EQ(-ENOSPC, map_buf(self->ctx, half.fd, DMASHIM_DIR_TO_DEVICE,
				   DMASHIM_MAP_BOUNCE, &extra));
	ASSERT_EQ(0, ctx_stats(self->ctx, &st));
	EXPECT_EQ(before.slots_used, st.slots_used)
		TH_LOG("a failed mapping kept slots");
	EXPECT_EQ(before.failures + 1, st.failures);
	ASSERT_EQ(0, map_buf(self->ctx, b[0].fd, DMASHIM_DIR_TO_DEVICE,
			     DMASHIM_MAP_BOUNCE, &m[0]));
	EXPECT_CHECK_OK(&m[0]);

	/* Closing a context gives its slots back. */
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(0, ctx_unmap(self->ctx, m[i].handle));
		mapping_free(&m[i]);
	}
	ctx2 = ctx_open_bound(self->device, self->dma_bits);
	ASSERT_LE(0, ctx2);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, map_buf(ctx2, b[i].fd, DMASHIM_DIR_BIDIRECTIONAL,
				     DMASHIM_MAP_BOUNCE, &m[i]));
		mapping_free(&m[i]);
	}
	ASSERT_EQ(0, ctx_stats(self->ctx, &st));
	EXPECT_EQ(st.slots_total / 2, st.slots_used);
	ASSERT_EQ(0, close(ctx2));
	ASSERT_EQ(0, ctx_stats(self->ctx, &st));
	EXPECT_EQ(0, st.slots_used);
	/* The high-water mark stays where it was. */
	EXPECT_EQ(st.slots_total, st.slots_high_water);
	EXPECT_EQ(live, live_mappings());

	for (i = 0; i < 4; i++)
		buffer_put(&b[i]);
	buffer_put(&big);
	buffer_put(&half);
	buffer_put(&one);
}

/* What the configuration says about the edu device. */
FIXTURE(edu) {
	int ctx;
	struct dmashim_info info;
	struct dmashim_stats st;
};

FIXTURE_SETUP(edu)
{
	REQUIRE_DEBUGFS();
	REQUIRE_EDU();
	self->ctx = ctx_open_bound(edu_bind_name(), EDU_DMA_BITS);
	ASSERT_LE(0, self->ctx);
	ASSERT_EQ(0, ctx_info(self->ctx, &self->info));
	ASSERT_EQ(0, ctx_stats(self->ctx, &self->st));
}

FIXTURE_TEARDOWN(edu)
{
	if (self->ctx > 0)
		close(self->ctx);
}

/*
 * With swiotlb=force and no IOMMU, the kernel's swiotlb sits beyond edu's
 * 28 bits (1 GiB of RAM): every streaming edu mapping goes through
 * dmashim's pool, which is allocated against edu and so within its reach.
 * edu's own coherent memory is mapped for it already and never bounces.
 */
TEST_F(edu, swiotlb_force)
{
	struct buffer b;
	struct mapping m;
	unsigned int kind, i;

	if (!cmdline_has("swiotlb=force") ||
	    self->info.dev_flags & DMASHIM_DEV_IOMMU)
		SKIP(return, "for swiotlb=force without an IOMMU (6.12-swiotlb)");
	for (kind = 0; kind < NR_KINDS; kind++) {
		ASSERT_EQ(0, buffer_get(self->ctx, kind, MiB(1), &b));
		pattern_fill(b.cpu, b.len, 0, 5);
		ASSERT_EQ(0, map_buf(self->ctx, b.fd, DMASHIM_DIR_TO_DEVICE, 0,
				     &m))
			TH_LOG("%s", kind_name(kind));
		EXPECT_EQ(kind != DMASHIM_BUF_COHERENT,
			  !!(m.mapped_flags & DMASHIM_MAPPED_BOUNCED))
			TH_LOG("%s", kind_name(kind));
		EXPECT_FALSE(m.mapped_flags & DMASHIM_MAPPED_SWIOTLB);
		for (i = 0; i < m.nr_segments; i++)
			EXPECT_GT(1ULL << EDU_DMA_BITS,
				  m.segs[i].addr + m.segs[i].length - 1)
				TH_LOG("%s, segment %u", kind_name(kind), i);
		EXPECT_CHECK_OK(&m);
		EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
		mapping_free(&m);
		buffer_put(&b);
	}
}

/* Behind a translating IOMMU a mapping bounces only when asked to. */
TEST_F(edu, iommu_never_bounces)
{
	int domain = expected_edu_domain();
	struct dmashim_stats st;
	unsigned int kind;
	struct buffer b;
	struct mapping m;

	if (domain != DMASHIM_IOMMU_DMA_STRICT &&
	    domain != DMASHIM_IOMMU_DMA_LAZY)
		SKIP(return, "for a translating IOMMU (DMASHIM_EXPECT_IOMMU strict or lazy)");
	for (kind = 0; kind < NR_KINDS; kind++) {
		ASSERT_EQ(0, buffer_get(self->ctx, kind, MiB(1), &b));
		ASSERT_EQ(0, map_buf(self->ctx, b.fd,
				     DMASHIM_DIR_BIDIRECTIONAL, 0, &m));
		EXPECT_EQ(DMASHIM_MAPPED_IOMMU, m.mapped_flags)
			TH_LOG("%s", kind_name(kind));
		EXPECT_CHECK_OK(&m);
		EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
		mapping_free(&m);
		buffer_put(&b);
	}
	ASSERT_EQ(0, ctx_stats(self->ctx, &st));
	EXPECT_EQ(self->st.mappings_bounced, st.mappings_bounced);
	EXPECT_EQ(self->st.bytes_to_device, st.bytes_to_device);
	EXPECT_EQ(self->st.bytes_to_cpu, st.bytes_to_cpu);
}

TEST_HARNESS_MAIN
