// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim ABI: the header keeps the 1.0 layout (abi_1_0.h, at compile
 * time); ioctl numbers, struct sizes, flags, reserved fields and bad
 * pointers are rejected the way the uAPI header documents.  Built a
 * second time for i386 (abi_i386_test), it runs through the kernel's
 * compat path.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define ABI_STRUCT(s, size)						\
	_Static_assert(sizeof(struct s) >= (size), #s " shrank")
#define ABI_MEMBER(s, m, off, size)					\
	_Static_assert(offsetof(struct s, m) == (off) &&		\
		       sizeof(((struct s *)0)->m) == (size),		\
		       #s "." #m " moved")
#define ABI_CONST(name, value)						\
	_Static_assert((name) == (value), #name " changed")
#include "abi_1_0.h"

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
	EXPECT_EQ(DMASHIM_FEATURES_1_0, info->features);
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

/* The module says which uAPI it is: 1.0, as MODULE_VERSION. */
TEST(module_version)
{
	char buf[16] = "";
	int fd = open("/sys/module/dmashim/version", O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	EXPECT_LT(0, read(fd, buf, sizeof(buf) - 1));
	close(fd);
	EXPECT_STREQ("1.0\n", buf);
}

/* The largest size is the same fixed constant on every architecture. */
TEST_F(ctx, size_above_largest)
{
	unsigned char *buf = calloc(1, 2 * DMASHIM_STRUCT_SIZE_MAX);
	struct dmashim_info *info = (struct dmashim_info *)buf;

	ASSERT_NE(NULL, buf);
	EXPECT_EQ(4096, DMASHIM_STRUCT_SIZE_MAX);
	info->size = DMASHIM_STRUCT_SIZE_MAX + 1;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->fd, DMASHIM_IOCTL_INFO, buf));
	info->size = ~0U;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->fd, DMASHIM_IOCTL_INFO, buf));
	info->size = DMASHIM_STRUCT_SIZE_MAX;
	EXPECT_EQ(0, ioctl_errno(self->fd, DMASHIM_IOCTL_INFO, buf));
	free(buf);
}

/*
 * Feature discovery: every feature of ABI 1.0 is there, and no bit this
 * header does not name.
 */
TEST_F(ctx, features)
{
	struct dmashim_info info = { .size = sizeof(info) };

	ASSERT_EQ(0, ioctl_errno(self->fd, DMASHIM_IOCTL_INFO, &info));
	EXPECT_EQ(DMASHIM_FEATURES_1_0, info.features);
	EXPECT_EQ((DMASHIM_FEAT_IMPLICIT_SYNC << 1) - 1, DMASHIM_FEATURES_1_0);
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

/* Open file descriptors of this process. */
static int open_fds(void)
{
	struct dirent *d;
	DIR *dir;
	int n = 0;

	dir = opendir("/proc/self/fd");
	if (!dir)
		return -errno;
	while ((d = readdir(dir)))
		n += d->d_name[0] != '.';
	closedir(dir);
	return n - 1;	/* the directory's own */
}

/*
 * @arg, @len bytes, copied into a page of its own made read-only: the
 * command's file descriptor cannot be written back.  The call must fail
 * with EFAULT and leave no descriptor behind.
 */
static int fd_after_efault(int fd, unsigned long request, const void *arg,
			   size_t len, int *leaked)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p;
	int before, ret;

	p = mmap(NULL, page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	memcpy(p, arg, len);
	mprotect(p, page, PROT_READ);
	before = open_fds();
	ret = ioctl_errno(fd, request, p);
	*leaked = open_fds() - before;
	munmap(p, page);
	return ret;
}

/* A new file is installed only once its number reached the caller. */
TEST_F(ctx, no_fd_without_copy_out)
{
	char name[DMASHIM_CHAN_NAME_LEN];
	struct dmashim_alloc alloc = {
		.size = sizeof(alloc), .length = 4096,
		.kind = DMASHIM_BUF_PAGES, .fd_flags = O_RDWR | O_CLOEXEC,
	};
	struct dmashim_pin pin = {
		.size = sizeof(pin), .length = 4096,
		.fd_flags = O_RDWR | O_CLOEXEC,
	};
	struct dmashim_chan_open open = {
		.size = sizeof(open), .fd_flags = O_CLOEXEC,
		.record_size = sizeof(struct dmashim_record),
	};
	struct dmashim_chan_submit sub = {
		.size = sizeof(sub), .flags = DMASHIM_SUBMIT_FENCE_OUT,
		.count = 1, .xfer_size = sizeof(struct dmashim_xfer),
	};
	struct dmashim_record rec;
	struct dmashim_xfer *x;
	struct buffer a, b;
	int leaked, ch;
	void *mem;

	EXPECT_EQ(-EFAULT, fd_after_efault(self->fd, DMASHIM_IOCTL_ALLOC,
					   &alloc, sizeof(alloc), &leaked));
	EXPECT_EQ(0, leaked) TH_LOG("ALLOC left a dma-buf fd open");

	mem = aligned_alloc(4096, 4096);
	ASSERT_NE(NULL, mem);
	memset(mem, 1, 4096);
	pin.addr = (uintptr_t)mem;
	EXPECT_EQ(-EFAULT, fd_after_efault(self->fd, DMASHIM_IOCTL_PIN, &pin,
					   sizeof(pin), &leaked));
	EXPECT_EQ(0, leaked) TH_LOG("PIN left a dma-buf fd open");
	free(mem);

	REQUIRE_CHANNEL(CPU_DMA_DRIVER, name);
	strcpy(open.name, name);
	EXPECT_EQ(-EFAULT, fd_after_efault(self->fd, DMASHIM_IOCTL_CHAN_OPEN,
					   &open, sizeof(open), &leaked));
	EXPECT_EQ(0, leaked) TH_LOG("CHAN_OPEN left a channel fd open");
	/* The channel is free. */
	ch = chan_open(self->fd, name, 0, O_CLOEXEC);
	ASSERT_LE(0, ch);

	ASSERT_EQ(0, buffer_get(self->fd, DMASHIM_BUF_PAGES, 4096, &a));
	ASSERT_EQ(0, buffer_get(self->fd, DMASHIM_BUF_PAGES, 4096, &b));
	x = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, x);
	*x = xfer_memcpy(b.fd, 0, a.fd, 0, 4096);
	sub.xfers = (uintptr_t)x;
	EXPECT_EQ(-EFAULT, fd_after_efault(ch, DMASHIM_IOCTL_CHAN_SUBMIT,
					   &sub, sizeof(sub), &leaked));
	EXPECT_EQ(0, leaked) TH_LOG("CHAN_SUBMIT left a sync_file fd open");
	/* Refused before it ran: nothing was submitted. */
	EXPECT_EQ(-ETIME, chan_record(ch, &rec, 500));
	munmap(x, 4096);
	buffer_put(&a);
	buffer_put(&b);
	close(ch);
}

