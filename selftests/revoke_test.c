// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim revocation: a device that is unbound from its driver or removed
 * while contexts hold it is revoked.  Its contexts get -ENODEV, closing
 * them is safe, and the device can be used again afterwards.  Mappings go
 * with the device; page buffers outlive it, coherent buffers do not.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/dma-buf.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xf86drm.h>

#include "kselftest_harness.h"
#include "helpers.h"

/* QEMU q35's ICH9 SMBus controller, driven by i2c-i801. */
#define ICH9_SMBUS_VENDOR 0x8086
#define ICH9_SMBUS_DEVICE 0x2930

static int unbind_driver(const char *driver, const char *addr)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/unbind",
		 driver);
	return sysfs_write(path, addr);
}

static int bind_driver(const char *driver, const char *addr)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/bind", driver);
	return sysfs_write(path, addr);
}

TEST(unbind_claimed_device)
{
	struct dmashim_info info;
	int fd, fd2;

	REQUIRE_FREE_EDU();
	fd = ctx_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ctx_bind(fd, edu_bind_name(), 28, 0));
	ASSERT_EQ(0, unbind_driver("dmashim", edu_addr()));
	EXPECT_STREQ("", pci_driver_of(edu_addr()));
	EXPECT_EQ(-ENODEV, ctx_info(fd, &info));
	EXPECT_EQ(-ENODEV, ctx_info(fd, &info));
	/* Still bound (to a revoked device): no rebinding. */
	EXPECT_EQ(-EBUSY, ctx_bind(fd, "default", 0, 0));

	/* A new context claims the device afresh. */
	fd2 = ctx_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, ctx_bind(fd2, edu_bind_name(), 28, 0));
	ASSERT_EQ(0, ctx_info(fd2, &info));
	EXPECT_TRUE(info.dev_flags & DMASHIM_DEV_CLAIMED);
	EXPECT_EQ(0, close(fd));
	/* Closing the revoked context did not touch the new claim. */
	EXPECT_STREQ("dmashim", pci_driver_of(edu_addr()));
	EXPECT_EQ(0, ctx_info(fd2, &info));
	EXPECT_EQ(0, close(fd2));
	EXPECT_STREQ("", pci_driver_of(edu_addr()));
}

TEST(remove_claimed_device)
{
	char path[PATH_MAX], addr[64];
	struct dmashim_info info;
	int fd, fd2;

	REQUIRE_FREE_EDU();
	snprintf(addr, sizeof(addr), "%s", edu_addr());
	fd = ctx_open();
	fd2 = ctx_open();
	ASSERT_LE(0, fd);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, ctx_bind(fd, edu_bind_name(), 28, 0));
	ASSERT_EQ(0, ctx_bind(fd2, edu_bind_name(), 28, 0));

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove", addr);
	ASSERT_EQ(0, sysfs_write(path, "1"));
	EXPECT_EQ(NULL, edu_addr());
	EXPECT_EQ(-ENODEV, ctx_info(fd, &info));
	EXPECT_EQ(-ENODEV, ctx_info(fd2, &info));
	EXPECT_EQ(0, close(fd));

	ASSERT_EQ(0, pci_rescan(addr));
	ASSERT_NE(NULL, edu_addr());
	EXPECT_STREQ(addr, edu_addr());
	EXPECT_STREQ("", pci_driver_of(edu_addr()));
	EXPECT_EQ(-ENODEV, ctx_info(fd2, &info));
	EXPECT_EQ(0, close(fd2));

	/* The new device is a new device: it can be claimed. */
	fd = ctx_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, ctx_bind(fd, edu_bind_name(), 28, 0));
	EXPECT_EQ(0, ctx_info(fd, &info));
	close(fd);
}

/* Many contexts on one device are all revoked at once. */
TEST(unbind_many_contexts)
{
	enum { N = 32 };
	struct dmashim_info info;
	int fds[N], i;

	REQUIRE_FREE_EDU();
	for (i = 0; i < N; i++) {
		fds[i] = ctx_open();
		ASSERT_LE(0, fds[i]);
		ASSERT_EQ(0, ctx_bind(fds[i], edu_bind_name(), 28, 0));
	}
	ASSERT_EQ(0, unbind_driver("dmashim", edu_addr()));
	for (i = 0; i < N; i++)
		EXPECT_EQ(-ENODEV, ctx_info(fds[i], &info));
	for (i = N - 1; i >= 0; i--)
		EXPECT_EQ(0, close(fds[i]));
	EXPECT_STREQ("", pci_driver_of(edu_addr()));
}

