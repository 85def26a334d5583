/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmashim - differences between the kernels dmashim supports
 *
 * Every kernel-version difference of the module is handled in this file,
 * by features that Kbuild detects in the kernel's headers (stable kernels
 * get backports at varying sublevels, so version numbers would lie).
 * Supported: 6.1 and later.
 */
#ifndef _DMASHIM_COMPAT_H
#define _DMASHIM_COMPAT_H

#include <linux/device.h>
#include <linux/dma-buf.h>
#include <linux/iosys-map.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/string.h>
#include <linux/swiotlb.h>

/*
 * driver_override moved from pci_dev and platform_device into struct
 * device, upstream and in stable kernels at different sublevels (Debian's
 * 6.12.95 has it, 6.1.192 does not): Kbuild defines
 * DMASHIM_HAVE_DEVICE_DRIVER_OVERRIDE when the header has it.
 */
#ifdef DMASHIM_HAVE_DEVICE_DRIVER_OVERRIDE

/* Set @dev's driver override to @name; "" clears it. */
static inline int dmashim_override_set(struct device *dev, const char *name)
{
	return device_set_driver_override(dev, name);
}

/*
 * Whether @dev's driver override names a driver other than @drv.  This is
 * device_match_driver_override() == 0, spelt out because sparse cannot
 * follow the guard() that helper locks with.
 */
static inline bool dmashim_override_is_other(struct device *dev,
					     const struct device_driver *drv)
{
	bool other;

	spin_lock(&dev->driver_override.lock);
	other = dev->driver_override.name &&
		strcmp(dev->driver_override.name, drv->name);
	spin_unlock(&dev->driver_override.lock);
	return other;
}

#else

static inline const char **dmashim_override_slot(struct device *dev)
{
#if IS_ENABLED(CONFIG_PCI)
	if (dev_is_pci(dev))
		return &to_pci_dev(dev)->driver_override;
#endif
	if (dev_is_platform(dev))
		return &to_platform_device(dev)->driver_override;
	return NULL;
}

static inline int dmashim_override_set(struct device *dev, const char *name)
{
	const char **slot = dmashim_override_slot(dev);

	if (!slot)
		return -EINVAL;
	return driver_set_override(dev, slot, name, strlen(name));
}

static inline bool dmashim_override_is_other(struct device *dev,
					     const struct device_driver *drv)
{
	const char **slot = dmashim_override_slot(dev);
	bool other;

	if (!slot)
		return false;
	device_lock(dev);
	other = *slot && strcmp(*slot, drv->name);
	device_unlock(dev);
	return other;
}

#endif /* DMASHIM_HAVE_DEVICE_DRIVER_OVERRIDE */

/*
 * dma_buf_vmap() wants the reservation lock held since 6.2, which added
 * an _unlocked variant for importers that don't hold it; before, it took
 * the lock it needed itself.
 */
#ifdef DMASHIM_HAVE_DMA_BUF_VMAP_UNLOCKED
static inline int dmashim_dma_buf_vmap(struct dma_buf *dmabuf,
				       struct iosys_map *map)
{
	return dma_buf_vmap_unlocked(dmabuf, map);
}

static inline void dmashim_dma_buf_vunmap(struct dma_buf *dmabuf,
					  struct iosys_map *map)
{
	dma_buf_vunmap_unlocked(dmabuf, map);
}
#else
static inline int dmashim_dma_buf_vmap(struct dma_buf *dmabuf,
				       struct iosys_map *map)
{
	return dma_buf_vmap(dmabuf, map);
}

static inline void dmashim_dma_buf_vunmap(struct dma_buf *dmabuf,
					  struct iosys_map *map)
{
	dma_buf_vunmap(dmabuf, map);
}
#endif

/* Whether @paddr is in the kernel's swiotlb (is_swiotlb_buffer() < 6.12). */
#ifdef DMASHIM_HAVE_SWIOTLB_FIND_POOL
static inline bool dmashim_in_swiotlb(struct device *dev, phys_addr_t paddr)
{
	return swiotlb_find_pool(dev, paddr);
}
#else
static inline bool dmashim_in_swiotlb(struct device *dev, phys_addr_t paddr)
{
	return is_swiotlb_buffer(dev, paddr);
}
#endif

#endif /* _DMASHIM_COMPAT_H */
