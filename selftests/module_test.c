// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim module lifetime and parameters: unloading is refused while a
 * context, a channel or a buffer is open, and default_dma_bits is
 * validated and honoured.
 *
 * The bench tells where the module is through DMASHIM_KO.  Every test
 * leaves the module loaded with its default parameters.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/dma-buf.h>

#include "kselftest_harness.h"
#include "helpers.h"

static int module_load(const char *params)
{
	return kmod_load(getenv("DMASHIM_KO"), params);
}

static int module_unload(void)
{
	return kmod_unload("dmashim");
}

/*
 * Unload once the last references are gone: a closed channel's go after
 * its fences' RCU grace period and a work item.  Up to 10 s.
 */
static int module_unload_settled(void)
{
	int ret, tries;

	for (tries = 0; tries < 100; tries++) {
		ret = module_unload();
		if (ret != -EWOULDBLOCK)
			break;
		usleep(100000);
	}
	return ret;
}

static int reload(const char *params)
{
	int ret = module_unload_settled();

	return ret ? ret : module_load(params);
}

FIXTURE(module) {
	int unused;
};

FIXTURE_SETUP(module)
{
	if (!getenv("DMASHIM_KO"))
		SKIP(return, "DMASHIM_KO not set (run under the bench)");
}

FIXTURE_TEARDOWN(module)
{
	if (access(DMASHIM_DEV_PATH, F_OK))
		ASSERT_EQ(0, module_load(""));
}

TEST_F(module, unload_refused_while_open)
{
	int fd = ctx_open();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EWOULDBLOCK, module_unload());
	EXPECT_EQ(0, access(DMASHIM_DEV_PATH, F_OK));
	close(fd);
	EXPECT_EQ(0, reload(""));
}

/* A channel holds the module, even once its context is closed. */
TEST_F(module, unload_refused_while_channel_open)
{
	char name[DMASHIM_CHAN_NAME_LEN];
	int fd = ctx_open(), ch;

	ASSERT_LE(0, fd);
	if (chan_find(CPU_DMA_DRIVER, 0, name, sizeof(name)))
		SKIP(close(fd); return, "no %s channel", CPU_DMA_DRIVER);
	ch = chan_open(fd, name, 0, O_CLOEXEC);
	ASSERT_LE(0, ch);
	close(fd);
	EXPECT_EQ(-EWOULDBLOCK, module_unload());
	close(ch);
	EXPECT_EQ(0, reload(""));
}

/*
 * A buffer outlives the context and channel that made and filled it: it
 * holds the module, its data and CPU access work, and once it is closed
 * the module goes.
 */
TEST_F(module, unload_refused_while_buffer_lives)
{
	char name[DMASHIM_CHAN_NAME_LEN];
	struct dmashim_record rec;
	struct buffer src, dst;
	struct dmashim_xfer x;
	int fd = ctx_open(), ch;

	ASSERT_LE(0, fd);
	if (chan_find(CPU_DMA_DRIVER, 0, name, sizeof(name)))
		SKIP(close(fd); return, "no %s channel", CPU_DMA_DRIVER);
	ch = chan_open(fd, name, 0, O_CLOEXEC);
	ASSERT_LE(0, ch);
	ASSERT_EQ(0, buffer_get(fd, DMASHIM_BUF_PAGES, 65536, &src));
	ASSERT_EQ(0, buffer_get(fd, DMASHIM_BUF_PAGES, 65536, &dst));
	pattern_fill(src.cpu, 65536, 0, 5);
	x = xfer_memcpy(dst.fd, 0, src.fd, 0, 65536);
	ASSERT_EQ(0, chan_submit(ch, &x, 1, NULL));
	ASSERT_EQ(0, chan_wait_final(ch, x.cookie, &rec));
	EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec.status);
	buffer_put(&src);
	close(ch);
	close(fd);

	EXPECT_EQ(-EWOULDBLOCK, module_unload_settled());
	EXPECT_EQ(0, dmabuf_sync(dst.fd, DMA_BUF_SYNC_START |
					 DMA_BUF_SYNC_READ));
	EXPECT_PATTERN(dst.cpu, 65536, 0, 5);
	EXPECT_EQ(0, dmabuf_sync(dst.fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ));
	buffer_put(&dst);
	EXPECT_EQ(0, reload(""));
}

TEST_F(module, unload_refused_while_claimed)
{
	int fd = ctx_open();

	ASSERT_LE(0, fd);
	if (!edu_addr() || pci_driver_of(edu_addr())[0])
		SKIP(close(fd); return, "no free edu device");
	ASSERT_EQ(0, ctx_bind(fd, edu_bind_name(), 28, 0));
	EXPECT_EQ(-EWOULDBLOCK, module_unload());
	close(fd);
	EXPECT_STREQ("", pci_driver_of(edu_addr()));
	EXPECT_EQ(0, reload(""));
}

TEST_F(module, default_dma_bits)
{
	struct dmashim_info info;
	int fd;

	ASSERT_EQ(0, reload("default_dma_bits=32"));
	fd = ctx_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ctx_info(fd, &info));
	EXPECT_EQ(0xffffffffULL, info.dma_mask);
	EXPECT_EQ(0xffffffffULL, info.coherent_dma_mask);
	close(fd);
	ASSERT_EQ(0, reload(""));
	fd = ctx_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ctx_info(fd, &info));
	EXPECT_EQ(UINT64_MAX, info.dma_mask);
	close(fd);
}

TEST_F(module, default_dma_bits_invalid)
{
	static const char *const bad[] = {
		"default_dma_bits=0", "default_dma_bits=65",
		"default_dma_bits=-1", "default_dma_bits=abc",
	};
	size_t i;

	ASSERT_EQ(0, module_unload());
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, module_load(bad[i])) TH_LOG("%s", bad[i]);
		EXPECT_NE(0, access(DMASHIM_DEV_PATH, F_OK));
	}
	/* Below the lowest DMA zone: dma-direct refuses it. */
	EXPECT_EQ(-EIO, module_load("default_dma_bits=8"));
	EXPECT_NE(0, access(DMASHIM_DEV_PATH, F_OK));
	/* The failed loads left nothing behind: a good load works. */
	EXPECT_EQ(0, module_load(""));
}

TEST_HARNESS_MAIN
