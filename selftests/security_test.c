// SPDX-License-Identifier: GPL-2.0
/*
 * The permission model of Documentation/security.rst, rule by rule, as
 * root and as an unprivileged user who may open /dev/dmashim (uid and
 * gid 65534, in the node's group, as a udev rule would give it):
 *
 * - anyone who can open the node uses the default device;
 * - binding to any other device takes CAP_SYS_ADMIN or the device's
 *   delegation by name (the "delegate" parameter), claiming included;
 * - privilege is the context opener's, not the caller's;
 * - channels of "safe" providers (bounding their slave addresses) are
 *   everyone's; any other takes CAP_SYS_ADMIN or delegation, and raw
 *   slave addresses on it take CAP_SYS_RAWIO.
 */

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xf86drm.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define PARAM_DELEGATE "/sys/module/dmashim/parameters/delegate"
#define PARAM_SAFE "/sys/module/dmashim/parameters/safe_providers"

FIXTURE(sec) {
	struct stat node;
	char safe[256];
};

FIXTURE_SETUP(sec)
{
	FILE *f;

	ASSERT_EQ(0, stat(DMASHIM_DEV_PATH, &self->node));
	ASSERT_EQ(0, open_node_to_group());
	f = fopen(PARAM_SAFE, "re");
	ASSERT_NE(NULL, f) TH_LOG("no %s: %s", PARAM_SAFE, strerror(errno));
	ASSERT_NE(NULL, fgets(self->safe, sizeof(self->safe), f));
	fclose(f);
}

FIXTURE_TEARDOWN(sec)
{
	sysfs_write(PARAM_DELEGATE, "");
	sysfs_write(PARAM_SAFE, self->safe);
	chown(DMASHIM_DEV_PATH, self->node.st_uid, self->node.st_gid);
	chmod(DMASHIM_DEV_PATH, self->node.st_mode & 07777);
}

static int user_binds(void *arg)
{
	return bind_new(arg, 0);
}

/* Allocate, map, sync and unmap on the default device. */
static int user_uses_default(void *arg)
{
	struct buffer b;
	struct mapping m;
	int fd = ctx_open(), ret;

	if (fd < 0)
		return fd;
	ret = buffer_get(fd, DMASHIM_BUF_PAGES, 65536, &b);
	if (ret)
		goto out;
	ret = map_buf(fd, b.fd, DMASHIM_DIR_BIDIRECTIONAL, 0, &m);
	if (!ret) {
		ret = ctx_sync(fd, m.handle, DMASHIM_SYNC_FOR_CPU, 0, 65536,
			       DMASHIM_DIR_BIDIRECTIONAL);
		ret = ctx_unmap(fd, m.handle) ?: ret;
		mapping_free(&m);
	}
	buffer_put(&b);
out:
	close(fd);
	return ret;
}

TEST_F(sec, default_device_for_everyone)
{
	EXPECT_EQ(0, user_uses_default(NULL));
	EXPECT_EQ(0, as_nobody(user_uses_default, NULL));
	EXPECT_EQ(0, as_nobody(user_binds, "default"));
}

/*
 * Without privilege, no device but the default one: not a device another
 * driver owns (edu under dmashim_edu, the serial port, the keyboard
 * controller), not one to claim.
 */
TEST_F(sec, bind_needs_privilege)
{
	static const char *const platform[] = {
		"platform:serial8250", "platform:i8042",
	};
	char dev[64], name[DMASHIM_CHAN_NAME_LEN], bind[80];
	unsigned int i;

	REQUIRE_CHANNEL(EDU_DMA_DRIVER, name);
	ASSERT_EQ(0, chan_sysfs_device(name, dev, sizeof(dev)));
	snprintf(bind, sizeof(bind), "pci:%s", dev);
	EXPECT_EQ(-EPERM, as_nobody(user_binds, bind));
	EXPECT_EQ(0, bind_new(bind, 0));
	for (i = 0; i < ARRAY_SIZE(platform); i++) {
		EXPECT_EQ(-EPERM, as_nobody(user_binds, (void *)platform[i]))
			TH_LOG("%s", platform[i]);
	}
	REQUIRE_FREE_EDU();
	EXPECT_EQ(-EPERM, as_nobody(user_binds, (void *)edu_bind_name()));
	EXPECT_STREQ("", pci_driver_of(edu_addr()));
}