/* A device another driver owns is revoked when that driver unbinds. */
TEST(unbind_other_driver)
{
	struct dmashim_info info;
	char addr[64], name[80], driver[64];
	int fd;

	if (pci_find(ICH9_SMBUS_VENDOR, ICH9_SMBUS_DEVICE, addr, sizeof(addr)))
		SKIP(return, "no ICH9 SMBus controller (run under the bench)");
	snprintf(driver, sizeof(driver), "%s", pci_driver_of(addr));
	if (!driver[0])
		SKIP(return, "i2c-i801 does not drive %s", addr);
	snprintf(name, sizeof(name), "pci:%s", addr);

	fd = ctx_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ctx_bind(fd, name, 0, 0));
	ASSERT_EQ(0, ctx_info(fd, &info));
	EXPECT_STREQ(driver, info.driver);
	EXPECT_FALSE(info.dev_flags & DMASHIM_DEV_CLAIMED);

	ASSERT_EQ(0, unbind_driver(driver, addr));
	EXPECT_EQ(-ENODEV, ctx_info(fd, &info));
	ASSERT_EQ(0, bind_driver(driver, addr));
	EXPECT_STREQ(driver, pci_driver_of(addr));
	/* Revoked for good, even though the driver is back. */
	EXPECT_EQ(-ENODEV, ctx_info(fd, &info));
	EXPECT_EQ(0, close(fd));
}

/*
 * Unbinding with buffers and mappings alive: the mappings' ioctls fail
 * with ENODEV and unmapping frees what is left; a page buffer keeps its
 * data and maps for another device; a coherent buffer's memory went with
 * the device, so its operations fail with ENODEV.
 */
TEST(unbind_with_mappings)
{
	struct dmashim_segment seg;
	struct dmashim_segments req;
	struct dmashim_stats st;
	struct buffer pages, coherent;
	struct mapping m[3], again;
	int fd, other, live;
	unsigned int i;

	REQUIRE_FREE_EDU();
	if (!debugfs_mounted())
		SKIP(return, "debugfs is not mounted at /sys/kernel/debug");
	live = live_mappings();
	fd = ctx_open_bound(edu_bind_name(), EDU_DMA_BITS);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, buffer_get(fd, DMASHIM_BUF_PAGES, 16384, &pages));
	ASSERT_EQ(0, buffer_get(fd, DMASHIM_BUF_COHERENT, 16384, &coherent));
	pattern_fill(pages.cpu, pages.len, 0, 1);
	ASSERT_EQ(0, map_buf(fd, pages.fd, DMASHIM_DIR_BIDIRECTIONAL, 0,
			     &m[0]));
	ASSERT_EQ(0, map_buf(fd, pages.fd, DMASHIM_DIR_TO_DEVICE,
			     DMASHIM_MAP_BOUNCE, &m[1]));
	ASSERT_EQ(0, map_buf(fd, coherent.fd, DMASHIM_DIR_TO_DEVICE, 0, &m[2]));

	ASSERT_EQ(0, unbind_driver("dmashim", edu_addr()));
	EXPECT_STREQ("", pci_driver_of(edu_addr()));
	EXPECT_EQ(-ENODEV, ctx_sync(fd, m[0].handle, DMASHIM_SYNC_FOR_CPU, 0,
				    1, DMASHIM_DIR_BIDIRECTIONAL));
	req = (struct dmashim_segments){
		.size = sizeof(req), .handle = m[0].handle,
		.segments = (uintptr_t)&seg, .count = 1,
		.segment_size = sizeof(seg),
	};
	EXPECT_EQ(-ENODEV, ioctl_errno(fd, DMASHIM_IOCTL_SEGMENTS, &req));
	EXPECT_EQ(-ENODEV, map_buf(fd, pages.fd, DMASHIM_DIR_TO_DEVICE, 0,
				   &again));
	EXPECT_EQ(-ENODEV, ctx_stats(fd, &st));
	EXPECT_EQ(-ENODEV, dmabuf_sync(coherent.fd, DMA_BUF_SYNC_START |
						    DMA_BUF_SYNC_RW));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(0, ctx_unmap(fd, m[i].handle))
			TH_LOG("mapping %u", i);
		EXPECT_EQ(-ENOENT, ctx_unmap(fd, m[i].handle));
		mapping_free(&m[i]);
	}
	EXPECT_EQ(live, live_mappings());
	EXPECT_EQ(0, close(fd));

	/* The page buffer lives on, with its data, for another device. */
	EXPECT_PATTERN(pages.cpu, pages.len, 0, 1);
	other = ctx_open();
	ASSERT_LE(0, other);
	ASSERT_EQ(0, map_buf(other, pages.fd, DMASHIM_DIR_TO_DEVICE, 0,
			     &again));
	EXPECT_CHECK_OK(&again);
	EXPECT_EQ(0, ctx_unmap(other, again.handle));
	mapping_free(&again);
	EXPECT_EQ(-ENODEV, map_buf(other, coherent.fd, DMASHIM_DIR_TO_DEVICE,
				   0, &again));
	close(other);
	buffer_put(&pages);
	buffer_put(&coherent);
}

