// SPDX-License-Identifier: GPL-2.0
/*
 * Controlling transfers in flight: pausing one on edu (its residue
 * stays, nothing completes) and resuming it; terminating one (an ABORTED
 * record whose residue tells what arrived), asynchronously then
 * synchronously, and a queue of them; a process killed with transfers in
 * flight on both providers (the channels come back, no mapping is left,
 * the kernel log stays clean); buffers closed while a transfer on them
 * moves (the transfer holds them, the data arrives).
 *
 * edu moves a memcpy in steps of 4095 bytes, 200 ms each, and stops at
 * step boundaries: long enough to be caught moving.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

/* Wait until transfer @cookie has moved something; its residue. */
static long long wait_moving(int ch, int cookie, size_t len)
{
	long long residue;

	while ((residue = chan_residue(ch, cookie)) == (long long)len)
		usleep(20000);
	return residue;
}

/*
 * Wait until transfer @cookie on a paused channel stands still: PAUSED
 * once its step in flight is over, or PENDING if it had not started.
 * Its residue, or a negative errno.
 */
static long long wait_paused(int ch, int cookie)
{
	struct dmashim_chan_status st;
	int ret;

	while (!(ret = chan_status(ch, cookie, &st)) &&
	       st.status == DMASHIM_XFER_IN_PROGRESS)
		usleep(20000);
	if (ret)
		return ret;
	if (st.status != DMASHIM_XFER_PAUSED &&
	    st.status != DMASHIM_XFER_PENDING)
		return -EPROTO;
	return st.residue;
}

FIXTURE(edu) {
	struct edu_copy e;
};

FIXTURE_SETUP(edu)
{
	REQUIRE_EDU_COPY(&self->e, 3 * EDU_LONG_XFER);
}

FIXTURE_TEARDOWN(edu)
{
	edu_copy_put(&self->e);
}

/*
 * Paused while it moves, the transfer's status says PAUSED once its step
 * in flight is over; its residue then stays put for three steps' time,
 * with no record; resumed, it completes whole.
 */
TEST_F_TIMEOUT(edu, pause_resume, 120)
{
	const size_t len = EDU_LONG_XFER;
	struct dmashim_chan_status st;
	struct dmashim_record rec;
	struct dmashim_xfer x;
	long long residue;

	x = xfer_memcpy(self->e.dst.fd, 0, self->e.src.fd, 0, len);
	ASSERT_EQ(0, chan_submit(self->e.ch, &x, 1, NULL));
	ASSERT_LE(0, wait_moving(self->e.ch, x.cookie, len));
	ASSERT_EQ(DMASHIM_CHAN_SUSPENDED,
		  chan_control(self->e.ch, DMASHIM_CHAN_PAUSE));
	residue = wait_paused(self->e.ch, x.cookie);
	ASSERT_EQ(0, chan_status(self->e.ch, x.cookie, &st));
	EXPECT_EQ(DMASHIM_XFER_PAUSED, st.status);
	EXPECT_EQ(DMASHIM_CHAN_SUSPENDED, st.state);
	EXPECT_LT(0, residue);
	EXPECT_GT(len, residue);

	EXPECT_EQ(-ETIME, chan_record(self->e.ch, &rec, 3 * 200));
	ASSERT_EQ(0, chan_status(self->e.ch, x.cookie, &st));
	EXPECT_EQ(DMASHIM_XFER_PAUSED, st.status);
	EXPECT_EQ(residue, st.residue);

	EXPECT_EQ(DMASHIM_CHAN_RUNNING,
		  chan_control(self->e.ch, DMASHIM_CHAN_RESUME));
	ASSERT_EQ(0, chan_wait_final(self->e.ch, x.cookie, &rec));
	EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec.status);
	EXPECT_EQ(0, rec.residue);
	EXPECT_PATTERN(self->e.dst.cpu, len, 0, 1);
	EXPECT_ZERO(self->e.dst.cpu + len, self->e.dst.len - len);
}

/*
 * Terminated while it moves: an ABORTED record, its residue between 0
 * and the length; what came before the residue arrived.  A synchronous
 * terminate after the asynchronous one, then the rest copied: the
 * channel works on, and the copy is whole.
 */
