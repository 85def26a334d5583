// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim's report of the IOMMU: for the edu device it must match how the
 * bench configuration set the machine up (no vIOMMU, swiotlb, or intel,
 * amd or virtio vIOMMU in strict or lazy mode) and what sysfs says.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

FIXTURE(edu) {
	int fd;
	struct dmashim_info info;
};

FIXTURE_SETUP(edu)
{
	if (!edu_addr())
		SKIP(return, "no edu device (run under the QEMU bench)");
	self->fd = ctx_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ctx_bind(self->fd, edu_bind_name(), 28, 0));
	ASSERT_EQ(0, ctx_info(self->fd, &self->info));
}

FIXTURE_TEARDOWN(edu)
{
	if (self->fd > 0)
		close(self->fd);
}

TEST_F(edu, domain_matches_configuration)
{
	int want = expected_edu_domain();
	bool translated;

	if (want < 0)
		SKIP(return, "DMASHIM_EXPECT_IOMMU not set (run under the bench)");
	EXPECT_EQ(want, self->info.iommu_domain)
		TH_LOG("domain %s", getenv("DMASHIM_EXPECT_IOMMU"));
	translated = want == DMASHIM_IOMMU_DMA_STRICT ||
		     want == DMASHIM_IOMMU_DMA_LAZY;
	EXPECT_EQ(translated, !!(self->info.dev_flags & DMASHIM_DEV_IOMMU));
}

/* The group dmashim reports is the one sysfs links to. */
TEST_F(edu, group_matches_sysfs)
{
	char link[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/iommu_group",
		 edu_addr());
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0) {
		EXPECT_EQ(-1, self->info.iommu_group);
		return;
	}
	target[n] = '\0';
	EXPECT_EQ(atoi(strrchr(target, '/') + 1), self->info.iommu_group);
}

/* The domain type sysfs shows agrees with dmashim's. */
TEST_F(edu, domain_matches_sysfs)
{
	static const char *const sysfs_names[] = {
		[DMASHIM_IOMMU_IDENTITY] = "identity",
		[DMASHIM_IOMMU_DMA_STRICT] = "DMA",
		[DMASHIM_IOMMU_DMA_LAZY] = "DMA-FQ",
		[DMASHIM_IOMMU_BLOCKED] = "blocked",
	};
	char path[PATH_MAX], type[32] = "";
	FILE *f;

	if (self->info.iommu_group < 0) {
		EXPECT_EQ(DMASHIM_IOMMU_NONE, self->info.iommu_domain);
		return;
	}
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/type",
		 self->info.iommu_group);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(type, sizeof(type), f));
	fclose(f);
	type[strcspn(type, "\n")] = '\0';
	ASSERT_LT(self->info.iommu_domain, 5);
	ASSERT_NE(NULL, sysfs_names[self->info.iommu_domain]);
	EXPECT_STREQ(sysfs_names[self->info.iommu_domain], type);
}

TEST_F(edu, aperture_and_page_sizes)
{
	if (!(self->info.dev_flags & DMASHIM_DEV_IOMMU)) {
		EXPECT_EQ(0, self->info.iova_start);
		EXPECT_EQ(0, self->info.iova_end);
		EXPECT_EQ(0, self->info.iommu_pgsize_bitmap);
		return;
	}
	EXPECT_LT(self->info.iova_start, self->info.iova_end);
	/* Big enough for the device's 28-bit mask. */
	EXPECT_LE(self->info.iova_start, 0);
	EXPECT_GE(self->info.iova_end, 0x0fffffffULL);
	/* Every IOMMU here maps 4 KiB pages. */
	EXPECT_TRUE(self->info.iommu_pgsize_bitmap & 4096);
	EXPECT_EQ(0, self->info.iommu_pgsize_bitmap & 4095);
}

TEST_HARNESS_MAIN
