// SPDX-License-Identifier: GPL-2.0
/*
 * Transfers on dmaengine channels: memcpy, slave scatter-gather through
 * the device's window and back, cyclic transfers with their period
 * records, on a channel of each provider and from and to every buffer
 * kind, the data checked byte for byte; batches, mixed and many; the
 * out-fence; every way a submit can be refused, each leaving nothing
 * submitted; a full request pool; a step the CPU provider fails on
 * purpose; and edu (28-bit DMA) moving memory above 256 MiB, where the
 * configuration has no IOMMU to remap it.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * The next record is the final one of transfer @x, with @status and
 * @residue, stamped between @since and now.
 */
static void expect_final(struct __test_metadata *_metadata, int ch,
			 const struct dmashim_xfer *x, __u32 status,
			 __u64 residue, __u64 since)
{
	struct dmashim_record rec;

	ASSERT_EQ(0, chan_record(ch, &rec, -1));
	EXPECT_EQ(x->cookie, rec.cookie);
	EXPECT_EQ(x->user_data, rec.user_data);
	EXPECT_EQ(status, rec.status);
	EXPECT_EQ(residue, rec.residue);
	EXPECT_EQ(0, rec.flags);
	EXPECT_EQ(0, rec.periods);
	EXPECT_LE(since, rec.timestamp_ns);
	EXPECT_GE(now_ns(), rec.timestamp_ns);
}

/*
 * The next record is the final one of transfer @x, failed with @residue
 * bytes not moved: one descriptor moved step by step stops at the failed
 * step.  Under swiotlb=force the kernel bounces the buffers through
 * slots of its own, which can split the copy into descriptors, and those
 * after the failed one still move: at least the failed @step did not,
 * at most @residue, in whole steps.
 */
static void expect_failed(struct __test_metadata *_metadata, int ch,
			  const struct dmashim_xfer *x, __u64 residue,
			  __u64 step, __u64 since)
{
	struct dmashim_record rec;

	if (!cmdline_has("swiotlb=force")) {
		expect_final(_metadata, ch, x, DMASHIM_XFER_ERROR, residue,
			     since);
		return;
	}
	ASSERT_EQ(0, chan_record(ch, &rec, -1));
	EXPECT_EQ(x->cookie, rec.cookie);
	EXPECT_EQ(DMASHIM_XFER_ERROR, rec.status);
	EXPECT_LE(step, rec.residue);
	EXPECT_GE(residue, rec.residue);
	EXPECT_EQ(0, rec.residue % step);
}

/* Submit @x alone and expect it to complete. */
static void run_one(struct __test_metadata *_metadata, int ch,
		    struct dmashim_xfer *x)
{
	__u64 t0 = now_ns();

	ASSERT_EQ(0, chan_submit(ch, x, 1, NULL));
	EXPECT_LT(0, x->cookie);
	expect_final(_metadata, ch, x, DMASHIM_XFER_COMPLETE, 0, t0);
}

/* A refused submit left nothing behind: no descriptor, request or record. */
static void expect_nothing_submitted(struct __test_metadata *_metadata,
				     int ch)
{
	struct dmashim_chan_info info;
	struct dmashim_record rec;

	ASSERT_EQ(0, chan_info(ch, &info));
	EXPECT_EQ(info.descs_total, info.descs_free);
	EXPECT_EQ(DMASHIM_CHAN_CONFIGURED, info.state);
	EXPECT_EQ(-ETIME, chan_record(ch, &rec, 0));
}

FIXTURE(xfer) {
	int ctx, ch;
	char name[DMASHIM_CHAN_NAME_LEN];
};

/*
 * @unit: bytes of a typical transfer (edu: two steps); @scale: how much
 * larger than edu's the slave transfers are (within the window);
 * @period: of cyclic transfers.
 */
FIXTURE_VARIANT(xfer) {
	const char *driver;
	size_t unit;
	unsigned int scale;
	unsigned int window_len;
	size_t period;
	unsigned int batch;
};

FIXTURE_VARIANT_ADD(xfer, edu) {
	.driver = EDU_DMA_DRIVER,
	.unit = 5000,
	.scale = 1,
	.window_len = EDU_WINDOW_LEN,
	.period = 1024,
	.batch = 6,
};

FIXTURE_VARIANT_ADD(xfer, cpu) {
	.driver = CPU_DMA_DRIVER,
	.unit = 300000,
	.scale = 16,
	.window_len = CPU_WINDOW_LEN,
	.period = 16384,
	.batch = 32,
};

FIXTURE_SETUP(xfer)
{
	self->ctx = ctx_open();
	ASSERT_LE(0, self->ctx);
	REQUIRE_CHANNEL(variant->driver, self->name);
	self->ch = chan_open(self->ctx, self->name, 0, O_CLOEXEC);
	ASSERT_LE(0, self->ch);
}

FIXTURE_TEARDOWN(xfer)
{
	if (self->ch >= 0)
		close(self->ch);
	close(self->ctx);
}

/*
 * From each kind to the next (pages to contiguous, ..., pinned to pages),
 * between unaligned offsets; the bytes around the copy stay 0.
 */
TEST_F_TIMEOUT(xfer, memcpy_every_kind, 120)
{
	const size_t len = variant->unit, size = len + 4096;
	const __u64 soff = 13, doff = 7;
	struct dmashim_chan_status st;
	struct dmashim_xfer x;
	struct buffer src, dst;
	unsigned int k;

	for (k = 0; k < NR_KINDS; k++) {
		ASSERT_EQ(0, buffer_get(self->ctx, k, size, &src));
		ASSERT_EQ(0, buffer_get(self->ctx, (k + 1) % NR_KINDS, size,
					&dst));
		pattern_fill(src.cpu, src.len, 0, k + 1);
		x = xfer_memcpy(dst.fd, doff, src.fd, soff, len);
		x.user_data = 0xd0d0000000000000ULL | k;
		run_one(_metadata, self->ch, &x);
		EXPECT_ZERO(dst.cpu, doff);
		EXPECT_PATTERN(dst.cpu + doff, len, soff, k + 1);
		EXPECT_ZERO(dst.cpu + doff + len, dst.len - doff - len);
		/* Its record read, the transfer is dmaengine's to report. */
		ASSERT_EQ(0, chan_status(self->ch, x.cookie, &st));
		EXPECT_EQ(DMASHIM_XFER_COMPLETE, st.status);
		EXPECT_EQ(DMASHIM_CHAN_CONFIGURED, st.state);
		buffer_put(&dst);
		buffer_put(&src);
	}
}

/*
 * A buffer of @kind, or pinned memory: kinds NR_KINDS and NR_KINDS + 1
 * are pinned too, a page-aligned mmap and a malloc'd block (at an odd
 * address) respectively.  0 or -errno.
 */
static int any_buffer(int ctx, unsigned int kind, size_t size,
		      struct buffer *b, void **mem)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *p;
	int fd;

	*mem = NULL;
	if (kind < NR_KINDS)
		return buffer_get(ctx, kind, size, b);
	memset(b, 0, sizeof(*b));
	if (kind == NR_KINDS) {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (p == MAP_FAILED)
			return -errno;
		*mem = p;
		b->cpu_len = size;
	} else {
		p = malloc(size + page);
		if (!p)
			return -ENOMEM;
		*mem = p;
		p += 3;
	}
	memset(p, 0, size);
	fd = buf_pin(ctx, p, size, DMASHIM_PIN_DEVICE_WRITES);
	if (fd < 0)
		return fd;
	b->fd = fd;
	b->cpu = p;
	b->len = size;
	return 0;
}

