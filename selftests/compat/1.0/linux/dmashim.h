/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dmashim - DMA mapping and IOMMU shim: userspace ABI
 *
 * Every ioctl takes a pointer to a struct whose first two members are
 * @size and @flags.  @size is the size of the struct as the caller knows
 * it: the kernel accepts any size from the first version of the struct up
 * to %DMASHIM_STRUCT_SIZE_MAX, treats bytes it does not know as "must be
 * zero", and writes back at most @size bytes.  Arrays the structs point to
 * (transfers, ranges, segments) and the records read() returns carry
 * their element size the same way, with the same rules.  This lets old
 * binaries run on new kernels and new binaries on old kernels as long as
 * they do not ask for new features; &struct dmashim_info @features says
 * which ones a module has.  It is the only versioning scheme: there is no
 * version number to compare.
 *
 * Errors common to every ioctl:
 *
 * - %EFAULT: the argument pointer is not readable or writable (checked
 *   before the command runs: nothing was done; a file descriptor the
 *   command would return is never left open);
 * - %EINVAL: @size (or an element size) is smaller than the first
 *   version of its struct or larger than %DMASHIM_STRUCT_SIZE_MAX (an
 *   element size is also a multiple of 8), @flags has a bit this kernel
 *   does not know, a reserved field is not zero, or a field that does not
 *   apply to the request is not zero (-1 for a file descriptor);
 * - %E2BIG: @size (or an element size) is larger than the kernel's struct
 *   and a byte beyond the kernel's struct is not zero (a field this kernel
 *   does not know);
 * - %ENOTTY: the ioctl number is not a dmashim ioctl;
 * - %ENODEV: the context's device was unbound from its driver or removed.
 *
 * See Documentation/uapi.rst for the full description.
 */
#ifndef _UAPI_LINUX_DMASHIM_H
#define _UAPI_LINUX_DMASHIM_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * The ioctl type: 0xDA, numbers 0x00-0x3F (Documentation/uapi.rst gives
 * the ioctl-number.rst line).  Context ioctls are 0x00-0x1F, channel
 * ioctls 0x20-0x3F: each file refuses the other's with %ENOTTY.
 */
#define DMASHIM_TYPE		0xDA

/*
 * The largest @size (and element size) the kernel accepts, on every
 * architecture: room for every struct to grow, not a page.
 */
#define DMASHIM_STRUCT_SIZE_MAX	4096

/* Length of the device name fields, including the terminating NUL. */
#define DMASHIM_NAME_LEN	128

/**
 * enum dmashim_ioctl_nr - ioctl command numbers
 * @DMASHIM_CMD_INFO: see &struct dmashim_info
 * @DMASHIM_CMD_BIND: see &struct dmashim_bind
 * @DMASHIM_CMD_ALLOC: see &struct dmashim_alloc
 * @DMASHIM_CMD_PIN: see &struct dmashim_pin
 * @DMASHIM_CMD_MAP: see &struct dmashim_map
 * @DMASHIM_CMD_UNMAP: see &struct dmashim_unmap
 * @DMASHIM_CMD_SEGMENTS: see &struct dmashim_segments
 * @DMASHIM_CMD_SYNC: see &struct dmashim_sync
 * @DMASHIM_CMD_STATS: see &struct dmashim_stats
 * @DMASHIM_CMD_CHAN_OPEN: see &struct dmashim_chan_open
 * @DMASHIM_CMD_CHAN_INFO: (channel fd) see &struct dmashim_chan_info
 * @DMASHIM_CMD_CHAN_CONFIG: (channel fd) see &struct dmashim_chan_config
 * @DMASHIM_CMD_CHAN_SUBMIT: (channel fd) see &struct dmashim_chan_submit
 * @DMASHIM_CMD_CHAN_STATUS: (channel fd) see &struct dmashim_chan_status
 * @DMASHIM_CMD_CHAN_CONTROL: (channel fd) see &struct dmashim_chan_control
 */
enum dmashim_ioctl_nr {
	DMASHIM_CMD_INFO = 0x00,
	DMASHIM_CMD_BIND = 0x01,
	DMASHIM_CMD_ALLOC = 0x02,
	DMASHIM_CMD_PIN = 0x03,
	DMASHIM_CMD_MAP = 0x04,
	DMASHIM_CMD_UNMAP = 0x05,
	DMASHIM_CMD_SEGMENTS = 0x06,
	DMASHIM_CMD_SYNC = 0x07,
	DMASHIM_CMD_STATS = 0x08,
	DMASHIM_CMD_CHAN_OPEN = 0x09,
	DMASHIM_CMD_CHAN_INFO = 0x20,
	DMASHIM_CMD_CHAN_CONFIG = 0x21,
	DMASHIM_CMD_CHAN_SUBMIT = 0x22,
	DMASHIM_CMD_CHAN_STATUS = 0x23,
	DMASHIM_CMD_CHAN_CONTROL = 0x24,
};

/**
 * enum dmashim_iommu_domain - how an IOMMU treats the device's DMA
 * @DMASHIM_IOMMU_NONE: no IOMMU translates the device: DMA addresses are
 *	bus addresses (dma-direct, possibly through swiotlb)
 * @DMASHIM_IOMMU_IDENTITY: an IOMMU is present but passes DMA through
 *	untranslated (identity domain)
 * @DMASHIM_IOMMU_DMA_STRICT: DMA is translated; an IOVA is invalid as
 *	soon as it is unmapped (IOTLB flushed synchronously)
 * @DMASHIM_IOMMU_DMA_LAZY: DMA is translated; unmapped IOVAs are flushed
 *	in batches (a flush queue), so they may stay valid for a short time
 * @DMASHIM_IOMMU_BLOCKED: an IOMMU blocks all DMA from the device
 * @DMASHIM_IOMMU_OTHER: a domain type dmashim does not know (for example
 *	an unmanaged domain owned by VFIO or iommufd)
 */
enum dmashim_iommu_domain {
	DMASHIM_IOMMU_NONE = 0,
	DMASHIM_IOMMU_IDENTITY = 1,
	DMASHIM_IOMMU_DMA_STRICT = 2,
	DMASHIM_IOMMU_DMA_LAZY = 3,
	DMASHIM_IOMMU_BLOCKED = 4,
	DMASHIM_IOMMU_OTHER = 5,
};

/**
 * enum dmashim_dev_flags - &struct dmashim_info @dev_flags
 * @DMASHIM_DEV_COHERENT: the device's DMA is cache-coherent: syncs need
 *	no cache maintenance
 * @DMASHIM_DEV_IOMMU: an IOMMU translates the device's DMA through the
 *	DMA API: its DMA addresses are IOVAs
 * @DMASHIM_DEV_CLAIMED: dmashim is the device's driver (it claimed a
 *	device that had none)
 * @DMASHIM_DEV_DEFAULT: the device is dmashim's own default device
 */
enum dmashim_dev_flags {
	DMASHIM_DEV_COHERENT = 1 << 0,
	DMASHIM_DEV_IOMMU = 1 << 1,
	DMASHIM_DEV_CLAIMED = 1 << 2,
	DMASHIM_DEV_DEFAULT = 1 << 3,
};

