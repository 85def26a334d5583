// SPDX-License-Identifier: GPL-2.0
/*
 * dma-bufs between dmashim and other drivers: other exporters' buffers
 * (a vgem dumb buffer through PRIME, a udmabuf of a memfd, a buffer of
 * the system DMA-BUF heap) mapped by a context and moved to and from by
 * a cpudma and an edu channel, checked through the exporter's own CPU
 * view; dmashim's buffers of every kind imported into vgem, as the
 * dma-buf core's bufinfo shows their attachments; bufinfo, fdinfo and
 * DMA_BUF_SET_NAME for dmashim's buffers.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/udmabuf.h>
#include <xf86drm.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define BUFINFO "/sys/kernel/debug/dma_buf/bufinfo"
#define SYSTEM_HEAP "/dev/dma_heap/system"
#define MAX_ATTACHED 8

/* What bufinfo says of one dma-buf. */
struct bufinfo {
	unsigned long long size;
	char exp_name[64];
	char name[64];
	unsigned int nr_attached;
	char attached[MAX_ATTACHED][64];
};

/*
 * The bufinfo entry of the dma-buf @fd (by its inode): an object line
 * "size flags mode count exp_name ino name", its fences, then
 * "\tAttached Devices:", a "\tNAME" line per attachment and "Total N
 * devices attached".  1 found, 0 not, -errno.
 */
static int bufinfo_of(int fd, struct bufinfo *bi)
{
	unsigned long long size;
	unsigned long ino;
	char line[512], exp[64], name[64];
	bool in_entry = false, in_devs = false;
	int found = 0, n;
	struct stat st;
	FILE *f;

	if (fstat(fd, &st))
		return -errno;
	f = fopen(BUFINFO, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (in_entry) {
			if (sscanf(line, "Total %d devices attached", &n) == 1) {
				found = bi->nr_attached == (unsigned int)n ?
					1 : -EPROTO;
				break;
			}
			if (!strcmp(line, "\tAttached Devices:"))
				in_devs = true;
			else if (in_devs && line[0] == '\t' &&
				 bi->nr_attached < MAX_ATTACHED)
				snprintf(bi->attached[bi->nr_attached++],
					 sizeof(bi->attached[0]), "%.63s",
					 line + 1);
			continue;
		}
		name[0] = '\0';
		if (sscanf(line, "%llu %*x %*x %*d %63s %lu %63[^\n]", &size,
			   exp, &ino, name) < 3 || ino != st.st_ino)
			continue;
		memset(bi, 0, sizeof(*bi));
		bi->size = size;
		snprintf(bi->exp_name, sizeof(bi->exp_name), "%s", exp);
		snprintf(bi->name, sizeof(bi->name), "%s", name);
		in_entry = true;
	}
	fclose(f);
	return found;
}

/* Whether @bi lists an attachment of device @dev. */
static bool bufinfo_attached(const struct bufinfo *bi, const char *dev)
{
	unsigned int i;

	for (i = 0; i < bi->nr_attached; i++)
		if (!strcmp(bi->attached[i], dev))
			return true;
	return false;
}

/* Field @key of /proc/self/fdinfo/@fd into @val; 0, -ENOENT or -errno. */
static int fdinfo_field(int fd, const char *key, char *val, size_t len)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	int ret = -ENOENT;
	FILE *f;
	char *p;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		line[strcspn(line, "\n")] = '\0';
		p = line + klen + 1;
		snprintf(val, len, "%s", p + strspn(p, " \t"));
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

/* DMA_BUF_SET_NAME; 0 or -errno. */
static int set_name(int fd, const char *name)
{
	return ioctl_errno(fd, DMA_BUF_SET_NAME, (void *)name);
}

/*
 * Stores through a write-combining mapping (vgem's) may wait in the CPU's
 * buffers: a full barrier drains them before a device reads.
 */
