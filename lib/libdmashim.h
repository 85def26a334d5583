/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libdmashim - userspace library for the dmashim DMA mapping shim
 *
 * Conventions (Documentation/library.rst):
 *
 * - Every function that can fail returns 0 (or a non-negative value) on
 *   success and a negative errno on failure; errno itself is left alone.
 * - Objects are opaque and owned by the caller, who frees them with the
 *   matching close/free call.
 * - The structs a caller passes are the library's, never the kernel's,
 *   and carry their own size: the caller sets @size to the sizeof it was
 *   built with (the DMASHIM_*_INIT initialisers do), and the library reads
 *   and writes that many bytes and no more, zeroing what it does not
 *   know, so that a program built against an older header works with a
 *   newer library.  A size below the struct's first version, above 4096
 *   or not a multiple of 8 is -EINVAL; bytes of a larger one that this
 *   library does not know must be 0 (-E2BIG).  In an array the first
 *   element's @size is the stride, and every input element carries the
 *   same.
 * - Constants (buffer kinds, directions, flags, capabilities, states,
 *   statuses, features) are the kernel uAPI's, from <linux/dmashim.h>,
 *   whose values ABI 1.0 fixes; this header does not include it.
 * - Thread safety: the library keeps no global state.  Different objects
 *   may be used from different threads at once, mappings and channels of
 *   one context included; one object must not be used by two threads at
 *   once, and a close or free must not race with any other use of its
 *   object (nor dmashim_close() with its context's mappings).
 */
#ifndef LIBDMASHIM_H
#define LIBDMASHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An initialiser of a struct that carries its size, all else 0. */
#ifdef __cplusplus
#define DMASHIM_SIZED_INIT(type) { sizeof(type) }
#else
#define DMASHIM_SIZED_INIT(type) { .size = sizeof(type) }
#endif

/* A context: an open of /dev/dmashim, bound to one device. */
struct dmashim_ctx;

/**
 * dmashim_open() - open a context bound to dmashim's default device
 * @ctxp: receives the context
 *
 * Opens /dev/dmashim, or the path in the DMASHIM_DEVICE environment
 * variable if set.
 *
 * Return: 0 or a negative errno (-ENOENT: the module is not loaded).
 */
int dmashim_open(struct dmashim_ctx **ctxp);

/**
 * dmashim_close() - close a context; NULL is ignored.
 * @ctx: the context
 */
void dmashim_close(struct dmashim_ctx *ctx);

/**
 * dmashim_fd() - the context's file descriptor, for poll() or ioctl().
 * @ctx: the context
 *
 * Return: the file descriptor, the context's: not to be closed.
 */
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
 * struct dmashim_device_info - a context's device (DMASHIM_IOCTL_INFO)
 * @size: in: sizeof(struct dmashim_device_info)
 * @dev_flags: DMASHIM_DEV_* flags
 * @features: DMASHIM_FEAT_* bits of the running module
 * @dma_mask: streaming DMA mask
 * @coherent_dma_mask: coherent DMA mask
 * @bus_dma_limit: limit of the bus or interconnect, 0 if none
 * @required_mask: mask needed to reach all of memory
 * @max_mapping_size: largest single mapping
 * @opt_mapping_size: largest mapping that is still fast
 * @max_seg_size: largest scatter-gather segment
 * @seg_boundary_mask: segments do not cross a multiple of this + 1
 * @iommu_domain: DMASHIM_IOMMU_* domain type
 * @iommu_group: IOMMU group, -1 if none
 * @iova_start: first usable IOVA (translated domains), else 0
 * @iova_end: last usable IOVA (translated domains), else 0
 * @iommu_pgsize_bitmap: page sizes the domain maps, 0 if not translated
 * @name: device name ("0000:00:10.0")
 * @bus: bus name ("pci", "platform")
 * @driver: the device's driver, "" if none
 */
struct dmashim_device_info {
	uint32_t size;
	uint32_t dev_flags;
	uint64_t features;
	uint64_t dma_mask;
	uint64_t coherent_dma_mask;
	uint64_t bus_dma_limit;
	uint64_t required_mask;
	uint64_t max_mapping_size;
	uint64_t opt_mapping_size;
	uint64_t max_seg_size;
	uint64_t seg_boundary_mask;
	uint32_t iommu_domain;
	int32_t iommu_group;
	uint64_t iova_start;
	uint64_t iova_end;
	uint64_t iommu_pgsize_bitmap;
	char name[128];
	char bus[32];
	char driver[64];
};

#define DMASHIM_DEVICE_INFO_INIT \
	DMASHIM_SIZED_INIT(struct dmashim_device_info)

/**
 * dmashim_info() - describe the context's device
 * @ctx: the context
 * @info: its @size set; filled in
 *
 * Return: 0 or a negative errno (-EINVAL: @info->size refused by the size
 * rules at the top of libdmashim.h; -ENODEV: the device went away).
 */
int dmashim_info(struct dmashim_ctx *ctx, struct dmashim_device_info *info);

/**
 * dmashim_iommu_domain_name() - "none", "identity", "dma-strict", ...
 * @iommu_domain: a DMASHIM_IOMMU_* domain type
 *
 * Return: a static string, "unknown" for a value this library does not
 * know.
 */
const char *dmashim_iommu_domain_name(unsigned int iommu_domain);

/**
 * struct dmashim_pool_stats - the bounce pool of a context's device
 *	(DMASHIM_IOCTL_STATS)
 * @size: in: sizeof(struct dmashim_pool_stats)
 * @__pad: 0
 * @pool_bytes: size of the pool (0: none)
 * @slot_bytes: allocation unit
 * @slots_total: slots in the pool
 * @slots_used: slots in use now
 * @slots_high_water: most slots ever in use at once
 * @bytes_to_device: bytes copied into the pool
 * @bytes_to_cpu: bytes copied out of it
 * @mappings_bounced: mappings that used the pool
 * @failures: mappings refused because the pool was full
 * @share_refusals: requests refused for a user's share (EDQUOT)
 */
struct dmashim_pool_stats {
	uint32_t size;
	uint32_t __pad;
	uint64_t pool_bytes;
	uint64_t slot_bytes;
	uint64_t slots_total;
	uint64_t slots_used;
	uint64_t slots_high_water;
	uint64_t bytes_to_device;
	uint64_t bytes_to_cpu;
	uint64_t mappings_bounced;
	uint64_t failures;
	uint64_t share_refusals;
};

#define DMASHIM_POOL_STATS_INIT \
	DMASHIM_SIZED_INIT(struct dmashim_pool_stats)

/**
 * dmashim_stats() - the bounce pool counters of the context's device
 * @ctx: the context
 * @stats: its @size set; filled in
 *
 * Return: 0 or a negative errno (-EINVAL: @stats->size below the first
 * version; -ENODEV: the device went away).
 */
int dmashim_stats(struct dmashim_ctx *ctx, struct dmashim_pool_stats *stats);

/* ---- Buffers ------------------------------------------------------------ */

/* A buffer: a dma-buf file descriptor, its size and its CPU mapping. */
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
 *
 * Return: 0 or a negative errno as documented for struct dmashim_alloc of
 * <linux/dmashim.h>.
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
 *
 * Return: 0 or a negative errno as documented for struct dmashim_pin of
 * <linux/dmashim.h>.
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

/**
 * dmashim_buf_free() - unmap from the CPU and close; NULL is ignored
 * @buf: the buffer
 */
void dmashim_buf_free(struct dmashim_buf *buf);

/**
 * dmashim_buf_fd() - the buffer's dma-buf file descriptor
 * @buf: the buffer
 *
 * Return: the file descriptor, the buffer's: not to be closed.
 */
int dmashim_buf_fd(const struct dmashim_buf *buf);

/**
 * dmashim_buf_size() - the buffer's size in bytes
 * @buf: the buffer
 *
 * Return: the size in bytes.
 */
size_t dmashim_buf_size(const struct dmashim_buf *buf);

/**
 * dmashim_buf_mmap() - the buffer's CPU mapping, made on first use
 * @buf: the buffer
 * @addrp: receives the address; the mapping lasts until
 *	dmashim_buf_free()
 *
 * Writable unless the buffer's file is read-only.
 *
 * Return: 0 or a negative errno (-ENODEV for buffers from
 * dmashim_buf_pin(), which are the caller's memory already).
 */
int dmashim_buf_mmap(struct dmashim_buf *buf, void **addrp);

/**
 * dmashim_buf_cpu_begin() - DMA_BUF_IOCTL_SYNC start: before the CPU
 *	touches the mapping
 * @buf: the buffer
 * @access: DMA_BUF_SYNC_READ, DMA_BUF_SYNC_WRITE or DMA_BUF_SYNC_RW
 *
 * Return: 0 or a negative errno (-EINVAL for another @access).
 */
int dmashim_buf_cpu_begin(struct dmashim_buf *buf, unsigned int access);

/**
 * dmashim_buf_cpu_end() - DMA_BUF_IOCTL_SYNC end: the CPU is done
 * @buf: the buffer
 * @access: DMA_BUF_SYNC_READ, DMA_BUF_SYNC_WRITE or DMA_BUF_SYNC_RW, as
 *	given to dmashim_buf_cpu_begin()
 *
 * Return: 0 or a negative errno (-EINVAL for another @access).
 */
int dmashim_buf_cpu_end(struct dmashim_buf *buf, unsigned int access);

/* ---- DRM PRIME ----------------------------------------------------------- */

/**
 * dmashim_drm_open() - open the first DRM card driven by @driver
 * @driver: the DRM driver's name, as drmGetVersion() gives it ("vgem")
 *
 * Looks through the primary nodes (/dev/dri/card*), which dumb buffers
 * need.
 *
 * Return: the card's fd (O_RDWR | O_CLOEXEC), the caller's to close;
 * -ENODEV if no card has that driver; -EACCES (or -EPERM) if none of the
 * cards that could be opened has it, and another could not be.
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
 * The device attaches the dma-buf while the GEM object lives.
 *
 * Return: 0 or the ioctl's negative errno (-ENOTTY: @drm_fd is not a DRM
 * device).
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
 * object imported from a dma-buf gives that dma-buf back.
 *
 * Return: 0 or a negative errno (-ENOENT: no such handle; the ioctl's
 * otherwise).
 */
int dmashim_buf_from_gem(int drm_fd, uint32_t handle,
			 struct dmashim_buf **bufp);

/* ---- Mappings ------------------------------------------------------------ */

/* A mapping of a buffer for a context's device. */
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
 *
 * Return: 0 or a negative errno as documented for struct dmashim_map of
 * <linux/dmashim.h>; -ENOMEM.
 */
int dmashim_map(struct dmashim_ctx *ctx, int buf_fd, unsigned int dir,
		unsigned int flags, struct dmashim_mapping **mapp);

/**
 * dmashim_unmap() - unmap and free a mapping; NULL is ignored
 * @map: the mapping
 *
 * Return: 0, or the error of DMASHIM_IOCTL_UNMAP (the object is freed
 * regardless).
 */
int dmashim_unmap(struct dmashim_mapping *map);

/**
 * dmashim_mapping_handle() - the kernel's handle of the mapping
 * @map: the mapping
 *
 * Return: the handle, for the uAPI's mapping ioctls on the context's fd.
 */
unsigned long long dmashim_mapping_handle(const struct dmashim_mapping *map);

/**
 * dmashim_mapping_length() - bytes mapped
 * @map: the mapping
 *
 * Return: bytes mapped.
 */
size_t dmashim_mapping_length(const struct dmashim_mapping *map);

/**
 * dmashim_mapping_flags() - DMASHIM_MAPPED_* flags
 * @map: the mapping
 *
 * Return: the DMASHIM_MAPPED_* flags the kernel reported.
 */
unsigned int dmashim_mapping_flags(const struct dmashim_mapping *map);

/**
 * dmashim_mapping_nr_segments() - number of segments
 * @map: the mapping
 *
 * Return: how many segments.
 */
unsigned int dmashim_mapping_nr_segments(const struct dmashim_mapping *map);

/**
 * dmashim_mapping_segment() - segment @i, as the device sees it
 * @map: the mapping
 * @i: from 0 to dmashim_mapping_nr_segments() - 1
 * @addr: receives the address the device uses (0 if hidden)
 * @length: receives its length in bytes
 *
 * Return: 0, or -ERANGE for @i out of range.
 */
int dmashim_mapping_segment(const struct dmashim_mapping *map, unsigned int i,
			    uint64_t *addr, uint64_t *length);

/**
 * dmashim_sync_for_cpu() - give a range to the CPU (DMASHIM_IOCTL_SYNC),
 *	in the mapping's direction
 * @map: the mapping
 * @offset: first byte
 * @length: bytes; 0 means to the end of the mapping
 *
 * Return: 0 or a negative errno as documented for struct dmashim_sync of
 * <linux/dmashim.h>.
 */
int dmashim_sync_for_cpu(struct dmashim_mapping *map, size_t offset,
			 size_t length);

/**
 * dmashim_sync_for_device() - give a range to the device
 * @map: the mapping
 * @offset: first byte
 * @length: bytes; 0 means to the end of the mapping
 *
 * Return: 0 or a negative errno as documented for struct dmashim_sync of
 * <linux/dmashim.h>.
 */
int dmashim_sync_for_device(struct dmashim_mapping *map, size_t offset,
			    size_t length);

/* ---- Channels ------------------------------------------------------------ */

/* A dmaengine channel, taken exclusively through a context. */
struct dmashim_chan;

/* The system's dmaengine channels, as /sys/class/dma shows them. */
struct dmashim_channels;

/**
 * dmashim_chan_list() - every dmaengine channel of the system, free or not
 * @listp: receives the list, in dmaN, then chanM order
 *
 * Return: how many channels (0 without /sys/class/dma), or a negative
 * errno.
 */
int dmashim_chan_list(struct dmashim_channels **listp);

/**
 * dmashim_chan_list_free() - free a list; NULL is ignored
 * @list: the list
 */
void dmashim_chan_list_free(struct dmashim_channels *list);

/**
 * dmashim_chan_list_count() - channels in the list
 * @list: the list
 *
 * Return: how many channels.
 */
unsigned int dmashim_chan_list_count(const struct dmashim_channels *list);

/**
 * dmashim_chan_list_name() - channel @i's name ("dma0chan1"), for
 *	dmashim_chan_open()
 * @list: the list
 * @i: the entry, from 0
 *
 * Return: the name, valid as long as @list; NULL for @i out of range.
 */
const char *dmashim_chan_list_name(const struct dmashim_channels *list,
				   unsigned int i);

/**
 * dmashim_chan_list_device() - the name of channel @i's DMA device
 *	("0000:00:11.0", "dmashim_cpudma")
 * @list: the list
 * @i: the entry, from 0
 *
 * Return: the name, valid as long as @list; NULL for @i out of range.
 */
const char *dmashim_chan_list_device(const struct dmashim_channels *list,
				     unsigned int i);

/**
 * dmashim_chan_list_driver() - the driver of channel @i's DMA device
 * @list: the list
 * @i: the entry, from 0
 *
 * Return: the driver's name, "" if none, valid as long as @list; NULL
 * for @i out of range.
 */
const char *dmashim_chan_list_driver(const struct dmashim_channels *list,
				     unsigned int i);

/**
 * dmashim_chan_open() - take a channel (DMASHIM_IOCTL_CHAN_OPEN)
 * @ctx: a context
 * @name: the channel ("dma0chan1"), or NULL or "" for the first free one
 *	with @caps
 * @caps: DMASHIM_CAP_* the channel must have
 * @chanp: receives the channel
 *
 * The channel's file is close-on-exec.
 *
 * Return: 0, -ENODEV if no free channel matches, -ENAMETOOLONG if @name
 * does not fit DMASHIM_CHAN_NAME_LEN, another negative errno.
 */
int dmashim_chan_open(struct dmashim_ctx *ctx, const char *name,
		      unsigned int caps, struct dmashim_chan **chanp);

/**
 * dmashim_chan_close() - give the channel back; NULL is ignored
 * @chan: the channel
 */
void dmashim_chan_close(struct dmashim_chan *chan);

/**
 * dmashim_chan_fd() - the channel's fd, for poll() and read()
 * @chan: the channel
 *
 * Return: the file descriptor, the channel's: not to be closed.
 */
int dmashim_chan_fd(const struct dmashim_chan *chan);

/**
 * struct dmashim_channel_info - a channel (DMASHIM_IOCTL_CHAN_INFO)
 * @size: in: sizeof(struct dmashim_channel_info)
 * @caps: DMASHIM_CAP_* capabilities
 * @state: DMASHIM_CHAN_* state
 * @directions: DMASHIM_CHAN_DIR_* directions
 * @src_addr_widths: source bus widths (bit n: n bytes)
 * @dst_addr_widths: destination bus widths
 * @max_burst: largest burst, 0 if unknown
 * @residue_granularity: DMASHIM_RESIDUE_*
 * @descs_total: descriptors the channel may have in flight
 * @descs_free: of which free now
 * @can_pause: 1 if pause and resume work
 * @can_terminate: 1 if terminate works
 * @__pad: 0
 * @name: the channel's name
 * @device: the name of its DMA device
 */
struct dmashim_channel_info {
	uint32_t size;
	uint32_t caps;
	uint32_t state;
	uint32_t directions;
	uint32_t src_addr_widths;
	uint32_t dst_addr_widths;
	uint32_t max_burst;
	uint32_t residue_granularity;
	uint32_t descs_total;
	uint32_t descs_free;
	uint8_t can_pause;
	uint8_t can_terminate;
	uint8_t __pad[6];
	char name[32];
	char device[128];
};

#define DMASHIM_CHANNEL_INFO_INIT \
	DMASHIM_SIZED_INIT(struct dmashim_channel_info)

/**
 * dmashim_chan_info() - DMASHIM_IOCTL_CHAN_INFO
 * @chan: the channel
 * @info: its @size set; filled in
 *
 * Return: 0, -ENODEV once the channel's device went away, another
 * negative errno.
 */
int dmashim_chan_info(struct dmashim_chan *chan,
		      struct dmashim_channel_info *info);

/**
 * struct dmashim_channel_config - a slave configuration
 * @size: sizeof(struct dmashim_channel_config)
 * @__pad: 0
 * @src_addr: device address read by DMASHIM_XFER_FROM_DEVICE transfers
 * @dst_addr: device address written by DMASHIM_XFER_TO_DEVICE transfers
 * @src_width: bytes per device read: 0 (any), 1, 2, 4 or 8
 * @dst_width: bytes per device write
 * @src_maxburst: words per burst from the device, 0 for any
 * @dst_maxburst: words per burst to the device
 */
struct dmashim_channel_config {
	uint32_t size;
	uint32_t __pad;
	uint64_t src_addr;
	uint64_t dst_addr;
	uint32_t src_width;
	uint32_t dst_width;
	uint32_t src_maxburst;
	uint32_t dst_maxburst;
};

#define DMASHIM_CHANNEL_CONFIG_INIT \
	DMASHIM_SIZED_INIT(struct dmashim_channel_config)

/**
 * dmashim_chan_config() - slave configuration (DMASHIM_IOCTL_CHAN_CONFIG)
 * @chan: the channel, idle
 * @cfg: the configuration, its @size set
 *
 * Return: 0, -EBUSY unless the channel is idle (CONFIGURED), -EINVAL for
 * a configuration the channel does not take, another negative errno.
 */
int dmashim_chan_config(struct dmashim_chan *chan,
			const struct dmashim_channel_config *cfg);

/**
 * struct dmashim_byte_range - a byte range of a buffer; fixed for good
 *	(it never grows)
 * @offset: first byte
 * @length: bytes
 */
struct dmashim_byte_range {
	uint64_t offset;
	uint64_t length;
};

/**
 * struct dmashim_transfer - one transfer of a batch
 * @size: sizeof(struct dmashim_transfer); the first element's is the
 *	stride of the array
 * @kind: DMASHIM_XFER_MEMCPY, _SLAVE or _CYCLIC
 * @dir: DMASHIM_XFER_TO_DEVICE or _FROM_DEVICE (slave, cyclic), else 0
 * @flags: 0
 * @src_fd: source dma-buf; -1 from the device
 * @dst_fd: destination dma-buf; -1 to the device
 * @nr_ranges: (slave) entries in @ranges, 0 for the offset and @length
 * @__pad0: 0
 * @src_offset: offset in the source
 * @dst_offset: offset in the destination
 * @length: bytes (cyclic: of the ring; 0 with @ranges)
 * @period: (cyclic) bytes per period, else 0
 * @ranges: (slave) pointer to @nr_ranges &struct dmashim_byte_range, as
 *	an integer ((uintptr_t)ranges, the same on 32 and 64 bits), or 0
 * @user_data: returned in the transfer's completions
 * @cookie: out: the transfer's cookie
 * @__pad: 0
 *
 * As &struct dmashim_xfer of the uAPI: fields a transfer does not use
 * are 0 (an fd -1).
 */
struct dmashim_transfer {
	uint32_t size;
	uint32_t kind;
	uint32_t dir;
	uint32_t flags;
	int32_t src_fd;
	int32_t dst_fd;
	uint32_t nr_ranges;
	uint32_t __pad0;
	uint64_t src_offset;
	uint64_t dst_offset;
	uint64_t length;
	uint64_t period;
	uint64_t ranges;
	uint64_t user_data;
	int32_t cookie;
	uint32_t __pad;
};

#define DMASHIM_TRANSFER_INIT \
	DMASHIM_SIZED_INIT(struct dmashim_transfer)

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
 * all.  -EBUSY: the channel's pools are full now.  -EINVAL: @count 0,
 * @xfers[0].size refused by the size rules at the top of libdmashim.h
 * or another element's size not the same, a non-zero pad, FENCE_OUT
 * without @fence_fd, FENCE_IN (which dmashim_chan_submit_after() sets
 * from its fd), or what the kernel refuses (struct dmashim_chan_submit
 * of <linux/dmashim.h>).  -E2BIG: a
 * field of a transfer this library does not know is not 0.  -ENOMEM:
 * more than 16 transfers and no memory to convert them.
 */
int dmashim_chan_submit(struct dmashim_chan *chan,
			struct dmashim_transfer *xfers, unsigned int count,
			unsigned int flags, int *fence_fd);

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
			      struct dmashim_transfer *xfers,
			      unsigned int count, unsigned int flags,
			      int in_fence_fd, int *fence_fd);