/*
 * &struct dmashim_info @features: what the running module supports, 64
 * bits (so defines, not an enum).  Every module of ABI 1.0 has all of
 * %DMASHIM_FEATURES_1_0.  A feature added later gets the next bit: a
 * program asks for it here instead of trying it and reading errnos.  A
 * module without a feature refuses its flags and fields with %EINVAL or
 * %E2BIG.
 *
 * BIND: DMASHIM_IOCTL_BIND to named devices; PIN: DMASHIM_IOCTL_PIN;
 * BUF_CONTIGUOUS, BUF_COHERENT: those buffer kinds; MAP_BOUNCE:
 * %DMASHIM_MAP_BOUNCE and the bounce pool; CHANNELS: the channel ioctls
 * and memcpy transfers; SLAVE: slave transfers, with ranges; CYCLIC:
 * cyclic transfers and their period records; FENCE_IN, FENCE_OUT: those
 * submit flags; IMPLICIT_SYNC: fences in the buffers' reservation
 * objects, and %DMASHIM_SUBMIT_NO_IMPLICIT.
 */
#define DMASHIM_FEAT_BIND		_BITULL(0)
#define DMASHIM_FEAT_PIN		_BITULL(1)
#define DMASHIM_FEAT_BUF_CONTIGUOUS	_BITULL(2)
#define DMASHIM_FEAT_BUF_COHERENT	_BITULL(3)
#define DMASHIM_FEAT_MAP_BOUNCE		_BITULL(4)
#define DMASHIM_FEAT_CHANNELS		_BITULL(5)
#define DMASHIM_FEAT_SLAVE		_BITULL(6)
#define DMASHIM_FEAT_CYCLIC		_BITULL(7)
#define DMASHIM_FEAT_FENCE_IN		_BITULL(8)
#define DMASHIM_FEAT_FENCE_OUT		_BITULL(9)
#define DMASHIM_FEAT_IMPLICIT_SYNC	_BITULL(10)

/* The features every module of ABI 1.0 has. */
#define DMASHIM_FEATURES_1_0	(DMASHIM_FEAT_BIND | DMASHIM_FEAT_PIN | \
				 DMASHIM_FEAT_BUF_CONTIGUOUS | \
				 DMASHIM_FEAT_BUF_COHERENT | \
				 DMASHIM_FEAT_MAP_BOUNCE | \
				 DMASHIM_FEAT_CHANNELS | DMASHIM_FEAT_SLAVE | \
				 DMASHIM_FEAT_CYCLIC | DMASHIM_FEAT_FENCE_IN | \
				 DMASHIM_FEAT_FENCE_OUT | \
				 DMASHIM_FEAT_IMPLICIT_SYNC)

/**
 * struct dmashim_info - DMASHIM_IOCTL_INFO: describe the context's device
 * @size: in: sizeof(struct dmashim_info) as the caller knows it
 * @flags: in: must be 0
 * @features: out: DMASHIM_FEAT_* bits of the running module
 * @dev_flags: out: &enum dmashim_dev_flags
 * @dma_mask: out: streaming DMA mask
 * @coherent_dma_mask: out: coherent DMA mask
 * @bus_dma_limit: out: limit imposed by the bus or interconnect, 0 if none
 * @required_mask: out: mask needed to reach all of memory
 *	(dma_get_required_mask())
 * @max_mapping_size: out: largest single mapping (dma_max_mapping_size())
 * @opt_mapping_size: out: largest mapping that is still fast
 *	(dma_opt_mapping_size())
 * @max_seg_size: out: largest scatter-gather segment the device takes
 * @seg_boundary_mask: out: segments must not cross a multiple of this + 1
 * @iommu_domain: out: &enum dmashim_iommu_domain
 * @iommu_group: out: IOMMU group number, -1 if the device has none
 * @__reserved: 0
 * @iova_start: out: first usable IOVA of the domain's aperture (translated
 *	domains only, else 0)
 * @iova_end: out: last usable IOVA of the aperture (translated only, else 0)
 * @iommu_pgsize_bitmap: out: page sizes the IOMMU domain maps (bit n set:
 *	2^n bytes), 0 without translation
 * @name: out: device name, e.g. "0000:00:10.0"
 * @bus: out: bus name, e.g. "pci" or "platform"
 * @driver: out: name of the device's driver, "" if none
 */
struct dmashim_info {
	__u32 size;
	__u32 flags;
	__u64 features;
	__u32 dev_flags;
	__u32 iommu_domain;
	__u64 dma_mask;
	__u64 coherent_dma_mask;
	__u64 bus_dma_limit;
	__u64 required_mask;
	__u64 max_mapping_size;
	__u64 opt_mapping_size;
	__u64 max_seg_size;
	__u64 seg_boundary_mask;
	__s32 iommu_group;
	__u32 __reserved;
	__u64 iova_start;
	__u64 iova_end;
	__u64 iommu_pgsize_bitmap;
	char name[DMASHIM_NAME_LEN];
	char bus[32];
	char driver[64];
};

#define DMASHIM_IOCTL_INFO	_IO(DMASHIM_TYPE, DMASHIM_CMD_INFO)

/**
 * enum dmashim_bind_flags - &struct dmashim_bind @flags
 * @DMASHIM_BIND_NO_CLAIM: fail with %ENXIO rather than become the driver
 *	of a device that has none
 */
enum dmashim_bind_flags {
	DMASHIM_BIND_NO_CLAIM = 1 << 0,
};

/**
 * struct dmashim_bind - DMASHIM_IOCTL_BIND: bind the context to a device
 * @size: in: sizeof(struct dmashim_bind) as the caller knows it
 * @flags: in: &enum dmashim_bind_flags
 * @dma_bits: in: DMA mask width, 1 to 64, or 0 for "any": the mask
 *	dmashim sets when it claims the device (0: the DMA API's default of
 *	32 bits), or the mask the device must already have
 * @__reserved: must be 0
 * @device: in: NUL-terminated device name: "default", "pci:DDDD:BB:DD.F"
 *	or "platform:NAME"
 *
 * A context starts bound to dmashim's default device and may bind to a
 * named device once; everything it maps afterwards is mapped for that
 * device.  A device no driver owns is claimed: dmashim becomes its driver
 * (as vfio-pci does through driver_override), turns bus mastering on and
 * sets the mask @dma_bits asks for.  The claim is released when the last
 * context or mapping using the device goes away.  A device another driver
 * owns is used with the masks that driver set.  Binding to any device but
 * "default" needs %CAP_SYS_ADMIN in the credentials the context was
 * opened with, or the device's delegation by an administrator (the
 * module's "delegate" parameter; Documentation/security.rst).  Bridges
 * and other system devices are never bound.
 *
 * Errors: %EINVAL for a malformed name, an unknown bus prefix or @dma_bits
 * above 64; %ENODEV if no such device exists; %EBUSY if the context is
 * already bound to a named device or has mapped buffers already, or
 * @dma_bits differs from the mask of a device that another driver owns or
 * that other contexts share; %ENXIO if
 * the device has no driver and %DMASHIM_BIND_NO_CLAIM is set; %EPERM if
 * the opener may not use the device (see above); %EOPNOTSUPP for a PCI
 * bridge (host, ISA/LPC, PCI-to-PCI, ...), system peripheral or
 * processor; %EIO if the device cannot do DMA with the requested mask;
 * any error the claimed device's probe returns.
 */
