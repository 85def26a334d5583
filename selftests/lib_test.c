// SPDX-License-Identifier: GPL-2.0
/*
 * libdmashim: contexts, binding and info, buffers and their CPU mapping,
 * buffers to and from vgem's GEM objects (PRIME), mappings with every segment read, syncs and the bounce pool counters,
 * channels (open, submit, wait through signals, status, control, copy),
 * through the library, with its errors returned as negative errno values.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/dma-buf.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"
#include "libdmashim.h"

/* The file flags of an ordinary buffer. */
#define RW (O_RDWR | O_CLOEXEC)

/* A memcpy as the library takes it. */
static struct dmashim_transfer lib_memcpy(int dst_fd, uint64_t dst_off,
					  int src_fd, uint64_t src_off,
					  uint64_t len)
{
	return (struct dmashim_transfer){
		.size = sizeof(struct dmashim_transfer),
		.kind = DMASHIM_XFER_MEMCPY,
		.src_fd = src_fd,
		.dst_fd = dst_fd,
		.src_offset = src_off,
		.dst_offset = dst_off,
		.length = len,
	};
}

TEST(open_info_close)
{
	struct dmashim_ctx *ctx = NULL;
	struct dmashim_device_info info = DMASHIM_DEVICE_INFO_INIT;

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
	struct dmashim_device_info info = DMASHIM_DEVICE_INFO_INIT;

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
	struct dmashim_device_info info = DMASHIM_DEVICE_INFO_INIT;

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

FIXTURE(lib) {
	struct dmashim_ctx *ctx;
};

FIXTURE_SETUP(lib)
{
	ASSERT_EQ(0, dmashim_open(&self->ctx));
}

FIXTURE_TEARDOWN(lib)
{
	dmashim_close(self->ctx);
}

TEST_F(lib, buf_alloc_and_mmap)
{
	struct dmashim_buf *buf;
	void *addr, *again;

	ASSERT_EQ(0, dmashim_buf_alloc(self->ctx, 5000, DMASHIM_BUF_PAGES, RW,
				       &buf));
	EXPECT_EQ(8192, dmashim_buf_size(buf));
	/* fd_flags 0: O_RDWR | O_CLOEXEC. */
	EXPECT_EQ(FD_CLOEXEC, fcntl(dmashim_buf_fd(buf), F_GETFD));
	EXPECT_EQ(O_RDWR, fcntl(dmashim_buf_fd(buf), F_GETFL) & O_ACCMODE);
	ASSERT_EQ(0, dmashim_buf_mmap(buf, &addr));
	EXPECT_ZERO(addr, 8192);
	EXPECT_EQ(0, dmashim_buf_cpu_begin(buf, DMA_BUF_SYNC_WRITE));
	pattern_fill(addr, 8192, 0, 1);
	EXPECT_EQ(0, dmashim_buf_cpu_end(buf, DMA_BUF_SYNC_WRITE));
	/* One CPU mapping per buffer. */
	ASSERT_EQ(0, dmashim_buf_mmap(buf, &again));
	EXPECT_EQ(addr, again);
	EXPECT_EQ(-EINVAL, dmashim_buf_cpu_begin(buf, DMA_BUF_SYNC_END));
	EXPECT_EQ(-EINVAL, dmashim_buf_cpu_begin(buf, 0));
	EXPECT_EQ(-EINVAL, dmashim_buf_cpu_end(buf, 8));
	dmashim_buf_free(buf);
	dmashim_buf_free(NULL);

	EXPECT_EQ(-EINVAL, dmashim_buf_alloc(self->ctx, 0, DMASHIM_BUF_PAGES, RW,
					     &buf));
	EXPECT_EQ(-EINVAL, dmashim_buf_alloc(self->ctx, 4096, 9, RW, &buf));
	EXPECT_EQ(-EFBIG, dmashim_buf_alloc(self->ctx, MiB(8),
					    DMASHIM_BUF_CONTIGUOUS, RW, &buf));
}

/* A read-only buffer gets a read-only CPU mapping. */
TEST_F(lib, buf_mmap_read_only)
{
	struct dmashim_buf *buf;
	void *addr;

	ASSERT_EQ(0, dmashim_buf_alloc(self->ctx, 4096, DMASHIM_BUF_PAGES,
				       O_RDONLY | O_CLOEXEC, &buf));
	ASSERT_EQ(0, dmashim_buf_mmap(buf, &addr));
	EXPECT_ZERO(addr, 4096);
	EXPECT_EQ(-1, mprotect(addr, 4096, PROT_READ | PROT_WRITE));
	dmashim_buf_free(buf);
}

/* fd_flags are the file's flags as given: 0 is O_RDONLY, not a default. */
TEST_F(lib, buf_fd_flags_as_given)
{
	static const unsigned int flags[] = { 0, O_RDONLY | O_CLOEXEC, O_RDWR,
					      O_WRONLY | O_CLOEXEC };
	struct dmashim_buf *buf;
	unsigned int i;
	int fl, fdfl;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		ASSERT_EQ(0, dmashim_buf_alloc(self->ctx, 4096,
					       DMASHIM_BUF_PAGES, flags[i],
					       &buf));
		fl = fcntl(dmashim_buf_fd(buf), F_GETFL);
		fdfl = fcntl(dmashim_buf_fd(buf), F_GETFD);
		EXPECT_EQ(flags[i] & O_ACCMODE, fl & O_ACCMODE);
		EXPECT_EQ(!!(flags[i] & O_CLOEXEC), !!(fdfl & FD_CLOEXEC));
		dmashim_buf_free(buf);
	}
}

