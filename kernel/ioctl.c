// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - ioctl dispatch
 *
 * Every dmashim ioctl is _IO(DMASHIM_TYPE, nr) with a struct that starts
 * with its own size, as iommufd does: the struct can grow without the
 * ioctl number changing.  This file checks the size, copies the struct in
 * (bytes the kernel does not know must be zero), runs the command and
 * copies as much of the result back as the caller has room for.  The
 * arrays and records the structs point to follow the same rules, element
 * by element, through the helpers at the end of this file.
 */

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/align.h>
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
		   __reserved),
	DMASHIM_OP(0, DMASHIM_CMD_UNMAP, dmashim_cmd_unmap, struct dmashim_unmap,
		   handle),
	DMASHIM_OP(0, DMASHIM_CMD_SEGMENTS, dmashim_cmd_segments,
		   struct dmashim_segments, segment_size),
	DMASHIM_OP(0, DMASHIM_CMD_SYNC, dmashim_cmd_sync, struct dmashim_sync,
		   __reserved),
	DMASHIM_OP(0, DMASHIM_CMD_STATS, dmashim_cmd_stats, struct dmashim_stats,
		   share_refusals),
	DMASHIM_OP(0, DMASHIM_CMD_CHAN_OPEN, dmashim_cmd_chan_open,
		   struct dmashim_chan_open, record_size),
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
	if (size < op->min_size || size > DMASHIM_STRUCT_SIZE_MAX)
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
 * dmashim_elem_size_ok() - check the element size of an array or record
 * @usize: the size the caller gave
 * @first: the size of the element's first version
 *
 * Elements are 8-byte multiples, as every struct of the uAPI, so that
 * each of an array's elements is as aligned as its first.
 *
 * Return: true if @usize is a multiple of 8 from @first to
 * %DMASHIM_STRUCT_SIZE_MAX.
 */
bool dmashim_elem_size_ok(u32 usize, size_t first)
{
	return usize >= first && usize <= DMASHIM_STRUCT_SIZE_MAX &&
	       IS_ALIGNED(usize, 8);
}

/**
 * dmashim_elem_from_user() - copy element @i of a user array in
 * @dst: the kernel's element
 * @ksize: its size
 * @base: the array
 * @usize: the caller's element size (checked by dmashim_elem_size_ok())
 * @i: the index
 *
 * Bytes the kernel does not know must be zero; a shorter element is
 * zero-extended.
 *
 * Return: 0, -E2BIG for a non-zero byte the kernel does not know, -EFAULT.
 */
int dmashim_elem_from_user(void *dst, size_t ksize, const void __user *base,
			   u32 usize, unsigned int i)
{
	return copy_struct_from_user(dst, ksize, base + (size_t)i * usize,
				     usize);
}

/**
 * dmashim_elem_to_user() - copy element @i of a user array out
 * @base: the array
 * @usize: the caller's element size (checked by dmashim_elem_size_ok())
 * @i: the index
 * @src: the kernel's element
 * @ksize: its size
 *
 * The caller gets what it knows of the element; bytes beyond the
 * kernel's element are zeroed.
 *
 * Return: 0 or -EFAULT.
 */
int dmashim_elem_to_user(void __user *base, u32 usize, unsigned int i,
			 const void *src, size_t ksize)
{
	void __user *dst = base + (size_t)i * usize;

	if (copy_to_user(dst, src, min_t(size_t, usize, ksize)))
		return -EFAULT;
	if (usize > ksize && clear_user(dst + ksize, usize - ksize))
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