struct dmashim_bind {
	__u32 size;
	__u32 flags;
	__u32 dma_bits;
	__u32 __reserved;
	char device[DMASHIM_NAME_LEN];
};

#define DMASHIM_IOCTL_BIND	_IO(DMASHIM_TYPE, DMASHIM_CMD_BIND)

/**
 * enum dmashim_buf_kind - what memory a buffer is made of
 * @DMASHIM_BUF_PAGES: pages that need not be contiguous, allocated in
 *	the largest chunks available (1 MiB, then 64 KiB, then 4 KiB) so that
 *	an IOMMU can map them with large pages; mmap gives cached, ordinary
 *	page mappings, which get_user_pages() users (O_DIRECT, io_uring fixed
 *	buffers) accept
 * @DMASHIM_BUF_CONTIGUOUS: physically contiguous pages, for devices
 *	without scatter-gather; at most 4 MiB (the page allocator's largest
 *	block)
 * @DMASHIM_BUF_COHERENT: dma_alloc_coherent() for the context's device:
 *	coherent DMA memory, mapped for the device as long as the buffer
 *	lives and the device stays bound; mmap through dma_mmap_coherent()
 *	(a PFN mapping: get_user_pages() users refuse it).  If the device is
 *	revoked the memory goes with it, once everything of that device
 *	that may touch it was stopped: CPU mappings fault (SIGBUS) and the
 *	buffer's operations fail with %ENODEV.  So no other device may map
 *	it (%EXDEV): only the default device's coherent buffers, which
 *	nothing revokes while they live, are shared with other devices and
 *	drivers.
 */
enum dmashim_buf_kind {
	DMASHIM_BUF_PAGES = 0,
	DMASHIM_BUF_CONTIGUOUS = 1,
	DMASHIM_BUF_COHERENT = 2,
};

/**
 * struct dmashim_alloc - DMASHIM_IOCTL_ALLOC: allocate a buffer
 * @size: in: sizeof(struct dmashim_alloc) as the caller knows it
 * @flags: in: must be 0
 * @length: in: bytes wanted; out: the buffer's size, rounded up to pages
 * @kind: in: &enum dmashim_buf_kind
 * @fd_flags: in: flags of the returned file: O_CLOEXEC and the access
 *	mode (O_RDWR, O_RDONLY or O_WRONLY), as for DMA-BUF heaps; an O_RDONLY
 *	buffer cannot be mapped writable
 * @fd: out: the buffer, a dma-buf file descriptor
 * @__reserved: must be 0
 *
 * Every buffer is a dma-buf: mmap, DMA_BUF_IOCTL_SYNC, poll() and passing
 * the fd to other processes and drivers work as for any dma-buf.  Buffers
 * are zero-filled.
 *
 * The memory is charged to the RLIMIT_MEMLOCK of the user who opened the
 * context (per user, unless the opener had %CAP_IPC_LOCK) until the
 * buffer's last reference goes.
 *
 * Errors: %EINVAL for a zero @length, an unknown @kind or @fd_flags;
 * %EOVERFLOW if @length does not round up to pages; %EFBIG if @length is
 * larger than half of RAM or, for %DMASHIM_BUF_CONTIGUOUS, 4 MiB;
 * %ENOMEM if the memory is not there (nothing is left allocated) or the
 * user's RLIMIT_MEMLOCK would be exceeded; %EDQUOT if a coherent buffer
 * would take the user past its share of the device's address space;
 * %EMFILE if the process has no free file descriptor.
 */
struct dmashim_alloc {
	__u32 size;
	__u32 flags;
	__u64 length;
	__u32 kind;
	__u32 fd_flags;
	__s32 fd;
	__u32 __reserved;
};

#define DMASHIM_IOCTL_ALLOC	_IO(DMASHIM_TYPE, DMASHIM_CMD_ALLOC)

/**
 * enum dmashim_pin_flags - &struct dmashim_pin @flags
 * @DMASHIM_PIN_DEVICE_WRITES: devices may write the memory: it is pinned
 *	writable, so read-only memory is refused
 */
enum dmashim_pin_flags {
	DMASHIM_PIN_DEVICE_WRITES = 1 << 0,
};

/**
 * struct dmashim_pin - DMASHIM_IOCTL_PIN: wrap the caller's memory as a
 *	buffer
 * @size: in: sizeof(struct dmashim_pin) as the caller knows it
 * @flags: in: &enum dmashim_pin_flags
 * @addr: in: start of the memory; any byte alignment
 * @length: in: bytes; the buffer and its mappings cover exactly
 *	[@addr, @addr + @length)
 * @fd_flags: in: as &struct dmashim_alloc @fd_flags
 * @fd: out: the buffer, a dma-buf file descriptor
 *
 * The pages are pinned long-term (FOLL_LONGTERM, as for RDMA and VFIO) and
 * charged to the RLIMIT_MEMLOCK of the user who opened the context (per
 * user, unless the opener had %CAP_IPC_LOCK) until the last reference to
 * the buffer goes, even if that is after the caller exited; they are
 * released dirty if they were pinned for device writes.  The dma-buf is
 * the whole pages the range lies in; the buffer's mappings cover exactly
 * the range.  Anonymous, file-backed shared and hugetlb memory all work.
 * The buffer cannot be mmap()ed (%ENODEV): the memory is the caller's,
 * mapped already.
 *
 * Errors: %EINVAL for a zero @length, an unknown flag, or a range that
 * wraps; %EFAULT if part of the range is not mapped, or is read-only and
 * %DMASHIM_PIN_DEVICE_WRITES is set; %ENOMEM if RLIMIT_MEMLOCK would be
 * exceeded or memory is short; %EFBIG if @length is larger than half of
 * RAM.
 */
struct dmashim_pin {
	__u32 size;
	__u32 flags;
	__u64 addr;
	__u64 length;
	__u32 fd_flags;
	__s32 fd;
};

#define DMASHIM_IOCTL_PIN	_IO(DMASHIM_TYPE, DMASHIM_CMD_PIN)

/**
 * enum dmashim_dir - DMA direction, as in the DMA API
 * @DMASHIM_DIR_BIDIRECTIONAL: the device reads and writes
 * @DMASHIM_DIR_TO_DEVICE: the device reads (the CPU produced the data)
 * @DMASHIM_DIR_FROM_DEVICE: the device writes (the CPU consumes the data)
 */
enum dmashim_dir {
	DMASHIM_DIR_BIDIRECTIONAL = 0,
	DMASHIM_DIR_TO_DEVICE = 1,
	DMASHIM_DIR_FROM_DEVICE = 2,
};

