// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim pinning (DMASHIM_IOCTL_PIN): the caller's memory - malloc'd,
 * anonymous, shared file-backed, hugetlb - wrapped as a buffer that
 * covers exactly the bytes asked for, at any alignment; read-only,
 * unmapped and freed memory; RLIMIT_MEMLOCK and when its charge goes;
 * pinned memory across fork() and beyond its process's exit.
 *
 * Every buffer is mapped for dmashim's default device and compared, byte
 * for byte, with what the device sees (the debugfs device view).
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/dma-buf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define HUGE_PAGE MiB(2)
#define HUGE_PAGES 2

FIXTURE(pin) {
	int ctx;
	size_t page;
};

FIXTURE_SETUP(pin)
{
	REQUIRE_DEBUGFS();
	self->page = sysconf(_SC_PAGESIZE);
	self->ctx = ctx_open();
	ASSERT_LE(0, self->ctx);
}

FIXTURE_TEARDOWN(pin)
{
	if (self->ctx > 0)
		close(self->ctx);
}

/*
 * Pin [@addr, @addr + @len), which holds pattern @seed, and map it: the
 * buffer and the mapping are exactly @len bytes, and the device sees
 * exactly those bytes.
 */
static void check_pinned(struct __test_metadata *_metadata, int ctx,
			 const void *addr, size_t len, __u32 flags,
			 unsigned int seed)
{
	__u32 dir = flags & DMASHIM_PIN_DEVICE_WRITES ?
		    DMASHIM_DIR_BIDIRECTIONAL : DMASHIM_DIR_TO_DEVICE;
	size_t page = sysconf(_SC_PAGESIZE);
	struct mapping m;
	unsigned char *view;
	__u64 total = 0;
	unsigned int i;
	int fd;

	view = malloc(len);
	ASSERT_NE(NULL, view);
	fd = buf_pin(ctx, addr, len, flags);
	ASSERT_LE(0, fd) TH_LOG("pin %p + %zu: %s", addr, len, strerror(-fd));
	/* The dma-buf is the whole pages; the buffer, exactly the bytes. */
	EXPECT_EQ((off_t)(((uintptr_t)addr + len + page - 1) / page -
			  (uintptr_t)addr / page) * (off_t)page,
		  lseek(fd, 0, SEEK_END));
	ASSERT_EQ(0, map_buf(ctx, fd, dir, 0, &m));
	EXPECT_EQ(len, m.length);
	for (i = 0; i < m.nr_segments; i++)
		total += m.segs[i].length;
	EXPECT_EQ(len, total);
	/*
	 * Mapped directly or through dmashim's pool, the device's first
	 * byte is at the memory's page offset (swiotlb keeps no offset for
	 * devices that do not ask it to).
	 */
	if (!(m.mapped_flags & (DMASHIM_MAPPED_SWIOTLB |
				DMASHIM_MAPPED_ADDRS_HIDDEN)))
		EXPECT_EQ((uintptr_t)addr % page, m.segs[0].addr % page);
	EXPECT_EQ((long long)len, view_size(m.handle));
	EXPECT_CHECK_OK(&m);

	ASSERT_EQ(0, ctx_sync(ctx, m.handle, DMASHIM_SYNC_FOR_DEVICE, 0, len,
			      dir));
	ASSERT_EQ(0, view_read(m.handle, view, len, 0));
	EXPECT_PATTERN(view, len, 0, seed);

	EXPECT_EQ(0, ctx_unmap(ctx, m.handle));
	mapping_free(&m);
	close(fd);
	free(view);
}

TEST_F(pin, malloced)
{
	static const size_t sizes[] = { 100, 4000, MiB(1) + 123 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned char *p = malloc(sizes[i]);

		ASSERT_NE(NULL, p);
		pattern_fill(p, sizes[i], 0, i + 1);
		check_pinned(_metadata, self->ctx, p, sizes[i],
			     DMASHIM_PIN_DEVICE_WRITES, i + 1);
		free(p);
	}
}

