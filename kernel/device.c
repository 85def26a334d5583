// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - the devices contexts are bound to
 *
 * Every device in use has one struct dmashim_dev, shared by the contexts
 * bound to it.  It holds a reference on the struct device, and it is
 * revoked when the device's driver unbinds (which also happens when the
 * device is removed): from then on nothing uses the device for DMA and
 * every ioctl on it fails with -ENODEV, but the contexts stay valid until
 * they are closed.
 *
 * Locking, outermost first:
 *
 *   dmashim_claim_lock  serialises finding or creating a dmashim_dev and
 *                       releasing one, so that a device being claimed or
 *                       released is never seen half-way.  Held across
 *                       driver attach and release, so it must never be
 *                       taken by the bus notifier.
 *   device_lock()       the driver core's; held by the bus notifier.
 *   dmashim_devs_lock   protects dmashim_devs, the list of live devices.
 *   dmashim_dev.sem     read by users of the device, written by revoke.
 */

#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <linux/dmashim.h>
#include "dmashim.h"

static DEFINE_MUTEX(dmashim_claim_lock);
static DEFINE_MUTEX(dmashim_devs_lock);
static LIST_HEAD(dmashim_devs);
static struct dmashim_dev *dmashim_default_dd;

static struct dmashim_dev *dmashim_dev_alloc(struct device *dev)
{
	struct dmashim_dev *dd;

	dd = kzalloc(sizeof(*dd), GFP_KERNEL);
	if (!dd)
		return NULL;
	kref_init(&dd->ref);
	INIT_LIST_HEAD(&dd->node);
	init_rwsem(&dd->sem);
	mutex_init(&dd->users_lock);
	INIT_LIST_HEAD(&dd->users);
	spin_lock_init(&dd->share_lock);
	INIT_LIST_HEAD(&dd->shares);
	dd->dev = get_device(dev);
	return dd;
}

/*
 * The device is set up for DMA, masks included: note whether an IOMMU
 * translates it and give it its bounce pool.
 */
static void dmashim_dev_setup(struct dmashim_dev *dd)
{
	dd->translated = dmashim_iommu_translates(dd->dev);
	dd->lazy = dmashim_iommu_lazy(dd->dev);
	dd->pool = dmashim_pool_create(dd->dev, dd->translated);
	if (!dd->pool)
		dev_info(dd->dev, "dmashim: no memory within reach for a bounce pool\n");
	dmashim_debugfs_add_dev(dd);
}

/* Free what dmashim_dev_setup() set up; nothing uses the device. */
static void dmashim_dev_teardown(struct dmashim_dev *dd)
{
	debugfs_remove(dd->debugfs);
	dd->debugfs = NULL;
	dmashim_pool_destroy(dd->dev, dd->pool);
	dd->pool = NULL;
}

static void dmashim_dev_free(struct dmashim_dev *dd)
{
	mutex_destroy(&dd->users_lock);
	put_device(dd->dev);
	kfree(dd);
}

/**
 * dmashim_dev_add_user() - note something that uses a device for DMA
 * @dd: the device, read-locked (dmashim_dev_read_lock())
 * @user: revoked when the device is
 */
void dmashim_dev_add_user(struct dmashim_dev *dd, struct dmashim_user *user)
{
	mutex_lock(&dd->users_lock);
	list_add(&user->node, &dd->users);
	mutex_unlock(&dd->users_lock);
}

/**
 * dmashim_dev_del_user() - forget a user of a device
 * @dd: the device, read-locked and not revoked
 * @user: from dmashim_dev_add_user(), or never added
 */
void dmashim_dev_del_user(struct dmashim_dev *dd, struct dmashim_user *user)
{
	mutex_lock(&dd->users_lock);
	list_del_init(&user->node);
	mutex_unlock(&dd->users_lock);
}

/**
 * dmashim_dev_limited() - whether a device needs bouncing
 * @dd: the device
 *
 * Return: true if no IOMMU translates the device and its mask (or its
 * bus) does not reach all of memory.
 */
bool dmashim_dev_limited(struct dmashim_dev *dd)
{
	struct device *dev = dd->dev;

	return !dd->translated &&
	       min_not_zero(*dev->dma_mask, dev->bus_dma_limit) <
	       dma_get_required_mask(dev);
}

