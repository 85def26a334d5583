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
				     struct dmashim_channel_info *info)
{
	struct dmashim_chan_info req = { .size = sizeof(req) };
	struct dmashim_channel_info out = { .size = sizeof(out) };
	int ret;

	ret = dmashim_ioctl(chan->fd, DMASHIM_IOCTL_CHAN_INFO, &req);
	if (ret)
		return ret;
	out.caps = req.caps;
	out.state = req.state;
	out.directions = req.directions;
	out.src_addr_widths = req.src_addr_widths;
	out.dst_addr_widths = req.dst_addr_widths;
	out.max_burst = req.max_burst;
	out.residue_granularity = req.residue_granularity;
	out.descs_total = req.descs_total;
	out.descs_free = req.descs_free;
	out.can_pause = req.can_pause;
	out.can_terminate = req.can_terminate;
	memcpy(out.name, req.name, sizeof(out.name));
	memcpy(out.device, req.device, sizeof(out.device));
	return dmashim_struct_out(info, &out, sizeof(out),
				  CHANNEL_INFO_SIZE_1_0);
}

DMASHIM_EXPORT int dmashim_chan_config(struct dmashim_chan *chan,
				       const struct dmashim_channel_config *cfg)
{
	struct dmashim_channel_config in;
	struct dmashim_chan_config req = { .size = sizeof(req) };
	int ret;

	ret = dmashim_struct_in(&in, cfg, sizeof(in), CHANNEL_CONFIG_SIZE_1_0);
	if (ret)
		return ret;
	if (in.__pad)
		return -EINVAL;
	req.src_addr = in.src_addr;
	req.dst_addr = in.dst_addr;
	req.src_width = in.src_width;
	req.dst_width = in.dst_width;
	req.src_maxburst = in.src_maxburst;
	req.dst_maxburst = in.dst_maxburst;
	return dmashim_ioctl(chan->fd, DMASHIM_IOCTL_CHAN_CONFIG, &req);
}

DMASHIM_EXPORT int dmashim_chan_submit(struct dmashim_chan *chan,
				       struct dmashim_transfer *xfers,
				       unsigned int count, unsigned int flags,
				       int *fence_fd)
{
	return dmashim_chan_submit_after(chan, xfers, count, flags, -1,
					 fence_fd);
}

/* The caller's transfer @i, @stride bytes apart. */
static struct dmashim_transfer *transfer_at(struct dmashim_transfer *xfers,
					    size_t stride, unsigned int i)
{
	return (struct dmashim_transfer *)((char *)xfers + i * stride);
}

/* The kernel's transfer for the caller's @t. */
static int transfer_in(const struct dmashim_transfer *t,
		       struct dmashim_xfer *x)
{
	struct dmashim_transfer in;
	int ret;

	ret = dmashim_struct_in(&in, t, sizeof(in), TRANSFER_SIZE_1_0);
	if (ret)
		return ret;
	if (in.__pad0 || in.__pad)
		return -EINVAL;
	*x = (struct dmashim_xfer){
		.kind = in.kind,
		.dir = in.dir,
		.flags = in.flags,
		.nr_ranges = in.nr_ranges,
		.src_fd = in.src_fd,
		.dst_fd = in.dst_fd,
		.src_offset = in.src_offset,
		.dst_offset = in.dst_offset,
		.length = in.length,
		.period = in.period,
		.ranges = in.ranges,
		/* The library's range is the kernel's, and never grows. */
		.range_size = in.ranges ? sizeof(struct dmashim_byte_range) : 0,
		.user_data = in.user_data,
	};
	return 0;
}

/* Batches up to this long are converted on the stack. */
#define SUBMIT_STACK 16

