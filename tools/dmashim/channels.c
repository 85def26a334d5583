// SPDX-License-Identifier: GPL-2.0
/* dmashim tool - finding and opening dmaengine channels */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"

/*
 * Open the first free memcpy channel whose DMA device is @device, or
 * whose driver is @driver: 0, -ENODEV if none, a negative errno; @what
 * (if not NULL) names the call that failed.
 */
static int open_listed(struct dmashim_ctx *ctx, const char *device,
		       const char *driver, struct dmashim_chan **chanp,
		       const char **what)
{
	struct chan_entry *list;
	int i, n, ret = -ENODEV;

	if (what)
		*what = "list /sys/class/dma";
	n = chan_entries(&list);
	if (n < 0)
		return n;
	if (what)
		*what = "open channel";
	for (i = 0; i < n && ret == -ENODEV; i++)
		if (device ? !strcmp(list[i].device, device) :
			     !strcmp(list[i].driver, driver))
			ret = dmashim_chan_open(ctx, list[i].name,
						DMASHIM_CAP_MEMCPY, chanp);
	free(list);
	return ret;
}

int chan_entries(struct chan_entry **entries)
{
	struct dmashim_channels *list;
	struct chan_entry *e;
	int i, n;

	*entries = NULL;
	n = dmashim_chan_list(&list);
	if (n < 0)
		return n;
	e = calloc(n ? n : 1, sizeof(*e));
	if (!e) {
		dmashim_chan_list_free(list);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		snprintf(e[i].name, sizeof(e[i].name), "%s",
			 dmashim_chan_list_name(list, i));
		snprintf(e[i].device, sizeof(e[i].device), "%s",
			 dmashim_chan_list_device(list, i));
		snprintf(e[i].driver, sizeof(e[i].driver), "%s",
			 dmashim_chan_list_driver(list, i));
	}
	dmashim_chan_list_free(list);
	*entries = e;
	return n;
}

int open_driver_channel(struct dmashim_ctx *ctx, const char *driver,
			struct dmashim_chan **chanp)
{
	return open_listed(ctx, NULL, driver, chanp, NULL);
}

/* The first free memcpy channel of DMA device @device. */
static int open_on_device(struct dmashim_ctx *ctx, const char *device,
			  struct dmashim_chan **chanp)
{
	const char *colon = strchr(device, ':');
	const char *what;
	int ret;

	/* A bind name: "pci:0000:00:11.0", "platform:dmashim_cpudma". */
	if (colon && (!strncmp(device, "pci:", 4) ||
		      !strncmp(device, "platform:", 9)))
		device = colon + 1;
	ret = open_listed(ctx, device, NULL, chanp, &what);
	if (ret == -ENODEV) {
		fprintf(stderr,
			"dmashim: no free memcpy channel on DMA device %s\n",
			device);
		return 1;
	}
	return ret ? fail(what, ret) : 0;
}

int open_memcpy_channel(struct dmashim_ctx *ctx, const char *name,
			const char *device, struct dmashim_chan **chanp)
{
	int ret;

	if (!name && device)
		return open_on_device(ctx, device, chanp);
	ret = dmashim_chan_open(ctx, name, DMASHIM_CAP_MEMCPY, chanp);
	if (ret == -ENODEV && name) {
		fprintf(stderr,
			"dmashim: channel %s: no such free memcpy channel\n",
			name);
		return 1;
	}
	if (ret == -ENODEV) {
		fprintf(stderr, "dmashim: no free memcpy channel\n");
		return 1;
	}
	return ret ? fail("open channel", ret) : 0;
}
