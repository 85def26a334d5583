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
 */
enum dmashim_ioctl_nr {
	DMASHIM_CMD_INFO = 0x00,
	DMASHIM_CMD_BIND = 0x01,
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
 * already bound to a named device, or @dma_bits differs from the mask of a
 * device that another driver owns or that other contexts share; %ENXIO if
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

#endif /* _UAPI_LINUX_DMASHIM_H */