TEST_F_TIMEOUT(edu, terminate_mid_transfer, 120)
{
	const size_t len = EDU_LONG_XFER;
	struct dmashim_record rec;
	struct dmashim_xfer x;
	size_t done;

	x = xfer_memcpy(self->e.dst.fd, 0, self->e.src.fd, 0, len);
	ASSERT_EQ(0, chan_submit(self->e.ch, &x, 1, NULL));
	ASSERT_LE(0, wait_moving(self->e.ch, x.cookie, len));
	EXPECT_EQ(DMASHIM_CHAN_CONFIGURED,
		  chan_control(self->e.ch, DMASHIM_CHAN_TERMINATE));
	ASSERT_EQ(0, chan_wait_final(self->e.ch, x.cookie, &rec));
	EXPECT_EQ(DMASHIM_XFER_ABORTED, rec.status);
	ASSERT_LT(0, rec.residue);
	ASSERT_GT(len, rec.residue);
	EXPECT_EQ(DMASHIM_CHAN_CONFIGURED,
		  chan_control(self->e.ch, DMASHIM_CHAN_TERMINATE_SYNC));
	EXPECT_EQ(-ETIME, chan_record(self->e.ch, &rec, 0));
	done = len - rec.residue;
	EXPECT_PATTERN(self->e.dst.cpu, done, 0, 1);

	x = xfer_memcpy(self->e.dst.fd, done, self->e.src.fd, done,
			rec.residue);
	ASSERT_EQ(0, chan_submit(self->e.ch, &x, 1, NULL));
	ASSERT_EQ(0, chan_wait_final(self->e.ch, x.cookie, &rec));
	EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec.status);
	EXPECT_PATTERN(self->e.dst.cpu, len, 0, 1);
}

/*
 * Terminating a queue: the one moving and the ones waiting are all
 * aborted, in order; those that never started with all their bytes left.
 */
TEST_F_TIMEOUT(edu, terminate_queue, 120)
{
	const size_t len = EDU_LONG_XFER;
	struct dmashim_record rec;
	struct dmashim_xfer x[3];
	unsigned int i;

	for (i = 0; i < 3; i++)
		x[i] = xfer_memcpy(self->e.dst.fd, i * len, self->e.src.fd,
				   i * len, len);
	ASSERT_EQ(0, chan_submit(self->e.ch, x, 3, NULL));
	ASSERT_LE(0, wait_moving(self->e.ch, x[0].cookie, len));
	EXPECT_EQ(DMASHIM_CHAN_CONFIGURED,
		  chan_control(self->e.ch, DMASHIM_CHAN_TERMINATE_SYNC));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, chan_record(self->e.ch, &rec, -1));
		EXPECT_EQ(x[i].cookie, rec.cookie);
		EXPECT_EQ(DMASHIM_XFER_ABORTED, rec.status);
		/* The first had moved; the others never started. */
		if (i) {
			EXPECT_EQ(len, rec.residue);
		} else {
			EXPECT_GT(len, rec.residue);
		}
	}
	EXPECT_EQ(-ETIME, chan_record(self->e.ch, &rec, 0));
	EXPECT_ZERO(self->e.dst.cpu + len, 2 * len);
}

/*
 * Buffers closed while a transfer on them moves: the source's fd and CPU
 * mapping gone, the destination's fd gone (its memory, pinned, is the
 * test's).  The transfer holds them; the data arrives; and closing the
 * channel lets every mapping go.
 */
FIXTURE(closed) {
	int ctx, ch;
};

FIXTURE_VARIANT(closed) {
	const char *driver;
	size_t len;
	unsigned int step_delay_ms;	/* cpudma's, to catch it moving */
};

FIXTURE_VARIANT_ADD(closed, edu) {
	.driver = EDU_DMA_DRIVER,
	.len = EDU_LONG_XFER,
};

FIXTURE_VARIANT_ADD(closed, cpu) {
	.driver = CPU_DMA_DRIVER,
	/*
	 * Within the descriptor budget even one page per descriptor (no
	 * IOMMU), and at least four 64 KiB steps of 100 ms.
	 */
	.len = 256 << 10,
	.step_delay_ms = 100,
};

