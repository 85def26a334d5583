// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim syncs (DMASHIM_IOCTL_SYNC): range, flag and direction rules, and
 * the data, byte for byte through the device's view: what the CPU writes
 * reaches the device once synced for it, what the device writes reaches
 * the CPU once synced for the CPU, over partial ranges at unaligned
 * offsets, for every buffer kind, bounced or not, on the default device
 * and on edu.  DMA_BUF_IOCTL_SYNC on the buffer syncs its mappings too.
 *
 * A mapping that copies (bounced through dmashim's pool, or through the
 * kernel's swiotlb) shows the device a copy: a sync moves exactly the
 * range it names.  One that does not shows the memory itself (x86 DMA is
 * cache-coherent): both sides see every write at once.
 */

#include <errno.h>
#include <linux/dma-buf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define COPIES (DMASHIM_MAPPED_BOUNCED | DMASHIM_MAPPED_SWIOTLB)

FIXTURE(sync) {
	int ctx;
	struct dmashim_info info;
	size_t page, len;
	unsigned char *view;
};

FIXTURE_VARIANT(sync) {
	bool edu;
	__u32 map_flags;
};

FIXTURE_VARIANT_ADD(sync, default_device) {
	.edu = false,
};

FIXTURE_VARIANT_ADD(sync, default_device_bounced) {
	.edu = false,
	.map_flags = DMASHIM_MAP_BOUNCE,
};

FIXTURE_VARIANT_ADD(sync, edu) {
	.edu = true,
};

FIXTURE_VARIANT_ADD(sync, edu_bounced) {
	.edu = true,
	.map_flags = DMASHIM_MAP_BOUNCE,
};

FIXTURE_SETUP(sync)
{
	REQUIRE_DEBUGFS();
	if (variant->edu)
		REQUIRE_EDU();
	self->page = sysconf(_SC_PAGESIZE);
	self->len = 5 * self->page;
	self->view = malloc(self->len);
	ASSERT_NE(NULL, self->view);
	self->ctx = ctx_open_bound(variant->edu ? edu_bind_name() : "default",
				   variant->edu ? EDU_DMA_BITS : 0);
	ASSERT_LE(0, self->ctx);
	ASSERT_EQ(0, ctx_info(self->ctx, &self->info));
}

FIXTURE_TEARDOWN(sync)
{
	free(self->view);
	if (self->ctx > 0)
		close(self->ctx);
}

/* Partial ranges: unaligned, across pages, the last byte, everything. */
struct range {
	size_t off, len;
};

static void ranges(size_t page, size_t len, struct range r[4])
{
	r[0] = (struct range){ 13, 5000 };
	r[1] = (struct range){ page - 1, 2 };
	r[2] = (struct range){ len - 1, 1 };
	r[3] = (struct range){ 0, len };
}

/*
 * What the other side sees outside a synced range: pattern @before if the
 * whole mapping copies, @after if none of it does, and 0 (either) if only
 * the runs of the buffer the device cannot reach are bounced.
 */
static unsigned int outside(const FIXTURE_DATA(sync) *self,
			    const FIXTURE_VARIANT(sync) *variant,
			    const struct mapping *m, unsigned int before,
			    unsigned int after)
{
	if (!(m->mapped_flags & COPIES))
		return after;
	if (variant->map_flags & DMASHIM_MAP_BOUNCE ||
	    m->mapped_flags & DMASHIM_MAPPED_SWIOTLB ||
	    expected_bounce(&self->info) == BOUNCE_ALWAYS)
		return before;
	return 0;
}

/*
 * @buf holds pattern @in within @r and pattern @out around it (anything
 * if @out is 0).
 */
static void expect_split(struct __test_metadata *_metadata,
			 const unsigned char *buf, size_t len, struct range r,
			 unsigned int out, unsigned int in, const char *what)
{
	const struct range part[] = {
		{ 0, r.off }, r, { r.off + r.len, len - r.off - r.len },
	};
	const unsigned int seed[] = { out, in, out };
	size_t i, at;
	long d;

	for (i = 0; i < ARRAY_SIZE(part); i++) {
		if (!seed[i])
			continue;
		d = pattern_diff(buf + part[i].off, part[i].len, part[i].off,
				 seed[i]);
		at = part[i].off + d;
		EXPECT_EQ(-1, d)
			TH_LOG("%s: byte %zu is 0x%02x, pattern %u has 0x%02x",
			       what, at, buf[at], seed[i],
			       pattern_byte(at, seed[i]));
	}
}

TEST_F(sync, range_validation)
{
	const __u32 ops[] = { DMASHIM_SYNC_FOR_CPU, DMASHIM_SYNC_FOR_DEVICE };
	const __u64 len = self->len;
	const struct {
		__u64 off, len;
	} bad[] = {
		{ 0, 0 }, { len, 1 }, { len - 1, 2 }, { 0, len + 1 },
		{ self->page, UINT64_MAX - 100 }, { UINT64_MAX, 2 },
		{ UINT64_MAX, 0 }, { len, 0 },
	};
	struct buffer b;
	struct mapping m;
	size_t i, j;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, self->len, &b));
	ASSERT_EQ(0, map_buf(self->ctx, b.fd, DMASHIM_DIR_BIDIRECTIONAL,
			     variant->map_flags, &m));
	for (j = 0; j < ARRAY_SIZE(ops); j++) {
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			__u64 off = bad[i].off, n = bad[i].len;

			EXPECT_EQ(-EINVAL, ctx_sync(self->ctx, m.handle, ops[j],
						    off, n,
						    DMASHIM_DIR_BIDIRECTIONAL))
				TH_LOG("op %#x, offset %llu, length %llu",
				       ops[j], (unsigned long long)off,
				       (unsigned long long)n);
		}
		EXPECT_EQ(0, ctx_sync(self->ctx, m.handle, ops[j], len - 1, 1,
				      DMASHIM_DIR_BIDIRECTIONAL));
		EXPECT_EQ(0, ctx_sync(self->ctx, m.handle, ops[j], 0, len,
				      DMASHIM_DIR_BIDIRECTIONAL));
	}
	EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
	mapping_free(&m);
	buffer_put(&b);
}

