// SPDX-License-Identifier: GPL-2.0
/* dmashim selftests - dmaengine channels: finding them, ioctls, records */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/sync_file.h>

#include "libdmashim.h"
#include "helpers.h"

#define DMA_CLASS "/sys/class/dma"

/*
 * The channel @name of the system's, or the @index-th whose DMA device's
 * driver is @driver: its name and its device's into @cname and @dev
 * (@len bytes each, either may be NULL); 0 or -ENOENT.
 */
static int chan_lookup(const char *name, const char *driver,
		       unsigned int index, char *cname, char *dev, size_t len)
{
	struct dmashim_channels *list;
	int i, n, ret = -ENOENT;

	n = dmashim_chan_list(&list);
	for (i = 0; i < n && ret; i++) {
		if (name ? strcmp(dmashim_chan_list_name(list, i), name) :
			   strcmp(dmashim_chan_list_driver(list, i), driver) ||
			   index--)
			continue;
		if (cname)
			snprintf(cname, len, "%s", dmashim_chan_list_name(list, i));
		if (dev)
			snprintf(dev, len, "%s",
				 dmashim_chan_list_device(list, i));
		ret = 0;
	}
	if (n >= 0)
		dmashim_chan_list_free(list);
	return ret;
}

int chan_find(const char *driver, unsigned int index, char *name,
	      size_t len)
{
	return chan_lookup(NULL, driver, index, name, NULL, len);
}

int chan_sysfs_device(const char *name, char *dev, size_t len)
{
	dev[0] = '\0';
	chan_lookup(name, NULL, 0, NULL, dev, len);
	return dev[0] ? 0 : -ENOENT;
}

int chan_in_use(const char *name)
{
	char path[PATH_MAX], buf[16] = "";
	FILE *f;

	snprintf(path, sizeof(path), DMA_CLASS "/%s/in_use", name);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return buf[0] == '1' ? 1 : buf[0] == '0' ? 0 : -EPROTO;
}

int chan_open(int ctx, const char *name, __u32 caps, __u32 fd_flags)
{
	struct dmashim_chan_open req = {
		.size = sizeof(req),
		.caps = caps,
		.fd_flags = fd_flags,
		.record_size = sizeof(struct dmashim_record),
	};
	int ret;

	snprintf(req.name, sizeof(req.name), "%s", name ? name : "");
	ret = ioctl_errno(ctx, DMASHIM_IOCTL_CHAN_OPEN, &req);
	return ret ? ret : req.fd;
}

int chan_info(int ch, struct dmashim_chan_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return ioctl_errno(ch, DMASHIM_IOCTL_CHAN_INFO, info);
}

int chan_state(int ch)
{
	struct dmashim_chan_info info;
	int ret = chan_info(ch, &info);

	return ret ? ret : (int)info.state;
}

int chan_config(int ch, __u64 src_addr, __u64 dst_addr)
{
	struct dmashim_chan_config cfg = {
		.size = sizeof(cfg),
		.src_addr = src_addr,
		.dst_addr = dst_addr,
	};

	return ioctl_errno(ch, DMASHIM_IOCTL_CHAN_CONFIG, &cfg);
}

int chan_status(int ch, int cookie, struct dmashim_chan_status *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->cookie = cookie;
	return ioctl_errno(ch, DMASHIM_IOCTL_CHAN_STATUS, st);
}

long long chan_residue(int ch, int cookie)
{
	struct dmashim_chan_status st;
	int ret = chan_status(ch, cookie, &st);

	return ret ? ret : (long long)st.residue;
}

int chan_submit_fenced(int ch, struct dmashim_xfer *xfers, unsigned int count,
		       __u32 flags, int in_fence, int *fence_fd)
{
	struct dmashim_chan_submit sub = {
		.size = sizeof(sub),
		.flags = flags | (fence_fd ? DMASHIM_SUBMIT_FENCE_OUT : 0),
		.xfers = (uintptr_t)xfers,
		.count = count,
		.in_fence_fd = flags & DMASHIM_SUBMIT_FENCE_IN ? in_fence : 0,
		.xfer_size = sizeof(*xfers),
	};
	int ret = ioctl_errno(ch, DMASHIM_IOCTL_CHAN_SUBMIT, &sub);

	if (!ret && fence_fd)
		*fence_fd = sub.fence_fd;
	return ret;
}

int chan_submit(int ch, struct dmashim_xfer *xfers, unsigned int count,
		int *fence_fd)
{
	return chan_submit_fenced(ch, xfers, count, 0, -1, fence_fd);
}