FIXTURE_SETUP(closed)
{
	char name[DMASHIM_CHAN_NAME_LEN];

	self->ctx = ctx_open();
	ASSERT_LE(0, self->ctx);
	REQUIRE_CHANNEL(variant->driver, name);
	REQUIRE_DEBUGFS();
	self->ch = chan_open(self->ctx, name, 0, O_CLOEXEC);
	ASSERT_LE(0, self->ch);
	if (variant->step_delay_ms)
		ASSERT_EQ(0, cpudma_step_delay(variant->step_delay_ms));
}

FIXTURE_TEARDOWN(closed)
{
	if (variant->step_delay_ms)
		cpudma_step_delay(0);
	close(self->ch);
	close(self->ctx);
}

TEST_F_TIMEOUT(closed, buffers_in_flight, 120)
{
	const size_t len = variant->len;
	struct dmashim_record rec;
	struct dmashim_xfer x;
	struct buffer src, dst;
	int before;

	before = live_mappings();
	ASSERT_LE(0, before);
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, len, &src));
	ASSERT_EQ(0, buffer_get(self->ctx, KIND_PINNED, len, &dst));
	pattern_fill(src.cpu, len, 0, 2);
	x = xfer_memcpy(dst.fd, 0, src.fd, 0, len);
	ASSERT_EQ(0, chan_submit(self->ch, &x, 1, NULL));
	/* Held in flight while the fds go: paused with bytes to move. */
	ASSERT_EQ(DMASHIM_CHAN_SUSPENDED,
		  chan_control(self->ch, DMASHIM_CHAN_PAUSE));
	ASSERT_LT(0, wait_paused(self->ch, x.cookie));
	buffer_put(&src);
	ASSERT_EQ(0, close(dst.fd));
	dst.fd = -1;
	ASSERT_EQ(DMASHIM_CHAN_RUNNING,
		  chan_control(self->ch, DMASHIM_CHAN_RESUME));

	ASSERT_EQ(0, chan_wait_final(self->ch, x.cookie, &rec));
	EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec.status);
	EXPECT_PATTERN(dst.cpu, len, 0, 2);
	EXPECT_EQ(before + 2, live_mappings());
	close(self->ch);
	self->ch = -1;
	EXPECT_EQ(before, live_mappings());
	buffer_put(&dst);
}

/*
 * No DMA after the end: once a terminated transfer's ABORTED record is
 * read (or its fence has signalled), the provider no longer touches its
 * buffers, which may go back to the allocator at once.  The transfer is
 * terminated asynchronously while a step is in flight (cpudma sleeping
 * in a slowed step, edu moving one); its record is read, the
 * destination's bytes taken, and two steps' time later they must not
 * have changed.
 */
FIXTURE(quiet) {
	int ctx, ch;
	struct buffer src, dst;
};

FIXTURE_VARIANT(quiet) {
	const char *driver;
	size_t len;
	unsigned int step_ms;	/* how long a step takes at least */
	unsigned int step_delay_ms;	/* cpudma's, to slow it down */
};

FIXTURE_VARIANT_ADD(quiet, edu) {
	.driver = EDU_DMA_DRIVER,
	.len = EDU_LONG_XFER,
	.step_ms = 200,
};

FIXTURE_VARIANT_ADD(quiet, cpu) {
	.driver = CPU_DMA_DRIVER,
	.len = 4 * CPU_WINDOW_LEN,
	.step_ms = 300,
	.step_delay_ms = 300,
};

FIXTURE_SETUP(quiet)
{
	char name[DMASHIM_CHAN_NAME_LEN];

	self->ch = -1;
	self->src.fd = self->dst.fd = -1;
	self->ctx = ctx_open();
	ASSERT_LE(0, self->ctx);
	REQUIRE_CHANNEL(variant->driver, name);
	self->ch = chan_open(self->ctx, name, 0, O_CLOEXEC);
	ASSERT_LE(0, self->ch);
	if (variant->step_delay_ms) {
		REQUIRE_DEBUGFS();
		ASSERT_EQ(0, cpudma_step_delay(variant->step_delay_ms));
	}
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, variant->len,
				&self->src));
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, variant->len,
				&self->dst));
	pattern_fill(self->src.cpu, variant->len, 0, 4);
}

