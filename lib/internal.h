/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libdmashim - declarations shared by the library's files */
#ifndef LIBDMASHIM_INTERNAL_H
#define LIBDMASHIM_INTERNAL_H

#include "libdmashim.h"

#define DMASHIM_EXPORT __attribute__((visibility("default")))

struct dmashim_ctx {
	int fd;
};

/* ioctl() on a dmashim struct; returns 0 or -errno. */
int dmashim_ioctl(int fd, unsigned long request, void *arg);

#endif /* LIBDMASHIM_INTERNAL_H */
