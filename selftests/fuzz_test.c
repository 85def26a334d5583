// SPDX-License-Identifier: GPL-2.0
/*
 * A seeded fuzzer of everything a user of dmashim can do.
 *
 * Processes (as root and as the unprivileged user, in pairs joined by a
 * Unix socket) each run two or three threads that pick operations at
 * random over a small table of live objects: contexts, buffers (dma-bufs),
 * channels, sync_files, CPU mappings and mapping handles.  The operations
 * are every ioctl of /dev/dmashim and of a channel, the dma-buf and
 * sync_file ioctls, mmap/munmap and touching the memory, read() and
 * poll() of channels, close, dup, fork (the child runs for a moment and
 * exits, or is killed), fds passed to the peer process (SCM_RIGHTS), and
 * the pinned memory unmapped under its pins.  Arguments are built from
 * live objects most of the time, and otherwise from boundary and random
 * values: struct sizes (0, short, exact, long with zero and non-zero
 * tails, a page and more), flags, lengths, offsets, fds and argument
 * pointers (NULL, unmapped, read-only, crossing into an unmapped page).
 * The table is guarded by a mutex; the calls are made outside it, so
 * that the threads race in the kernel.  A thread stuck in a wait (a
 * fence of a paused channel, a blocking read) is interrupted by a signal.
 *
 * What is left out, because it would hurt the guest and not dmashim:
 * binding to any device but the default one, the edu devices and
 * cpudma's (other names are malformed or name no device), and, as root,
 * slave addresses away from the providers' windows (their bounds are
 * fuzzed; random addresses only by unprivileged processes, which must be
 * refused).  Memory is bounded per process and in all.
 *
 * DMASHIM_FUZZ_SEED (default: from the clock) seeds every choice; it is
 * printed first ("# seed N") and logged to the kernel.  Each thread's
 * choices follow from it; the interleaving of the threads does not.
 * DMASHIM_FUZZ_SECONDS (default 20) is how long the operations run.
 *
 * Afterwards, with every process gone: dma-bufs, module references,
 * pinned pages (FOLL_PIN), bounce slots, users' shares, channels in use,
 * mappings, the unprivileged user's RLIMIT_MEMLOCK charge and
 * MemAvailable are back where they were.  The kernel log, taint,
 * dma-debug and kmemleak are the bench's to judge (tools/bench/evaluate).
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/sync_file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "libdmashim.h"
#include "helpers.h"

#define PAGE 4096UL

/* Bounds: objects per process, processes, memory. */
#define MAX_OBJS 40
#define MAX_MAPS 12
#define MAX_HNDS 24
#define MAX_KIDS 2
#define MAX_DEPTH 2
#define MAX_PROCS 14
#define MAX_THREADS 3
#define MAX_CHANS_PER_PROC 2
#define MAX_BATCH 140
#define BYTES_PER_PROC MiB(16)
#define ARENA_LEN MiB(2)
/* The unprivileged user's RLIMIT_MEMLOCK, shared by its processes. */
#define NOBODY_MEMLOCK MiB(32)
#define WORKER_PAIRS 2

#define CPUDMA_DEBUGFS "/sys/kernel/debug/dmashim_cpudma"
#define PARAM_VIEWS "/sys/module/dmashim/parameters/debugfs_mappings"

enum op {
	OP_OPEN, OP_INFO, OP_BIND, OP_ALLOC, OP_PIN, OP_MAP, OP_UNMAP,
	OP_SEGMENTS, OP_SYNC, OP_STATS, OP_CHAN_OPEN, OP_BAD_IOCTL,
	OP_CHAN_INFO, OP_CHAN_CONFIG, OP_CHAN_SUBMIT, OP_CHAN_STATUS,
	OP_CHAN_CONTROL, OP_READ, OP_POLL, OP_NONBLOCK,
	OP_BUF_SYNC, OP_SET_NAME, OP_EXPORT_FENCE, OP_IMPORT_FENCE,
	OP_FENCE_INFO, OP_FENCE_MERGE, OP_MMAP, OP_MUNMAP, OP_TOUCH,
	OP_SEEK, OP_FDINFO, OP_DEBUGFS, OP_CLOSE, OP_DUP, OP_SEND, OP_RECV,
	OP_FORK, OP_KILL, OP_ARENA, OP_KNOB,
	NR_OPS
};

static struct {
	const char *name;
	unsigned int weight;
} ops[NR_OPS] = {
	[OP_OPEN] = { "open", 3 },
	[OP_INFO] = { "info", 3 },
	[OP_BIND] = { "bind", 3 },
	[OP_ALLOC] = { "alloc", 10 },
	[OP_PIN] = { "pin", 6 },
	[OP_MAP] = { "map", 12 },
	[OP_UNMAP] = { "unmap", 8 },
	[OP_SEGMENTS] = { "segments", 4 },
	[OP_SYNC] = { "sync", 8 },
	[OP_STATS] = { "stats", 2 },
	[OP_CHAN_OPEN] = { "chan_open", 4 },
	[OP_BAD_IOCTL] = { "bad_ioctl", 3 },
	[OP_CHAN_INFO] = { "chan_info", 3 },
	[OP_CHAN_CONFIG] = { "chan_config", 5 },
	[OP_CHAN_SUBMIT] = { "chan_submit", 14 },
	[OP_CHAN_STATUS] = { "chan_status", 4 },
	[OP_CHAN_CONTROL] = { "chan_control", 5 },
	[OP_READ] = { "read", 6 },
	[OP_POLL] = { "poll", 4 },
	[OP_NONBLOCK] = { "nonblock", 1 },
	[OP_BUF_SYNC] = { "buf_sync", 6 },
	[OP_SET_NAME] = { "set_name", 2 },
	[OP_EXPORT_FENCE] = { "export_fence", 3 },
	[OP_IMPORT_FENCE] = { "import_fence", 2 },
	[OP_FENCE_INFO] = { "fence_info", 2 },
	[OP_FENCE_MERGE] = { "fence_merge", 1 },
	[OP_MMAP] = { "mmap", 5 },
	[OP_MUNMAP] = { "munmap", 4 },
	[OP_TOUCH] = { "touch", 5 },
	[OP_SEEK] = { "seek", 1 },
	[OP_FDINFO] = { "fdinfo", 1 },
	[OP_DEBUGFS] = { "debugfs", 2 },
	[OP_CLOSE] = { "close", 9 },
	[OP_DUP] = { "dup", 2 },
	[OP_SEND] = { "send", 3 },
	[OP_RECV] = { "recv", 3 },
	[OP_FORK] = { "fork", 1 },
	[OP_KILL] = { "kill", 1 },
	[OP_ARENA] = { "arena", 2 },
	[OP_KNOB] = { "knob", 1 },
};

/* Shared by every process of the run (an anonymous shared mapping). */
struct shared {
	unsigned long calls[NR_OPS];
	unsigned long oks[NR_OPS];	/* calls that succeeded */
	unsigned long kicks;
	unsigned long forks;
	unsigned long kills;
	unsigned long touch_faults;
	int procs;
	int stop;
	char fault[256];
};

/* What the processes may name: found by the coordinator before forking. */
struct env {
	char chans[8][DMASHIM_CHAN_NAME_LEN];
	bool chan_edu[8];
	int nr_chans;
	char edu_free[160];	/* "pci:..." of the driverless edu, or "" */
	char edu_prov[160];	/* "pci:..." of dmashim_edu's edu, or "" */
	char cpudma[160];	/* "platform:..." of cpudma's device, or "" */
};

enum otype { O_FREE, O_CTX, O_BUF, O_CHAN, O_FENCE, NR_OTYPES };

struct obj {
	int type;
	int fd;
	__u64 len;		/* buffers: bytes */
	bool pinned;		/* buffers: pinned memory (no mmap) */
	bool edu;		/* channels: edu's (a 4095-byte window) */
};

struct cpumap {
	unsigned char *addr;
	size_t len;
	int prot;
};

struct hnd {
	int ctx;
	__u64 handle;
	__u64 len;
	__u32 dir;
};

struct thr {
	struct proc *p;
	__u64 rng;
	int idx;
	pthread_t tid;
	/* 2 pages for arguments, a PROT_NONE page, a read-only page */
	unsigned char *area;
	volatile unsigned long opseq;
	enum op op;		/* the one running */
	bool sane;		/* its arguments all valid-looking this time */
	bool done;		/* out of its loop: the kicker leaves it be */
	struct dmashim_xfer xfers[MAX_BATCH];
	struct dmashim_range ranges[DMASHIM_MAX_RANGES + 2];
	struct dmashim_segment segs[32];
	char rd[8192];
};

struct proc {
	pthread_mutex_t lock;
	struct obj objs[MAX_OBJS];
	struct cpumap maps[MAX_MAPS];
	struct hnd hnds[MAX_HNDS];
	int cookies[16];
	unsigned int cookie_pos;
	pid_t kids[MAX_KIDS];
	__u64 bytes;
	int nr_chans;
	int depth;
	bool nobody;
	__u64 deadline;
	int sock;
	int memfd;
	unsigned char *arena;
	struct thr *thr[MAX_THREADS];
	int nr_thr;
	__u64 seed;
	volatile int kicker_stop;
	pthread_t kicker;
	pthread_mutex_t kick_lock;
};

static struct shared *sh;
static struct env env;
static struct proc P;

static __thread sigjmp_buf *touch_jmp;

/* ---- randomness --------------------------------------------------------- */

