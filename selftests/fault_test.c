// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection (debug kernel: CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC,
 * CONFIG_FAULT_INJECTION_DEBUG_FS).
 *
 * The sweep: for each ioctl and each step of a channel's life, the call
 * is made with the n-th allocation of the calling thread failed
 * (/proc/thread-self/fail-nth, as syzkaller does), for n = 1, 2, ...
 * until the call no longer reaches an n-th allocation.  Every call must
 * succeed or fail with a clean error (ENOMEM, or an errno the sweep
 * lists), and leave nothing behind once what it made is given back: no
 * file descriptor, dma-buf, module reference, mapping (dmashim's and
 * dma-debug's), pinned page, claimed device, channel, bounce slot or
 * share.  Each sweep prints "# fault: CALL: N allocation points ...".
 * WARNs, KASAN reports and leaked slab objects are the bench's to see
 * (the kernel log and kmemleak, tools/bench/evaluate); each sweep also
 * checks the kernel log it caused, to say which call it was.
 *
 * The proof: a submit on a configured channel whose buffers are mapped
 * allocates nothing.  With fail-nth = 1 the submit reaches no allocation
 * at all; with every slab and page allocation of the thread failing
 * (task-filter, make-it-fail, probability 100) it succeeds, its fault
 * counters do not move, and its transfers complete, byte for byte.
 */

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/dma-heap.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define FAILSLAB "/sys/kernel/debug/failslab"
#define FAILPAGE "/sys/kernel/debug/fail_page_alloc"
#define FAIL_NTH "/proc/thread-self/fail-nth"
#define MAKE_IT_FAIL "/proc/thread-self/make-it-fail"
#define BUFINFO "/sys/kernel/debug/dma_buf/bufinfo"
#define DMA_API "/sys/kernel/debug/dma-api"
#define SYSTEM_HEAP "/dev/dma_heap/system"

#define NO_INJECTION "no fault injection in this kernel (CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAULT_INJECTION_DEBUG_FS: the debug kernel)"

/* More allocation points than any call has: the sweep failed to end. */
#define NTH_CAP 400
/* Fault counters start here (the attributes' "times": a fault takes one). */
#define TIMES 1000000

/* ---- the kernel's fault injection ------------------------------------- */

struct attr_setting {
	const char *path;
	const char *value;
	char old[32];
	bool saved;
};

/*
 * As syzkaller sets them for fail-nth: sleeping allocations and highmem
 * pages fail too, every order, quietly (a stack dump per fault would be
 * a "Call Trace" in the kernel log).  No random faults.  Restored in
 * reverse: probability goes back before task-filter (probability 100
 * without the task filter fails the whole system's allocations).
 */
static struct attr_setting settings[] = {
	{ FAILSLAB "/ignore-gfp-wait", "N" },
	{ FAILSLAB "/verbose", "0" },
	{ FAILSLAB "/task-filter", "N" },
	{ FAILSLAB "/probability", "0" },
	{ FAILSLAB "/interval", "1" },
	{ FAILSLAB "/space", "0" },
	{ FAILSLAB "/times", "1000000" },
	{ FAILPAGE "/ignore-gfp-wait", "N" },
	{ FAILPAGE "/ignore-gfp-highmem", "N" },
	{ FAILPAGE "/min-order", "0" },
	{ FAILPAGE "/verbose", "0" },
	{ FAILPAGE "/task-filter", "N" },
	{ FAILPAGE "/probability", "0" },
	{ FAILPAGE "/interval", "1" },
	{ FAILPAGE "/space", "0" },
	{ FAILPAGE "/times", "1000000" },
};

static int read_text(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static long read_long(const char *path)
{
	char buf[64];
	int ret = read_text(path, buf, sizeof(buf));

	return ret ? ret : strtol(buf, NULL, 0);
}

static void settings_restore(void)
{
	size_t i;

	for (i = ARRAY_SIZE(settings); i--; )
		if (settings[i].saved)
			sysfs_write(settings[i].path, settings[i].old);
}

static int settings_apply(void)
{
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(settings); i++) {
		ret = read_text(settings[i].path, settings[i].old,
				sizeof(settings[i].old));
		if (ret)
			return ret;
		settings[i].saved = true;
		ret = sysfs_write(settings[i].path, settings[i].value);
		if (ret)
			return ret;
	}
	return 0;
}

/* What the window around one call saw. */
struct shot {
	long ret;		/* the call's result: >= 0, or -errno */
	bool fired;		/* the n-th allocation was reached and failed */
	unsigned int left;	/* fail-nth after the call */
	long slab, page;	/* faults injected, by kind */
};

/* A call: one system call, nothing else (no allocation of its own). */
typedef long (*call_fn)(void *arg);

/*
 * Run @fn with the @n-th allocation point of this thread failed (0: none
 * failed).  fail-nth is set right before the call and read back and reset
 * right after, so that nothing but the call runs with it; it counts down
 * at each allocation point and the point at which it reaches 0 fails.
 */
static int inject_nth(int nth, unsigned int n, call_fn fn, void *arg,
		      struct shot *s)
{
	long slab0 = read_long(FAILSLAB "/times");
	long page0 = read_long(FAILPAGE "/times");
	char num[16], back[16] = "";
	int len = snprintf(num, sizeof(num), "%u", n);
	ssize_t r;

	if (slab0 < 0 || page0 < 0)
		return -EIO;
	if (pwrite(nth, num, len, 0) != len)
		return -errno;
	s->ret = fn(arg);
	r = pread(nth, back, sizeof(back) - 1, 0);
	if (pwrite(nth, "0", 1, 0) != 1 || r <= 0)
		return -EIO;
	s->left = strtoul(back, NULL, 10);
	s->fired = n && !s->left;
	s->slab = slab0 - read_long(FAILSLAB "/times");
	s->page = page0 - read_long(FAILPAGE "/times");
	return 0;
}

/* ---- what must not leak ------------------------------------------------ */

struct snap {
	int fds;
	long dmabufs;
	long refcnt;
	int mappings;
	long dma_debug;
	long pins;
	char edu_driver[64];
	char chans[512];
	char shares[2048];
};

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* opendir's own */
}

/* Append the contents of every file matching @pattern (with its name). */
static void append_files(char *out, size_t len, const char *pattern,
			 const char *only)
{
	char buf[1024], *line, *save;
	glob_t g;
	size_t i, used;

	if (glob(pattern, 0, NULL, &g))
		return;
	for (i = 0; i < g.gl_pathc; i++) {
		int fd = open(g.gl_pathv[i], O_RDONLY | O_CLOEXEC);
		ssize_t n;

		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n < 0)
			continue;
		buf[n] = '\0';
		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (only && strncmp(line, only, strlen(only)))
				continue;
			used = strlen(out);
			snprintf(out + used, len - used, "%s: %s\n",
				 g.gl_pathv[i], line);
		}
	}
	globfree(&g);
}

/*
 * dma-debug's entries in use, or -1 once it is off: it switches itself
 * off for good when an allocation of its own bookkeeping fails ("cacheline
 * tracking ENOMEM"), which a sweep may well make happen.
 */
static long dma_debug_in_use(void)
{
	char off[8] = "";

	if (read_text(DMA_API "/disabled", off, sizeof(off)) || off[0] == 'Y')
		return -1;
	return read_long(DMA_API "/nr_total_entries") -
	       read_long(DMA_API "/num_free_entries");
}