/* kref_put_mutex() calls this with dmashim_devs_lock held; it unlocks. */
static void dmashim_dev_release(struct kref *ref)
{
	struct dmashim_dev *dd = container_of(ref, struct dmashim_dev, ref);

	list_del_init(&dd->node);
	mutex_unlock(&dmashim_devs_lock);

	/*
	 * A revoked device was torn down when it was revoked, and unbound
	 * from dmashim by someone else; the notifier that revoked it may be
	 * dropping this last reference under the device lock.
	 */
	if (!dd->gone) {
		dmashim_dev_teardown(dd);
		if (dd->claimed)
			dmashim_unclaim(dd->dev);
	}
	dmashim_dev_free(dd);
}

/* Drop a reference; dmashim_claim_lock must be held unless @dd is gone. */
static void __dmashim_dev_put(struct dmashim_dev *dd)
{
	kref_put_mutex(&dd->ref, dmashim_dev_release, &dmashim_devs_lock);
}

/**
 * dmashim_dev_put() - drop a reference to a device
 * @dd: the device
 *
 * The last reference releases dmashim's claim on the device, if it made
 * one, under dmashim_claim_lock; any other is dropped without it, so a
 * holder of @dd's lock (who holds a reference too) may drop one.  May
 * sleep.
 */
void dmashim_dev_put(struct dmashim_dev *dd)
{
	if (refcount_dec_not_one(&dd->ref.refcount))
		return;
	mutex_lock(&dmashim_claim_lock);
	__dmashim_dev_put(dd);
	mutex_unlock(&dmashim_claim_lock);
}

/**
 * dmashim_dev_default() - take a reference to the default device
 *
 * Return: the module's default device, never NULL.
 */
struct dmashim_dev *dmashim_dev_default(void)
{
	kref_get(&dmashim_default_dd->ref);
	return dmashim_default_dd;
}

/* Find the live dmashim_dev of @dev and take a reference. */
static struct dmashim_dev *dmashim_dev_lookup(struct device *dev)
{
	struct dmashim_dev *dd;

	mutex_lock(&dmashim_devs_lock);
	list_for_each_entry(dd, &dmashim_devs, node) {
		if (dd->dev == dev) {
			kref_get(&dd->ref);
			mutex_unlock(&dmashim_devs_lock);
			return dd;
		}
	}
	mutex_unlock(&dmashim_devs_lock);
	return NULL;
}

static void dmashim_dev_publish(struct dmashim_dev *dd)
{
	mutex_lock(&dmashim_devs_lock);
	list_add(&dd->node, &dmashim_devs);
	mutex_unlock(&dmashim_devs_lock);
}

/* A mask request on a device whose mask is not dmashim's to set. */
static int dmashim_dev_check_mask(struct device *dev, u32 dma_bits)
{
	if (!dma_bits)
		return 0;
	if (!dev->dma_mask || *dev->dma_mask != DMA_BIT_MASK(dma_bits))
		return -EBUSY;
	return 0;
}

/*
 * Create the dmashim_dev of @dev, claiming @dev if it has no driver.
 * Called with dmashim_claim_lock held.
 */
static struct dmashim_dev *dmashim_dev_create(struct device *dev,
					      u32 dma_bits, u32 flags)
{
	struct dmashim_dev *dd;
	int ret;

	/* Not a bridge or system device, claimed or driven by another. */
	if (dmashim_is_system_device(dev))
		return ERR_PTR(-EOPNOTSUPP);
	dd = dmashim_dev_alloc(dev);
	if (!dd)
		return ERR_PTR(-ENOMEM);

	/* Holding the device lock keeps its driver from unbinding. */
	device_lock(dev);
	if (!dev->driver) {
		device_unlock(dev);
		/* Whoever binds was allowed to use it (policy.c). */
		if (flags & DMASHIM_BIND_NO_CLAIM)
			ret = -ENXIO;
		else
			ret = dmashim_claim(dev);
		if (ret)
			goto err_free;
		dd->claimed = true;
		device_lock(dev);
		if (!dmashim_is_our_driver(dev)) {
			/* Unbound again before we looked: not ours to undo. */
			dd->claimed = false;
			ret = -EBUSY;
			goto err_unlock;
		}
	}

	/* A claim starts from the DMA API's default, not a past claim's. */
	if (dd->claimed)
		ret = dma_set_mask_and_coherent(dev,
						DMA_BIT_MASK(dma_bits ?: 32));
	else
		ret = dmashim_dev_check_mask(dev, dma_bits);
	if (ret)
		goto err_unlock;

	dmashim_dev_setup(dd);
	dmashim_dev_publish(dd);
	device_unlock(dev);
	return dd;

err_unlock:
	device_unlock(dev);
	if (dd->claimed)
		dmashim_unclaim(dev);
err_free:
	dmashim_dev_free(dd);
	return ERR_PTR(ret);
}

