/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmashim selftests - helpers shared by the test programs
 *
 * The bench (tools/bench) tells the tests what to expect through the
 * environment: DMASHIM_EXPECT_IOMMU is "none", "identity", "strict" or
 * "lazy" for how the edu device's DMA is translated in this configuration.
 */
#ifndef DMASHIM_SELFTEST_HELPERS_H
#define DMASHIM_SELFTEST_HELPERS_H

#include <stddef.h>
#include <linux/dmashim.h>

#define DMASHIM_DEV_PATH "/dev/dmashim"

/* QEMU's edu device. */
#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8

/* open(/dev/dmashim, O_RDWR | O_CLOEXEC); returns fd or -errno. */
int ctx_open(void);

/* Raw ioctls with a full-size struct; return 0 or -errno. */
int ctx_bind(int fd, const char *device, unsigned int dma_bits,
	     unsigned int flags);
int ctx_info(int fd, struct dmashim_info *info);
int ioctl_errno(int fd, unsigned long request, void *arg);

/*
 * Find a PCI device by vendor and device ID; writes "DDDD:BB:DD.F" to
 * @addr.  Returns 0 or -ENOENT.
 */
int pci_find(unsigned int vendor, unsigned int device, char *addr,
	     size_t len);

/* The edu device as a bind name ("pci:DDDD:BB:DD.F"), NULL if absent. */
const char *edu_bind_name(void);

/* The edu device's PCI address, NULL if absent. */
const char *edu_addr(void);

/* Name of the driver bound to PCI device @addr, "" if none. */
const char *pci_driver_of(const char *addr);

/* Write @val to a sysfs file; returns 0 or -errno. */
int sysfs_write(const char *path, const char *val);

/* Bring a removed PCI device back by rescanning the bus. */
int pci_rescan(void);

/* Expected DMASHIM_IOMMU_* of the edu device, or -1 if not told. */
int expected_edu_domain(void);

/* Drop CAP_SYS_ADMIN from the effective set; returns 0 or -errno. */
int drop_cap_sys_admin(void);

#endif