static void snap_take(struct snap *s)
{
	const char *edu = edu_addr();

	memset(s, 0, sizeof(*s));
	s->fds = count_fds();
	s->dmabufs = dmabufs_live();
	s->refcnt = read_long("/sys/module/dmashim/refcnt");
	s->mappings = live_mappings();
	s->dma_debug = dma_debug_in_use();
	s->pins = pins_held();
	snprintf(s->edu_driver, sizeof(s->edu_driver), "%s",
		 edu ? pci_driver_of(edu) : "");
	append_files(s->chans, sizeof(s->chans), "/sys/class/dma/*/in_use",
		     NULL);
	append_files(s->shares, sizeof(s->shares),
		     DMASHIM_DEBUGFS "/devices/*/shares", "uid");
	append_files(s->shares, sizeof(s->shares),
		     DMASHIM_DEBUGFS "/devices/*/bounce", "slots_used");
}

/* What differs between @a and @b, or NULL. */
static const char *snap_diff(const struct snap *a, const struct snap *b)
{
	static char why[256];

#define DIFF(field, what)						\
	do {								\
		if (a->field != b->field) {				\
			snprintf(why, sizeof(why), "%s: %ld, was %ld",	\
				 what, (long)b->field, (long)a->field);	\
			return why;					\
		}							\
	} while (0)
	DIFF(fds, "open file descriptors");
	DIFF(dmabufs, "dma-bufs (bufinfo)");
	DIFF(refcnt, "dmashim module references");
	DIFF(mappings, "dmashim mappings (debugfs)");
	if (a->dma_debug >= 0 && b->dma_debug >= 0)
		DIFF(dma_debug, "dma-debug entries in use");
	DIFF(pins, "pinned pages (FOLL_PIN)");
#undef DIFF
	if (strcmp(a->edu_driver, b->edu_driver)) {
		snprintf(why, sizeof(why), "edu's driver: \"%s\", was \"%s\"",
			 b->edu_driver, a->edu_driver);
		return why;
	}
	if (strcmp(a->chans, b->chans))
		return "a channel is still in use";
	if (strcmp(a->shares, b->shares))
		return "a share or bounce slot is still held";
	return NULL;
}

/*
 * Compare with @base; what goes asynchronously (a closed channel's last
 * references: its fences after an RCU grace period, then a work item)
 * gets 5 s.
 */
static const char *snap_settled(const struct snap *base)
{
	struct snap now;
	const char *why;
	int i;

	for (i = 0; i < 500; i++) {
		snap_take(&now);
		why = snap_diff(base, &now);
		if (!why)
			return NULL;
		usleep(10000);
	}
	return why;
}

/*
 * What the tests before left to go asynchronously is gone: no module
 * reference is left (the test holds no dmashim file yet).
 */
static void settle(void)
{
	int i;

	for (i = 0; i < 500 && read_long("/sys/module/dmashim/refcnt") > 0;
	     i++)
		usleep(10000);
}

/* ---- a sweep ----------------------------------------------------------- */

/* What a submit of the sweeps moves. */
enum batch {
	BATCH_MEMCPY,	/* b[0] to b[1] */
	BATCH_QUARTERS,	/* the same, in four transfers */
	BATCH_MIXED,	/* and b[2] into the device's window, out into b[3] */
};

/* Everything a call may need, set up by its prepare outside the window. */
struct op {
	int ctx;		/* context of the call */
	int ch;			/* channel */
	int fd;			/* the file the call is on, or makes */
	struct buffer b[4];	/* buffers */
	int heap_fd;		/* a foreign dma-buf */
	int make_fd;		/* /proc/thread-self/make-it-fail */
	__u64 handle;		/* a mapping */
	unsigned long req;	/* the ioctl */
	union {
		struct dmashim_info info;
		struct dmashim_stats stats;
		struct dmashim_bind bind;
		struct dmashim_alloc alloc;
		struct dmashim_pin pin;
		struct dmashim_map map;
		struct dmashim_unmap unmap;
		struct dmashim_segments segments;
		struct dmashim_sync sync;
		struct dmashim_chan_open chan_open;
		struct dmashim_chan_info chan_info;
		struct dmashim_chan_config chan_config;
		struct dmashim_chan_submit submit;
		struct dmashim_chan_status chan_status;
		struct dmashim_chan_control control;
		struct dmashim_record rec;
	} arg;
	struct dmashim_segment segs[8];
	struct dmashim_xfer x[8];
	unsigned int nr;	/* transfers in @x */
	unsigned int seed;	/* pattern of the transfers' sources */
	void *pin_mem;		/* memory to pin */
	char name[DMASHIM_CHAN_NAME_LEN];
	const char *driver;	/* the channel's provider */
	const char *bind;	/* a device to bind to */
	__u32 kind, flags, dir, op;
	size_t len;
	enum batch batch;
};

/* What the sweep of one call does, besides the call. */
struct sweep {
	const char *name;
	/* Make what the call needs; 0 or -errno. */
	int (*prepare)(struct op *o);
	call_fn call;
	/*
	 * The call returned @ret (>= 0, or -errno): check what it did and
	 * give back what it made; NULL or what is wrong.
	 */
	const char *(*undo)(struct op *o, long ret);
	/* Give back what prepare made. */
	void (*cleanup)(struct op *o);
	/* errnos a failed allocation may give besides ENOMEM, 0-ended */
	int errnos[4];
};

/* How a call ended, for the log. */
static const char *outcome(long ret)
{
	return ret >= 0 ? "the call succeeded" : strerror(-ret);
}

static bool errno_ok(const struct sweep *sw, long ret)
{
	unsigned int i;

	if (ret == -ENOMEM)
		return true;
	for (i = 0; i < ARRAY_SIZE(sw->errnos) && sw->errnos[i]; i++)
		if (ret == -sw->errnos[i])
			return true;
	return false;
}

static void op_init(struct op *o)
{
	unsigned int i;

	memset(o, 0, sizeof(*o));
	o->ctx = o->ch = o->fd = o->heap_fd = -1;
	for (i = 0; i < ARRAY_SIZE(o->b); i++)
		o->b[i].fd = -1;
}

static void op_release(struct op *o)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(o->b); i++)
		buffer_put(&o->b[i]);
	if (o->heap_fd >= 0)
		close(o->heap_fd);
	if (o->fd >= 0 && o->fd != o->ch && o->fd != o->ctx)
		close(o->fd);
	if (o->ch >= 0)
		close(o->ch);
	if (o->ctx >= 0)
		close(o->ctx);
	o->ctx = o->ch = o->fd = o->heap_fd = -1;
}

static long call_ioctl(void *arg)
{
	struct op *o = arg;

	return ioctl(o->fd, o->req, &o->arg) < 0 ? -errno : 0;
}

/*
 * Sweep @sw: once without a fault (what is set up lazily settles; the
 * call must work), then with allocation n failed, n = 1, 2, ... until
 * the call reaches no n-th allocation.
 */
static void sweep(struct __test_metadata *_metadata, const struct sweep *sw,
		  struct op *o)
{
	unsigned int n, nomem = 0, other = 0, tolerated = 0;
	long slab = 0, page = 0;
	struct snap base;
	const char *why;
	char line[512];
	struct shot s;
	bool bad = false, dma_debug_on = dma_debug_in_use() >= 0;
	time_t t0 = time(NULL);
	int nth, kmsg;