/* Look a device up by its "bus:name"; returns a device reference. */
static struct device *dmashim_name_to_device(const char *name)
{
	const char *id = strchr(name, ':');
	struct device *dev;

	if (!id || !id[1])
		return ERR_PTR(-EINVAL);
	id++;

	if (str_has_prefix(name, "platform:"))
		dev = bus_find_device_by_name(&platform_bus_type, NULL, id);
#if IS_ENABLED(CONFIG_PCI)
	else if (str_has_prefix(name, "pci:"))
		dev = bus_find_device_by_name(&pci_bus_type, NULL, id);
#endif
	else
		return ERR_PTR(-EINVAL);

	return dev ?: ERR_PTR(-ENODEV);
}

/**
 * dmashim_dev_get() - find or set up dmashim's record of a device
 * @dev: the device
 * @dma_bits: DMA mask width to set if dmashim drives the device, or 0
 * @flags: %DMASHIM_BIND_* flags
 *
 * A device without a driver is claimed (see dmashim_claim()) unless
 * @flags has %DMASHIM_BIND_NO_CLAIM.
 *
 * Return: a referenced device, or an ERR_PTR() with the errors listed for
 * &struct dmashim_bind.
 */
struct dmashim_dev *dmashim_dev_get(struct device *dev, u32 dma_bits,
				    u32 flags)
{
	struct dmashim_dev *dd;
	int ret;

	mutex_lock(&dmashim_claim_lock);
	dd = dmashim_dev_lookup(dev);
	if (dd) {
		ret = dmashim_dev_check_mask(dev, dma_bits);
		if (ret) {
			__dmashim_dev_put(dd);
			dd = ERR_PTR(ret);
		}
	} else {
		dd = dmashim_dev_create(dev, dma_bits, flags);
	}
	mutex_unlock(&dmashim_claim_lock);
	return dd;
}

/**
 * dmashim_dev_find() - find or set up the device a context binds to
 * @name: "default", "pci:DDDD:BB:DD.F" or "platform:NAME"
 * @dma_bits: DMA mask width to set if dmashim drives the device, or 0
 * @flags: %DMASHIM_BIND_* flags
 *
 * Return: as dmashim_dev_get().
 */
struct dmashim_dev *dmashim_dev_find(const char *name, u32 dma_bits,
				     u32 flags)
{
	struct dmashim_dev *dd;
	struct device *dev;

	if (!strcmp(name, "default"))
		dev = get_device(dmashim_default_dd->dev);
	else
		dev = dmashim_name_to_device(name);
	if (IS_ERR(dev))
		return ERR_CAST(dev);
	dd = dmashim_dev_get(dev, dma_bits, flags);
	put_device(dev);
	return dd;
}

/**
 * dmashim_dev_read_lock() - start using a device for DMA
 * @dd: the device
 *
 * Keeps @dd from being revoked until dmashim_dev_read_unlock().
 *
 * Return: 0, -ENODEV if the device was revoked, -EINTR if a fatal signal
 * arrived while waiting for a revocation in progress.
 */
int dmashim_dev_read_lock(struct dmashim_dev *dd)
{
	if (down_read_killable(&dd->sem))
		return -EINTR;
	if (dd->gone) {
		up_read(&dd->sem);
		return -ENODEV;
	}
	return 0;
}

/**
 * dmashim_dev_read_unlock() - stop using a device for DMA
 * @dd: a device locked with dmashim_dev_read_lock()
 */