/*
 * A coherent buffer lives and dies with the device it was allocated for:
 * no other device may map it (another context's, a channel's, vgem's),
 * for its memory goes when that device is revoked.  Its own device maps
 * it.  (The default device's coherent buffers, which nothing revokes
 * while a buffer lives, are everyone's: import_test.)
 */
TEST(coherent_stays_with_its_device)
{
	char name[DMASHIM_CHAN_NAME_LEN];
	struct dmashim_xfer x;
	struct buffer coherent, pages;
	struct mapping m;
	int fd, other, ch, drm;
	__u32 handle;

	REQUIRE_FREE_EDU();
	REQUIRE_CHANNEL(CPU_DMA_DRIVER, name);
	fd = ctx_open_bound(edu_bind_name(), EDU_DMA_BITS);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, buffer_get(fd, DMASHIM_BUF_COHERENT, 16384, &coherent));
	ASSERT_EQ(0, map_buf(fd, coherent.fd, DMASHIM_DIR_BIDIRECTIONAL, 0,
			     &m));
	EXPECT_EQ(0, ctx_unmap(fd, m.handle));
	mapping_free(&m);

	other = ctx_open();
	ASSERT_LE(0, other);
	EXPECT_EQ(-EXDEV, map_buf(other, coherent.fd, DMASHIM_DIR_TO_DEVICE, 0,
				  &m));
	ch = chan_open(other, name, 0, O_CLOEXEC);
	ASSERT_LE(0, ch);
	ASSERT_EQ(0, buffer_get(other, DMASHIM_BUF_PAGES, 16384, &pages));
	x = xfer_memcpy(coherent.fd, 0, pages.fd, 0, 4096);
	EXPECT_EQ(-EXDEV, chan_submit(ch, &x, 1, NULL));
	x = xfer_memcpy(pages.fd, 0, coherent.fd, 0, 4096);
	EXPECT_EQ(-EXDEV, chan_submit(ch, &x, 1, NULL));
	drm = vgem_open();
	if (drm >= 0) {
		EXPECT_NE(0, drmPrimeFDToHandle(drm, coherent.fd, &handle));
		EXPECT_EQ(EXDEV, errno);
		close(drm);
	}
	buffer_put(&pages);
	close(ch);
	close(other);
	buffer_put(&coherent);
	close(fd);
}

/*
 * A device revoked while its DMA moves stops it before any memory goes:
 * an edu channel opened first, a coherent buffer of the same device
 * allocated after it (revocation used to go newest first: the buffer's
 * memory was freed while the channel's DMA still wrote it), a memcpy
 * into that buffer moving when dmashim_edu is unbound.  The transfer is
 * aborted, nothing faults, and the driver comes back.
 */