	nth = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, nth);
	kmsg = kmsg_open();
	ASSERT_LE(0, kmsg);

	snap_take(&base);
	ASSERT_EQ(0, sw->prepare(o)) TH_LOG("%s: setting up", sw->name);
	ASSERT_EQ(0, inject_nth(nth, 0, sw->call, o, &s));
	ASSERT_LE(0, s.ret) TH_LOG("%s without a fault: %s", sw->name,
				   strerror(-s.ret));
	why = sw->undo(o, s.ret);
	ASSERT_EQ(NULL, why) TH_LOG("%s without a fault: %s", sw->name, why);
	sw->cleanup(o);
	why = snap_settled(&base);
	ASSERT_EQ(NULL, why) TH_LOG("%s without a fault: left %s", sw->name,
				    why);

	for (n = 1; !bad; n++) {
		ASSERT_GE(NTH_CAP, n)
			TH_LOG("%s: allocation %u still reached", sw->name, n);
		ASSERT_EQ(0, sw->prepare(o))
			TH_LOG("%s: setting up for allocation %u", sw->name,
			       n);
		ASSERT_EQ(0, inject_nth(nth, n, sw->call, o, &s));
		slab += s.slab;
		page += s.page;
		if (!s.fired) {
			EXPECT_LE(0, s.ret)
				TH_LOG("%s: %s with no fault injected",
				       sw->name, strerror(-s.ret));
		} else if (s.ret >= 0) {
			tolerated++;
		} else if (s.ret == -ENOMEM) {
			nomem++;
		} else if (errno_ok(sw, s.ret)) {
			other++;
		} else {
			bad = true;
			EXPECT_TRUE(errno_ok(sw, s.ret))
				TH_LOG("%s: allocation %u failed: %s",
				       sw->name, n, strerror(-s.ret));
		}
		why = sw->undo(o, s.ret);
		if (why) {
			bad = true;
			EXPECT_EQ(NULL, why)
				TH_LOG("%s, allocation %u failed (%s): %s",
				       sw->name, n, outcome(s.ret), why);
		}
		sw->cleanup(o);
		why = snap_settled(&base);
		if (why) {
			bad = true;
			EXPECT_EQ(NULL, why)
				TH_LOG("%s, allocation %u failed (%s): left %s",
				       sw->name, n, outcome(s.ret), why);
		}
		if (dma_debug_on && dma_debug_in_use() < 0) {
			dma_debug_on = false;
			printf("# fault: %s: allocation %u failed one of dma-debug's own: it switched itself off (\"cacheline tracking ENOMEM\")\n",
			       sw->name, n);
		}
		if (!s.fired)
			break;
	}
	/* The last round reached no n-th allocation: n - 1 were there. */
	printf("# fault: %s: %u allocation points (%ld slab, %ld page): %u ENOMEM, %u other errors, %u absorbed (%ld s)\n",
	       sw->name, n - 1, slab, page, nomem, other, tolerated,
	       (long)(time(NULL) - t0));
	fflush(stdout);
	EXPECT_EQ(0, kmsg_trouble(kmsg, line, sizeof(line)))
		TH_LOG("%s: the kernel said: %s", sw->name, line);
	close(kmsg);
	close(nth);
}

/* ---- the calls ---------------------------------------------------------- */

static void cleanup_all(struct op *o)
{
	op_release(o);
}

static const char *undo_none(struct op *o, long ret)
{
	return NULL;
}

/* The call made a file (its fd is @ret or in the ioctl's struct). */
static const char *undo_close(struct op *o, long ret)
{
	if (ret >= 0 && o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	return NULL;
}

/* Opening /dev/dmashim: a context. */
static long call_open(void *arg)
{
	struct op *o = arg;

	o->fd = open(DMASHIM_DEV_PATH, O_RDWR | O_CLOEXEC);
	return o->fd < 0 ? -errno : o->fd;
}

static int prep_nothing(struct op *o)
{
	return 0;
}

/* A context, the call on it. */
static int prep_ctx(struct op *o)
{
	o->ctx = ctx_open();
	o->fd = o->ctx;
	return o->ctx < 0 ? o->ctx : 0;
}

static int prep_info(struct op *o)
{
	int ret = prep_ctx(o);

	o->req = DMASHIM_IOCTL_INFO;
	o->arg.info = (struct dmashim_info){ .size = sizeof(o->arg.info) };
	return ret;
}

static int prep_stats(struct op *o)
{
	int ret = prep_ctx(o);

	o->req = DMASHIM_IOCTL_STATS;
	o->arg.stats = (struct dmashim_stats){ .size = sizeof(o->arg.stats) };
	return ret;
}

static int prep_bind(struct op *o)
{
	int ret = prep_ctx(o);

	o->req = DMASHIM_IOCTL_BIND;
	o->arg.bind = (struct dmashim_bind){
		.size = sizeof(o->arg.bind),
		.dma_bits = strncmp(o->bind, "pci:", 4) ? 0 : EDU_DMA_BITS,
	};
	snprintf(o->arg.bind.device, sizeof(o->arg.bind.device), "%s",
		 o->bind);
	return ret;
}

/* A context bound to @o->bind, or the default one's. */
static int prep_bound(struct op *o)
{
	o->ctx = o->bind ? ctx_open_bound(o->bind, EDU_DMA_BITS) : ctx_open();
	o->fd = o->ctx;
	return o->ctx < 0 ? o->ctx : 0;
}

static int prep_alloc(struct op *o)
{
	int ret = prep_bound(o);

	o->req = DMASHIM_IOCTL_ALLOC;
	o->arg.alloc = (struct dmashim_alloc){
		.size = sizeof(o->arg.alloc),
		.length = o->len,
		.kind = o->kind,
		.fd_flags = O_RDWR | O_CLOEXEC,
	};
	return ret;
}

/* A buffer made: it is there, zeroed, and goes with its fd. */
static const char *undo_buffer(struct op *o, long ret, int fd)
{
	static char why[128];
	unsigned char *p;
	long d;

	if (ret < 0)
		return NULL;
	p = mmap(NULL, o->len, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return "the buffer cannot be mapped";
	}
	d = first_nonzero(p, o->len);
	munmap(p, o->len);
	close(fd);
	if (d < 0)
		return NULL;
	snprintf(why, sizeof(why), "byte %ld of the new buffer is not 0", d);
	return why;
}

static const char *undo_alloc(struct op *o, long ret)
{
	return undo_buffer(o, ret, o->arg.alloc.fd);
}

static int prep_pin(struct op *o)
{
	int ret = prep_ctx(o);

	if (!o->pin_mem) {
		o->pin_mem = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
				  -1, 0);
		if (o->pin_mem == MAP_FAILED)
			return -errno;
	}
	/* Touched: the pin finds its pages there, no fault to allocate. */
	memset(o->pin_mem, 0x5a, 4 * 4096);
	o->req = DMASHIM_IOCTL_PIN;
	o->arg.pin = (struct dmashim_pin){
		.size = sizeof(o->arg.pin),
		.flags = DMASHIM_PIN_DEVICE_WRITES,
		.addr = (uintptr_t)o->pin_mem + 64,
		.length = 3 * 4096,
		.fd_flags = O_RDWR | O_CLOEXEC,
	};
	return ret;
}

