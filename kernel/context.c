// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - contexts: what an open of /dev/dmashim holds
 */

#include <linux/capability.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <linux/dmashim.h>
#include "dmashim.h"

/**
 * dmashim_ctx_create() - create a context bound to the default device
 * @file: the context's file, which outlives it
 *
 * Return: the context, or NULL if out of memory.
 */
struct dmashim_ctx *dmashim_ctx_create(const struct file *file)
{
	struct dmashim_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return NULL;
	mutex_init(&ctx->lock);
	ctx->file = file;
	ctx->limited = !dmashim_opener_capable(file, CAP_SYS_ADMIN);
	xa_init_flags(&ctx->mappings, XA_FLAGS_ALLOC);
	ctx->dd = dmashim_dev_default();
	ctx->share = dmashim_share_get(ctx->dd, file);
	if (!ctx->share) {
		dmashim_ctx_destroy(ctx);
		return NULL;
	}
	return ctx;
}

/**
 * dmashim_ctx_destroy() - release everything a context holds
 * @ctx: the context; nobody else may use it any more
 */
void dmashim_ctx_destroy(struct dmashim_ctx *ctx)
{
	dmashim_unmap_all(ctx);
	xa_destroy(&ctx->mappings);
	dmashim_share_put(ctx->share);
	dmashim_dev_put(ctx->dd);
	mutex_destroy(&ctx->lock);
	kfree(ctx);
}

/**
 * dmashim_ctx_bind() - DMASHIM_IOCTL_BIND
 * @ctx: the context
 * @bind: the request, copied from userspace
 *
 * Return: 0 or a negative errno, as documented for &struct dmashim_bind.
 */
int dmashim_ctx_bind(struct dmashim_ctx *ctx, struct dmashim_bind *bind)
{
	struct dmashim_share *share, *old_share;
	struct dmashim_dev *dd, *old;
	int ret;

	if (bind->flags & ~DMASHIM_BIND_NO_CLAIM)
		return -EINVAL;
	if (bind->__reserved || bind->dma_bits > 64)
		return -EINVAL;
	if (!memchr(bind->device, '\0', sizeof(bind->device)))
		return -EINVAL;
	ret = dmashim_may_bind(ctx->file, bind->device);
	if (ret)
		return ret;

	mutex_lock(&ctx->lock);
	/* Bound once, and before mapping anything for the default device. */
	if (ctx->bound || !xa_empty(&ctx->mappings)) {
		mutex_unlock(&ctx->lock);
		return -EBUSY;
	}
	dd = dmashim_dev_find(bind->device, bind->dma_bits, bind->flags);
	if (IS_ERR(dd)) {
		mutex_unlock(&ctx->lock);
		return PTR_ERR(dd);
	}
	share = dmashim_share_get(dd, ctx->file);
	if (!share) {
		mutex_unlock(&ctx->lock);
		dmashim_dev_put(dd);
		return -ENOMEM;
	}
	old = ctx->dd;
	old_share = ctx->share;
	ctx->dd = dd;
	ctx->share = share;
	ctx->bound = true;
	mutex_unlock(&ctx->lock);

	dmashim_share_put(old_share);
	dmashim_dev_put(old);
	return 0;
}

/**
 * dmashim_ctx_info() - DMASHIM_IOCTL_INFO
 * @ctx: the context
 * @info: the request, copied from userspace; filled in on success
 *
 * Return: 0, -EINVAL for unknown flags, -ENODEV if the device was revoked.
 */
int dmashim_ctx_info(struct dmashim_ctx *ctx, struct dmashim_info *info)
{
	int ret;

	if (info->flags)
		return -EINVAL;

	mutex_lock(&ctx->lock);
	ret = dmashim_dev_read_lock(ctx->dd);
	if (!ret) {
		ret = dmashim_info_fill(ctx->dd, info);
		dmashim_dev_read_unlock(ctx->dd);
	}
	mutex_unlock(&ctx->lock);
	return ret;
}

/**
 * dmashim_ctx_stats() - DMASHIM_IOCTL_STATS
 * @ctx: the context
 * @stats: the request; filled in on success
 *
 * Return: 0, -EINVAL for unknown flags, -ENODEV if the device was revoked.
 */
int dmashim_ctx_stats(struct dmashim_ctx *ctx, struct dmashim_stats *stats)
{
	int ret;

	if (stats->flags)
		return -EINVAL;

	mutex_lock(&ctx->lock);
	ret = dmashim_dev_read_lock(ctx->dd);
	if (!ret) {
		dmashim_pool_stats(ctx->dd->pool, stats);
		stats->share_refusals =
			atomic64_read(&ctx->dd->share_refusals);
		dmashim_dev_read_unlock(ctx->dd);
	}
	mutex_unlock(&ctx->lock);
	return ret;
}
