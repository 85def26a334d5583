/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmashim selftests - helpers shared by the test programs
 *
 * The bench (tools/bench) tells the tests what to expect through the
 * environment: DMASHIM_EXPECT_IOMMU is "none", "identity", "strict" or
 * "lazy" for how the edu device's DMA is translated in this configuration.
 *
 * Mappings are checked against the device's view of them, which dmashim
 * shows in debugfs: for mapping H, DMASHIM_DEBUGFS/mappings/H/device_view
 * reads and writes what the device reads and writes at each buffer offset
 * (through the IOMMU, or the bus address, or the bounce pool), and
 * .../check says whether every segment leads to the buffer's own pages.
 */
#ifndef DMASHIM_SELFTEST_HELPERS_H
#define DMASHIM_SELFTEST_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/dmashim.h>

#define DMASHIM_DEV_PATH "/dev/dmashim"
#define DMASHIM_DEBUGFS "/sys/kernel/debug/dmashim"

/* QEMU's edu device. */
#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_DMA_BITS 28

#define KiB(n) ((n) * 1024ULL)
#define MiB(n) ((n) * 1024ULL * 1024)
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* open(/dev/dmashim, O_RDWR | O_CLOEXEC); returns fd or -errno. */
int ctx_open(void);

/*
 * Give mappings made from here on their device views in debugfs (the
 * debugfs_mappings parameter); ctx_open() does.
 */
void mapping_views_on(void);

/*
 * A context bound to @device ("default" or a bind name) with @dma_bits;
 * returns its fd or -errno.
 */
int ctx_open_bound(const char *device, unsigned int dma_bits);

/*
 * Bind a new context to @device with @dma_bits and close it: 0 or the
 * bind's -errno.
 */
int bind_new(const char *device, unsigned int dma_bits);

/* Raw ioctls with a full-size struct; return 0 or -errno. */
int ctx_bind(int fd, const char *device, unsigned int dma_bits,
	     unsigned int flags);
int ctx_info(int fd, struct dmashim_info *info);
int ctx_stats(int fd, struct dmashim_stats *stats);
int ioctl_errno(int fd, unsigned long request, void *arg);

/*
 * DMASHIM_IOCTL_ALLOC: returns the buffer's fd or -errno; @rounded, if not
 * NULL, receives the buffer's size.
 */
int buf_alloc(int ctx, __u64 length, __u32 kind, __u32 fd_flags,
	      __u64 *rounded);

/* DMASHIM_IOCTL_PIN, O_RDWR | O_CLOEXEC: returns the fd or -errno. */
int buf_pin(int ctx, const void *addr, __u64 length, __u32 flags);

/* Buffer kinds: dmashim's DMASHIM_BUF_* and pinned anonymous memory. */
#define KIND_PINNED 3
#define NR_KINDS 4

/* "pages", "contiguous", "coherent" or "pinned". */
const char *kind_name(unsigned int kind);

/* A buffer of any kind and its CPU view. */
struct buffer {
	int fd;
	unsigned char *cpu;	/* the buffer's mmap, or the pinned memory */
	size_t len;		/* bytes of the buffer */
	size_t cpu_len;		/* bytes mmap()ed at @cpu */
};

/*
 * Allocate (DMASHIM_BUF_*) or pin (KIND_PINNED, pinned for device writes
 * at a page offset of 64 bytes) a buffer of @len bytes and map it for the
 * CPU; 0 or -errno.
 */
int buffer_get(int ctx, unsigned int kind, size_t len, struct buffer *b);
void buffer_put(struct buffer *b);

/* A mapping, with every one of its segments. */
struct mapping {
	__u64 handle;
	__u64 length;
	__u32 mapped_flags;
	__u32 nr_segments;
	struct dmashim_segment *segs;
};

/*
 * DMASHIM_IOCTL_MAP with room for a few segments, then
 * DMASHIM_IOCTL_SEGMENTS for the rest; 0 or -errno.  The segments are
 * freed with mapping_free(), after unmapping.
 */
int map_buf(int ctx, int buf_fd, __u32 dir, __u32 flags, struct mapping *m);
void mapping_free(struct mapping *m);

/*
 * What is wrong with mapping @m of buffer @b (of @kind), made with
 * @map_flags for the device @info describes, or "" if nothing: its length
 * and segments against the device's limits, mask and IOMMU aperture, and
 * whether it bounced against what the configuration says.
 */
const char *mapping_problem(const struct mapping *m,
			    const struct dmashim_info *info,
			    const struct buffer *b, unsigned int kind,
			    __u32 map_flags);