static const char *undo_pin(struct op *o, long ret)
{
	if (ret >= 0)
		close(o->arg.pin.fd);
	return NULL;
}

/* A buffer of @o->kind (or a foreign one) to map. */
static int prep_map(struct op *o)
{
	struct dma_heap_allocation_data heap = {
		.len = 3 * 4096,
		.fd_flags = O_RDWR | O_CLOEXEC,
	};
	int ret = prep_bound(o), fd;

	if (ret)
		return ret;
	if (o->kind == ~0U) {
		fd = open(SYSTEM_HEAP, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		ret = ioctl_errno(fd, DMA_HEAP_IOCTL_ALLOC, &heap);
		close(fd);
		if (ret)
			return ret;
		o->heap_fd = heap.fd;
		fd = heap.fd;
	} else {
		ret = buffer_get(o->ctx, o->kind, o->len, &o->b[0]);
		if (ret)
			return ret;
		fd = o->b[0].fd;
	}
	o->req = DMASHIM_IOCTL_MAP;
	o->arg.map = (struct dmashim_map){
		.size = sizeof(o->arg.map),
		.flags = o->flags,
		.fd = fd,
		.dir = o->dir,
		.segments = (uintptr_t)o->segs,
		.nr_segments = ARRAY_SIZE(o->segs),
		.segment_size = sizeof(o->segs[0]),
	};
	memset(o->segs, 0, sizeof(o->segs));
	return 0;
}

static const char *undo_map(struct op *o, long ret)
{
	if (ret < 0)
		return NULL;
	if (ctx_unmap(o->ctx, o->arg.map.handle))
		return "the new mapping does not unmap";
	return NULL;
}

/* A mapping of a buffer of @o->kind, made before the call. */
static int prep_mapped(struct op *o)
{
	int ret = prep_map(o);

	if (ret)
		return ret;
	ret = call_ioctl(o);
	if (ret)
		return ret;
	o->handle = o->arg.map.handle;
	return 0;
}

static void cleanup_mapped(struct op *o)
{
	if (o->handle)
		ctx_unmap(o->ctx, o->handle);
	o->handle = 0;
	op_release(o);
}

static int prep_unmap(struct op *o)
{
	int ret = prep_mapped(o);

	o->req = DMASHIM_IOCTL_UNMAP;
	o->arg.unmap = (struct dmashim_unmap){
		.size = sizeof(o->arg.unmap),
		.handle = o->handle,
	};
	return ret;
}

/* Unmapped, or (failed) still there to unmap. */
static const char *undo_unmap(struct op *o, long ret)
{
	int again = ctx_unmap(o->ctx, o->handle);

	o->handle = 0;
	if (ret >= 0 && again != -ENOENT)
		return "the mapping is still there after its unmap";
	if (ret < 0 && again)
		return "a failed unmap lost the mapping";
	return NULL;
}

static int prep_segments(struct op *o)
{
	int ret = prep_mapped(o);

	o->req = DMASHIM_IOCTL_SEGMENTS;
	o->arg.segments = (struct dmashim_segments){
		.size = sizeof(o->arg.segments),
		.handle = o->handle,
		.segments = (uintptr_t)o->segs,
		.count = ARRAY_SIZE(o->segs),
		.segment_size = sizeof(o->segs[0]),
	};
	return ret;
}

static int prep_sync(struct op *o)
{
	int ret = prep_mapped(o);

	o->req = DMASHIM_IOCTL_SYNC;
	o->arg.sync = (struct dmashim_sync){
		.size = sizeof(o->arg.sync),
		.flags = o->op,
		.handle = o->handle,
		.offset = 100,
		.length = o->len - 200,
		.dir = o->dir,
	};
	return ret;
}

/* ---- channels ---------------------------------------------------------- */

/* A context; the call opens the channel. */
static int prep_chan_open(struct op *o)
{
	int ret = prep_ctx(o);

	o->req = DMASHIM_IOCTL_CHAN_OPEN;
	o->arg.chan_open = (struct dmashim_chan_open){
		.size = sizeof(o->arg.chan_open),
		.fd_flags = O_CLOEXEC,
		.record_size = sizeof(struct dmashim_record),
	};
	snprintf(o->arg.chan_open.name, sizeof(o->arg.chan_open.name), "%s",
		 o->name);
	return ret;
}

static const char *undo_chan_open(struct op *o, long ret)
{
	if (ret >= 0)
		close(o->arg.chan_open.fd);
	if (chan_in_use(o->name) != 0)
		return ret >= 0 ? "the channel stays in use once closed" :
				  "a failed open left the channel in use";
	return NULL;
}

/* An open, configured channel, the call on it. */
static int prep_chan(struct op *o)
{
	int ret = prep_ctx(o);

	if (ret)
		return ret;
	o->ch = chan_open(o->ctx, o->name, 0, O_CLOEXEC);
	if (o->ch < 0)
		return o->ch;
	o->fd = o->ch;
	return chan_config(o->ch, DMA_WINDOW, DMA_WINDOW);
}

static int prep_chan_info(struct op *o)
{
	int ret = prep_chan(o);

	o->req = DMASHIM_IOCTL_CHAN_INFO;
	o->arg.chan_info = (struct dmashim_chan_info){
		.size = sizeof(o->arg.chan_info),
	};
	return ret;
}

static int prep_chan_config(struct op *o)
{
	int ret = prep_chan(o);

	o->req = DMASHIM_IOCTL_CHAN_CONFIG;
	o->arg.chan_config = (struct dmashim_chan_config){
		.size = sizeof(o->arg.chan_config),
		.src_addr = DMA_WINDOW,
		.dst_addr = DMA_WINDOW,
		.src_width = 4,
		.dst_width = 4,
	};
	return ret;
}

/*
 * The transfers of a submit on @o->ch (@o->nr of them, in @o->x, as
 * @o->batch says); sources filled with a new pattern, destinations
 * cleared.
 */
static int xfers_make(struct op *o)
{
	size_t slave = o->len < EDU_WINDOW_LEN ? o->len : EDU_WINDOW_LEN;
	size_t q = o->len / 4;
	unsigned int i;
	int ret;

	for (i = 0; i < (o->batch == BATCH_MIXED ? 4 : 2); i++) {
		if (o->b[i].fd >= 0)
			continue;
		ret = buffer_get(o->ctx, i == 3 ? KIND_PINNED :
					 DMASHIM_BUF_PAGES, o->len, &o->b[i]);
		if (ret)
			return ret;
	}
	o->seed++;
	pattern_fill(o->b[0].cpu, o->len, 0, o->seed);
	memset(o->b[1].cpu, 0, o->len);
	o->x[0] = xfer_memcpy(o->b[1].fd, 0, o->b[0].fd, 0, o->len);
	o->nr = 1;
	if (o->batch == BATCH_QUARTERS) {
		for (i = 0; i < 4; i++)
			o->x[i] = xfer_memcpy(o->b[1].fd, i * q, o->b[0].fd,
					      i * q,
					      i == 3 ? o->len - 3 * q : q);
		o->nr = 4;
	} else if (o->batch == BATCH_MIXED) {
		pattern_fill(o->b[2].cpu, slave, 0, o->seed + 100);
		memset(o->b[3].cpu, 0, o->len);
		o->x[1] = xfer_slave(DMASHIM_XFER_TO_DEVICE, o->b[2].fd, 0,
				     slave);
		o->x[2] = xfer_slave(DMASHIM_XFER_FROM_DEVICE, o->b[3].fd, 0,
				     slave);
		o->nr = 3;
	}
	for (i = 0; i < o->nr; i++)
		o->x[i].user_data = o->seed * 10 + i;
	return 0;
}

static void submit_arg(struct op *o, __u32 flags)
{
	o->req = DMASHIM_IOCTL_CHAN_SUBMIT;
	o->arg.submit = (struct dmashim_chan_submit){
		.size = sizeof(o->arg.submit),
		.flags = flags,
		.xfers = (uintptr_t)o->x,
		.count = o->nr,
		.fence_fd = -1,
		.xfer_size = sizeof(o->x[0]),
	};
}

/*
 * Wait for the records of the transfers in @o->x, in order, and check
 * what they moved.  NULL or what is wrong.
 */
static const char *xfers_check(struct op *o)
{
	static char why[128];
	size_t slave = o->len < EDU_WINDOW_LEN ? o->len : EDU_WINDOW_LEN;
	struct dmashim_record rec;
	unsigned int i;
	long d;
	int ret;

	for (i = 0; i < o->nr; i++) {
		ret = chan_record(o->ch, &rec, 60000);
		if (ret) {
			snprintf(why, sizeof(why), "record %u: %s", i,
				 strerror(-ret));
			return why;
		}
		if (rec.cookie != o->x[i].cookie ||
		    rec.user_data != o->x[i].user_data ||
		    rec.status != DMASHIM_XFER_COMPLETE) {
			snprintf(why, sizeof(why),
				 "record %u: cookie %d (want %d), status %u",
				 i, rec.cookie, o->x[i].cookie, rec.status);
			return why;
		}
	}
	d = pattern_diff(o->b[1].cpu, o->len, 0, o->seed);
	if (d < 0 && o->batch == BATCH_MIXED)
		d = pattern_diff(o->b[3].cpu, slave, 0, o->seed + 100);
	if (d >= 0) {
		snprintf(why, sizeof(why), "byte %ld was not copied", d);
		return why;
	}
	return NULL;
}

/* A failed submit submitted nothing: no record, every descriptor free. */
static const char *nothing_submitted(struct op *o)
{
	struct dmashim_chan_info info;
	struct dmashim_record rec;

	if (chan_info(o->ch, &info) || info.descs_free != info.descs_total ||
	    info.state != DMASHIM_CHAN_CONFIGURED)
		return "a failed submit left descriptors in use";
	if (chan_record(o->ch, &rec, 0) != -ETIME)
		return "a failed submit left a record";
	return NULL;
}

static const char *undo_submit(struct op *o, long ret)
{
	if (ret < 0)
		return nothing_submitted(o);
	if (o->arg.submit.flags & DMASHIM_SUBMIT_FENCE_OUT)
		close(o->arg.submit.fence_fd);
	return xfers_check(o);
}

/* A new channel; its first submit maps the buffers (the cache fills). */
static int prep_submit_first(struct op *o)
{
	int ret = prep_chan(o);

	if (!ret)
		ret = xfers_make(o);
	submit_arg(o, 0);
	return ret;
}

/* A channel whose buffers were mapped by a submit already. */
static int prep_submit_warm(struct op *o)
{
	const char *why;
	int ret = prep_submit_first(o);

	if (ret)
		return ret;
	ret = ioctl_errno(o->ch, DMASHIM_IOCTL_CHAN_SUBMIT, &o->arg.submit);
	if (ret)
		return ret;
	why = xfers_check(o);
	if (why)
		return -EIO;
	ret = xfers_make(o);
	submit_arg(o, o->flags);
	return ret;
}

/* A channel with a record to read: the call reads it. */
static int prep_read(struct op *o)
{
	struct pollfd pfd;
	int ret = prep_submit_first(o);

	if (ret)
		return ret;
	ret = ioctl_errno(o->ch, DMASHIM_IOCTL_CHAN_SUBMIT, &o->arg.submit);
	if (ret)
		return ret;
	pfd = (struct pollfd){ .fd = o->ch, .events = POLLIN };
	if (poll(&pfd, 1, 60000) != 1)
		return -ETIME;
	memset(&o->arg.rec, 0, sizeof(o->arg.rec));
	return 0;
}

static long call_read(void *arg)
{
	struct op *o = arg;
	ssize_t n = read(o->ch, &o->arg.rec, sizeof(o->arg.rec));

	return n < 0 ? -errno : n;
}

/* The first record read, or (failed) still there; then the others. */
static const char *undo_read(struct op *o, long ret)
{
	struct dmashim_record rec;
	unsigned int i;

	if (ret < 0) {
		if (chan_record(o->ch, &rec, 0))
			return "a failed read lost its record";
	} else if (ret != sizeof(rec)) {
		return "a short read";
	} else {
		rec = o->arg.rec;
	}
	if (rec.cookie != o->x[0].cookie ||
	    rec.status != DMASHIM_XFER_COMPLETE)
		return "the record is not the transfer's";
	for (i = 1; i < o->nr; i++)
		if (chan_record(o->ch, &rec, 60000))
			return "a record is missing";
	return NULL;
}

/*
 * cpudma moving a long transfer slowly (eight steps of 50 ms): the
 * control call catches it moving.  For a resume, it is paused first.
 */
static int prep_control(struct op *o)
{
	int ret = prep_chan(o), state;

	if (ret)
		return ret;
	ret = buffer_get(o->ctx, DMASHIM_BUF_PAGES, o->len, &o->b[0]);
	if (!ret)
		ret = buffer_get(o->ctx, DMASHIM_BUF_PAGES, o->len, &o->b[1]);
	if (ret)
		return ret;
	/* The buffers mapped and the channel warm, at full speed. */
	o->x[0] = xfer_memcpy(o->b[1].fd, 0, o->b[0].fd, 0, o->len);
	o->nr = 1;
	ret = chan_submit(o->ch, o->x, 1, NULL);
	if (!ret)
		ret = chan_record(o->ch, &o->arg.rec, 60000);
	if (!ret)
		ret = cpudma_step_delay(50);
	if (!ret)
		ret = chan_submit(o->ch, o->x, 1, NULL);
	if (ret)
		return ret;
	if (o->op == DMASHIM_CHAN_RESUME) {
		state = chan_control(o->ch, DMASHIM_CHAN_PAUSE);
		if (state < 0)
			return state;
	}
	o->req = DMASHIM_IOCTL_CHAN_CONTROL;
	o->arg.control = (struct dmashim_chan_control){
		.size = sizeof(o->arg.control),
		.op = o->op,
	};
	return 0;
}

/*
 * Whatever the call did, the transfer ends: completed (paused ones
 * resumed) or aborted by a terminate.
 */
static const char *undo_control(struct op *o, long ret)
{
	struct dmashim_record rec;
	bool term = o->op == DMASHIM_CHAN_TERMINATE ||
		    o->op == DMASHIM_CHAN_TERMINATE_SYNC;

	cpudma_step_delay(0);
	if (ret >= 0 && o->arg.control.state != (__u32)chan_state(o->ch) &&
	    o->op == DMASHIM_CHAN_PAUSE)
		return "the state the call returned is not the channel's";
	if (chan_state(o->ch) == DMASHIM_CHAN_SUSPENDED &&
	    chan_control(o->ch, DMASHIM_CHAN_RESUME) < 0)
		return "the transfer cannot be resumed";
	if (chan_record(o->ch, &rec, 60000))
		return "the transfer never ended";
	if (rec.cookie != o->x[0].cookie)
		return "the record is not the transfer's";
	if (ret >= 0 && term && rec.status != DMASHIM_XFER_ABORTED &&
	    rec.status != DMASHIM_XFER_COMPLETE)
		return "a terminated transfer's record";
	if (!term && rec.status != DMASHIM_XFER_COMPLETE)
		return "a paused transfer did not complete";
	return NULL;
}

static void cleanup_control(struct op *o)
{
	cpudma_step_delay(0);
	op_release(o);
}

/* A channel that moved data, its cache full: the call closes it. */
static int prep_close_chan(struct op *o)
{
	int ret = prep_submit_first(o);

	if (!ret)
		ret = ioctl_errno(o->ch, DMASHIM_IOCTL_CHAN_SUBMIT,
				  &o->arg.submit);
	if (!ret && xfers_check(o))
		ret = -EIO;
	/* One more in flight, or just done, as the file goes. */
	if (!ret)
		ret = xfers_make(o);
	if (!ret)
		ret = chan_submit(o->ch, o->x, o->nr, NULL);
	o->fd = o->ch;
	return ret;
}

static long call_close(void *arg)
{
	struct op *o = arg;
	int fd = o->fd;

	o->fd = -1;
	if (fd == o->ch)
		o->ch = -1;
	if (fd == o->ctx)
		o->ctx = -1;
	return close(fd) ? -errno : 0;
}

/* A context with a buffer mapped (bounced): the call closes the context. */
static int prep_close_ctx(struct op *o)
{
	int ret = prep_mapped(o);

	o->handle = 0;	/* it goes with the context */
	o->fd = o->ctx;
	return ret;
}

/* ---- the fixture -------------------------------------------------------- */

FIXTURE(fault) {
	struct op o;
};

FIXTURE_SETUP(fault)
{
	int ret;

	op_init(&self->o);
	if (access(FAIL_NTH, W_OK) || access(FAILSLAB, F_OK) ||
	    access(FAILPAGE, F_OK))
		SKIP(return, "%s", NO_INJECTION);
	ret = settings_apply();
	ASSERT_EQ(0, ret) TH_LOG("setting up fault injection: %s",
				 strerror(-ret));
	mapping_views_on();
	settle();
}

FIXTURE_TEARDOWN(fault)
{
	op_release(&self->o);
	if (self->o.pin_mem)
		munmap(self->o.pin_mem, 4 * 4096);
	settings_restore();
}

#define SWEEP(...) (&(const struct sweep){ __VA_ARGS__ })

/* ---- the context's ioctls --------------------------------------------- */

/*
 * A context that claims the driverless edu for the whole test, so that
 * the contexts of a sweep bind to it without probing it each time (the
 * claim is not swept: see bind_claimed); its fd or -errno.
 */
static int edu_hold(void)
{
	if (!edu_addr() || pci_driver_of(edu_addr())[0])
		return -ENODEV;
	return ctx_open_bound(edu_bind_name(), EDU_DMA_BITS);
}

TEST_F_TIMEOUT(fault, context_open, 120)
{
	sweep(_metadata, SWEEP(.name = "open /dev/dmashim",
			       .prepare = prep_nothing, .call = call_open,
			       .undo = undo_close, .cleanup = cleanup_all),
	      &self->o);
}

TEST_F_TIMEOUT(fault, info_stats, 120)
{
	sweep(_metadata, SWEEP(.name = "INFO", .prepare = prep_info,
			       .call = call_ioctl, .undo = undo_none,
			       .cleanup = cleanup_all), &self->o);
	sweep(_metadata, SWEEP(.name = "STATS", .prepare = prep_stats,
			       .call = call_ioctl, .undo = undo_none,
			       .cleanup = cleanup_all), &self->o);
}

/*
 * Binding to edu, which another context claimed already: its device
 * record, its share.  The claim itself is not swept: pci_enable_device()
 * evaluates ACPI's _PRT, and ACPICA, failing an allocation there ("Could
 * not update object reference count"), reads a freed object
 * (slab-use-after-free in acpi_ns_get_attached_object(), 6.12), a bug of
 * the kernel's, not dmashim's, which the sweep found.
 */
TEST_F_TIMEOUT(fault, bind_claimed, 180)
{
	int holder;

	REQUIRE_FREE_EDU();
	holder = edu_hold();
	ASSERT_LE(0, holder);
	self->o.bind = edu_bind_name();
	sweep(_metadata, SWEEP(.name = "BIND (edu, claimed)",
			       .prepare = prep_bind, .call = call_ioctl,
			       .undo = undo_none, .cleanup = cleanup_all),
	      &self->o);
	close(holder);
}

/* A device another driver owns: a device record without a claim. */
TEST_F_TIMEOUT(fault, bind_owned, 120)
{
	self->o.bind = "platform:serial8250";
	sweep(_metadata, SWEEP(.name = "BIND (owned device)",
			       .prepare = prep_bind, .call = call_ioctl,
			       .undo = undo_none, .cleanup = cleanup_all),
	      &self->o);
}

TEST_F_TIMEOUT(fault, alloc, 240)
{
	static const struct { __u32 kind; size_t len; const char *name; }
	cases[] = {
		/* One block of each order: 1 MiB, 64 KiB, 4 KiB. */
		{ DMASHIM_BUF_PAGES, MiB(1) + KiB(64) + KiB(4),
		  "ALLOC pages" },
		{ DMASHIM_BUF_CONTIGUOUS, KiB(64), "ALLOC contiguous" },
		{ DMASHIM_BUF_COHERENT, KiB(16), "ALLOC coherent" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		self->o.kind = cases[i].kind;
		self->o.len = cases[i].len;
		sweep(_metadata, SWEEP(.name = cases[i].name,
				       .prepare = prep_alloc,
				       .call = call_ioctl,
				       .undo = undo_alloc,
				       .cleanup = cleanup_all), &self->o);
	}
}

/* Coherent memory of edu, behind the configuration's IOMMU. */
TEST_F_TIMEOUT(fault, alloc_coherent_edu, 180)
{
	int holder;

	REQUIRE_FREE_EDU();
	holder = edu_hold();
	ASSERT_LE(0, holder);
	self->o.bind = edu_bind_name();
	self->o.kind = DMASHIM_BUF_COHERENT;
	self->o.len = KiB(16);
	sweep(_metadata, SWEEP(.name = "ALLOC coherent (edu)",
			       .prepare = prep_alloc, .call = call_ioctl,
			       .undo = undo_alloc, .cleanup = cleanup_all),
	      &self->o);
	close(holder);
}

TEST_F_TIMEOUT(fault, pin, 120)
{
	sweep(_metadata, SWEEP(.name = "PIN", .prepare = prep_pin,
			       .call = call_ioctl, .undo = undo_pin,
			       .cleanup = cleanup_all), &self->o);
}

/* MAP of each kind, plain and bounced, for the default device and edu. */
TEST_F_TIMEOUT(fault, map, 300)
{
	static const struct {
		__u32 kind, flags;
		bool edu;
		const char *name;
	} cases[] = {
		{ DMASHIM_BUF_PAGES, 0, false, "MAP pages" },
		{ DMASHIM_BUF_PAGES, DMASHIM_MAP_BOUNCE, false,
		  "MAP pages, bounced" },
		{ DMASHIM_BUF_COHERENT, 0, false, "MAP coherent" },
		{ KIND_PINNED, 0, false, "MAP pinned" },
		{ DMASHIM_BUF_PAGES, 0, true, "MAP pages (edu)" },
		{ DMASHIM_BUF_PAGES, DMASHIM_MAP_BOUNCE, true,
		  "MAP pages, bounced (edu)" },
	};
	unsigned int i;
	int holder = edu_hold();

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (cases[i].edu && holder < 0) {
			printf("# fault: %s: skipped, no driverless edu\n",
			       cases[i].name);
			continue;
		}
		self->o.bind = cases[i].edu ? edu_bind_name() : NULL;
		self->o.kind = cases[i].kind;
		self->o.flags = cases[i].flags;
		self->o.dir = DMASHIM_DIR_BIDIRECTIONAL;
		self->o.len = 3 * 4096 + 100;
		sweep(_metadata, SWEEP(.name = cases[i].name,
				       .prepare = prep_map, .call = call_ioctl,
				       .undo = undo_map,
				       .cleanup = cleanup_all), &self->o);
	}
	if (holder >= 0)
		close(holder);
}

/* Importing another exporter's dma-buf: the system heap's. */
TEST_F_TIMEOUT(fault, map_foreign, 120)
{
	if (access(SYSTEM_HEAP, R_OK))
		SKIP(return, "no %s (a kernel without DMA-BUF heaps)",
		     SYSTEM_HEAP);
	self->o.kind = ~0U;
	self->o.dir = DMASHIM_DIR_BIDIRECTIONAL;
	sweep(_metadata, SWEEP(.name = "MAP foreign (system heap)",
			       .prepare = prep_map, .call = call_ioctl,
			       .undo = undo_map, .cleanup = cleanup_all),
	      &self->o);
}

TEST_F_TIMEOUT(fault, unmap_segments_sync, 240)
{
	self->o.kind = DMASHIM_BUF_PAGES;
	self->o.len = 3 * 4096 + 100;
	self->o.flags = DMASHIM_MAP_BOUNCE;
	self->o.dir = DMASHIM_DIR_BIDIRECTIONAL;
	sweep(_metadata, SWEEP(.name = "UNMAP, bounced",
			       .prepare = prep_unmap, .call = call_ioctl,
			       .undo = undo_unmap, .cleanup = cleanup_mapped),
	      &self->o);
	sweep(_metadata, SWEEP(.name = "SEGMENTS", .prepare = prep_segments,
			       .call = call_ioctl, .undo = undo_none,
			       .cleanup = cleanup_mapped), &self->o);
	self->o.op = DMASHIM_SYNC_FOR_DEVICE;
	sweep(_metadata, SWEEP(.name = "SYNC for the device, bounced",
			       .prepare = prep_sync, .call = call_ioctl,
			       .undo = undo_none, .cleanup = cleanup_mapped),
	      &self->o);
	self->o.op = DMASHIM_SYNC_FOR_CPU;
	sweep(_metadata, SWEEP(.name = "SYNC for the CPU, bounced",
			       .prepare = prep_sync, .call = call_ioctl,
			       .undo = undo_none, .cleanup = cleanup_mapped),
	      &self->o);
}

/* Closing a context that holds a bounced mapping and a buffer. */
TEST_F_TIMEOUT(fault, context_close, 120)
{
	self->o.kind = DMASHIM_BUF_PAGES;
	self->o.len = 3 * 4096 + 100;
	self->o.flags = DMASHIM_MAP_BOUNCE;
	self->o.dir = DMASHIM_DIR_FROM_DEVICE;
	sweep(_metadata, SWEEP(.name = "close (context with a mapping)",
			       .prepare = prep_close_ctx, .call = call_close,
			       .undo = undo_none, .cleanup = cleanup_all),
	      &self->o);
}

/* ---- a channel's life, on each provider ------------------------------- */

FIXTURE(life) {
	struct op o;
};

FIXTURE_VARIANT(life) {
	const char *driver;
	size_t len;
};

FIXTURE_VARIANT_ADD(life, cpu) {
	.driver = CPU_DMA_DRIVER,
	.len = KiB(64) + 300,
};

FIXTURE_VARIANT_ADD(life, edu) {
	.driver = EDU_DMA_DRIVER,
	.len = 1000,
};

FIXTURE_SETUP(life)
{
	int ret;

	op_init(&self->o);
	if (access(FAIL_NTH, W_OK) || access(FAILSLAB, F_OK) ||
	    access(FAILPAGE, F_OK))
		SKIP(return, "%s", NO_INJECTION);
	REQUIRE_CHANNEL(variant->driver, self->o.name);
	ret = settings_apply();
	ASSERT_EQ(0, ret) TH_LOG("setting up fault injection: %s",
				 strerror(-ret));
	mapping_views_on();
	settle();
	self->o.driver = variant->driver;
	self->o.len = variant->len;
}

FIXTURE_TEARDOWN(life)
{
	op_release(&self->o);
	settings_restore();
}

/* edu's steps take 100 ms of DMA: what does not need edu runs on cpudma. */
static bool edu(const FIXTURE_DATA(life) *self)
{
	return !strcmp(self->o.driver, EDU_DMA_DRIVER);
}

TEST_F_TIMEOUT(life, open_info_config, 240)
{
	sweep(_metadata, SWEEP(.name = "CHAN_OPEN", .prepare = prep_chan_open,
			       .call = call_ioctl, .undo = undo_chan_open,
			       .cleanup = cleanup_all), &self->o);
	sweep(_metadata, SWEEP(.name = "CHAN_INFO", .prepare = prep_chan_info,
			       .call = call_ioctl, .undo = undo_none,
			       .cleanup = cleanup_all), &self->o);
	sweep(_metadata, SWEEP(.name = "CHAN_CONFIG",
			       .prepare = prep_chan_config, .call = call_ioctl,
			       .undo = undo_none, .cleanup = cleanup_all),
	      &self->o);
}

/* The first submit of a channel maps its buffers into its cache. */
TEST_F_TIMEOUT(life, submit_first, 300)
{
	/* edu's steps take 100 ms: slave transfers are swept on cpudma. */
	self->o.batch = edu(self) ? BATCH_MEMCPY : BATCH_MIXED;
	sweep(_metadata, SWEEP(.name = "CHAN_SUBMIT, first use",
			       .prepare = prep_submit_first,
			       .call = call_ioctl, .undo = undo_submit,
			       .cleanup = cleanup_all), &self->o);
}

/*
 * Steady state: the buffers mapped.  Implicit synchronisation reserves
 * room in the buffers' reservation objects (the debug kernel's
 * dma_resv_unlock() takes back what was not used, so that a submit
 * allocates there every time); an out-fence is a sync_file; without
 * either, nothing is allocated.
 */
TEST_F_TIMEOUT(life, submit_steady, 300)
{
	self->o.batch = edu(self) ? BATCH_MEMCPY : BATCH_MIXED;
	self->o.flags = 0;
	sweep(_metadata, SWEEP(.name = "CHAN_SUBMIT, steady, implicit fences",
			       .prepare = prep_submit_warm,
			       .call = call_ioctl, .undo = undo_submit,
			       .cleanup = cleanup_all), &self->o);
	self->o.flags = DMASHIM_SUBMIT_NO_IMPLICIT | DMASHIM_SUBMIT_FENCE_OUT;
	sweep(_metadata, SWEEP(.name = "CHAN_SUBMIT, steady, out-fence",
			       .prepare = prep_submit_warm,
			       .call = call_ioctl, .undo = undo_submit,
			       .cleanup = cleanup_all), &self->o);
	self->o.flags = DMASHIM_SUBMIT_NO_IMPLICIT;
	sweep(_metadata, SWEEP(.name = "CHAN_SUBMIT, steady, no fences",
			       .prepare = prep_submit_warm,
			       .call = call_ioctl, .undo = undo_submit,
			       .cleanup = cleanup_all), &self->o);
}

TEST_F_TIMEOUT(life, read_record, 240)
{
	if (edu(self))
		SKIP(return, "read is swept on cpudma: the same code, faster");
	sweep(_metadata, SWEEP(.name = "read (a record)",
			       .prepare = prep_read, .call = call_read,
			       .undo = undo_read, .cleanup = cleanup_all),
	      &self->o);
}

/* Pause, resume, terminate (async and sync) of a moving transfer. */
TEST_F_TIMEOUT(life, control, 300)
{
	static const struct { __u32 op; const char *name; } cases[] = {
		{ DMASHIM_CHAN_PAUSE, "CHAN_CONTROL pause" },
		{ DMASHIM_CHAN_RESUME, "CHAN_CONTROL resume" },
		{ DMASHIM_CHAN_TERMINATE, "CHAN_CONTROL terminate" },
		{ DMASHIM_CHAN_TERMINATE_SYNC, "CHAN_CONTROL terminate sync" },
	};
	unsigned int i;

	if (edu(self))
		SKIP(return, "control is swept on cpudma, whose steps can be slowed down");
	self->o.len = KiB(512);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		self->o.op = cases[i].op;
		sweep(_metadata, SWEEP(.name = cases[i].name,
				       .prepare = prep_control,
				       .call = call_ioctl,
				       .undo = undo_control,
				       .cleanup = cleanup_control), &self->o);
	}
}

