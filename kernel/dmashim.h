/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmashim - internal declarations shared by the module's files
 */
#ifndef _DMASHIM_H
#define _DMASHIM_H

#include <linux/device.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/types.h>

#include "compat.h"

struct dmashim_info;
struct dmashim_bind;

/**
 * struct dmashim_dev - a device dmashim maps memory for
 * @ref: references: each bound context holds one, the default device
 *	holds one for the module's lifetime
 * @node: entry in the list of devices in use (dmashim_devs)
 * @dev: the device; a reference is held (get_device())
 * @sem: read-held by everyone using @dev for DMA; write-held while the
 *	device is revoked
 * @gone: set (under @sem, write) when the device's driver unbinds or the
 *	device is removed; nothing may use @dev for DMA afterwards
 * @claimed: dmashim became the device's driver to use it; released with
 *	the last reference
 * @is_default: this is the module's own default device
 *
 * One exists per struct device in use, shared by every context bound to
 * that device, so that a driver unbind revokes all of them at once.
 */
struct dmashim_dev {
	struct kref ref;
	struct list_head node;
	struct device *dev;
	struct rw_semaphore sem;
	bool gone;
	bool claimed;
	bool is_default;
};

/**
 * struct dmashim_ctx - an open file of /dev/dmashim
 * @dd: the device the context maps for (the default device until bound)
 * @bound: the context was bound to a named device (it binds only once)
 */
struct dmashim_ctx {
	/** @lock: serialises rebinding against users of @dd */
	struct mutex lock;
	struct dmashim_dev *dd;
	bool bound;
};

/* device.c */
int dmashim_devs_init(void);
void dmashim_devs_exit(void);
struct dmashim_dev *dmashim_dev_default(void);
struct dmashim_dev *dmashim_dev_find(const char *name, u32 dma_bits,
				     u32 flags);
void dmashim_dev_put(struct dmashim_dev *dd);
int dmashim_dev_read_lock(struct dmashim_dev *dd);
void dmashim_dev_read_unlock(struct dmashim_dev *dd);

/* claim.c */
int dmashim_claim_init(void);
void dmashim_claim_exit(void);
bool dmashim_is_our_driver(struct device *dev);
int dmashim_claim(struct device *dev);
void dmashim_unclaim(struct device *dev);

/* default.c */
int dmashim_default_init(unsigned int dma_bits);
void dmashim_default_exit(void);
struct device *dmashim_default_device(void);

/* context.c */
struct dmashim_ctx *dmashim_ctx_create(void);
void dmashim_ctx_destroy(struct dmashim_ctx *ctx);
int dmashim_ctx_bind(struct dmashim_ctx *ctx, struct dmashim_bind *bind);
int dmashim_ctx_info(struct dmashim_ctx *ctx, struct dmashim_info *info);

/* info.c */
int dmashim_info_fill(struct dmashim_dev *dd, struct dmashim_info *info);

/* ioctl.c */
long dmashim_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

#endif /* _DMASHIM_H */