static __u64 splitmix(__u64 *s)
{
	__u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static __u64 rnd(struct thr *t)
{
	return splitmix(&t->rng);
}

static __u64 below(struct thr *t, __u64 n)
{
	return n ? rnd(t) % n : 0;
}

static bool chance(struct thr *t, unsigned int pct)
{
	return below(t, 100) < pct;
}

/* A choice of an invalid value: never when the operation is sane. */
static bool junk(struct thr *t, unsigned int pct)
{
	return !t->sane && chance(t, pct);
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* A value around @n: the boundaries, far beyond, or within. */
static __u64 around(struct thr *t, __u64 n)
{
	switch (below(t, 14)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return n - 1;
	case 3: return n;
	case 4: return n + 1;
	case 5: return PAGE;
	case 6: return ~0ULL;
	case 7: return 1ULL << 63;
	case 8: return -PAGE;
	case 9: return rnd(t);
	default: return below(t, n + 1);
	}
}

static void count(enum op op)
{
	__atomic_fetch_add(&sh->calls[op], 1, __ATOMIC_RELAXED);
}

/* The call of the running operation returned @ret: count a success. */
static long ok(struct thr *t, long ret)
{
	if (ret >= 0)
		__atomic_fetch_add(&sh->oks[t->op], 1, __ATOMIC_RELAXED);
	return ret;
}

/* ---- the table -------------------------------------------------------- */

static void lock(void)
{
	pthread_mutex_lock(&P.lock);
}

static void unlock(void)
{
	pthread_mutex_unlock(&P.lock);
}

/* A random object of @type (O_FREE: any) into @o; false if none. */
static bool pick_obj(struct thr *t, int type, struct obj *o, bool take)
{
	int idx[MAX_OBJS], n = 0, i;

	lock();
	for (i = 0; i < MAX_OBJS; i++)
		if (P.objs[i].type != O_FREE &&
		    (type == O_FREE || P.objs[i].type == type))
			idx[n++] = i;
	if (n) {
		i = idx[below(t, n)];
		*o = P.objs[i];
		if (take) {
			P.objs[i].type = O_FREE;
			if (o->type == O_BUF)
				P.bytes -= o->len;
			if (o->type == O_CHAN)
				P.nr_chans--;
		}
	}
	unlock();
	return n;
}

/* Keep @o in the table, or close it if the table has no room for it. */
static void add_obj(const struct obj *o)
{
	int i;

	lock();
	if (o->type == O_CHAN && P.nr_chans >= MAX_CHANS_PER_PROC)
		goto full;
	if (o->type == O_BUF && P.bytes + o->len > BYTES_PER_PROC)
		goto full;
	for (i = 0; i < MAX_OBJS; i++) {
		if (P.objs[i].type != O_FREE)
			continue;
		P.objs[i] = *o;
		if (o->type == O_BUF)
			P.bytes += o->len;
		if (o->type == O_CHAN)
			P.nr_chans++;
		unlock();
		return;
	}
full:
	unlock();
	close(o->fd);
}

/* Not in the table at all: nothing, a closed fd, files of other kinds. */
static int junk_fd(struct thr *t)
{
	switch (below(t, 5)) {
	case 0: return -1;
	case 1: return INT_MAX;
	case 2: return 1000;
	case 3: return P.memfd;
	default: return P.sock;
	}
}

/* An fd of @type most of the time, else of another object, or junk. */
static int pick_fd(struct thr *t, int type)
{
	struct obj o;
	unsigned int r = below(t, 100);

	if ((r < 80 || t->sane) && pick_obj(t, type, &o, false))
		return o.fd;
	if (r < 96 && pick_obj(t, O_FREE, &o, false))
		return o.fd;
	return junk_fd(t);
}

/* A buffer: its fd and length (junk with length 4096 sometimes). */
static int pick_buf(struct thr *t, __u64 *len)
{
	struct obj o;

	*len = PAGE;
	if (!junk(t, 10) && pick_obj(t, O_BUF, &o, false)) {
		*len = o.len;
		return o.fd;
	}
	return pick_fd(t, O_CHAN);
}

static bool pick_hnd(struct thr *t, struct hnd *h, bool take)
{
	int idx[MAX_HNDS], n = 0, i;

	lock();
	for (i = 0; i < MAX_HNDS; i++)
		if (P.hnds[i].handle)
			idx[n++] = i;
	if (n) {
		i = idx[below(t, n)];
		*h = P.hnds[i];
		if (take)
			P.hnds[i].handle = 0;
	}
	unlock();
	if (!n || chance(t, 8)) {
		h->ctx = n && chance(t, 50) ? h->ctx : pick_fd(t, O_CTX);
		h->handle = n && chance(t, 50) ? h->handle + 1 - below(t, 3) :
						around(t, 100);
		h->len = PAGE;
		h->dir = below(t, 3);
		return false;
	}
	return true;
}

/* ---- ioctl arguments ------------------------------------------------- */

/*
 * Put the struct @s (@ksize bytes, starting with its size) where the
 * kernel will read it, with a fuzzed size and pointer now and then:
 * sizes 0, short, long with zero or non-zero tails, a page and more;
 * NULL, unmapped, read-only, crossing into an unmapped page.  @garbage:
 * the fields may be random bytes too.
 */
static void *fz_arg(struct thr *t, void *s, size_t ksize, bool garbage)
{
	unsigned char *a = t->area, *ro = t->area + 3 * PAGE;
	__u32 size = ksize;
	size_t i, fill;
	bool tail = false;

	if (garbage && junk(t, 2))
		for (i = 4; i < ksize; i++)
			((unsigned char *)s)[i] = rnd(t);
	if (junk(t, 20)) {
		switch (below(t, 10)) {
		case 0: size = 0; break;
		case 1: size = 4; break;
		case 2: size = 8; break;
		case 3: size = ksize - 1 - below(t, 8); break;
		case 4: size = ksize + 8; break;
		case 5: size = ksize + 8; tail = true; break;
		case 6: size = PAGE; break;
		case 7: size = PAGE + 1; break;
		case 8: size = rnd(t); break;
		default: size = ksize + below(t, PAGE - ksize); tail = chance(t, 30);
		}
	}
	fill = size > ksize && size <= 2 * PAGE ? size : ksize;
	memcpy(a, s, ksize);
	if (fill > ksize)
		memset(a + ksize, 0, fill - ksize);
	if (tail)
		a[ksize + below(t, fill - ksize)] = 1 + below(t, 255);
	memcpy(a, &size, sizeof(size));
	if (!junk(t, 8))
		return a;
	switch (below(t, 5)) {
	case 0:
		return NULL;
	case 1:
		return (void *)1;
	case 2:
		return (void *)0xffffffff81000000UL;
	case 3:
		/* size and flags readable, the rest in the PROT_NONE page */
		memcpy(t->area + 2 * PAGE - 8, a, 8);
		return t->area + 2 * PAGE - 8;
	default:
		if (mprotect(ro, PAGE, PROT_READ | PROT_WRITE))
			return a;
		memcpy(ro, a, ksize);
		mprotect(ro, PAGE, PROT_READ);
		return ro;
	}
}

/* ioctl() with a fuzzed argument; 0 or -errno, @s updated on success. */
static int fz_ioctl(struct thr *t, int fd, unsigned long cmd, void *s,
		    size_t ksize, bool garbage)
{
	void *arg = fz_arg(t, s, ksize, garbage);
	int ret = ok(t, ioctl(fd, cmd, arg)) < 0 ? -errno : 0;

	if (!ret && arg == t->area)
		memcpy(s, arg, ksize);
	return ret;
}

/* A user pointer for an array the kernel fills or reads: @p, or bad. */
static __u64 fz_ptr(struct thr *t, void *p)
{
	if (!junk(t, 10))
		return (uintptr_t)p;
	switch (below(t, 4)) {
	case 0: return 0;
	case 1: return (uintptr_t)(t->area + 2 * PAGE - 16);
	case 2: return (uintptr_t)(t->area + 3 * PAGE);
	default: return rnd(t);
	}
}

static __u32 fz_flags(struct thr *t, __u32 valid)
{
	if (!junk(t, 25))
		return valid & rnd(t);
	return chance(t, 50) ? 1U << below(t, 32) : (__u32)rnd(t);
}

/*
 * The element size of an array of @room bytes whose elements are @size:
 * mostly @size, else one the kernel refuses or reads past its own.
 * @count is cut so that the array at that stride stays in @room: the
 * kernel writes into it.
 */
static __u32 fz_elem(struct thr *t, __u32 size, size_t room, __u32 *count)
{
	__u32 s = size;

	if (junk(t, 5)) {
		switch (below(t, 5)) {
		case 0: s = 0; break;
		case 1: s = size - 1; break;
		case 2: s = size + 8; break;
		case 3: s = DMASHIM_STRUCT_SIZE_MAX + 1; break;
		default: s = rnd(t); break;
		}
	}
	if (s > size && (__u64)*count * s > room)
		*count = room / s;
	return s;
}

static __u32 fz_fd_flags(struct thr *t)
{
	switch (below(t, t->sane ? 2 : 12)) {
	case 0: return O_RDWR | O_CLOEXEC;
	case 1: return chance(t, 50) ? O_RDONLY | O_CLOEXEC : O_WRONLY | O_CLOEXEC;
	case 2: return O_RDWR;
	case 3: return rnd(t);
	case 4: return O_RDWR | O_CLOEXEC | O_NONBLOCK;
	default: return O_RDWR | O_CLOEXEC;
	}
}

/* ---- context ioctls -------------------------------------------------- */

static void op_open(struct thr *t)
{
	static const int modes[] = {
		O_RDWR | O_CLOEXEC, O_RDWR | O_CLOEXEC, O_RDWR | O_CLOEXEC,
		O_RDONLY | O_CLOEXEC, O_WRONLY | O_CLOEXEC,
		O_RDWR | O_CLOEXEC | O_NONBLOCK,
	};
	struct obj o = { .type = O_CTX };

	o.fd = open(DMASHIM_DEV_PATH, modes[below(t, ARRAY_SIZE(modes))]);
	if (ok(t, o.fd) >= 0)
		add_obj(&o);
}

static void op_info(struct thr *t)
{
	struct dmashim_info s = { .flags = fz_flags(t, 0) };

	fz_ioctl(t, pick_fd(t, O_CTX), DMASHIM_IOCTL_INFO, &s, sizeof(s), true);
}

static void op_stats(struct thr *t)
{
	struct dmashim_stats s = { .flags = fz_flags(t, 0) };

	fz_ioctl(t, pick_fd(t, O_CTX), DMASHIM_IOCTL_STATS, &s, sizeof(s), true);
}

static void op_bind(struct thr *t)
{
	static const char *const bad[] = {
		"", "pci:", "pci:0000:00:10.0x", "pci:0000:00:1.", "pci:1:2:3.4.5",
		"pci:0000:00:10.0 ", "pci:zzzz:zz:zz.z", "platform:", "usb:1-1",
		"platform:dmashim-fuzz-no-such-device", "default ", "DEFAULT",
	};
	static const unsigned int bits[] = { 0, 28, 32, 64, 65, 1, 12, 27, 29, 63 };
	struct dmashim_bind s = {
		.flags = fz_flags(t, DMASHIM_BIND_NO_CLAIM),
		.dma_bits = !junk(t, 5) ? bits[below(t, ARRAY_SIZE(bits))] : rnd(t),
		.__reserved = junk(t, 3),
	};
	const char *name = "default";

	switch (below(t, 8)) {
	case 0: case 1: name = env.edu_free; break;
	case 2: name = env.edu_prov; break;
	case 3: name = env.cpudma; break;
	case 4: name = bad[below(t, ARRAY_SIZE(bad))]; break;
	case 5:
		memset(s.device, 'p', sizeof(s.device));	/* unterminated */
		name = NULL;
		break;
	default:
		break;
	}
	/*
	 * No mask narrower than edu's own 28 bits on the edus, which an IOMMU
	 * may translate: an IOVA allocation that fails under a narrow mask
	 * leaves the domain's allocator refusing allocations of that size or
	 * more under any mask below 4 GiB, until an IOVA too large for its
	 * caches is freed (max32_alloc_size in drivers/iommu/iova.c).  On
	 * 6.1-intel every edu MAP of the tests after the fuzzer then failed
	 * with ENOMEM.  The narrow masks stay for the untranslated devices.
	 */
	if (name && name != env.cpudma && strcmp(name, "default") &&
	    s.dma_bits && s.dma_bits < EDU_DMA_BITS)
		s.dma_bits = EDU_DMA_BITS;
	if (name)
		snprintf(s.device, sizeof(s.device), "%.127s", name);
	fz_ioctl(t, pick_fd(t, O_CTX), DMASHIM_IOCTL_BIND, &s, sizeof(s), false);
}

static __u64 alloc_len(struct thr *t)
{
	static const __u64 edge[] = {
		0, 4096, 4097, MiB(4), MiB(4) + 1, 1ULL << 40, ~0ULL, -PAGE + 1,
		1ULL << 63, MiB(1) + 1,
	};
	unsigned int r = below(t, 100);

	if (r < 70)
		return 1 + below(t, KiB(64));
	if (r < 90)
		return 1 + below(t, MiB(1));
	if (r < 94)
		return 1 + below(t, MiB(4));
	return edge[below(t, ARRAY_SIZE(edge))];
}

static void add_buf(int fd, __u64 len, bool pinned)
{
	struct obj o = { .type = O_BUF, .fd = fd, .len = len, .pinned = pinned };

	add_obj(&o);
}

static void op_alloc(struct thr *t)
{
	struct dmashim_alloc s = {
		.flags = fz_flags(t, 0),
		.length = alloc_len(t),
		.kind = !junk(t, 5) ? below(t, 3) : rnd(t),
		.fd_flags = fz_fd_flags(t),
		.fd = !junk(t, 5) ? 0 : rnd(t),
		.__reserved = junk(t, 2),
	};

	/* Room for it in this process's share of memory, else small. */
	lock();
	if (s.length <= MiB(4) && P.bytes + s.length > BYTES_PER_PROC)
		s.length = 1 + below(t, PAGE);
	unlock();
	if (!fz_ioctl(t, pick_fd(t, O_CTX), DMASHIM_IOCTL_ALLOC, &s, sizeof(s), true))
		add_buf(s.fd, s.length, false);
}

static void op_pin(struct thr *t)
{
	struct dmashim_pin s = {
		.flags = fz_flags(t, DMASHIM_PIN_DEVICE_WRITES),
		.fd_flags = fz_fd_flags(t),
	};
	__u64 off = below(t, ARENA_LEN);

	if (chance(t, 85)) {
		s.addr = (uintptr_t)P.arena + off;
		s.length = 1 + below(t, chance(t, 80) ? KiB(64) : ARENA_LEN - off);
	} else {
		s.addr = chance(t, 50) ? around(t, (uintptr_t)P.arena) :
					 (uintptr_t)P.arena + ARENA_LEN - 1;
		s.length = around(t, PAGE);
	}
	if (!fz_ioctl(t, pick_fd(t, O_CTX), DMASHIM_IOCTL_PIN, &s, sizeof(s), true))
		add_buf(s.fd, s.length, true);
}

static void op_map(struct thr *t)
{
	struct dmashim_map s = {
		.flags = chance(t, 90) ? 0 : chance(t, 70) ? DMASHIM_MAP_BOUNCE :
							     fz_flags(t, 0),
		.dir = !junk(t, 5) ? below(t, 3) : rnd(t),
		.nr_segments = below(t, ARRAY_SIZE(t->segs) + 1),
	};
	struct hnd h = { .ctx = pick_fd(t, O_CTX) };
	__u64 len;
	int i;

	s.fd = pick_buf(t, &len);
	s.segments = s.nr_segments || chance(t, 10) ? fz_ptr(t, t->segs) : 0;
	if (s.segments || junk(t, 5))
		s.segment_size = fz_elem(t, sizeof(t->segs[0]), sizeof(t->segs),
					 &s.nr_segments);
	if (fz_ioctl(t, h.ctx, DMASHIM_IOCTL_MAP, &s, sizeof(s), true))
		return;
	h.handle = s.handle;
	h.len = s.length;
	h.dir = s.dir;
	lock();
	for (i = 0; i < MAX_HNDS && P.hnds[i].handle; i++)
		;
	if (i < MAX_HNDS)
		P.hnds[i] = h;
	unlock();
	if (i == MAX_HNDS)
		ctx_unmap(h.ctx, h.handle);
}

static void op_unmap(struct thr *t)
{
	struct hnd h;
	struct dmashim_unmap s = { .flags = fz_flags(t, 0) };

	pick_hnd(t, &h, chance(t, 90));
	s.handle = h.handle;
	fz_ioctl(t, h.ctx, DMASHIM_IOCTL_UNMAP, &s, sizeof(s), true);
}

static void op_segments(struct thr *t)
{
	struct dmashim_segments s = {
		.flags = fz_flags(t, 0),
		.count = below(t, ARRAY_SIZE(t->segs) + 1),
		.first = chance(t, 70) ? below(t, 4) : around(t, 16),
	};
	struct hnd h;

	s.segment_size = fz_elem(t, sizeof(t->segs[0]), sizeof(t->segs),
				 &s.count);
	pick_hnd(t, &h, false);
	s.handle = h.handle;
	s.segments = fz_ptr(t, t->segs);
	fz_ioctl(t, h.ctx, DMASHIM_IOCTL_SEGMENTS, &s, sizeof(s), true);
}

static void op_sync(struct thr *t)
{
	static const __u32 flags[] = {
		DMASHIM_SYNC_FOR_CPU, DMASHIM_SYNC_FOR_DEVICE,
	};
	struct dmashim_sync s = {
		.flags = !junk(t, 10) ? flags[below(t, 2)] : fz_flags(t, 3),
		.__reserved = junk(t, 2),
	};
	struct hnd h;

	pick_hnd(t, &h, false);
	s.handle = h.handle;
	s.dir = chance(t, 80) ? h.dir : chance(t, 90) ? below(t, 3) : rnd(t);
	if (chance(t, 80)) {
		s.offset = below(t, h.len);
		s.length = 1 + below(t, h.len - s.offset);
	} else {
		s.offset = around(t, h.len);
		s.length = around(t, h.len);
	}
	fz_ioctl(t, h.ctx, DMASHIM_IOCTL_SYNC, &s, sizeof(s), true);
}

static void op_chan_open(struct thr *t)
{
	static const __u32 caps[] = {
		0, DMASHIM_CAP_MEMCPY, DMASHIM_CAP_SLAVE, DMASHIM_CAP_CYCLIC,
		CHAN_CAPS,
	};
	struct dmashim_chan_open s = {
		.flags = fz_flags(t, 0),
		.caps = !junk(t, 10) ? caps[below(t, ARRAY_SIZE(caps))] : rnd(t),
		.fd_flags = chance(t, 90) ? O_CLOEXEC : chance(t, 50) ? 0 : rnd(t),
	};
	struct obj o = { .type = O_CHAN };
	__u32 one = 1;
	int i = -1;

	s.record_size = fz_elem(t, sizeof(struct dmashim_record), sizeof(t->rd),
				&one);
	switch (below(t, 10)) {
	case 0: case 1: case 2: case 3:
		break;
	case 4:
		memset(s.name, 'd', sizeof(s.name));
		break;
	case 5:
		strcpy(s.name, "dma99chan99");
		break;
	default:
		if (env.nr_chans) {
			i = below(t, env.nr_chans);
			strcpy(s.name, env.chans[i]);
		}
	}
	lock();
	if (P.nr_chans >= MAX_CHANS_PER_PROC) {
		unlock();
		return;
	}
	unlock();
	if (fz_ioctl(t, pick_fd(t, O_CTX), DMASHIM_IOCTL_CHAN_OPEN, &s,
		     sizeof(s), true))
		return;
	o.fd = s.fd;
	if (i < 0) {
		struct dmashim_chan_info info;

		if (!chan_info(o.fd, &info))
			for (i = 0; i < env.nr_chans; i++)
				if (!strcmp(env.chans[i], info.name))
					break;
	}
	o.edu = i >= 0 && i < env.nr_chans && env.chan_edu[i];
	if (chance(t, 80))
		fcntl(o.fd, F_SETFL, O_NONBLOCK);
	add_obj(&o);
}

/* An ioctl number that is no command of the file, with any argument. */
static void op_bad_ioctl(struct thr *t)
{
	unsigned long cmd;
	unsigned int nr = 0x0a + below(t, 0x16);
	int i;

	switch (below(t, 6)) {
	case 0: nr = 0x25 + below(t, 0xda); break;
	case 1: cmd = _IOWR(DMASHIM_TYPE, below(t, 0x25), struct dmashim_info); goto call;
	case 2: cmd = _IOR(DMASHIM_TYPE, below(t, 0x25), int); goto call;
	case 3: cmd = _IO('b', 4 + below(t, 60)); goto call;
	case 4: cmd = _IO('>', below(t, 16)); goto call;
	default: break;
	}
	cmd = _IO(DMASHIM_TYPE, nr);
call:
	for (i = 0; i < 64; i++)
		t->area[i] = rnd(t);
	ioctl(pick_fd(t, chance(t, 50) ? O_CTX : O_CHAN), cmd,
	      chance(t, 80) ? (void *)t->area : (void *)(uintptr_t)rnd(t));
}

/* ---- channel ioctls --------------------------------------------------- */

static void op_chan_info(struct thr *t)
{
	struct dmashim_chan_info s = { .flags = fz_flags(t, 0) };

	fz_ioctl(t, pick_fd(t, O_CHAN), DMASHIM_IOCTL_CHAN_INFO, &s, sizeof(s), true);
}

/* A slave address: the windows and their edges; anything when unprivileged. */
static __u64 slave_addr(struct thr *t)
{
	__u64 len = chance(t, 50) ? EDU_WINDOW_LEN : CPU_WINDOW_LEN;

	if (P.nobody && junk(t, 15))
		return chance(t, 50) ? rnd(t) : (__u32)rnd(t);
	switch (t->sane ? 4 + below(t, 4) : below(t, 8)) {
	case 0: return 0;
	case 1: return DMA_WINDOW - 1;
	case 2: return DMA_WINDOW + len - 1;
	case 3: return DMA_WINDOW + len;
	case 4: return DMA_WINDOW + below(t, len);
	default: return DMA_WINDOW;
	}
}

static __u32 width(struct thr *t)
{
	static const __u32 w[] = { 0, 1, 2, 4, 8, 0, 4, 4, 3, 16 };

	if (t->sane)
		return w[below(t, 8)];
	return chance(t, 95) ? w[below(t, ARRAY_SIZE(w))] : rnd(t);
}

static void op_chan_config(struct thr *t)
{
	struct dmashim_chan_config s = {
		.flags = fz_flags(t, 0),
		.src_addr = slave_addr(t),
		.dst_addr = slave_addr(t),
		.src_width = width(t),
		.dst_width = width(t),
		.src_maxburst = !junk(t, 20) ? below(t, 2) : around(t, 16),
		.dst_maxburst = !junk(t, 20) ? below(t, 2) : around(t, 16),
	};

	fz_ioctl(t, pick_fd(t, O_CHAN), DMASHIM_IOCTL_CHAN_CONFIG, &s,
		 sizeof(s), false);
}

/* An offset and a length of at most @max within a buffer of @len. */
static void range_in(struct thr *t, __u64 len, __u64 max, __u64 *off,
		     __u64 *n)
{
	if (!junk(t, 20) && len) {
		*off = chance(t, 40) ? 0 : below(t, len);
		*n = 1 + below(t, len - *off < max ? len - *off : max);
	} else {
		*off = around(t, len);
		*n = around(t, max);
	}
}

static void fz_xfer(struct thr *t, struct dmashim_xfer *x, bool edu)
{
	__u64 slen, dlen, n, win = edu ? EDU_WINDOW_LEN : CPU_WINDOW_LEN;
	unsigned int r = below(t, 100), i;

	memset(x, 0, sizeof(*x));
	x->kind = r < 65 ? DMASHIM_XFER_MEMCPY : r < 85 ? DMASHIM_XFER_SLAVE :
		  r < 97 || t->sane ? DMASHIM_XFER_CYCLIC : rnd(t);
	x->dir = x->kind == DMASHIM_XFER_MEMCPY ? 0 : 1 + below(t, 2);
	if (junk(t, 8))
		x->dir = chance(t, 50) ? below(t, 4) : rnd(t);
	x->src_fd = pick_buf(t, &slen);
	x->dst_fd = pick_buf(t, &dlen);
	x->user_data = rnd(t);
	x->cookie = junk(t, 3) ? rnd(t) : 0;
	x->flags = junk(t, 3) ? fz_flags(t, 0) : 0;
	/* Short transfers: edu moves 4095 bytes per 100 ms step. */
	switch (x->kind) {
	case DMASHIM_XFER_MEMCPY:
		range_in(t, slen, edu ? KiB(8) : KiB(64), &x->src_offset, &n);
		range_in(t, dlen, n, &x->dst_offset, &x->length);
		break;
	case DMASHIM_XFER_SLAVE:
		if (x->dir == DMASHIM_XFER_FROM_DEVICE)
			slen = dlen;
		if (chance(t, 50)) {
			range_in(t, slen, win, &x->src_offset, &x->length);
			/* The offset is the memory side's. */
			if (x->dir == DMASHIM_XFER_FROM_DEVICE) {
				x->dst_offset = x->src_offset;
				if (!junk(t, 10))
					x->src_offset = 0;
			}
			if (junk(t, 5))
				x->period = rnd(t);
			break;
		}
		x->nr_ranges = !junk(t, 10) ? 1 + below(t, 4) :
			       chance(t, 50) ? DMASHIM_MAX_RANGES + below(t, 2) : rnd(t);
		for (i = 0; i < x->nr_ranges && i < ARRAY_SIZE(t->ranges); i++)
			range_in(t, slen, win / 4, &t->ranges[i].offset,
				 &t->ranges[i].length);
		x->ranges = fz_ptr(t, t->ranges);
		/* Read only: no need to keep the stride in the array. */
		x->range_size = sizeof(t->ranges[0]);
		if (junk(t, 10))
			x->range_size = fz_elem(t, sizeof(t->ranges[0]), ~0U,
						&x->nr_ranges);
		if (junk(t, 5))
			x->length = rnd(t);
		break;
	default:
		x->period = !junk(t, 10) ? 256 << below(t, 4) : around(t, win);
		x->length = x->period * (!junk(t, 10) ? 1 + below(t, 4) : rnd(t));
		x->src_offset = !junk(t, 20) ? 0 : around(t, slen);
		x->dst_offset = !junk(t, 20) ? 0 : around(t, dlen);
		break;
	}
	if (x->kind == DMASHIM_XFER_SLAVE || x->kind == DMASHIM_XFER_CYCLIC) {
		/* One side only, as the ABI says; the other -1 mostly. */
		if (x->dir == DMASHIM_XFER_TO_DEVICE && !junk(t, 10))
			x->dst_fd = -1;
		else if (x->dir == DMASHIM_XFER_FROM_DEVICE && !junk(t, 10))
			x->src_fd = -1;
	}
}

static void op_chan_submit(struct thr *t)
{
	struct dmashim_chan_submit s = {
		.flags = fz_flags(t, DMASHIM_SUBMIT_FENCE_OUT |
				     DMASHIM_SUBMIT_FENCE_IN |
				     DMASHIM_SUBMIT_NO_IMPLICIT),
		.fence_fd = -1,
	};
	struct obj ch = { .fd = -1 };
	unsigned int r = below(t, 100), i;

	if (!pick_obj(t, O_CHAN, &ch, false)) {
		/* Channels are few: take one for next time, mostly. */
		if (chance(t, 70)) {
			op_chan_open(t);
			return;
		}
		ch.fd = pick_fd(t, O_CHAN);
	} else if (junk(t, 4)) {
		ch.fd = pick_fd(t, O_CHAN);
	}
	/* Mostly without an in-fence: waits are interrupted, but cost. */
	if ((s.flags & DMASHIM_SUBMIT_FENCE_IN) && chance(t, 60))
		s.flags &= ~DMASHIM_SUBMIT_FENCE_IN;
	s.in_fence_fd = s.flags & DMASHIM_SUBMIT_FENCE_IN ?
			pick_fd(t, O_FENCE) : !junk(t, 10) ? 0 : rnd(t);
	s.count = r < 85 || t->sane ? 1 + below(t, 3) : r < 93 ? 4 + below(t, 8) :
		  r < 96 ? 0 : r < 99 ? 60 + below(t, MAX_BATCH - 60) : rnd(t);
	for (i = 0; i < s.count && i < MAX_BATCH; i++)
		fz_xfer(t, &t->xfers[i], ch.edu);
	s.xfer_size = fz_elem(t, sizeof(t->xfers[0]), sizeof(t->xfers),
			      &s.count);
	s.xfers = fz_ptr(t, t->xfers);
	if (fz_ioctl(t, ch.fd, DMASHIM_IOCTL_CHAN_SUBMIT, &s, sizeof(s), true))
		return;
	lock();
	if (s.count)
		P.cookies[P.cookie_pos++ % ARRAY_SIZE(P.cookies)] =
			t->xfers[below(t, s.count < MAX_BATCH ? s.count : MAX_BATCH)].cookie;
	unlock();
	if (s.flags & DMASHIM_SUBMIT_FENCE_OUT && s.fence_fd >= 0) {
		struct obj o = { .type = O_FENCE, .fd = s.fence_fd };

		add_obj(&o);
	}
}

static void op_chan_status(struct thr *t)
{
	struct dmashim_chan_status s = {
		.flags = fz_flags(t, 0),
		.__reserved = junk(t, 2),
	};

	lock();
	s.cookie = P.cookies[below(t, ARRAY_SIZE(P.cookies))];
	unlock();
	if (chance(t, 20))
		s.cookie = chance(t, 50) ? (int)around(t, 1) : (int)rnd(t);
	fz_ioctl(t, pick_fd(t, O_CHAN), DMASHIM_IOCTL_CHAN_STATUS, &s, sizeof(s), true);
}

static void op_chan_control(struct thr *t)
{
	struct dmashim_chan_control s = {
		.flags = fz_flags(t, 0),
		.op = !junk(t, 8) ? 1 + below(t, 4) : chance(t, 50) ? 0 : rnd(t),
	};

	fz_ioctl(t, pick_fd(t, O_CHAN), DMASHIM_IOCTL_CHAN_CONTROL, &s, sizeof(s), true);
}

static void op_read(struct thr *t)
{
	static const size_t sizes[] = {
		0, 1, sizeof(struct dmashim_record) - 1,
		sizeof(struct dmashim_record), sizeof(struct dmashim_record) + 1,
		3 * sizeof(struct dmashim_record), 4096,
	};
	size_t n = sizes[below(t, ARRAY_SIZE(sizes))];
	void *buf = t->rd;

	if (chance(t, 4))
		buf = chance(t, 50) ? (void *)(t->area + 3 * PAGE) :
				      (void *)(t->area + 2 * PAGE - 8);
	ok(t, read(pick_fd(t, O_CHAN), buf, n));
}

static void op_poll(struct thr *t)
{
	struct pollfd pfd[4];
	unsigned int n = 1 + below(t, 4), i;

	for (i = 0; i < n; i++) {
		pfd[i].fd = pick_fd(t, chance(t, 50) ? O_CHAN : O_FREE);
		pfd[i].events = chance(t, 80) ? POLLIN : (short)rnd(t);
	}
	ok(t, poll(pfd, n, chance(t, 70) ? 0 : below(t, 20)) - 1);
}

static void op_nonblock(struct thr *t)
{
	int fd = pick_fd(t, O_CHAN), fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, chance(t, 70) ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

/* ---- dma-buf, sync_file ------------------------------------------------ */

static void op_buf_sync(struct thr *t)
{
	static const __u64 flags[] = {
		DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ,
		DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE,
		DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW,
		DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ,
		DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE,
		DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW,
		DMA_BUF_SYNC_START, DMA_BUF_SYNC_END,
	};
	struct dma_buf_sync s = {
		.flags = !junk(t, 10) ? flags[below(t, ARRAY_SIZE(flags))] : rnd(t),
	};
	__u64 len;

	ok(t, ioctl(pick_buf(t, &len), DMA_BUF_IOCTL_SYNC,
	      chance(t, 97) ? (void *)&s : (void *)(t->area + 2 * PAGE - 4)));
}

static void op_set_name(struct thr *t)
{
	char name[64];
	unsigned int n = below(t, chance(t, 80) ? DMA_BUF_NAME_LEN : sizeof(name)), i;
	__u64 len;

	for (i = 0; i < n; i++)
		name[i] = 'a' + below(t, 26);
	name[n] = '\0';
	ok(t, ioctl(pick_buf(t, &len), DMA_BUF_SET_NAME,
		    chance(t, 95) ? (void *)name : (void *)(uintptr_t)rnd(t)));
}

static void op_export_fence(struct thr *t)
{
	struct dma_buf_export_sync_file s = {
		.flags = !junk(t, 10) ? 1 + below(t, 3) : rnd(t),
		.fd = -1,
	};
	struct obj o = { .type = O_FENCE };
	__u64 len;

	if (ok(t, ioctl(pick_buf(t, &len), DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &s)) ||
	    s.fd < 0)
		return;
	o.fd = s.fd;
	add_obj(&o);
}

static void op_import_fence(struct thr *t)
{
	struct dma_buf_import_sync_file s = {
		.flags = !junk(t, 10) ? 1 + below(t, 3) : rnd(t),
		.fd = pick_fd(t, O_FENCE),
	};
	__u64 len;

	ok(t, ioctl(pick_buf(t, &len), DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &s));
}

static void op_fence_info(struct thr *t)
{
	struct sync_fence_info fi[4];
	struct sync_file_info s = {
		.num_fences = below(t, 5),
		.flags = !junk(t, 5) ? 0 : rnd(t),
	};

	s.sync_fence_info = s.num_fences ? fz_ptr(t, fi) : 0;
	ok(t, ioctl(pick_fd(t, O_FENCE), SYNC_IOC_FILE_INFO, &s));
}

static void op_fence_merge(struct thr *t)
{
	struct sync_merge_data s = {
		.fd2 = pick_fd(t, O_FENCE),
		.flags = !junk(t, 5) ? 0 : rnd(t),
	};
	struct obj o = { .type = O_FENCE };

	strcpy(s.name, "fuzz");
	if (ok(t, ioctl(pick_fd(t, O_FENCE), SYNC_IOC_MERGE, &s)) || s.fence < 0)
		return;
	o.fd = s.fence;
	add_obj(&o);
}

static void op_mmap(struct thr *t)
{
	static const int prots[] = {
		PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE, PROT_READ,
		PROT_WRITE, PROT_NONE,
	};
	int prot = prots[below(t, ARRAY_SIZE(prots))], i;
	size_t len;
	off_t off = 0;
	__u64 blen;
	void *addr;
	int fd = pick_buf(t, &blen);

	blen = (blen + PAGE - 1) & ~(PAGE - 1);
	len = chance(t, 70) ? blen : chance(t, 70) ? PAGE * (1 + below(t, blen / PAGE)) :
					       around(t, blen);
	if (chance(t, 15))
		off = chance(t, 70) ? PAGE * below(t, blen / PAGE + 2) : (off_t)around(t, blen);
	if (len > MiB(8))
		len = MiB(8) + 1;
	addr = mmap(NULL, len, prot, chance(t, 92) ? MAP_SHARED : MAP_PRIVATE,
		    fd, off);
	if (addr == MAP_FAILED)
		return;
	ok(t, 0);
	/* The memfd is empty: its pages are beyond its end (SIGBUS). */
	if (fd == P.memfd) {
		munmap(addr, len);
		return;
	}
	lock();
	for (i = 0; i < MAX_MAPS && P.maps[i].addr; i++)
		;
	if (i < MAX_MAPS)
		P.maps[i] = (struct cpumap){ addr, len, prot };
	unlock();
	if (i == MAX_MAPS)
		munmap(addr, len);
}

static bool take_map(struct thr *t, struct cpumap *m)
{
	int idx[MAX_MAPS], n = 0, i;

	lock();
	for (i = 0; i < MAX_MAPS; i++)
		if (P.maps[i].addr)
			idx[n++] = i;
	if (n) {
		i = idx[below(t, n)];
		*m = P.maps[i];
		P.maps[i].addr = NULL;
	}
	unlock();
	return n;
}

static void op_munmap(struct thr *t)
{
	struct cpumap m;

	if (take_map(t, &m))
		ok(t, munmap(m.addr, m.len));
}

static void touch_fault(int sig, siginfo_t *si, void *uc)
{
	if (touch_jmp)
		siglongjmp(*touch_jmp, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Read and write a mapping, under the lock (munmap takes it out first). */
static void op_touch(struct thr *t)
{
	int idx[MAX_MAPS], n = 0, i, sig;
	volatile unsigned char sum = 0;
	sigjmp_buf jb;
	struct cpumap m;

	lock();
	for (i = 0; i < MAX_MAPS; i++)
		if (P.maps[i].addr && P.maps[i].prot != PROT_NONE)
			idx[n++] = i;
	if (!n) {
		unlock();
		return;
	}
	m = P.maps[idx[below(t, n)]];
	sig = sigsetjmp(jb, 1);
	if (!sig) {
		size_t off = below(t, m.len), len = 1 + below(t, m.len - off);

		touch_jmp = &jb;
		if (len > KiB(16))
			len = KiB(16);
		if (m.prot & PROT_WRITE)
			memset(m.addr + off, rnd(t), len);
		if (m.prot & PROT_READ)
			for (i = 0; i < (int)len; i += 64)
				sum += m.addr[off + i];
		ok(t, 0);
	} else if (!__atomic_fetch_add(&sh->touch_faults, 1, __ATOMIC_RELAXED)) {
		snprintf(sh->fault, sizeof(sh->fault),
			 "signal %d touching a mapping of %zu bytes, prot %d",
			 sig, m.len, m.prot);
	}
	touch_jmp = NULL;
	unlock();
}

static void op_seek(struct thr *t)
{
	ok(t, lseek(pick_fd(t, O_BUF), chance(t, 50) ? 0 : (off_t)rnd(t), below(t, 5)));
}

static void op_fdinfo(struct thr *t)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pick_fd(t, O_FREE));
	fd = ok(t, open(path, O_RDONLY | O_CLOEXEC));
	if (fd < 0)
		return;
	while (read(fd, t->rd, sizeof(t->rd)) > 0)
		;
	close(fd);
}

/* What debugfs shows of buffers and mappings, while they change. */
static void op_debugfs(struct thr *t)
{
	char path[128];
	struct hnd h;
	int fd;

	switch (below(t, 5)) {
	case 0:
		snprintf(path, sizeof(path), "/sys/kernel/debug/dma_buf/bufinfo");
		break;
	case 1:
		pick_hnd(t, &h, false);
		snprintf(path, sizeof(path), DMASHIM_DEBUGFS "/mappings/%llu/check",
			 (unsigned long long)h.handle);
		break;
	case 2:
		snprintf(path, sizeof(path), DMASHIM_DEBUGFS "/devices/%s/%s",
			 below(t, 2) ? "0000:00:11.0" : "0000:00:10.0",
			 below(t, 2) ? "bounce" : "shares");
		break;
	default:
		pick_hnd(t, &h, false);
		snprintf(path, sizeof(path), DMASHIM_DEBUGFS "/mappings/%llu/device_view",
			 (unsigned long long)h.handle);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (pread(fd, t->rd, 1 + below(t, sizeof(t->rd)), around(t, h.len)) < 0)
				errno = 0;
			close(fd);
		}
		return;
	}
	fd = ok(t, open(path, O_RDONLY | O_CLOEXEC));
	if (fd < 0)
		return;
	while (read(fd, t->rd, sizeof(t->rd)) > 0)
		;
	close(fd);
}

/* ---- files and processes ---------------------------------------------- */

static void op_close(struct thr *t)
{
	struct obj o;

	/* Channels are few: they go back more often than the rest. */
	if (pick_obj(t, chance(t, 25) ? O_CHAN : O_FREE, &o, true) ||
	    pick_obj(t, O_FREE, &o, true))
		ok(t, close(o.fd));
}

static void op_dup(struct thr *t)
{
	struct obj o;

	if (!pick_obj(t, O_FREE, &o, false))
		return;
	switch (below(t, 3)) {
	case 0: o.fd = dup(o.fd); break;
	case 1: o.fd = fcntl(o.fd, F_DUPFD_CLOEXEC, 64 + below(t, 64)); break;
	default: o.fd = fcntl(o.fd, F_DUPFD, 3);
	}
	if (ok(t, o.fd) >= 0)
		add_obj(&o);
}

/* What travels with a passed fd: its table entry, fd aside. */
struct wire {
	int type;
	__u64 len;
	bool pinned, edu;
};

static void op_send(struct thr *t)
{
	struct obj o[3];
	struct wire w[3];
	char cbuf[CMSG_SPACE(3 * sizeof(int))] = { 0 };
	struct iovec iov = { w, 0 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf };
	struct cmsghdr *cmsg = (struct cmsghdr *)cbuf;
	bool move = chance(t, 50);
	unsigned int n = 1 + below(t, 3), i, got = 0;
	int fds[3];

	for (i = 0; i < n; i++) {
		if (!pick_obj(t, O_FREE, &o[got], move))
			continue;
		fds[got] = o[got].fd;
		w[got] = (struct wire){ o[got].type, o[got].len, o[got].pinned,
					o[got].edu };
		got++;
	}
	if (!got)
		return;
	iov.iov_len = got * sizeof(w[0]);
	msg.msg_controllen = CMSG_SPACE(got * sizeof(int));
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(got * sizeof(int));
	memcpy(CMSG_DATA(cmsg), fds, got * sizeof(int));
	ok(t, sendmsg(P.sock, &msg, MSG_DONTWAIT | MSG_NOSIGNAL));
	if (move)
		for (i = 0; i < got; i++)
			close(fds[i]);
}

static void op_recv(struct thr *t)
{
	struct wire w[3];
	char cbuf[CMSG_SPACE(3 * sizeof(int))];
	struct iovec iov = { w, sizeof(w) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cmsg;
	ssize_t n = ok(t, recvmsg(P.sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC));
	int fds[3], nfds, i;

	if (n <= 0)
		return;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS)
		return;
	nfds = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	memcpy(fds, CMSG_DATA(cmsg), nfds * sizeof(int));
	for (i = 0; i < nfds; i++) {
		struct obj o = { .fd = fds[i], .type = O_FREE };

		if ((size_t)i < n / sizeof(w[0])) {
			o.type = w[i].type;
			o.len = w[i].len;
			o.pinned = w[i].pinned;
			o.edu = w[i].edu;
		}
		if (o.type > O_FREE && o.type < NR_OTYPES && chance(t, 95))
			add_obj(&o);
		else
			close(o.fd);
	}
}

static void proc_run(void);

static void op_fork(struct thr *t)
{
	__u64 seed = rnd(t), life = 50 + below(t, 700);
	bool drop = !P.nobody && chance(t, 25);
	pid_t pid;
	int i;

	lock();
	for (i = 0; i < MAX_KIDS && P.kids[i]; i++)
		;
	if (i == MAX_KIDS || P.depth >= MAX_DEPTH ||
	    __atomic_fetch_add(&sh->procs, 1, __ATOMIC_RELAXED) >= MAX_PROCS) {
		if (i < MAX_KIDS && P.depth < MAX_DEPTH)
			__atomic_fetch_sub(&sh->procs, 1, __ATOMIC_RELAXED);
		unlock();
		return;
	}
	pid = fork();
	if (pid) {
		if (pid > 0)
			P.kids[i] = pid;
		else
			__atomic_fetch_sub(&sh->procs, 1, __ATOMIC_RELAXED);
		unlock();
		__atomic_fetch_add(&sh->forks, pid > 0, __ATOMIC_RELAXED);
		ok(t, pid);
		return;
	}
	/* The child: this thread only, the table as it was. */
	pthread_mutex_init(&P.lock, NULL);
	memset(P.kids, 0, sizeof(P.kids));
	P.depth++;
	P.seed = seed;
	if (P.deadline > now_ns() + life * 1000000)
		P.deadline = now_ns() + life * 1000000;
	if (drop) {
		gid_t g = NODE_GID;

		if (setgroups(1, &g) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(3);
		P.nobody = true;
	}
	proc_run();
	__atomic_fetch_sub(&sh->procs, 1, __ATOMIC_RELAXED);
	_exit(0);
}

static void reap(bool all)
{
	int i, status;

	for (i = 0; i < MAX_KIDS; i++) {
		pid_t pid;

		lock();
		pid = P.kids[i];
		unlock();
		if (!pid)
			continue;
		if (all)
			kill(pid, SIGKILL);
		if (waitpid(pid, &status, all ? 0 : WNOHANG) != pid)
			continue;
		lock();
		P.kids[i] = 0;
		unlock();
		/* A child killed takes no count of itself down. */
		if (WIFSIGNALED(status))
			__atomic_fetch_sub(&sh->procs, 1, __ATOMIC_RELAXED);
		if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL &&
		    !sh->fault[0])
			snprintf(sh->fault, sizeof(sh->fault),
				 "a forked child died of signal %d",
				 WTERMSIG(status));
	}
}

static void op_kill(struct thr *t)
{
	pid_t pid;

	lock();
	pid = P.kids[below(t, MAX_KIDS)];
	unlock();
	if (pid && chance(t, 50)) {
		ok(t, kill(pid, SIGKILL));
		__atomic_fetch_add(&sh->kills, 1, __ATOMIC_RELAXED);
	}
	reap(false);
}

/* Pinned memory unmapped, dropped or replaced under its pins. */
static void op_arena(struct thr *t)
{
	/* In the first three quarters: the rest is read-only, then a hole. */
	unsigned char *chunk = P.arena + KiB(64) * below(t, ARENA_LEN * 3 / 4 / KiB(64));

	switch (below(t, 3)) {
	case 0:
		ok(t, madvise(chunk, KiB(64), MADV_DONTNEED));
		break;
	case 1:
		mmap(chunk, KiB(64), PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		break;
	default:
		memset(chunk, rnd(t), KiB(64));
	}
}

/* cpudma's knobs: failed steps, slow steps (root only; reset at the end). */
static void op_knob(struct thr *t)
{
	char val[16];

	if (P.nobody)
		return;
	snprintf(val, sizeof(val), "%u", (unsigned int)below(t, 4));
	ok(t, sysfs_write(chance(t, 70) ? CPU_FAIL_NEXT : CPU_STEP_DELAY, val));
}

static void (*const op_fn[NR_OPS])(struct thr *t) = {
	[OP_OPEN] = op_open, [OP_INFO] = op_info, [OP_BIND] = op_bind,
	[OP_ALLOC] = op_alloc, [OP_PIN] = op_pin, [OP_MAP] = op_map,
	[OP_UNMAP] = op_unmap, [OP_SEGMENTS] = op_segments,
	[OP_SYNC] = op_sync, [OP_STATS] = op_stats,
	[OP_CHAN_OPEN] = op_chan_open, [OP_BAD_IOCTL] = op_bad_ioctl,
	[OP_CHAN_INFO] = op_chan_info, [OP_CHAN_CONFIG] = op_chan_config,
	[OP_CHAN_SUBMIT] = op_chan_submit, [OP_CHAN_STATUS] = op_chan_status,
	[OP_CHAN_CONTROL] = op_chan_control, [OP_READ] = op_read,
	[OP_POLL] = op_poll, [OP_NONBLOCK] = op_nonblock,
	[OP_BUF_SYNC] = op_buf_sync, [OP_SET_NAME] = op_set_name,
	[OP_EXPORT_FENCE] = op_export_fence,
	[OP_IMPORT_FENCE] = op_import_fence,
	[OP_FENCE_INFO] = op_fence_info, [OP_FENCE_MERGE] = op_fence_merge,
	[OP_MMAP] = op_mmap, [OP_MUNMAP] = op_munmap, [OP_TOUCH] = op_touch,
	[OP_SEEK] = op_seek, [OP_FDINFO] = op_fdinfo,
	[OP_DEBUGFS] = op_debugfs, [OP_CLOSE] = op_close, [OP_DUP] = op_dup,
	[OP_SEND] = op_send, [OP_RECV] = op_recv, [OP_FORK] = op_fork,
	[OP_KILL] = op_kill, [OP_ARENA] = op_arena, [OP_KNOB] = op_knob,
};

/* ---- threads ----------------------------------------------------------- */

static void *thr_loop(void *arg)
{
	struct thr *t = arg;
	unsigned int total = 0, i;

	for (i = 0; i < NR_OPS; i++)
		total += ops[i].weight;
	while (now_ns() < P.deadline && !__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		unsigned int w = below(t, total);

		for (i = 0; w >= ops[i].weight; i++)
			w -= ops[i].weight;
		t->op = i;
		t->sane = chance(t, 50);
		op_fn[i](t);
		count(i);
		t->opseq++;
	}
	pthread_mutex_lock(&P.kick_lock);
	t->done = true;
	pthread_mutex_unlock(&P.kick_lock);
	return NULL;
}

static void kick(int sig)
{
}

/*
 * Interrupt, every 50 ms, a thread that has been in the same call since
 * the last look: a wait for a fence that a paused channel holds back, a
 * blocking read.  The handler is installed without SA_RESTART.
 */
static void *kicker(void *arg)
{
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	unsigned long last[MAX_THREADS] = { 0 };
	int i;

	while (!P.kicker_stop) {
		nanosleep(&tick, NULL);
		pthread_mutex_lock(&P.kick_lock);
		for (i = 0; i < P.nr_thr; i++) {
			struct thr *t = P.thr[i];

			if (t->opseq == last[i] && !t->done) {
				pthread_kill(t->tid, SIGUSR1);
				__atomic_fetch_add(&sh->kicks, 1, __ATOMIC_RELAXED);
			}
			last[i] = t->opseq;
		}
		pthread_mutex_unlock(&P.kick_lock);
	}
	return NULL;
}

static struct thr *thr_new(int idx)
{
	struct thr *t = calloc(1, sizeof(*t));

	if (!t)
		_exit(4);
	t->p = &P;
	t->idx = idx;
	t->rng = P.seed ^ (0x1000193ULL * (idx + 1));
	splitmix(&t->rng);
	t->area = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->area == MAP_FAILED)
		_exit(4);
	mprotect(t->area + 2 * PAGE, PAGE, PROT_NONE);
	mprotect(t->area + 3 * PAGE, PAGE, PROT_READ);
	return t;
}

/*
 * Run this process's threads until its deadline, then end: its children
 * killed and reaped, and everything closed, or left to exit().
 */
static void proc_run(void)
{
	__u64 r = P.seed;
	int i;

	pthread_mutex_init(&P.kick_lock, NULL);
	P.nr_thr = 2 + splitmix(&r) % (MAX_THREADS - 1);
	for (i = 0; i < P.nr_thr; i++)
		P.thr[i] = thr_new(i);
	P.thr[0]->tid = pthread_self();
	P.kicker_stop = 0;
	for (i = 1; i < P.nr_thr; i++)
		if (pthread_create(&P.thr[i]->tid, NULL, thr_loop, P.thr[i]))
			_exit(5);
	if (pthread_create(&P.kicker, NULL, kicker, NULL))
		_exit(5);
	thr_loop(P.thr[0]);
	for (i = 1; i < P.nr_thr; i++)
		pthread_join(P.thr[i]->tid, NULL);
	P.kicker_stop = 1;
	pthread_join(P.kicker, NULL);
	reap(true);
	if (splitmix(&r) % 2) {
		for (i = 0; i < MAX_OBJS; i++)
			if (P.objs[i].type != O_FREE)
				close(P.objs[i].fd);
		for (i = 0; i < MAX_MAPS; i++)
			if (P.maps[i].addr)
				munmap(P.maps[i].addr, P.maps[i].len);
	}
}

/* A worker: a process of its own from the coordinator, root or not. */
static int worker(__u64 seed, __u64 deadline, int sock, bool nobody)
{
	struct sigaction sa = { .sa_handler = kick };
	struct sigaction fault = { .sa_sigaction = touch_fault,
				   .sa_flags = SA_SIGINFO | SA_NODEFER };
	struct rlimit rl = { NOBODY_MEMLOCK, NOBODY_MEMLOCK };
	gid_t g = NODE_GID;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGSEGV, &fault, NULL);
	sigaction(SIGBUS, &fault, NULL);
	signal(SIGPIPE, SIG_IGN);
	pthread_mutex_init(&P.lock, NULL);
	P.seed = seed;
	P.deadline = deadline;
	P.sock = sock;
	P.memfd = memfd_create("fuzz", MFD_CLOEXEC);
	P.arena = mmap(NULL, ARENA_LEN, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (P.arena == MAP_FAILED)
		return 2;
	/* The last quarter: a read-only part, then a hole. */
	mprotect(P.arena + ARENA_LEN * 3 / 4, ARENA_LEN / 8, PROT_READ);
	munmap(P.arena + ARENA_LEN * 7 / 8, ARENA_LEN / 8);
	if (nobody) {
		if (setrlimit(RLIMIT_MEMLOCK, &rl) || setgroups(1, &g) ||
		    setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			return 3;
		P.nobody = true;
	}
	proc_run();
	return 0;
}

/* ---- the coordinator: environment, leaks ------------------------------- */

/*
 * DMASHIM_FUZZ_OPS="map,unmap,sync": only those operations (to narrow a
 * failure down); the others keep their weight 0.  Returns how many.
 */
static int select_ops(const char *list)
{
	char buf[1024], *tok, *save;
	int i, n = 0;

	if (!list || !*list)
		return NR_OPS;
	snprintf(buf, sizeof(buf), "%s", list);
	for (i = 0; i < NR_OPS; i++) {
		bool on = false;

		for (tok = strtok_r(buf, ", ", &save); tok;
		     tok = strtok_r(NULL, ", ", &save))
			on |= !strcmp(tok, ops[i].name);
		snprintf(buf, sizeof(buf), "%s", list);
		if (!on)
			ops[i].weight = 0;
		n += on;
	}
	return n;
}

static void find_env(void)
{
	struct dmashim_channels *list;
	int n, i;

	memset(&env, 0, sizeof(env));
	if (edu_bind_name())
		snprintf(env.edu_free, sizeof(env.edu_free), "%s", edu_bind_name());
	n = dmashim_chan_list(&list);
	for (i = 0; i < n; i++) {
		const char *driver = dmashim_chan_list_driver(list, i);
		const char *device = dmashim_chan_list_device(list, i);
		bool edu = !strcmp(driver, EDU_DMA_DRIVER);

		if (!edu && strcmp(driver, CPU_DMA_DRIVER))
			continue;
		if (edu)
			snprintf(env.edu_prov, sizeof(env.edu_prov), "pci:%s",
				 device);
		else
			snprintf(env.cpudma, sizeof(env.cpudma), "platform:%s",
				 device);
		if (env.nr_chans < (int)ARRAY_SIZE(env.chans)) {
			snprintf(env.chans[env.nr_chans], DMASHIM_CHAN_NAME_LEN,
				 "%s", dmashim_chan_list_name(list, i));
			env.chan_edu[env.nr_chans++] = edu;
		}
	}
	if (n >= 0)
		dmashim_chan_list_free(list);
	if (!env.edu_prov[0])
		strcpy(env.edu_prov, "default");
	if (!env.edu_free[0])
		strcpy(env.edu_free, "default");
	if (!env.cpudma[0])
		strcpy(env.cpudma, "default");
}

static long long read_ll(const char *path)
{
	char buf[64] = "";
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return buf[0] ? atoll(buf) : -1;
}

/* What must come back to where it was once every process is gone. */
struct snap {
	long long dmabufs;
	long long refcnt[4];
	long long pins;
	long long slots_used;
	long long shares;
	long long chans_in_use;
	long long mappings;
	long long avail;
};

static const char *const modules[4] = {
	"dmashim", "dmashim_vdma", "dmashim_edu", "dmashim_cpudma",
};

/* Sums over dmashim's devices in debugfs: slots used, users' shares. */
static void device_counters(long long *slots, long long *shares)
{
	char path[512], line[256];
	struct dirent *de;
	DIR *d = opendir(DMASHIM_DEBUGFS "/devices");
	unsigned long long a, b;
	unsigned int uid;
	FILE *f;

	*slots = *shares = 0;
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), DMASHIM_DEBUGFS "/devices/%s/bounce",
			 de->d_name);
		f = fopen(path, "re");
		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "slots_used %llu", &a) == 1)
				*slots += a;
		if (f)
			fclose(f);
		snprintf(path, sizeof(path), DMASHIM_DEBUGFS "/devices/%s/shares",
			 de->d_name);
		f = fopen(path, "re");
		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "uid %u slots %llu space %llu", &uid, &a, &b) == 3)
				*shares += a + b;
		if (f)
			fclose(f);
	}
	closedir(d);
}