TEST_F(lib, buf_pin_and_import)
{
	struct dmashim_buf *buf, *imported;
	size_t len = 3 * 4096 + 10;
	unsigned char *mem;
	void *addr;
	int fd;

	mem = malloc(len);
	ASSERT_NE(NULL, mem);
	ASSERT_EQ(0, dmashim_buf_pin(self->ctx, mem + 1, len - 1,
				     DMASHIM_PIN_DEVICE_WRITES, &buf));
	EXPECT_EQ(len - 1, dmashim_buf_size(buf));
	EXPECT_EQ(-ENODEV, dmashim_buf_mmap(buf, &addr));

	/* Any dma-buf imports; the import owns the fd it is given. */
	fd = dup(dmashim_buf_fd(buf));
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, dmashim_buf_import(fd, &imported));
	EXPECT_EQ(fd, dmashim_buf_fd(imported));
	/* A dma-buf's size: the whole pages the pinned bytes lie in. */
	EXPECT_EQ(((uintptr_t)mem + len + 4095) / 4096 * 4096 -
		  ((uintptr_t)mem + 1) / 4096 * 4096,
		  dmashim_buf_size(imported));
	dmashim_buf_free(imported);
	EXPECT_EQ(-1, fcntl(fd, F_GETFD));
	dmashim_buf_free(buf);
	free(mem);

	/* Not a dma-buf: refused, and the fd stays the caller's. */
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EBADF, dmashim_buf_import(fd, &imported));
	EXPECT_LE(0, fcntl(fd, F_GETFD));
	close(fd);
	EXPECT_EQ(-EBADF, dmashim_buf_import(-1, &imported));
}

/*
 * A buffer imported into vgem as a GEM object, twice (the same handle),
 * and the object exported again: the buffer's own dma-buf, with its
 * bytes, held by the new buffer after the handle is closed.
 */
TEST_F(lib, prime_to_gem_and_back)
{
	size_t len = 3 * 4096;
	struct dmashim_buf *buf, *back;
	uint32_t handle = 0, again = 0;
	void *addr, *back_addr;
	struct stat a, b;
	int drm;

	REQUIRE_VGEM(drm);
	ASSERT_EQ(0, dmashim_buf_alloc(self->ctx, len, DMASHIM_BUF_PAGES, RW,
				       &buf));
	ASSERT_EQ(0, dmashim_buf_mmap(buf, &addr));
	pattern_fill(addr, len, 0, 5);
	ASSERT_EQ(0, dmashim_buf_to_gem(buf, drm, &handle));
	EXPECT_NE(0, handle);
	ASSERT_EQ(0, dmashim_buf_to_gem(buf, drm, &again));
	EXPECT_EQ(handle, again);

	ASSERT_EQ(0, dmashim_buf_from_gem(drm, handle, &back));
	EXPECT_EQ(FD_CLOEXEC, fcntl(dmashim_buf_fd(back), F_GETFD));
	EXPECT_EQ(O_RDWR, fcntl(dmashim_buf_fd(back), F_GETFL) & O_ACCMODE);
	EXPECT_EQ(len, dmashim_buf_size(back));
	ASSERT_EQ(0, fstat(dmashim_buf_fd(buf), &a));
	ASSERT_EQ(0, fstat(dmashim_buf_fd(back), &b));
	EXPECT_EQ(a.st_ino, b.st_ino);
	EXPECT_EQ(0, gem_close(drm, handle));
	EXPECT_EQ(-EINVAL, gem_close(drm, handle));
	ASSERT_EQ(0, dmashim_buf_mmap(back, &back_addr));
	EXPECT_PATTERN(back_addr, len, 0, 5);
	dmashim_buf_free(back);
	dmashim_buf_free(buf);
	close(drm);
}

