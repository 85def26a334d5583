// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim_cpudma - a dmaengine provider that moves data with the CPU
 *
 * It gives every machine DMA channels, and benchmarks a baseline.  Its
 * device is a platform device with a DMA mask (the dma_bits parameter),
 * used through the DMA API like any other: clients map buffers for it and
 * hand it DMA addresses, which it turns back into memory (dma_to_phys();
 * without an IOMMU a DMA address is a bus address).  An address that is
 * not memory fails the transfer.
 *
 * Each channel has a worker thread, one lane of its own, and a window of
 * memory that stands for a device's buffer: slave and cyclic transfers
 * move data between it and memory, at device addresses from 0x40000 as
 * edu's do.  Steps are at most step_kb: pause and terminate take effect
 * between them.
 *
 * For tests, debugfs dmashim_cpudma/fail_next makes the Nth next step
 * fail (N written; 0 disarms), and step_delay_ms makes every step take
 * that long at least (0..1000), so that a transfer can be caught moving.
 */

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "vdma.h"

#define CPUDMA_WINDOW		0x40000

static unsigned int channels = 4;
module_param(channels, uint, 0444);
MODULE_PARM_DESC(channels, "Channels, 1..64 (default 4)");

/* More than dmashim's channel budget (chan_descs), so it never runs out. */
static unsigned int descs = 160;
module_param(descs, uint, 0444);
MODULE_PARM_DESC(descs, "Descriptors per channel, 1..1024 (default 160)");

static unsigned int window_kb = 64;
module_param(window_kb, uint, 0444);
MODULE_PARM_DESC(window_kb, "Window of each channel in KiB, 1..1024 (default 64)");

static unsigned int step_kb = 64;
module_param(step_kb, uint, 0444);
MODULE_PARM_DESC(step_kb, "Most KiB a step moves, 1..4096 (default 64)");

static unsigned int dma_bits = 64;
module_param(dma_bits, uint, 0444);
MODULE_PARM_DESC(dma_bits, "DMA mask width of the device, 24..64 (default 64)");

/**
 * struct cpudma_lane - a channel's worker
 * @lane: the vdma lane
 * @worker: the thread that moves its steps
 * @work: a step to move
 * @window: the memory standing for a device's buffer
 * @window_len: its bytes
 * @dev: the DMA device
 */
struct cpudma_lane {
	struct vdma_lane lane;
	struct kthread_worker *worker;
	struct kthread_work work;
	void *window;
	u32 window_len;
	struct device *dev;
};

/**
 * struct cpudma - the provider
 * @vdma: its dma_device
 * @lanes: one per channel
 * @debugfs: its debugfs directory
 */
struct cpudma {
	struct vdma_device vdma;
	struct cpudma_lane *lanes;
	struct dentry *debugfs;
};

static atomic_t cpudma_fail_next = ATOMIC_INIT(0);
static atomic_t cpudma_step_delay_ms = ATOMIC_INIT(0);
static struct platform_device *cpudma_pdev;

/*
 * Copy between memory at DMA address @addr and @buf; false if the address
 * is not memory.
 */
static bool cpudma_mem(struct device *dev, dma_addr_t addr, void *buf,
		       u32 len, bool to_mem)
{
	phys_addr_t phys = dma_to_phys(dev, addr);
	u32 chunk;
	void *p;

	while (len) {
		if (!pfn_valid(PHYS_PFN(phys)))
			return false;
		chunk = min_t(u32, len, PAGE_SIZE - offset_in_page(phys));
		p = kmap_local_page(pfn_to_page(PHYS_PFN(phys)));
		if (to_mem)
			memcpy(p + offset_in_page(phys), buf, chunk);
		else
			memcpy(buf, p + offset_in_page(phys), chunk);
		kunmap_local(p);
		phys += chunk;
		buf += chunk;
		len -= chunk;
	}
	return true;
}

/* Memory to memory, page by page through a bounce of a page. */
static bool cpudma_memcpy(struct device *dev, dma_addr_t dst, dma_addr_t src,
			  u32 len, void *page)
{
	u32 chunk;

	while (len) {
		chunk = min_t(u32, len, PAGE_SIZE);
		if (!cpudma_mem(dev, src, page, chunk, false) ||
		    !cpudma_mem(dev, dst, page, chunk, true))
			return false;
		src += chunk;
		dst += chunk;
		len -= chunk;
	}
	return true;
}

static void cpudma_work(struct kthread_work *work)
{
	struct cpudma_lane *cl = container_of(work, struct cpudma_lane, work);
	const struct vdma_step *s = &cl->lane.step;
	void *win = cl->window + (s->dev - CPUDMA_WINDOW);
	unsigned int delay = atomic_read(&cpudma_step_delay_ms);
	bool ok;

	if (delay)
		msleep(delay);
	if (atomic_read(&cpudma_fail_next) &&
	    atomic_dec_and_test(&cpudma_fail_next))
		ok = false;
	else if (s->dir == DMA_MEM_TO_MEM)
		/* The window is free scratch space for a memcpy. */
		ok = cpudma_memcpy(cl->dev, s->dev, s->mem, s->len, cl->window);
	else
		ok = cpudma_mem(cl->dev, s->mem, win, s->len,
				s->dir == DMA_DEV_TO_MEM);
	vdma_step_done(&cl->lane, ok);
}

/*
 * The channel changes hands: what its last owner left in the window goes,
 * so that a new owner (another user, maybe) never reads it.  The last
 * owner's transfers were terminated and synchronised when it let go.
 */