static void take_snap(struct snap *s)
{
	char path[128];
	int i;

	s->dmabufs = dmabufs_live();
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "/sys/module/%s/refcnt", modules[i]);
		s->refcnt[i] = read_ll(path);
	}
	s->pins = pins_held();
	device_counters(&s->slots_used, &s->shares);
	s->chans_in_use = 0;
	for (i = 0; i < env.nr_chans; i++)
		s->chans_in_use += chan_in_use(env.chans[i]) == 1;
	s->mappings = live_mappings();
	s->avail = meminfo("MemAvailable");
}

/* Everything but MemAvailable, which only comes close. */
static bool snap_same(const struct snap *a, const struct snap *b)
{
	return a->dmabufs == b->dmabufs &&
	       !memcmp(a->refcnt, b->refcnt, sizeof(a->refcnt)) &&
	       a->pins == b->pins && a->slots_used == b->slots_used &&
	       a->shares == b->shares && a->chans_in_use == b->chans_in_use &&
	       a->mappings == b->mappings;
}

static void settle(struct snap *now, const struct snap *base, int seconds)
{
	int i;

	sysfs_write("/proc/sys/vm/drop_caches", "3");
	for (i = 0; i < seconds * 10; i++) {
		take_snap(now);
		if (snap_same(now, base))
			return;
		usleep(100 * 1000);
	}
}