int chan_control(int ch, __u32 op)
{
	struct dmashim_chan_control ctl = {
		.size = sizeof(ctl),
		.op = op,
	};
	int ret = ioctl_errno(ch, DMASHIM_IOCTL_CHAN_CONTROL, &ctl);

	return ret ? ret : (int)ctl.state;
}

int chan_record(int ch, struct dmashim_record *rec, int timeout_ms)
{
	struct pollfd pfd = { .fd = ch, .events = POLLIN };
	ssize_t n;

	n = poll(&pfd, 1, timeout_ms);
	if (n < 0)
		return -errno;
	if (!n)
		return -ETIME;
	n = read(ch, rec, sizeof(*rec));
	if (n < 0)
		return -errno;
	return n == sizeof(*rec) ? 0 : -EPROTO;
}

int chan_wait_final(int ch, int cookie, struct dmashim_record *rec)
{
	int ret;

	do
		ret = chan_record(ch, rec, -1);
	while (!ret && (rec->cookie != cookie ||
			(rec->flags & DMASHIM_RECORD_PERIOD)));
	return ret;
}

struct dmashim_xfer xfer_memcpy(int dst_fd, __u64 dst_off, int src_fd,
				__u64 src_off, __u64 len)
{
	return (struct dmashim_xfer){
		.kind = DMASHIM_XFER_MEMCPY,
		.src_fd = src_fd,
		.dst_fd = dst_fd,
		.src_offset = src_off,
		.dst_offset = dst_off,
		.length = len,
	};
}

struct dmashim_xfer xfer_slave(__u32 dir, int fd, __u64 off, __u64 len)
{
	bool to_dev = dir == DMASHIM_XFER_TO_DEVICE;

	return (struct dmashim_xfer){
		.kind = DMASHIM_XFER_SLAVE,
		.dir = dir,
		.src_fd = to_dev ? fd : -1,
		.dst_fd = to_dev ? -1 : fd,
		.src_offset = to_dev ? off : 0,
		.dst_offset = to_dev ? 0 : off,
		.length = len,
	};
}

struct dmashim_xfer xfer_ranges(__u32 dir, int fd,
				const struct dmashim_range *ranges,
				unsigned int nr)
{
	struct dmashim_xfer x = xfer_slave(dir, fd, 0, 0);

	x.ranges = (uintptr_t)ranges;
	x.nr_ranges = nr;
	x.range_size = sizeof(*ranges);
	return x;
}

struct dmashim_xfer xfer_cyclic(__u32 dir, int fd, __u64 len, __u64 period)
{
	struct dmashim_xfer x = xfer_slave(dir, fd, 0, len);

	x.kind = DMASHIM_XFER_CYCLIC;
	x.period = period;
	return x;
}

int fence_status(int fence_fd, int *status)
{
	struct sync_file_info info = { 0 };
	int ret = ioctl_errno(fence_fd, SYNC_IOC_FILE_INFO, &info);

	if (!ret)
		*status = info.status;
	return ret;
}

int edu_copy_get(struct edu_copy *e, size_t len)
{
	char name[DMASHIM_CHAN_NAME_LEN];
	int ret;

	*e = (struct edu_copy){ .ctx = -1, .ch = -1,
				.src.fd = -1, .dst.fd = -1 };
	if (chan_find(EDU_DMA_DRIVER, 0, name, sizeof(name)))
		return -ENOENT;
	e->ctx = ctx_open();
	if (e->ctx < 0)
		return e->ctx;
	e->ch = chan_open(e->ctx, name, 0, O_CLOEXEC);
	ret = e->ch < 0 ? e->ch : 0;
	if (!ret)
		ret = buffer_get(e->ctx, DMASHIM_BUF_PAGES, len, &e->src);
	if (!ret)
		ret = buffer_get(e->ctx, DMASHIM_BUF_PAGES, len, &e->dst);
	if (ret) {
		edu_copy_put(e);
		return ret;
	}
	pattern_fill(e->src.cpu, e->src.len, 0, 1);
	return 0;
}

void edu_copy_put(struct edu_copy *e)
{
	buffer_put(&e->dst);
	buffer_put(&e->src);
	if (e->ch >= 0)
		close(e->ch);
	if (e->ctx >= 0)
		close(e->ctx);
	e->ch = e->ctx = -1;
}

int cpudma_fail_next(unsigned int n)
{
	char val[16];

	snprintf(val, sizeof(val), "%u", n);
	return sysfs_write(CPU_FAIL_NEXT, val);
}

int cpudma_step_delay(unsigned int ms)
{
	char val[16];

	snprintf(val, sizeof(val), "%u", ms);
	return sysfs_write(CPU_STEP_DELAY, val);
}
