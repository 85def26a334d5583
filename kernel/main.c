// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - DMA mapping and IOMMU shim: module entry and /dev/dmashim
 *
 * Each open of /dev/dmashim is a context (context.c) bound to one device
 * (device.c); the ioctls (ioctl.c) act on that device.
 */

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>

#include <linux/dmashim.h>
#include "dmashim.h"

/* Work that may outlive every file: drained before the module goes. */
struct workqueue_struct *dmashim_wq;

static unsigned int default_dma_bits = 64;
module_param(default_dma_bits, uint, 0444);
MODULE_PARM_DESC(default_dma_bits,
		 "DMA mask width of the default device, 1..64 (default 64)");

static int dmashim_open(struct inode *inode, struct file *file)
{
	struct dmashim_ctx *ctx;

	ctx = dmashim_ctx_create(file);
	if (!ctx)
		return -ENOMEM;
	file->private_data = ctx;
	return 0;
}

static int dmashim_release(struct inode *inode, struct file *file)
{
	dmashim_ctx_destroy(file->private_data);
	return 0;
}

static const struct file_operations dmashim_fops = {
	.owner = THIS_MODULE,
	.open = dmashim_open,
	.release = dmashim_release,
	.unlocked_ioctl = dmashim_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice dmashim_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "dmashim",
	.fops = &dmashim_fops,
};

static int __init dmashim_init(void)
{
	int ret;

	dmashim_wq = alloc_workqueue("dmashim", 0, 0);
	if (!dmashim_wq)
		return -ENOMEM;
	dmashim_debugfs_init();
	ret = dmashim_claim_init();
	if (ret)
		goto err_debugfs;
	ret = dmashim_default_init(default_dma_bits);
	if (ret)
		goto err_claim;
	ret = dmashim_devs_init();
	if (ret)
		goto err_default;
	ret = misc_register(&dmashim_misc);
	if (ret)
		goto err_devs;
	return 0;

err_devs:
	dmashim_devs_exit();
err_default:
	dmashim_default_exit();
err_claim:
	dmashim_claim_exit();
err_debugfs:
	dmashim_debugfs_exit();
	destroy_workqueue(dmashim_wq);
	return ret;
}

static void __exit dmashim_exit(void)
{
	misc_deregister(&dmashim_misc);
	dmashim_devs_exit();
	dmashim_default_exit();
	dmashim_claim_exit();
	dmashim_debugfs_exit();
	/* Fences return to their pools after an RCU grace period. */
	rcu_barrier();
	destroy_workqueue(dmashim_wq);
}

module_init(dmashim_init);
module_exit(dmashim_exit);

MODULE_DESCRIPTION("DMA mapping and IOMMU shim for userspace");
MODULE_LICENSE("GPL");
/* The uAPI's version (Documentation/uapi.rst): 1.0 until it grows. */
MODULE_VERSION("1.0");
MODULE_IMPORT_NS(DMA_BUF);
