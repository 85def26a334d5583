// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim contexts: opening and closing /dev/dmashim, many at once, across
 * fork(), and what the default device reports.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

TEST(open_close)
{
	int fd = ctx_open();

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, close(fd));
}

TEST(info_default_device)
{
	struct dmashim_info info;
	int fd = ctx_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ctx_info(fd, &info));
	EXPECT_EQ(sizeof(info), info.size);
	EXPECT_EQ(0, info.flags);
	EXPECT_EQ(DMASHIM_FEATURES_1_0, info.features);
	EXPECT_EQ(0, info.__reserved);
	EXPECT_STREQ("dmashim", info.name);
	EXPECT_STREQ("platform", info.bus);
	EXPECT_STREQ("dmashim", info.driver);
	EXPECT_TRUE(info.dev_flags & DMASHIM_DEV_DEFAULT);
	EXPECT_FALSE(info.dev_flags & DMASHIM_DEV_CLAIMED);
	/* A platform device: no IOMMU translates it on x86. */
	EXPECT_FALSE(info.dev_flags & DMASHIM_DEV_IOMMU);
	EXPECT_EQ(DMASHIM_IOMMU_NONE, info.iommu_domain);
	EXPECT_EQ(-1, info.iommu_group);
	EXPECT_EQ(0, info.iova_start);
	EXPECT_EQ(0, info.iova_end);
	EXPECT_EQ(0, info.iommu_pgsize_bitmap);
	/* x86 DMA is cache-coherent. */
	EXPECT_TRUE(info.dev_flags & DMASHIM_DEV_COHERENT);
	/* default_dma_bits defaults to 64. */
	EXPECT_EQ(UINT64_MAX, info.dma_mask);
	EXPECT_EQ(UINT64_MAX, info.coherent_dma_mask);
	EXPECT_NE(0, info.required_mask);
	EXPECT_NE(0, info.max_mapping_size);
	EXPECT_NE(0, info.opt_mapping_size);
	EXPECT_NE(0, info.max_seg_size);
	EXPECT_NE(0, info.seg_boundary_mask);
	close(fd);
}

/* Many contexts at once, closed out of order. */
TEST(many_opens)
{
	enum { N = 1000 };
	struct rlimit rl = { N + 64, N + 64 };
	struct dmashim_info info;
	static int fds[N];
	int i;

	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	for (i = 0; i < N; i++) {
		fds[i] = ctx_open();
		ASSERT_LE(0, fds[i]) TH_LOG("open #%d: %s", i,
					    strerror(-fds[i]));
	}
	for (i = 0; i < N; i += 7)
		ASSERT_EQ(0, ctx_info(fds[i], &info));
	for (i = 1; i < N; i += 2)
		ASSERT_EQ(0, close(fds[i]));
	for (i = N - 2; i >= 0; i -= 2) {
		ASSERT_EQ(0, ctx_info(fds[i], &info));
		ASSERT_EQ(0, close(fds[i]));
	}
}

/* A context shared across fork() stays usable by both sides. */
TEST(fork_shares_context)
{
	struct dmashim_info info;
	int fd = ctx_open(), status;
	pid_t pid;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ctx_bind(fd, "default", 0, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (ctx_info(fd, &info) || strcmp(info.name, "dmashim"))
			_exit(1);
		/* The child's bind fails: the context is already bound. */
		_exit(ctx_bind(fd, "default", 0, 0) == -EBUSY ? 0 : 2);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(fd);
	/* The child's copy is gone; the parent's close released it all. */
	fd = ctx_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, ctx_info(fd, &info));
	close(fd);
}

TEST_HARNESS_MAIN
