// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - DMASHIM_IOCTL_INFO: what the DMA API and the IOMMU say about a
 * device
 */

#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/string.h>

#include <linux/dmashim.h>
#include "dmashim.h"

static u32 dmashim_domain_kind(struct iommu_domain *domain)
{
	if (!domain)
		return DMASHIM_IOMMU_NONE;
	switch (domain->type) {
	case IOMMU_DOMAIN_IDENTITY:
		return DMASHIM_IOMMU_IDENTITY;
	case IOMMU_DOMAIN_DMA:
		return DMASHIM_IOMMU_DMA_STRICT;
	case IOMMU_DOMAIN_DMA_FQ:
		return DMASHIM_IOMMU_DMA_LAZY;
	case IOMMU_DOMAIN_BLOCKED:
		return DMASHIM_IOMMU_BLOCKED;
	default:
		return DMASHIM_IOMMU_OTHER;
	}
}

/**
 * dmashim_iommu_translates() - whether the DMA API maps through an IOMMU
 * @dev: a device set up for DMA
 *
 * Return: true if the device's default domain translates (DMA or DMA-FQ):
 * its DMA addresses are IOVAs, and it reaches any memory.
 */
bool dmashim_iommu_translates(struct device *dev)
{
	u32 kind = dmashim_domain_kind(iommu_get_domain_for_dev(dev));

	return kind == DMASHIM_IOMMU_DMA_STRICT ||
	       kind == DMASHIM_IOMMU_DMA_LAZY;
}

/**
 * dmashim_iommu_lazy() - whether the IOMMU flushes unmappings lazily
 * @dev: a device set up for DMA
 *
 * Return: true for a DMA-FQ domain: unmapped IOVAs are reused only after
 * its flush queue was flushed.
 */
bool dmashim_iommu_lazy(struct device *dev)
{
	return dmashim_domain_kind(iommu_get_domain_for_dev(dev)) ==
	       DMASHIM_IOMMU_DMA_LAZY;
}

static void dmashim_info_iommu(struct device *dev, struct dmashim_info *info)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	struct iommu_group *group;

	info->iommu_domain = dmashim_domain_kind(domain);
	info->iommu_group = -1;
	info->__reserved = 0;
	group = iommu_group_get(dev);
	if (group) {
		info->iommu_group = iommu_group_id(group);
		iommu_group_put(group);
	}

	if (!dmashim_iommu_translates(dev))
		return;
	info->dev_flags |= DMASHIM_DEV_IOMMU;
	info->iova_start = domain->geometry.aperture_start;
	info->iova_end = domain->geometry.aperture_end;
	info->iommu_pgsize_bitmap = domain->pgsize_bitmap;
}

/**
 * dmashim_info_fill() - describe a device for DMASHIM_IOCTL_INFO
 * @dd: the device, read-locked with dmashim_dev_read_lock()
 * @info: filled in, apart from @size and @flags
 *
 * Return: 0.
 */
int dmashim_info_fill(struct dmashim_dev *dd, struct dmashim_info *info)
{
	struct device *dev = dd->dev;

	info->features = DMASHIM_FEATURES_1_0;
	info->dev_flags = 0;
	if (dev_is_dma_coherent(dev))
		info->dev_flags |= DMASHIM_DEV_COHERENT;
	if (dd->claimed)
		info->dev_flags |= DMASHIM_DEV_CLAIMED;
	if (dd->is_default)
		info->dev_flags |= DMASHIM_DEV_DEFAULT;

	info->dma_mask = dev->dma_mask ? *dev->dma_mask : 0;
	info->coherent_dma_mask = dev->coherent_dma_mask;
	info->bus_dma_limit = dev->bus_dma_limit;
	info->required_mask = dma_get_required_mask(dev);
	info->max_mapping_size = dma_max_mapping_size(dev);
	info->opt_mapping_size = dma_opt_mapping_size(dev);
	info->max_seg_size = dma_get_max_seg_size(dev);
	info->seg_boundary_mask = dma_get_seg_boundary(dev);

	info->iova_start = 0;
	info->iova_end = 0;
	info->iommu_pgsize_bitmap = 0;
	dmashim_info_iommu(dev, info);

	/*
	 * The driver cannot change under us: its unbind revokes @dd first,
	 * and that waits for our read lock.
	 */
	strscpy(info->name, dev_name(dev), sizeof(info->name));
	strscpy(info->bus, dev->bus ? dev->bus->name : "", sizeof(info->bus));
	strscpy(info->driver, dev->driver ? dev->driver->name : "",
		sizeof(info->driver));
	return 0;
}
