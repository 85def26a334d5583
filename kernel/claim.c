// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - becoming the driver of a device nobody drives
 *
 * To map memory for a device through the DMA API, the device must be set
 * up for DMA: bus mastering on, DMA ops and IOMMU domain configured, which
 * the driver core does when a driver binds.  For a device without a driver
 * dmashim binds its own driver, the way vfio-pci is bound: driver_override
 * names the driver, then the driver core attaches it.  The override is
 * cleared again when dmashim lets go of the device.
 */

#include <linux/device.h>
#include <linux/pci.h>
#include <linux/platform_device.h>

#include "compat.h"
#include "dmashim.h"

#define DMASHIM_DRV_NAME "dmashim"

/*
 * Platform devices need nothing set up for DMA beyond what the driver
 * core does at bind time.  No sysfs bind/unbind: the default device must
 * stay bound, and claims are made and released by dmashim itself.
 */
static struct platform_driver dmashim_platform_driver = {
	.driver = {
		.name = DMASHIM_DRV_NAME,
		.suppress_bind_attrs = true,
	},
};

#if IS_ENABLED(CONFIG_PCI)
/*
 * Devices that are the system's, not a driver's to hand out: bridges of
 * every kind (host, ISA/LPC, PCI-to-PCI; whatever their header type: a
 * host bridge's is a normal one), system peripherals (interrupt, DMA and
 * timer controllers, IOMMUs) and processors.
 */
static bool dmashim_pci_is_system(struct pci_dev *pdev)
{
	switch (pdev->class >> 16) {
	case PCI_BASE_CLASS_BRIDGE:
	case PCI_BASE_CLASS_SYSTEM:
	case PCI_BASE_CLASS_PROCESSOR:
		return true;
	default:
		return pdev->hdr_type != PCI_HEADER_TYPE_NORMAL;
	}
}

static int dmashim_pci_probe(struct pci_dev *pdev,
			     const struct pci_device_id *id)
{
	int ret;

	/* As vfio-pci: endpoints only, bridges keep their own drivers. */
	if (dmashim_pci_is_system(pdev))
		return -EOPNOTSUPP;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);
	return 0;
}

/*
 * No IDs: it binds only through driver_override.  No remove: disabling
 * the device, which turns bus mastering off, is managed by pcim.
 */
static struct pci_driver dmashim_pci_driver = {
	.name = DMASHIM_DRV_NAME,
	.probe = dmashim_pci_probe,
};

static int dmashim_pci_register(void)
{
	return pci_register_driver(&dmashim_pci_driver);
}

static void dmashim_pci_unregister(void)
{
	pci_unregister_driver(&dmashim_pci_driver);
}

static bool dmashim_pci_is_ours(struct device *dev)
{
	return dev->driver == &dmashim_pci_driver.driver;
}

static bool dmashim_pci_is_system_dev(struct device *dev)
{
	return dev_is_pci(dev) && dmashim_pci_is_system(to_pci_dev(dev));
}
#else
static bool dmashim_pci_is_system_dev(struct device *dev)
{
	return false;
}

static int dmashim_pci_register(void)
{
	return 0;
}

static void dmashim_pci_unregister(void)
{
}

static bool dmashim_pci_is_ours(struct device *dev)
{
	return false;
}
#endif

/* The driver of dmashim's that can drive @dev, NULL if none. */
static struct device_driver *dmashim_driver_for(struct device *dev)
{
#if IS_ENABLED(CONFIG_PCI)
	if (dev_is_pci(dev))
		return &dmashim_pci_driver.driver;
#endif
	if (dev_is_platform(dev))
		return &dmashim_platform_driver.driver;
	return NULL;
}

/**
 * dmashim_is_system_device() - whether a device is one dmashim never uses
 * @dev: a device
 *
 * Return: true for a PCI bridge, system peripheral or processor: nobody
 * binds to one through dmashim, nor claims it.
 */
bool dmashim_is_system_device(struct device *dev)
{
	return dmashim_pci_is_system_dev(dev);
}

/**
 * dmashim_is_our_driver() - tell whether dmashim drives a device
 * @dev: the device
 *
 * Return: true if one of dmashim's drivers is bound to @dev.
 */
bool dmashim_is_our_driver(struct device *dev)
{
	return dev->driver == &dmashim_platform_driver.driver ||
	       dmashim_pci_is_ours(dev);
}

/**
 * dmashim_claim() - bind dmashim's driver to a device that has none
 * @dev: a PCI or platform device without a driver
 *
 * Sets @dev's driver_override to dmashim and attaches the driver, which
 * for PCI enables the device and turns bus mastering on.  A device whose
 * override already names another driver was reserved by its
 * administrator and is left alone.  Must not be called with @dev's lock
 * held.
 *
 * Return: 0 on success; -EINVAL for a device on another bus;
 * -EOPNOTSUPP for a system device (dmashim_is_system_device()); -EBUSY
 * if the device has a driver or is reserved for another one; another
 * negative errno if the probe fails.
 */
int dmashim_claim(struct device *dev)
{
	struct device_driver *drv = dmashim_driver_for(dev);
	int ret;

	if (!drv)
		return -EINVAL;
	if (dmashim_is_system_device(dev))
		return -EOPNOTSUPP;
	if (dmashim_override_is_other(dev, drv))
		return -EBUSY;

	ret = dmashim_override_set(dev, drv->name);
	if (ret)
		return ret;
	ret = device_driver_attach(drv, dev);
	if (ret) {
		dmashim_override_set(dev, "");
		return ret;
	}
	return 0;
}

/**
 * dmashim_unclaim() - undo dmashim_claim()
 * @dev: a device dmashim_claim() bound
 *
 * Unbinds dmashim's driver and clears the override, leaving @dev as it was
 * found.  Must not be called with @dev's lock held.
 */
void dmashim_unclaim(struct device *dev)
{
	device_release_driver(dev);
	dmashim_override_set(dev, "");
}

/**
 * dmashim_claim_init() - register the drivers dmashim binds to devices
 *
 * Return: 0 or a negative errno from driver registration.
 */
int dmashim_claim_init(void)
{
	int ret;

	ret = platform_driver_register(&dmashim_platform_driver);
	if (ret)
		return ret;
	ret = dmashim_pci_register();
	if (ret)
		goto err_platform;
	return 0;

err_platform:
	platform_driver_unregister(&dmashim_platform_driver);
	return ret;
}

/**
 * dmashim_claim_exit() - unregister the drivers of dmashim_claim_init()
 */
void dmashim_claim_exit(void)
{
	dmashim_pci_unregister();
	platform_driver_unregister(&dmashim_platform_driver);
}