void dmashim_dev_read_unlock(struct dmashim_dev *dd)
{
	up_read(&dd->sem);
}

/*
 * Stop every use of a device for DMA, stage by stage: what drives DMA,
 * then mappings, then the device's memory, so that no memory goes while
 * anything of the device may touch it.  Newest first within a stage.
 */
static void dmashim_dev_revoke_users(struct dmashim_dev *dd)
{
	struct dmashim_user *user, *next;
	unsigned int stage;

	mutex_lock(&dd->users_lock);
	for (stage = 0; stage < DMASHIM_USER_STAGES; stage++) {
		list_for_each_entry_safe(user, next, &dd->users, node) {
			if (user->stage != stage)
				continue;
			list_del_init(&user->node);
			user->revoke(user);
		}
	}
	WARN_ON(!list_empty(&dd->users));
	mutex_unlock(&dd->users_lock);
}

/*
 * The device's driver is about to unbind, dmashim's included.  Revoke
 * before it does: the driver (or the device) is going away and DMA must
 * stop first.
 */
static int dmashim_bus_notify(struct notifier_block *nb,
			      unsigned long action, void *data)
{
	struct device *dev = data;
	struct dmashim_dev *dd = NULL, *it;

	if (action != BUS_NOTIFY_UNBIND_DRIVER)
		return NOTIFY_DONE;

	mutex_lock(&dmashim_devs_lock);
	list_for_each_entry(it, &dmashim_devs, node) {
		if (it->dev == dev) {
			dd = it;
			list_del_init(&dd->node);
			kref_get(&dd->ref);
			break;
		}
	}
	mutex_unlock(&dmashim_devs_lock);
	if (!dd)
		return NOTIFY_DONE;

	down_write(&dd->sem);
	WRITE_ONCE(dd->gone, true);
	dmashim_dev_revoke_users(dd);
	dmashim_dev_teardown(dd);
	up_write(&dd->sem);
	dev_info(dev, "dmashim: driver unbinding, device revoked\n");

	__dmashim_dev_put(dd);
	return NOTIFY_OK;
}

static struct notifier_block dmashim_platform_nb = {
	.notifier_call = dmashim_bus_notify,
};

#if IS_ENABLED(CONFIG_PCI)
static struct notifier_block dmashim_pci_nb = {
	.notifier_call = dmashim_bus_notify,
};

static int dmashim_pci_notifier_register(void)
{
	return bus_register_notifier(&pci_bus_type, &dmashim_pci_nb);
}

static void dmashim_pci_notifier_unregister(void)
{
	bus_unregister_notifier(&pci_bus_type, &dmashim_pci_nb);
}
#else
static int dmashim_pci_notifier_register(void)
{
	return 0;
}

static void dmashim_pci_notifier_unregister(void)
{
}
#endif

/**
 * dmashim_devs_init() - set up the device registry
 *
 * Registers the default device (dmashim_default_init() must have run) and
 * the bus notifiers that revoke devices.
 *
 * Return: 0 or a negative errno.
 */
int dmashim_devs_init(void)
{
	int ret;

	dmashim_default_dd = dmashim_dev_alloc(dmashim_default_device());
	if (!dmashim_default_dd)
		return -ENOMEM;
	dmashim_default_dd->is_default = true;
	dmashim_dev_setup(dmashim_default_dd);
	dmashim_dev_publish(dmashim_default_dd);

	ret = bus_register_notifier(&platform_bus_type, &dmashim_platform_nb);
	if (ret)
		goto err_default;
	ret = dmashim_pci_notifier_register();
	if (ret)
		goto err_platform;
	return 0;

err_platform:
	bus_unregister_notifier(&platform_bus_type, &dmashim_platform_nb);
err_default:
	dmashim_dev_put(dmashim_default_dd);
	return ret;
}

/**
 * dmashim_devs_exit() - tear down the device registry
 *
 * Every context is closed by now, so the default device's reference is
 * the last one.
 */
void dmashim_devs_exit(void)
{
	dmashim_pci_notifier_unregister();
	bus_unregister_notifier(&platform_bus_type, &dmashim_platform_nb);
	dmashim_dev_put(dmashim_default_dd);
	WARN_ON(!list_empty(&dmashim_devs));
}