/**
 * struct dmashim_completion - a transfer that ended, or a cyclic period
 * @size: in: sizeof(struct dmashim_completion); the first element's is
 *	the stride of the array
 * @cookie: the transfer's cookie
 * @status: DMASHIM_XFER_COMPLETE, _ERROR or _ABORTED (_IN_PROGRESS for
 *	a period)
 * @flags: DMASHIM_RECORD_PERIOD for a period
 * @residue: bytes not moved (a period: to the end of the ring)
 * @user_data: the transfer's @user_data
 * @periods: (periods) how many ended since the transfer's last one
 * @__pad: 0
 * @timestamp_ns: CLOCK_MONOTONIC when it ended
 */
struct dmashim_completion {
	uint32_t size;
	int32_t cookie;
	uint32_t status;
	uint32_t flags;
	uint64_t residue;
	uint64_t user_data;
	uint32_t periods;
	uint32_t __pad;
	uint64_t timestamp_ns;
};

#define DMASHIM_COMPLETION_INIT \
	DMASHIM_SIZED_INIT(struct dmashim_completion)

/**
 * dmashim_chan_wait() - wait for completions and read them
 * @chan: the channel
 * @recs: where to put them; @recs[0].size set
 * @max: room in @recs, at least 1
 * @timeout_ms: how long to wait for the first, -1 for ever, 0 not at all
 *
 * poll() then read(), resumed after signals; at most 16 at a time.
 *
 * Return: the number of completions read (at least 1), -ETIME if none
 * came in time, -ENODEV once the channel's device went away and every
 * record was read, -EINVAL for @max 0 or @recs[0].size below the first
 * version, another negative errno.
 */
int dmashim_chan_wait(struct dmashim_chan *chan,
		      struct dmashim_completion *recs, unsigned int max,
		      int timeout_ms);

/**
 * struct dmashim_transfer_status - where a transfer is
 * @size: in: sizeof(struct dmashim_transfer_status)
 * @status: DMASHIM_XFER_* status
 * @residue: bytes not moved yet
 * @state: the channel's DMASHIM_CHAN_* state
 * @__pad: 0
 */
struct dmashim_transfer_status {
	uint32_t size;
	uint32_t status;
	uint64_t residue;
	uint32_t state;
	uint32_t __pad;
};

#define DMASHIM_TRANSFER_STATUS_INIT \
	DMASHIM_SIZED_INIT(struct dmashim_transfer_status)

/**
 * dmashim_chan_status() - a transfer's status and the channel's state
 *	(DMASHIM_IOCTL_CHAN_STATUS)
 * @chan: the channel
 * @cookie: the transfer's cookie
 * @st: its @size set; filled in
 *
 * Return: 0, -EINVAL for a cookie no transfer could have, another
 * negative errno.
 */
int dmashim_chan_status(struct dmashim_chan *chan, int cookie,
			struct dmashim_transfer_status *st);

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