DMASHIM_EXPORT int dmashim_chan_submit_after(struct dmashim_chan *chan,
					     struct dmashim_transfer *xfers,
					     unsigned int count,
					     unsigned int flags,
					     int in_fence_fd, int *fence_fd)
{
	struct dmashim_xfer stack[SUBMIT_STACK], *x = stack;
	struct dmashim_chan_submit req = {
		.size = sizeof(req),
		.flags = flags,
		.count = count,
		.xfer_size = sizeof(*x),
	};
	size_t stride;
	unsigned int i;
	int ret;

	/* The in-fence is @in_fence_fd's to say, never fd 0's. */
	if (!count || (flags & DMASHIM_SUBMIT_FENCE_IN))
		return -EINVAL;
	stride = xfers->size;
	if (!dmashim_size_ok(stride, TRANSFER_SIZE_1_0))
		return -EINVAL;
	if (count > SUBMIT_STACK) {
		x = calloc(count, sizeof(*x));
		if (!x)
			return -ENOMEM;
	}
	for (i = 0; i < count; i++) {
		ret = -EINVAL;
		if (transfer_at(xfers, stride, i)->size != stride)
			goto out;
		ret = transfer_in(transfer_at(xfers, stride, i), &x[i]);
		if (ret)
			goto out;
	}
	req.xfers = (uintptr_t)x;

	/*
	 * Without an in-fence the field stays 0: a module older than it
	 * takes the struct as long as the bytes it does not know are 0.
	 */
	if (in_fence_fd >= 0) {
		req.in_fence_fd = in_fence_fd;
		req.flags |= DMASHIM_SUBMIT_FENCE_IN;
	}

	/* Without a place for it, the sync_file would leak. */
	ret = -EINVAL;
	if ((flags & DMASHIM_SUBMIT_FENCE_OUT) && !fence_fd)
		goto out;
	ret = dmashim_ioctl(chan->fd, DMASHIM_IOCTL_CHAN_SUBMIT, &req);
	if (ret)
		goto out;
	for (i = 0; i < count; i++)
		transfer_at(xfers, stride, i)->cookie = x[i].cookie;
	/* The kernel says -1 when not asked for a fence. */
	if (fence_fd)
		*fence_fd = req.fence_fd;
out:
	if (x != stack)
		free(x);
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
 * read() tells), -ETIME, or -errno.  Not libsync's sync_wait(): a
 * channel is not a sync_file, its records are read().
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

/* Records read at once: what one call returns at most. */
#define WAIT_RECORDS 16

/*
 * @c into the caller's element @i, @stride bytes apart, as
 * dmashim_struct_out() copies any struct out: the element gets the
 * stride as its size first.
 */
static void completion_out(struct dmashim_completion *recs, uint32_t stride,
			   int i, const struct dmashim_completion *c)
{
	char *dst = (char *)recs + (size_t)i * stride;

	memcpy(dst, &stride, sizeof(stride));
	/* The stride was checked: this cannot fail. */
	dmashim_struct_out(dst, c, sizeof(*c), COMPLETION_SIZE_1_0);
}

DMASHIM_EXPORT int dmashim_chan_wait(struct dmashim_chan *chan,
				     struct dmashim_completion *recs,
				     unsigned int max, int timeout_ms)
{
	struct dmashim_record r[WAIT_RECORDS];
	struct dmashim_completion c = { .size = sizeof(c) };
	uint32_t stride;
	ssize_t n;
	int i, ret;

	if (!max)
		return -EINVAL;
	stride = recs->size;
	if (!dmashim_size_ok(stride, COMPLETION_SIZE_1_0))
		return -EINVAL;
	if (max > WAIT_RECORDS)
		max = WAIT_RECORDS;
	ret = chan_poll(chan->fd, timeout_ms);
	if (ret)
		return ret;
	do
		n = read(chan->fd, r, (size_t)max * sizeof(r[0]));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	/* End of file: the channel's device went away. */
	if (!n)
		return -ENODEV;
	n /= sizeof(r[0]);
	for (i = 0; i < n; i++) {
		c.cookie = r[i].cookie;
		c.status = r[i].status;
		c.flags = r[i].flags;
		c.residue = r[i].residue;
		c.user_data = r[i].user_data;
		c.periods = r[i].periods;
		c.timestamp_ns = r[i].timestamp_ns;
		completion_out(recs, stride, i, &c);
	}
	return n;
}

DMASHIM_EXPORT int dmashim_chan_status(struct dmashim_chan *chan, int cookie,
				       struct dmashim_transfer_status *st)
{
	struct dmashim_chan_status req = {
		.size = sizeof(req),
		.cookie = cookie,
	};
	struct dmashim_transfer_status out = { .size = sizeof(out) };
	int ret;

	ret = dmashim_ioctl(chan->fd, DMASHIM_IOCTL_CHAN_STATUS, &req);
	if (ret)
		return ret;
	out.status = req.status;
	out.residue = req.residue;
	out.state = req.state;
	return dmashim_struct_out(st, &out, sizeof(out),
				  TRANSFER_STATUS_SIZE_1_0);
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