FIXTURE_TEARDOWN(quiet)
{
	if (variant->step_delay_ms)
		cpudma_step_delay(0);
	close(self->ch);
	buffer_put(&self->src);
	buffer_put(&self->dst);
	close(self->ctx);
}

/* Terminate @x while a step of it moves; its ABORTED record in @rec. */
static int abort_moving(int ch, struct dmashim_xfer *x, size_t len,
			bool fenced, struct dmashim_record *rec)
{
	int fence = -1, status, ret;

	ret = chan_submit(ch, x, 1, fenced ? &fence : NULL);
	if (ret)
		return ret;
	/* The first step is over: the next is in flight. */
	if (wait_moving(ch, x->cookie, len) < 0)
		return -EIO;
	if (chan_control(ch, DMASHIM_CHAN_TERMINATE) != DMASHIM_CHAN_CONFIGURED)
		return -EPROTO;
	if (fenced) {
		/* The fence alone says it is over. */
		struct pollfd pfd = { .fd = fence, .events = POLLIN };

		ret = poll(&pfd, 1, -1) == 1 ? 0 : -EIO;
		if (!ret && (fence_status(fence, &status) ||
			     status != -ECANCELED))
			ret = -EPROTO;
		close(fence);
		if (ret)
			return ret;
	}
	ret = chan_wait_final(ch, x->cookie, rec);
	if (!ret && rec->status != DMASHIM_XFER_ABORTED)
		ret = -EPROTO;
	return ret;
}

TEST_F_TIMEOUT(quiet, after_record, 60)
{
	const size_t len = variant->len;
	struct dmashim_record rec;
	struct dmashim_xfer x;
	unsigned char *seen;

	seen = malloc(len);
	ASSERT_NE(NULL, seen);
	x = xfer_memcpy(self->dst.fd, 0, self->src.fd, 0, len);
	ASSERT_EQ(0, abort_moving(self->ch, &x, len, false, &rec));
	memcpy(seen, self->dst.cpu, len);
	usleep(2 * variant->step_ms * 1000);
	EXPECT_EQ(0, memcmp(seen, self->dst.cpu, len))
		TH_LOG("the device wrote the destination after its ABORTED record");
	/* What it says arrived did. */
	EXPECT_PATTERN(self->dst.cpu, len - rec.residue, 0, 4);
	free(seen);
}

TEST_F_TIMEOUT(quiet, after_fence, 60)
{
	const size_t len = variant->len;
	struct dmashim_record rec;
	struct dmashim_xfer x;
	unsigned char *seen;

	seen = malloc(len);
	ASSERT_NE(NULL, seen);
	x = xfer_memcpy(self->dst.fd, 0, self->src.fd, 0, len);
	ASSERT_EQ(0, abort_moving(self->ch, &x, len, true, &rec));
	memcpy(seen, self->dst.cpu, len);
	usleep(2 * variant->step_ms * 1000);
	EXPECT_EQ(0, memcmp(seen, self->dst.cpu, len))
		TH_LOG("the device wrote the destination after its fence signalled");
	free(seen);
}

/*
 * What the killed child does: take channel @edu and channel @cpu, start
 * transfers that last (a queue of memcpys on edu, a cyclic one on
 * cpudma); 0, or -errno and what failed in @what.
 */
