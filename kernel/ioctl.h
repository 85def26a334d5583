/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmashim - ioctl tables: what a file's ioctls are and how they are run
 * (ioctl.c)
 */
#ifndef _DMASHIM_IOCTL_H
#define _DMASHIM_IOCTL_H

#include <linux/stddef.h>

#include <linux/dmashim.h>

/* Any command's argument, so that one stack buffer fits them all. */
union dmashim_ioctl_buf {
	struct dmashim_info ctx_info;
	struct dmashim_bind ctx_bind;
	struct dmashim_alloc ctx_alloc;
	struct dmashim_pin ctx_pin;
	struct dmashim_map ctx_map;
	struct dmashim_unmap ctx_unmap;
	struct dmashim_segments ctx_segments;
	struct dmashim_sync ctx_sync;
	struct dmashim_stats ctx_stats;
	struct dmashim_chan_open ctx_chan_open;
	struct dmashim_chan_info chan_info;
	struct dmashim_chan_config chan_config;
	struct dmashim_chan_submit chan_submit;
	struct dmashim_chan_status chan_status;
	struct dmashim_chan_control chan_control;
};

/**
 * struct dmashim_ioctl_op - one ioctl of a file
 * @size: the kernel's struct size
 * @min_size: size of the struct's first version
 * @execute: runs the command on the file's object; a command that makes
 *	a file hands it over in @nfd, for the dispatcher to install
 */
struct dmashim_ioctl_op {
	unsigned int size;
	unsigned int min_size;
	int (*execute)(void *obj, union dmashim_ioctl_buf *buf,
		       struct dmashim_new_fd *nfd);
};

/* The entry of command @_nr in a table that starts at ioctl @_first. */
#define DMASHIM_OP(_first, _nr, _fn, _struct, _last)			\
	[(_nr) - (_first)] = {						\
		.size = sizeof(_struct),				\
		.min_size = offsetofend(_struct, _last),		\
		.execute = _fn,						\
	}

long dmashim_ioctl_dispatch(const struct dmashim_ioctl_op *ops,
			    unsigned int nr_ops, unsigned int first,
			    void *obj, unsigned int cmd, unsigned long arg);

bool dmashim_elem_size_ok(u32 usize, size_t first);
int dmashim_elem_from_user(void *dst, size_t ksize, const void __user *base,
			   u32 usize, unsigned int i);
int dmashim_elem_to_user(void __user *base, u32 usize, unsigned int i,
			 const void *src, size_t ksize);

#endif /* _DMASHIM_IOCTL_H */
