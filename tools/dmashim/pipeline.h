/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmashim pipeline - what the producer and the consumer processes share:
 * the messages on their Unix socket and the figures of each stage
 */
#ifndef DMASHIM_TOOL_PIPELINE_H
#define DMASHIM_TOOL_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include <libdmashim.h>
#include <linux/dmashim.h>

/*
 * Producer to consumer, with two fds (SCM_RIGHTS): ring buffer @index's
 * dma-buf, and the sync_file of the transfer that fills it.  Once that
 * fence signals without an error, the buffer holds @length bytes of the
 * pattern from offset @pattern_offset.  @index PIPE_END, without fds: no
 * more buffers.
 */
struct pipe_fill {
	uint32_t index;
	uint32_t round;
	uint64_t pattern_offset;
	uint64_t length;
};

#define PIPE_END UINT32_MAX

/* Consumer to producer: buffer @index is checked and free again. */
struct pipe_return {
	uint32_t index;
	uint32_t round;
};

/* A stage's figures: events, bytes, and the time they took. */
struct stage {
	unsigned long count;
	uint64_t bytes;
	uint64_t ns;
};

/* Consumer to producer, last: its stages' figures. */
struct pipe_report {
	struct stage wait;
	struct stage verify;
	struct stage vgem;
	int vgem_status;
};

/* The consumer: runs until PIPE_END, returns the exit status. */
int pipeline_consume(int sock);

/*
 * Import @buf into the vgem device as a GEM handle (libdmashim's DRM
 * PRIME calls), export the handle again, and compare @length bytes of
 * the export with the pattern from @pattern_offset.  Returns 0, 1 on a
 * mismatch (reported), or a negative errno (-ENODEV: no vgem card).
 */
int vgem_readback(struct dmashim_buf *buf, size_t length,
		  uint64_t pattern_offset, struct stage *st);

/*
 * Check @len bytes of @buf, through its CPU mapping, against the tool's
 * pattern from offset @off (cmd_buf_check()): 0, 1 after reporting the
 * first mismatch in @what, or a negative errno.
 */
int pattern_check(const char *what, struct dmashim_buf *buf, size_t len,
		  uint64_t off);

/* File descriptors a message carries at most. */
#define PIPE_MAX_FDS 2

/* sendmsg() of @len bytes of @msg, with @nr_fds fds (SCM_RIGHTS). */
int pipe_send(int sock, const void *msg, size_t len, const int *fds,
	      unsigned int nr_fds);

/*
 * recvmsg() of exactly @len bytes into @msg; @fds receives the up to
 * @nr_fds fds that came with them, the rest -1.  Returns 0, -EPIPE at
 * the end of the stream, or a negative errno (nothing kept).
 */
int pipe_recv(int sock, void *msg, size_t len, int *fds, unsigned int nr_fds);

#endif
