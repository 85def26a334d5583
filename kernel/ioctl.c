// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - ioctl dispatch
 *
 * Every dmashim ioctl is _IO(DMASHIM_TYPE, nr) with a struct that starts
 * with its own size, as iommufd does: the struct can grow without the
 * ioctl number changing.  This file checks the size, copies the struct in
 * (bytes the kernel does not know must be zero), runs the command and
 * copies as much of the result back as the caller has room for.
 */

#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/stddef.h>
#include <linux/uaccess.h>

#include <linux/dmashim.h>
#include "dmashim.h"

/* Any command's argument, so that one stack buffer fits them all. */
union dmashim_ioctl_buf {
	struct dmashim_info info;
	struct dmashim_bind bind;
	struct dmashim_alloc alloc;
	struct dmashim_pin pin;
	struct dmashim_map map;
	struct dmashim_unmap unmap;
	struct dmashim_segments segments;
	struct dmashim_sync sync;
	struct dmashim_stats stats;
};

struct dmashim_ioctl_op {
	unsigned int size;	/* the kernel's struct size */
	unsigned int min_size;	/* size of the struct's first version */
	int (*execute)(struct dmashim_ctx *ctx, union dmashim_ioctl_buf *buf);
};

static int dmashim_cmd_info(struct dmashim_ctx *ctx,
			    union dmashim_ioctl_buf *buf)
{
	return dmashim_ctx_info(ctx, &buf->info);
}

static int dmashim_cmd_bind(struct dmashim_ctx *ctx,
			    union dmashim_ioctl_buf *buf)
{
	return dmashim_ctx_bind(ctx, &buf->bind);
}

static int dmashim_cmd_alloc(struct dmashim_ctx *ctx,
			     union dmashim_ioctl_buf *buf)
{
	return dmashim_buf_alloc(ctx, &buf->alloc);
}

static int dmashim_cmd_pin(struct dmashim_ctx *ctx,
			   union dmashim_ioctl_buf *buf)
{
	return dmashim_pin(ctx, &buf->pin);
}

static int dmashim_cmd_map(struct dmashim_ctx *ctx,
			   union dmashim_ioctl_buf *buf)
{
	return dmashim_map(ctx, &buf->map);
}

static int dmashim_cmd_unmap(struct dmashim_ctx *ctx,
			     union dmashim_ioctl_buf *buf)
{
	return dmashim_unmap(ctx, &buf->unmap);
}

static int dmashim_cmd_segments(struct dmashim_ctx *ctx,
				union dmashim_ioctl_buf *buf)
{
	return dmashim_segments(ctx, &buf->segments);
}

static int dmashim_cmd_sync(struct dmashim_ctx *ctx,
			    union dmashim_ioctl_buf *buf)
{
	return dmashim_sync(ctx, &buf->sync);
}

static int dmashim_cmd_stats(struct dmashim_ctx *ctx,
			     union dmashim_ioctl_buf *buf)
{
	return dmashim_ctx_stats(ctx, &buf->stats);
}

#define DMASHIM_OP(_nr, _fn, _struct, _last)				\
	[_nr] = {							\
		.size = sizeof(_struct),				\
		.min_size = offsetofend(_struct, _last),		\
		.execute = _fn,						\
	}

static const struct dmashim_ioctl_op dmashim_ops[] = {
	DMASHIM_OP(DMASHIM_CMD_INFO, dmashim_cmd_info, struct dmashim_info,
		   driver),
	DMASHIM_OP(DMASHIM_CMD_BIND, dmashim_cmd_bind, struct dmashim_bind,
		   device),
	DMASHIM_OP(DMASHIM_CMD_ALLOC, dmashim_cmd_alloc, struct dmashim_alloc,
		   __reserved),
	DMASHIM_OP(DMASHIM_CMD_PIN, dmashim_cmd_pin, struct dmashim_pin, fd),
	DMASHIM_OP(DMASHIM_CMD_MAP, dmashim_cmd_map, struct dmashim_map,
		   length),
	DMASHIM_OP(DMASHIM_CMD_UNMAP, dmashim_cmd_unmap, struct dmashim_unmap,
		   handle),
	DMASHIM_OP(DMASHIM_CMD_SEGMENTS, dmashim_cmd_segments,
		   struct dmashim_segments, __reserved),
	DMASHIM_OP(DMASHIM_CMD_SYNC, dmashim_cmd_sync, struct dmashim_sync,
		   __reserved),
	DMASHIM_OP(DMASHIM_CMD_STATS, dmashim_cmd_stats, struct dmashim_stats,
		   failures),
};

/**
 * dmashim_ioctl() - the unlocked_ioctl of /dev/dmashim
 * @file: the context's file
 * @cmd: ioctl number
 * @arg: user pointer to the command's struct
 *
 * Return: 0 or a negative errno; -ENOTTY for a number that is not a
 * dmashim ioctl.
 */
long dmashim_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct dmashim_ctx *ctx = file->private_data;
	void __user *uarg = (void __user *)arg;
	const struct dmashim_ioctl_op *op;
	union dmashim_ioctl_buf buf;
	unsigned int nr = _IOC_NR(cmd);
	u32 size;
	int ret;

	if (cmd != _IO(DMASHIM_TYPE, nr) || nr >= ARRAY_SIZE(dmashim_ops) ||
	    !dmashim_ops[nr].execute)
		return -ENOTTY;
	op = &dmashim_ops[nr];

	if (get_user(size, (u32 __user *)uarg))
		return -EFAULT;
	if (size < op->min_size || size > PAGE_SIZE)
		return -EINVAL;
	ret = copy_struct_from_user(&buf, op->size, uarg, size);
	if (ret)
		return ret;

	ret = op->execute(ctx, &buf);
	if (ret)
		return ret;

	if (copy_to_user(uarg, &buf, min_t(size_t, size, op->size)))
		return -EFAULT;
	return 0;
}
