// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim pipeline - a two-process zero-copy pipeline
 *
 * The producer allocates a ring of buffers and fills them by DMA on a
 * dmaengine channel (edu's, by default) from a source pattern; right
 * after each submit it passes the buffer's dma-buf fd and the transfer's
 * sync_file over a Unix socket (SCM_RIGHTS) to the consumer, forked
 * before anything was opened.  The consumer waits on the buffer's
 * implicit fences (poll()), checks the sync_file for the transfer's
 * error, checks the buffer through its own mapping, passes the first one
 * through vgem (a GEM handle, exported again and read back), and returns
 * it to be filled again.  No CPU copies the data: the DMA writes it, the
 * consumer only reads it.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmds.h"
#include "pipeline.h"

#define MAX_BUFFERS 64
#define RECORDS 16
/*
 * Rounds start this far apart in the source (modulo the buffer size), so
 * that a buffer never holds what it held the round before.
 */
#define PATTERN_STRIDE 4099

struct pipe_opts {
	const char *channel;
	const char *device;
	unsigned int buffers;
	unsigned int rounds;
	size_t size;
};

struct producer {
	const struct pipe_opts *o;
	int sock;
	struct dmashim_chan *chan;
	struct dmashim_channel_info info;
	struct cmd_buf src;
	struct cmd_buf ring[MAX_BUFFERS];
	unsigned int allocated;
	struct stage fill, pass, back;
	uint64_t start, last_done;
	uint64_t *submitted;		/* when each round's transfer was */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dmashim pipeline [--channel NAME | --device DEVNAME]\n"
		"                        [--buffers N] [--size N] [--rounds N]\n"
		"\n"
		"Fills a ring of buffers by DMA in this process and checks them\n"
		"in another, which gets their dma-buf fds over a Unix socket,\n"
		"waits on their fences, reads them through its own mapping and\n"
		"the first one through vgem, and returns them for reuse.\n"
		"\n"
		"  -c, --channel NAME    the channel (default: one of dmashim_edu,\n"
		"                        else any free memcpy channel)\n"
		"  -d, --device DEVNAME  a free channel of this DMA device\n"
		"  -n, --buffers N       buffers in the ring (default 4, max %d)\n"
		"  -s, --size N          bytes per buffer (default 16K)\n"
		"  -r, --rounds N        buffers filled in all (default 12)\n",
		MAX_BUFFERS);
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* Read the records that came; @timeout_ms as dmashim_chan_wait(). */
static int reap(struct producer *p, int timeout_ms)
{
	struct dmashim_completion recs[RECORDS];
	int i, n;

	recs[0].size = sizeof(recs[0]);
	n = dmashim_chan_wait(p->chan, recs, RECORDS, timeout_ms);
	if (n == -ETIME)
		return 0;
	if (n < 0)
		return fail("reading the channel's records", n);
	for (i = 0; i < n; i++) {
		if (recs[i].status != DMASHIM_XFER_COMPLETE) {
			fprintf(stderr,
				"pipeline: FAILED: the DMA of round %llu ended with status %u\n",
				(unsigned long long)recs[i].user_data,
				recs[i].status);
			return 1;
		}
		/*
		 * The channel runs one transfer at a time: each was busy
		 * from its submit, or the end of the one before, to its end.
		 */
		p->fill.count++;
		p->fill.bytes += p->o->size;
		p->fill.ns += recs[i].timestamp_ns -
			      max_u64(p->last_done,
				      p->submitted[recs[i].user_data]);
		p->last_done = recs[i].timestamp_ns;
	}
	return 0;
}

/* Fill ring buffer @i for round @round, and pass it on. */
static int fill(struct producer *p, unsigned int i, unsigned int round)
{
	struct pipe_fill m = {
		.index = i,
		.round = round,
		.pattern_offset = (uint64_t)round * PATTERN_STRIDE % p->o->size,
		.length = p->o->size,
	};
	struct dmashim_transfer x = {
		.size = sizeof(x),
		.kind = DMASHIM_XFER_MEMCPY,
		.src_fd = dmashim_buf_fd(p->src.buf),
		.dst_fd = dmashim_buf_fd(p->ring[i].buf),
		.src_offset = m.pattern_offset,
		.length = p->o->size,
		.user_data = round,
	};
	int ret, fds[2] = { x.dst_fd, -1 };

	/*
	 * The fence goes into the buffer, where the consumer waits for it,
	 * and comes out as a sync_file, which says how the transfer ended.
	 */
	p->submitted[round] = now_ns();
	while ((ret = dmashim_chan_submit(p->chan, &x, 1,
					  DMASHIM_SUBMIT_FENCE_OUT,
					  &fds[1])) == -EBUSY)
		if (reap(p, -1))
			return 1;
	if (ret)
		return fail("submit", ret);
	ret = pipe_send(p->sock, &m, sizeof(m), fds, 2);
	close(fds[1]);
	if (ret)
		return fail("passing the buffer to the consumer", ret);
	p->pass.count++;
	return 0;
}

/* Wait for the consumer to give back the buffer of round @round. */
static int take_back(struct producer *p, unsigned int round)
{
	struct pipe_return back;
	int ret;

	ret = pipe_recv(p->sock, &back, sizeof(back), NULL, 0);
	if (ret == -EPIPE) {
		fprintf(stderr, "pipeline: FAILED: the consumer quit\n");
		return 1;
	}
	if (ret)
		return fail("hearing from the consumer", ret);
	if (back.round != round || back.index != round % p->o->buffers) {
		fprintf(stderr,
			"pipeline: FAILED: buffer %u of round %u came back, expected round %u\n",
			back.index, back.round, round);
		return 1;
	}
	p->back.count++;
	printf("round %3u: buffer %u filled by DMA, checked by the consumer, back\n",
	       round, back.index);
	return reap(p, 0);
}

static int produce(struct producer *p)
{
	const struct pipe_opts *o = p->o;
	unsigned int r;

	p->start = now_ns();
	for (r = 0; r < o->rounds; r++) {
		if (r >= o->buffers && take_back(p, r - o->buffers))
			return 1;
		if (fill(p, r % o->buffers, r))
			return 1;
	}
	for (r = r > o->buffers ? r - o->buffers : 0; r < o->rounds; r++)
		if (take_back(p, r))
			return 1;
	while (p->fill.count < o->rounds)
		if (reap(p, -1))
			return 1;
	return 0;
}

static void row(const char *name, const struct stage *st, int timed)
{
	char bytes[32] = "-", time[32] = "-", rate[32] = "-";

	if (st->bytes)
		snprintf(bytes, sizeof(bytes), "%llu",
			 (unsigned long long)st->bytes);
	if (timed && st->ns >= 1000000000)
		snprintf(time, sizeof(time), "%.2f s", st->ns / 1e9);
	else if (timed && st->ns >= 1000000)
		snprintf(time, sizeof(time), "%.2f ms", st->ns / 1e6);
	else if (timed)
		snprintf(time, sizeof(time), "%.1f us", st->ns / 1e3);
	if (timed && st->bytes && st->ns)
		snprintf(rate, sizeof(rate), "%.3f",
			 st->bytes / (st->ns / 1e9) / (1 << 20));
	printf("%-26s %6lu %10s %10s %10s\n", name, st->count, bytes, time,
	       rate);
}

static void report(struct producer *p, const struct pipe_report *rep,
		   uint64_t end)
{
	struct stage whole = {
		.count = p->back.count,
		.bytes = rep->verify.bytes,
		.ns = end - p->start,
	};
	char name[64];

	printf("\n%-26s %6s %10s %10s %10s\n", "stage", "count", "bytes",
	       "time", "MiB/s");
	snprintf(name, sizeof(name), "fill (DMA busy, %s)", p->info.name);
	row(name, &p->fill, 1);
	row("pass fds (SCM_RIGHTS)", &p->pass, 0);
	row("wait (poll on fences)", &rep->wait, 1);
	row("verify (consumer mmap)", &rep->verify, 1);
	row("read back (vgem GEM)", &rep->vgem, 1);
	row("return for reuse", &p->back, 0);
	row("end to end", &whole, 1);
	if (rep->vgem_status == -ENODEV)
		printf("vgem: no vgem card, nothing read back (modprobe vgem)\n");
	else
		printf("vgem: buffer 0 imported as a GEM handle, exported again and read back\n");
	printf("pipeline: %u buffers filled, checked and returned; 0 mismatches\n",
	       p->o->rounds);
}

/* Allocate the source and the ring; the source gets its pattern. */
static int setup(struct dmashim_ctx *ctx, struct producer *p)
{
	const struct pipe_opts *o = p->o;
	int ret;

	ret = cmd_buf_get(ctx, DMASHIM_BUF_PAGES, 2 * o->size, 0, &p->src);
	if (ret)
		return fail("allocating the source", ret);
	ret = cmd_buf_fill(p->src.buf, 2 * o->size, 0);
	if (ret)
		return fail("filling the source", ret);
	for (; p->allocated < o->buffers; p->allocated++) {
		ret = cmd_buf_get(ctx, DMASHIM_BUF_PAGES, o->size, 0,
				  &p->ring[p->allocated]);
		if (ret)
			return fail("allocating the ring", ret);
	}
	p->info.size = sizeof(p->info);
	ret = dmashim_chan_info(p->chan, &p->info);
	return ret ? fail("channel info", ret) : 0;
}

static void teardown(struct producer *p)
{
	while (p->allocated)
		cmd_buf_put(&p->ring[--p->allocated]);
	if (p->src.buf)
		cmd_buf_put(&p->src);
}

/* The producer's side, with the consumer at the other end of @sock. */
static int run(const struct pipe_opts *o, int sock, pid_t consumer)
{
	struct producer p = { .o = o, .sock = sock };
	struct pipe_report rep;
	struct pipe_fill end = { .index = PIPE_END };
	struct dmashim_ctx *ctx;
	int ret;

	if (open_bound(&ctx, NULL, 0))
		return 1;
	if (o->channel || o->device) {
		ret = open_memcpy_channel(ctx, o->channel, o->device, &p.chan);
	} else {
		ret = open_driver_channel(ctx, "dmashim_edu", &p.chan);
		if (ret == -ENODEV)
			ret = open_memcpy_channel(ctx, NULL, NULL, &p.chan);
		else if (ret)
			ret = fail("open channel", ret);
	}
	if (ret)
		goto out_ctx;
	p.submitted = calloc(o->rounds, sizeof(*p.submitted));
	if (!p.submitted) {
		ret = fail("allocating", -ENOMEM);
		goto out;
	}
	ret = setup(ctx, &p);
	if (ret)
		goto out;
	printf("pipeline: %u buffers of %zu bytes, %u rounds; DMA on %s (device %s); consumer pid %d\n",
	       o->buffers, o->size, o->rounds, p.info.name, p.info.device,
	       (int)consumer);
	fflush(stdout);
	ret = produce(&p);
	if (ret)
		goto out;
	ret = pipe_send(sock, &end, sizeof(end), NULL, 0);
	if (!ret)
		ret = pipe_recv(sock, &rep, sizeof(rep), NULL, 0);
	if (ret) {
		ret = fail("the consumer's report", ret);
		goto out;
	}
	report(&p, &rep, now_ns());
out:
	free(p.submitted);
	teardown(&p);
	dmashim_chan_close(p.chan);
out_ctx:
	dmashim_close(ctx);
	return ret;
}

static int pipe_opt(int opt, const char *arg, void *data)
{
	struct pipe_opts *o = data;

	switch (opt) {
	case 'c':
		o->channel = arg;
		return 0;
	case 'n':
		return parse_count("--buffers", arg, &o->buffers);
	case 'r':
		return parse_count("--rounds", arg, &o->rounds);
	case 's':
		return parse_size("--size", arg, &o->size);
	}
	return -1;
}

int cmd_pipeline(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "channel", required_argument, NULL, 'c' },
		{ "device", required_argument, NULL, 'd' },
		{ "buffers", required_argument, NULL, 'n' },
		{ "size", required_argument, NULL, 's' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct pipe_opts o = { .buffers = 4, .rounds = 12, .size = 16 << 10 };
	struct dev_opts dev = { 0 };
	int sv[2], ret, status;
	pid_t pid;

	ret = parse_options(argc, argv, "c:d:n:s:r:h", opts, &dev, pipe_opt,
			    &o, usage);
	if (ret >= 0)
		return ret;
	o.device = dev.device;
	if (!o.size || !o.buffers || o.buffers > MAX_BUFFERS || !o.rounds ||
	    (o.channel && o.device)) {
		usage(stderr);
		return 2;
	}

	/* The consumer starts with nothing but its end of the socket. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return fail("socketpair", -errno);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return fail("fork", -errno);
	if (!pid) {
		close(sv[0]);
		_exit(pipeline_consume(sv[1]));
	}
	close(sv[1]);
	ret = run(&o, sv[0], pid);
	close(sv[0]);
	if (waitpid(pid, &status, 0) < 0)
		return fail("waitpid", -errno);
	/* A producer that failed said why; the consumer then stops too. */
	if (!ret && (!WIFEXITED(status) || WEXITSTATUS(status))) {
		fprintf(stderr, "pipeline: FAILED: the consumer %s %d\n",
			WIFEXITED(status) ? "exited with" : "was killed by",
			WIFEXITED(status) ? WEXITSTATUS(status) :
					    WTERMSIG(status));
		return 1;
	}
	return ret;
}