/* The unprivileged user's charge is all back: its whole limit allocates. */
static int nobody_allocs_limit(void *arg)
{
	int ctx, fd;

	ctx = open(DMASHIM_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (ctx < 0)
		return -errno;
	fd = buf_alloc(ctx, NOBODY_MEMLOCK, DMASHIM_BUF_PAGES, O_RDWR | O_CLOEXEC, NULL);
	if (fd >= 0)
		close(fd);
	close(ctx);
	return fd < 0 ? fd : 0;
}

/* Processes of the run but us: in our process group. */
static void kill_run(void)
{
	struct dirent *de;
	DIR *d = opendir("/proc");

	while (d && (de = readdir(d))) {
		pid_t pid = atoi(de->d_name);

		if (pid > 1 && pid != getpid() && getpgid(pid) == getpgrp())
			kill(pid, SIGKILL);
	}
	if (d)
		closedir(d);
}

/* Stacks of processes of the run that are still there, to the log. */
static void dump_stuck(void)
{
	char path[320], line[256];
	struct dirent *de, *te;
	DIR *d = opendir("/proc"), *td;
	FILE *f;

	while (d && (de = readdir(d))) {
		pid_t pid = atoi(de->d_name);

		if (pid <= 1 || pid == getpid() || getpgid(pid) != getpgrp())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		td = opendir(path);
		while (td && (te = readdir(td))) {
			if (te->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/%d/task/%s/stack", pid,
				 te->d_name);
			printf("# stuck: pid %d task %s\n", pid, te->d_name);
			f = fopen(path, "re");
			while (f && fgets(line, sizeof(line), f))
				printf("#   %s", line);
			if (f)
				fclose(f);
		}
		if (td)
			closedir(td);
	}
	if (d)
		closedir(d);
	fflush(stdout);
}

static __u64 env_u64(const char *name, __u64 dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : dflt;
}

FIXTURE(fuzz) {
	struct stat node;
	char views[8];
};

FIXTURE_SETUP(fuzz)
{
	FILE *f;

	if (access(DMASHIM_DEV_PATH, F_OK))
		SKIP(return, "no %s (dmashim not loaded)", DMASHIM_DEV_PATH);
	ASSERT_EQ(0, stat(DMASHIM_DEV_PATH, &self->node));
	f = fopen(PARAM_VIEWS, "re");
	if (!f || !fgets(self->views, sizeof(self->views), f))
		strcpy(self->views, "N");
	if (f)
		fclose(f);
}

FIXTURE_TEARDOWN(fuzz)
{
	sysfs_write(CPU_FAIL_NEXT, "0");
	sysfs_write(CPU_STEP_DELAY, "0");
	sysfs_write(PARAM_VIEWS, self->views);
	chown(DMASHIM_DEV_PATH, self->node.st_uid, self->node.st_gid);
	chmod(DMASHIM_DEV_PATH, self->node.st_mode & 07777);
}

/*
 * The run: worker processes in pairs (root and, by the seed, root or the
 * unprivileged user), each pair joined by a socket, for the seconds
 * asked; then every process reaped and nothing left behind.
 */
TEST_F_TIMEOUT(fuzz, run, 86400)
{
	__u64 seed = env_u64("DMASHIM_FUZZ_SEED", now_ns() ^ getpid());
	__u64 seconds = env_u64("DMASHIM_FUZZ_SECONDS", 20), start, end, total = 0;
	pid_t workers[2 * WORKER_PAIRS];
	__u64 r = seed;
	struct snap base, after;
	struct rlimit rl;
	char line[512];
	int i, status, sv[2], stuck = 0;
	long long tol;
	double secs;

	printf("# seed %llu\n", (unsigned long long)seed);
	printf("# seconds %llu\n", (unsigned long long)seconds);
	ASSERT_LT(0, select_ops(getenv("DMASHIM_FUZZ_OPS")))
		TH_LOG("DMASHIM_FUZZ_OPS names no operation");
	if (getenv("DMASHIM_FUZZ_OPS") && *getenv("DMASHIM_FUZZ_OPS"))
		printf("# ops %s\n", getenv("DMASHIM_FUZZ_OPS"));
	fflush(stdout);
	snprintf(line, sizeof(line), "dmashim-test: fuzz seed %llu, %llu s",
		 (unsigned long long)seed, (unsigned long long)seconds);
	sysfs_write("/dev/kmsg", line);

	ASSERT_EQ(0, open_node_to_group());
	sysfs_write(PARAM_VIEWS, "Y");
	find_env();
	for (i = 0; i < env.nr_chans; i++)
		printf("# channel %s (%s)\n", env.chans[i],
		       env.chan_edu[i] ? EDU_DMA_DRIVER : CPU_DMA_DRIVER);
	printf("# devices: %s %s %s\n", env.edu_free, env.edu_prov, env.cpudma);
	fflush(stdout);
	/* What earlier tests left to go asynchronously goes first. */
	sysfs_write("/proc/sys/vm/drop_caches", "3");
	for (i = 0; i < 50; i++) {
		take_snap(&base);
		usleep(100 * 1000);
		take_snap(&after);
		if (snap_same(&base, &after))
			break;
	}

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	memset(sh, 0, sizeof(*sh));
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));

	start = now_ns();
	end = start + seconds * 1000000000ULL;
	for (i = 0; i < 2 * WORKER_PAIRS; i++) {
		bool nobody = i % 2 && splitmix(&r) % 4;
		__u64 wseed = splitmix(&r);

		if (i % 2 == 0)
			ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC,
						0, sv));
		__atomic_fetch_add(&sh->procs, 1, __ATOMIC_RELAXED);
		workers[i] = fork();
		ASSERT_LE(0, workers[i]);
		if (!workers[i]) {
			close(sv[!(i % 2)]);
			_exit(worker(wseed, end, sv[i % 2], nobody));
		}
		printf("# worker %d: pid %d, %s\n", i, workers[i],
		       nobody ? "unprivileged" : "root");
		if (i % 2) {
			close(sv[0]);
			close(sv[1]);
		}
	}
	fflush(stdout);

	/* The workers, then whatever they left orphaned (we reap those). */
	for (i = 0; i < 2 * WORKER_PAIRS; i++) {
		while (waitpid(workers[i], &status, WNOHANG) == 0) {
			if (now_ns() > end + 120 * 1000000000ULL) {
				if (!stuck++)
					dump_stuck();
				kill(workers[i], SIGKILL);
			}
			usleep(20 * 1000);
		}
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("worker %d: status 0x%x", i, status);
	}
	while (1) {
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid < 0)
			break;
		if (pid > 0) {
			EXPECT_FALSE(WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
				TH_LOG("process %d died of signal %d", pid,
				       WTERMSIG(status));
			continue;
		}
		if (now_ns() > end + 150 * 1000000000ULL) {
			if (!stuck++)
				dump_stuck();
			kill_run();
		}
		usleep(20 * 1000);
	}
	secs = (now_ns() - start) / 1e9;
	EXPECT_EQ(0, stuck) TH_LOG("processes still there 2 minutes after the end");

	for (i = 0; i < NR_OPS; i++)
		total += sh->calls[i];
	printf("# fuzz: %llu calls in %.1f s, %.0f calls/s, seed %llu\n",
	       (unsigned long long)total, secs, total / secs,
	       (unsigned long long)seed);
	for (i = 0; i < NR_OPS; i += 8) {
		int j, n = 0;

		for (j = i; j < NR_OPS && j < i + 8; j++)
			n += snprintf(line + n, sizeof(line) - n, " %s %lu/%lu",
				      ops[j].name, sh->oks[j], sh->calls[j]);
		printf("# ok/calls:%s\n", line);
	}
	printf("# forks %lu, kills %lu, kicks (waits interrupted) %lu\n",
	       sh->forks, sh->kills, sh->kicks);
	fflush(stdout);
	EXPECT_EQ(0, sh->touch_faults) TH_LOG("%s", sh->fault);
	EXPECT_STREQ("", sh->fault);

	sysfs_write(CPU_FAIL_NEXT, "0");
	sysfs_write(CPU_STEP_DELAY, "0");
	settle(&after, &base, 20);
	tol = MiB(32);
	printf("# MemAvailable %lld MiB before, %lld MiB after\n",
	       base.avail >> 20, after.avail >> 20);
	EXPECT_EQ(base.dmabufs, after.dmabufs) TH_LOG("dma-bufs");
	for (i = 0; i < 4; i++)
		EXPECT_EQ(base.refcnt[i], after.refcnt[i])
			TH_LOG("refcnt of module %d of dmashim, vdma, edu, cpudma", i);
	EXPECT_EQ(base.pins, after.pins) TH_LOG("pinned pages (FOLL_PIN)");
	EXPECT_EQ(base.slots_used, after.slots_used) TH_LOG("bounce slots used");
	EXPECT_EQ(base.shares, after.shares) TH_LOG("users' shares");
	EXPECT_EQ(base.chans_in_use, after.chans_in_use) TH_LOG("channels in use");
	EXPECT_EQ(base.mappings, after.mappings) TH_LOG("mappings in debugfs");
	EXPECT_GE(after.avail, base.avail - tol)
		TH_LOG("MemAvailable %lld MiB lower", (base.avail - after.avail) >> 20);
	if (strcmp(env.edu_free, "default"))
		EXPECT_STREQ("", pci_driver_of(edu_addr()));
	rl.rlim_cur = rl.rlim_max = NOBODY_MEMLOCK;
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &rl));
	EXPECT_EQ(0, as_nobody(nobody_allocs_limit, NULL))
		TH_LOG("the unprivileged user's RLIMIT_MEMLOCK charge did not come back");
	munmap(sh, sizeof(*sh));
}

TEST_HARNESS_MAIN
