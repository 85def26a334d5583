// SPDX-License-Identifier: GPL-2.0
/*
 * Fences of channel transfers: implicit ones in the buffers' reservation
 * objects (poll() on a buffer, DMA_BUF_IOCTL_EXPORT_SYNC_FILE,
 * DMA_BUF_IOCTL_SYNC and later submits wait for them), in-fences,
 * DMASHIM_SUBMIT_NO_IMPLICIT, errors on terminate, and cyclic transfers,
 * which never block anyone.  A slow edu channel writes while a cpudma
 * channel waits for it.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/dma-buf.h>

#include "kselftest_harness.h"
#include "helpers.h"

/* Ten edu steps: long enough to be seen busy. */
#define LEN 40000
#define MANY 300

/* poll() of @fd for @events for up to @ms: 1 ready, 0 not. */
static int ready(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, ms);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A memcpy of the first LEN bytes of @src into @dst. */
static int copy(int ch, struct buffer *dst, struct buffer *src, __u32 flags,
		int in_fence, int *fence_fd)
{
	struct dmashim_xfer x = xfer_memcpy(dst->fd, 0, src->fd, 0, LEN);

	return chan_submit_fenced(ch, &x, 1, flags, in_fence, fence_fd);
}

/* The next record of @ch, which must be a completion. */
#define EXPECT_COMPLETE(ch)						\
	do {								\
		struct dmashim_record _r;				\
									\
		ASSERT_EQ(0, chan_record(ch, &_r, -1));			\
		EXPECT_EQ(DMASHIM_XFER_COMPLETE, _r.status);		\
	} while (0)

FIXTURE(fence) {
	int ctx, edu, cpu;
	struct buffer x, y, z;
};

FIXTURE_SETUP(fence)
{
	char edu[DMASHIM_CHAN_NAME_LEN], cpu[DMASHIM_CHAN_NAME_LEN];

	self->edu = self->cpu = -1;
	self->x.fd = self->y.fd = self->z.fd = -1;
	REQUIRE_CHANNEL(EDU_DMA_DRIVER, edu);
	REQUIRE_CHANNEL(CPU_DMA_DRIVER, cpu);
	self->ctx = ctx_open();
	ASSERT_LE(0, self->ctx);
	self->edu = chan_open(self->ctx, edu, 0, O_CLOEXEC);
	ASSERT_LE(0, self->edu);
	self->cpu = chan_open(self->ctx, cpu, 0, O_CLOEXEC);
	ASSERT_LE(0, self->cpu);
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, LEN, &self->x));
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, LEN, &self->y));
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, LEN, &self->z));
	pattern_fill(self->x.cpu, LEN, 0, 3);
	memset(self->y.cpu, 0x11, LEN);
	memset(self->z.cpu, 0, LEN);
}

FIXTURE_TEARDOWN(fence)
{
	if (self->x.fd >= 0)
		buffer_put(&self->x);
	if (self->y.fd >= 0)
		buffer_put(&self->y);
	if (self->z.fd >= 0)
		buffer_put(&self->z);
	close(self->cpu);
	close(self->edu);
	close(self->ctx);
}

/*
 * edu copies x to y; a cpudma copy of y to z submitted meanwhile waits
 * for it (y's write fence) and moves edu's bytes.  While edu writes, y
 * polls neither readable nor writable, x (read by edu) readable only.
 */
TEST_F_TIMEOUT(fence, implicit_order_across_channels, 120)
{
	ASSERT_EQ(0, copy(self->edu, &self->y, &self->x, 0, -1, NULL));
	EXPECT_EQ(0, ready(self->y.fd, POLLIN, 0));
	EXPECT_EQ(0, ready(self->y.fd, POLLOUT, 0));
	EXPECT_EQ(0, ready(self->x.fd, POLLOUT, 0));
	EXPECT_EQ(1, ready(self->x.fd, POLLIN, 0));
	ASSERT_EQ(0, copy(self->cpu, &self->z, &self->y, 0, -1, NULL));
	EXPECT_COMPLETE(self->cpu);
	EXPECT_PATTERN(self->z.cpu, LEN, 0, 3);
	EXPECT_EQ(1, ready(self->y.fd, POLLIN, 0));
	EXPECT_COMPLETE(self->edu);
	EXPECT_EQ(1, ready(self->y.fd, POLLOUT, 0));
}