/* Closing a channel with a transfer in flight and its cache full. */
TEST_F_TIMEOUT(life, close, 240)
{
	sweep(_metadata, SWEEP(.name = "close (channel)",
			       .prepare = prep_close_chan, .call = call_close,
			       .undo = undo_none, .cleanup = cleanup_all),
	      &self->o);
}

/* ---- the submit path allocates nothing -------------------------------- */

/*
 * Every slab and page allocation of this thread fails (@on), or none.
 * The filter is on whenever the probability is not 0: without it, every
 * task's allocations would fail.
 */
static int fail_everything(bool on)
{
	static const char *const attrs[] = { FAILSLAB, FAILPAGE };
	char filter[128], prob[128];
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ARRAY_SIZE(attrs) && !ret; i++) {
		snprintf(filter, sizeof(filter), "%s/task-filter", attrs[i]);
		snprintf(prob, sizeof(prob), "%s/probability", attrs[i]);
		if (on) {
			ret = sysfs_write(filter, "Y");
			if (!ret)
				ret = sysfs_write(prob, "100");
		} else {
			ret = sysfs_write(prob, "0");
			if (!ret)
				ret = sysfs_write(filter, "N");
		}
	}
	return ret;
}

static long call_submit_failing(void *arg)
{
	struct op *o = arg;
	long ret;

	/* fail-nth is 0 (inject_nth): make-it-fail alone decides. */
	if (pwrite(o->make_fd, "1", 1, 0) != 1)
		return -EIO;
	ret = ioctl(o->fd, o->req, &o->arg) < 0 ? -errno : 0;
	if (pwrite(o->make_fd, "0", 1, 0) != 1)
		return -EIO;
	return ret;
}