TEST_F(pin, anonymous)
{
	size_t len = MiB(1);
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	pattern_fill(p, len, 0, 5);
	check_pinned(_metadata, self->ctx, p, len, DMASHIM_PIN_DEVICE_WRITES,
		     5);
	munmap(p, len);
}

/* Not yet touched: pinning faults the pages in. */
TEST_F(pin, anonymous_untouched)
{
	size_t len = 16 * self->page;
	unsigned char *p;
	int fd;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	fd = buf_pin(self->ctx, p, len, DMASHIM_PIN_DEVICE_WRITES);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_ZERO(p, len);
	munmap(p, len);
}

TEST_F(pin, shared_file)
{
	size_t len = 8 * self->page;
	int memfd;
	void *p;

	memfd = memfd_create("pin_test", MFD_CLOEXEC);
	ASSERT_LE(0, memfd);
	ASSERT_EQ(0, ftruncate(memfd, len));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	ASSERT_NE(MAP_FAILED, p);
	pattern_fill((char *)p + 3, len - 5, 0, 6);
	check_pinned(_metadata, self->ctx, (char *)p + 3, len - 5,
		     DMASHIM_PIN_DEVICE_WRITES, 6);
	munmap(p, len);
	close(memfd);
}

/* Starts and ends anywhere in a page; the device sees exactly that. */
TEST_F(pin, unaligned)
{
	const size_t page = self->page;
	const struct {
		size_t off, len;
	} cases[] = {
		{ 0, 1 }, { 1, 1 }, { page - 1, 2 }, { 123, page },
		{ page - 7, 3 * page + 14 }, { 1, 5 * page - 2 },
		{ page, 4 * page },
	};
	unsigned char *p;
	size_t i;

	p = mmap(NULL, 6 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		/* The pattern starts at the pinned range's first byte. */
		pattern_fill(p + cases[i].off, cases[i].len, 0, i + 1);
		check_pinned(_metadata, self->ctx, p + cases[i].off,
			     cases[i].len, DMASHIM_PIN_DEVICE_WRITES, i + 1);
	}
	munmap(p, 6 * page);
}

/*
 * A dma-buf's size is whole pages: importers count on it (DRM's GEM DMA
 * helpers BUG_ON() any other).  100 bytes in the middle of a page are a
 * one-page dma-buf whose mapping is the 100 bytes.
 */
TEST_F(pin, whole_pages)
{
	const size_t page = self->page;
	struct mapping m;
	char *p;
	int fd;

	p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	fd = buf_pin(self->ctx, p + 10, 100, DMASHIM_PIN_DEVICE_WRITES);
	ASSERT_LE(0, fd);
	EXPECT_EQ((off_t)page, lseek(fd, 0, SEEK_END));
	ASSERT_EQ(0, map_buf(self->ctx, fd, DMASHIM_DIR_TO_DEVICE, 0, &m));
	EXPECT_EQ(100, m.length);
	EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
	mapping_free(&m);
	close(fd);
	/* Across a page boundary: two pages. */
	fd = buf_pin(self->ctx, p + page - 50, 100, DMASHIM_PIN_DEVICE_WRITES);
	ASSERT_LE(0, fd);
	EXPECT_EQ((off_t)(2 * page), lseek(fd, 0, SEEK_END));
	close(fd);
	munmap(p, 2 * page);
}

/* /proc/kpageflags bit KPF_DIRTY of the page at @addr: 0, 1 or -errno. */
static int page_dirty(const void *addr)
{
	long page = sysconf(_SC_PAGESIZE);
	__u64 entry, flags;
	int fd, ret;

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = pread(fd, &entry, sizeof(entry),
		    (uintptr_t)addr / page * sizeof(entry));
	close(fd);
	if (ret != sizeof(entry) || !(entry >> 63))
		return -EIO;
	fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = pread(fd, &flags, sizeof(flags),
		    (entry & ((1ULL << 55) - 1)) * sizeof(flags));
	close(fd);
	if (ret != sizeof(flags))
		return -EIO;
	return flags >> 4 & 1;	/* KPF_DIRTY */
}