/**
 * struct dmashim_segment - one contiguous range of a mapping, as the
 *	device sees it
 * @addr: the address the device must use: an IOVA behind an IOMMU, a bus
 *	address otherwise (0 if hidden, see %DMASHIM_MAPPED_ADDRS_HIDDEN)
 * @length: bytes
 */
struct dmashim_segment {
	__u64 addr;
	__u64 length;
};

/**
 * enum dmashim_map_flags - &struct dmashim_map @flags
 * @DMASHIM_MAP_BOUNCE: bounce every byte through the device's bounce
 *	pool, even when the device could reach the buffer: the device only
 *	ever sees a copy (isolation from a device not behind an IOMMU)
 */
enum dmashim_map_flags {
	DMASHIM_MAP_BOUNCE = 1 << 0,
};

/**
 * enum dmashim_mapped_flags - &struct dmashim_map @mapped_flags
 * @DMASHIM_MAPPED_BOUNCED: some or all of the mapping goes through the
 *	bounce pool: syncs copy
 * @DMASHIM_MAPPED_IOMMU: the addresses are IOVAs of a translating IOMMU
 * @DMASHIM_MAPPED_ADDRS_HIDDEN: the addresses are physical bus addresses
 *	and the caller lacks %CAP_SYS_RAWIO: they read as 0
 * @DMASHIM_MAPPED_SWIOTLB: the DMA layer bounced some of the mapping
 *	through the kernel's own swiotlb (swiotlb=force, for a device that
 *	reaches it): syncs copy too
 */
enum dmashim_mapped_flags {
	DMASHIM_MAPPED_BOUNCED = 1 << 0,
	DMASHIM_MAPPED_IOMMU = 1 << 1,
	DMASHIM_MAPPED_ADDRS_HIDDEN = 1 << 2,
	DMASHIM_MAPPED_SWIOTLB = 1 << 3,
};

/**
 * struct dmashim_map - DMASHIM_IOCTL_MAP: map a buffer for the context's
 *	device
 * @size: in: sizeof(struct dmashim_map) as the caller knows it
 * @flags: in: &enum dmashim_map_flags
 * @fd: in: any dma-buf: a dmashim buffer (this process's or another's) or
 *	a foreign one (vgem, udmabuf, DMA-BUF heaps, ...)
 * @dir: in: &enum dmashim_dir
 * @segments: in: user pointer to an array of &struct dmashim_segment to
 *	fill, or 0
 * @nr_segments: in: room in @segments (0 without @segments); out: how
 *	many segments the mapping has (more than fit: fetch the rest with
 *	DMASHIM_IOCTL_SEGMENTS)
 * @mapped_flags: out: &enum dmashim_mapped_flags
 * @handle: out: the mapping, for the other mapping ioctls
 * @length: out: bytes mapped (the buffer's size)
 * @segment_size: in: sizeof(struct dmashim_segment) as the caller knows
 *	it, the stride of @segments (0 without @segments); the kernel
 *	writes what it knows of each element and zeroes the rest
 * @__reserved: must be 0
 *
 * The buffer is attached to the device (a dma-buf attachment) and mapped
 * for it with dma_map_sgtable(); the mapping holds a reference to the
 * buffer, so the buffer fd may be closed.  Segments respect the device's
 * maximum segment size and boundary.  Parts the device cannot reach,
 * without an IOMMU to remap them, are bounced through the device's
 * bounce pool (like swiotlb, but allocated against the device, so within
 * its reach).  The copies follow swiotlb: into the pool at map time,
 * whatever the direction (so bytes the device does not write come back
 * unchanged), and by DMASHIM_IOCTL_SYNC for the device for
 * %DMASHIM_DIR_TO_DEVICE and %DMASHIM_DIR_BIDIRECTIONAL; out of the pool
 * by DMASHIM_IOCTL_SYNC for the CPU and by unmapping for
 * %DMASHIM_DIR_FROM_DEVICE and %DMASHIM_DIR_BIDIRECTIONAL.  A mapping
 * starts owned by the device.
 *
 * A device reads a dma-buf only if its file was opened for reading, and
 * writes it only if it was opened for writing (whatever fd refers to
 * it): an O_RDONLY buffer, dmashim's or another exporter's, maps
 * %DMASHIM_DIR_TO_DEVICE only.  The mapping takes the buffer's size of
 * the device's address space (behind an IOMMU) from the user's share of
 * it, and bounced bytes from its share of the pool (security.rst).
 *
 * Errors: %EBADF if @fd is not a dma-buf; %EINVAL for an unknown flag or
 * @dir; %EACCES for a direction the dma-buf's file does not allow, or
 * other than %DMASHIM_DIR_TO_DEVICE on memory pinned without
 * %DMASHIM_PIN_DEVICE_WRITES; %EXDEV for a coherent buffer of another
 * device than the default one; %EDQUOT if the user's share of the
 * device's pool or address space would be exceeded; %ENOSPC if the bounce
 * pool has no room (nothing is mapped); %ENOMEM, and behind a lazy IOMMU
 * only after waiting up to 1.5 s for its flush queue to give unmapped
 * IOVAs back (a narrow device's IOVA space can run out meanwhile);
 * %EFAULT if @segments cannot be written (nothing stays mapped);
 * %ENODEV if the device was revoked, or
 * the buffer's memory went with its device; errors of the buffer's
 * exporter.
 */
struct dmashim_map {
	__u32 size;
	__u32 flags;
	__s32 fd;
	__u32 dir;
	__u64 segments;
	__u32 nr_segments;
	__u32 mapped_flags;
	__u64 handle;
	__u64 length;
	__u32 segment_size;
	__u32 __reserved;
};

#define DMASHIM_IOCTL_MAP	_IO(DMASHIM_TYPE, DMASHIM_CMD_MAP)

/**
 * struct dmashim_unmap - DMASHIM_IOCTL_UNMAP: unmap a mapping
 * @size: in: sizeof(struct dmashim_unmap) as the caller knows it
 * @flags: in: must be 0
 * @handle: in: from DMASHIM_IOCTL_MAP
 *
 * Bounced %DMASHIM_DIR_FROM_DEVICE and %DMASHIM_DIR_BIDIRECTIONAL
 * mappings are copied back first.  Closing the context unmaps everything
 * it mapped.  Unmapping a mapping whose device was revoked frees what is
 * left of it and succeeds.  Errors: %ENOENT for an unknown handle
 * (including one unmapped already).
 */
struct dmashim_unmap {
	__u32 size;
	__u32 flags;
	__u64 handle;
};

#define DMASHIM_IOCTL_UNMAP	_IO(DMASHIM_TYPE, DMASHIM_CMD_UNMAP)

/**
 * struct dmashim_segments - DMASHIM_IOCTL_SEGMENTS: read a mapping's
 *	segments
 * @size: in: sizeof(struct dmashim_segments) as the caller knows it
 * @flags: in: must be 0
 * @handle: in: the mapping
 * @segments: in: user pointer to an array of &struct dmashim_segment
 * @first: in: index of the first segment to read
 * @count: in: room in @segments; out: segments written
 * @nr_segments: out: segments the mapping has
 * @segment_size: in: sizeof(struct dmashim_segment) as the caller knows
 *	it, the stride of @segments; required even when @count is 0
 *
 * Errors: %ENOENT for an unknown handle; %EINVAL if @first is beyond the
 * last segment.
 */