/* The structs of buffers, mappings and the pool follow the same rules. */
TEST_F(ctx, sizes_of_every_struct)
{
	/* The first version's size: smaller is refused, larger accepted. */
	static const struct {
		unsigned long request;
		unsigned int size, first;
		const char *name;
	} ioctls[] = {
		{ DMASHIM_IOCTL_ALLOC, sizeof(struct dmashim_alloc),
		  sizeof(struct dmashim_alloc), "alloc" },
		{ DMASHIM_IOCTL_PIN, sizeof(struct dmashim_pin),
		  sizeof(struct dmashim_pin), "pin" },
		{ DMASHIM_IOCTL_MAP, sizeof(struct dmashim_map),
		  sizeof(struct dmashim_map), "map" },
		{ DMASHIM_IOCTL_UNMAP, sizeof(struct dmashim_unmap),
		  sizeof(struct dmashim_unmap), "unmap" },
		{ DMASHIM_IOCTL_SEGMENTS, sizeof(struct dmashim_segments),
		  sizeof(struct dmashim_segments), "segments" },
		{ DMASHIM_IOCTL_SYNC, sizeof(struct dmashim_sync),
		  sizeof(struct dmashim_sync), "sync" },
		{ DMASHIM_IOCTL_STATS, sizeof(struct dmashim_stats),
		  sizeof(struct dmashim_stats), "stats" },
	};
	const size_t len = 2 * DMASHIM_STRUCT_SIZE_MAX;
	__u32 *buf = calloc(1, len);
	size_t i;

	ASSERT_NE(NULL, buf);
	for (i = 0; i < ARRAY_SIZE(ioctls); i++) {
		unsigned long request = ioctls[i].request;
		unsigned int sizes[] = { 0, 8, ioctls[i].first - 1,
					 DMASHIM_STRUCT_SIZE_MAX + 1 };
		size_t j;

		for (j = 0; j < ARRAY_SIZE(sizes); j++) {
			memset(buf, 0, len);
			buf[0] = sizes[j];
			EXPECT_EQ(-EINVAL, ioctl_errno(self->fd, request, buf))
				TH_LOG("%s, size %u", ioctls[i].name, sizes[j]);
		}
		/* A field this kernel does not know. */
		memset(buf, 0, len);
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