/*
 * Pages a device may have written go back dirty: released clean, a page
 * in the swap cache or a file's page cache would be dropped and the
 * device's bytes lost.  An anonymous page the CPU wrote through its
 * mapping is not marked dirty itself (its page table entry is): pinned
 * for device writes and released, it must be.  Pinned read-only, it is
 * left as it was.
 */
TEST_F(pin, released_dirty)
{
	char *p;
	int fd, before;

	p = mmap(NULL, self->page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	before = page_dirty(p);
	ASSERT_LE(0, before);
	if (before)
		SKIP(goto out, "a fresh anonymous page is marked dirty already");
	fd = buf_pin(self->ctx, p, self->page, 0);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, page_dirty(p));
	fd = buf_pin(self->ctx, p, self->page, DMASHIM_PIN_DEVICE_WRITES);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(1, page_dirty(p));
out:
	munmap(p, self->page);
}

/* Read-only memory: a device may read it, never write it. */
TEST_F(pin, read_only)
{
	size_t len = 3 * self->page;
	struct mapping m;
	void *p;
	int fd;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	pattern_fill(p, len, 0, 9);
	ASSERT_EQ(0, mprotect(p, len, PROT_READ));
	EXPECT_EQ(-EFAULT, buf_pin(self->ctx, p, len,
				   DMASHIM_PIN_DEVICE_WRITES));
	EXPECT_EQ(-EFAULT, buf_pin(self->ctx, (char *)p + 10, 20,
				   DMASHIM_PIN_DEVICE_WRITES));
	check_pinned(_metadata, self->ctx, p, len, 0, 9);

	/* Pinned for reading, it maps for transfers to the device only. */
	fd = buf_pin(self->ctx, p, len, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EACCES, map_buf(self->ctx, fd, DMASHIM_DIR_FROM_DEVICE, 0,
				   &m));
	EXPECT_EQ(-EACCES, map_buf(self->ctx, fd, DMASHIM_DIR_BIDIRECTIONAL,
				   0, &m));
	EXPECT_EQ(-EACCES, map_buf(self->ctx, fd, DMASHIM_DIR_BIDIRECTIONAL,
				   DMASHIM_MAP_BOUNCE, &m));
	close(fd);
	munmap(p, len);
}

/* Holes, freed memory and inaccessible memory cannot be pinned. */
TEST_F(pin, unmapped)
{
	size_t page = self->page, len = MiB(1);
	unsigned char *p;
	/* Used after free() on purpose: the compiler must not know. */
	volatile uintptr_t freed;
	int fd;

	p = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, munmap(p + page, page));
	EXPECT_EQ(-EFAULT, buf_pin(self->ctx, p, 3 * page, 0));
	EXPECT_EQ(-EFAULT, buf_pin(self->ctx, p + page - 1, 2, 0));
	EXPECT_EQ(-EFAULT, buf_pin(self->ctx, p + page, 1, 0));
	/* The pages around the hole pin. */
	fd = buf_pin(self->ctx, p, page, 0);
	EXPECT_LE(0, fd);
	close(fd);
	fd = buf_pin(self->ctx, p + 2 * page, page, 0);
	EXPECT_LE(0, fd);
	close(fd);
	munmap(p, 3 * page);

	/* malloc() serves this size with mmap(), and free() unmaps it. */
	p = malloc(len);
	ASSERT_NE(NULL, p);
	memset(p, 1, len);
	freed = (uintptr_t)p;
	free(p);
	EXPECT_EQ(-EFAULT, buf_pin(self->ctx, (void *)freed, len, 0));

	p = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-EFAULT, buf_pin(self->ctx, p, page, 0));
	munmap(p, page);

	EXPECT_EQ(-EFAULT, buf_pin(self->ctx, NULL, page, 0));
}