struct dmashim_segments {
	__u32 size;
	__u32 flags;
	__u64 handle;
	__u64 segments;
	__u32 first;
	__u32 count;
	__u32 nr_segments;
	__u32 segment_size;
};

#define DMASHIM_IOCTL_SEGMENTS	_IO(DMASHIM_TYPE, DMASHIM_CMD_SEGMENTS)

/**
 * enum dmashim_sync_flags - &struct dmashim_sync @flags (exactly one)
 * @DMASHIM_SYNC_FOR_CPU: the CPU takes the range over: the device's
 *	writes become visible to it (dma_sync_*_for_cpu)
 * @DMASHIM_SYNC_FOR_DEVICE: the device takes the range over: the CPU's
 *	writes become visible to it (dma_sync_*_for_device)
 */
enum dmashim_sync_flags {
	DMASHIM_SYNC_FOR_CPU = 1 << 0,
	DMASHIM_SYNC_FOR_DEVICE = 1 << 1,
};

/**
 * struct dmashim_sync - DMASHIM_IOCTL_SYNC: move a range of a mapping
 *	between CPU and device
 * @size: in: sizeof(struct dmashim_sync) as the caller knows it
 * @flags: in: &enum dmashim_sync_flags
 * @handle: in: the mapping
 * @offset: in: first byte, from the start of the buffer
 * @length: in: bytes
 * @dir: in: &enum dmashim_dir of the transfer the sync is for; as in the
 *	DMA API it must be the mapping's direction, or anything for a
 *	%DMASHIM_DIR_BIDIRECTIONAL mapping
 * @__reserved: must be 0
 *
 * Errors: %ENOENT for an unknown handle; %EINVAL for a zero @length, a
 * range beyond the mapping, flags other than exactly one of the two, or a
 * @dir the mapping does not allow; %ENODEV if the device was revoked.
 */
struct dmashim_sync {
	__u32 size;
	__u32 flags;
	__u64 handle;
	__u64 offset;
	__u64 length;
	__u32 dir;
	__u32 __reserved;
};

#define DMASHIM_IOCTL_SYNC	_IO(DMASHIM_TYPE, DMASHIM_CMD_SYNC)

/**
 * struct dmashim_stats - DMASHIM_IOCTL_STATS: the device's bounce pool
 * @size: in: sizeof(struct dmashim_stats) as the caller knows it
 * @flags: in: must be 0
 * @pool_bytes: out: size of the bounce pool (0: there is none)
 * @slot_bytes: out: allocation unit of the pool
 * @slots_total: out: slots in the pool
 * @slots_used: out: slots in use now
 * @slots_high_water: out: most slots ever in use at once
 * @bytes_to_device: out: bytes copied into the pool (CPU to device)
 * @bytes_to_cpu: out: bytes copied out of the pool (device to CPU)
 * @mappings_bounced: out: mappings that used the pool
 * @failures: out: mappings refused because the pool was full
 * @share_refusals: out: requests on the device refused because a user
 *	would have held more than its share of the pool or of the device's
 *	DMA address space (%EDQUOT; Documentation/security.rst)
 *
 * The pool is the context's device's: contexts bound to the same device
 * share it.  The same counters are in debugfs (dmashim/DEVICE/bounce and
 * dmashim/DEVICE/shares, which lists each user's share).
 */
struct dmashim_stats {
	__u32 size;
	__u32 flags;
	__u64 pool_bytes;
	__u64 slot_bytes;
	__u64 slots_total;
	__u64 slots_used;
	__u64 slots_high_water;
	__u64 bytes_to_device;
	__u64 bytes_to_cpu;
	__u64 mappings_bounced;
	__u64 failures;
	__u64 share_refusals;
};

#define DMASHIM_IOCTL_STATS	_IO(DMASHIM_TYPE, DMASHIM_CMD_STATS)

/* ---- dmaengine channels ------------------------------------------------- */

/**
 * enum dmashim_chan_caps - what a channel does
 * @DMASHIM_CAP_MEMCPY: memory to memory (DMA_MEMCPY)
 * @DMASHIM_CAP_SLAVE: memory to or from a device address (DMA_SLAVE)
 * @DMASHIM_CAP_CYCLIC: a ring, period after period (DMA_CYCLIC)
 */
enum dmashim_chan_caps {
	DMASHIM_CAP_MEMCPY = 1 << 0,
	DMASHIM_CAP_SLAVE = 1 << 1,
	DMASHIM_CAP_CYCLIC = 1 << 2,
};

/* Length of channel names ("dma0chan1"), with the NUL. */
#define DMASHIM_CHAN_NAME_LEN	32

/**
 * struct dmashim_chan_open - DMASHIM_IOCTL_CHAN_OPEN: take a dmaengine
 *	channel
 * @size: in: sizeof(struct dmashim_chan_open) as the caller knows it
 * @flags: in: must be 0
 * @caps: in: &enum dmashim_chan_caps the channel must have
 * @fd_flags: in: O_CLOEXEC or 0
 * @name: in: the channel ("dma0chan1", as in /sys/class/dma), or "" for
 *	the first free channel with @caps
 * @fd: out: the channel, a file descriptor; closing it terminates what
 *	is in flight and gives the channel back
 * @record_size: in: sizeof(struct dmashim_record) as the caller knows it:
 *	every record read() returns on the channel is this long, the
 *	kernel's fields first and zeroes after them
 *
 * The channel is taken exclusively (dma_request_channel()): one owner,
 * the returned file, until it is closed.  Buffers are mapped for the
 * channel's DMA device (dmaengine_get_dma_device()), not the context's;
 * the context's device is unaffected.
 *
 * Channels of the providers listed in the module's "safe_providers"
 * parameter (dmashim's own, which bound their slave windows) are
 * everyone's who may open /dev/dmashim; any other needs %CAP_SYS_ADMIN
 * in the context opener's credentials, or the channel's delegation
 * ("chan:NAME" in "delegate"): without it the channel is not there for
 * the opener.
 *
 * Errors: %EINVAL for unknown @caps or flags, an unterminated @name, a
 * @record_size out of bounds; %ENODEV if no free channel the opener may
 * use matches (a named channel that is in use included); %EPERM for a
 * free channel of that name the opener may not use; %ENOMEM.
 */
struct dmashim_chan_open {
	__u32 size;
	__u32 flags;
	__u32 caps;
	__u32 fd_flags;
	char name[DMASHIM_CHAN_NAME_LEN];
	__s32 fd;
	__u32 record_size;
};

#define DMASHIM_IOCTL_CHAN_OPEN	_IO(DMASHIM_TYPE, DMASHIM_CMD_CHAN_OPEN)