static int start_transfers(const char *edu, const char *cpu, char *what,
			   size_t len)
{
	const size_t n = EDU_LONG_XFER, ring = CPU_WINDOW_LEN;
	int ctx = ctx_open(), ech, cch, ret;
	struct buffer src, dst, r;
	struct dmashim_xfer x[3];
	unsigned int i;

	snprintf(what, len, "opening the channels");
	ech = chan_open(ctx, edu, 0, O_CLOEXEC);
	cch = chan_open(ctx, cpu, 0, O_CLOEXEC);
	ret = ech < 0 ? ech : cch < 0 ? cch : 0;
	if (!ret) {
		snprintf(what, len, "buffers");
		ret = buffer_get(ctx, DMASHIM_BUF_PAGES, 3 * n, &src);
	}
	if (!ret)
		ret = buffer_get(ctx, KIND_PINNED, 3 * n, &dst);
	if (!ret)
		ret = buffer_get(ctx, DMASHIM_BUF_CONTIGUOUS, ring, &r);
	for (i = 0; !ret && i < 3; i++)
		x[i] = xfer_memcpy(dst.fd, i * n, src.fd, i * n, n);
	if (!ret) {
		snprintf(what, len, "edu submit");
		ret = chan_submit(ech, x, 3, NULL);
	}
	if (!ret) {
		snprintf(what, len, "cpudma config");
		ret = chan_config(cch, DMA_WINDOW, DMA_WINDOW);
	}
	if (!ret) {
		snprintf(what, len, "cpudma submit");
		x[0] = xfer_cyclic(DMASHIM_XFER_FROM_DEVICE, r.fd, ring,
				   ring / 4);
		ret = chan_submit(cch, x, 1, NULL);
	}
	return ret;
}

/*
 * A process killed with transfers in flight on both providers: its
 * channels come back (the parent takes them by name and uses them), its
 * mappings are gone, and the kernel says nothing of it.
 */
TEST(killed_in_flight)
{
	char edu[DMASHIM_CHAN_NAME_LEN], cpu[DMASHIM_CHAN_NAME_LEN];
	int ctx, kmsg, pipefd[2], ch, before, status, busy, ret = -EPIPE;
	char line[1024], what[64] = "";
	struct dmashim_record rec;
	struct dmashim_xfer x;
	struct buffer b;
	unsigned int i;
	pid_t pid;

	ctx = ctx_open();
	ASSERT_LE(0, ctx);
	REQUIRE_CHANNEL(EDU_DMA_DRIVER, edu);
	REQUIRE_CHANNEL(CPU_DMA_DRIVER, cpu);
	REQUIRE_DEBUGFS();
	before = live_mappings();
	ASSERT_LE(0, before);
	kmsg = kmsg_open();
	ASSERT_LE(0, kmsg);
	ASSERT_EQ(0, pipe2(pipefd, O_CLOEXEC));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(pipefd[0]);
		ret = start_transfers(edu, cpu, what, sizeof(what));
		if (write(pipefd[1], &ret, sizeof(ret)) != sizeof(ret) ||
		    (ret && write(pipefd[1], what, strlen(what)) < 0))
			_exit(1);
		for (;;)
			pause();
	}
	close(pipefd[1]);
	if (read(pipefd[0], &ret, sizeof(ret)) == sizeof(ret) && ret &&
	    read(pipefd[0], what, sizeof(what) - 1) < 0)
		snprintf(what, sizeof(what), "(unknown)");
	busy = chan_in_use(edu) + chan_in_use(cpu);
	/* Killed first: a child left alive would keep the channels. */
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	close(pipefd[0]);
	ASSERT_EQ(0, ret) TH_LOG("child: %s: %s", what, strerror(-ret));
	EXPECT_EQ(2, busy);

	EXPECT_EQ(before, live_mappings());
	/* Each channel copies its half of a page into the next page. */
	ASSERT_EQ(0, buffer_get(ctx, DMASHIM_BUF_PAGES, 8192, &b));
	pattern_fill(b.cpu, 4096, 0, 3);
	for (i = 0; i < 2; i++) {
		ch = chan_open(ctx, i ? cpu : edu, 0, O_CLOEXEC);
		ASSERT_LE(0, ch);
		x = xfer_memcpy(b.fd, 4096 + i * 2048, b.fd, i * 2048, 2048);
		ASSERT_EQ(0, chan_submit(ch, &x, 1, NULL));
		ASSERT_EQ(0, chan_wait_final(ch, x.cookie, &rec));
		EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec.status);
		close(ch);
	}
	EXPECT_PATTERN(b.cpu + 4096, 4096, 0, 3);
	buffer_put(&b);

	EXPECT_EQ(0, kmsg_trouble(kmsg, line, sizeof(line)))
		TH_LOG("kernel log: %s", line);
	close(kmsg);
	close(ctx);
}

TEST_HARNESS_MAIN