TEST_F(pin, bad_arguments)
{
	long long total = meminfo("MemTotal");
	size_t page = self->page;
	struct dmashim_pin pin;
	unsigned int bit;
	void *p;

	ASSERT_LT(0, total);
	p = mmap(NULL, page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-EINVAL, buf_pin(self->ctx, p, 0, 0));
	/* The range wraps. */
	EXPECT_EQ(-EINVAL, buf_pin(self->ctx, (void *)(UINTPTR_MAX - page),
				   2 * page, 0));
	EXPECT_EQ(-EINVAL, buf_pin(self->ctx, p, UINT64_MAX, 0));
	EXPECT_EQ(-EFBIG, buf_pin(self->ctx, p, total / 2 + page, 0));

	for (bit = 1; bit < 32; bit++) {
		pin = (struct dmashim_pin){
			.size = sizeof(pin), .flags = 1U << bit,
			.addr = (uintptr_t)p, .length = page,
			.fd_flags = O_RDWR,
		};
		EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_PIN,
					       &pin))
			TH_LOG("flag bit %u", bit);
	}
	pin = (struct dmashim_pin){
		.size = sizeof(pin), .addr = (uintptr_t)p, .length = page,
		.fd_flags = O_RDWR | O_NONBLOCK,
	};
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_PIN, &pin));
	pin.fd_flags = O_ACCMODE;
	EXPECT_EQ(-EINVAL, ioctl_errno(self->ctx, DMASHIM_IOCTL_PIN, &pin));
	munmap(p, page);
}

/* The memory is the caller's and mapped already: no mmap of the buffer. */
TEST_F(pin, no_mmap)
{
	size_t len = 2 * self->page;
	void *p;
	int fd;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	fd = buf_pin(self->ctx, p, len, DMASHIM_PIN_DEVICE_WRITES);
	ASSERT_LE(0, fd);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0));
	EXPECT_EQ(ENODEV, errno);
	/* The CPU access brackets still work. */
	EXPECT_EQ(0, dmabuf_sync(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW));
	EXPECT_EQ(0, dmabuf_sync(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW));
	close(fd);
	munmap(p, len);
}

/*
 * RLIMIT_MEMLOCK: for a context opened without CAP_IPC_LOCK, pinned pages
 * count against it until the last reference to the buffer goes - the
 * fd's or a mapping's.
 */
TEST_F(pin, memlock_limit)
{
	const size_t page = self->page, limit = 8 * page;
	struct rlimit rl = { limit, limit };
	struct mapping m;
	char *p;
	int fd, fd2;

	p = mmap(NULL, 2 * limit, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &rl));
	ASSERT_EQ(0, drop_cap(CAP_IPC_LOCK));
	/* The opener's capability is the one that counts. */
	close(self->ctx);
	self->ctx = ctx_open();
	ASSERT_LE(0, self->ctx);

	EXPECT_EQ(-ENOMEM, buf_pin(self->ctx, p, limit + page, 0));
	/* Pages are charged: 8 pages' worth of bytes over 9 pages. */
	EXPECT_EQ(-ENOMEM, buf_pin(self->ctx, p + 1, limit, 0));
	fd = buf_pin(self->ctx, p, limit, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENOMEM, buf_pin(self->ctx, p + limit, 1, 0));
	ASSERT_EQ(0, close(fd));

	/* Released with the fd: the whole limit is there again. */
	fd = buf_pin(self->ctx, p + limit, limit, 0);
	ASSERT_LE(0, fd);

	/* A mapping holds the buffer after its fd is closed. */
	ASSERT_EQ(0, map_buf(self->ctx, fd, DMASHIM_DIR_TO_DEVICE, 0, &m));
	ASSERT_EQ(0, close(fd));
	EXPECT_EQ(-ENOMEM, buf_pin(self->ctx, p, page, 0));
	ASSERT_EQ(0, ctx_unmap(self->ctx, m.handle));
	mapping_free(&m);
	fd2 = buf_pin(self->ctx, p, limit, 0);
	EXPECT_LE(0, fd2);
	close(fd2);
	munmap(p, 2 * limit);
}