TEST_F(sync, flags_and_handles)
{
	struct dmashim_sync req;
	struct buffer b;
	struct mapping m;
	unsigned int bit;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, self->len, &b));
	ASSERT_EQ(0, map_buf(self->ctx, b.fd, DMASHIM_DIR_BIDIRECTIONAL,
			     variant->map_flags, &m));
	/* Exactly one of the two. */
	EXPECT_EQ(-EINVAL, ctx_sync(self->ctx, m.handle, 0, 0, 1,
				    DMASHIM_DIR_BIDIRECTIONAL));
	EXPECT_EQ(-EINVAL, ctx_sync(self->ctx, m.handle,
				    DMASHIM_SYNC_FOR_CPU |
				    DMASHIM_SYNC_FOR_DEVICE, 0, 1,
				    DMASHIM_DIR_BIDIRECTIONAL));
	for (bit = 2; bit < 32; bit++)
		EXPECT_EQ(-EINVAL, ctx_sync(self->ctx, m.handle,
					    DMASHIM_SYNC_FOR_CPU | 1U << bit,
					    0, 1, DMASHIM_DIR_BIDIRECTIONAL))
			TH_LOG("flag bit %u", bit);
	EXPECT_EQ(-EINVAL, ctx_sync(self->ctx, m.handle, DMASHIM_SYNC_FOR_CPU,
				    0, 1, 3));
	EXPECT_EQ(-EINVAL, ctx_sync(self->ctx, m.handle, DMASHIM_SYNC_FOR_CPU,
				    0, 1, ~0U));
	req = (struct dmashim_sync){
		.size = sizeof(req), .flags = DMASHIM_SYNC_FOR_CPU,
		.handle = m.handle, .length = 1, .__reserved = 1,
	};
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_SYNC, &req));
	EXPECT_EQ(-ENOENT, ctx_sync(self->ctx, m.handle + 1000000,
				    DMASHIM_SYNC_FOR_CPU, 0, 1,
				    DMASHIM_DIR_BIDIRECTIONAL));
	EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
	EXPECT_EQ(-ENOENT, ctx_sync(self->ctx, m.handle, DMASHIM_SYNC_FOR_CPU,
				    0, 1, DMASHIM_DIR_BIDIRECTIONAL));
	mapping_free(&m);
	buffer_put(&b);
}

/*
 * As in the DMA API: a sync names the mapping's own direction, or any
 * direction for a bidirectional mapping.
 */