static int user_claims_edu(void *arg)
{
	struct buffer b;
	struct mapping m;
	int fd = ctx_open(), ret;

	if (fd < 0)
		return fd;
	ret = ctx_bind(fd, edu_bind_name(), EDU_DMA_BITS, 0);
	if (!ret)
		ret = strcmp(pci_driver_of(edu_addr()), "dmashim") ? -ESRCH : 0;
	if (!ret)
		ret = buffer_get(fd, DMASHIM_BUF_PAGES, 16384, &b);
	if (!ret) {
		ret = map_buf(fd, b.fd, DMASHIM_DIR_TO_DEVICE, 0, &m);
		if (!ret) {
			ctx_unmap(fd, m.handle);
			mapping_free(&m);
		}
		buffer_put(&b);
	}
	close(fd);
	return ret;
}

/* An administrator delegates a device by name; and takes it back. */
TEST_F(sec, delegated_device)
{
	char list[160];

	REQUIRE_FREE_EDU();
	snprintf(list, sizeof(list), "platform:nothing,%s", edu_bind_name());
	ASSERT_EQ(0, sysfs_write(PARAM_DELEGATE, list));
	EXPECT_EQ(0, as_nobody(user_claims_edu, NULL));
	/* Released with the user's last context. */
	EXPECT_STREQ("", pci_driver_of(edu_addr()));
	ASSERT_EQ(0, sysfs_write(PARAM_DELEGATE, "platform:nothing"));
	EXPECT_EQ(-EPERM, as_nobody(user_claims_edu, NULL));
}

/*
 * Privilege is the opener's: a context root opened works for the
 * unprivileged process it is handed to, and one an unprivileged user
 * opened does not gain root's privilege when root uses it.
 */
static int user_binds_fd(void *arg)
{
	return ctx_bind(*(int *)arg, edu_bind_name(), EDU_DMA_BITS, 0);
}

static int user_opens_for_root(void *arg)
{
	int fd = ctx_open(), ret;

	if (fd < 0)
		return fd;
	ret = send_fd(*(int *)arg, fd);
	close(fd);
	return ret;
}

TEST_F(sec, opener_credentials)
{
	int fd, sv[2];

	REQUIRE_FREE_EDU();
	fd = ctx_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, as_nobody(user_binds_fd, &fd));
	close(fd);
	EXPECT_STREQ("", pci_driver_of(edu_addr()));

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	ASSERT_EQ(0, as_nobody(user_opens_for_root, &sv[1]));
	fd = recv_fd(sv[0]);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EPERM, ctx_bind(fd, edu_bind_name(), EDU_DMA_BITS, 0));
	EXPECT_STREQ("", pci_driver_of(edu_addr()));
	close(fd);
	close(sv[0]);
	close(sv[1]);
}

struct chan_try {
	const char *name;	/* channel to open, "" for any memcpy one */
	bool config;		/* then give it window addresses */
	const char *avoid;	/* -EXDEV if the channel's device is this */
};

static int user_opens_chan(void *arg)
{
	struct chan_try *t = arg;
	struct dmashim_chan_info info;
	int fd = ctx_open(), ch, ret;

	if (fd < 0)
		return fd;
	ch = chan_open(fd, t->name, t->name[0] ? 0 : DMASHIM_CAP_MEMCPY,
		       O_CLOEXEC);
	ret = ch < 0 ? ch : 0;
	if (!ret)
		ret = chan_info(ch, &info);
	if (!ret && t->avoid && !strcmp(t->avoid, info.device))
		ret = -EXDEV;
	if (!ret && t->config)
		ret = chan_config(ch, DMA_WINDOW, DMA_WINDOW);
	if (ch >= 0)
		close(ch);
	close(fd);
	return ret;
}

