/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dmashim - DMA mapping and IOMMU shim: userspace ABI
 *
 * Every ioctl takes a pointer to a struct whose first two members are
 * @size and @flags.  @size is the size of the struct as the caller knows
 * it: the kernel accepts any size from the first version of the struct up
 * to a page, treats bytes it does not know as "must be zero", and writes
 * back at most @size bytes.  This lets old binaries run on new kernels and
 * new binaries on old kernels as long as they do not ask for new features.
 *
 * Errors common to every ioctl:
 *
 * - %EFAULT: the argument pointer is not readable or writable;
 * - %EINVAL: @size is smaller than the first version of the struct or
 *   larger than a page, @flags has a bit this kernel does not know, or a
 *   reserved field is not zero;
 * - %E2BIG: @size is larger than the kernel's struct and a byte beyond
 *   the kernel's struct is not zero (a field this kernel does not know);
 * - %ENOTTY: the ioctl number is not a dmashim ioctl;
 * - %ENODEV: the context's device was unbound from its driver or removed.
 *
 * See Documentation/uapi.rst for the full description.
 */
#ifndef _UAPI_LINUX_DMASHIM_H
#define _UAPI_LINUX_DMASHIM_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Bumped on incompatible changes only; additions are found by @size. */
#define DMASHIM_ABI_VERSION	1

#define DMASHIM_TYPE		0xDA

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

/**
 * struct dmashim_info - DMASHIM_IOCTL_INFO: describe the context's device
 * @size: in: sizeof(struct dmashim_info) as the caller knows it
 * @flags: in: must be 0
 * @abi_version: out: %DMASHIM_ABI_VERSION of the running module
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
	__u32 abi_version;
	__u32 dev_flags;
	__u64 dma_mask;
	__u64 coherent_dma_mask;
	__u64 bus_dma_limit;
	__u64 required_mask;
	__u64 max_mapping_size;
	__u64 opt_mapping_size;
	__u64 max_seg_size;
	__u64 seg_boundary_mask;
	__u32 iommu_domain;
	__s32 iommu_group;
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
 * sets the mask @dma_bits asks for; claiming needs %CAP_SYS_ADMIN.  The
 * claim is released when the last context or mapping using the device
 * goes away.  A device another driver owns is used with the masks that
 * driver set.
 *
 * Errors: %EINVAL for a malformed name, an unknown bus prefix or @dma_bits
 * above 64; %ENODEV if no such device exists; %EBUSY if the context is
 * already bound to a named device or has mapped buffers already, or
 * @dma_bits differs from the mask of a device that another driver owns or
 * that other contexts share; %ENXIO if
 * the device has no driver and %DMASHIM_BIND_NO_CLAIM is set; %EPERM if
 * claiming needs %CAP_SYS_ADMIN; %EIO if the device cannot do DMA with the
 * requested mask; any error the claimed device's probe returns.
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
 *	revoked the memory goes with it: CPU mappings fault (SIGBUS) and
 *	the buffer's operations fail with %ENODEV.
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
 * Errors: %EINVAL for a zero @length, an unknown @kind or @fd_flags;
 * %EOVERFLOW if @length does not round up to pages; %EFBIG if @length is
 * larger than half of RAM or, for %DMASHIM_BUF_CONTIGUOUS, 4 MiB;
 * %ENOMEM if the memory is not there (nothing is left allocated);
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
 * charged to the caller's RLIMIT_MEMLOCK until the last reference to the
 * buffer goes, even if that is after the caller exited.  Anonymous,
 * file-backed shared and hugetlb memory all work.  The buffer cannot be
 * mmap()ed (%ENODEV): the memory is the caller's, mapped already.
 *
 * Errors: %EINVAL for a zero @length, an unknown flag, or a range that
 * wraps; %EFAULT if part of the range is not mapped, or is read-only and
 * %DMASHIM_PIN_DEVICE_WRITES is set; %ENOMEM if RLIMIT_MEMLOCK would be
 * exceeded (without %CAP_IPC_LOCK) or memory is short; %EFBIG if
 * @length is larger than half of RAM.
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
 * @nr_segments: in: room in @segments; out: how many segments the
 *	mapping has (more than fit: fetch the rest with
 *	DMASHIM_IOCTL_SEGMENTS)
 * @mapped_flags: out: &enum dmashim_mapped_flags
 * @handle: out: the mapping, for the other mapping ioctls
 * @length: out: bytes mapped (the buffer's size)
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
 * Errors: %EBADF if @fd is not a dma-buf; %EINVAL for an unknown flag or
 * @dir; %EACCES for a direction other than %DMASHIM_DIR_TO_DEVICE on
 * memory pinned without %DMASHIM_PIN_DEVICE_WRITES; %ENOSPC if the bounce
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
 * @__reserved: must be 0
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
	__u32 __reserved;
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
 *
 * The pool is the context's device's: contexts bound to the same device
 * share it.  The same counters are in debugfs (dmashim/DEVICE/bounce).
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
};

#define DMASHIM_IOCTL_STATS	_IO(DMASHIM_TYPE, DMASHIM_CMD_STATS)

#endif /* _UAPI_LINUX_DMASHIM_H */
