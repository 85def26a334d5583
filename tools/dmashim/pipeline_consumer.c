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
#include <unistd.h>
#include <linux/sync_file.h>

#include "cmds.h"
#include "pipeline.h"

int pattern_check(const char *what, struct dmashim_buf *buf, size_t len,
		  uint64_t off)
{
	long long bad = cmd_buf_check(buf, len, off);
	const unsigned char *p;
	void *addr;

	if (bad < 0 || (size_t)bad == len)
		return bad < 0 ? bad : 0;
	/* Mapped by the check. */
	dmashim_buf_mmap(buf, &addr);
	p = addr;
	fprintf(stderr,
		"pipeline: MISMATCH in %s at byte %lld: 0x%02x, expected 0x%02x\n",
		what, bad, p[bad], pattern(off + bad));
	return 1;
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
static int verify(struct dmashim_buf *buf, const struct pipe_fill *m,
		  struct stage *st)
{
	uint64_t t = now_ns();
	char what[64];
	int ret;

	snprintf(what, sizeof(what), "buffer %u, round %u", m->index,
		 m->round);
	ret = pattern_check(what, buf, m->length, m->pattern_offset);
	if (ret)
		return ret;
	st->count++;
	st->bytes += m->length;
	st->ns += now_ns() - t;
	return 0;
}

/* One buffer: wait, check, (the first) read back through vgem. */
static int consume_one(struct dmashim_buf *buf, int fence_fd,
		       const struct pipe_fill *m, struct pipe_report *rep)
{
	int ret;

	ret = wait_fences(dmashim_buf_fd(buf), fence_fd, &rep->wait);
	if (ret != 1) {
		fprintf(stderr,
			"pipeline: FAILED: the DMA that filled buffer %u (round %u): %s\n",
			m->index, m->round,
			ret ? strerror(-ret) :
			      "its fence is pending, yet the buffer polled ready");
		return 1;
	}
	ret = verify(buf, m, &rep->verify);
	if (ret < 0)
		fprintf(stderr, "pipeline: reading buffer %u: %s\n", m->index,
			strerror(-ret));
	if (ret)
		return 1;
	if (m->round)
		return 0;
	rep->vgem_status = vgem_readback(buf, m->length, m->pattern_offset,
					 &rep->vgem);
	if (rep->vgem_status == -ENODEV)
		return 0;
	if (rep->vgem_status < 0)
		fprintf(stderr, "pipeline: vgem: %s\n",
			strerror(-rep->vgem_status));
	return rep->vgem_status ? 1 : 0;
}

/* Take over the buffer's fd, consume the buffer, close both fds. */
static int consume_fds(int fds[2], const struct pipe_fill *m,
		       struct pipe_report *rep)
{
	struct dmashim_buf *buf;
	int ret, status;

	ret = dmashim_buf_import(fds[0], &buf);
	if (ret) {
		fprintf(stderr, "pipeline: buffer %u: %s\n", m->index,
			strerror(-ret));
		close(fds[0]);
		close(fds[1]);
		return 1;
	}
	status = consume_one(buf, fds[1], m, rep);
	dmashim_buf_free(buf);
	close(fds[1]);
	return status;
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
		status = consume_fds(fds, &m, &rep);
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
