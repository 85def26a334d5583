/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libdmashim - userspace library for the dmashim DMA mapping shim
 *
 * Every function that can fail returns 0 (or a non-negative value) on
 * success and a negative errno on failure; errno itself is left alone.
 * Objects are opaque and owned by the caller, who frees them with the
 * matching close/free call.  See Documentation/library.rst and the man
 * pages in lib/man/.
 */
#ifndef LIBDMASHIM_H
#define LIBDMASHIM_H

#include <stddef.h>
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

#ifdef __cplusplus
}
#endif

#endif /* LIBDMASHIM_H */