/**
 * enum dmashim_chan_state - the channel's state machine
 * @DMASHIM_CHAN_CONFIGURED: idle: nothing submitted is pending; the only
 *	state in which DMASHIM_IOCTL_CHAN_CONFIG is accepted
 * @DMASHIM_CHAN_RUNNING: transfers are pending or moving
 * @DMASHIM_CHAN_SUSPENDED: paused; pending transfers wait
 *
 * Transitions: submitting moves CONFIGURED to RUNNING (SUSPENDED stays
 * SUSPENDED); the last completion moves RUNNING to CONFIGURED; pause
 * moves RUNNING or SUSPENDED to SUSPENDED; resume moves SUSPENDED to
 * RUNNING (or CONFIGURED, if nothing is pending); terminate moves any
 * state to CONFIGURED.  Pausing a CONFIGURED channel and resuming one
 * that is not SUSPENDED fail with %EINVAL.
 */
enum dmashim_chan_state {
	DMASHIM_CHAN_CONFIGURED = 0,
	DMASHIM_CHAN_RUNNING = 1,
	DMASHIM_CHAN_SUSPENDED = 2,
};

/**
 * enum dmashim_chan_dirs - &struct dmashim_chan_info @directions
 * @DMASHIM_CHAN_DIR_MEM_TO_MEM: memory to memory
 * @DMASHIM_CHAN_DIR_TO_DEVICE: memory to a device address
 *	(%DMASHIM_XFER_TO_DEVICE)
 * @DMASHIM_CHAN_DIR_FROM_DEVICE: a device address to memory
 *	(%DMASHIM_XFER_FROM_DEVICE)
 * @DMASHIM_CHAN_DIR_DEV_TO_DEV: a device address to another
 */
enum dmashim_chan_dirs {
	DMASHIM_CHAN_DIR_MEM_TO_MEM = 1 << 0,
	DMASHIM_CHAN_DIR_TO_DEVICE = 1 << 1,
	DMASHIM_CHAN_DIR_FROM_DEVICE = 1 << 2,
	DMASHIM_CHAN_DIR_DEV_TO_DEV = 1 << 3,
};

/**
 * enum dmashim_residue_granularity - how exact a transfer's residue is
 * @DMASHIM_RESIDUE_DESCRIPTOR: only "all" or "none": the residue is the
 *	transfer's length until it completes
 * @DMASHIM_RESIDUE_SEGMENT: updated after each segment (scatter-gather
 *	entry or period)
 * @DMASHIM_RESIDUE_BURST: updated after each burst
 */
enum dmashim_residue_granularity {
	DMASHIM_RESIDUE_DESCRIPTOR = 0,
	DMASHIM_RESIDUE_SEGMENT = 1,
	DMASHIM_RESIDUE_BURST = 2,
};

/**
 * struct dmashim_chan_info - DMASHIM_IOCTL_CHAN_INFO: describe a channel
 * @size: in: sizeof(struct dmashim_chan_info) as the caller knows it
 * @flags: in: must be 0
 * @caps: out: &enum dmashim_chan_caps
 * @state: out: &enum dmashim_chan_state
 * @directions: out: &enum dmashim_chan_dirs the channel moves data in
 * @src_addr_widths: out: supported source bus widths (bit n: n bytes)
 * @dst_addr_widths: out: supported destination bus widths
 * @max_burst: out: largest burst, 0 if unknown
 * @residue_granularity: out: &enum dmashim_residue_granularity
 * @descs_total: out: descriptors the channel may have in flight
 * @descs_free: out: of which free now
 * @can_pause: out: 1 if pause and resume work
 * @can_terminate: out: 1 if terminate works
 * @__reserved: 0
 * @name: out: the channel's name
 * @device: out: the name of its DMA device, e.g. "0000:00:11.0"
 * @record_size: out: bytes of each record read() returns on this file,
 *	as its opener asked (for a process the file was passed to)
 * @__reserved2: 0
 */
struct dmashim_chan_info {
	__u32 size;
	__u32 flags;
	__u32 caps;
	__u32 state;
	__u32 directions;
	__u32 src_addr_widths;
	__u32 dst_addr_widths;
	__u32 max_burst;
	__u32 residue_granularity;
	__u32 descs_total;
	__u32 descs_free;
	__u8 can_pause;
	__u8 can_terminate;
	__u8 __reserved[2];
	char name[DMASHIM_CHAN_NAME_LEN];
	char device[DMASHIM_NAME_LEN];
	__u32 record_size;
	__u32 __reserved2;
};

#define DMASHIM_IOCTL_CHAN_INFO	_IO(DMASHIM_TYPE, DMASHIM_CMD_CHAN_INFO)

/**
 * struct dmashim_chan_config - DMASHIM_IOCTL_CHAN_CONFIG: slave
 *	configuration (dmaengine_slave_config())
 * @size: in: sizeof(struct dmashim_chan_config) as the caller knows it
 * @flags: in: must be 0
 * @src_addr: in: device address read by %DMASHIM_XFER_FROM_DEVICE
 * @dst_addr: in: device address written by %DMASHIM_XFER_TO_DEVICE
 * @src_width: in: bytes per device read: 0 (any), 1, 2, 4 or 8
 * @dst_width: in: bytes per device write
 * @src_maxburst: in: words per burst from the device, 0 for any
 * @dst_maxburst: in: words per burst to the device
 *
 * Only while the channel is %DMASHIM_CHAN_CONFIGURED (%EBUSY otherwise).
 * A slave address is a bus address: on a channel of a provider that is
 * not "safe" (see &struct dmashim_chan_open), non-zero addresses need
 * %CAP_SYS_RAWIO in the context opener's credentials and a kernel that
 * is not locked down.  Errors: %EINVAL for widths or flags, and whatever
 * the provider refuses; %EPERM for addresses the opener may not give.
 */
struct dmashim_chan_config {
	__u32 size;
	__u32 flags;
	__u64 src_addr;
	__u64 dst_addr;
	__u32 src_width;
	__u32 dst_width;
	__u32 src_maxburst;
	__u32 dst_maxburst;
};

#define DMASHIM_IOCTL_CHAN_CONFIG _IO(DMASHIM_TYPE, DMASHIM_CMD_CHAN_CONFIG)

/**
 * enum dmashim_xfer_kind - &struct dmashim_xfer @kind
 * @DMASHIM_XFER_MEMCPY: @length bytes from @src_fd at @src_offset to
 *	@dst_fd at @dst_offset
 * @DMASHIM_XFER_SLAVE: scatter-gather between a buffer and the device
 *	address of the slave configuration: @dir says which way; the buffer
 *	is @src_fd (to the device) or @dst_fd (from it); its ranges are
 *	@ranges, or the one range [offset, offset + @length)
 * @DMASHIM_XFER_CYCLIC: a ring buffer of @length bytes at the offset,
 *	moved to or from the device @period bytes at a time, round and
 *	round, until the channel is terminated; the ring must be one
 *	contiguous run of addresses for the channel's device (it may be
 *	longer than the device's maximum segment)
 */
