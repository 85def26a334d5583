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

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/stddef.h>
#include <linux/uaccess.h>

#include <linux/dmashim.h>
#include "dmashim.h"
#include "ioctl.h"

/* A context command: its function, on the context, with its struct. */
#define DMASHIM_CTX_CMD(_name, _fn)					\
static int dmashim_cmd_##_name(void *obj, union dmashim_ioctl_buf *buf,	\
			       struct dmashim_new_fd *nfd)		\
{									\
	return _fn(obj, &buf->ctx_##_name);				\
}

/* The same, for a command that makes a file. */
#define DMASHIM_CTX_CMD_FD(_name, _fn)					\
static int dmashim_cmd_##_name(void *obj, union dmashim_ioctl_buf *buf,	\
			       struct dmashim_new_fd *nfd)		\
{									\
	return _fn(obj, &buf->ctx_##_name, nfd);			\
}

DMASHIM_CTX_CMD(info, dmashim_ctx_info)
DMASHIM_CTX_CMD(bind, dmashim_ctx_bind)
DMASHIM_CTX_CMD_FD(alloc, dmashim_buf_alloc)
DMASHIM_CTX_CMD_FD(pin, dmashim_pin)
DMASHIM_CTX_CMD(map, dmashim_map)
DMASHIM_CTX_CMD(unmap, dmashim_unmap)
DMASHIM_CTX_CMD(segments, dmashim_segments)
DMASHIM_CTX_CMD(sync, dmashim_sync)
DMASHIM_CTX_CMD(stats, dmashim_ctx_stats)
DMASHIM_CTX_CMD_FD(chan_open, dmashim_chan_open)

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
 * does not know must be zero), checks it can be written back, runs the
 * command and copies as much of the result back as the caller has room
 * for; then installs the file the command made, if any.
 *
 * Return: 0 or a negative errno; -ENOTTY for a number not in @ops.
 */
long dmashim_ioctl_dispatch(const struct dmashim_ioctl_op *ops,
			    unsigned int nr_ops, unsigned int first,
			    void *obj, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	struct dmashim_new_fd nfd = { .fd = -1 };
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
	/*
	 * The result goes back where the struct came from: make sure it
	 * can (writing back what was read) before anything is done.
	 */
	if (copy_to_user(uarg, &buf, min_t(size_t, size, op->size)))
		return -EFAULT;

	ret = op->execute(obj, &buf, &nfd);
	if (ret)
		return ret;

	/* A new file is installed last, once its number reached the caller. */
	if (copy_to_user(uarg, &buf, min_t(size_t, size, op->size))) {
		if (nfd.file) {
			put_unused_fd(nfd.fd);
			fput(nfd.file);
		}
		return -EFAULT;
	}
	if (nfd.file)
		fd_install(nfd.fd, nfd.file);
	return 0;
}

/**
 * dmashim_new_fd_reserve() - reserve a descriptor for a file an ioctl made
 * @nfd: the ioctl's &struct dmashim_new_fd
 * @file: the file; on success its reference is the dispatcher's
 * @fd_flags: O_CLOEXEC or 0
 *
 * Return: the descriptor, which the dispatcher installs once the caller's
 * struct is copied back; or a negative errno, the file still the
 * caller's.
 */
int dmashim_new_fd_reserve(struct dmashim_new_fd *nfd, struct file *file,
			   u32 fd_flags)
{
	int fd = get_unused_fd_flags(fd_flags);

	if (fd < 0)
		return fd;
	nfd->fd = fd;
	nfd->file = file;
	return fd;
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