/* With CAP_IPC_LOCK the limit does not apply. */
TEST_F(pin, memlock_cap_ipc_lock)
{
	const size_t limit = 8 * self->page;
	struct rlimit rl = { limit, limit };
	void *p;
	int fd;

	if (!have_cap(CAP_IPC_LOCK))
		SKIP(return, "no CAP_IPC_LOCK (run as root)");
	p = mmap(NULL, 4 * limit, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &rl));
	fd = buf_pin(self->ctx, p, 4 * limit, 0);
	EXPECT_LE(0, fd) TH_LOG("%s", strerror(-fd));
	close(fd);
	munmap(p, 4 * limit);
}

/*
 * fork() with a live mapping of pinned memory.  Pinned private pages are
 * copied for the child at once: the parent's writes still reach the
 * device, the child's go to its own copy.  Shared memory stays shared:
 * both sides' writes reach the device.
 */
FIXTURE(fork) {
	int ctx, fd;
	size_t len;
	unsigned char *mem, *view;
	struct mapping m;
};

FIXTURE_VARIANT(fork) {
	int mmap_flags;
	bool shared;
};

FIXTURE_VARIANT_ADD(fork, private) {
	.mmap_flags = MAP_PRIVATE | MAP_ANONYMOUS,
	.shared = false,
};

FIXTURE_VARIANT_ADD(fork, shared) {
	.mmap_flags = MAP_SHARED | MAP_ANONYMOUS,
	.shared = true,
};

FIXTURE_SETUP(fork)
{
	REQUIRE_DEBUGFS();
	self->len = 4 * sysconf(_SC_PAGESIZE);
	self->view = malloc(self->len);
	ASSERT_NE(NULL, self->view);
	self->mem = mmap(NULL, self->len, PROT_READ | PROT_WRITE,
			 variant->mmap_flags, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
	pattern_fill(self->mem, self->len, 0, 1);
	self->ctx = ctx_open();
	ASSERT_LE(0, self->ctx);
	self->fd = buf_pin(self->ctx, self->mem, self->len,
			   DMASHIM_PIN_DEVICE_WRITES);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, map_buf(self->ctx, self->fd, DMASHIM_DIR_BIDIRECTIONAL,
			     0, &self->m));
}

FIXTURE_TEARDOWN(fork)
{
	EXPECT_EQ(0, ctx_unmap(self->ctx, self->m.handle));
	mapping_free(&self->m);
	close(self->fd);
	close(self->ctx);
	munmap(self->mem, self->len);
	free(self->view);
}

/* Syncs the whole mapping for the device and reads what it sees. */
static int device_sees(FIXTURE_DATA(fork) *self)
{
	int ret = ctx_sync(self->ctx, self->m.handle, DMASHIM_SYNC_FOR_DEVICE,
			   0, self->len, DMASHIM_DIR_BIDIRECTIONAL);

	return ret ? ret : view_read(self->m.handle, self->view, self->len, 0);
}

TEST_F(fork, writes_after_fork)
{
	unsigned int child_seen = variant->shared ? 2 : 1;
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		pattern_fill(self->mem, self->len, 0, 2);
		if (device_sees(self))
			_exit(1);
		_exit(pattern_diff(self->view, self->len, 0, child_seen) == -1 ?
		      0 : 2);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child: 1 sync or view, 2 the device saw other data");
	EXPECT_PATTERN(self->mem, self->len, 0, child_seen);

	pattern_fill(self->mem + 5, self->len - 10, 5, 3);
	ASSERT_EQ(0, device_sees(self));
	EXPECT_SAME_BYTES(self->view, self->mem, self->len);
	EXPECT_PATTERN(self->view + 5, self->len - 10, 5, 3);
	EXPECT_CHECK_OK(&self->m);
}