/*
 * A vgem dumb buffer as a buffer, which holds it after its handle is
 * closed: vgem's bytes through the buffer's mapping, and the buffer's
 * through vgem's mapping of the object, which vgem gets back as itself
 * when the buffer is imported into it.
 */
TEST_F(lib, prime_from_gem)
{
	struct dmashim_buf *buf;
	uint32_t handle, again;
	void *addr, *vaddr;
	__u64 size;
	int drm;

	REQUIRE_VGEM(drm);
	ASSERT_EQ(0, dumb_create(drm, 5 * 4096, &handle, &size));
	ASSERT_EQ(5 * 4096, size);
	ASSERT_EQ(0, dumb_map(drm, handle, size, &vaddr));
	pattern_fill(vaddr, size, 0, 6);
	munmap(vaddr, size);
	ASSERT_EQ(0, dmashim_buf_from_gem(drm, handle, &buf));
	EXPECT_EQ(size, dmashim_buf_size(buf));
	EXPECT_EQ(0, gem_close(drm, handle));

	ASSERT_EQ(0, dmashim_buf_mmap(buf, &addr));
	ASSERT_EQ(0, dmashim_buf_cpu_begin(buf, DMA_BUF_SYNC_RW));
	EXPECT_PATTERN(addr, size, 0, 6);
	pattern_fill(addr, size, 0, 7);
	ASSERT_EQ(0, dmashim_buf_cpu_end(buf, DMA_BUF_SYNC_RW));

	ASSERT_EQ(0, dmashim_buf_to_gem(buf, drm, &again));
	ASSERT_EQ(0, dumb_map(drm, again, size, &vaddr));
	EXPECT_PATTERN(vaddr, size, 0, 7);
	munmap(vaddr, size);
	EXPECT_EQ(0, gem_close(drm, again));
	dmashim_buf_free(buf);
	close(drm);
}

/* PRIME's errors, as negative errno values; nothing returned on failure. */
TEST_F(lib, prime_errors)
{
	struct dmashim_buf *buf, *out = NULL;
	uint32_t handle;
	int drm, null;

	REQUIRE_VGEM(drm);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, null);
	ASSERT_EQ(0, dmashim_buf_alloc(self->ctx, 4096, DMASHIM_BUF_PAGES, RW,
				       &buf));
	EXPECT_EQ(-ENOENT, dmashim_buf_from_gem(drm, 0x7fffffff, &out));
	EXPECT_EQ(-ENOTTY, dmashim_buf_from_gem(null, 1, &out));
	EXPECT_EQ(-EBADF, dmashim_buf_from_gem(-1, 1, &out));
	EXPECT_EQ(NULL, out);
	EXPECT_EQ(-ENOTTY, dmashim_buf_to_gem(buf, null, &handle));
	EXPECT_EQ(-EBADF, dmashim_buf_to_gem(buf, -1, &handle));
	/* Root opens every card: none has this driver. */
	EXPECT_EQ(-ENODEV, dmashim_drm_open("no-such-driver"));
	dmashim_buf_free(buf);
	close(null);
	close(drm);
}

/*
 * More segments than dmashim_map() takes with the map call: the rest
 * come through DMASHIM_IOCTL_SEGMENTS, the same as read directly.
 */
TEST_F(lib, map_reads_every_segment)
{
	struct dmashim_segment seg;
	struct dmashim_segments req;
	struct dmashim_mapping *map;
	struct dmashim_buf *buf;
	unsigned long long total = 0;
	uint64_t addr, len;
	unsigned int i, n;

	ASSERT_EQ(0, dmashim_buf_alloc(self->ctx, MiB(8), DMASHIM_BUF_PAGES, RW,
				       &buf));
	ASSERT_EQ(0, dmashim_map(self->ctx, dmashim_buf_fd(buf),
				 DMASHIM_DIR_TO_DEVICE, 0, &map));
	n = dmashim_mapping_nr_segments(map);
	/* The default device's segments are at most 64 KiB. */
	ASSERT_LE(128, n);
	EXPECT_EQ(MiB(8), dmashim_mapping_length(map));
	for (i = 0; i < n; i++) {
		req = (struct dmashim_segments){
			.size = sizeof(req),
			.handle = dmashim_mapping_handle(map),
			.segments = (uintptr_t)&seg, .first = i, .count = 1,
			.segment_size = sizeof(seg),
		};
		ASSERT_EQ(0, ioctl_errno(dmashim_fd(self->ctx),
					 DMASHIM_IOCTL_SEGMENTS, &req));
		ASSERT_EQ(0, dmashim_mapping_segment(map, i, &addr, &len));
		EXPECT_EQ(seg.addr, addr) TH_LOG("segment %u", i);
		EXPECT_EQ(seg.length, len) TH_LOG("segment %u", i);
		total += seg.length;
	}
	EXPECT_EQ(MiB(8), total);
	EXPECT_EQ(-ERANGE, dmashim_mapping_segment(map, n, &addr, &len));
	EXPECT_EQ(0, dmashim_unmap(map));
	EXPECT_EQ(0, dmashim_unmap(NULL));
	dmashim_buf_free(buf);

	EXPECT_EQ(-EBADF, dmashim_map(self->ctx, -1, DMASHIM_DIR_TO_DEVICE, 0,
				      &map));
}

