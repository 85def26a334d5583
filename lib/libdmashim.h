/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libdmashim - userspace library for the dmashim DMA mapping shim
 *
 * Every function that can fail returns 0 (or a non-negative value) on
 * success and a negative errno on failure; errno itself is left alone.
 * Objects are opaque and owned by the caller, who frees them with the
 * matching close/free call.  See Documentation/library.rst.
 */
#ifndef LIBDMASHIM_H
#define LIBDMASHIM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/dmashim.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A context: an open of /dev/dmashim, bound to one device. */
struct dmashim_ctx;

/**
 * dmashim_open() - open a context bound to dmashim's default device
 * @ctxp: receives the context
 *
 * Opens /dev/dmashim, or the path in the DMASHIM_DEVICE environment
 * variable if set.  Return: 0 or a negative errno (-ENOENT: the module is
 * not loaded).
 */
int dmashim_open(struct dmashim_ctx **ctxp);

/** dmashim_close() - close a context; NULL is ignored. */
void dmashim_close(struct dmashim_ctx *ctx);

/** dmashim_fd() - the context's file descriptor, for poll() or ioctl(). */
int dmashim_fd(const struct dmashim_ctx *ctx);

/**
 * dmashim_bind() - bind a context to a device
 * @ctx: a context that has not been bound yet
 * @device: "default", "pci:DDDD:BB:DD.F" or "platform:NAME"
 * @dma_bits: DMA mask width to set if dmashim drives the device, 0 to keep
 * @flags: DMASHIM_BIND_* flags
 *
 * Return: 0 or a negative errno as documented for struct dmashim_bind;
 * -ENAMETOOLONG if @device does not fit DMASHIM_NAME_LEN.
 */
int dmashim_bind(struct dmashim_ctx *ctx, const char *device,
		 unsigned int dma_bits, unsigned int flags);

/**
 * dmashim_info() - describe the context's device
 * @ctx: the context
 * @info: filled in
 *
 * Return: 0 or a negative errno (-ENODEV: the device went away).
 */
int dmashim_info(struct dmashim_ctx *ctx, struct dmashim_info *info);

/** dmashim_iommu_domain_name() - "none", "identity", "dma-strict", ... */
const char *dmashim_iommu_domain_name(unsigned int iommu_domain);

/**
 * dmashim_stats() - the bounce pool counters of the context's device
 * @ctx: the context
 * @stats: filled in
 */
int dmashim_stats(struct dmashim_ctx *ctx, struct dmashim_stats *stats);

/* ---- Buffers ------------------------------------------------------------ */

/** A buffer: a dma-buf file descriptor, its size and its CPU mapping. */
struct dmashim_buf;

/**
 * dmashim_buf_alloc() - allocate a buffer (DMASHIM_IOCTL_ALLOC)
 * @ctx: the context; coherent buffers are allocated for its device
 * @length: bytes; rounded up to pages
 * @kind: DMASHIM_BUF_PAGES, DMASHIM_BUF_CONTIGUOUS or DMASHIM_BUF_COHERENT
 * @fd_flags: the buffer file's flags, passed as they are: O_CLOEXEC and
 *	an access mode (O_RDWR | O_CLOEXEC for an ordinary buffer; 0 is
 *	O_RDONLY without O_CLOEXEC)
 * @bufp: receives the buffer
 */
int dmashim_buf_alloc(struct dmashim_ctx *ctx, size_t length,
		      unsigned int kind, unsigned int fd_flags,
		      struct dmashim_buf **bufp);

/**
 * dmashim_buf_pin() - wrap the caller's memory as a buffer
 *	(DMASHIM_IOCTL_PIN)
 * @ctx: the context
 * @addr: start of the memory, any alignment
 * @length: bytes
 * @flags: DMASHIM_PIN_DEVICE_WRITES if devices may write it
 * @bufp: receives the buffer, whose file is O_RDWR | O_CLOEXEC
 *
 * The buffer cannot be mmap()ed: dmashim_buf_mmap() fails with -ENODEV.
 */
int dmashim_buf_pin(struct dmashim_ctx *ctx, void *addr, size_t length,
		    unsigned int flags, struct dmashim_buf **bufp);

/**
 * dmashim_buf_import() - wrap any dma-buf fd (another process's buffer,
 *	vgem, udmabuf, a DMA-BUF heap's) as a buffer
 * @fd: the dma-buf; the buffer takes it over and closes it when freed
 * @bufp: receives the buffer
 *
 * Return: 0, or -EBADF if @fd is not a dma-buf (@fd is then still the
 * caller's).
 */