static int cpudma_alloc_chan_resources(struct dma_chan *chan)
{
	struct vdma_chan *c = container_of(chan, struct vdma_chan, vc.chan);
	struct cpudma_lane *cl = container_of(c->lane, struct cpudma_lane,
					      lane);

	memset(cl->window, 0, cl->window_len);
	return 0;
}

static void cpudma_start(struct vdma_lane *lane, const struct vdma_step *step)
{
	struct cpudma_lane *cl = container_of(lane, struct cpudma_lane, lane);

	kthread_queue_work(cl->worker, &cl->work);
}

static const struct vdma_lane_ops cpudma_lane_ops = {
	.start = cpudma_start,
};

static int cpudma_fail_get(void *data, u64 *val)
{
	*val = atomic_read(&cpudma_fail_next);
	return 0;
}

static int cpudma_fail_set(void *data, u64 val)
{
	if (val > INT_MAX)
		return -EINVAL;
	atomic_set(&cpudma_fail_next, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(cpudma_fail_fops, cpudma_fail_get, cpudma_fail_set,
			 "%llu\n");

static int cpudma_delay_get(void *data, u64 *val)
{
	*val = atomic_read(&cpudma_step_delay_ms);
	return 0;
}

static int cpudma_delay_set(void *data, u64 val)
{
	if (val > 1000)
		return -EINVAL;
	atomic_set(&cpudma_step_delay_ms, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(cpudma_delay_fops, cpudma_delay_get,
			 cpudma_delay_set, "%llu\n");

/* Teardown, as devm actions: they run in reverse order at unbind. */
static void cpudma_destroy_worker(void *data)
{
	kthread_destroy_worker(data);
}

static void cpudma_unregister(void *data)
{
	vdma_unregister(data);
}

static void cpudma_remove_debugfs(void *data)
{
	debugfs_remove(data);
}

static int cpudma_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	u32 window_len = window_kb * SZ_1K;
	struct cpudma_lane *cl;
	struct cpudma *cd;
	unsigned int i;
	int ret;

	cd = devm_kzalloc(dev, sizeof(*cd), GFP_KERNEL);
	if (!cd)
		return -ENOMEM;
	cd->lanes = devm_kcalloc(dev, channels, sizeof(*cd->lanes),
				 GFP_KERNEL);
	if (!cd->lanes)
		return -ENOMEM;
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(dma_bits));
	if (ret)
		return ret;

	cd->vdma.window = CPUDMA_WINDOW;
	cd->vdma.window_len = window_len;
	cd->vdma.max_step = min(step_kb * SZ_1K, window_len);
	ret = vdma_init(&cd->vdma, dev, channels, descs);
	if (ret)
		return ret;
	cd->vdma.ddev.device_alloc_chan_resources = cpudma_alloc_chan_resources;

	for (i = 0; i < channels; i++) {
		cl = &cd->lanes[i];
		cl->dev = dev;
		cl->window = devm_kzalloc(dev, window_len, GFP_KERNEL);
		if (!cl->window)
			return -ENOMEM;
		cl->window_len = window_len;
		cl->worker = kthread_create_worker(0, "dmashim-cpudma/%u", i);
		if (IS_ERR(cl->worker))
			return PTR_ERR(cl->worker);
		ret = devm_add_action_or_reset(dev, cpudma_destroy_worker,
					       cl->worker);
		if (ret)
			return ret;
		kthread_init_work(&cl->work, cpudma_work);
		vdma_lane_init(&cl->lane, &cpudma_lane_ops);
		cd->vdma.chans[i].lane = &cl->lane;
	}

	ret = vdma_register(&cd->vdma);
	if (ret)
		return ret;
	ret = devm_add_action_or_reset(dev, cpudma_unregister, &cd->vdma);
	if (ret)
		return ret;
	cd->debugfs = debugfs_create_dir("dmashim_cpudma", NULL);
	debugfs_create_file_unsafe("fail_next", 0600, cd->debugfs, NULL,
				   &cpudma_fail_fops);
	debugfs_create_file_unsafe("step_delay_ms", 0600, cd->debugfs, NULL,
				   &cpudma_delay_fops);
	return devm_add_action_or_reset(dev, cpudma_remove_debugfs,
					cd->debugfs);
}

/* No remove: the devm actions above undo the probe. */
static struct platform_driver cpudma_driver = {
	.driver = {
		.name = KBUILD_MODNAME,
	},
	.probe = cpudma_probe,
};

static int __init cpudma_init(void)
{
	struct platform_device_info info = {
		.name = KBUILD_MODNAME,
		.id = PLATFORM_DEVID_NONE,
	};
	int ret;

	if (!channels || channels > 64 || !descs || descs > 1024 ||
	    !window_kb || window_kb > 1024 || !step_kb || step_kb > 4096 ||
	    dma_bits < 24 || dma_bits > 64)
		return -EINVAL;
	info.dma_mask = DMA_BIT_MASK(dma_bits);

	ret = platform_driver_register(&cpudma_driver);
	if (ret)
		return ret;
	cpudma_pdev = platform_device_register_full(&info);
	if (IS_ERR(cpudma_pdev)) {
		platform_driver_unregister(&cpudma_driver);
		return PTR_ERR(cpudma_pdev);
	}
	if (!cpudma_pdev->dev.driver) {
		/* The probe failed; its error is in the log. */
		platform_device_unregister(cpudma_pdev);
		platform_driver_unregister(&cpudma_driver);
		return -ENODEV;
	}
	return 0;
}

static void __exit cpudma_exit(void)
{
	platform_device_unregister(cpudma_pdev);
	platform_driver_unregister(&cpudma_driver);
}

module_init(cpudma_init);
module_exit(cpudma_exit);

MODULE_DESCRIPTION("dmaengine provider that moves data with the CPU");
MODULE_LICENSE("GPL");