/*
 * Syncs in the mapping's direction; length 0 runs to the end.  Bounced,
 * the device's view shows exactly what was synced.
 */
TEST_F(lib, sync_ranges)
{
	struct dmashim_mapping *map;
	struct dmashim_buf *buf;
	unsigned char view[8192];
	void *addr;

	REQUIRE_DEBUGFS();
	mapping_views_on();
	ASSERT_EQ(0, dmashim_buf_alloc(self->ctx, 8192, DMASHIM_BUF_PAGES, RW,
				       &buf));
	ASSERT_EQ(0, dmashim_buf_mmap(buf, &addr));
	pattern_fill(addr, 8192, 0, 1);
	ASSERT_EQ(0, dmashim_map(self->ctx, dmashim_buf_fd(buf),
				 DMASHIM_DIR_TO_DEVICE, DMASHIM_MAP_BOUNCE,
				 &map));
	EXPECT_TRUE(dmashim_mapping_flags(map) & DMASHIM_MAPPED_BOUNCED);
	pattern_fill(addr, 8192, 0, 2);
	ASSERT_EQ(0, dmashim_sync_for_device(map, 100, 0));
	ASSERT_EQ(0, view_read(dmashim_mapping_handle(map), view, 8192, 0));
	EXPECT_PATTERN(view, 100, 0, 1);
	EXPECT_PATTERN(view + 100, 8092, 100, 2);

	EXPECT_EQ(0, dmashim_sync_for_cpu(map, 0, 0));
	EXPECT_EQ(0, dmashim_sync_for_device(map, 8191, 1));
	EXPECT_EQ(-EINVAL, dmashim_sync_for_device(map, 8192, 0));
	EXPECT_EQ(-EINVAL, dmashim_sync_for_device(map, 8191, 2));
	EXPECT_EQ(-EINVAL, dmashim_sync_for_cpu(map, SIZE_MAX, 0));
	EXPECT_EQ(0, dmashim_unmap(map));
	dmashim_buf_free(buf);
}

TEST_F(lib, stats)
{
	struct dmashim_pool_stats st = DMASHIM_POOL_STATS_INIT;
	struct dmashim_stats raw;

	ASSERT_EQ(0, dmashim_stats(self->ctx, &st));
	ASSERT_EQ(0, ctx_stats(dmashim_fd(self->ctx), &raw));
	EXPECT_LT(0, st.pool_bytes);
	EXPECT_EQ(raw.pool_bytes, st.pool_bytes);
	EXPECT_EQ(raw.slots_total, st.slots_total);
}

FIXTURE(chan) {
	struct dmashim_ctx *ctx;
	struct dmashim_buf *src, *dst;
	unsigned char *s, *d;
};

FIXTURE_VARIANT(chan) {
	const char *driver;
};

FIXTURE_VARIANT_ADD(chan, edu) {
	.driver = EDU_DMA_DRIVER,
};

FIXTURE_VARIANT_ADD(chan, cpu) {
	.driver = CPU_DMA_DRIVER,
};

FIXTURE_SETUP(chan)
{
	char name[DMASHIM_CHAN_NAME_LEN];
	void *addr;

	ASSERT_EQ(0, dmashim_open(&self->ctx));
	REQUIRE_CHANNEL(variant->driver, name);
	ASSERT_EQ(0, dmashim_buf_alloc(self->ctx, 8192, DMASHIM_BUF_PAGES, RW,
				       &self->src));
	ASSERT_EQ(0, dmashim_buf_alloc(self->ctx, 8192, DMASHIM_BUF_PAGES, RW,
				       &self->dst));
	ASSERT_EQ(0, dmashim_buf_mmap(self->src, &addr));
	self->s = addr;
	ASSERT_EQ(0, dmashim_buf_mmap(self->dst, &addr));
	self->d = addr;
	pattern_fill(self->s, 8192, 0, 1);
}