/*
 * A batch of @count transfers on an open, configured channel whose
 * buffers are mapped: with fail-nth = 1 no allocation is reached; with
 * every allocation failing, the submit succeeds without a fault (the
 * counters stay) and the transfers complete, byte for byte.  The same
 * setting fails an ALLOC: it does fail allocations.
 */
TEST_F_TIMEOUT(life, submit_allocates_nothing, 240)
{
	struct op *o = &self->o;
	const char *why;
	struct shot s;
	int nth, make;

	nth = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, nth);
	make = open(MAKE_IT_FAIL, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, make);

	/* A batch of memcpys, its buffers mapped by a first run. */
	o->flags = DMASHIM_SUBMIT_NO_IMPLICIT;
	o->batch = BATCH_QUARTERS;
	ASSERT_EQ(0, prep_submit_warm(o));

	/* fail-nth = 1: the first allocation point fails; none is reached. */
	ASSERT_EQ(0, inject_nth(nth, 1, call_ioctl, o, &s));
	EXPECT_EQ(0, s.ret) TH_LOG("submit: %s", strerror(-s.ret));
	EXPECT_EQ(1, s.left) TH_LOG("the submit reached an allocation");
	why = xfers_check(o);
	EXPECT_EQ(NULL, why) TH_LOG("%s", why);

	/* Every allocation of this thread failing. */
	ASSERT_EQ(0, xfers_make(o));
	submit_arg(o, o->flags);
	ASSERT_EQ(0, fail_everything(true));
	o->make_fd = make;
	ASSERT_EQ(0, inject_nth(nth, 0, call_submit_failing, o, &s));
	ASSERT_EQ(0, fail_everything(false));
	EXPECT_EQ(0, s.ret) TH_LOG("submit: %s", strerror(-s.ret));
	EXPECT_EQ(0, s.slab) TH_LOG("the submit tried slab allocations");
	EXPECT_EQ(0, s.page) TH_LOG("the submit tried page allocations");
	why = xfers_check(o);
	EXPECT_EQ(NULL, why) TH_LOG("%s", why);
	printf("# fault: CHAN_SUBMIT of %u transfers, buffers mapped, every allocation failing: %s, %ld slab and %ld page allocations tried\n",
	       o->nr, s.ret ? strerror(-s.ret) : "submitted", s.slab, s.page);

	/* The same setting does fail an allocation. */
	o->fd = o->ctx;
	o->len = 4096;
	o->kind = DMASHIM_BUF_PAGES;
	o->req = DMASHIM_IOCTL_ALLOC;
	o->arg.alloc = (struct dmashim_alloc){
		.size = sizeof(o->arg.alloc),
		.length = 4096,
		.kind = DMASHIM_BUF_PAGES,
		.fd_flags = O_RDWR | O_CLOEXEC,
	};
	ASSERT_EQ(0, fail_everything(true));
	o->make_fd = make;
	ASSERT_EQ(0, inject_nth(nth, 0, call_submit_failing, o, &s));
	ASSERT_EQ(0, fail_everything(false));
	EXPECT_EQ(-ENOMEM, s.ret);
	EXPECT_LT(0, s.slab + s.page);
	if (!s.ret)
		close(o->arg.alloc.fd);
	o->fd = o->ch;
	close(make);
	close(nth);
}

TEST_HARNESS_MAIN