static void any_buffer_put(unsigned int kind, struct buffer *b, void *mem)
{
	if (kind < NR_KINDS) {
		buffer_put(b);
		return;
	}
	close(b->fd);
	if (kind == NR_KINDS)
		munmap(mem, b->cpu_len);
	else
		free(mem);
}

static const char *any_kind_name(unsigned int kind)
{
	return kind < NR_KINDS ? kind_name(kind) :
	       kind == NR_KINDS ? "pinned page-aligned" : "pinned malloc'd";
}

/*
 * What the CPU writes between transfers stays when the channel drops its
 * mapping: both sides are pinned memory, which the CPU writes without
 * DMA_BUF_IOCTL_SYNC (sources are synced for the device when submitted,
 * destinations for the CPU when their transfer ends).  Where the mapping
 * bounces (swiotlb=force, or dmashim's pool for edu without an IOMMU), a
 * teardown that copied its slots back would put the bytes of the last
 * transfer over the CPU's newer ones.
 */
TEST_F_TIMEOUT(xfer, cpu_writes_survive_cache_teardown, 120)
{
	const size_t size = 2 * 4096, len = 3000;
	struct buffer src, dst;
	struct dmashim_xfer x;
	void *smem, *dmem;

	ASSERT_EQ(0, any_buffer(self->ctx, NR_KINDS, size, &src, &smem));
	ASSERT_EQ(0, any_buffer(self->ctx, NR_KINDS, size, &dst, &dmem));
	pattern_fill(src.cpu, size, 0, 1);
	x = xfer_memcpy(dst.fd, 100, src.fd, 100, len);
	run_one(_metadata, self->ch, &x);
	EXPECT_PATTERN(dst.cpu + 100, len, 100, 1);

	/* The CPU owns both now: new bytes on each side. */
	pattern_fill(src.cpu, size, 0, 2);
	pattern_fill(dst.cpu, size, 0, 3);
	ASSERT_EQ(0, close(self->ch));
	self->ch = -1;
	EXPECT_PATTERN(src.cpu, size, 0, 2);
	EXPECT_PATTERN(dst.cpu, size, 0, 3);
	any_buffer_put(NR_KINDS, &src, smem);
	any_buffer_put(NR_KINDS, &dst, dmem);
}

/*
 * Every kind as the source and as the destination of every kind, at
 * offsets other than 0 on both sides and at 0, pinned memory of every
 * alignment included: the data arrives, and the DMA API debugging of the
 * debug kernel finds nothing wrong with the syncs on the way (each sync
 * covers what the device's mapping holds).  No copy starts on a page's
 * last byte: QEMU 7.2's virtio-iommu moves an access that starts there to
 * the wrong page, which edu's steps can dodge only after the first
 * (Documentation/uapi.rst, edu).
 */
TEST_F_TIMEOUT(xfer, every_kind_both_sides, 300)
{
	static const struct {
		__u64 soff, doff, len;
	} shapes[] = {
		{ 0, 0, 4096 }, { 100, 4096, 4096 }, { 4094, 1, 5000 },
	};
	const unsigned int kinds = NR_KINDS + 2;
	long long errors = dma_debug_errors();
	void *smem, *dmem;
	struct dmashim_xfer x;
	struct buffer src, dst;
	unsigned int s, d, i;
	size_t size = 3 * 4096;

	for (s = 0; s < kinds; s++) {
		for (d = 0; d < kinds; d++) {
			ASSERT_EQ(0, any_buffer(self->ctx, s, size, &src, &smem));
			ASSERT_EQ(0, any_buffer(self->ctx, d, size, &dst, &dmem));
			pattern_fill(src.cpu, size, 0, s * 8 + d + 1);
			for (i = 0; i < ARRAY_SIZE(shapes); i++) {
				memset(dst.cpu, 0, size);
				x = xfer_memcpy(dst.fd, shapes[i].doff, src.fd,
						shapes[i].soff, shapes[i].len);
				run_one(_metadata, self->ch, &x);
				EXPECT_PATTERN(dst.cpu + shapes[i].doff,
					       shapes[i].len, shapes[i].soff,
					       s * 8 + d + 1);
				if (errors >= 0)
					EXPECT_EQ(errors, dma_debug_errors())
						TH_LOG("dma-debug: %s to %s, shape %u",
						       any_kind_name(s),
						       any_kind_name(d), i);
				errors = dma_debug_errors();
			}
			any_buffer_put(d, &dst, dmem);
			any_buffer_put(s, &src, smem);
		}
	}
}

/*
 * The same memory pinned again, as a new buffer, while the channel still
 * has the first one mapped (its fd closed, a channel keeps what it
 * mapped): the device must never have the same memory mapped twice (DMA
 * API debugging cannot tell which mapping a sync is for: "device driver
 * tries to sync DMA memory it has not allocated"), so the idle old
 * mapping goes; one with a transfer in flight makes the new buffer
 * wait its turn (EBUSY).
 */
TEST_F_TIMEOUT(xfer, same_memory_pinned_again, 120)
{
	const size_t size = 3 * 4096;
	long long errors = dma_debug_errors();
	struct dmashim_xfer x;
	struct buffer pages;
	unsigned char *mem;
	int a, b;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, size, &pages));
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	pattern_fill(mem, size, 0, 13);

	a = buf_pin(self->ctx, mem, size, DMASHIM_PIN_DEVICE_WRITES);
	ASSERT_LE(0, a);
	x = xfer_memcpy(pages.fd, 0, a, 0, size);
	run_one(_metadata, self->ch, &x);
	close(a);
	b = buf_pin(self->ctx, mem + 100, size - 200,
		    DMASHIM_PIN_DEVICE_WRITES);
	ASSERT_LE(0, b);
	memset(pages.cpu, 0, size);
	x = xfer_memcpy(pages.fd, 7, b, 5, 4096);
	run_one(_metadata, self->ch, &x);
	EXPECT_PATTERN(pages.cpu + 7, 4096, 105, 13);
	pattern_fill(pages.cpu, size, 0, 14);
	x = xfer_memcpy(b, 4001, pages.fd, 0, 4096);
	run_one(_metadata, self->ch, &x);
	EXPECT_PATTERN(mem + 4101, 4096, 0, 14);
	if (errors >= 0)
		EXPECT_EQ(errors, dma_debug_errors());

	/* In flight on the channel: the other buffer waits its turn. */
	if (!strcmp(variant->driver, CPU_DMA_DRIVER)) {
		struct dmashim_record rec;
		int c;

		ASSERT_EQ(0, cpudma_step_delay(300));
		x = xfer_memcpy(pages.fd, 0, b, 0, 4096);
		ASSERT_EQ(0, chan_submit(self->ch, &x, 1, NULL));
		c = buf_pin(self->ctx, mem, 4096, DMASHIM_PIN_DEVICE_WRITES);
		ASSERT_LE(0, c);
		x = xfer_memcpy(pages.fd, 4096, c, 0, 4096);
		EXPECT_EQ(-EBUSY, chan_submit(self->ch, &x, 1, NULL));
		ASSERT_EQ(0, chan_record(self->ch, &rec, -1));
		EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec.status);
		cpudma_step_delay(0);
		run_one(_metadata, self->ch, &x);
		close(c);
	}
	close(b);
	munmap(mem, size);
	buffer_put(&pages);
}

/* The bytes of @n ranges of @from, one after another, into @stream. */
static void gather(unsigned char *stream, const unsigned char *from,
		   const struct dmashim_range *r, unsigned int n)
{
	size_t done = 0;
	unsigned int i;

	for (i = 0; i < n; done += r[i].length, i++)
		memcpy(stream + done, from + r[i].offset, r[i].length);
}