enum dmashim_xfer_kind {
	DMASHIM_XFER_MEMCPY = 0,
	DMASHIM_XFER_SLAVE = 1,
	DMASHIM_XFER_CYCLIC = 2,
};

/**
 * enum dmashim_xfer_dir - &struct dmashim_xfer @dir, for slave and cyclic
 * @DMASHIM_XFER_TO_DEVICE: memory to the device (DMA_MEM_TO_DEV)
 * @DMASHIM_XFER_FROM_DEVICE: the device to memory (DMA_DEV_TO_MEM)
 */
enum dmashim_xfer_dir {
	DMASHIM_XFER_TO_DEVICE = 1,
	DMASHIM_XFER_FROM_DEVICE = 2,
};

/**
 * struct dmashim_range - a byte range of a buffer
 * @offset: first byte
 * @length: bytes
 */
struct dmashim_range {
	__u64 offset;
	__u64 length;
};

/* Ranges a slave transfer may list. */
#define DMASHIM_MAX_RANGES	64

/**
 * struct dmashim_xfer - one transfer of a batch
 * @kind: &enum dmashim_xfer_kind
 * @dir: &enum dmashim_xfer_dir (slave and cyclic), 0 for memcpy
 * @flags: must be 0
 * @nr_ranges: (slave) entries in @ranges, at most %DMASHIM_MAX_RANGES;
 *	0 for the one range of the offset and @length
 * @src_fd: source buffer (a dma-buf fd); -1 from the device
 * @dst_fd: destination buffer; -1 to the device
 * @src_offset: offset in the source buffer
 * @dst_offset: offset in the destination buffer
 * @length: bytes (cyclic: of the ring)
 * @period: (cyclic) bytes per period; @length is a multiple of it
 * @ranges: (slave) user pointer to @nr_ranges &struct dmashim_range, or 0
 * @range_size: (with @ranges) sizeof(struct dmashim_range) as the caller
 *	knows it, the stride of @ranges
 * @cookie: out: the transfer's cookie
 * @user_data: returned in the transfer's completion records
 *
 * Every field that does not apply to the transfer must be 0 (and an fd
 * that does not apply -1), or the batch is refused with %EINVAL: @dir,
 * @period, @ranges, @nr_ranges and @range_size for memcpy; the device
 * side's fd and offset for slave and cyclic; @period for slave; the
 * offset and @length of a slave transfer with @ranges, @range_size of
 * one without; @ranges, @nr_ranges and @range_size for cyclic.  So each
 * can be given a meaning later.
 */
struct dmashim_xfer {
	__u32 kind;
	__u32 dir;
	__u32 flags;
	__u32 nr_ranges;
	__s32 src_fd;
	__s32 dst_fd;
	__u64 src_offset;
	__u64 dst_offset;
	__u64 length;
	__u64 period;
	__u64 ranges;
	__u32 range_size;
	__s32 cookie;
	__u64 user_data;
};

/**
 * enum dmashim_submit_flags - &struct dmashim_chan_submit @flags
 * @DMASHIM_SUBMIT_FENCE_OUT: return a sync_file that signals when the
 *	whole batch is done (with an error if a transfer failed)
 * @DMASHIM_SUBMIT_FENCE_IN: wait for the sync_file @in_fence_fd before
 *	starting
 * @DMASHIM_SUBMIT_NO_IMPLICIT: neither wait for the fences already in the
 *	buffers' reservation objects nor add the batch's there (the caller
 *	synchronises explicitly)
 */
enum dmashim_submit_flags {
	DMASHIM_SUBMIT_FENCE_OUT = 1 << 0,
	DMASHIM_SUBMIT_FENCE_IN = 1 << 1,
	DMASHIM_SUBMIT_NO_IMPLICIT = 1 << 2,
};

/**
 * struct dmashim_chan_submit - DMASHIM_IOCTL_CHAN_SUBMIT: submit a batch
 *	and start it (dmaengine_submit(), dma_async_issue_pending())
 * @size: in: sizeof(struct dmashim_chan_submit) as the caller knows it
 * @flags: in: &enum dmashim_submit_flags
 * @xfers: in: user pointer to an array of &struct dmashim_xfer; their
 *	@cookie fields are filled in
 * @count: in: transfers in @xfers, 1 to the channel's descriptor pool
 * @fence_fd: out: (%DMASHIM_SUBMIT_FENCE_OUT) the sync_file, else -1
 * @in_fence_fd: in: (%DMASHIM_SUBMIT_FENCE_IN) a sync_file to wait for,
 *	else 0
 * @xfer_size: in: sizeof(struct dmashim_xfer) as the caller knows it, the
 *	stride of @xfers; only the @cookie of each element is written
 *
 * A buffer is mapped for the channel's device the first time a transfer
 * uses it; the mapping is kept (and holds the buffer, which may be
 * closed) until the channel is closed, or the least recently used of
 * more than the cache's worth is dropped when idle.  Before starting,
 * sources are synced for the device; at completion, destinations are
 * synced for the CPU, then the completion record is queued.
 *
 * The batch is submitted whole or not at all: it is checked, and its
 * descriptors reserved, before anything starts.  Nothing is allocated
 * on this path once every buffer of the batch is mapped, but room for
 * fences in the buffers' reservation objects and, when the channel's
 * fence pool is held all by buffers and sync_files, a fence.
 *
 * Implicit synchronisation, as dma-buf users practise it: each transfer's
 * fence goes into its buffers' reservation objects (write usage for
 * destinations, read for sources), so that poll() on a buffer,
 * DMA_BUF_IOCTL_SYNC, DMA_BUF_IOCTL_EXPORT_SYNC_FILE and other drivers
 * importing it wait for the DMA.  Before the batch starts, the call
 * waits (interruptibly, with nothing locked) for the fences already
 * there that its transfers must follow: all of a destination's, a
 * source's writers, but not the channel's own, which run in order; and
 * first for the sync_file of %DMASHIM_SUBMIT_FENCE_IN (unless it is a
 * pending fence of the channel's own).  A source whose bounced bytes an
 * earlier transfer of the channel still writes waits for that transfer,
 * even with %DMASHIM_SUBMIT_NO_IMPLICIT.  A batch waits only for fences
 * that existed before its own: they cannot wait for each other.  An
 * implicit dependency orders the batch; how it ended (its fence's error)
 * is for its owner to report.  A cyclic transfer waits the same way but
 * puts no fence in the reservation objects: its fence signals only when
 * it is terminated, and its ring is read by its period records.  A
 * foreign dma-buf that the channel's device could reach only through
 * dmashim's bounce pool is refused (%EOPNOTSUPP): copying its bytes waits
 * for its fences, which a transfer on the way to signalling its own
 * fence must never do; map it with a context instead, or copy it through
 * a dmashim buffer.  A source is read only if its dma-buf was opened for
 * reading, a destination written only if it was opened for writing.
 *
 * Errors: %EINVAL for a bad kind, direction, range (outside the buffer,
 * zero length, a cyclic ring that is not contiguous for the device, or
 * that the provider refuses; a memcpy between overlapping ranges of one
 * buffer), flag or count, or an @in_fence_fd that is not a sync_file;
 * %EBADF for a fd that is not a dma-buf; %EACCES for a source not open
 * for reading or a destination not open for writing; %EOPNOTSUPP for a
 * foreign buffer that would bounce (see above); %EDESTADDRREQ
 * for a slave or cyclic transfer before any DMASHIM_IOCTL_CHAN_CONFIG;
 * %EBUSY if the descriptor pool cannot hold the batch now, if a
 * source would wait for the channel's own transfer while the channel is
 * paused or runs a cyclic transfer (see above), or if pinned memory of a
 * buffer is also another pinned buffer's that the channel has a
 * transfer in flight on (without an IOMMU a device must not have the
 * same bytes mapped twice; an idle such buffer is unmapped first); %EINTR (or a restart) if
 * a signal came while waiting; the error the in-fence was signalled with
 * (nothing is submitted after a failed in-fence);
 * %EFAULT; mapping errors (see &struct dmashim_map).
 */
