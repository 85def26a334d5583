// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim pipeline - the consumer: waits on each buffer's implicit
 * fences (poll()), checks the transfer's explicit one for its error,
 * checks the buffer through its own mapping, passes the first one
 * through vgem, and returns it to the producer
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/sync_file.h>

#include "cmds.h"
#include "pipeline.h"

static int dmabuf_sync(int fd, unsigned long long flags)
{
	struct dma_buf_sync s = { .flags = flags };

	while (ioctl(fd, DMA_BUF_IOCTL_SYNC, &s))
		if (errno != EINTR && errno != EAGAIN)
			return -errno;
	return 0;
}

/* Compare @len bytes with the pattern from @off; 0, or 1 if reported. */
int pattern_compare(const char *what, const unsigned char *p, size_t len,
		    uint64_t off)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == pattern(off + i))
			continue;
		fprintf(stderr,
			"pipeline: MISMATCH in %s at byte %zu: 0x%02x, expected 0x%02x\n",
			what, i, p[i], pattern(off + i));
		return 1;
	}
	return 0;
}

/*
 * Wait for the DMA writing the buffer through its implicit fences:
 * poll() of the buffer returns once its writers are done.  The
 * transfer's own fence (@fence_fd, explicit) must then be signalled too,
 * and says how it went.  Returns 1 (signalled, no error), 0 (still
 * pending: the implicit fences did not hold it), the error the fence was
 * signalled with, or a negative errno of the waiting.
 */
static int wait_fences(int fd, int fence_fd, struct stage *st)
{
	struct sync_file_info info = { 0 };
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t t = now_ns();
	int n;

	do {
		n = poll(&p, 1, -1);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	st->count++;
	st->ns += now_ns() - t;
	if (ioctl(fence_fd, SYNC_IOC_FILE_INFO, &info))
		return -errno;
	return info.status;
}

/* Check a filled buffer through this process's own mapping of it. */
static int verify(int fd, const struct pipe_fill *m, struct stage *st)
{
	uint64_t t = now_ns();
	char what[64];
	void *cpu;
	int ret;

	cpu = mmap(NULL, m->length, PROT_READ, MAP_SHARED, fd, 0);
	if (cpu == MAP_FAILED)
		return -errno;
	ret = dmabuf_sync(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	if (!ret) {
		snprintf(what, sizeof(what), "buffer %u, round %u", m->index,
			 m->round);
		ret = pattern_compare(what, cpu, m->length, m->pattern_offset);
		dmabuf_sync(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	}
	munmap(cpu, m->length);
	if (ret)
		return ret;
	st->count++;
	st->bytes += m->length;
	st->ns += now_ns() - t;
	return 0;
}

/* One buffer: wait, check, (the first) read back through vgem. */
static int consume_one(int fd, int fence_fd, const struct pipe_fill *m,
		       struct pipe_report *rep)
{
	int ret;

	ret = wait_fences(fd, fence_fd, &rep->wait);
	if (ret != 1) {
		fprintf(stderr,
			"pipeline: FAILED: the DMA that filled buffer %u (round %u): %s\n",
			m->index, m->round,
			ret ? strerror(-ret) :
			      "its fence is pending, yet the buffer polled ready");
		return 1;
	}
	ret = verify(fd, m, &rep->verify);
	if (ret < 0)
		fprintf(stderr, "pipeline: reading buffer %u: %s\n", m->index,
			strerror(-ret));
	if (ret)
		return 1;
	if (m->round)
		return 0;
	rep->vgem_status = vgem_readback(fd, m->length, m->pattern_offset,
					 &rep->vgem);
	if (rep->vgem_status == -ENODEV)
		return 0;
	if (rep->vgem_status < 0)
		fprintf(stderr, "pipeline: vgem: %s\n",
			strerror(-rep->vgem_status));
	return rep->vgem_status ? 1 : 0;
}

int pipeline_consume(int sock)
{
	struct pipe_report rep = { .vgem_status = -ENODEV };
	struct pipe_return back;
	struct pipe_fill m;
	int fds[2], ret, status;

	for (;;) {
		ret = pipe_recv(sock, &m, sizeof(m), fds, 2);
		if (ret == -EPIPE) {
			fprintf(stderr, "pipeline: consumer: the producer stopped\n");
			return 1;
		}
		if (ret) {
			fprintf(stderr, "pipeline: consumer: %s\n",
				strerror(-ret));
			return 1;
		}
		if (m.index == PIPE_END) {
			if (fds[0] >= 0)
				close(fds[0]);
			if (fds[1] >= 0)
				close(fds[1]);
			break;
		}
		if (fds[0] < 0 || fds[1] < 0) {
			fprintf(stderr,
				"pipeline: buffer %u came without its fds\n",
				m.index);
			return 1;
		}
		status = consume_one(fds[0], fds[1], &m, &rep);
		close(fds[0]);
		close(fds[1]);
		if (status)
			return status;
		back = (struct pipe_return){ .index = m.index, .round = m.round };
		ret = pipe_send(sock, &back, sizeof(back), NULL, 0);
		if (ret) {
			fprintf(stderr, "pipeline: returning buffer %u: %s\n",
				m.index, strerror(-ret));
			return 1;
		}
	}
	ret = pipe_send(sock, &rep, sizeof(rep), NULL, 0);
	return ret ? 1 : 0;
}