/* @stream spread over @n ranges of @to. */
static void scatter(unsigned char *to, const unsigned char *stream,
		    const struct dmashim_range *r, unsigned int n)
{
	size_t done = 0;
	unsigned int i;

	for (i = 0; i < n; done += r[i].length, i++)
		memcpy(to + r[i].offset, stream + done, r[i].length);
}

/* Bytes in @n ranges. */
static __u64 ranges_len(const struct dmashim_range *r, unsigned int n)
{
	__u64 total = 0;

	while (n--)
		total += r[n].length;
	return total;
}

/*
 * @src's ranges @r_src into the device's window (from 5 bytes into it),
 * then back from there into @dst's ranges @r_dst: the bytes arrive in
 * order, nothing else in @dst changes.
 */
static void round_trip(struct __test_metadata *_metadata, int ch,
		       const struct buffer *src,
		       const struct dmashim_range *r_src, unsigned int n_src,
		       const struct buffer *dst,
		       const struct dmashim_range *r_dst, unsigned int n_dst)
{
	unsigned char *stream = malloc(src->len), *want = malloc(dst->len);
	struct dmashim_xfer to, from;

	ASSERT_NE(NULL, stream);
	ASSERT_NE(NULL, want);
	ASSERT_EQ(ranges_len(r_src, n_src), ranges_len(r_dst, n_dst));
	memcpy(want, dst->cpu, dst->len);
	gather(stream, src->cpu, r_src, n_src);
	scatter(want, stream, r_dst, n_dst);

	ASSERT_EQ(0, chan_config(ch, DMA_WINDOW + 5, DMA_WINDOW + 5));
	to = xfer_ranges(DMASHIM_XFER_TO_DEVICE, src->fd, r_src, n_src);
	to.user_data = 1;
	run_one(_metadata, ch, &to);
	from = xfer_ranges(DMASHIM_XFER_FROM_DEVICE, dst->fd, r_dst, n_dst);
	from.user_data = 2;
	run_one(_metadata, ch, &from);
	EXPECT_SAME_BYTES(dst->cpu, want, dst->len);
	free(want);
	free(stream);
}

/*
 * Three ranges of each kind into the window, and back into three other
 * ranges of the next kind.
 */
TEST_F_TIMEOUT(xfer, slave_sg_every_kind, 120)
{
	const unsigned int s = variant->scale;
	const struct dmashim_range r_src[] = {
		{ 10 * s, 1000 * s }, { 1500 * s, 1 }, { 2100 * s, 1989 * s },
	};
	const struct dmashim_range r_dst[] = {
		{ 0, 512 * s }, { 1024 * s, 2000 * s },
		{ 4000 * s, 2989 * s + 1 - 2512 * s },
	};
	struct buffer src, dst;
	unsigned int k;

	for (k = 0; k < NR_KINDS; k++) {
		ASSERT_EQ(0, buffer_get(self->ctx, k, 8192 * s, &src));
		ASSERT_EQ(0, buffer_get(self->ctx, (k + 1) % NR_KINDS,
					8192 * s, &dst));
		pattern_fill(src.cpu, src.len, 0, k + 1);
		round_trip(_metadata, self->ch, &src, r_src, ARRAY_SIZE(r_src),
			   &dst, r_dst, ARRAY_SIZE(r_dst));
		buffer_put(&dst);
		buffer_put(&src);
	}
}

/* As many ranges as a transfer takes, each in a page of its own. */
TEST_F_TIMEOUT(xfer, slave_max_ranges, 60)
{
	struct dmashim_range r_src[DMASHIM_MAX_RANGES], r_dst[1];
	struct buffer src, dst;
	unsigned int i;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES,
				DMASHIM_MAX_RANGES * 4096, &src));
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, 8192, &dst));
	pattern_fill(src.cpu, src.len, 0, 3);
	for (i = 0; i < DMASHIM_MAX_RANGES; i++)
		r_src[i] = (struct dmashim_range){ i * 4096 + i, 60 };
	r_dst[0] = (struct dmashim_range){ 100, 60 * DMASHIM_MAX_RANGES };
	round_trip(_metadata, self->ch, &src, r_src, ARRAY_SIZE(r_src), &dst,
		   r_dst, 1);
	buffer_put(&dst);
	buffer_put(&src);
}

/* Put @len bytes of pattern @seed at the start of the device's window. */
static void fill_window(struct __test_metadata *_metadata, int ctx, int ch,
			size_t len, unsigned int seed)
{
	struct dmashim_xfer x;
	struct buffer b;

	ASSERT_EQ(0, buffer_get(ctx, DMASHIM_BUF_PAGES, len, &b));
	pattern_fill(b.cpu, len, 0, seed);
	ASSERT_EQ(0, chan_config(ch, DMA_WINDOW, DMA_WINDOW));
	x = xfer_slave(DMASHIM_XFER_TO_DEVICE, b.fd, 0, len);
	run_one(_metadata, ch, &x);
	buffer_put(&b);
}

/*
 * Read period records of cyclic transfer @x until @periods periods have
 * ended; each says where in the ring the last of them ended.
 */
static void read_periods(struct __test_metadata *_metadata, int ch,
			 const struct dmashim_xfer *x, unsigned int periods)
{
	unsigned int n = x->length / x->period, seen = 0;
	struct dmashim_record rec;

	while (seen < periods) {
		ASSERT_EQ(0, chan_record(ch, &rec, -1));
		ASSERT_EQ(DMASHIM_RECORD_PERIOD, rec.flags);
		EXPECT_EQ(x->cookie, rec.cookie);
		EXPECT_EQ(x->user_data, rec.user_data);
		EXPECT_EQ(DMASHIM_XFER_IN_PROGRESS, rec.status);
		EXPECT_LE(1, rec.periods);
		EXPECT_GT(x->length, rec.residue);
		EXPECT_EQ(0, rec.residue % x->period);
		seen += rec.periods;
		EXPECT_EQ(seen % n, (x->length - rec.residue) / x->period % n)
			TH_LOG("%u periods ended, residue %llu", seen,
			       (unsigned long long)rec.residue);
	}
}

/* Terminate cyclic transfer @x: its final record says ABORTED. */
static void stop_cyclic(struct __test_metadata *_metadata, int ch,
			const struct dmashim_xfer *x)
{
	struct dmashim_record rec;

	ASSERT_EQ(DMASHIM_CHAN_CONFIGURED,
		  chan_control(ch, DMASHIM_CHAN_TERMINATE_SYNC));
	do {
		ASSERT_EQ(0, chan_record(ch, &rec, -1));
	} while (rec.flags & DMASHIM_RECORD_PERIOD);
	EXPECT_EQ(x->cookie, rec.cookie);
	EXPECT_EQ(DMASHIM_XFER_ABORTED, rec.status);
	EXPECT_EQ(-ETIME, chan_record(ch, &rec, 0));
}

/*
 * A ring of four periods filled from the window, twice round: every
 * period is what the window holds.
 */