struct dmashim_chan_submit {
	__u32 size;
	__u32 flags;
	__u64 xfers;
	__u32 count;
	__s32 fence_fd;
	__s32 in_fence_fd;
	__u32 xfer_size;
};

#define DMASHIM_IOCTL_CHAN_SUBMIT _IO(DMASHIM_TYPE, DMASHIM_CMD_CHAN_SUBMIT)

/**
 * enum dmashim_xfer_status - where a transfer is
 * @DMASHIM_XFER_PENDING: submitted, nothing moved yet (a cyclic transfer
 *	is IN_PROGRESS from the start: its position comes back to it)
 * @DMASHIM_XFER_IN_PROGRESS: moving
 * @DMASHIM_XFER_PAUSED: started, the channel is paused and the transfer
 *	stands still (the provider's step in flight is over)
 * @DMASHIM_XFER_COMPLETE: done, every byte moved
 * @DMASHIM_XFER_ERROR: the provider failed it; @residue bytes did not move
 * @DMASHIM_XFER_ABORTED: terminated before it was done
 */
enum dmashim_xfer_status {
	DMASHIM_XFER_PENDING = 0,
	DMASHIM_XFER_IN_PROGRESS = 1,
	DMASHIM_XFER_PAUSED = 2,
	DMASHIM_XFER_COMPLETE = 3,
	DMASHIM_XFER_ERROR = 4,
	DMASHIM_XFER_ABORTED = 5,
};

/**
 * struct dmashim_chan_status - DMASHIM_IOCTL_CHAN_STATUS: a transfer's
 *	status, and the channel's state
 * @size: in: sizeof(struct dmashim_chan_status) as the caller knows it
 * @flags: in: must be 0
 * @cookie: in: a cookie from DMASHIM_IOCTL_CHAN_SUBMIT
 * @status: out: &enum dmashim_xfer_status
 * @residue: out: bytes not moved yet (for a cyclic transfer: to the end
 *	of the ring)
 * @state: out: &enum dmashim_chan_state
 * @__reserved: must be 0
 *
 * The status of a transfer whose record has been read, or that was never
 * submitted on the channel, is what dmaengine says of its cookie.
 * Errors: %EINVAL for a cookie below 1.
 */
struct dmashim_chan_status {
	__u32 size;
	__u32 flags;
	__s32 cookie;
	__u32 status;
	__u64 residue;
	__u32 state;
	__u32 __reserved;
};

#define DMASHIM_IOCTL_CHAN_STATUS _IO(DMASHIM_TYPE, DMASHIM_CMD_CHAN_STATUS)

/**
 * enum dmashim_chan_op - &struct dmashim_chan_control @op
 * @DMASHIM_CHAN_PAUSE: dmaengine_pause(): the transfer in progress stops
 *	at the provider's next step boundary
 * @DMASHIM_CHAN_RESUME: dmaengine_resume()
 * @DMASHIM_CHAN_TERMINATE: dmaengine_terminate_async(): every transfer is
 *	aborted; the call returns at once, while the device may still be
 *	moving a step.  The transfers' records (%DMASHIM_XFER_ABORTED, with
 *	the residue) and their fences (signalled with %ECANCELED) come once
 *	dmaengine_synchronize() has returned: from then on the device no
 *	longer touches their buffers.  A later submit waits for that too.
 * @DMASHIM_CHAN_TERMINATE_SYNC: dmaengine_terminate_sync(): the same, and
 *	returns once the device no longer touches memory and no callback
 *	runs, with the records and fences there
 */
enum dmashim_chan_op {
	DMASHIM_CHAN_PAUSE = 1,
	DMASHIM_CHAN_RESUME = 2,
	DMASHIM_CHAN_TERMINATE = 3,
	DMASHIM_CHAN_TERMINATE_SYNC = 4,
};

/**
 * struct dmashim_chan_control - DMASHIM_IOCTL_CHAN_CONTROL: pause,
 *	resume, terminate
 * @size: in: sizeof(struct dmashim_chan_control) as the caller knows it
 * @flags: in: must be 0
 * @op: in: &enum dmashim_chan_op
 * @state: out: &enum dmashim_chan_state afterwards
 *
 * Errors: %EINVAL for an unknown @op or a transition the state machine
 * refuses (see &enum dmashim_chan_state); %EOPNOTSUPP if the provider
 * cannot pause or terminate.
 */
struct dmashim_chan_control {
	__u32 size;
	__u32 flags;
	__u32 op;
	__u32 state;
};

#define DMASHIM_IOCTL_CHAN_CONTROL _IO(DMASHIM_TYPE, DMASHIM_CMD_CHAN_CONTROL)

/**
 * enum dmashim_record_flags - &struct dmashim_record @flags
 * @DMASHIM_RECORD_PERIOD: a period of a cyclic transfer ended (the
 *	transfer goes on)
 */
enum dmashim_record_flags {
	DMASHIM_RECORD_PERIOD = 1 << 0,
};

/**
 * struct dmashim_record - what read() on a channel returns, one per
 *	finished transfer and per cyclic period
 * @cookie: the transfer's cookie
 * @status: &enum dmashim_xfer_status: COMPLETE, ERROR or ABORTED (or
 *	IN_PROGRESS for a period record)
 * @residue: bytes not moved (for a period record: to the end of the ring)
 * @user_data: the transfer's @user_data
 * @periods: (period records) periods that ended since the transfer's
 *	previous record: records of a reader that falls behind are merged
 * @flags: &enum dmashim_record_flags
 * @timestamp_ns: CLOCK_MONOTONIC when the transfer (or period) ended
 *
 * read() takes whole records of &struct dmashim_chan_open @record_size
 * bytes, blocking (unless O_NONBLOCK: %EAGAIN) while there is none;
 * poll() reports EPOLLIN when one is there.  A buffer smaller than a
 * record gets %EINVAL.
 */
struct dmashim_record {
	__s32 cookie;
	__u32 status;
	__u64 residue;
	__u64 user_data;
	__u32 periods;
	__u32 flags;
	__u64 timestamp_ns;
};

#endif /* _UAPI_LINUX_DMASHIM_H */