/*
 * dmashim's providers bound their windows: their channels are everyone's.
 * A provider that is not "safe" (cpudma, made so here) keeps its channels
 * for CAP_SYS_ADMIN or their delegation, and raw slave addresses on them
 * for CAP_SYS_RAWIO.
 */
TEST_F(sec, channels)
{
	char cpu[DMASHIM_CHAN_NAME_LEN], edu[DMASHIM_CHAN_NAME_LEN];
	char cpu_dev[64], list[64];
	struct chan_try t = { .config = true };
	unsigned int i;

	REQUIRE_CHANNEL(CPU_DMA_DRIVER, cpu);
	REQUIRE_CHANNEL(EDU_DMA_DRIVER, edu);
	ASSERT_EQ(0, chan_sysfs_device(cpu, cpu_dev, sizeof(cpu_dev)));
	t.name = cpu;
	EXPECT_EQ(0, as_nobody(user_opens_chan, &t));
	t.name = edu;
	EXPECT_EQ(0, as_nobody(user_opens_chan, &t));

	ASSERT_EQ(0, sysfs_write(PARAM_SAFE, EDU_DMA_DRIVER));
	t.name = cpu;
	EXPECT_EQ(-EPERM, as_nobody(user_opens_chan, &t));
	EXPECT_EQ(0, user_opens_chan(&t));
	/* Any channel: never one of cpudma's. */
	t.name = "";
	t.config = false;
	t.avoid = cpu_dev;
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, as_nobody(user_opens_chan, &t));
	t.avoid = NULL;

	snprintf(list, sizeof(list), "chan:%s", cpu);
	ASSERT_EQ(0, sysfs_write(PARAM_DELEGATE, list));
	t.name = cpu;
	EXPECT_EQ(0, as_nobody(user_opens_chan, &t));
	t.config = true;
	EXPECT_EQ(-EPERM, as_nobody(user_opens_chan, &t));
	EXPECT_EQ(0, user_opens_chan(&t));
}

/*
 * A dma-buf opened read-only is never written by a device: dmashim's own
 * (ALLOC with O_RDONLY) and another exporter's (vgem's PRIME export
 * without DRM_RDWR).  Mapped, only for the device to read; as a
 * transfer's destination, refused; as its source, fine.
 */
static void read_only_buf(struct __test_metadata *_metadata, int ctx, int ch,
			  int ro, int rw, const char *what)
{
	struct dmashim_record rec;
	struct dmashim_xfer x;
	struct mapping m;

	EXPECT_EQ(-EACCES, map_buf(ctx, ro, DMASHIM_DIR_FROM_DEVICE, 0, &m))
		TH_LOG("%s", what);
	EXPECT_EQ(-EACCES, map_buf(ctx, ro, DMASHIM_DIR_BIDIRECTIONAL, 0, &m))
		TH_LOG("%s", what);
	ASSERT_EQ(0, map_buf(ctx, ro, DMASHIM_DIR_TO_DEVICE, 0, &m))
		TH_LOG("%s", what);
	EXPECT_EQ(0, ctx_unmap(ctx, m.handle));
	mapping_free(&m);
	x = xfer_memcpy(ro, 0, rw, 0, 4096);
	EXPECT_EQ(-EACCES, chan_submit(ch, &x, 1, NULL)) TH_LOG("%s", what);
	x = xfer_memcpy(rw, 0, ro, 0, 4096);
	ASSERT_EQ(0, chan_submit(ch, &x, 1, NULL)) TH_LOG("%s", what);
	ASSERT_EQ(0, chan_wait_final(ch, x.cookie, &rec));
	EXPECT_EQ(DMASHIM_XFER_COMPLETE, rec.status);
}