TEST_F(sync, direction_rules)
{
	const __u32 dirs[] = {
		DMASHIM_DIR_BIDIRECTIONAL, DMASHIM_DIR_TO_DEVICE,
		DMASHIM_DIR_FROM_DEVICE,
	};
	const __u32 ops[] = { DMASHIM_SYNC_FOR_CPU, DMASHIM_SYNC_FOR_DEVICE };
	struct buffer b;
	struct mapping m;
	size_t md, sd, op;
	int want;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, self->len, &b));
	for (md = 0; md < ARRAY_SIZE(dirs); md++) {
		ASSERT_EQ(0, map_buf(self->ctx, b.fd, dirs[md],
				     variant->map_flags, &m));
		for (sd = 0; sd < ARRAY_SIZE(dirs); sd++) {
			want = dirs[md] == DMASHIM_DIR_BIDIRECTIONAL ||
			       dirs[md] == dirs[sd] ? 0 : -EINVAL;
			for (op = 0; op < ARRAY_SIZE(ops); op++) {
				__u32 flag = ops[op];

				EXPECT_EQ(want, ctx_sync(self->ctx, m.handle,
							 flag, 0, self->len,
							 dirs[sd]))
					TH_LOG("mapped %u, synced %u, op %#x",
					       dirs[md], dirs[sd], flag);
			}
		}
		EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
		mapping_free(&m);
	}
	buffer_put(&b);
}

/*
 * One side rewrites the whole buffer, then hands one range to the other:
 * the other side sees the new bytes there, and elsewhere the old ones if
 * the device's view is a copy, the new ones if it is the memory.
 *
 * To the device: the buffer starts as pattern 1, the CPU writes pattern 2
 * after mapping and syncs the range for the device, whose view is read.
 * To the CPU: the device writes pattern 2 over its view and the range is
 * synced for the CPU, which reads the buffer.
 */
static void hand_over(struct __test_metadata *_metadata,
		      FIXTURE_DATA(sync) *self,
		      const FIXTURE_VARIANT(sync) *variant, bool to_device)
{
	const __u32 dirs[] = {
		to_device ? DMASHIM_DIR_TO_DEVICE : DMASHIM_DIR_FROM_DEVICE,
		DMASHIM_DIR_BIDIRECTIONAL,
	};
	const __u32 op = to_device ? DMASHIM_SYNC_FOR_DEVICE :
				     DMASHIM_SYNC_FOR_CPU;
	unsigned char *view = self->view, *seen;
	unsigned int kind, i, d;
	struct range r[4];
	struct buffer b;
	struct mapping m;
	char what[64];

	ranges(self->page, self->len, r);
	for (kind = 0; kind < NR_KINDS; kind++) {
		ASSERT_EQ(0, buffer_get(self->ctx, kind, self->len, &b));
		seen = to_device ? view : b.cpu;
		for (d = 0; d < ARRAY_SIZE(dirs); d++) {
			for (i = 0; i < ARRAY_SIZE(r); i++) {
				pattern_fill(b.cpu, b.len, 0, 1);
				ASSERT_EQ(0, map_buf(self->ctx, b.fd, dirs[d],
						     variant->map_flags, &m));
				if (to_device) {
					pattern_fill(b.cpu, b.len, 0, 2);
				} else {
					pattern_fill(view, b.len, 0, 2);
					ASSERT_EQ(0, view_write(m.handle, view,
								b.len, 0));
				}
				ASSERT_EQ(0, ctx_sync(self->ctx, m.handle, op,
						      r[i].off, r[i].len,
						      dirs[d]));
				if (to_device)
					ASSERT_EQ(0, view_read(m.handle, view,
							       b.len, 0));
				snprintf(what, sizeof(what),
					 "%s, dir %u, range %u, %s view",
					 kind_name(kind), dirs[d], i,
					 to_device ? "device" : "CPU");
				expect_split(_metadata, seen, b.len, r[i],
					     outside(self, variant, &m, 1, 2),
					     2, what);
				EXPECT_CHECK_OK(&m);
				EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
				mapping_free(&m);
			}
		}
		buffer_put(&b);
	}
}

TEST_F(sync, cpu_to_device)
{
	hand_over(_metadata, self, variant, true);
}

TEST_F(sync, device_to_cpu)
{
	hand_over(_metadata, self, variant, false);
}

/*
 * DMA_BUF_IOCTL_SYNC on the buffer moves every mapping of it: END hands
 * the CPU's writes to the devices that read it, START the writes of the
 * device that writes it to the CPU.  A to-device and a from-device
 * mapping are attached at once; a bidirectional one alone (two mappings
 * the device writes would each bring their own bytes back).
 */
