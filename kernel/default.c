// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - the module's own default device
 *
 * A context that binds to nothing maps for this platform device.  It sits
 * behind no IOMMU, so it uses dma-direct (or swiotlb when the kernel
 * forces it), with the DMA mask the default_dma_bits parameter sets: a way
 * to see what a device with a narrow mask gets without having one.
 */

#include <linux/dma-mapping.h>
#include <linux/platform_device.h>

#include "dmashim.h"

static struct platform_device *dmashim_default_pdev;

/**
 * dmashim_default_device() - the default device
 *
 * Return: the default device; valid between dmashim_default_init() and
 * dmashim_default_exit().
 */
struct device *dmashim_default_device(void)
{
	return &dmashim_default_pdev->dev;
}

/**
 * dmashim_default_init() - create the default device
 * @dma_bits: width of its DMA masks
 *
 * The platform driver registered by dmashim_claim_init() binds to it.
 *
 * Return: 0, -EINVAL if @dma_bits is out of range, -EIO if the DMA layer
 * refuses the mask, or the errno of the device registration.
 */
int dmashim_default_init(unsigned int dma_bits)
{
	struct platform_device_info pdevinfo = {
		.name = "dmashim",
		.id = PLATFORM_DEVID_NONE,
		.dma_mask = DMA_BIT_MASK(dma_bits),
	};
	struct platform_device *pdev;
	int ret;

	if (dma_bits < 1 || dma_bits > 64) {
		pr_err("dmashim: default_dma_bits=%u is not in 1..64\n",
		       dma_bits);
		return -EINVAL;
	}

	pdev = platform_device_register_full(&pdevinfo);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);

	/* Let the DMA layer validate the mask (dma_supported()). */
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(dma_bits));
	if (ret) {
		dev_err(&pdev->dev, "DMA cannot use a %u-bit mask here: %d\n",
			dma_bits, ret);
		goto err_unregister;
	}
	if (!pdev->dev.driver) {
		dev_err(&pdev->dev, "dmashim driver did not bind\n");
		ret = -ENODEV;
		goto err_unregister;
	}
	dmashim_default_pdev = pdev;
	return 0;

err_unregister:
	platform_device_unregister(pdev);
	return ret;
}

/**
 * dmashim_default_exit() - remove the default device
 */
void dmashim_default_exit(void)
{
	platform_device_unregister(dmashim_default_pdev);
	dmashim_default_pdev = NULL;
}
