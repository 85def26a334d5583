// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own dmaengine test, dmatest, on a channel of each of
 * dmashim's providers: memcpys of random lengths at random offsets,
 * checked by dmatest, which says "summary N tests, F failures" in the
 * kernel log.  While dmatest holds the channel, dmashim cannot take it;
 * once dmatest is unloaded, it can.
 *
 * dmatest is a module of the debug kernel, which the bench ships in the
 * guest's /lib/modules/RELEASE/ for this test to load; where it is not
 * there, the test skips.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define DMATEST_WAIT "/sys/module/dmatest/parameters/wait"

FIXTURE(dmatest) {
	char ko[128];
	char name[DMASHIM_CHAN_NAME_LEN];
	int kmsg;
};

/* edu is slow: a few tests of at most a step. */
FIXTURE_VARIANT(dmatest) {
	const char *driver;
	unsigned int iterations;
	unsigned int buf_size;
};

FIXTURE_VARIANT_ADD(dmatest, edu) {
	.driver = EDU_DMA_DRIVER,
	.iterations = 5,
	.buf_size = EDU_STEP,
};

FIXTURE_VARIANT_ADD(dmatest, cpu) {
	.driver = CPU_DMA_DRIVER,
	.iterations = 50,
	.buf_size = 16384,
};

FIXTURE_SETUP(dmatest)
{
	struct utsname u;

	self->kmsg = -1;
	ASSERT_EQ(0, uname(&u));
	snprintf(self->ko, sizeof(self->ko), "/lib/modules/%s/dmatest.ko",
		 u.release);
	if (access(self->ko, R_OK))
		SKIP(return, "no %s: the bench ships dmatest with the debug kernel only",
		     self->ko);
	REQUIRE_CHANNEL(variant->driver, self->name);
	self->kmsg = kmsg_open();
	ASSERT_LE(0, self->kmsg);
}

FIXTURE_TEARDOWN(dmatest)
{
	kmod_unload("dmatest");
	close(self->kmsg);
}

TEST_F_TIMEOUT(dmatest, passes, 300)
{
	char params[256], line[1024], want[128], val[8];
	unsigned int tests = ~0U, failures = ~0U;
	const char *summary;
	int ctx, fd, ch;

	ctx = ctx_open();
	ASSERT_LE(0, ctx);
	snprintf(params, sizeof(params),
		 "channel=%s iterations=%u test_buf_size=%u timeout=30000 run=1",
		 self->name, variant->iterations, variant->buf_size);
	ASSERT_EQ(0, kmod_load(self->ko, params)) TH_LOG("insmod %s %s",
							 self->ko, params);
	/* dmatest's now: dmashim cannot take it. */
	EXPECT_EQ(-ENODEV, chan_open(ctx, self->name, 0, O_CLOEXEC));

	/* Reading "wait" returns once the tests are over. */
	fd = open(DMATEST_WAIT, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, val, sizeof(val)));
	close(fd);

	snprintf(want, sizeof(want), "%s-copy0: summary ", self->name);
	ASSERT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line)))
		TH_LOG("no \"%s\" from dmatest in the kernel log", want);
	summary = strstr(line, want) + strlen(want);
	ASSERT_EQ(2, sscanf(summary, "%u tests, %u failures", &tests,
			    &failures)) TH_LOG("%s", line);
	EXPECT_EQ(variant->iterations, tests) TH_LOG("%s", line);
	EXPECT_EQ(0, failures) TH_LOG("%s", line);

	/* Unloaded, dmatest gives the channel back. */
	ASSERT_EQ(0, kmod_unload("dmatest"));
	ch = chan_open(ctx, self->name, 0, O_CLOEXEC);
	EXPECT_LE(0, ch);
	close(ch);
	close(ctx);
}

TEST_HARNESS_MAIN