int dmashim_buf_import(int fd, struct dmashim_buf **bufp);

/** dmashim_buf_free() - unmap from the CPU and close; NULL is ignored */
void dmashim_buf_free(struct dmashim_buf *buf);

/** dmashim_buf_fd() - the buffer's dma-buf file descriptor */
int dmashim_buf_fd(const struct dmashim_buf *buf);

/** dmashim_buf_size() - the buffer's size in bytes */
size_t dmashim_buf_size(const struct dmashim_buf *buf);

/**
 * dmashim_buf_mmap() - the buffer's CPU mapping, made on first use
 * @buf: the buffer
 * @addrp: receives the address; the mapping lasts until
 *	dmashim_buf_free()
 *
 * Writable unless the buffer's file is read-only.  Return: 0 or a
 * negative errno (-ENODEV for buffers from dmashim_buf_pin(), which are
 * the caller's memory already).
 */
int dmashim_buf_mmap(struct dmashim_buf *buf, void **addrp);

/**
 * dmashim_buf_cpu_begin() - DMA_BUF_IOCTL_SYNC start: before the CPU
 *	touches the mapping
 * @buf: the buffer
 * @access: DMA_BUF_SYNC_READ, DMA_BUF_SYNC_WRITE or DMA_BUF_SYNC_RW
 */
int dmashim_buf_cpu_begin(struct dmashim_buf *buf, unsigned int access);

/** dmashim_buf_cpu_end() - DMA_BUF_IOCTL_SYNC end: the CPU is done */
int dmashim_buf_cpu_end(struct dmashim_buf *buf, unsigned int access);

/* ---- DRM PRIME ----------------------------------------------------------- */

/**
 * dmashim_drm_open() - open the first DRM card driven by @driver
 * @driver: the DRM driver's name, as drmGetVersion() gives it ("vgem")
 *
 * Looks through the primary nodes (/dev/dri/card*), which dumb buffers
 * need.  Return: the card's fd (O_RDWR | O_CLOEXEC), the caller's to
 * close; -ENODEV if no card has that driver; -EACCES (or -EPERM) if none
 * of the cards that could be opened has it, and another could not be.
 */
int dmashim_drm_open(const char *driver);

/**
 * dmashim_buf_to_gem() - import a buffer into a DRM device as a GEM object
 *	(drmPrimeFDToHandle())
 * @buf: the buffer; it stays the caller's, the GEM object holds the dma-buf
 * @drm_fd: an open DRM device (card or render node)
 * @handle: receives the GEM handle, valid on @drm_fd until closed there
 *	(DRM_IOCTL_GEM_CLOSE); a buffer imported twice gets the same handle
 *
 * The device attaches the dma-buf while the GEM object lives.  Return: 0
 * or the ioctl's negative errno (-ENOTTY: @drm_fd is not a DRM device).
 */
int dmashim_buf_to_gem(const struct dmashim_buf *buf, int drm_fd,
		       uint32_t *handle);

/**
 * dmashim_buf_from_gem() - export a GEM object as a buffer
 *	(drmPrimeHandleToFD())
 * @drm_fd: the DRM device that holds the object
 * @handle: its GEM handle there
 * @bufp: receives the buffer, as dmashim_buf_import() makes it; its fd
 *	is O_RDWR | O_CLOEXEC
 *
 * The buffer holds the object: closing its handle does not free it.  An
 * object imported from a dma-buf gives that dma-buf back.  Return: 0 or
 * a negative errno (-ENOENT: no such handle; the ioctl's otherwise).
 */
int dmashim_buf_from_gem(int drm_fd, uint32_t handle,
			 struct dmashim_buf **bufp);

/* ---- Mappings ------------------------------------------------------------ */

/** A mapping of a buffer for a context's device. */
struct dmashim_mapping;

/**
 * dmashim_map() - map a dma-buf for the context's device (DMASHIM_IOCTL_MAP)
 * @ctx: the context
 * @buf_fd: any dma-buf fd (dmashim_buf_fd(), or a foreign one)
 * @dir: DMASHIM_DIR_*
 * @flags: DMASHIM_MAP_* flags
 * @mapp: receives the mapping, with all its segments read
 *
 * The mapping holds a reference to the buffer, so @buf_fd may be closed.
 * It belongs to @ctx: free it with dmashim_unmap() before dmashim_close().
 */
