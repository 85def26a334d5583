// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim revocation: a device that is unbound from its driver or removed
 * while contexts hold it is revoked.  Its contexts get -ENODEV, closing
 * them is safe, and the device can be used again afterwards.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

/* QEMU q35's ICH9 SMBus controller, driven by i2c-i801. */
#define ICH9_SMBUS_VENDOR 0x8086
#define ICH9_SMBUS_DEVICE 0x2930

#define REQUIRE_FREE_EDU()						\
	do {								\
		if (!edu_addr())					\
			SKIP(return, "no edu device (run under the QEMU bench)"); \
		if (pci_driver_of(edu_addr())[0])			\
			SKIP(return, "edu is driven by %s",		\
			     pci_driver_of(edu_addr()));		\
	} while (0)

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

	ASSERT_EQ(0, pci_rescan());
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

TEST_HARNESS_MAIN
