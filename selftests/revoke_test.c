// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim revocation: a device that is unbound from its driver or removed
 * while contexts hold it is revoked.  Its contexts get -ENODEV, closing
 * them is safe, and the device can be used again afterwards.  Mappings go
 * with the device; page buffers outlive it, coherent buffers do not.
 */

#include <errno.h>
#include <limits.h>
#include <linux/dma-buf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

TEST_HARNESS_MAIN