TEST_F_TIMEOUT(xfer, cyclic_from_device, 120)
{
	const size_t period = variant->period, len = 4 * period;
	struct dmashim_chan_status st;
	struct dmashim_xfer x;
	struct buffer ring;
	unsigned int i;

	fill_window(_metadata, self->ctx, self->ch, period, 7);
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_CONTIGUOUS, len,
				&ring));
	x = xfer_cyclic(DMASHIM_XFER_FROM_DEVICE, ring.fd, len, period);
	x.user_data = 77;
	ASSERT_EQ(0, chan_submit(self->ch, &x, 1, NULL));
	ASSERT_EQ(0, chan_status(self->ch, x.cookie, &st));
	EXPECT_EQ(DMASHIM_CHAN_RUNNING, st.state);
	EXPECT_GE(len, st.residue);
	read_periods(_metadata, self->ch, &x, 8);
	ASSERT_EQ(0, chan_status(self->ch, x.cookie, &st));
	EXPECT_EQ(DMASHIM_XFER_IN_PROGRESS, st.status);
	stop_cyclic(_metadata, self->ch, &x);
	for (i = 0; i < 4; i++)
		EXPECT_PATTERN(ring.cpu + i * period, period, 0, 7);
	buffer_put(&ring);
}

/*
 * A ring of two unlike periods sent to the window round and round: once
 * stopped, the window holds one of them, whole.
 */
TEST_F_TIMEOUT(xfer, cyclic_to_device, 120)
{
	const size_t period = variant->period;
	struct dmashim_xfer x;
	struct buffer ring, back;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_CONTIGUOUS, 2 * period,
				&ring));
	pattern_fill(ring.cpu, period, 0, 8);
	pattern_fill(ring.cpu + period, period, 0, 9);
	ASSERT_EQ(0, chan_config(self->ch, DMA_WINDOW, DMA_WINDOW));
	x = xfer_cyclic(DMASHIM_XFER_TO_DEVICE, ring.fd, 2 * period, period);
	ASSERT_EQ(0, chan_submit(self->ch, &x, 1, NULL));
	read_periods(_metadata, self->ch, &x, 3);
	stop_cyclic(_metadata, self->ch, &x);

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, period, &back));
	x = xfer_slave(DMASHIM_XFER_FROM_DEVICE, back.fd, 0, period);
	run_one(_metadata, self->ch, &x);
	EXPECT_TRUE(pattern_diff(back.cpu, period, 0, 8) == -1 ||
		    pattern_diff(back.cpu, period, 0, 9) == -1);
	buffer_put(&back);
	buffer_put(&ring);
}

/*
 * One submit of many memcpys, slot i to slot n - 1 - i: the records come
 * in order, one per transfer, with their cookies and user data.
 */
TEST_F_TIMEOUT(xfer, batch_of_many, 120)
{
	const unsigned int n = variant->batch;
	const size_t slot = variant->scale * 300;
	struct dmashim_xfer *x = calloc(n, sizeof(*x));
	struct dmashim_chan_info info;
	struct buffer src, dst;
	unsigned int i;
	__u64 t0;

	ASSERT_NE(NULL, x);
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, n * slot, &src));
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, n * slot, &dst));
	pattern_fill(src.cpu, src.len, 0, 4);
	for (i = 0; i < n; i++) {
		x[i] = xfer_memcpy(dst.fd, (n - 1 - i) * slot, src.fd,
				   i * slot, slot);
		x[i].user_data = i;
	}
	t0 = now_ns();
	ASSERT_EQ(0, chan_submit(self->ch, x, n, NULL));
	for (i = 0; i < n; i++) {
		EXPECT_LT(0, x[i].cookie);
		if (i)
			EXPECT_LT(x[i - 1].cookie, x[i].cookie);
		expect_final(_metadata, self->ch, &x[i], DMASHIM_XFER_COMPLETE,
			     0, t0);
	}
	for (i = 0; i < n; i++)
		EXPECT_PATTERN(dst.cpu + (n - 1 - i) * slot, slot, i * slot, 4);
	ASSERT_EQ(0, chan_info(self->ch, &info));
	EXPECT_EQ(info.descs_total, info.descs_free);
	buffer_put(&dst);
	buffer_put(&src);
	free(x);
}

/* Kinds mixed in one batch run in order: a copy, to the window, back. */
TEST_F_TIMEOUT(xfer, batch_mixed, 60)
{
	const size_t len = 3000 * variant->scale;
	struct dmashim_xfer x[3];
	struct buffer a, b, c;
	unsigned int i;
	__u64 t0;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, len, &a));
	ASSERT_EQ(0, buffer_get(self->ctx, KIND_PINNED, len, &b));
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_COHERENT, len, &c));
	pattern_fill(a.cpu, len, 0, 5);
	ASSERT_EQ(0, chan_config(self->ch, DMA_WINDOW, DMA_WINDOW));
	x[0] = xfer_memcpy(b.fd, 0, a.fd, 0, len);
	x[1] = xfer_slave(DMASHIM_XFER_TO_DEVICE, b.fd, 0, len);
	x[2] = xfer_slave(DMASHIM_XFER_FROM_DEVICE, c.fd, 0, len);
	for (i = 0; i < 3; i++)
		x[i].user_data = 100 + i;
	t0 = now_ns();
	ASSERT_EQ(0, chan_submit(self->ch, x, 3, NULL));
	for (i = 0; i < 3; i++)
		expect_final(_metadata, self->ch, &x[i], DMASHIM_XFER_COMPLETE,
			     0, t0);
	EXPECT_PATTERN(b.cpu, len, 0, 5);
	EXPECT_PATTERN(c.cpu, len, 0, 5);
	buffer_put(&c);
	buffer_put(&b);
	buffer_put(&a);
}

/*
 * The out-fence: a sync_file, close-on-exec, that signals once the batch
 * is over, when every record of the batch can be read.
 */
TEST_F_TIMEOUT(xfer, fence_out, 60)
{
	struct dmashim_chan_submit sub = {
		.size = sizeof(sub), .xfer_size = sizeof(struct dmashim_xfer),
	};
	struct dmashim_record rec[8];
	struct dmashim_xfer x[4];
	struct buffer src, dst;
	struct pollfd pfd;
	int fence, status;
	unsigned int i;
	ssize_t n;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, 4000, &src));
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, 4000, &dst));
	pattern_fill(src.cpu, src.len, 0, 6);
	for (i = 0; i < 4; i++)
		x[i] = xfer_memcpy(dst.fd, i * 1000, src.fd, i * 1000, 1000);

	/* Not asked for: none. */
	sub.xfers = (uintptr_t)x;
	sub.count = 1;
	ASSERT_EQ(0, ioctl_errno(self->ch, DMASHIM_IOCTL_CHAN_SUBMIT, &sub));
	EXPECT_EQ(-1, sub.fence_fd);
	ASSERT_EQ(0, chan_wait_final(self->ch, x[0].cookie, rec));

	ASSERT_EQ(0, chan_submit(self->ch, x, 4, &fence));
	ASSERT_LE(0, fence);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fence, F_GETFD));
	pfd = (struct pollfd){ .fd = fence, .events = POLLIN };
	ASSERT_EQ(1, poll(&pfd, 1, -1));
	EXPECT_EQ(POLLIN, pfd.revents);
	ASSERT_EQ(0, fence_status(fence, &status));
	EXPECT_EQ(1, status);
	n = read(self->ch, rec, sizeof(rec));
	ASSERT_EQ(4 * sizeof(rec[0]), n);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(x[i].cookie, rec[i].cookie);
		EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec[i].status);
	}
	EXPECT_PATTERN(dst.cpu, 4000, 0, 6);
	close(fence);
	buffer_put(&dst);
	buffer_put(&src);
}

/*
 * A newer caller's longer transfers, ranges and records work, their
 * fields unknown to the kernel zero; a non-zero one is refused (E2BIG)
 * with nothing submitted.  Only the cookie of each transfer is written.
 */
