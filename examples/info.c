// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * info - the smallest libdmashim program: open a context on dmashim's
 * default device and print what the DMA API says about it.
 *
 * Built against an installed libdmashim, as the README shows:
 *
 *   cc -o info examples/info.c $(pkg-config --cflags --libs libdmashim)
 *
 * Exit status: 0 with the device described; 1 with the reason on stderr
 * (for example "/dev/dmashim is absent: the dmashim module is not loaded"
 * when dmashim_open() says -ENOENT, as libdmashim.h documents).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libdmashim.h>

int main(void)
{
	struct dmashim_device_info info = DMASHIM_DEVICE_INFO_INIT;
	struct dmashim_ctx *ctx;
	int ret;

	ret = dmashim_open(&ctx);
	if (ret == -ENOENT) {
		fprintf(stderr, "info: /dev/dmashim is absent: the dmashim module is not loaded\n");
		return 1;
	}
	if (ret) {
		fprintf(stderr, "info: open /dev/dmashim: %s\n", strerror(-ret));
		return 1;
	}
	ret = dmashim_info(ctx, &info);
	if (ret) {
		fprintf(stderr, "info: %s\n", strerror(-ret));
		dmashim_close(ctx);
		return 1;
	}
	printf("device %s (%s), DMA mask 0x%" PRIx64 ", IOMMU %s\n", info.name,
	       info.bus, (uint64_t)info.dma_mask,
	       dmashim_iommu_domain_name(info.iommu_domain));
	dmashim_close(ctx);
	return 0;
}