TEST(unbind_stops_dma_before_freeing)
{
	char name[DMASHIM_CHAN_NAME_LEN], dev[64], bind[80], line[512];
	const size_t len = EDU_LONG_XFER;
	struct dmashim_record rec;
	struct buffer coherent, src;
	struct dmashim_xfer x;
	int fd, other, ch, kmsg;

	REQUIRE_CHANNEL(EDU_DMA_DRIVER, name);
	ASSERT_EQ(0, chan_sysfs_device(name, dev, sizeof(dev)));
	snprintf(bind, sizeof(bind), "pci:%s", dev);
	other = ctx_open();
	ASSERT_LE(0, other);
	ch = chan_open(other, name, 0, O_CLOEXEC);
	ASSERT_LE(0, ch);
	fd = ctx_open_bound(bind, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, buffer_get(fd, DMASHIM_BUF_COHERENT, len, &coherent));
	ASSERT_EQ(0, buffer_get(other, DMASHIM_BUF_PAGES, len, &src));
	pattern_fill(src.cpu, len, 0, 12);
	kmsg = kmsg_open();
	ASSERT_LE(0, kmsg);

	x = xfer_memcpy(coherent.fd, 0, src.fd, 0, len);
	ASSERT_EQ(0, chan_submit(ch, &x, 1, NULL));
	while (chan_residue(ch, x.cookie) == (long long)len)
		usleep(20000);
	ASSERT_EQ(0, unbind_driver(EDU_DMA_DRIVER, dev));
	ASSERT_EQ(0, chan_wait_final(ch, x.cookie, &rec));
	EXPECT_EQ(DMASHIM_XFER_ABORTED, rec.status);
	usleep(500000);
	EXPECT_EQ(0, kmsg_trouble(kmsg, line, sizeof(line)))
		TH_LOG("kernel log: %s", line);
	close(kmsg);
	close(ch);
	buffer_put(&src);
	buffer_put(&coherent);
	close(fd);
	close(other);
	EXPECT_EQ(0, bind_driver(EDU_DMA_DRIVER, dev));
}

/*
 * A page whose first touch waits on userfaultfd until the test resolves
 * it: an ioctl argument in it blocks the ioctl's user copy for as long
 * as the test likes, as FUSE or a hostile userfaultfd handler can.
 */
struct stall {
	int uffd;
	void *page;
	size_t len;
};

static int stall_get(struct stall *st)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};

	st->len = sysconf(_SC_PAGESIZE);
	st->uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (st->uffd < 0)
		return -errno;
	st->page = mmap(NULL, st->len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (st->page == MAP_FAILED)
		return -errno;
	reg.range.start = (uintptr_t)st->page;
	reg.range.len = st->len;
	if (ioctl(st->uffd, UFFDIO_API, &api) ||
	    ioctl(st->uffd, UFFDIO_REGISTER, &reg))
		return -errno;
	return 0;
}

/* Wait up to @ms for the page's first touch: 0, -ETIME or -errno. */
static int stall_wait(struct stall *st, int ms)
{
	struct pollfd pfd = { .fd = st->uffd, .events = POLLIN };
	struct uffd_msg msg;

	if (poll(&pfd, 1, ms) != 1)
		return -ETIME;
	if (read(st->uffd, &msg, sizeof(msg)) != sizeof(msg))
		return -errno;
	return msg.event == UFFD_EVENT_PAGEFAULT ? 0 : -EPROTO;
}

/* Let the touch go on, with a page of zeros. */
static int stall_release(struct stall *st)
{
	struct uffdio_zeropage zp = {
		.range = { (uintptr_t)st->page, st->len },
	};

	return ioctl(st->uffd, UFFDIO_ZEROPAGE, &zp) ? -errno : 0;
}

static void stall_put(struct stall *st)
{
	munmap(st->page, st->len);
	close(st->uffd);
}

struct stalled_call {
	int fd;
	unsigned long request;
	void *arg;
	int ret;
};

static void *stalled_call_run(void *p)
{
	struct stalled_call *c = p;

	c->ret = ioctl_errno(c->fd, c->request, c->arg);
	return NULL;
}

/*
 * Run @write (a sysfs @path gets @val) in a child while @c stalls in
 * its user copy: 0 if it finished within 10 s, -ETIME if it did not.
 * The stall is released afterwards either way, and everything reaped.
 */