int dmashim_map(struct dmashim_ctx *ctx, int buf_fd, unsigned int dir,
		unsigned int flags, struct dmashim_mapping **mapp);

/**
 * dmashim_unmap() - unmap and free a mapping; NULL is ignored
 *
 * Return: 0, or the error of DMASHIM_IOCTL_UNMAP (the object is freed
 * regardless).
 */
int dmashim_unmap(struct dmashim_mapping *map);

/** dmashim_mapping_handle() - the kernel's handle of the mapping */
unsigned long long dmashim_mapping_handle(const struct dmashim_mapping *map);

/** dmashim_mapping_length() - bytes mapped */
size_t dmashim_mapping_length(const struct dmashim_mapping *map);

/** dmashim_mapping_flags() - DMASHIM_MAPPED_* flags */
unsigned int dmashim_mapping_flags(const struct dmashim_mapping *map);

/** dmashim_mapping_nr_segments() - number of segments */
unsigned int dmashim_mapping_nr_segments(const struct dmashim_mapping *map);

/** dmashim_mapping_segment() - segment @i, NULL if out of range */
const struct dmashim_segment *
dmashim_mapping_segment(const struct dmashim_mapping *map, unsigned int i);

/**
 * dmashim_sync_for_cpu() - give a range to the CPU (DMASHIM_IOCTL_SYNC),
 *	in the mapping's direction
 * @map: the mapping
 * @offset: first byte
 * @length: bytes; 0 means to the end of the mapping
 */
int dmashim_sync_for_cpu(struct dmashim_mapping *map, size_t offset,
			 size_t length);

/** dmashim_sync_for_device() - give a range to the device */
int dmashim_sync_for_device(struct dmashim_mapping *map, size_t offset,
			    size_t length);

/* ---- Channels ------------------------------------------------------------ */

/** A dmaengine channel, taken exclusively through a context. */
struct dmashim_chan;

/**
 * struct dmashim_chan_entry - a dmaengine channel as /sys/class/dma
 *	shows it
 * @name: the channel ("dma0chan1"), for dmashim_chan_open()
 * @device: the name of its DMA device ("0000:00:11.0", "dmashim_cpudma")
 * @driver: the name of that device's driver, "" if none
 */
struct dmashim_chan_entry {
	char name[DMASHIM_CHAN_NAME_LEN];
	char device[DMASHIM_NAME_LEN];
	char driver[64];
};

/**
 * dmashim_chan_list() - every dmaengine channel of the system, free or not
 * @list: receives a malloc()ed array in dmaN, then chanM order (free() it),
 *	NULL if there is no channel
 *
 * Return: how many channels, 0 without /sys/class/dma, or a negative
 * errno.
 */
int dmashim_chan_list(struct dmashim_chan_entry **list);

/**
 * dmashim_chan_open() - take a channel (DMASHIM_IOCTL_CHAN_OPEN)
 * @ctx: a context
 * @name: the channel ("dma0chan1"), or NULL or "" for the first free one
 *	with @caps
 * @caps: DMASHIM_CAP_* the channel must have
 * @chanp: receives the channel
 *
 * The channel's file is close-on-exec.  Return: 0, -ENODEV if no free
 * channel matches, -ENAMETOOLONG if @name does not fit
 * DMASHIM_CHAN_NAME_LEN, another negative errno.
 */
int dmashim_chan_open(struct dmashim_ctx *ctx, const char *name,
		      unsigned int caps, struct dmashim_chan **chanp);

/** dmashim_chan_close() - give the channel back; NULL is ignored */
void dmashim_chan_close(struct dmashim_chan *chan);

/** dmashim_chan_fd() - the channel's fd, for poll() and read() */
int dmashim_chan_fd(const struct dmashim_chan *chan);

/**
 * dmashim_chan_info() - DMASHIM_IOCTL_CHAN_INFO
 * @chan: the channel
 * @info: filled in
 *
 * Return: 0, -ENODEV once the channel's device went away, another
 * negative errno.
 */
int dmashim_chan_info(struct dmashim_chan *chan,
		      struct dmashim_chan_info *info);

/**
 * dmashim_chan_config() - slave configuration (DMASHIM_IOCTL_CHAN_CONFIG)
 * @chan: the channel, idle
 * @cfg: the configuration; its @size is set by the library
 *
 * Return: 0, -EBUSY unless the channel is idle (CONFIGURED), -EINVAL for
 * a configuration the channel does not take, another negative errno.
 */
