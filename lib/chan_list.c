// SPDX-License-Identifier: LGPL-2.1-or-later
/* libdmashim - the system's dmaengine channels, as /sys/class/dma lists them */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define DMA_CLASS "/sys/class/dma"

/*
 * The last component of the symbolic link @dir/@link into @buf, or "" if
 * there is none or it does not fit.
 */
static void link_name(const char *dir, const char *link, char *buf,
		      size_t len)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *slash;
	ssize_t n;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s", dir, link);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return;
	target[n] = '\0';
	slash = strrchr(target, '/');
	if (snprintf(buf, len, "%s", slash ? slash + 1 : target) >= (int)len)
		buf[0] = '\0';
}

/* "dmaNchanM" as N * 2^16 + M, for sorting; -1 for other names. */
static long chan_order(const char *name)
{
	unsigned int dev, chan;
	int end = 0;

	if (sscanf(name, "dma%uchan%u%n", &dev, &chan, &end) != 2 ||
	    name[end] || chan > 0xffff)
		return -1;
	return (long)dev << 16 | chan;
}

static int cmp_chan(const void *a, const void *b)
{
	long x = chan_order(((const struct dmashim_chan_entry *)a)->name);
	long y = chan_order(((const struct dmashim_chan_entry *)b)->name);

	return (x > y) - (x < y);
}

DMASHIM_EXPORT int dmashim_chan_list(struct dmashim_chan_entry **list)
{
	struct dmashim_chan_entry *l = NULL, *bigger;
	char dir[PATH_MAX];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	*list = NULL;
	d = opendir(DMA_CLASS);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (chan_order(de->d_name) < 0 ||
		    strlen(de->d_name) >= sizeof(l->name))
			continue;
		bigger = realloc(l, (n + 1) * sizeof(*l));
		if (!bigger) {
			free(l);
			closedir(d);
			return -ENOMEM;
		}
		l = bigger;
		snprintf(dir, sizeof(dir), DMA_CLASS "/%s", de->d_name);
		snprintf(l[n].name, sizeof(l[n].name), "%s", de->d_name);
		link_name(dir, "device", l[n].device, sizeof(l[n].device));
		link_name(dir, "device/driver", l[n].driver,
			  sizeof(l[n].driver));
		n++;
	}
	closedir(d);
	qsort(l, n, sizeof(*l), cmp_chan);
	*list = l;
	return n;
}
