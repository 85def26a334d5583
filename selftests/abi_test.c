// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim ABI: ioctl numbers, struct sizes, flags, reserved fields and
 * bad pointers are rejected the way the uAPI header documents.
 */

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

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

TEST_F(ctx, foreign_ioctl_type)
{
	struct dmashim_info info = { .size = sizeof(info) };

	EXPECT_EQ(-ENOTTY, ioctl_errno(self->fd, _IO('x', DMASHIM_CMD_INFO),
				       &info));
	EXPECT_EQ(-ENOTTY, ioctl_errno(self->fd, TCGETS, &info));
}

TEST_F(ctx, unknown_command)
{
	struct dmashim_info info = { .size = sizeof(info) };

	EXPECT_EQ(-ENOTTY, ioctl_errno(self->fd, _IO(DMASHIM_TYPE, 0x7f),
				       &info));
	EXPECT_EQ(-ENOTTY, ioctl_errno(self->fd, _IO(DMASHIM_TYPE, 0xff),
				       &info));
}

/* The size lives in the struct; a number that encodes one is not ours. */
TEST_F(ctx, size_encoded_in_number)
{
	struct dmashim_info info = { .size = sizeof(info) };

	EXPECT_EQ(-ENOTTY,
		  ioctl_errno(self->fd, _IOWR(DMASHIM_TYPE, DMASHIM_CMD_INFO,
					      struct dmashim_info), &info));
	EXPECT_EQ(0, ioctl_errno(self->fd, DMASHIM_IOCTL_INFO, &info));
}

TEST_F(ctx, info_unknown_flags)
{
	struct dmashim_info info = { .size = sizeof(info) };
	unsigned int bit;

	for (bit = 0; bit < 32; bit++) {
		info.flags = 1U << bit;
		EXPECT_EQ(-EINVAL, ioctl_errno(self->fd, DMASHIM_IOCTL_INFO,
					       &info));
	}
}

TEST_F(ctx, bind_unknown_flags)
{
	struct dmashim_bind bind = { .size = sizeof(bind),
				     .device = "default" };
	unsigned int bit;

	for (bit = 1; bit < 32; bit++) {
		bind.flags = 1U << bit;
		EXPECT_EQ(-EINVAL, ioctl_errno(self->fd, DMASHIM_IOCTL_BIND,
					       &bind));
	}
}

TEST_F(ctx, bind_reserved_field)
{
	struct dmashim_bind bind = { .size = sizeof(bind), .__reserved = 1,
				     .device = "default" };

	EXPECT_EQ(-EINVAL, ioctl_errno(self->fd, DMASHIM_IOCTL_BIND, &bind));
}

TEST_F(ctx, bind_dma_bits_out_of_range)
{
	struct dmashim_bind bind = { .size = sizeof(bind), .dma_bits = 65,
				     .device = "default" };

	EXPECT_EQ(-EINVAL, ioctl_errno(self->fd, DMASHIM_IOCTL_BIND, &bind));
	bind.dma_bits = ~0U;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->fd, DMASHIM_IOCTL_BIND, &bind));
}

TEST_F(ctx, bind_name_not_terminated)
{
	struct dmashim_bind bind = { .size = sizeof(bind) };

	memset(bind.device, 'a', sizeof(bind.device));
	EXPECT_EQ(-EINVAL, ioctl_errno(self->fd, DMASHIM_IOCTL_BIND, &bind));
}

TEST_F(ctx, short_sizes)
{
	struct dmashim_info info;
	struct dmashim_bind bind;
	unsigned int sizes[] = { 0, 4, 8,
				 offsetof(struct dmashim_info, driver),
				 sizeof(info) - 1 };
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(&info, 0, sizeof(info));
		info.size = sizes[i];
		EXPECT_EQ(-EINVAL, ioctl_errno(self->fd, DMASHIM_IOCTL_INFO,
					       &info));
	}
	memset(&bind, 0, sizeof(bind));
	bind.size = sizeof(bind) - 1;
	strcpy(bind.device, "default");
	EXPECT_EQ(-EINVAL, ioctl_errno(self->fd, DMASHIM_IOCTL_BIND, &bind));
}

/* A newer caller's bigger struct works if the fields we don't know are 0. */
TEST_F(ctx, long_size_zero_tail)
{
	unsigned char buf[sizeof(struct dmashim_info) + 64];
	struct dmashim_info *info = (struct dmashim_info *)buf;
	size_t i;

	memset(buf, 0, sizeof(buf));
	info->size = sizeof(buf);
	ASSERT_EQ(0, ioctl_errno(self->fd, DMASHIM_IOCTL_INFO, buf));
	EXPECT_EQ(DMASHIM_ABI_VERSION, info->abi_version);
	EXPECT_STREQ("dmashim", info->name);
	/* Nothing is written beyond the kernel's struct. */
	for (i = sizeof(*info); i < sizeof(buf); i++)
		ASSERT_EQ(0, buf[i]);
}