TEST_F(sync, dma_buf_sync_moves_mappings)
{
	static const struct {
		unsigned int n;
		__u32 dirs[2];
		unsigned int reader, writer;	/* indices in dirs */
	} sets[] = {
		{ 2, { DMASHIM_DIR_TO_DEVICE, DMASHIM_DIR_FROM_DEVICE }, 0, 1 },
		{ 1, { DMASHIM_DIR_BIDIRECTIONAL }, 0, 0 },
	};
	const struct range whole = { 0, self->len };
	unsigned char *view = self->view;
	unsigned int kind, i, d;
	struct mapping m[2];
	struct buffer b;
	char what[64];

	for (kind = 0; kind < NR_KINDS; kind++) {
		for (i = 0; i < ARRAY_SIZE(sets); i++) {
			ASSERT_EQ(0, buffer_get(self->ctx, kind, self->len,
						&b));
			pattern_fill(b.cpu, b.len, 0, 1);
			for (d = 0; d < sets[i].n; d++)
				ASSERT_EQ(0, map_buf(self->ctx, b.fd,
						     sets[i].dirs[d],
						     variant->map_flags,
						     &m[d]));

			ASSERT_EQ(0, dmabuf_sync(b.fd, DMA_BUF_SYNC_START |
						       DMA_BUF_SYNC_WRITE));
			pattern_fill(b.cpu, b.len, 0, 2);
			ASSERT_EQ(0, dmabuf_sync(b.fd, DMA_BUF_SYNC_END |
						       DMA_BUF_SYNC_WRITE));
			ASSERT_EQ(0, view_read(m[sets[i].reader].handle, view,
					       b.len, 0));
			snprintf(what, sizeof(what), "%s, set %u, device view",
				 kind_name(kind), i);
			expect_split(_metadata, view, b.len, whole, 0, 2, what);

			pattern_fill(view, b.len, 0, 3);
			ASSERT_EQ(0, view_write(m[sets[i].writer].handle, view,
						b.len, 0));
			ASSERT_EQ(0, dmabuf_sync(b.fd, DMA_BUF_SYNC_START |
						       DMA_BUF_SYNC_READ));
			snprintf(what, sizeof(what), "%s, set %u, CPU view",
				 kind_name(kind), i);
			expect_split(_metadata, b.cpu, b.len, whole, 0, 3,
				     what);
			ASSERT_EQ(0, dmabuf_sync(b.fd, DMA_BUF_SYNC_END |
						       DMA_BUF_SYNC_READ));

			for (d = 0; d < sets[i].n; d++) {
				EXPECT_EQ(0, ctx_unmap(self->ctx, m[d].handle));
				mapping_free(&m[d]);
			}
			buffer_put(&b);
		}
	}
}

/*
 * Found by fuzz_test (seed 7, DMASHIM_FUZZ_OPS=open,alloc,map,sync on
 * 6.12-debug): the same buffer mapped twice for a device without an
 * IOMMU has the same DMA addresses in both mappings, and a sync of part
 * of one (dma_sync_single_range_*() inside a DMA segment) finds two
 * dma-debug entries that contain it, neither a perfect fit: dma-debug
 * reports "device driver tries to sync DMA memory it has not allocated".
 * The sync of a range must not be a DMA API error, however many times
 * the buffer is mapped.
 */
TEST(same_buffer_mapped_twice_synced)
{
	struct mapping m[2];
	struct buffer b;
	long long before;
	int ctx, i;

	if (dma_debug_errors() < 0)
		SKIP(return, "no dma-debug (debug kernel only)");
	ctx = ctx_open();
	ASSERT_LE(0, ctx);
	ASSERT_EQ(0, buffer_get(ctx, DMASHIM_BUF_PAGES, 65536, &b));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, map_buf(ctx, b.fd, DMASHIM_DIR_BIDIRECTIONAL, 0, &m[i]));
	before = dma_debug_errors();
	EXPECT_EQ(0, ctx_sync(ctx, m[0].handle, DMASHIM_SYNC_FOR_DEVICE, 100,
			      4000, DMASHIM_DIR_BIDIRECTIONAL));
	EXPECT_EQ(0, ctx_sync(ctx, m[1].handle, DMASHIM_SYNC_FOR_CPU, 0, 4096,
			      DMASHIM_DIR_BIDIRECTIONAL));
	EXPECT_EQ(before, dma_debug_errors());
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(0, ctx_unmap(ctx, m[i].handle));
		mapping_free(&m[i]);
	}
	buffer_put(&b);
	close(ctx);
}

TEST_HARNESS_MAIN
