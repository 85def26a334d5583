// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim binding: names, claiming a device nobody drives (the edu
 * device), masks, sharing a device between contexts, devices other
 * drivers own, and who may claim.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define MASK(bits) ((bits) == 64 ? UINT64_MAX : (1ULL << (bits)) - 1)

FIXTURE(ctx) {
	int fd;
};

FIXTURE_SETUP(ctx)
{
	self->fd = ctx_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(ctx)
{
	close(self->fd);
}

TEST_F(ctx, bind_default)
{
	struct dmashim_info info;

	ASSERT_EQ(0, ctx_bind(self->fd, "default", 0, 0));
	ASSERT_EQ(0, ctx_info(self->fd, &info));
	EXPECT_TRUE(info.dev_flags & DMASHIM_DEV_DEFAULT);
	/* A context binds once. */
	EXPECT_EQ(-EBUSY, ctx_bind(self->fd, "default", 0, 0));
}

/* The default device is also reachable by its platform name. */
TEST_F(ctx, bind_default_by_platform_name)
{
	struct dmashim_info info;

	ASSERT_EQ(0, ctx_bind(self->fd, "platform:dmashim", 0, 0));
	ASSERT_EQ(0, ctx_info(self->fd, &info));
	EXPECT_TRUE(info.dev_flags & DMASHIM_DEV_DEFAULT);
	EXPECT_FALSE(info.dev_flags & DMASHIM_DEV_CLAIMED);
}

/* The default device's mask is the module's to set, not the caller's. */
TEST_F(ctx, bind_default_other_mask)
{
	EXPECT_EQ(-EBUSY, ctx_bind(self->fd, "default", 32, 0));
	EXPECT_EQ(0, ctx_bind(self->fd, "default", 64, 0));
}

TEST_F(ctx, bind_malformed_names)
{
	static const char *const names[] = {
		"", "pci", "pci:", "platform:", ":", "nobus:foo",
		"PCI:0000:00:00.0", " pci:0000:00:00.0", "defaultx",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		EXPECT_EQ(-EINVAL, ctx_bind(self->fd, names[i], 0, 0))
			TH_LOG("name #%zu", i);
	/* Nothing bound: a valid bind still works. */
	EXPECT_EQ(0, ctx_bind(self->fd, "default", 0, 0));
}

TEST_F(ctx, bind_missing_device)
{
	EXPECT_EQ(-ENODEV, ctx_bind(self->fd, "pci:0000:ff:1f.7", 0, 0));
	EXPECT_EQ(-ENODEV, ctx_bind(self->fd, "pci:nonsense", 0, 0));
	EXPECT_EQ(-ENODEV, ctx_bind(self->fd, "platform:no-such-device", 0,
				    0));
	EXPECT_EQ(0, ctx_bind(self->fd, "default", 0, 0));
}

/* Binding the driverless edu makes dmashim its driver, until closed. */
TEST_F(ctx, bind_claims_free_device)
{
	struct dmashim_info info;

	REQUIRE_FREE_EDU();
	ASSERT_EQ(0, ctx_bind(self->fd, edu_bind_name(), 28, 0));
	EXPECT_STREQ("dmashim", pci_driver_of(edu_addr()));
	ASSERT_EQ(0, ctx_info(self->fd, &info));
	EXPECT_STREQ(edu_addr(), info.name);
	EXPECT_STREQ("pci", info.bus);
	EXPECT_STREQ("dmashim", info.driver);
	EXPECT_TRUE(info.dev_flags & DMASHIM_DEV_CLAIMED);
	EXPECT_FALSE(info.dev_flags & DMASHIM_DEV_DEFAULT);
	EXPECT_EQ(MASK(28), info.dma_mask);
	EXPECT_EQ(MASK(28), info.coherent_dma_mask);
	/* The PCI core's defaults for segments. */
	EXPECT_EQ(65536, info.max_seg_size);
	EXPECT_EQ(0xffffffffULL, info.seg_boundary_mask);

	close(self->fd);
	self->fd = ctx_open();
	EXPECT_STREQ("", pci_driver_of(edu_addr()));
}

/* Without a mask request, a claimed PCI device keeps the 32-bit default. */
TEST_F(ctx, bind_claim_default_mask)
{
	struct dmashim_info info;

	REQUIRE_FREE_EDU();
	ASSERT_EQ(0, ctx_bind(self->fd, edu_bind_name(), 0, 0));
	ASSERT_EQ(0, ctx_info(self->fd, &info));
	EXPECT_EQ(MASK(32), info.dma_mask);
}

TEST_F(ctx, bind_no_claim)
{
	REQUIRE_FREE_EDU();
	EXPECT_EQ(-ENXIO, ctx_bind(self->fd, edu_bind_name(), 28,
				   DMASHIM_BIND_NO_CLAIM));
	EXPECT_STREQ("", pci_driver_of(edu_addr()));
	/* The failed bind left the context unbound. */
	EXPECT_EQ(0, ctx_bind(self->fd, edu_bind_name(), 28, 0));
}

/* A device the edu already has a claim on is not claimed twice. */
TEST_F(ctx, bind_no_claim_on_claimed)
{
	int fd2;

	REQUIRE_FREE_EDU();
	ASSERT_EQ(0, ctx_bind(self->fd, edu_bind_name(), 28, 0));
	fd2 = ctx_open();
	ASSERT_LE(0, fd2);
	EXPECT_EQ(0, ctx_bind(fd2, edu_bind_name(), 0,
			      DMASHIM_BIND_NO_CLAIM));
	close(fd2);
}

/*
 * dma-direct refuses a mask below the lowest memory zone; iommu-dma takes
 * any mask, as it can place IOVAs anywhere.
 */
TEST_F(ctx, bind_tiny_mask)
{
	int domain = expected_edu_domain();

	REQUIRE_FREE_EDU();
	if (domain < 0)
		SKIP(return, "DMASHIM_EXPECT_IOMMU not set (run under the bench)");
	if (domain == DMASHIM_IOMMU_DMA_STRICT ||
	    domain == DMASHIM_IOMMU_DMA_LAZY) {
		EXPECT_EQ(0, ctx_bind(self->fd, edu_bind_name(), 8, 0));
		return;
	}
	EXPECT_EQ(-EIO, ctx_bind(self->fd, edu_bind_name(), 8, 0));
	/* The failed claim was undone. */
	EXPECT_STREQ("", pci_driver_of(edu_addr()));
	EXPECT_EQ(0, ctx_bind(self->fd, edu_bind_name(), 28, 0));
}

/* Contexts share a device; the first one's mask holds. */
TEST_F(ctx, bind_shared_device)
{
	struct dmashim_info info;
	int fd2, fd3;

	REQUIRE_FREE_EDU();
	ASSERT_EQ(0, ctx_bind(self->fd, edu_bind_name(), 28, 0));
	fd2 = ctx_open();
	fd3 = ctx_open();
	ASSERT_LE(0, fd2);
	ASSERT_LE(0, fd3);
	EXPECT_EQ(-EBUSY, ctx_bind(fd2, edu_bind_name(), 32, 0));
	EXPECT_EQ(0, ctx_bind(fd2, edu_bind_name(), 0, 0));
	EXPECT_EQ(0, ctx_bind(fd3, edu_bind_name(), 28, 0));
	ASSERT_EQ(0, ctx_info(fd2, &info));
	EXPECT_EQ(MASK(28), info.dma_mask);
	EXPECT_TRUE(info.dev_flags & DMASHIM_DEV_CLAIMED);

	/* The claim lasts while any context holds the device. */
	close(self->fd);
	self->fd = ctx_open();
	EXPECT_STREQ("dmashim", pci_driver_of(edu_addr()));
	EXPECT_EQ(0, ctx_info(fd3, &info));
	close(fd3);
	EXPECT_STREQ("dmashim", pci_driver_of(edu_addr()));
	close(fd2);
	EXPECT_STREQ("", pci_driver_of(edu_addr()));
}

/* Once bound to a device, a context cannot move to another. */
TEST_F(ctx, bind_twice)
{
	REQUIRE_FREE_EDU();
	ASSERT_EQ(0, ctx_bind(self->fd, edu_bind_name(), 28, 0));
	EXPECT_EQ(-EBUSY, ctx_bind(self->fd, "default", 0, 0));
	EXPECT_EQ(-EBUSY, ctx_bind(self->fd, edu_bind_name(), 28, 0));
}

/*
 * Claiming a device is an administrator's act, and the privilege is the
 * context opener's: a context opened with CAP_SYS_ADMIN claims after the
 * capability is dropped, one opened without it does not.
 */
TEST_F(ctx, bind_claim_needs_cap_sys_admin)
{
	int fd;

	REQUIRE_FREE_EDU();
	ASSERT_EQ(0, drop_cap(CAP_SYS_ADMIN));
	fd = ctx_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EPERM, ctx_bind(fd, edu_bind_name(), 28, 0));
	EXPECT_STREQ("", pci_driver_of(edu_addr()));
	/* The default device needs no capability. */
	EXPECT_EQ(0, ctx_bind(fd, "default", 0, 0));
	close(fd);
	EXPECT_EQ(0, ctx_bind(self->fd, edu_bind_name(), 28, 0));
	EXPECT_STREQ("dmashim", pci_driver_of(edu_addr()));
}

/* PCI command register of @addr, from its config space; or -errno. */
static int pci_command(const char *addr)
{
	char path[PATH_MAX];
	unsigned char cfg[6];
	int fd, n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", addr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, cfg, sizeof(cfg), 0);
	close(fd);
	return n == sizeof(cfg) ? cfg[4] | cfg[5] << 8 : -EIO;
}

/*
 * The system's own devices are nobody's to use through dmashim, not even
 * root's: q35's host bridge and LPC bridge are refused, left without a
 * driver and with bus mastering as it was.
 */
TEST_F(ctx, bind_system_devices)
{
	static const char *const addrs[] = { "0000:00:00.0", "0000:00:1f.0" };
	char name[64], driver[64];
	unsigned int i;
	int cmd;

	for (i = 0; i < ARRAY_SIZE(addrs); i++) {
		cmd = pci_command(addrs[i]);
		ASSERT_LE(0, cmd) TH_LOG("%s: %s", addrs[i], strerror(-cmd));
		snprintf(driver, sizeof(driver), "%s",
			 pci_driver_of(addrs[i]));
		snprintf(name, sizeof(name), "pci:%s", addrs[i]);
		EXPECT_EQ(-EOPNOTSUPP, bind_new(name, 32)) TH_LOG("%s", name);
		EXPECT_STREQ(driver, pci_driver_of(addrs[i]));
		EXPECT_EQ(cmd, pci_command(addrs[i])) TH_LOG("%s", name);
	}
}

/* A device whose driver_override names another driver is left alone. */
TEST_F(ctx, bind_reserved_for_other_driver)
{
	char path[PATH_MAX];

	REQUIRE_FREE_EDU();
	snprintf(path, sizeof(path),
		 "/sys/bus/pci/devices/%s/driver_override", edu_addr());
	ASSERT_EQ(0, sysfs_write(path, "vfio-pci"));
	EXPECT_EQ(-EBUSY, ctx_bind(self->fd, edu_bind_name(), 28, 0));
	ASSERT_EQ(0, sysfs_write(path, "\n"));
	EXPECT_EQ(0, ctx_bind(self->fd, edu_bind_name(), 28, 0));
}

/* A device another driver owns is used with that driver's masks. */
TEST_F(ctx, bind_device_of_other_driver)
{
	struct dmashim_info info;
	unsigned int bits;
	int fd2;

	ASSERT_EQ(0, ctx_bind(self->fd, "platform:serial8250", 0, 0));
	ASSERT_EQ(0, ctx_info(self->fd, &info));
	EXPECT_STREQ("serial8250", info.name);
	EXPECT_STREQ("serial8250", info.driver);
	EXPECT_STREQ("platform", info.bus);
	EXPECT_FALSE(info.dev_flags & DMASHIM_DEV_CLAIMED);
	EXPECT_FALSE(info.dev_flags & DMASHIM_DEV_DEFAULT);

	for (bits = 1; bits < 64 && MASK(bits) != info.dma_mask; bits++)
		;
	ASSERT_EQ(MASK(bits), info.dma_mask);
	fd2 = ctx_open();
	ASSERT_LE(0, fd2);
	EXPECT_EQ(-EBUSY, ctx_bind(fd2, "platform:serial8250", bits - 1, 0));
	EXPECT_EQ(0, ctx_bind(fd2, "platform:serial8250", bits, 0));
	close(fd2);
	EXPECT_EQ(0, ctx_info(self->fd, &info));
	EXPECT_STREQ("serial8250", info.driver);
}

/* Many processes racing to bind the same free device all succeed. */
TEST(bind_race)
{
	enum { N = 8 };
	pid_t pids[N];
	int i, status;

	REQUIRE_FREE_EDU();
	for (i = 0; i < N; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			int fd = ctx_open(), ret;
			struct dmashim_info info;

			if (fd < 0)
				_exit(10);
			ret = ctx_bind(fd, edu_bind_name(), 28, 0);
			if (ret)
				_exit(20 + (-ret & 0xf));
			ret = ctx_info(fd, &info);
			_exit(ret ? 40 : 0);
		}
	}
	for (i = 0; i < N; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("child %d", i);
	}
	EXPECT_STREQ("", pci_driver_of(edu_addr()));
}

TEST_HARNESS_MAIN