/* DMASHIM_IOCTL_UNMAP and DMASHIM_IOCTL_SYNC; 0 or -errno. */
int ctx_unmap(int ctx, __u64 handle);
int ctx_sync(int ctx, __u64 handle, __u32 flags, __u64 offset, __u64 length,
	     __u32 dir);

/* DMA_BUF_IOCTL_SYNC on a buffer fd; 0 or -errno. */
int dmabuf_sync(int buf_fd, unsigned long long flags);

/*
 * The device view of mapping @handle: read or write @len bytes at buffer
 * offset @off; 0 or -errno (-EIO for a short transfer).
 */
int view_read(__u64 handle, void *buf, size_t len, __u64 off);
int view_write(__u64 handle, const void *buf, size_t len, __u64 off);

/* Size of the device view file of @handle, or -errno. */
long long view_size(__u64 handle);

/*
 * Reads the self-check line of mapping @m into @line (newline removed).
 * Returns 0 if it is "ok N segments" with N the mapping's segment count,
 * 1 if it says something else, or -errno.
 */
int view_check(const struct mapping *m, char *line, size_t len);

/* Mappings alive on the system (entries of debugfs' mappings/), or -errno. */
int live_mappings(void);

/* Whether debugfs is mounted at /sys/kernel/debug. */
bool debugfs_mounted(void);

/* The bounce pool counters debugfs shows for device @name; 0 or -errno. */
int debugfs_bounce(const char *name, struct dmashim_stats *stats);

/* Byte @off of the test pattern number @seed (seeds give unlike bytes). */
unsigned char pattern_byte(__u64 off, unsigned int seed);

/* Fill @p, which holds buffer offsets @off.., with pattern @seed. */
void pattern_fill(void *p, size_t len, __u64 off, unsigned int seed);

/* Index of the first byte of @p that is not pattern @seed, or -1. */
long pattern_diff(const void *p, size_t len, __u64 off, unsigned int seed);

/* Index of the first byte where @a and @b differ, or -1. */
long first_diff(const void *a, const void *b, size_t len);

/* Index of the first byte of @p that is not 0, or -1. */
long first_nonzero(const void *p, size_t len);

/*
 * A field of /proc/meminfo: bytes for fields in kB, else the number
 * (HugePages_Free); -errno if absent.
 */
long long meminfo(const char *field);

/* dma-debug's error count (debug kernel), or -errno. */
long long dma_debug_errors(void);

/* dma-bufs alive on the system (bufinfo's "Total N objects"), or -errno. */
long dmabufs_live(void);

/*
 * Pages pinned (FOLL_PIN) and not released, from /proc/vmstat, exact once
 * stat_refresh folded the CPUs' differences in; -errno if unknown.
 */
long pins_held(void);

/* Whether the kernel command line has @word (e.g. "swiotlb=force"). */
bool cmdline_has(const char *word);

/* Whether the running kernel is at least @major.@minor. */
bool kernel_at_least(unsigned int major, unsigned int minor);

/*
 * Whether every page of [@addr, @addr + @len) (mapped and present) lies
 * at physical addresses @mask reaches: 1, 0, or -errno (pagemap).
 */
int reachable(const void *addr, size_t len, __u64 mask);

/* Whether no page of that range lies where @mask reaches: 1, 0 or -errno. */
int unreachable(const void *addr, size_t len, __u64 mask);

/*
 * How the configuration says a device's mappings are made when they do not
 * ask to bounce.  A device without an IOMMU whose mask does not reach all
 * of memory is "limited": dmashim bounces for it.
 */
enum bounce_expect {
	BOUNCE_NEVER,		/* an IOMMU remaps, or the device reaches all */
	BOUNCE_ALWAYS,		/* limited, under swiotlb=force: dmashim's
				 * pool */
	BOUNCE_SWIOTLB,		/* not limited, under swiotlb=force: the
				 * kernel's swiotlb bounces */
	BOUNCE_IF_UNREACHABLE,	/* limited: exactly when a page is beyond the
				 * mask */
};
enum bounce_expect expected_bounce(const struct dmashim_info *info);

/*
 * Find a PCI device by vendor and device ID; writes "DDDD:BB:DD.F" to
 * @addr.  Returns 0 or -ENOENT.
 */
int pci_find(unsigned int vendor, unsigned int device, char *addr,
	     size_t len);

/*
 * The edu device for binding and claiming: the first that dmashim_edu,
 * the dmaengine provider (see "Channels" below), does not drive.
 */