TEST_F_TIMEOUT(xfer, grown_elements, 60)
{
	struct { struct dmashim_xfer x; __u64 more; } big[2];
	struct { struct dmashim_range r; __u64 more; } wide[2];
	struct { struct dmashim_record r; __u64 more; } recs[2];
	struct dmashim_chan_open op = {
		.size = sizeof(op), .fd_flags = O_CLOEXEC,
		.record_size = sizeof(recs[0]),
	};
	struct dmashim_chan_submit sub = {
		.size = sizeof(sub), .xfers = (uintptr_t)big, .count = 2,
		.xfer_size = sizeof(big[0]),
	};
	struct dmashim_chan_info info;
	struct dmashim_record rec;
	struct buffer src, dst;
	struct dmashim_xfer x;
	ssize_t n;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, 8192, &src));
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, 8192, &dst));
	pattern_fill(src.cpu, src.len, 0, 3);

	memset(big, 0, sizeof(big));
	big[0].x = xfer_memcpy(dst.fd, 0, src.fd, 0, 1000);
	big[1].x = xfer_memcpy(dst.fd, 1000, src.fd, 1000, 1000);
	big[1].more = 1;
	EXPECT_EQ(-E2BIG, ioctl_errno(self->ch, DMASHIM_IOCTL_CHAN_SUBMIT,
				      &sub));
	expect_nothing_submitted(_metadata, self->ch);
	big[1].more = 0;
	ASSERT_EQ(0, ioctl_errno(self->ch, DMASHIM_IOCTL_CHAN_SUBMIT, &sub));
	EXPECT_LT(0, big[0].x.cookie);
	EXPECT_LT(big[0].x.cookie, big[1].x.cookie);
	EXPECT_EQ(0, big[0].more);
	EXPECT_EQ(0, big[1].more);
	ASSERT_EQ(0, chan_wait_final(self->ch, big[1].x.cookie, &rec));
	EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec.status);
	EXPECT_PATTERN(dst.cpu, 2000, 0, 3);

	/* Two ranges of 24 bytes each, to the device and back. */
	ASSERT_EQ(0, chan_config(self->ch, DMA_WINDOW, DMA_WINDOW));
	memset(wide, 0, sizeof(wide));
	wide[0].r = (struct dmashim_range){ 0, 16 };
	wide[1].r = (struct dmashim_range){ 100, 16 };
	x = xfer_ranges(DMASHIM_XFER_TO_DEVICE, src.fd, &wide[0].r, 2);
	x.range_size = sizeof(wide[0]);
	wide[1].more = 1;
	EXPECT_EQ(-E2BIG, chan_submit(self->ch, &x, 1, NULL));
	expect_nothing_submitted(_metadata, self->ch);
	wide[1].more = 0;
	run_one(_metadata, self->ch, &x);
	x = xfer_slave(DMASHIM_XFER_FROM_DEVICE, dst.fd, 4096, 32);
	run_one(_metadata, self->ch, &x);
	EXPECT_SAME_BYTES(dst.cpu + 4096, src.cpu, 16);
	EXPECT_SAME_BYTES(dst.cpu + 4112, src.cpu + 100, 16);

	/* Records of 8 more bytes: the kernel's, then zeroes. */
	close(self->ch);
	self->ch = -1;
	snprintf(op.name, sizeof(op.name), "%s", self->name);
	ASSERT_EQ(0, ioctl_errno(self->ctx, DMASHIM_IOCTL_CHAN_OPEN, &op));
	self->ch = op.fd;
	ASSERT_EQ(0, chan_info(self->ch, &info));
	EXPECT_EQ(sizeof(recs[0]), info.record_size);
	x = xfer_memcpy(dst.fd, 6000, src.fd, 0, 100);
	ASSERT_EQ(0, chan_submit(self->ch, &x, 1, NULL));
	EXPECT_EQ(-1, read(self->ch, recs, sizeof(recs[0].r)));
	EXPECT_EQ(EINVAL, errno);
	memset(recs, 0xff, sizeof(recs));
	n = read(self->ch, recs, sizeof(recs));
	ASSERT_EQ(sizeof(recs[0]), n);
	EXPECT_EQ(x.cookie, recs[0].r.cookie);
	EXPECT_EQ(DMASHIM_XFER_COMPLETE, recs[0].r.status);
	EXPECT_EQ(0, recs[0].more);
	EXPECT_EQ((__u64)~0ULL, recs[1].more);
	EXPECT_PATTERN(dst.cpu + 6000, 100, 0, 3);
	buffer_put(&dst);
	buffer_put(&src);
}

/* Submit transfer @x alone: it must fail with @err and leave nothing. */
#define REFUSED(err, xfer, why)						\
	do {								\
		struct dmashim_xfer _x = (xfer);			\
									\
		EXPECT_EQ(err, chan_submit(self->ch, &_x, 1, NULL))	\
			TH_LOG("%s", why);				\
		expect_nothing_submitted(_metadata, self->ch);		\
	} while (0)

