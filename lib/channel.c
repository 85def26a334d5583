// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libdmashim - channels: taking a dmaengine channel, configuring it,
 * submitting batches, waiting for their records, status and control
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

DMASHIM_EXPORT int dmashim_chan_open(struct dmashim_ctx *ctx, const char *name,
				     unsigned int caps,
				     struct dmashim_chan **chanp)
{
	struct dmashim_chan_open req = {
		.size = sizeof(req),
		.caps = caps,
		.fd_flags = O_CLOEXEC,
		.record_size = sizeof(struct dmashim_record),
	};
	struct dmashim_chan *chan;
	size_t len = name ? strlen(name) : 0;
	int ret;

	if (len >= sizeof(req.name))
		return -ENAMETOOLONG;
	if (len)
		memcpy(req.name, name, len + 1);
	chan = calloc(1, sizeof(*chan));
	if (!chan)
		return -ENOMEM;
	ret = dmashim_ioctl(ctx->fd, DMASHIM_IOCTL_CHAN_OPEN, &req);
	if (ret) {
		free(chan);
		return ret;
	}
	chan->fd = req.fd;
	*chanp = chan;
	return 0;
}

DMASHIM_EXPORT void dmashim_chan_close(struct dmashim_chan *chan)
{
	if (!chan)
		return;
	close(chan->fd);
	free(chan);
}

DMASHIM_EXPORT int dmashim_chan_fd(const struct dmashim_chan *chan)
{
	return chan->fd;
}

DMASHIM_EXPORT int dmashim_chan_info(struct dmashim_chan *chan,
				     struct dmashim_chan_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return dmashim_ioctl(chan->fd, DMASHIM_IOCTL_CHAN_INFO, info);
}

DMASHIM_EXPORT int dmashim_chan_config(struct dmashim_chan *chan,
				       const struct dmashim_chan_config *cfg)
{
	struct dmashim_chan_config req = *cfg;

	req.size = sizeof(req);
	return dmashim_ioctl(chan->fd, DMASHIM_IOCTL_CHAN_CONFIG, &req);
}

DMASHIM_EXPORT int dmashim_chan_submit(struct dmashim_chan *chan,
				       struct dmashim_xfer *xfers,
				       unsigned int count, unsigned int flags,
				       int *fence_fd)
{
	/* The in-fence has an argument of its own. */
	if (flags & DMASHIM_SUBMIT_FENCE_IN)
		return -EINVAL;
	return dmashim_chan_submit_after(chan, xfers, count, flags, -1,
					 fence_fd);
}

DMASHIM_EXPORT int dmashim_chan_submit_after(struct dmashim_chan *chan,
					     struct dmashim_xfer *xfers,
					     unsigned int count,
					     unsigned int flags,
					     int in_fence_fd, int *fence_fd)
{
	struct dmashim_chan_submit req = {
		.size = sizeof(req),
		.flags = flags,
		.xfers = (uintptr_t)xfers,
		.count = count,
		.xfer_size = sizeof(*xfers),
	};
	int ret;

	/*
	 * Without an in-fence the field stays 0: a module older than it
	 * takes the struct as long as the bytes it does not know are 0.
	 */
	if (in_fence_fd >= 0) {
		req.in_fence_fd = in_fence_fd;
		req.flags |= DMASHIM_SUBMIT_FENCE_IN;
	}

	/* Without a place for it, the sync_file would leak. */
	if ((flags & DMASHIM_SUBMIT_FENCE_OUT) && !fence_fd)
		return -EINVAL;
	ret = dmashim_ioctl(chan->fd, DMASHIM_IOCTL_CHAN_SUBMIT, &req);
	/* The kernel says -1 when not asked for a fence. */
	if (!ret && fence_fd)
		*fence_fd = req.fence_fd;
	return ret;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * poll() the channel for a record for up to @timeout_ms (-1: for ever),
 * through signals; 0 when one is there (or the channel is gone, which
 * read() tells), -ETIME, or -errno.
 */
static int chan_poll(int fd, int timeout_ms)
{
	int64_t end = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int left = timeout_ms, n;

	for (;;) {
		n = poll(&pfd, 1, left);
		if (n > 0)
			return pfd.revents & POLLNVAL ? -EBADF : 0;
		if (!n)
			return -ETIME;
		if (errno != EINTR)
			return -errno;
		if (timeout_ms > 0) {
			left = end - now_ms();
			if (left < 0)
				left = 0;
		}
	}
}

DMASHIM_EXPORT int dmashim_chan_wait(struct dmashim_chan *chan,
				     struct dmashim_record *recs,
				     unsigned int max, int timeout_ms)
{
	ssize_t n;
	int ret;

	if (!max)
		return -EINVAL;
	ret = chan_poll(chan->fd, timeout_ms);
	if (ret)
		return ret;
	do
		n = read(chan->fd, recs, (size_t)max * sizeof(*recs));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	/* End of file: the channel's device went away. */
	if (!n)
		return -ENODEV;
	return n / sizeof(*recs);
}

DMASHIM_EXPORT int dmashim_chan_status(struct dmashim_chan *chan, int cookie,
				       struct dmashim_chan_status *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->cookie = cookie;
	return dmashim_ioctl(chan->fd, DMASHIM_IOCTL_CHAN_STATUS, st);
}

DMASHIM_EXPORT int dmashim_chan_control(struct dmashim_chan *chan,
					unsigned int op)
{
	struct dmashim_chan_control req = {
		.size = sizeof(req),
		.op = op,
	};
	int ret;

	ret = dmashim_ioctl(chan->fd, DMASHIM_IOCTL_CHAN_CONTROL, &req);
	return ret ? ret : (int)req.state;
}