static void cpu_flush(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* ---- other exporters' buffers, mapped and moved by dmashim ------------- */

/* A foreign dma-buf and its exporter's CPU view of it. */
struct foreign {
	int fd;			/* the dma-buf */
	unsigned char *cpu;	/* the exporter's view (vgem, memfd, heap) */
	size_t len;
	bool sync;		/* bracket CPU access with DMA_BUF_IOCTL_SYNC */
	int drm, memfd;		/* what the view is a mapping of, or -1 */
	__u32 handle;
};

static void foreign_put(struct foreign *f)
{
	if (f->cpu)
		munmap(f->cpu, f->len);
	if (f->fd >= 0)
		close(f->fd);
	if (f->handle)
		gem_close(f->drm, f->handle);
	if (f->drm >= 0)
		close(f->drm);
	if (f->memfd >= 0)
		close(f->memfd);
	*f = (struct foreign){ .fd = -1, .drm = -1, .memfd = -1 };
}

FIXTURE(import) {
	int ctx, ch;
	struct foreign f;
	struct buffer d;	/* dmashim's end of the transfers */
};

/*
 * A channel of each provider, the copies at an unaligned offset: cpudma
 * most of 64 KiB; edu, whose steps of 4095 bytes take 200 ms, two steps'
 * worth.  No buffer is larger than 64 KiB, the segment limit of the
 * default device and of cpudma: other exporters build their tables
 * without the importer's limit (vgem's drm_prime_pages_to_sg() merges
 * pages up to its own device's), and dma-debug rejects a longer entry.
 */
FIXTURE_VARIANT(import) {
	const char *driver;
	size_t off, len, size;
};

FIXTURE_VARIANT_ADD(import, cpudma) {
	.driver = CPU_DMA_DRIVER,
	.off = 700,
	.len = KiB(60) + 1000,
	.size = KiB(64),
};

FIXTURE_VARIANT_ADD(import, edu) {
	.driver = EDU_DMA_DRIVER,
	.off = 1001,
	.len = 2 * EDU_STEP,
	.size = KiB(12),
};

FIXTURE_SETUP(import)
{
	char name[DMASHIM_CHAN_NAME_LEN];

	self->ctx = self->ch = -1;
	self->d.fd = -1;
	self->f = (struct foreign){ .fd = -1, .drm = -1, .memfd = -1 };
	REQUIRE_CHANNEL(variant->driver, name);
	self->ctx = ctx_open();
	ASSERT_LE(0, self->ctx);
	self->ch = chan_open(self->ctx, name, 0, O_CLOEXEC);
	ASSERT_LE(0, self->ch);
	ASSERT_EQ(0, buffer_get(self->ctx, DMASHIM_BUF_PAGES, variant->size,
				&self->d));
}

FIXTURE_TEARDOWN(import)
{
	foreign_put(&self->f);
	if (self->d.fd >= 0)
		buffer_put(&self->d);
	if (self->ch >= 0)
		close(self->ch);
	if (self->ctx >= 0)
		close(self->ctx);
}

/* One memcpy on the channel, waited for: 0 or -errno, or the status. */
static int copy(int ch, int dst, int src, size_t off, size_t len)
{
	struct dmashim_xfer x = xfer_memcpy(dst, off, src, off, len);
	struct dmashim_record rec;
	int ret;

	ret = chan_submit(ch, &x, 1, NULL);
	if (!ret)
		ret = chan_wait_final(ch, x.cookie, &rec);
	if (!ret && rec.status != DMASHIM_XFER_COMPLETE)
		ret = -EIO;
	return ret;
}

/*
 * Whether edu, the channel's device, reaches the foreign buffer @fd only
 * through dmashim's bounce pool: a limited device without an IOMMU and
 * pages out of its reach (6.1-noiommu; vgem's pages lie anywhere).  The
 * spare edu, bound with the same mask, sees the buffer as the channel's
 * edu does.  1 if bounced, 0 if not, or -errno.
 */
static int edu_bounces(int fd)
{
	struct mapping m;
	int ctx, ret;

	ctx = ctx_open_bound(edu_bind_name(), EDU_DMA_BITS);
	if (ctx < 0)
		return ctx;
	ret = map_buf(ctx, fd, DMASHIM_DIR_BIDIRECTIONAL, 0, &m);
	if (!ret) {
		ret = !!(m.mapped_flags & DMASHIM_MAPPED_BOUNCED);
		if (ctx_unmap(ctx, m.handle))
			ret = -EIO;
		mapping_free(&m);
	}
	close(ctx);
	return ret;
}

static void foreign_cpu(struct foreign *f, unsigned long long when)
{
	if (f->sync)
		dmabuf_sync(f->fd, when | DMA_BUF_SYNC_RW);
	else if (when == DMA_BUF_SYNC_END)
		cpu_flush();
}

/*
 * The foreign buffer @f, mapped by the context (a "foreign" mapping whose
 * device view shows what the exporter's view holds), then the channel's
 * destination and source: from and into the dmashim buffer, every byte
 * checked through the exporter's view, and nothing written outside.
 */
static void exercise(struct __test_metadata *_metadata,
		     FIXTURE_DATA(import) *self,
		     const FIXTURE_VARIANT(import) *variant)
{
	struct foreign *f = &self->f;
	size_t off = variant->off, len = variant->len;
	unsigned char *view;
	struct mapping m;
	char line[64];

	ASSERT_LE(variant->size, f->len);
	view = malloc(f->len);
	ASSERT_NE(NULL, view);

	foreign_cpu(f, DMA_BUF_SYNC_START);
	pattern_fill(f->cpu, f->len, 0, 8);
	foreign_cpu(f, DMA_BUF_SYNC_END);
	ASSERT_EQ(0, map_buf(self->ctx, f->fd, DMASHIM_DIR_BIDIRECTIONAL, 0,
			     &m));
	EXPECT_EQ(f->len, m.length);
	EXPECT_EQ(1, view_check(&m, line, sizeof(line)));
	EXPECT_STREQ("foreign", line);
	ASSERT_EQ(0, ctx_sync(self->ctx, m.handle, DMASHIM_SYNC_FOR_DEVICE,
			      0, f->len, DMASHIM_DIR_BIDIRECTIONAL));
	ASSERT_EQ(0, view_read(m.handle, view, f->len, 0));
	EXPECT_PATTERN(view, f->len, 0, 8);
	EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
	mapping_free(&m);
	free(view);

	/*
	 * A channel refuses a foreign buffer its device reaches only through
	 * the pool: the bounce copies would wait for the buffer's fences on
	 * the way to signalling the transfer's own (Documentation/uapi.rst).
	 */
	if (!strcmp(variant->driver, EDU_DMA_DRIVER)) {
		int bounced = edu_bounces(f->fd);

		ASSERT_LE(0, bounced);
		if (bounced) {
			EXPECT_EQ(-EOPNOTSUPP,
				  copy(self->ch, f->fd, self->d.fd, off, len));
			EXPECT_EQ(-EOPNOTSUPP,
				  copy(self->ch, self->d.fd, f->fd, off, len));
			return;
		}
	}

	/* Into the foreign buffer. */
	pattern_fill(self->d.cpu, self->d.len, 0, 9);
	foreign_cpu(f, DMA_BUF_SYNC_START);
	memset(f->cpu, 0, f->len);
	foreign_cpu(f, DMA_BUF_SYNC_END);
	ASSERT_EQ(0, copy(self->ch, f->fd, self->d.fd, off, len));
	foreign_cpu(f, DMA_BUF_SYNC_START);
	EXPECT_ZERO(f->cpu, off);
	EXPECT_PATTERN(f->cpu + off, len, off, 9);
	EXPECT_ZERO(f->cpu + off + len, f->len - off - len);

	/* Out of it. */
	pattern_fill(f->cpu, f->len, 0, 10);
	foreign_cpu(f, DMA_BUF_SYNC_END);
	ASSERT_EQ(0, dmabuf_sync(self->d.fd, DMA_BUF_SYNC_START |
					     DMA_BUF_SYNC_WRITE));
	memset(self->d.cpu, 0, self->d.len);
	ASSERT_EQ(0, dmabuf_sync(self->d.fd, DMA_BUF_SYNC_END |
					     DMA_BUF_SYNC_WRITE));
	ASSERT_EQ(0, copy(self->ch, self->d.fd, f->fd, off, len));
	ASSERT_EQ(0, dmabuf_sync(self->d.fd, DMA_BUF_SYNC_START |
					     DMA_BUF_SYNC_READ));
	EXPECT_ZERO(self->d.cpu, off);
	EXPECT_PATTERN(self->d.cpu + off, len, off, 10);
	EXPECT_ZERO(self->d.cpu + off + len, self->d.len - off - len);
	ASSERT_EQ(0, dmabuf_sync(self->d.fd, DMA_BUF_SYNC_END |
					     DMA_BUF_SYNC_READ));
}

/* A vgem dumb buffer exported through PRIME, seen through vgem's mmap. */
TEST_F_TIMEOUT(import, from_vgem, 120)
{
	struct foreign *f = &self->f;
	__u64 size;
	void *p;

	REQUIRE_VGEM(f->drm);
	ASSERT_EQ(0, dumb_create(f->drm, variant->size, &f->handle, &size));
	ASSERT_EQ(variant->size, size);
	f->len = size;
	ASSERT_EQ(0, dumb_map(f->drm, f->handle, f->len, &p));
	f->cpu = p;
	ASSERT_EQ(0, drmPrimeHandleToFD(f->drm, f->handle,
					DRM_CLOEXEC | DRM_RDWR, &f->fd));
	exercise(_metadata, self, variant);
}

/* A udmabuf of a sealed memfd, seen through the memfd's own mapping. */
TEST_F_TIMEOUT(import, from_udmabuf, 120)
{
	struct foreign *f = &self->f;
	struct udmabuf_create create;
	int dev;
	void *p;

	/*
	 * edu reaches a udmabuf through dmashim's pool without an IOMMU, and
	 * the pool's copies go through udmabuf's begin_cpu_access.  That
	 * syncs, for the CPU, a mapping of the pages for udmabuf's own misc
	 * device, which swiotlb=force bounces: each time it copies the
	 * bounce slot, stale since the mapping was made, over the pages
	 * (begin_cpu_udmabuf(), 6.12).
	 */
	if (cmdline_has("swiotlb=force") &&
	    !strcmp(variant->driver, EDU_DMA_DRIVER))
		SKIP(return, "udmabuf's begin_cpu_access copies a stale swiotlb slot over its pages under swiotlb=force");
	dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		SKIP(return, "no /dev/udmabuf: %s", strerror(errno));
	f->len = variant->size;
	f->memfd = memfd_create("import_test", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	ASSERT_LE(0, f->memfd);
	ASSERT_EQ(0, ftruncate(f->memfd, f->len));
	ASSERT_EQ(0, fcntl(f->memfd, F_ADD_SEALS, F_SEAL_SHRINK));
	p = mmap(NULL, f->len, PROT_READ | PROT_WRITE, MAP_SHARED, f->memfd,
		 0);
	ASSERT_NE(MAP_FAILED, p);
	f->cpu = p;
	create = (struct udmabuf_create){
		.memfd = f->memfd, .flags = UDMABUF_FLAGS_CLOEXEC,
		.size = f->len,
	};
	f->fd = ioctl(dev, UDMABUF_CREATE, &create);
	close(dev);
	ASSERT_LE(0, f->fd);
	/*
	 * The memfd is the CPU's view, coherent here (x86).  No
	 * DMA_BUF_IOCTL_SYNC: udmabuf's begin_cpu_access maps the pages for
	 * its own misc device, and keeps that mapping, so that dma-debug
	 * reports every importer's mapping made after it as overlapping
	 * ("cacheline tracking EEXIST"; begin_cpu_udmabuf(), 6.12).
	 */
	f->sync = false;
	exercise(_metadata, self, variant);
}

/* A buffer of the system heap, seen through its own mmap. */
TEST_F_TIMEOUT(import, from_system_heap, 120)
{
	struct foreign *f = &self->f;
	struct dma_heap_allocation_data alloc = {
		.len = variant->size,
		.fd_flags = O_RDWR | O_CLOEXEC,
	};
	int heap;
	void *p;

	heap = open(SYSTEM_HEAP, O_RDONLY | O_CLOEXEC);
	if (heap < 0)
		SKIP(return, "no %s: %s", SYSTEM_HEAP, strerror(errno));
	ASSERT_EQ(0, ioctl_errno(heap, DMA_HEAP_IOCTL_ALLOC, &alloc));
	close(heap);
	f->fd = alloc.fd;
	f->len = variant->size;
	f->sync = true;
	p = mmap(NULL, f->len, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	f->cpu = p;
	exercise(_metadata, self, variant);
}

/* ---- dmashim's buffers imported into vgem ------------------------------- */

#define ATTACH_LEN KiB(20)

FIXTURE(attach) {
	int ctx, drm;
	__u32 handle;
	struct buffer b;
};

FIXTURE_VARIANT(attach) {
	unsigned int kind;
};

FIXTURE_VARIANT_ADD(attach, pages) { .kind = DMASHIM_BUF_PAGES };
FIXTURE_VARIANT_ADD(attach, contiguous) { .kind = DMASHIM_BUF_CONTIGUOUS };
FIXTURE_VARIANT_ADD(attach, coherent) { .kind = DMASHIM_BUF_COHERENT };
FIXTURE_VARIANT_ADD(attach, pinned) { .kind = KIND_PINNED };

FIXTURE_SETUP(attach)
{
	self->ctx = self->drm = -1;
	self->handle = 0;
	self->b.fd = -1;
	REQUIRE_VGEM(self->drm);
	self->ctx = ctx_open();
	ASSERT_LE(0, self->ctx);
	ASSERT_EQ(0, buffer_get(self->ctx, variant->kind, ATTACH_LEN,
				&self->b));
	pattern_fill(self->b.cpu, self->b.len, 0, 11);
}

FIXTURE_TEARDOWN(attach)
{
	if (self->handle)
		gem_close(self->drm, self->handle);
	if (self->b.fd >= 0)
		buffer_put(&self->b);
	if (self->drm >= 0)
		close(self->drm);
	if (self->ctx >= 0)
		close(self->ctx);
}

/*
 * vgem attaches the buffer while its GEM object lives, and bufinfo says
 * so; closing the handle detaches.  The object exported again is the
 * buffer's own dma-buf.  vgem gives no CPU mapping of an imported object
 * (drm_gem_dumb_map_offset() refuses it, in 6.1 and 6.12): the bytes are
 * read through the export.
 */
TEST_F(attach, from_vgem)
{
	struct stat a, b;
	struct bufinfo bi;
	int fd;

	if (access(BUFINFO, R_OK))
		SKIP(return, "no %s: %s", BUFINFO, strerror(errno));
	ASSERT_EQ(1, bufinfo_of(self->b.fd, &bi));
	EXPECT_FALSE(bufinfo_attached(&bi, "vgem"));

	ASSERT_EQ(0, drmPrimeFDToHandle(self->drm, self->b.fd, &self->handle));
	ASSERT_EQ(1, bufinfo_of(self->b.fd, &bi));
	EXPECT_TRUE(bufinfo_attached(&bi, "vgem"))
		TH_LOG("%u attachments, none of vgem", bi.nr_attached);

	ASSERT_EQ(0, drmPrimeHandleToFD(self->drm, self->handle,
					DRM_CLOEXEC | DRM_RDWR, &fd));
	ASSERT_EQ(0, fstat(self->b.fd, &a));
	ASSERT_EQ(0, fstat(fd, &b));
	EXPECT_EQ(a.st_ino, b.st_ino);
	close(fd);

	ASSERT_EQ(0, gem_close(self->drm, self->handle));
	self->handle = 0;
	ASSERT_EQ(1, bufinfo_of(self->b.fd, &bi));
	EXPECT_FALSE(bufinfo_attached(&bi, "vgem"));
	EXPECT_PATTERN(self->b.cpu, self->b.len, 0, 11);
}

/* ---- bufinfo, fdinfo and names -------------------------------------------- */

/*
 * A dmashim buffer in bufinfo and in its fdinfo: exporter "dmashim", its
 * size, no name, then the name DMA_BUF_SET_NAME gave it; names of
 * DMA_BUF_NAME_LEN bytes and more (no room for the NUL) are refused and
 * leave the name as it was.
 */
TEST(bufinfo_and_name)
{
	char name[DMA_BUF_NAME_LEN + 8], val[64], size[32];
	struct bufinfo bi;
	struct buffer b;
	int ctx;

	if (access(BUFINFO, R_OK))
		SKIP(return, "no %s: %s", BUFINFO, strerror(errno));
	ctx = ctx_open();
	ASSERT_LE(0, ctx);
	ASSERT_EQ(0, buffer_get(ctx, DMASHIM_BUF_PAGES, KiB(12), &b));
	snprintf(size, sizeof(size), "%zu", b.len);

	ASSERT_EQ(1, bufinfo_of(b.fd, &bi));
	EXPECT_EQ(b.len, bi.size);
	EXPECT_STREQ("dmashim", bi.exp_name);
	EXPECT_STREQ("<none>", bi.name);
	EXPECT_EQ(0, bi.nr_attached);
	ASSERT_EQ(0, fdinfo_field(b.fd, "exp_name", val, sizeof(val)));
	EXPECT_STREQ("dmashim", val);
	ASSERT_EQ(0, fdinfo_field(b.fd, "size", val, sizeof(val)));
	EXPECT_STREQ(size, val);
	EXPECT_EQ(-ENOENT, fdinfo_field(b.fd, "name", val, sizeof(val)));

	ASSERT_EQ(0, set_name(b.fd, "import_test-frame0"));
	ASSERT_EQ(1, bufinfo_of(b.fd, &bi));
	EXPECT_STREQ("import_test-frame0", bi.name);
	ASSERT_EQ(0, fdinfo_field(b.fd, "name", val, sizeof(val)));
	EXPECT_STREQ("import_test-frame0", val);

	/* DMA_BUF_NAME_LEN - 1 characters fit, one more does not. */
	memset(name, 'n', sizeof(name));
	name[DMA_BUF_NAME_LEN - 1] = '\0';
	ASSERT_EQ(0, set_name(b.fd, name));
	ASSERT_EQ(0, fdinfo_field(b.fd, "name", val, sizeof(val)));
	EXPECT_STREQ(name, val);
	name[DMA_BUF_NAME_LEN - 1] = 'n';
	name[DMA_BUF_NAME_LEN] = '\0';
	EXPECT_EQ(-EINVAL, set_name(b.fd, name));
	name[DMA_BUF_NAME_LEN - 1] = '\0';
	ASSERT_EQ(0, fdinfo_field(b.fd, "name", val, sizeof(val)));
	EXPECT_STREQ(name, val);
	ASSERT_EQ(1, bufinfo_of(b.fd, &bi));
	EXPECT_STREQ(name, bi.name);

	buffer_put(&b);
	close(ctx);
}

TEST_HARNESS_MAIN