/*
 * EXPORT_SYNC_FILE of a buffer being written gives a fence not yet
 * signalled; DMA_BUF_SYNC_START waits for the write, after which the
 * bytes are there and the exported fence is signalled.
 */
TEST_F_TIMEOUT(fence, cpu_access_waits, 120)
{
	struct dma_buf_export_sync_file es = {
		.flags = DMA_BUF_SYNC_READ,
		.fd = -1,
	};

	ASSERT_EQ(0, copy(self->edu, &self->y, &self->x, 0, -1, NULL));
	ASSERT_EQ(0, ioctl_errno(self->y.fd, DMA_BUF_IOCTL_EXPORT_SYNC_FILE,
				 &es));
	EXPECT_EQ(0, ready(es.fd, POLLIN, 0));
	ASSERT_EQ(0, dmabuf_sync(self->y.fd,
				 DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ));
	EXPECT_PATTERN(self->y.cpu, LEN, 0, 3);
	ASSERT_EQ(0, dmabuf_sync(self->y.fd,
				 DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ));
	EXPECT_EQ(1, ready(es.fd, POLLIN, 0));
	close(es.fd);
	EXPECT_COMPLETE(self->edu);
}

/*
 * A channel's own transfers are in line: a copy of y to z behind the copy
 * of x to y, on the same channel, submits at once and moves what the
 * first wrote.  Where y's mapping bounces, the second waits in the submit
 * until the first's data left the bounce slot.
 */
TEST_F_TIMEOUT(fence, own_channel_in_order, 120)
{
	ASSERT_EQ(0, copy(self->edu, &self->y, &self->x, 0, -1, NULL));
	ASSERT_EQ(0, copy(self->edu, &self->z, &self->y, 0, -1, NULL));
	EXPECT_COMPLETE(self->edu);
	EXPECT_COMPLETE(self->edu);
	EXPECT_PATTERN(self->z.cpu, LEN, 0, 3);
}

/*
 * On a paused channel a submit never waits for the channel's own
 * transfers: one that touches other bytes of the same buffers queues
 * (chan_test), one that reads what a queued transfer writes queues where
 * nothing bounces, and is refused with EBUSY where the read would be
 * bounced over the writer's data.  Nothing is lost either way.
 */
TEST_F_TIMEOUT(fence, own_channel_paused, 120)
{
	const char *iommu = getenv("DMASHIM_EXPECT_IOMMU");
	bool may_bounce = !iommu || cmdline_has("swiotlb=force") ||
			  (strcmp(iommu, "strict") && strcmp(iommu, "lazy"));
	int ret;

	ASSERT_EQ(0, copy(self->edu, &self->y, &self->x, 0, -1, NULL));
	ASSERT_EQ(DMASHIM_CHAN_SUSPENDED,
		  chan_control(self->edu, DMASHIM_CHAN_PAUSE));
	ret = copy(self->edu, &self->z, &self->y, 0, -1, NULL);
	if (!may_bounce) {
		EXPECT_EQ(0, ret);
	} else if (ret) {
		EXPECT_EQ(-EBUSY, ret);
	}
	EXPECT_EQ(DMASHIM_CHAN_SUSPENDED, chan_state(self->edu));
	EXPECT_EQ(DMASHIM_CHAN_RUNNING,
		  chan_control(self->edu, DMASHIM_CHAN_RESUME));
	EXPECT_COMPLETE(self->edu);
	if (ret == -EBUSY) {
		TH_LOG("refused: y bounces for edu");
		ASSERT_EQ(0, copy(self->edu, &self->z, &self->y, 0, -1, NULL));
	}
	EXPECT_COMPLETE(self->edu);
	EXPECT_PATTERN(self->z.cpu, LEN, 0, 3);
}

/*
 * A pending out-fence of the channel given back to it as an in-fence is
 * in line already: on a paused channel the submit does not wait for it.
 */