/* Its bind name ("pci:DDDD:BB:DD.F"), NULL if there is none. */
const char *edu_bind_name(void);

/* Its PCI address, NULL if there is none. */
const char *edu_addr(void);

/* Name of the driver bound to PCI device @addr, "" if none. */
const char *pci_driver_of(const char *addr);

/* Write @val to a sysfs file; returns 0 or -errno. */
int sysfs_write(const char *path, const char *val);

/*
 * Bring removed PCI device @addr back by rescanning the bus, without a
 * driver, as it went: the PCI core probes new devices whatever the bus's
 * drivers_autoprobe says, so if dmashim_edu took it, it is unbound.
 */
int pci_rescan(const char *addr);

/* Expected DMASHIM_IOMMU_* of the edu device, or -1 if not told. */
int expected_edu_domain(void);

/* Drop capability @cap (CAP_*) from the effective set; 0 or -errno. */
int drop_cap(unsigned int cap);

/* Whether capability @cap is in the effective set. */
bool have_cap(unsigned int cap);

/*
 * The unprivileged user of the tests: uid and gid 65534, in the group
 * NODE_GID that /dev/dmashim is given, as the udev rule of
 * Documentation/security.rst gives it group "dmashim".
 */
#define NOBODY 65534
#define NODE_GID 4242

/* Give /dev/dmashim to group NODE_GID, mode 0660; 0 or -errno. */
int open_node_to_group(void);

/*
 * Run @fn(@arg) in a child process as the unprivileged user, no
 * capabilities; its result (0 or -errno), or -errno if it could not run.
 */
int as_nobody(int (*fn)(void *arg), void *arg);

/* Pass @fd over Unix socket @sock (SCM_RIGHTS); 0 or -errno. */
int send_fd(int sock, int fd);

/* Receive a file descriptor sent with send_fd(); the fd or -errno. */
int recv_fd(int sock);

/* ---- dmaengine channels (chan.c) ---------------------------------------- */

/*
 * The bench's dmaengine providers, by their devices' drivers: dmashim_edu
 * drives an edu device (2 channels sharing its one engine, 28-bit DMA,
 * behind the configuration's IOMMU; each step of a transfer takes 100 ms
 * of DMA, two for a memcpy), dmashim_cpudma a platform device (4
 * channels, a CPU worker each, 64-bit DMA, no IOMMU).  Both have a slave
 * window at device address DMA_WINDOW.
 */
#define EDU_DMA_DRIVER "dmashim_edu"
#define CPU_DMA_DRIVER "dmashim_cpudma"
#define DMA_WINDOW 0x40000ULL
#define EDU_WINDOW_LEN 4095
#define CPU_WINDOW_LEN 65536
#define EDU_STEP 4095
/* An edu memcpy long enough to be caught moving: five steps, a second. */
#define EDU_LONG_XFER (4 * EDU_STEP + 100)
#define CPU_FAIL_NEXT "/sys/kernel/debug/dmashim_cpudma/fail_next"
#define CPU_STEP_DELAY "/sys/kernel/debug/dmashim_cpudma/step_delay_ms"

#define CHAN_CAPS (DMASHIM_CAP_MEMCPY | DMASHIM_CAP_SLAVE | DMASHIM_CAP_CYCLIC)

/*
 * Name of the @index-th channel, in dmaN, chanM order, whose DMA device's
 * driver is @driver (/sys/class/dma/NAME/device/driver); 0 or -ENOENT.
 */
int chan_find(const char *driver, unsigned int index, char *name,
	      size_t len);

/* The name of channel @name's DMA device, as sysfs says; 0 or -errno. */
int chan_sysfs_device(const char *name, char *dev, size_t len);

/* /sys/class/dma/@name/in_use: 0, 1, or -errno. */
int chan_in_use(const char *name);

/* DMASHIM_IOCTL_CHAN_OPEN on context @ctx: the channel's fd, or -errno. */
int chan_open(int ctx, const char *name, __u32 caps, __u32 fd_flags);

/* The channel ioctls with full-size structs; 0 or -errno. */
int chan_info(int ch, struct dmashim_chan_info *info);
int chan_config(int ch, __u64 src_addr, __u64 dst_addr);
int chan_status(int ch, int cookie, struct dmashim_chan_status *st);

/* The channel's state, from DMASHIM_IOCTL_CHAN_INFO, or -errno. */
int chan_state(int ch);