/*
 * A child pins its memory, passes the buffer over a Unix socket and
 * exits: the pages stay pinned, with its data, as long as the buffer.
 */
TEST_F(pin, outlives_process)
{
	size_t len = 3 * self->page + 17;
	unsigned char *view;
	int sv[2], fd, status;
	struct mapping m;
	pid_t pid;

	view = malloc(len);
	ASSERT_NE(NULL, view);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		unsigned char *p = malloc(len);

		if (!p)
			_exit(1);
		pattern_fill(p, len, 0, 4);
		fd = buf_pin(self->ctx, p, len, 0);
		_exit(fd < 0 ? 2 : send_fd(sv[1], fd) ? 3 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child: 1 malloc, 2 pin, 3 send");
	fd = recv_fd(sv[0]);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, map_buf(self->ctx, fd, DMASHIM_DIR_TO_DEVICE, 0, &m));
	EXPECT_EQ(len, m.length);
	ASSERT_EQ(0, view_read(m.handle, view, len, 0));
	EXPECT_PATTERN(view, len, 0, 4);
	EXPECT_CHECK_OK(&m);
	EXPECT_EQ(0, ctx_unmap(self->ctx, m.handle));
	mapping_free(&m);
	close(fd);
	close(sv[0]);
	close(sv[1]);
	free(view);
}

/* Hugetlb memory: HUGE_PAGES pages reserved for the test, then given back. */
FIXTURE(hugetlb) {
	int ctx;
	char old[32];
	void *mem;
};

static int read_nr_hugepages(char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/vm/nr_hugepages", "re");

	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] ? 0 : -EIO;
}

FIXTURE_SETUP(hugetlb)
{
	char want[32];

	REQUIRE_DEBUGFS();
	self->mem = MAP_FAILED;
	if (read_nr_hugepages(self->old, sizeof(self->old)))
		SKIP(return, "no /proc/sys/vm/nr_hugepages (no hugetlb)");
	snprintf(want, sizeof(want), "%ld", atol(self->old) + HUGE_PAGES);
	ASSERT_EQ(0, sysfs_write("/proc/sys/vm/nr_hugepages", want));
	if (meminfo("Hugepagesize") != (long long)HUGE_PAGE ||
	    meminfo("HugePages_Free") < HUGE_PAGES)
		SKIP(return, "could not reserve %d huge pages of 2 MiB (%lld free)",
		     HUGE_PAGES, meminfo("HugePages_Free"));
	self->mem = mmap(NULL, HUGE_PAGES * HUGE_PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
	self->ctx = ctx_open();
	ASSERT_LE(0, self->ctx);
}

FIXTURE_TEARDOWN(hugetlb)
{
	if (self->mem != MAP_FAILED)
		munmap(self->mem, HUGE_PAGES * HUGE_PAGE);
	if (self->ctx > 0)
		close(self->ctx);
	if (self->old[0])
		sysfs_write("/proc/sys/vm/nr_hugepages", self->old);
}

TEST_F(hugetlb, whole_and_across)
{
	unsigned char *p = self->mem;
	size_t len = HUGE_PAGES * HUGE_PAGE;

	pattern_fill(p, len, 0, 8);
	check_pinned(_metadata, self->ctx, p, len, DMASHIM_PIN_DEVICE_WRITES,
		     8);
	/* Across the boundary of the two huge pages, unaligned. */
	pattern_fill(p + HUGE_PAGE - 100, 300, 0, 9);
	check_pinned(_metadata, self->ctx, p + HUGE_PAGE - 100, 300,
		     DMASHIM_PIN_DEVICE_WRITES, 9);
}

TEST_HARNESS_MAIN