TEST_F_TIMEOUT(fence, own_in_fence_paused, 120)
{
	int f;

	ASSERT_EQ(0, copy(self->edu, &self->y, &self->x, 0, -1, &f));
	ASSERT_EQ(DMASHIM_CHAN_SUSPENDED,
		  chan_control(self->edu, DMASHIM_CHAN_PAUSE));
	ASSERT_EQ(0, copy(self->edu, &self->z, &self->x,
			  DMASHIM_SUBMIT_FENCE_IN, f, NULL));
	EXPECT_EQ(0, ready(f, POLLIN, 0));
	EXPECT_EQ(DMASHIM_CHAN_RUNNING,
		  chan_control(self->edu, DMASHIM_CHAN_RESUME));
	EXPECT_COMPLETE(self->edu);
	EXPECT_COMPLETE(self->edu);
	EXPECT_EQ(1, ready(f, POLLIN, 0));
	EXPECT_PATTERN(self->y.cpu, LEN, 0, 3);
	EXPECT_PATTERN(self->z.cpu, LEN, 0, 3);
	close(f);
}

/*
 * An edu copy's out-fence as the in-fence of a cpudma copy that skips
 * the implicit fences: ordered by the explicit one alone.
 */
TEST_F_TIMEOUT(fence, in_fence_orders, 120)
{
	int f, f2;

	ASSERT_EQ(0, copy(self->edu, &self->y, &self->x, 0, -1, &f));
	ASSERT_EQ(0, copy(self->cpu, &self->z, &self->y,
			  DMASHIM_SUBMIT_FENCE_IN | DMASHIM_SUBMIT_NO_IMPLICIT,
			  f, &f2));
	EXPECT_EQ(1, ready(f, POLLIN, 0));
	EXPECT_EQ(1, ready(f2, POLLIN, -1));
	EXPECT_PATTERN(self->z.cpu, LEN, 0, 3);
	close(f);
	close(f2);
}

/* Bad in-fences and flags: EINVAL, nothing submitted. */
TEST_F(fence, refused)
{
	struct dmashim_xfer x = xfer_memcpy(self->z.fd, 0, self->y.fd, 0, LEN);
	struct dmashim_chan_submit sub = {
		.size = sizeof(sub),
		.xfers = (uintptr_t)&x,
		.count = 1,
		.in_fence_fd = self->x.fd,
		.xfer_size = sizeof(x),
	};
	struct dmashim_record r;

	EXPECT_EQ(-EINVAL, copy(self->cpu, &self->z, &self->y,
				DMASHIM_SUBMIT_FENCE_IN, self->x.fd, NULL));
	EXPECT_EQ(-EINVAL, copy(self->cpu, &self->z, &self->y,
				DMASHIM_SUBMIT_FENCE_IN, -1, NULL));
	EXPECT_EQ(-EINVAL, copy(self->cpu, &self->z, &self->y, 1u << 31, -1,
				NULL));
	EXPECT_EQ(-EINVAL, ioctl_errno(self->cpu, DMASHIM_IOCTL_CHAN_SUBMIT,
				       &sub));
	EXPECT_EQ(-ETIME, chan_record(self->cpu, &r, 0));
}

/*
 * With edu's write to y queued behind a copy to w and held by a pause: a
 * NO_IMPLICIT copy of y goes ahead (y's old bytes), an implicit one
 * waits until a signal interrupts it; terminated, edu's fence fails with
 * ECANCELED, which fails a submit taking it as in-fence, while the
 * implicit dependency only orders.
 */
