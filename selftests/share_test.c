// SPDX-License-Identifier: GPL-2.0
/*
 * Buffers shared between processes: passed over a Unix socket
 * (SCM_RIGHTS) while a transfer writes them, a consumer that waits on
 * them with poll() sees the whole transfer; a producer killed with
 * transfers in flight leaves its buffers working for the process that
 * holds them, their fences signalled.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/dma-buf.h>

#include "kselftest_harness.h"
#include "helpers.h"

/* Ten edu steps. */
#define LEN 40000

/*
 * The consumer: receive a buffer, wait for it with poll(), then check it
 * through its own mapping.  Exit status: 0, or where it failed.
 */
static int consume(int sock)
{
	struct pollfd p = { .events = POLLIN };
	unsigned char *cpu;
	int fd = recv_fd(sock);

	if (fd < 0)
		return 1;
	p.fd = fd;
	if (poll(&p, 1, -1) != 1 || !(p.revents & POLLIN))
		return 2;
	cpu = mmap(NULL, LEN, PROT_READ, MAP_SHARED, fd, 0);
	if (cpu == MAP_FAILED)
		return 3;
	if (dmabuf_sync(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ))
		return 4;
	if (pattern_diff(cpu, LEN, 0, 4) != -1)
		return 5;
	return dmabuf_sync(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ) ? 6 : 0;
}

FIXTURE(share) {
	int ctx, ch, sv[2];
	struct buffer src, dst;
};

FIXTURE_SETUP(share)
{
	char name[DMASHIM_CHAN_NAME_LEN];

	self->ch = -1;
	self->src.fd = self->dst.fd = -1;
	REQUIRE_CHANNEL(EDU_DMA_DRIVER, name);
	self->ctx = ctx_open();
	ASSERT_LE(0, self->ctx);
	self->ch = chan_open(self->ctx, name, 0, O_CLOEXEC);
	ASSERT_LE(0, self->ch);
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, LEN, &self->src));
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, LEN, &self->dst));
	pattern_fill(self->src.cpu, LEN, 0, 4);
	memset(self->dst.cpu, 0, LEN);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0,
				self->sv));
}

FIXTURE_TEARDOWN(share)
{
	if (self->src.fd >= 0)
		buffer_put(&self->src);
	if (self->dst.fd >= 0)
		buffer_put(&self->dst);
	close(self->ch);
	close(self->ctx);
	close(self->sv[0]);
	close(self->sv[1]);
}

/*
 * The buffer goes to the consumer while edu writes it: the consumer's
 * poll() returns once the write is over, and it reads every byte.
 */
TEST_F_TIMEOUT(share, consumer_waits_for_the_transfer, 120)
{
	struct dmashim_xfer x;
	struct dmashim_record rec;
	int status;
	pid_t pid;

	x = xfer_memcpy(self->dst.fd, 0, self->src.fd, 0, LEN);
	ASSERT_EQ(0, chan_submit(self->ch, &x, 1, NULL));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(consume(self->sv[1]));
	ASSERT_EQ(0, send_fd(self->sv[0], self->dst.fd));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("consumer: 1 receive, 2 poll, 3 mmap, 4 sync, 5 data, 6 sync end");
	ASSERT_EQ(0, chan_wait_final(self->ch, x.cookie, &rec));
	EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec.status);
}

/*
 * The producer: its own context, channel and buffer, an edu copy into
 * the buffer started, the buffer passed on; then it waits to be killed.
 */
static void produce(int sock)
{
	char name[DMASHIM_CHAN_NAME_LEN];
	struct buffer src, dst;
	struct dmashim_xfer x;
	int ctx, ch;

	ctx = ctx_open();
	if (ctx < 0 || chan_find(EDU_DMA_DRIVER, 1, name, sizeof(name)))
		_exit(1);
	ch = chan_open(ctx, name, 0, O_CLOEXEC);
	if (ch < 0 || buffer_get(ctx, DMASHIM_BUF_PAGES, LEN, &src) ||
	    buffer_get(ctx, DMASHIM_BUF_PAGES, LEN, &dst))
		_exit(2);
	pattern_fill(src.cpu, LEN, 0, 6);
	x = xfer_memcpy(dst.fd, 0, src.fd, 0, LEN);
	if (chan_submit(ch, &x, 1, NULL) || send_fd(sock, dst.fd))
		_exit(3);
	for (;;)
		pause();
}

/*
 * The producer is killed while its copy moves: the buffer it passed on
 * stays usable.  Its fence is signalled (poll() returns), its bytes are
 * what moved, and the survivor's own channel copies it whole.
 */
TEST_F_TIMEOUT(share, producer_killed, 120)
{
	struct pollfd p = { .events = POLLIN };
	struct dmashim_record rec;
	struct dmashim_xfer x;
	int fd, status;
	long moved;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		produce(self->sv[1]);
	fd = recv_fd(self->sv[0]);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, poll(&(struct pollfd){ .fd = fd, .events = POLLIN }, 1,
			  0));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));

	p.fd = fd;
	EXPECT_EQ(1, poll(&p, 1, 60000));
	x = xfer_memcpy(self->dst.fd, 0, fd, 0, LEN);
	ASSERT_EQ(0, chan_submit(self->ch, &x, 1, NULL));
	ASSERT_EQ(0, chan_wait_final(self->ch, x.cookie, &rec));
	EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec.status);
	/* What the killed copy moved, then the zeroes it did not reach. */
	ASSERT_EQ(0, dmabuf_sync(self->dst.fd, DMA_BUF_SYNC_START |
					       DMA_BUF_SYNC_READ));
	moved = pattern_diff(self->dst.cpu, LEN, 0, 6);
	if (moved >= 0)
		EXPECT_ZERO(self->dst.cpu + moved, LEN - moved);
	EXPECT_EQ(0, dmabuf_sync(self->dst.fd, DMA_BUF_SYNC_END |
					       DMA_BUF_SYNC_READ));
	close(fd);
}

TEST_HARNESS_MAIN
