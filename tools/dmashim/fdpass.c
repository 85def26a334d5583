// SPDX-License-Identifier: GPL-2.0
/* dmashim pipeline - messages with file descriptors over a Unix socket */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "pipeline.h"

int pipe_send(int sock, const void *msg, size_t len, const int *fds,
	      unsigned int nr_fds)
{
	union {
		char buf[CMSG_SPACE(PIPE_MAX_FDS * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;
	ssize_t n;

	if (nr_fds > PIPE_MAX_FDS)
		return -EINVAL;
	if (nr_fds) {
		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = CMSG_SPACE(nr_fds * sizeof(int));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nr_fds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nr_fds * sizeof(int));
	}
	do {
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EPROTO;
}

/* Close the fds that came, and say there were none. */
static void drop_fds(int *fds, unsigned int nr_fds)
{
	unsigned int i;

	for (i = 0; i < nr_fds; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

int pipe_recv(int sock, void *msg, size_t len, int *fds, unsigned int nr_fds)
{
	union {
		char buf[CMSG_SPACE(PIPE_MAX_FDS * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = msg, .iov_len = len };
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	ssize_t n;

	unsigned int i, got;

	for (i = 0; i < nr_fds; i++)
		fds[i] = -1;
	do {
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -EPIPE;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		got = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		/* More than asked for: keep none of them. */
		if (got > nr_fds) {
			int extra[PIPE_MAX_FDS];

			memcpy(extra, CMSG_DATA(c), got * sizeof(int));
			drop_fds(extra, got);
			drop_fds(fds, nr_fds);
			return -EPROTO;
		}
		memcpy(fds, CMSG_DATA(c), got * sizeof(int));
	}
	if ((size_t)n != len || mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		drop_fds(fds, nr_fds);
		return -EPROTO;
	}
	return 0;
}
