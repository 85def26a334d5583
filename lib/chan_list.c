// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libdmashim - the system's dmaengine channels, as /sys/class/dma lists
 * them.  Read directly rather than through libudev: three attributes of
 * one class directory, which a library dependency (and a udev database
 * that containers often lack) would not make more reliable.
 */

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
	long x = chan_order(((const struct dmashim_channel_entry *)a)->name);
	long y = chan_order(((const struct dmashim_channel_entry *)b)->name);

	return (x > y) - (x < y);
}

DMASHIM_EXPORT int dmashim_chan_list(struct dmashim_channels **listp)
{
	struct dmashim_channels *l, *bigger;
	struct dmashim_channel_entry *e;
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;

	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	d = opendir(DMA_CLASS);
	if (!d) {
		if (errno != ENOENT) {
			free(l);
			return -errno;
		}
		*listp = l;
		return 0;
	}
	while ((de = readdir(d))) {
		if (chan_order(de->d_name) < 0 ||
		    strlen(de->d_name) >= sizeof(e->name))
			continue;
		bigger = realloc(l, sizeof(*l) + (l->n + 1) * sizeof(*e));
		if (!bigger) {
			free(l);
			closedir(d);
			return -ENOMEM;
		}
		l = bigger;
		e = &l->e[l->n++];
		snprintf(dir, sizeof(dir), DMA_CLASS "/%s", de->d_name);
		snprintf(e->name, sizeof(e->name), "%s", de->d_name);
		link_name(dir, "device", e->device, sizeof(e->device));
		link_name(dir, "device/driver", e->driver, sizeof(e->driver));
	}
	closedir(d);
	qsort(l->e, l->n, sizeof(*e), cmp_chan);
	*listp = l;
	return l->n;
}

DMASHIM_EXPORT void dmashim_chan_list_free(struct dmashim_channels *list)
{
	free(list);
}

DMASHIM_EXPORT unsigned int
dmashim_chan_list_count(const struct dmashim_channels *list)
{
	return list->n;
}

DMASHIM_EXPORT const char *
dmashim_chan_list_name(const struct dmashim_channels *list, unsigned int i)
{
	return i < list->n ? list->e[i].name : NULL;
}

DMASHIM_EXPORT const char *
dmashim_chan_list_device(const struct dmashim_channels *list, unsigned int i)
{
	return i < list->n ? list->e[i].device : NULL;
}

DMASHIM_EXPORT const char *
dmashim_chan_list_driver(const struct dmashim_channels *list, unsigned int i)
{
	return i < list->n ? list->e[i].driver : NULL;
}