/*
 * DMASHIM_IOCTL_CHAN_SUBMIT of @count transfers; with @fence_fd, asks for
 * an out-fence and stores it there.  0 or -errno.
 */
int chan_submit(int ch, struct dmashim_xfer *xfers, unsigned int count,
		int *fence_fd);

/*
 * The same with DMASHIM_SUBMIT_* @flags and, with DMASHIM_SUBMIT_FENCE_IN,
 * the in-fence @in_fence.
 */
int chan_submit_fenced(int ch, struct dmashim_xfer *xfers, unsigned int count,
		       __u32 flags, int in_fence, int *fence_fd);

/* DMASHIM_IOCTL_CHAN_CONTROL: the state afterwards, or -errno. */
int chan_control(int ch, __u32 op);

/*
 * Wait up to @timeout_ms (-1: for ever) for a record and read it; 0,
 * -ETIME, or -errno.
 */
int chan_record(int ch, struct dmashim_record *rec, int timeout_ms);

/*
 * Read records until the final one of @cookie, into @rec, whatever comes
 * before it (period records included); 0 or -errno.
 */
int chan_wait_final(int ch, int cookie, struct dmashim_record *rec);

/* Bytes a submitted transfer has yet to move, by DMASHIM_IOCTL_CHAN_STATUS. */
long long chan_residue(int ch, int cookie);

/* Transfers of each kind (dir and offsets 0; fds of dma-bufs). */
struct dmashim_xfer xfer_memcpy(int dst_fd, __u64 dst_off, int src_fd,
				__u64 src_off, __u64 len);
struct dmashim_xfer xfer_slave(__u32 dir, int fd, __u64 off, __u64 len);
/* A slave transfer of @nr @ranges of the buffer @fd. */
struct dmashim_xfer xfer_ranges(__u32 dir, int fd,
				const struct dmashim_range *ranges,
				unsigned int nr);
struct dmashim_xfer xfer_cyclic(__u32 dir, int fd, __u64 len, __u64 period);

/*
 * A sync_file's status (SYNC_IOC_FILE_INFO): 1 signalled, 0 not yet, < 0
 * signalled with that error, into @status; 0 or -errno.
 */
int fence_status(int fence_fd, int *status);

/*
 * edu's first channel, with a source and a destination page buffer, the
 * source filled with pattern 1: for the tests that catch edu's transfers
 * moving.
 */
struct edu_copy {
	int ctx, ch;
	struct buffer src, dst;
};

/* Take them, buffers of @len; 0, -ENOENT without an edu channel, -errno. */
int edu_copy_get(struct edu_copy *e, size_t len);
void edu_copy_put(struct edu_copy *e);

/* Write @n to cpudma's fail_next: its @n-th next step fails; 0 or -errno. */
int cpudma_fail_next(unsigned int n);

/* Write @ms to cpudma's step_delay_ms: its steps take that long at least. */
int cpudma_step_delay(unsigned int ms);

/* ---- vgem, a DRM driver without hardware (vgem.c) ---------------------- */

/*
 * Open the vgem card (dmashim_drm_open("vgem")): its fd, O_RDWR |
 * O_CLOEXEC, or -ENODEV if there is none.
 */
int vgem_open(void);

/*
 * DRM_IOCTL_MODE_CREATE_DUMB of at least @len bytes on card @drm: the GEM
 * handle into @handle and, if not NULL, the object's size into @size;
 * 0 or -errno.
 */
int dumb_create(int drm, size_t len, __u32 *handle, __u64 *size);

/*
 * Map @len bytes of GEM object @handle for the CPU: DRM_IOCTL_MODE_MAP_DUMB
 * for its offset, then mmap() of the card, shared, read and write; 0 or
 * -errno (-EINVAL from MAP_DUMB: the DRM core maps no imported object).
 */
int dumb_map(int drm, __u32 handle, size_t len, void **addr);

/* DRM_IOCTL_GEM_CLOSE; 0 or -errno. */
int gem_close(int drm, __u32 handle);

/* ---- the kernel: modules (kmod.c), log (kmsg.c) ------------------------- */

/* finit_module() of the module file @path with @params; 0 or -errno. */
int kmod_load(const char *path, const char *params);

/* delete_module(@name, O_NONBLOCK); 0 or -errno. */
int kmod_unload(const char *name);

/* /dev/kmsg, opened at its end: what is logged from now on; fd or -errno. */
int kmsg_open(void);

/*
 * Read what was logged since: 1 with the text of the first record that
 * contains @needle in @line, 0 if none did, -errno.  Records read are
 * consumed.
 */
