// SPDX-License-Identifier: GPL-2.0
/*
 * libdmashim: contexts, binding and info through the library, with its
 * errors returned as negative errno values.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "helpers.h"
#include "libdmashim.h"

TEST(open_info_close)
{
	struct dmashim_ctx *ctx = NULL;
	struct dmashim_info info;

	ASSERT_EQ(0, dmashim_open(&ctx));
	ASSERT_NE(NULL, ctx);
	EXPECT_LE(0, dmashim_fd(ctx));
	ASSERT_EQ(0, dmashim_info(ctx, &info));
	EXPECT_STREQ("dmashim", info.name);
	EXPECT_TRUE(info.dev_flags & DMASHIM_DEV_DEFAULT);
	dmashim_close(ctx);
	dmashim_close(NULL);
}

TEST(open_missing_device)
{
	struct dmashim_ctx *ctx = NULL;
	struct dmashim_info info;

	ASSERT_EQ(0, setenv("DMASHIM_DEVICE", "/dev/no-such-dmashim", 1));
	EXPECT_EQ(-ENOENT, dmashim_open(&ctx));
	EXPECT_EQ(NULL, ctx);
	ASSERT_EQ(0, setenv("DMASHIM_DEVICE", "/dev/null", 1));
	ASSERT_EQ(0, dmashim_open(&ctx));
	/* Not a dmashim device: its ioctls are not ours. */
	EXPECT_EQ(-ENOTTY, dmashim_info(ctx, &info));
	dmashim_close(ctx);
}

TEST(bind_errors)
{
	struct dmashim_ctx *ctx;
	char name[DMASHIM_NAME_LEN + 8];

	ASSERT_EQ(0, dmashim_open(&ctx));
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	EXPECT_EQ(-ENAMETOOLONG, dmashim_bind(ctx, name, 0, 0));
	name[DMASHIM_NAME_LEN - 1] = '\0';
	EXPECT_EQ(-EINVAL, dmashim_bind(ctx, name, 0, 0));
	EXPECT_EQ(-ENODEV, dmashim_bind(ctx, "pci:0000:ff:00.0", 0, 0));
	EXPECT_EQ(-EINVAL, dmashim_bind(ctx, "default", 0, 0x80));
	EXPECT_EQ(0, dmashim_bind(ctx, "default", 0, 0));
	EXPECT_EQ(-EBUSY, dmashim_bind(ctx, "default", 0, 0));
	dmashim_close(ctx);
}

TEST(bind_edu)
{
	struct dmashim_ctx *ctx;
	struct dmashim_info info;

	if (!edu_addr())
		SKIP(return, "no edu device (run under the QEMU bench)");
	ASSERT_EQ(0, dmashim_open(&ctx));
	ASSERT_EQ(0, dmashim_bind(ctx, edu_bind_name(), 28, 0));
	ASSERT_EQ(0, dmashim_info(ctx, &info));
	EXPECT_STREQ(edu_addr(), info.name);
	EXPECT_EQ(0x0fffffffULL, info.dma_mask);
	dmashim_close(ctx);
}

TEST(domain_names)
{
	EXPECT_STREQ("none", dmashim_iommu_domain_name(DMASHIM_IOMMU_NONE));
	EXPECT_STREQ("identity",
		     dmashim_iommu_domain_name(DMASHIM_IOMMU_IDENTITY));
	EXPECT_STREQ("dma-strict",
		     dmashim_iommu_domain_name(DMASHIM_IOMMU_DMA_STRICT));
	EXPECT_STREQ("dma-lazy",
		     dmashim_iommu_domain_name(DMASHIM_IOMMU_DMA_LAZY));
	EXPECT_STREQ("blocked",
		     dmashim_iommu_domain_name(DMASHIM_IOMMU_BLOCKED));
	EXPECT_STREQ("other", dmashim_iommu_domain_name(DMASHIM_IOMMU_OTHER));
	EXPECT_STREQ("unknown", dmashim_iommu_domain_name(6));
	EXPECT_STREQ("unknown", dmashim_iommu_domain_name(~0U));
}

TEST_HARNESS_MAIN