/* Transfers the header refuses, each leaving nothing submitted. */
TEST_F(xfer, refused_transfers)
{
	const size_t size = 8192, win = variant->window_len;
	struct dmashim_range ranges[DMASHIM_MAX_RANGES + 1];
	int devnull, pipefd[2], ro_fd;
	struct dmashim_xfer x;
	struct buffer src, dst;
	unsigned int i;
	void *ro_mem;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, size, &src));
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, size, &dst));
	pattern_fill(src.cpu, size, 0, 2);
	ASSERT_EQ(0, chan_config(self->ch, DMA_WINDOW, DMA_WINDOW));
	for (i = 0; i < ARRAY_SIZE(ranges); i++)
		ranges[i] = (struct dmashim_range){ i * 8, 4 };

	x = xfer_memcpy(dst.fd, 0, src.fd, 0, 100);
	x.kind = DMASHIM_XFER_CYCLIC + 1;
	REFUSED(-EINVAL, x, "unknown kind");
	x = xfer_memcpy(dst.fd, 0, src.fd, 0, 100);
	x.dir = DMASHIM_XFER_TO_DEVICE;
	REFUSED(-EINVAL, x, "memcpy with a direction");
	x = xfer_slave(DMASHIM_XFER_TO_DEVICE, src.fd, 0, 100);
	x.dir = 0;
	REFUSED(-EINVAL, x, "slave without a direction");
	x.dir = 3;
	REFUSED(-EINVAL, x, "slave both ways");
	REFUSED(-EINVAL, xfer_memcpy(dst.fd, 0, src.fd, 0, 0),
		"zero-length memcpy");
	REFUSED(-EINVAL, xfer_memcpy(dst.fd, 0, src.fd, size - 10, 11),
		"source range past the end");
	REFUSED(-EINVAL, xfer_memcpy(dst.fd, size - 10, src.fd, 0, 11),
		"destination range past the end");
	REFUSED(-EINVAL, xfer_memcpy(dst.fd, 0, src.fd, size + 1, 1),
		"offset past the end");
	REFUSED(-EINVAL, xfer_memcpy(dst.fd, 0, src.fd, ~0ULL - 4, 10),
		"range that wraps");
	REFUSED(-EINVAL, xfer_slave(DMASHIM_XFER_TO_DEVICE, src.fd, 0, 0),
		"zero-length slave transfer");
	REFUSED(-EINVAL, xfer_slave(DMASHIM_XFER_FROM_DEVICE, dst.fd, 0,
				    win + 1),
		"more than the window holds");

	x = xfer_ranges(DMASHIM_XFER_TO_DEVICE, src.fd, ranges,
			DMASHIM_MAX_RANGES + 1);
	REFUSED(-EINVAL, x, "too many ranges");
	x.nr_ranges = 2;
	ranges[1].length = 0;
	REFUSED(-EINVAL, x, "an empty range");
	ranges[1] = (struct dmashim_range){ size - 2, 3 };
	REFUSED(-EINVAL, x, "a range past the end");
	ranges[1] = (struct dmashim_range){ 8, 4 };
	x.ranges = 16;
	REFUSED(-EFAULT, x, "ranges not readable");
	x = xfer_memcpy(dst.fd, 0, src.fd, 0, 100);
	x.ranges = (uintptr_t)ranges;
	x.nr_ranges = 1;
	x.range_size = sizeof(ranges[0]);
	REFUSED(-EINVAL, x, "ranges for a memcpy");

	/* A field that does not apply is 0 (an fd -1), for later use. */
	x = xfer_memcpy(dst.fd, 0, src.fd, 0, 100);
	x.flags = 1;
	REFUSED(-EINVAL, x, "a transfer flag");
	x = xfer_memcpy(dst.fd, 0, src.fd, 0, 100);
	x.period = 4;
	REFUSED(-EINVAL, x, "memcpy with a period");
	x = xfer_memcpy(dst.fd, 0, src.fd, 0, 100);
	x.range_size = sizeof(ranges[0]);
	REFUSED(-EINVAL, x, "memcpy with a range size");
	x = xfer_slave(DMASHIM_XFER_TO_DEVICE, src.fd, 0, 100);
	x.dst_fd = dst.fd;
	REFUSED(-EINVAL, x, "to the device, with a destination buffer");
	x = xfer_slave(DMASHIM_XFER_TO_DEVICE, src.fd, 0, 100);
	x.dst_offset = 8;
	REFUSED(-EINVAL, x, "to the device, with a destination offset");
	x = xfer_slave(DMASHIM_XFER_FROM_DEVICE, dst.fd, 0, 100);
	x.src_fd = src.fd;
	REFUSED(-EINVAL, x, "from the device, with a source buffer");
	x = xfer_slave(DMASHIM_XFER_FROM_DEVICE, dst.fd, 0, 100);
	x.src_offset = 8;
	REFUSED(-EINVAL, x, "from the device, with a source offset");
	x = xfer_slave(DMASHIM_XFER_TO_DEVICE, src.fd, 0, 100);
	x.period = 100;
	REFUSED(-EINVAL, x, "slave with a period");
	x = xfer_slave(DMASHIM_XFER_TO_DEVICE, src.fd, 0, 100);
	x.range_size = sizeof(ranges[0]);
	REFUSED(-EINVAL, x, "a range size without ranges");
	x = xfer_ranges(DMASHIM_XFER_TO_DEVICE, src.fd, ranges, 2);
	x.length = 8;
	REFUSED(-EINVAL, x, "ranges and a length");
	x = xfer_ranges(DMASHIM_XFER_TO_DEVICE, src.fd, ranges, 2);
	x.src_offset = 8;
	REFUSED(-EINVAL, x, "ranges and an offset");
	x = xfer_ranges(DMASHIM_XFER_TO_DEVICE, src.fd, ranges, 2);
	x.ranges = 0;
	REFUSED(-EINVAL, x, "ranges counted, not given");
	x = xfer_cyclic(DMASHIM_XFER_TO_DEVICE, src.fd, 4096, 1024);
	x.dst_fd = dst.fd;
	REFUSED(-EINVAL, x, "cyclic with a buffer on the device's side");
	x = xfer_cyclic(DMASHIM_XFER_TO_DEVICE, src.fd, 4096, 1024);
	x.ranges = (uintptr_t)ranges;
	REFUSED(-EINVAL, x, "cyclic with ranges");

	/* The ranges' element size: the first version's to the largest. */
	x = xfer_ranges(DMASHIM_XFER_TO_DEVICE, src.fd, ranges, 2);
	x.range_size = 0;
	REFUSED(-EINVAL, x, "range size 0");
	x.range_size = sizeof(ranges[0]) - 1;
	REFUSED(-EINVAL, x, "range size below the first version");
	x.range_size = DMASHIM_STRUCT_SIZE_MAX + 1;
	REFUSED(-EINVAL, x, "range size above the largest");
	x.range_size = sizeof(ranges[0]) + 4;
	REFUSED(-EINVAL, x, "range size not a multiple of 8");

	REFUSED(-EINVAL, xfer_cyclic(DMASHIM_XFER_TO_DEVICE, src.fd, 4096, 0),
		"zero period");
	REFUSED(-EINVAL, xfer_cyclic(DMASHIM_XFER_TO_DEVICE, src.fd, 4096,
				     1000),
		"ring not a multiple of the period");
	REFUSED(-EINVAL, xfer_cyclic(DMASHIM_XFER_TO_DEVICE, src.fd,
				     2 * (win + 1), win + 1),
		"period larger than the window");

	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, devnull);
	ASSERT_EQ(0, pipe2(pipefd, O_CLOEXEC));
	REFUSED(-EBADF, xfer_memcpy(dst.fd, 0, devnull, 0, 100),
		"source not a dma-buf");
	REFUSED(-EBADF, xfer_memcpy(pipefd[1], 0, src.fd, 0, 100),
		"destination not a dma-buf");
	REFUSED(-EBADF, xfer_memcpy(dst.fd, 0, -1, 0, 100), "fd -1");
	REFUSED(-EBADF, xfer_slave(DMASHIM_XFER_TO_DEVICE, devnull, 0, 100),
		"slave source not a dma-buf");
	close(devnull);
	close(pipefd[0]);
	close(pipefd[1]);

	/*
	 * Overlapping ranges of one buffer: neither a memmove nor anything
	 * defined, refused.  Ranges that only touch are fine.
	 */
	REFUSED(-EINVAL, xfer_memcpy(src.fd, 100, src.fd, 0, 4096),
		"overlapping ranges of one buffer");
	REFUSED(-EINVAL, xfer_memcpy(src.fd, 0, src.fd, 100, 4096),
		"overlapping ranges of one buffer, backwards");
	REFUSED(-EINVAL, xfer_memcpy(src.fd, 7, src.fd, 7, 1),
		"one buffer's range onto itself");
	x = xfer_memcpy(dst.fd, 4096, dst.fd, 0, 4096);
	run_one(_metadata, self->ch, &x);

	/* Memory pinned for reading only: a source, never a destination. */
	ro_mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, ro_mem);
	ro_fd = buf_pin(self->ctx, ro_mem, size, 0);
	ASSERT_LE(0, ro_fd);
	REFUSED(-EACCES, xfer_memcpy(ro_fd, 0, src.fd, 0, 100),
		"memcpy into read-only memory");
	REFUSED(-EACCES, xfer_slave(DMASHIM_XFER_FROM_DEVICE, ro_fd, 0, 100),
		"slave into read-only memory");
	EXPECT_ZERO(dst.cpu, size);
	x = xfer_memcpy(dst.fd, 0, ro_fd, 0, 100);
	run_one(_metadata, self->ch, &x);
	EXPECT_ZERO(dst.cpu, size);
	close(ro_fd);
	munmap(ro_mem, size);
	buffer_put(&dst);
	buffer_put(&src);
}

