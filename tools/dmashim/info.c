// SPDX-License-Identifier: GPL-2.0
/* dmashim info - describe a device as dmashim sees it */

#include <inttypes.h>
#include <stdio.h>

#include <libdmashim.h>
#include "cmds.h"

/* Width of a mask of the form 2^n - 1, or -1 if it is not one. */
static int mask_bits(uint64_t mask)
{
	int bits = 0;

	while (bits < 64 && (mask >> bits) & 1)
		bits++;
	return (bits == 64 || !(mask >> bits)) ? bits : -1;
}

static void print_mask(const char *label, uint64_t mask)
{
	int bits = mask_bits(mask);

	printf("%-18s 0x%016" PRIx64, label, mask);
	if (bits >= 0)
		printf(" (%d bits)", bits);
	printf("\n");
}

static void print_size(const char *label, uint64_t size)
{
	printf("%-18s %" PRIu64, label, size);
	if (size == UINT64_MAX || size == SIZE_MAX)
		printf(" (unlimited)");
	else if (size >= 1024 && !(size % 1024))
		printf(" (%" PRIu64 " KiB)", size / 1024);
	printf("\n");
}

static void print_pgsizes(uint64_t bitmap)
{
	static const char units[] = "KMGTPE";
	int bit;

	printf("%-18s", "iommu page sizes");
	for (bit = 12; bit < 64; bit++) {
		if (!(bitmap >> bit & 1))
			continue;
		printf(" %" PRIu64 "%c", (uint64_t)1 << (bit % 10),
		       units[bit / 10 - 1]);
	}
	printf("\n");
}

static void print_text(const struct dmashim_device_info *in)
{
	const char *origin = in->dev_flags & DMASHIM_DEV_DEFAULT ?
			     ", dmashim's default device" :
			     in->dev_flags & DMASHIM_DEV_CLAIMED ?
			     ", claimed by dmashim" : "";

	printf("%-18s %s (bus %s, driver %s%s)\n", "device", in->name,
	       in->bus, in->driver[0] ? in->driver : "none", origin);
	print_mask("dma mask", in->dma_mask);
	print_mask("coherent mask", in->coherent_dma_mask);
	if (in->bus_dma_limit)
		print_mask("bus dma limit", in->bus_dma_limit);
	else
		printf("%-18s none\n", "bus dma limit");
	print_mask("required mask", in->required_mask);
	print_size("max mapping size", in->max_mapping_size);
	print_size("opt mapping size", in->opt_mapping_size);
	print_size("max segment size", in->max_seg_size);
	print_mask("segment boundary", in->seg_boundary_mask);
	printf("%-18s %s\n", "dma coherent",
	       in->dev_flags & DMASHIM_DEV_COHERENT ? "yes" : "no");
	printf("%-18s %s", "iommu",
	       in->dev_flags & DMASHIM_DEV_IOMMU ? "translated" :
						   "not translated");
	printf(" (domain %s", dmashim_iommu_domain_name(in->iommu_domain));
	if (in->iommu_group >= 0)
		printf(", group %d", in->iommu_group);
	printf(")\n");
	if (in->dev_flags & DMASHIM_DEV_IOMMU) {
		printf("%-18s 0x%" PRIx64 " - 0x%" PRIx64 "\n", "iova aperture",
		       (uint64_t)in->iova_start, (uint64_t)in->iova_end);
		print_pgsizes(in->iommu_pgsize_bitmap);
	}
	printf("%-18s 0x%" PRIx64 "\n", "module features",
	       (uint64_t)in->features);
}

static void print_json(const struct dmashim_device_info *in)
{
	printf("{\n");
	printf("  \"device\": \"%s\",\n", in->name);
	printf("  \"bus\": \"%s\",\n", in->bus);
	printf("  \"driver\": \"%s\",\n", in->driver);
	printf("  \"default\": %s,\n",
	       in->dev_flags & DMASHIM_DEV_DEFAULT ? "true" : "false");
	printf("  \"claimed\": %s,\n",
	       in->dev_flags & DMASHIM_DEV_CLAIMED ? "true" : "false");
	printf("  \"dma_mask\": %" PRIu64 ",\n", (uint64_t)in->dma_mask);
	printf("  \"coherent_dma_mask\": %" PRIu64 ",\n",
	       (uint64_t)in->coherent_dma_mask);
	printf("  \"bus_dma_limit\": %" PRIu64 ",\n",
	       (uint64_t)in->bus_dma_limit);
	printf("  \"required_mask\": %" PRIu64 ",\n",
	       (uint64_t)in->required_mask);
	printf("  \"max_mapping_size\": %" PRIu64 ",\n",
	       (uint64_t)in->max_mapping_size);
	printf("  \"opt_mapping_size\": %" PRIu64 ",\n",
	       (uint64_t)in->opt_mapping_size);
	printf("  \"max_seg_size\": %" PRIu64 ",\n",
	       (uint64_t)in->max_seg_size);
	printf("  \"seg_boundary_mask\": %" PRIu64 ",\n",
	       (uint64_t)in->seg_boundary_mask);
	printf("  \"dma_coherent\": %s,\n",
	       in->dev_flags & DMASHIM_DEV_COHERENT ? "true" : "false");
	printf("  \"iommu_translated\": %s,\n",
	       in->dev_flags & DMASHIM_DEV_IOMMU ? "true" : "false");
	printf("  \"iommu_domain\": \"%s\",\n",
	       dmashim_iommu_domain_name(in->iommu_domain));
	printf("  \"iommu_group\": %d,\n", in->iommu_group);
	printf("  \"iova_start\": %" PRIu64 ",\n", (uint64_t)in->iova_start);
	printf("  \"iova_end\": %" PRIu64 ",\n", (uint64_t)in->iova_end);
	printf("  \"iommu_pgsize_bitmap\": %" PRIu64 ",\n",
	       (uint64_t)in->iommu_pgsize_bitmap);
	printf("  \"features\": %" PRIu64 "\n", (uint64_t)in->features);
	printf("}\n");
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dmashim info [--device NAME] [--dma-bits N] [--json]\n"
		"\n"
		"  -d, --device NAME  \"default\", \"pci:DDDD:BB:DD.F\" or\n"
		"                     \"platform:NAME\" (default: dmashim's own)\n"
		"  -b, --dma-bits N   DMA mask to set if dmashim drives the device\n"
		"  -j, --json         print JSON\n");
}

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		DEV_OPTIONS,
		JSON_OPTION,
		{ 0 }
	};
	struct dev_opts dev = { 0 };
	struct dmashim_device_info info = DMASHIM_DEVICE_INFO_INIT;
	struct dmashim_ctx *ctx;
	int ret;

	ret = parse_options(argc, argv, DEV_SHORT_OPTIONS "j", opts, &dev, NULL,
			    NULL, usage);
	if (ret >= 0)
		return ret;

	if (open_bound(&ctx, dev.device, dev.dma_bits))
		return 1;
	ret = dmashim_info(ctx, &info);
	dmashim_close(ctx);
	if (ret)
		return fail("info", ret);
	if (dev.json)
		print_json(&info);
	else
		print_text(&info);
	return 0;
}