FIXTURE_TEARDOWN(chan)
{
	dmashim_buf_free(self->dst);
	dmashim_buf_free(self->src);
	dmashim_close(self->ctx);
}

/*
 * Every channel /sys/class/dma has, once, in dmaN then chanM order, with
 * the DMA device and driver its links name: cpudma's four among them.
 */
TEST(chan_list)
{
	unsigned int dev, chan, last_dev = 0, last_chan = 0, cpus = 0;
	char name[DMASHIM_CHAN_NAME_LEN];
	struct dmashim_channels *list;
	const char *cname;
	struct dirent *de;
	int i, n, in_class = 0;
	DIR *d;

	REQUIRE_CHANNEL(CPU_DMA_DRIVER, name);
	d = opendir("/sys/class/dma");
	ASSERT_NE(NULL, d);
	while ((de = readdir(d)))
		in_class += sscanf(de->d_name, "dma%uchan%u", &dev, &chan) == 2;
	closedir(d);

	n = dmashim_chan_list(&list);
	ASSERT_EQ(in_class, n);
	ASSERT_EQ(n, dmashim_chan_list_count(list));
	for (i = 0; i < n; i++) {
		cname = dmashim_chan_list_name(list, i);
		ASSERT_EQ(2, sscanf(cname, "dma%uchan%u", &dev, &chan));
		if (i)
			EXPECT_TRUE(dev > last_dev ||
				    (dev == last_dev && chan > last_chan))
				TH_LOG("%s after dma%uchan%u", cname,
				       last_dev, last_chan);
		last_dev = dev;
		last_chan = chan;
		if (!strcmp(dmashim_chan_list_driver(list, i),
			    CPU_DMA_DRIVER)) {
			EXPECT_STREQ(CPU_DMA_DRIVER,
				     dmashim_chan_list_device(list, i));
			cpus++;
		}
	}
	EXPECT_EQ(4, cpus);
	EXPECT_EQ(NULL, dmashim_chan_list_name(list, n));
	EXPECT_EQ(NULL, dmashim_chan_list_device(list, n));
	EXPECT_EQ(NULL, dmashim_chan_list_driver(list, n));
	dmashim_chan_list_free(list);
	dmashim_chan_list_free(NULL);
}

/* The first channel of the provider @driver drives, through the library. */
static int lib_chan(struct dmashim_ctx *ctx, const char *driver,
		    struct dmashim_chan **chp)
{
	char name[DMASHIM_CHAN_NAME_LEN];
	int ret = chan_find(driver, 0, name, sizeof(name));

	return ret ? ret : dmashim_chan_open(ctx, name, 0, chp);
}

TEST_F(chan, open_info_close)
{
	char name[DMASHIM_CHAN_NAME_LEN + 8];
	struct dmashim_channel_info info = DMASHIM_CHANNEL_INFO_INIT;
	struct dmashim_chan *ch, *any;

	ASSERT_EQ(0, lib_chan(self->ctx, variant->driver, &ch));
	EXPECT_EQ(FD_CLOEXEC, fcntl(dmashim_chan_fd(ch), F_GETFD));
	ASSERT_EQ(0, dmashim_chan_info(ch, &info));
	EXPECT_EQ(0, chan_find(variant->driver, 0, name, sizeof(name)));
	EXPECT_STREQ(name, info.name);
	EXPECT_EQ(-ENODEV, dmashim_chan_open(self->ctx, name, 0, &any));
	dmashim_chan_close(ch);
	dmashim_chan_close(NULL);

	/* NULL and "": any free channel with the capabilities. */
	ASSERT_EQ(0, dmashim_chan_open(self->ctx, NULL, DMASHIM_CAP_MEMCPY,
				       &any));
	dmashim_chan_close(any);
	ASSERT_EQ(0, dmashim_chan_open(self->ctx, "", DMASHIM_CAP_CYCLIC,
				       &any));
	dmashim_chan_close(any);

	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	EXPECT_EQ(-ENAMETOOLONG, dmashim_chan_open(self->ctx, name, 0, &any));
	EXPECT_EQ(-ENODEV, dmashim_chan_open(self->ctx, "dma999chan0", 0,
					     &any));
	EXPECT_EQ(-EINVAL, dmashim_chan_open(self->ctx, NULL,
					     DMASHIM_CAP_CYCLIC << 1, &any));
}