int kmsg_find(int fd, const char *needle, char *line, size_t len);

/*
 * The first record logged since that shows the kernel in trouble (BUG,
 * WARNING, Oops, a call trace, a lockup, an IOMMU fault), into @line;
 * 1, 0 or -errno.
 */
int kmsg_trouble(int fd, char *line, size_t len);

/* For test programs, which include kselftest_harness.h first. */
#ifdef __KSELFTEST_HARNESS_H

/* Skip unless the edu device exists. */
#define REQUIRE_EDU()							\
	do {								\
		if (!edu_addr())					\
			SKIP(return, "no edu device (run under the QEMU bench)"); \
	} while (0)

/* Skip unless the edu device exists and no driver owns it. */
#define REQUIRE_FREE_EDU()						\
	do {								\
		REQUIRE_EDU();						\
		if (pci_driver_of(edu_addr())[0])			\
			SKIP(return, "edu is driven by %s",		\
			     pci_driver_of(edu_addr()));		\
	} while (0)

/*
 * Skip unless the provider whose device @driver drives has a channel;
 * else put the name of its first in @name.
 */
#define REQUIRE_CHANNEL(driver, name)					\
	do {								\
		if (chan_find(driver, 0, name, sizeof(name)))		\
			SKIP(return, "no %s channel (run under the QEMU bench)", \
			     driver);					\
	} while (0)

/* Skip unless edu has a channel; else edu_copy_get(@e, @len). */
#define REQUIRE_EDU_COPY(e, len)					\
	do {								\
		int _ret = edu_copy_get(e, len);			\
									\
		if (_ret == -ENOENT)					\
			SKIP(return, "no %s channel (run under the QEMU bench)", \
			     EDU_DMA_DRIVER);				\
		ASSERT_EQ(0, _ret);					\
	} while (0)

/* Skip unless there is a vgem card; else open it into @fd. */
#define REQUIRE_VGEM(fd)						\
	do {								\
		fd = vgem_open();					\
		if (fd < 0)						\
			SKIP(return, "no vgem card in /dev/dri (vgem.ko not loaded)"); \
	} while (0)

/* Skip unless debugfs, which holds the device views, is mounted. */
#define REQUIRE_DEBUGFS()						\
	do {								\
		if (!debugfs_mounted())					\
			SKIP(return, "debugfs is not mounted at /sys/kernel/debug"); \
	} while (0)

/* The device view's self-check of mapping @m says "ok N segments". */
#define EXPECT_CHECK_OK(m)						\
	do {								\
		char _line[256];					\
									\
		EXPECT_EQ(0, view_check(m, _line, sizeof(_line)))	\
			TH_LOG("check of mapping %llu (%u segments): %s", \
			       (unsigned long long)(m)->handle,		\
			       (m)->nr_segments, _line);		\
	} while (0)

/* @len bytes at @a and @b are the same; logs the first difference. */
#define EXPECT_SAME_BYTES(a, b, len)					\
	do {								\
		const unsigned char *_a = (const void *)(a);		\
		const unsigned char *_b = (const void *)(b);		\
		long _d = first_diff(_a, _b, len);			\
									\
		EXPECT_EQ(-1, _d)					\
			TH_LOG("byte %ld of %zu: 0x%02x, want 0x%02x",	\
			       _d, (size_t)(len), _a[_d], _b[_d]);	\
	} while (0)

/* @len bytes at @p are 0. */
#define EXPECT_ZERO(p, len)						\
	do {								\
		const unsigned char *_p = (const void *)(p);		\
		long _d = first_nonzero(_p, len);			\
									\
		EXPECT_EQ(-1, _d)					\
			TH_LOG("byte %ld of %zu is 0x%02x", _d,		\
			       (size_t)(len), _p[_d]);			\
	} while (0)

/* @len bytes at @p, buffer offsets @off.., are pattern @seed. */
#define EXPECT_PATTERN(p, len, off, seed)				\
	do {								\
		const unsigned char *_p = (const void *)(p);		\
		long _d = pattern_diff(_p, len, off, seed);		\
									\
		EXPECT_EQ(-1, _d)					\
			TH_LOG("offset %llu: 0x%02x, want 0x%02x (pattern %u)", \
			       (unsigned long long)(off) + _d, _p[_d],	\
			       pattern_byte((off) + _d, seed),		\
			       (unsigned int)(seed));			\
	} while (0)

#endif /* __KSELFTEST_HARNESS_H */

#endif