/* Submits the header refuses, each leaving nothing submitted. */
TEST_F(xfer, refused_submits)
{
	struct dmashim_chan_submit sub;
	struct dmashim_chan_info info;
	struct dmashim_xfer x[3], *ro, *many;
	struct buffer src, dst;
	unsigned int i;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, 4096, &src));
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, 4096, &dst));
	pattern_fill(src.cpu, 4096, 0, 2);
	x[0] = xfer_memcpy(dst.fd, 0, src.fd, 0, 100);
	sub = (struct dmashim_chan_submit){
		.size = sizeof(sub), .flags = DMASHIM_SUBMIT_FENCE_OUT << 1,
		.xfers = (uintptr_t)x, .count = 1, .xfer_size = sizeof(x[0]),
	};
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ch, DMASHIM_IOCTL_CHAN_SUBMIT,
				       &sub));
	sub.flags = 0;
	/* An in-fence fd without the flag that says there is one. */
	sub.in_fence_fd = 1;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ch, DMASHIM_IOCTL_CHAN_SUBMIT,
				       &sub));
	sub.in_fence_fd = 0;
	/* The transfers' element size: the first version's to the largest. */
	sub.xfer_size = 0;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ch, DMASHIM_IOCTL_CHAN_SUBMIT,
				       &sub));
	sub.xfer_size = sizeof(x[0]) - 1;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ch, DMASHIM_IOCTL_CHAN_SUBMIT,
				       &sub));
	sub.xfer_size = DMASHIM_STRUCT_SIZE_MAX + 1;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ch, DMASHIM_IOCTL_CHAN_SUBMIT,
				       &sub));
	sub.xfer_size = sizeof(x[0]) + 4;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ch, DMASHIM_IOCTL_CHAN_SUBMIT,
				       &sub));
	sub.xfer_size = sizeof(x[0]);
	sub.count = 0;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ch, DMASHIM_IOCTL_CHAN_SUBMIT,
				       &sub));
	sub.count = 1;
	sub.xfers = 0;
	EXPECT_EQ(-EFAULT, ioctl_errno(self->ch, DMASHIM_IOCTL_CHAN_SUBMIT,
				       &sub));
	/* The cookies go back into the array: it must be writable. */
	ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	*ro = x[0];
	ASSERT_EQ(0, mprotect(ro, 4096, PROT_READ));
	sub.xfers = (uintptr_t)ro;
	EXPECT_EQ(-EFAULT, ioctl_errno(self->ch, DMASHIM_IOCTL_CHAN_SUBMIT,
				       &sub));
	munmap(ro, 4096);
	expect_nothing_submitted(_metadata, self->ch);

	/* More transfers than the channel has descriptors. */
	ASSERT_EQ(0, chan_info(self->ch, &info));
	many = calloc(info.descs_total + 1, sizeof(*many));
	ASSERT_NE(NULL, many);
	for (i = 0; i <= info.descs_total; i++)
		many[i] = xfer_memcpy(dst.fd, 1, src.fd, 0, 1);
	EXPECT_EQ(-EINVAL, chan_submit(self->ch, many, info.descs_total + 1,
				       NULL));
	expect_nothing_submitted(_metadata, self->ch);
	free(many);

	/* A batch with one bad transfer goes not at all. */
	x[1] = xfer_memcpy(dst.fd, 100, src.fd, 100, 100);
	x[2] = xfer_memcpy(dst.fd, 4096, src.fd, 200, 100);
	EXPECT_EQ(-EINVAL, chan_submit(self->ch, x, 3, NULL));
	expect_nothing_submitted(_metadata, self->ch);
	EXPECT_ZERO(dst.cpu, 4096);
	buffer_put(&dst);
	buffer_put(&src);
}

/*
 * Records not read keep their transfers' requests: submitting one by one
 * without reading fills the pool (EBUSY, and a batch that does not fit
 * goes not at all); reading a record makes room for one more.
 */
TEST(pool_exhaustion)
{
	char name[DMASHIM_CHAN_NAME_LEN];
	struct dmashim_chan_info info;
	struct dmashim_record rec;
	struct dmashim_xfer x[2];
	struct buffer src, dst;
	unsigned int n, i;
	int ctx, ch, ret;

	ctx = ctx_open();
	ASSERT_LE(0, ctx);
	REQUIRE_CHANNEL(CPU_DMA_DRIVER, name);
	ch = chan_open(ctx, name, 0, O_CLOEXEC);
	ASSERT_LE(0, ch);
	ASSERT_EQ(0, chan_info(ch, &info));
	ASSERT_EQ(0, buffer_get(ctx, DMASHIM_BUF_PAGES,
				(info.descs_total + 2) * 64, &src));
	ASSERT_EQ(0, buffer_get(ctx, DMASHIM_BUF_PAGES,
				(info.descs_total + 2) * 64, &dst));
	pattern_fill(src.cpu, src.len, 0, 8);

	for (n = 0, ret = 0; n <= info.descs_total && !ret; n += !ret) {
		x[0] = xfer_memcpy(dst.fd, n * 64, src.fd, n * 64, 64);
		ret = chan_submit(ch, x, 1, NULL);
	}
	ASSERT_EQ(-EBUSY, ret);
	ASSERT_LT(0, n);
	x[0] = xfer_memcpy(dst.fd, n * 64, src.fd, n * 64, 64);
	x[1] = xfer_memcpy(dst.fd, (n + 1) * 64, src.fd, (n + 1) * 64, 64);
	EXPECT_EQ(-EBUSY, chan_submit(ch, x, 2, NULL));

	ASSERT_EQ(0, chan_record(ch, &rec, -1));
	EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec.status);
	ASSERT_EQ(0, chan_submit(ch, x, 1, NULL));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, chan_record(ch, &rec, -1));
		EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec.status);
	}
	EXPECT_EQ(x[0].cookie, rec.cookie);
	EXPECT_EQ(-ETIME, chan_record(ch, &rec, 0));
	EXPECT_PATTERN(dst.cpu, (n + 1) * 64, 0, 8);
	EXPECT_ZERO(dst.cpu + (n + 1) * 64, 64);
	ASSERT_EQ(0, chan_info(ch, &info));
	EXPECT_EQ(info.descs_total, info.descs_free);
	buffer_put(&dst);
	buffer_put(&src);
	close(ch);
	close(ctx);
}

/* Bytes cpudma moves per step (its step_kb parameter), 0 if unknown. */
static size_t cpudma_step(void)
{
	unsigned int kb = 0;
	FILE *f = fopen("/sys/module/dmashim_cpudma/parameters/step_kb", "re");

	if (f) {
		if (fscanf(f, "%u", &kb) != 1)
			kb = 0;
		fclose(f);
	}
	return kb * 1024;
}

FIXTURE(fault) {
	int ctx, ch;
	size_t step;
	struct buffer src, dst;
};

FIXTURE_SETUP(fault)
{
	char name[DMASHIM_CHAN_NAME_LEN];

	self->ctx = ctx_open();
	ASSERT_LE(0, self->ctx);
	REQUIRE_CHANNEL(CPU_DMA_DRIVER, name);
	if (access(CPU_FAIL_NEXT, W_OK))
		SKIP(return, "no %s (debugfs)", CPU_FAIL_NEXT);
	self->step = cpudma_step();
	ASSERT_LT(0, self->step);
	self->ch = chan_open(self->ctx, name, 0, O_CLOEXEC);
	ASSERT_LE(0, self->ch);
	/* Contiguous on both sides: one descriptor, moved step by step. */
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_CONTIGUOUS,
				4 * self->step, &self->src));
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_CONTIGUOUS,
				4 * self->step, &self->dst));
	pattern_fill(self->src.cpu, self->src.len, 0, 9);
}

FIXTURE_TEARDOWN(fault)
{
	cpudma_fail_next(0);
	buffer_put(&self->dst);
	buffer_put(&self->src);
	close(self->ch);
	close(self->ctx);
}

/* The fence of a batch signals, with an error. */
static void expect_fence_error(struct __test_metadata *_metadata, int fence)
{
	struct pollfd pfd = { .fd = fence, .events = POLLIN };
	int status;

	ASSERT_EQ(1, poll(&pfd, 1, -1));
	EXPECT_EQ(POLLIN, pfd.revents);
	ASSERT_EQ(0, fence_status(fence, &status));
	EXPECT_GT(0, status);
	close(fence);
}