TEST_F(chan, copy)
{
	struct dmashim_chan *ch;

	ASSERT_EQ(0, lib_chan(self->ctx, variant->driver, &ch));
	EXPECT_EQ(0, dmashim_copy(ch, dmashim_buf_fd(self->dst), 10,
				  dmashim_buf_fd(self->src), 20, 5000));
	EXPECT_ZERO(self->d, 10);
	EXPECT_PATTERN(self->d + 10, 5000, 20, 1);
	EXPECT_ZERO(self->d + 5010, 8192 - 5010);
	EXPECT_EQ(-EBADF, dmashim_copy(ch, -1, 0, dmashim_buf_fd(self->src),
				       0, 100));
	EXPECT_EQ(-EINVAL, dmashim_copy(ch, dmashim_buf_fd(self->dst), 0,
					dmashim_buf_fd(self->src), 0, 0));
	EXPECT_EQ(-EINVAL, dmashim_copy(ch, dmashim_buf_fd(self->dst), 8100,
					dmashim_buf_fd(self->src), 0, 100));
	dmashim_chan_close(ch);
}

/*
 * The caller's structs carry their size: one below the first version is
 * refused; a newer caller's longer struct gets what the library knows
 * and keeps its tail (an input's tail must be 0); arrays go at the first
 * element's size.
 */
TEST_F(chan, sized_structs)
{
	struct { struct dmashim_device_info i; uint64_t more; } info;
	struct { struct dmashim_channel_config c; uint64_t more; } cfg;
	struct { struct dmashim_transfer x; uint64_t more; } x[2];
	struct { struct dmashim_completion c; uint64_t more; } rec[2];
	struct dmashim_device_info small = { .size = 8 };
	struct dmashim_chan *ch;
	int n, got;

	EXPECT_EQ(-EINVAL, dmashim_info(self->ctx, &small));
	small.size = sizeof(small) + 4;
	EXPECT_EQ(-EINVAL, dmashim_info(self->ctx, &small))
		TH_LOG("a size not a multiple of 8");
	memset(&info, 0xaa, sizeof(info));
	info.i.size = 4104;
	EXPECT_EQ(-EINVAL, dmashim_info(self->ctx, &info.i))
		TH_LOG("a size above 4096");
	info.i.size = sizeof(info);
	ASSERT_EQ(0, dmashim_info(self->ctx, &info.i));
	EXPECT_EQ(sizeof(info), info.i.size);
	EXPECT_STREQ("dmashim", info.i.name);
	/* What this library does not know reads as 0. */
	EXPECT_EQ(0, info.more);

	ASSERT_EQ(0, lib_chan(self->ctx, variant->driver, &ch));
	memset(&cfg, 0, sizeof(cfg));
	cfg.c.size = 4;
	EXPECT_EQ(-EINVAL, dmashim_chan_config(ch, &cfg.c));
	cfg.c.size = sizeof(cfg);
	cfg.more = 1;
	EXPECT_EQ(-E2BIG, dmashim_chan_config(ch, &cfg.c));
	cfg.more = 0;
	cfg.c.src_addr = DMA_WINDOW;
	cfg.c.dst_addr = DMA_WINDOW;
	EXPECT_EQ(0, dmashim_chan_config(ch, &cfg.c));

	memset(x, 0, sizeof(x));
	x[0].x = lib_memcpy(dmashim_buf_fd(self->dst), 0,
			    dmashim_buf_fd(self->src), 0, 1000);
	x[1].x = lib_memcpy(dmashim_buf_fd(self->dst), 1000,
			    dmashim_buf_fd(self->src), 1000, 1000);
	EXPECT_EQ(-EINVAL, dmashim_chan_submit(ch, &x[0].x, 2, 0, NULL))
		TH_LOG("elements of another size than the first's");
	x[0].x.size = x[1].x.size = sizeof(x[0]);
	x[1].more = 1;
	EXPECT_EQ(-E2BIG, dmashim_chan_submit(ch, &x[0].x, 2, 0, NULL));
	x[1].more = 0;
	ASSERT_EQ(0, dmashim_chan_submit(ch, &x[0].x, 2, 0, NULL));
	EXPECT_LT(0, x[0].x.cookie);
	EXPECT_LT(x[0].x.cookie, x[1].x.cookie);
	EXPECT_EQ(0, x[0].more);

	memset(rec, 0xaa, sizeof(rec));
	rec[0].c.size = 8;
	EXPECT_EQ(-EINVAL, dmashim_chan_wait(ch, &rec[0].c, 2, -1));
	for (got = 0; got < 2; got += n) {
		memset(rec, 0xaa, sizeof(rec));
		rec[0].c.size = sizeof(rec[0]);
		n = dmashim_chan_wait(ch, &rec[0].c, 2, -1);
		ASSERT_LE(1, n);
		EXPECT_EQ(x[got].x.cookie, rec[0].c.cookie);
		EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec[0].c.status);
		EXPECT_EQ(sizeof(rec[0]), rec[0].c.size);
		EXPECT_EQ(0, rec[0].more);
		if (n == 2) {
			EXPECT_EQ(x[1].x.cookie, rec[1].c.cookie);
			EXPECT_EQ(sizeof(rec[1]), rec[1].c.size);
			EXPECT_EQ(0, rec[1].more);
		}
	}
	EXPECT_PATTERN(self->d, 2000, 0, 1);
	dmashim_chan_close(ch);
}