static int unbind_while_stalled(struct stall *st, struct stalled_call *c,
				const char *path, const char *val)
{
	int ret, status, i;
	pthread_t thread;
	pid_t pid;

	if (pthread_create(&thread, NULL, stalled_call_run, c))
		return -EAGAIN;
	ret = stall_wait(st, 10000);
	if (ret) {
		stall_release(st);
		pthread_join(thread, NULL);
		return ret;
	}
	pid = fork();
	if (!pid)
		_exit(sysfs_write(path, val) ? 1 : 0);
	ret = -ETIME;
	for (i = 0; i < 100; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			ret = WIFEXITED(status) && !WEXITSTATUS(status) ?
			      0 : -EIO;
			break;
		}
		usleep(100000);
	}
	stall_release(st);
	pthread_join(thread, NULL);
	if (ret == -ETIME)
		waitpid(pid, &status, 0);
	return ret;
}

/*
 * A user's stalled copy never holds up a driver unbind: the device
 * record's lock is not held across user copies.  SEGMENTS writes its
 * array into a page that stalls; dmashim is unbound from the claimed edu
 * meanwhile.
 */
TEST(unbind_not_held_by_user_copy)
{
	char path[PATH_MAX];
	struct stalled_call c = { .request = DMASHIM_IOCTL_SEGMENTS };
	struct dmashim_segments seg = {
		.size = sizeof(seg), .count = 1,
		.segment_size = sizeof(struct dmashim_segment),
	};
	struct stall st;
	struct mapping m;
	struct buffer b;
	int fd, ret;

	REQUIRE_FREE_EDU();
	ret = stall_get(&st);
	if (ret == -ENOSYS)
		SKIP(return, "no userfaultfd");
	ASSERT_EQ(0, ret);
	fd = ctx_open_bound(edu_bind_name(), EDU_DMA_BITS);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, buffer_get(fd, DMASHIM_BUF_PAGES, 8192, &b));
	ASSERT_EQ(0, map_buf(fd, b.fd, DMASHIM_DIR_TO_DEVICE, 0, &m));
	seg.handle = m.handle;
	seg.segments = (uintptr_t)st.page;
	c.fd = fd;
	c.arg = &seg;
	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/dmashim/unbind");
	EXPECT_EQ(0, unbind_while_stalled(&st, &c, path, edu_addr()))
		TH_LOG("the unbind waited for a stalled user copy");
	EXPECT_TRUE(c.ret == 0 || c.ret == -ENODEV) TH_LOG("%d", c.ret);
	EXPECT_STREQ("", pci_driver_of(edu_addr()));
	mapping_free(&m);
	buffer_put(&b);
	close(fd);
	stall_put(&st);
}

/*
 * The same for a channel's submit, whose transfers are read from a page
 * that stalls: cpudma's platform device is unbound meanwhile (revoking
 * the channel), then bound again.
 */
TEST(unbind_not_held_by_submit_copy)
{
	struct dmashim_chan_submit sub = {
		.size = sizeof(sub), .count = 1,
		.xfer_size = sizeof(struct dmashim_xfer),
	};
	struct stalled_call c = { .request = DMASHIM_IOCTL_CHAN_SUBMIT };
	char name[DMASHIM_CHAN_NAME_LEN];
	struct stall st;
	int fd, ch, ret;

	REQUIRE_CHANNEL(CPU_DMA_DRIVER, name);
	ret = stall_get(&st);
	if (ret == -ENOSYS)
		SKIP(return, "no userfaultfd");
	ASSERT_EQ(0, ret);
	fd = ctx_open();
	ASSERT_LE(0, fd);
	ch = chan_open(fd, name, 0, O_CLOEXEC);
	ASSERT_LE(0, ch);
	sub.xfers = (uintptr_t)st.page;
	c.fd = ch;
	c.arg = &sub;
	EXPECT_EQ(0, unbind_while_stalled(&st, &c,
			"/sys/bus/platform/drivers/" CPU_DMA_DRIVER "/unbind",
			CPU_DMA_DRIVER))
		TH_LOG("the unbind waited for a stalled user copy");
	/* The zeroed transfer is a memcpy from fd 0: refused either way. */
	EXPECT_NE(0, c.ret);
	close(ch);
	close(fd);
	EXPECT_EQ(0, sysfs_write("/sys/bus/platform/drivers/" CPU_DMA_DRIVER
				 "/bind", CPU_DMA_DRIVER));
	stall_put(&st);
}

TEST_HARNESS_MAIN