TEST_F(sec, read_only_buffers)
{
	char name[DMASHIM_CHAN_NAME_LEN];
	__u32 handle;
	__u64 size;
	struct buffer rw;
	int ctx, ch, ro, drm;

	REQUIRE_CHANNEL(CPU_DMA_DRIVER, name);
	ctx = ctx_open();
	ASSERT_LE(0, ctx);
	ch = chan_open(ctx, name, 0, O_CLOEXEC);
	ASSERT_LE(0, ch);
	ASSERT_EQ(0, buffer_get(ctx, DMASHIM_BUF_PAGES, 4096, &rw));
	ro = buf_alloc(ctx, 4096, DMASHIM_BUF_PAGES, O_RDONLY | O_CLOEXEC,
		       NULL);
	ASSERT_LE(0, ro);
	read_only_buf(_metadata, ctx, ch, ro, rw.fd, "dmashim O_RDONLY");
	close(ro);

	drm = vgem_open();
	if (drm < 0)
		SKIP(goto out, "no vgem: %s", strerror(-drm));
	ASSERT_EQ(0, dumb_create(drm, 4096, &handle, &size));
	ASSERT_EQ(0, drmPrimeHandleToFD(drm, handle, DRM_CLOEXEC, &ro));
	read_only_buf(_metadata, ctx, ch, ro, rw.fd, "vgem read-only");
	close(ro);
	close(drm);
out:
	buffer_put(&rw);
	close(ch);
	close(ctx);
}

/*
 * Buffer memory is charged to the user's RLIMIT_MEMLOCK (the test sets 7
 * MiB), per user: a child of the same user does not get a quota of its
 * own.  Allocated and pinned memory both count; the charge goes with the
 * buffer.
 */
#define MEMLOCK (7 << 20)

struct charge_try {
	unsigned int kind;
	size_t first, second;	/* parent's, then a child's */
};

/* A buffer of @kind and @len on a new context: its fd, or -errno. */
static int user_buffer(unsigned int kind, size_t len, struct buffer *b)
{
	int fd = ctx_open(), ret;

	if (fd < 0)
		return fd;
	ret = buffer_get(fd, kind, len, b);
	close(fd);
	return ret;
}

static int user_child_buffer(void *arg)
{
	struct charge_try *t = arg;
	struct buffer b;
	int ret;

	ret = user_buffer(t->kind, t->second, &b);
	if (!ret)
		buffer_put(&b);
	return ret;
}

/* Hold @first, then a forked child of the same user tries @second. */
static int user_charges(void *arg)
{
	struct charge_try *t = arg;
	struct rlimit rl = { MEMLOCK, MEMLOCK };
	int pipefd[2], ret, status;
	struct buffer b;
	pid_t pid;

	if (setrlimit(RLIMIT_MEMLOCK, &rl))
		return -errno;
	ret = user_buffer(t->kind, t->first, &b);
	if (ret)
		return ret == -ENOMEM ? -EPROTO : ret;
	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (!pid) {
		ret = user_child_buffer(t);
		_exit(write(pipefd[1], &ret, sizeof(ret)) == sizeof(ret) ? 0 : 1);
	}
	if (read(pipefd[0], &ret, sizeof(ret)) != sizeof(ret))
		ret = -EPIPE;
	waitpid(pid, &status, 0);
	close(pipefd[0]);
	close(pipefd[1]);
	buffer_put(&b);
	return ret;
}

TEST_F(sec, memory_charged_per_user)
{
	static const unsigned int kinds[] = {
		DMASHIM_BUF_PAGES, DMASHIM_BUF_CONTIGUOUS, KIND_PINNED,
	};
	struct charge_try t;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		/* Within the limit together; beyond it together. */
		t = (struct charge_try){ kinds[i], 2 << 20, 4 << 20 };
		EXPECT_EQ(0, as_nobody(user_charges, &t))
			TH_LOG("%s", kind_name(kinds[i]));
		t = (struct charge_try){ kinds[i], 4 << 20, 4 << 20 };
		EXPECT_EQ(-ENOMEM, as_nobody(user_charges, &t))
			TH_LOG("%s", kind_name(kinds[i]));
	}
	/* Root, with CAP_IPC_LOCK, is not limited. */
	t = (struct charge_try){ DMASHIM_BUF_PAGES, 4 << 20, 16 << 20 };
	EXPECT_EQ(0, user_charges(&t));
}