/*
 * Submit with an out-fence, wait for records, status, control; the
 * library's own refusals.
 */
TEST_F(chan, submit_wait_status_control)
{
	struct dmashim_channel_config cfg = DMASHIM_CHANNEL_CONFIG_INIT;
	struct dmashim_transfer_status st = DMASHIM_TRANSFER_STATUS_INIT;
	struct dmashim_completion rec[4] = { DMASHIM_COMPLETION_INIT };
	struct dmashim_transfer x[3];
	struct dmashim_chan *ch;
	int fence = -2, n, got;
	unsigned int i;

	ASSERT_EQ(0, lib_chan(self->ctx, variant->driver, &ch));
	cfg.src_addr = DMA_WINDOW;
	cfg.dst_addr = DMA_WINDOW;
	EXPECT_EQ(0, dmashim_chan_config(ch, &cfg));
	for (i = 0; i < 3; i++)
		x[i] = lib_memcpy(dmashim_buf_fd(self->dst), i * 1000,
				  dmashim_buf_fd(self->src), i * 1000, 1000);
	EXPECT_EQ(-EINVAL, dmashim_chan_submit(ch, x, 3,
					       DMASHIM_SUBMIT_FENCE_OUT, NULL));
	EXPECT_EQ(-ETIME, dmashim_chan_wait(ch, rec, 4, 0));
	EXPECT_EQ(-EINVAL, dmashim_chan_wait(ch, rec, 0, 0));

	ASSERT_EQ(0, dmashim_chan_submit(ch, x, 3, DMASHIM_SUBMIT_FENCE_OUT,
					 &fence));
	EXPECT_LE(0, fence);
	for (got = 0; got < 3; got += n) {
		n = dmashim_chan_wait(ch, rec, 4, -1);
		ASSERT_LE(1, n);
		ASSERT_GE(3 - got, n);
		for (i = 0; i < (unsigned int)n; i++) {
			EXPECT_EQ(x[got + i].cookie, rec[i].cookie);
			EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec[i].status);
		}
	}
	close(fence);
	EXPECT_PATTERN(self->d, 3000, 0, 1);
	ASSERT_EQ(0, dmashim_chan_status(ch, x[2].cookie, &st));
	EXPECT_EQ(DMASHIM_XFER_COMPLETE, st.status);
	EXPECT_EQ(DMASHIM_CHAN_CONFIGURED, st.state);
	EXPECT_EQ(-EINVAL, dmashim_chan_status(ch, 0, &st));

	fence = -2;
	ASSERT_EQ(0, dmashim_chan_submit(ch, x, 1, 0, &fence));
	EXPECT_EQ(-1, fence);
	ASSERT_EQ(1, dmashim_chan_wait(ch, rec, 4, -1));
	EXPECT_EQ(-EINVAL, dmashim_chan_control(ch, DMASHIM_CHAN_PAUSE));
	EXPECT_EQ(-EINVAL, dmashim_chan_control(ch, DMASHIM_CHAN_RESUME));
	EXPECT_EQ(DMASHIM_CHAN_CONFIGURED,
		  dmashim_chan_control(ch, DMASHIM_CHAN_TERMINATE_SYNC));
	dmashim_chan_close(ch);
}

/*
 * An out-fence as the in-fence of the next submit, which skips the
 * implicit fences: it runs after the first; FENCE_IN without one, or
 * with a fd that is no sync_file, is refused.
 */