TEST_F_TIMEOUT(fence, terminate_fails_the_fence, 120)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct buffer w;
	int f, status;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, LEN, &w));
	ASSERT_EQ(0, copy(self->edu, &w, &self->x, 0, -1, NULL));
	ASSERT_EQ(0, copy(self->edu, &self->y, &self->x, 0, -1, &f));
	ASSERT_EQ(DMASHIM_CHAN_SUSPENDED,
		  chan_control(self->edu, DMASHIM_CHAN_PAUSE));
	ASSERT_EQ(0, fence_status(f, &status));
	ASSERT_EQ(0, status);

	ASSERT_EQ(0, copy(self->cpu, &self->z, &self->y,
			  DMASHIM_SUBMIT_NO_IMPLICIT, -1, NULL));
	EXPECT_COMPLETE(self->cpu);
	EXPECT_EQ(0x11, self->z.cpu[0]);
	EXPECT_EQ(0x11, self->z.cpu[LEN - 1]);

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	alarm(1);
	EXPECT_EQ(-EINTR, copy(self->cpu, &self->z, &self->y, 0, -1, NULL));
	alarm(0);

	ASSERT_EQ(DMASHIM_CHAN_CONFIGURED,
		  chan_control(self->edu, DMASHIM_CHAN_TERMINATE_SYNC));
	/* Signalled by the aborted request's report, which follows. */
	EXPECT_EQ(1, ready(f, POLLIN, -1));
	ASSERT_EQ(0, fence_status(f, &status));
	EXPECT_EQ(-ECANCELED, status);
	EXPECT_EQ(-ECANCELED, copy(self->cpu, &self->z, &self->y,
				   DMASHIM_SUBMIT_FENCE_IN, f, NULL));
	EXPECT_EQ(0, copy(self->cpu, &self->z, &self->y, 0, -1, NULL));
	EXPECT_COMPLETE(self->cpu);
	close(f);
	buffer_put(&w);
}

/*
 * One source copied into MANY buffers, each keeping its fence: every
 * submit finds room for its fences, every copy is whole.
 */
TEST_F_TIMEOUT(fence, many_buffers, 300)
{
	struct buffer *b = calloc(MANY, sizeof(*b));
	unsigned int i, got = 0;

	ASSERT_NE(NULL, b);
	for (i = 0; i < MANY; i++, got++) {
		if (buffer_get(self->ctx, DMASHIM_BUF_PAGES, LEN, &b[i]))
			break;
		if (copy(self->cpu, &b[i], &self->x, 0, -1, NULL))
			break;
		EXPECT_COMPLETE(self->cpu);
	}
	EXPECT_EQ(MANY, got);
	for (i = 0; i < got; i++) {
		EXPECT_PATTERN(b[i].cpu, LEN, 0, 3);
		buffer_put(&b[i]);
	}
	free(b);
}

/*
 * A cyclic transfer never ends, so it adds no fence: its ring can be
 * polled and synced for the CPU while it runs.  A copy out of the ring
 * on the same channel queues behind it, unless the ring bounces
 * (swiotlb=force): the copy would have to wait for the cyclic transfer
 * to end, and is refused (EBUSY).
 */
TEST_F_TIMEOUT(fence, cyclic_blocks_nobody, 120)
{
	const size_t len = 65536, period = 16384;
	struct dmashim_record r;
	struct dmashim_xfer x, out;
	struct buffer ring;

	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_CONTIGUOUS, len,
				&ring));
	ASSERT_EQ(0, chan_config(self->cpu, DMA_WINDOW, DMA_WINDOW));
	x = xfer_cyclic(DMASHIM_XFER_FROM_DEVICE, ring.fd, len, period);
	ASSERT_EQ(0, chan_submit(self->cpu, &x, 1, NULL));
	ASSERT_EQ(0, chan_record(self->cpu, &r, -1));
	EXPECT_EQ(DMASHIM_RECORD_PERIOD, r.flags);
	EXPECT_EQ(1, ready(ring.fd, POLLIN, 0));
	EXPECT_EQ(1, ready(ring.fd, POLLOUT, 0));
	EXPECT_EQ(0, dmabuf_sync(ring.fd, DMA_BUF_SYNC_START |
					  DMA_BUF_SYNC_READ));
	EXPECT_EQ(0, dmabuf_sync(ring.fd, DMA_BUF_SYNC_END |
					  DMA_BUF_SYNC_READ));
	out = xfer_memcpy(self->z.fd, 0, ring.fd, 0, 4096);
	EXPECT_EQ(cmdline_has("swiotlb=force") ? -EBUSY : 0,
		  chan_submit(self->cpu, &out, 1, NULL));
	EXPECT_EQ(DMASHIM_CHAN_CONFIGURED,
		  chan_control(self->cpu, DMASHIM_CHAN_TERMINATE_SYNC));
	buffer_put(&ring);
}

TEST_HARNESS_MAIN