int dmashim_chan_config(struct dmashim_chan *chan,
			const struct dmashim_chan_config *cfg);

/**
 * dmashim_chan_submit() - submit a batch and start it
 *	(DMASHIM_IOCTL_CHAN_SUBMIT)
 * @chan: the channel
 * @xfers: the transfers; their @cookie fields are filled in
 * @count: how many
 * @flags: DMASHIM_SUBMIT_* flags
 * @fence_fd: with DMASHIM_SUBMIT_FENCE_OUT, receives the sync_file fd;
 *	without, NULL or set to -1
 *
 * Return: 0 or a negative errno; the batch is submitted whole or not at
 * all (-EBUSY: the channel's pools are full now; -EINVAL: FENCE_OUT
 * without @fence_fd, or FENCE_IN, which dmashim_chan_submit_after()
 * takes).
 */
int dmashim_chan_submit(struct dmashim_chan *chan, struct dmashim_xfer *xfers,
			unsigned int count, unsigned int flags, int *fence_fd);

/**
 * dmashim_chan_submit_after() - dmashim_chan_submit() after an in-fence
 * @chan: the channel
 * @xfers: the transfers; their @cookie fields are filled in
 * @count: how many
 * @flags: DMASHIM_SUBMIT_* flags (DMASHIM_SUBMIT_NO_IMPLICIT: wait for
 *	@in_fence_fd alone, and leave no fence in the buffers)
 * @in_fence_fd: a sync_file the batch waits for, or -1
 * @fence_fd: as for dmashim_chan_submit()
 *
 * The call waits (interruptibly) for @in_fence_fd, then for the fences
 * already on the batch's buffers unless told not to.
 *
 * Return: 0; -EINVAL for an @in_fence_fd that is not a sync_file; the
 * error @in_fence_fd was signalled with (nothing submitted); -EINTR; as
 * dmashim_chan_submit() otherwise.
 */
int dmashim_chan_submit_after(struct dmashim_chan *chan,
			      struct dmashim_xfer *xfers, unsigned int count,
			      unsigned int flags, int in_fence_fd,
			      int *fence_fd);

/**
 * dmashim_chan_wait() - wait for completion records and read them
 * @chan: the channel
 * @recs: where to put them
 * @max: room in @recs, at least 1
 * @timeout_ms: how long to wait for the first, -1 for ever, 0 not at all
 *
 * poll() then read(), resumed after signals.  Return: the number of
 * records read (at least 1), -ETIME if none came in time, -ENODEV once
 * the channel's device went away and every record was read, another
 * negative errno.
 */
int dmashim_chan_wait(struct dmashim_chan *chan, struct dmashim_record *recs,
		      unsigned int max, int timeout_ms);

/**
 * dmashim_chan_status() - a transfer's status and the channel's state
 *	(DMASHIM_IOCTL_CHAN_STATUS)
 * @chan: the channel
 * @cookie: the transfer's cookie
 * @st: filled in
 *
 * Return: 0, -EINVAL for a cookie no transfer could have, another
 * negative errno.
 */
int dmashim_chan_status(struct dmashim_chan *chan, int cookie,
			struct dmashim_chan_status *st);

/**
 * dmashim_chan_control() - pause, resume or terminate
 *	(DMASHIM_IOCTL_CHAN_CONTROL)
 * @chan: the channel
 * @op: DMASHIM_CHAN_PAUSE, _RESUME, _TERMINATE or _TERMINATE_SYNC
 *
 * Return: the channel's DMASHIM_CHAN_* state afterwards, or a negative
 * errno (-EINVAL: a transition the state machine refuses; -EOPNOTSUPP:
 * the provider cannot pause or terminate).
 */
int dmashim_chan_control(struct dmashim_chan *chan, unsigned int op);

/**
 * dmashim_copy() - copy with the channel and wait for it
 * @chan: a channel with DMASHIM_CAP_MEMCPY, used only through this call
 *	(records of other transfers are read and dropped)
 * @dst_fd: destination dma-buf
 * @dst_off: offset in it
 * @src_fd: source dma-buf
 * @src_off: offset in it
 * @len: bytes
 *
 * Return: 0 once the bytes are there; -EIO if the provider failed the
 * transfer, -ECANCELED if it was terminated, -EPROTO for a record this
 * library does not know, another negative errno.
 */
int dmashim_copy(struct dmashim_chan *chan, int dst_fd, size_t dst_off,
		 int src_fd, size_t src_off, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* LIBDMASHIM_H */