TEST_F(chan, submit_after)
{
	struct dmashim_completion rec = DMASHIM_COMPLETION_INIT;
	struct dmashim_transfer a, b;
	struct dmashim_chan *ch;
	int fence, fence2;

	ASSERT_EQ(0, lib_chan(self->ctx, variant->driver, &ch));
	a = lib_memcpy(dmashim_buf_fd(self->dst), 0,
		       dmashim_buf_fd(self->src), 0, 4096);
	b = lib_memcpy(dmashim_buf_fd(self->dst), 4096,
		       dmashim_buf_fd(self->dst), 0, 4096);
	EXPECT_EQ(-EINVAL, dmashim_chan_submit(ch, &b, 1,
					       DMASHIM_SUBMIT_FENCE_IN, NULL));
	EXPECT_EQ(-EINVAL, dmashim_chan_submit_after(ch, &b, 1, 0,
						     dmashim_buf_fd(self->src),
						     NULL));
	/* The flag comes from the fd: never a wait on fd 0. */
	EXPECT_EQ(-EINVAL, dmashim_chan_submit_after(ch, &b, 1,
						     DMASHIM_SUBMIT_FENCE_IN,
						     -1, NULL));
	ASSERT_EQ(0, dmashim_chan_submit(ch, &a, 1, DMASHIM_SUBMIT_FENCE_OUT,
					 &fence));
	ASSERT_EQ(0, dmashim_chan_submit_after(ch, &b, 1,
					       DMASHIM_SUBMIT_NO_IMPLICIT |
					       DMASHIM_SUBMIT_FENCE_OUT,
					       fence, &fence2));
	do {
		ASSERT_LE(1, dmashim_chan_wait(ch, &rec, 1, -1));
	} while (rec.cookie != b.cookie);
	EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec.status);
	EXPECT_PATTERN(self->d + 4096, 4096, 0, 1);
	close(fence);
	close(fence2);
	dmashim_chan_close(ch);
}

static void on_alarm(int sig)
{
}

/*
 * Waiting goes on through signals (a timer every 5 ms, its handler
 * installed without SA_RESTART), for ever or until its timeout.
 */
TEST_F(chan, wait_through_signals)
{
	struct itimerval every = { { 0, 5000 }, { 0, 5000 } }, off = { 0 };
	struct sigaction sa = { .sa_handler = on_alarm };
	struct dmashim_completion rec = DMASHIM_COMPLETION_INIT;
	struct dmashim_transfer x;
	struct dmashim_chan *ch;

	ASSERT_EQ(0, lib_chan(self->ctx, variant->driver, &ch));
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &every, NULL));
	EXPECT_EQ(-ETIME, dmashim_chan_wait(ch, &rec, 1, 50));
	x = lib_memcpy(dmashim_buf_fd(self->dst), 0,
		       dmashim_buf_fd(self->src), 0, 8192);
	ASSERT_EQ(0, dmashim_chan_submit(ch, &x, 1, 0, NULL));
	EXPECT_EQ(1, dmashim_chan_wait(ch, &rec, 1, -1));
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &off, NULL));
	EXPECT_EQ(x.cookie, rec.cookie);
	EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec.status);
	EXPECT_PATTERN(self->d, 8192, 0, 1);
	dmashim_chan_close(ch);
}

/* A transfer the provider fails: dmashim_copy() says -EIO. */
TEST(copy_failed)
{
	char name[DMASHIM_CHAN_NAME_LEN];
	struct dmashim_buf *src, *dst;
	struct dmashim_ctx *ctx;
	struct dmashim_chan *ch;

	ASSERT_EQ(0, dmashim_open(&ctx));
	REQUIRE_CHANNEL(CPU_DMA_DRIVER, name);
	if (access(CPU_FAIL_NEXT, W_OK))
		SKIP(return, "no %s (debugfs)", CPU_FAIL_NEXT);
	ASSERT_EQ(0, dmashim_chan_open(ctx, name, 0, &ch));
	ASSERT_EQ(0, dmashim_buf_alloc(ctx, 4096, DMASHIM_BUF_PAGES, RW, &src));
	ASSERT_EQ(0, dmashim_buf_alloc(ctx, 4096, DMASHIM_BUF_PAGES, RW, &dst));
	ASSERT_EQ(0, cpudma_fail_next(1));
	EXPECT_EQ(-EIO, dmashim_copy(ch, dmashim_buf_fd(dst), 0,
				     dmashim_buf_fd(src), 0, 4096));
	cpudma_fail_next(0);
	EXPECT_EQ(0, dmashim_copy(ch, dmashim_buf_fd(dst), 0,
				  dmashim_buf_fd(src), 0, 4096));
	dmashim_buf_free(dst);
	dmashim_buf_free(src);
	dmashim_chan_close(ch);
	dmashim_close(ctx);
}

TEST_HARNESS_MAIN