/*
 * Shares of a shared device (Documentation/security.rst): a user whose
 * context was opened without CAP_SYS_ADMIN holds at most half of a
 * device's bounce pool and of its DMA address space (share_pct); more is
 * EDQUOT, counted in STATS.  What is left is there for others: root maps
 * what the user could otherwise have taken.
 */
struct share_try {
	const char *device;	/* bind name, "default" */
	unsigned int bits;
	__u32 map_flags;
	size_t len;		/* of the buffer mapped again and again */
	int handshake[2];	/* the user says it holds its share; waits */
	int maps;		/* out (through the exit status): mappings made */
};

/* Map one buffer until refused; report; hold the mappings until told. */
static int user_fills_share(void *arg)
{
	struct share_try *t = arg;
	struct dmashim_stats st;
	struct mapping m;
	struct buffer b;
	int fd, ret, n = 0;
	char c;

	fd = ctx_open_bound(t->device, t->bits);
	if (fd < 0)
		return fd;
	ret = buffer_get(fd, DMASHIM_BUF_PAGES, t->len, &b);
	if (ret)
		return ret;
	while (n < 1000 &&
	       !(ret = map_buf(fd, b.fd, DMASHIM_DIR_TO_DEVICE, t->map_flags,
			       &m)))
		n++;
	if (ret == -EDQUOT && (ctx_stats(fd, &st) || !st.share_refusals))
		ret = -EPROTO;
	if (write(t->handshake[1], &n, sizeof(n)) != sizeof(n) ||
	    read(t->handshake[0], &c, 1) != 1)
		ret = -EPIPE;
	close(fd);
	return ret;
}

/* Run @t as nobody; meanwhile, root maps @len bytes with @t's flags. */
static void share_check(struct __test_metadata *_metadata,
			struct share_try *t, size_t root_len, int want_maps)
{
	int to_user[2], from_user[2], fd, ret, n = -1, status;
	struct mapping m;
	struct buffer b;
	pid_t pid;