/* The second step fails: an ERROR record with the rest as residue. */
TEST_F(fault, failed_step)
{
	const size_t len = 4 * self->step;
	struct dmashim_xfer x;
	int fence;
	__u64 t0;

	x = xfer_memcpy(self->dst.fd, 0, self->src.fd, 0, len);
	ASSERT_EQ(0, cpudma_fail_next(2));
	t0 = now_ns();
	ASSERT_EQ(0, chan_submit(self->ch, &x, 1, &fence));
	expect_failed(_metadata, self->ch, &x, len - self->step, self->step,
		      t0);
	EXPECT_PATTERN(self->dst.cpu, self->step, 0, 9);
	expect_fence_error(_metadata, fence);

	/* The channel goes on. */
	memset(self->dst.cpu, 0, len);
	run_one(_metadata, self->ch, &x);
	EXPECT_PATTERN(self->dst.cpu, len, 0, 9);
}

/* One failed transfer fails the batch's fence; the others complete. */
TEST_F(fault, failed_in_batch)
{
	const size_t half = 2 * self->step;
	struct dmashim_xfer x[2];
	int fence;
	__u64 t0;

	x[0] = xfer_memcpy(self->dst.fd, 0, self->src.fd, 0, half);
	x[1] = xfer_memcpy(self->dst.fd, half, self->src.fd, half, half);
	ASSERT_EQ(0, cpudma_fail_next(1));
	t0 = now_ns();
	ASSERT_EQ(0, chan_submit(self->ch, x, 2, &fence));
	expect_failed(_metadata, self->ch, &x[0], half, self->step, t0);
	expect_final(_metadata, self->ch, &x[1], DMASHIM_XFER_COMPLETE, 0,
		     t0);
	EXPECT_PATTERN(self->dst.cpu + half, half, half, 9);
	expect_fence_error(_metadata, fence);
}

/* Anonymous memory taken, in chunks, to reach pages above a DMA mask. */
#define CHUNK (16 << 20)
#define MAX_CHUNKS 64

struct high_mem {
	unsigned char *chunk[MAX_CHUNKS];
	unsigned int nr;
	size_t next;		/* where the search goes on in the last */
};

/*
 * @len bytes of anonymous memory, at a page offset of 100, whose pages all
 * lie above @mask, pinned for device writes: the buffer's fd (and the
 * memory in *@mem), or -ENOENT.  Memory is taken (and kept until
 * high_mem_put()) a chunk at a time, as long as @budget bytes allow: the
 * page allocator hands out low memory first.
 */
static int pin_above(int ctx, struct high_mem *hm, long long budget,
		     size_t len, __u64 mask, unsigned char **mem)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *p;

	for (;;) {
		for (; hm->nr && hm->next + 100 + len <= CHUNK;
		     hm->next += page) {
			p = hm->chunk[hm->nr - 1] + hm->next + 100;
			if (unreachable(p, len, mask) != 1)
				continue;
			*mem = p;
			hm->next += 100 + len;
			return buf_pin(ctx, p, len, DMASHIM_PIN_DEVICE_WRITES);
		}
		if (hm->nr == MAX_CHUNKS || (hm->nr + 1LL) * CHUNK > budget)
			return -ENOENT;
		p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (p == MAP_FAILED)
			return -errno;
		hm->chunk[hm->nr++] = p;
		hm->next = 0;
	}
}

static void high_mem_put(struct high_mem *hm)
{
	while (hm->nr)
		munmap(hm->chunk[--hm->nr], CHUNK);
}

/* edu's channel, and a context bound to its device, for its counters. */
FIXTURE(above) {
	int ctx, ch, bound;
	struct dmashim_info dev;
};

FIXTURE_SETUP(above)
{
	char name[DMASHIM_CHAN_NAME_LEN], bind[DMASHIM_NAME_LEN + 16];
	struct dmashim_chan_info info;

	self->ctx = ctx_open();
	ASSERT_LE(0, self->ctx);
	REQUIRE_CHANNEL(EDU_DMA_DRIVER, name);
	self->ch = chan_open(self->ctx, name, 0, O_CLOEXEC);
	ASSERT_LE(0, self->ch);
	ASSERT_EQ(0, chan_info(self->ch, &info));
	snprintf(bind, sizeof(bind), "pci:%s", info.device);
	self->bound = ctx_open_bound(bind, 0);
	ASSERT_LE(0, self->bound);
	ASSERT_EQ(0, ctx_info(self->bound, &self->dev));
	ASSERT_EQ((1ULL << EDU_DMA_BITS) - 1, self->dev.dma_mask);
}

FIXTURE_TEARDOWN(above)
{
	close(self->bound);
	close(self->ch);
	close(self->ctx);
}

/*
 * edu's DMA reaches 256 MiB.  Memory above that, copied and sent through
 * the window and back, arrives whole: through the IOMMU where there is
 * one, else bounced through the pool of edu's device, once per buffer.
 */
TEST_F_TIMEOUT(above, edu_dma_mask, 120)
{
	const __u64 mask = (1ULL << EDU_DMA_BITS) - 1;
	/* What can be taken without waking the OOM killer. */
	const long long budget = meminfo("MemAvailable") - MiB(192);
	const size_t len = 5000;
	struct dmashim_stats before, after;
	struct high_mem hm = { .nr = 0 };
	unsigned char *a, *b, *c;
	struct dmashim_xfer x;
	int fa, fb, fc;

	fa = pin_above(self->ctx, &hm, budget, len, mask, &a);
	fb = pin_above(self->ctx, &hm, budget, len, mask, &b);
	fc = pin_above(self->ctx, &hm, budget, len, mask, &c);
	if (fa == -ENOENT || fb == -ENOENT || fc == -ENOENT) {
		high_mem_put(&hm);
		SKIP(return, "no 3 runs of pages above 256 MiB in %u MiB",
		     hm.nr * (CHUNK >> 20));
	}
	ASSERT_LE(0, fa);
	ASSERT_LE(0, fb);
	ASSERT_LE(0, fc);
	pattern_fill(a, len, 0, 10);
	memset(b, 0, len);
	memset(c, 0, len);
	ASSERT_EQ(0, ctx_stats(self->bound, &before));

	x = xfer_memcpy(fb, 0, fa, 0, len);
	run_one(_metadata, self->ch, &x);
	EXPECT_PATTERN(b, len, 0, 10);
	ASSERT_EQ(0, chan_config(self->ch, DMA_WINDOW, DMA_WINDOW));
	x = xfer_slave(DMASHIM_XFER_TO_DEVICE, fb, 0, EDU_WINDOW_LEN);
	run_one(_metadata, self->ch, &x);
	x = xfer_slave(DMASHIM_XFER_FROM_DEVICE, fc, 0, EDU_WINDOW_LEN);
	run_one(_metadata, self->ch, &x);
	EXPECT_PATTERN(c, EDU_WINDOW_LEN, 0, 10);
	EXPECT_ZERO(c + EDU_WINDOW_LEN, len - EDU_WINDOW_LEN);

	/* Each buffer was mapped once, for the channel. */
	ASSERT_EQ(0, ctx_stats(self->bound, &after));
	EXPECT_EQ(before.mappings_bounced +
		  (self->dev.dev_flags & DMASHIM_DEV_IOMMU ? 0 : 3),
		  after.mappings_bounced);
	close(fa);
	close(fb);
	close(fc);
	high_mem_put(&hm);
}

TEST_HARNESS_MAIN
