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
#include "ioctl.h"

static int dmashim_cmd_info(void *obj, union dmashim_ioctl_buf *buf)
{
	return dmashim_ctx_info(obj, &buf->info);
}

static int dmashim_cmd_bind(void *obj, union dmashim_ioctl_buf *buf)
{
	return dmashim_ctx_bind(obj, &buf->bind);
}

static int dmashim_cmd_alloc(void *obj, union dmashim_ioctl_buf *buf)
{
	return dmashim_buf_alloc(obj, &buf->alloc);
}

static int dmashim_cmd_pin(void *obj, union dmashim_ioctl_buf *buf)
{
	return dmashim_pin(obj, &buf->pin);
}

static int dmashim_cmd_map(void *obj, union dmashim_ioctl_buf *buf)
{
	return dmashim_map(obj, &buf->map);
}

static int dmashim_cmd_unmap(void *obj, union dmashim_ioctl_buf *buf)
{
	return dmashim_unmap(obj, &buf->unmap);
}

static int dmashim_cmd_segments(void *obj, union dmashim_ioctl_buf *buf)
{
	return dmashim_segments(obj, &buf->segments);
}

static int dmashim_cmd_sync(void *obj, union dmashim_ioctl_buf *buf)
{
	return dmashim_sync(obj, &buf->sync);
}

static int dmashim_cmd_stats(void *obj, union dmashim_ioctl_buf *buf)
{
	return dmashim_ctx_stats(obj, &buf->stats);
}

static int dmashim_cmd_chan_open(void *obj, union dmashim_ioctl_buf *buf)
{
	return dmashim_chan_open(obj, &buf->chan_open);
}

static const struct dmashim_ioctl_op dmashim_ctx_ops[] = {
	DMASHIM_OP(0, DMASHIM_CMD_INFO, dmashim_cmd_info, struct dmashim_info,
		   driver),
	DMASHIM_OP(0, DMASHIM_CMD_BIND, dmashim_cmd_bind, struct dmashim_bind,
		   device),
	DMASHIM_OP(0, DMASHIM_CMD_ALLOC, dmashim_cmd_alloc, struct dmashim_alloc,
		   __reserved),
	DMASHIM_OP(0, DMASHIM_CMD_PIN, dmashim_cmd_pin, struct dmashim_pin, fd),
	DMASHIM_OP(0, DMASHIM_CMD_MAP, dmashim_cmd_map, struct dmashim_map,
		   length),
	DMASHIM_OP(0, DMASHIM_CMD_UNMAP, dmashim_cmd_unmap, struct dmashim_unmap,
		   handle),
	DMASHIM_OP(0, DMASHIM_CMD_SEGMENTS, dmashim_cmd_segments,
		   struct dmashim_segments, __reserved),
	DMASHIM_OP(0, DMASHIM_CMD_SYNC, dmashim_cmd_sync, struct dmashim_sync,
		   __reserved),
	DMASHIM_OP(0, DMASHIM_CMD_STATS, dmashim_cmd_stats, struct dmashim_stats,
		   failures),
	DMASHIM_OP(0, DMASHIM_CMD_CHAN_OPEN, dmashim_cmd_chan_open,
		   struct dmashim_chan_open, __reserved),
};

/**
 * dmashim_ioctl_dispatch() - run one of a file's ioctls
 * @ops: the file's commands, indexed by ioctl number less @first
 * @nr_ops: entries in @ops
 * @first: ioctl number of @ops[0]
 * @obj: the file's object, for the command
 * @cmd: ioctl number
 * @arg: user pointer to the command's struct
 *
 * Checks the size the struct carries, copies it in (bytes the kernel
 * does not know must be zero), runs the command and copies as much of
 * the result back as the caller has room for.
 *
 * Return: 0 or a negative errno; -ENOTTY for a number not in @ops.
 */
long dmashim_ioctl_dispatch(const struct dmashim_ioctl_op *ops,
			    unsigned int nr_ops, unsigned int first,
			    void *obj, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	const struct dmashim_ioctl_op *op;
	union dmashim_ioctl_buf buf;
	unsigned int nr = _IOC_NR(cmd);
	u32 size;
	int ret;

	if (cmd != _IO(DMASHIM_TYPE, nr) || nr < first ||
	    nr - first >= nr_ops || !ops[nr - first].execute)
		return -ENOTTY;
	op = &ops[nr - first];

	if (get_user(size, (u32 __user *)uarg))
		return -EFAULT;
	if (size < op->min_size || size > PAGE_SIZE)
		return -EINVAL;
	ret = copy_struct_from_user(&buf, op->size, uarg, size);
	if (ret)
		return ret;

	ret = op->execute(obj, &buf);
	if (ret)
		return ret;

	if (copy_to_user(uarg, &buf, min_t(size_t, size, op->size)))
		return -EFAULT;
	return 0;
}

/**
 * dmashim_ioctl() - the unlocked_ioctl of /dev/dmashim
 * @file: the context's file
 * @cmd: ioctl number
 * @arg: user pointer to the command's struct
 *
 * Return: 0 or a negative errno; -ENOTTY for a number that is not a
 * context ioctl.
 */
long dmashim_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return dmashim_ioctl_dispatch(dmashim_ctx_ops,
				      ARRAY_SIZE(dmashim_ctx_ops), 0,
				      file->private_data, cmd, arg);
}