	ASSERT_EQ(0, pipe2(to_user, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(from_user, O_CLOEXEC));
	t->handshake[0] = to_user[0];
	t->handshake[1] = from_user[1];
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(-as_nobody(user_fills_share, t));
	ASSERT_EQ(sizeof(n), read(from_user[0], &n, sizeof(n)));
	EXPECT_EQ(want_maps, n);
	/* Root, while the user holds its share. */
	fd = ctx_open_bound(t->device, t->bits);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, buffer_get(fd, DMASHIM_BUF_PAGES, root_len, &b));
	ret = map_buf(fd, b.fd, DMASHIM_DIR_TO_DEVICE, t->map_flags, &m);
	EXPECT_EQ(0, ret) TH_LOG("root's mapping: %s", strerror(-ret));
	if (!ret) {
		ctx_unmap(fd, m.handle);
		mapping_free(&m);
	}
	buffer_put(&b);
	close(fd);
	ASSERT_EQ(1, write(to_user[1], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(EDQUOT, WEXITSTATUS(status));
	close(to_user[0]);
	close(to_user[1]);
	close(from_user[0]);
	close(from_user[1]);
}

/* The default device's 4 MiB pool: the user bounces 2 MiB, root 2 MiB. */
TEST_F(sec, bounce_pool_share)
{
	struct share_try t = {
		.device = "default", .map_flags = DMASHIM_MAP_BOUNCE,
		.len = 1 << 20,
	};
	struct dmashim_stats st;
	int fd = ctx_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ctx_stats(fd, &st));
	close(fd);
	ASSERT_EQ(4 << 20, st.pool_bytes);
	ASSERT_EQ(0, st.slots_used);
	share_check(_metadata, &t, 2 << 20, 2);
}

/*
 * edu's 28 bits behind an IOMMU, delegated to the user: it maps a 4 MiB
 * buffer 32 times (128 MiB, half the space), then is refused; root maps
 * 32 MiB meanwhile (the IOVA allocator aligns a mapping to its size: 64
 * MiB would need [0, 64 MiB), whose first page is never handed out).
 */
TEST_F(sec, address_space_share)
{
	struct share_try t = {
		.device = edu_bind_name(), .bits = EDU_DMA_BITS,
		.len = 4 << 20,
	};
	const char *expect = getenv("DMASHIM_EXPECT_IOMMU");

	REQUIRE_FREE_EDU();
	if (!expect || !strcmp(expect, "none"))
		SKIP(return, "no IOMMU translates edu here: no address space to share");
	ASSERT_EQ(0, sysfs_write(PARAM_DELEGATE, edu_bind_name()));
	share_check(_metadata, &t, 32 << 20, 32);
}

/* Slave transfer @len bytes between @b and channel @ch's window. */
static int window_xfer(int ch, struct buffer *b, __u32 dir, size_t len)
{
	struct dmashim_xfer x = xfer_slave(dir, b->fd, 0, len);
	struct dmashim_record rec;
	int ret;

	ret = chan_submit(ch, &x, 1, NULL);
	if (!ret)
		ret = chan_wait_final(ch, x.cookie, &rec);
	if (!ret && rec.status != DMASHIM_XFER_COMPLETE)
		ret = -EIO;
	return ret;
}

/* Read channel @arg's window: -EACCES if anything in it is not zero. */
static int user_reads_window(void *arg)
{
	int fd = ctx_open(), ch, ret;
	struct buffer b;
	size_t i;

	if (fd < 0)
		return fd;
	ch = chan_open(fd, arg, 0, O_CLOEXEC);
	ret = ch < 0 ? ch : chan_config(ch, DMA_WINDOW, DMA_WINDOW);
	if (!ret)
		ret = buffer_get(fd, DMASHIM_BUF_PAGES, CPU_WINDOW_LEN, &b);
	if (!ret) {
		memset(b.cpu, 0xa5, CPU_WINDOW_LEN);
		ret = window_xfer(ch, &b, DMASHIM_XFER_FROM_DEVICE,
				  CPU_WINDOW_LEN);
		for (i = 0; !ret && i < CPU_WINDOW_LEN; i++)
			if (b.cpu[i])
				ret = -EACCES;
		buffer_put(&b);
	}
	if (ch >= 0)
		close(ch);
	close(fd);
	return ret;
}

/*
 * A channel handed to a new owner holds nothing of the last one's: root
 * leaves a pattern in a cpudma channel's window, the next user reads
 * zeros.
 */
TEST_F(sec, window_cleared_for_next_owner)
{
	char name[DMASHIM_CHAN_NAME_LEN];
	struct buffer b;
	int fd, ch;

	REQUIRE_CHANNEL(CPU_DMA_DRIVER, name);
	fd = ctx_open();
	ASSERT_LE(0, fd);
	ch = chan_open(fd, name, 0, O_CLOEXEC);
	ASSERT_LE(0, ch);
	ASSERT_EQ(0, chan_config(ch, DMA_WINDOW, DMA_WINDOW));
	ASSERT_EQ(0, buffer_get(fd, DMASHIM_BUF_PAGES, CPU_WINDOW_LEN, &b));
	pattern_fill(b.cpu, CPU_WINDOW_LEN, 0, 11);
	ASSERT_EQ(0, window_xfer(ch, &b, DMASHIM_XFER_TO_DEVICE,
				 CPU_WINDOW_LEN));
	buffer_put(&b);
	close(ch);
	close(fd);
	EXPECT_EQ(0, as_nobody(user_reads_window, name))
		TH_LOG("the window still held the last owner's bytes");
}

TEST_HARNESS_MAIN