TEST_F(ctx, long_size_nonzero_tail)
{
	unsigned char buf[sizeof(struct dmashim_info) + 64];
	struct dmashim_info *info = (struct dmashim_info *)buf;

	memset(buf, 0, sizeof(buf));
	info->size = sizeof(buf);
	buf[sizeof(buf) - 1] = 1;
	EXPECT_EQ(-E2BIG, ioctl_errno(self->fd, DMASHIM_IOCTL_INFO, buf));
	buf[sizeof(buf) - 1] = 0;
	buf[sizeof(*info)] = 0x80;
	EXPECT_EQ(-E2BIG, ioctl_errno(self->fd, DMASHIM_IOCTL_INFO, buf));
}

TEST_F(ctx, size_above_page)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *buf = calloc(1, 2 * page);
	struct dmashim_info *info = (struct dmashim_info *)buf;

	ASSERT_NE(NULL, buf);
	info->size = page + 1;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->fd, DMASHIM_IOCTL_INFO, buf));
	info->size = ~0U;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->fd, DMASHIM_IOCTL_INFO, buf));
	info->size = page;
	EXPECT_EQ(0, ioctl_errno(self->fd, DMASHIM_IOCTL_INFO, buf));
	free(buf);
}

TEST_F(ctx, bad_pointers)
{
	EXPECT_EQ(-EFAULT, ioctl_errno(self->fd, DMASHIM_IOCTL_INFO, NULL));
	EXPECT_EQ(-EFAULT, ioctl_errno(self->fd, DMASHIM_IOCTL_BIND, NULL));
	EXPECT_EQ(-EFAULT, ioctl_errno(self->fd, DMASHIM_IOCTL_INFO,
				       (void *)16));
}

/* A struct that runs into an unmapped page faults, never half-works. */
TEST_F(ctx, struct_across_unmapped_page)
{
	long page = sysconf(_SC_PAGESIZE);
	struct dmashim_info *info;
	char *map;

	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + page, page));
	info = (struct dmashim_info *)(map + page - 16);
	memset(info, 0, 16);
	info->size = sizeof(*info);
	EXPECT_EQ(-EFAULT, ioctl_errno(self->fd, DMASHIM_IOCTL_INFO, info));
	munmap(map, page);
}

/* Read-only memory: the command runs, the result cannot be written back. */
TEST_F(ctx, read_only_struct)
{
	long page = sysconf(_SC_PAGESIZE);
	struct dmashim_info *info;

	info = mmap(NULL, page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, info);
	info->size = sizeof(*info);
	ASSERT_EQ(0, mprotect(info, page, PROT_READ));
	EXPECT_EQ(-EFAULT, ioctl_errno(self->fd, DMASHIM_IOCTL_INFO, info));
	munmap(info, page);
}

/* The structs of buffers, mappings and the pool follow the same rules. */
TEST_F(ctx, sizes_of_every_struct)
{
	static const struct {
		unsigned long request;
		unsigned int size;
		const char *name;
	} ioctls[] = {
		{ DMASHIM_IOCTL_ALLOC, sizeof(struct dmashim_alloc), "alloc" },
		{ DMASHIM_IOCTL_PIN, sizeof(struct dmashim_pin), "pin" },
		{ DMASHIM_IOCTL_MAP, sizeof(struct dmashim_map), "map" },
		{ DMASHIM_IOCTL_UNMAP, sizeof(struct dmashim_unmap), "unmap" },
		{ DMASHIM_IOCTL_SEGMENTS, sizeof(struct dmashim_segments),
		  "segments" },
		{ DMASHIM_IOCTL_SYNC, sizeof(struct dmashim_sync), "sync" },
		{ DMASHIM_IOCTL_STATS, sizeof(struct dmashim_stats), "stats" },
	};
	long page = sysconf(_SC_PAGESIZE);
	__u32 *buf = calloc(1, 2 * page);
	size_t i;

	ASSERT_NE(NULL, buf);
	for (i = 0; i < ARRAY_SIZE(ioctls); i++) {
		unsigned long request = ioctls[i].request;
		unsigned int sizes[] = { 0, 8, ioctls[i].size - 1, page + 1 };
		size_t j;

		for (j = 0; j < ARRAY_SIZE(sizes); j++) {
			memset(buf, 0, 2 * page);
			buf[0] = sizes[j];
			EXPECT_EQ(-EINVAL, ioctl_errno(self->fd, request, buf))
				TH_LOG("%s, size %u", ioctls[i].name, sizes[j]);
		}
		/* A field this kernel does not know. */
		memset(buf, 0, 2 * page);
		buf[0] = ioctls[i].size + 8;
		((unsigned char *)buf)[ioctls[i].size + 7] = 1;
		EXPECT_EQ(-E2BIG, ioctl_errno(self->fd, request, buf))
			TH_LOG("%s", ioctls[i].name);
	}
	free(buf);
}

/* A longer struct with a zero tail works; nothing is written past ours. */
TEST_F(ctx, stats_long_size_zero_tail)
{
	unsigned char buf[sizeof(struct dmashim_stats) + 64];
	struct dmashim_stats *st = (struct dmashim_stats *)buf;
	size_t i;

	memset(buf, 0, sizeof(buf));
	st->size = sizeof(buf);
	ASSERT_EQ(0, ioctl_errno(self->fd, DMASHIM_IOCTL_STATS, buf));
	EXPECT_LT(0, st->pool_bytes);
	for (i = sizeof(*st); i < sizeof(buf); i++)
		ASSERT_EQ(0, buf[i]);
}

TEST_HARNESS_MAIN
