// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim_edu - dmaengine provider for QEMU's edu device (1234:11e8)
 *
 * edu has one DMA engine that copies between memory and a 4 KiB buffer of
 * its own at bus address 0x40000, one transfer at a time, and raises MSI
 * 0x100 when a transfer is over (acknowledged at register 0x64).  QEMU
 * truncates its DMA addresses to 28 bits, so the driver sets a 28-bit
 * mask, and every transfer goes through the IOMMU when there is one.
 *
 * The buffer is the window of slave transfers; a memcpy is two transfers
 * per step, memory to buffer and buffer to memory.  A transfer that
 * reaches the buffer's last byte aborts the whole VM on QEMU 7.2, so the
 * window, and a step, is 4095 bytes.  The channels share the engine: one
 * vdma lane.  A completion interrupt that never comes (the engine is
 * idle, yet its step did not end) is noticed by a timer.
 */

#include <linux/interrupt.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/timer.h>

#include "vdma.h"

#define EDU_IRQ_STATUS		0x24
#define EDU_IRQ_ACK		0x64
#define EDU_DMA_SRC		0x80
#define EDU_DMA_DST		0x88
#define EDU_DMA_CNT		0x90
#define EDU_DMA_CMD		0x98
#define   EDU_CMD_RUN		BIT(0)
#define   EDU_CMD_TO_RAM	BIT(1)
#define   EDU_CMD_IRQ		BIT(2)
#define EDU_IRQ_DMA		0x100

#define EDU_BUF			0x40000
#define EDU_WINDOW_LEN		(4096 - 1)
#define EDU_DMA_BITS		28
/* A transfer takes 100 ms of the guest's virtual time. */
#define EDU_STALL_CHECK		(2 * HZ)

static unsigned int channels = 2;
module_param(channels, uint, 0444);
MODULE_PARM_DESC(channels, "dmaengine channels per edu device, 1..16 (default 2)");

/* More than dmashim's channel budget (chan_descs), so it never runs out. */
static unsigned int descs = 160;
module_param(descs, uint, 0444);
MODULE_PARM_DESC(descs, "Descriptors per channel, 1..1024 (default 160)");

enum edu_phase {
	EDU_IDLE,
	EDU_SLAVE,	/* the one transfer of a slave step */
	EDU_COPY_IN,	/* memcpy: memory to buffer */
	EDU_COPY_OUT,	/* memcpy: buffer to memory */
};

/**
 * struct edu - one edu device
 * @vdma: its dma_device
 * @lane: its engine
 * @regs: BAR 0
 * @lock: protects @phase and the engine's registers
 * @phase: what the engine does
 * @step: the step it does it for
 * @stall: checks an engine that took long whether it finished unheard
 */
struct edu {
	struct vdma_device vdma;
	struct vdma_lane lane;
	void __iomem *regs;
	spinlock_t lock;	/* see above */
	enum edu_phase phase;
	struct vdma_step step;
	struct timer_list stall;
};

static void edu_transfer(struct edu *edu, dma_addr_t src, dma_addr_t dst,
			 u32 len, bool to_ram)
{
	writeq(src, edu->regs + EDU_DMA_SRC);
	writeq(dst, edu->regs + EDU_DMA_DST);
	writeq(len, edu->regs + EDU_DMA_CNT);
	writeq(EDU_CMD_RUN | EDU_CMD_IRQ | (to_ram ? EDU_CMD_TO_RAM : 0),
	       edu->regs + EDU_DMA_CMD);
	mod_timer(&edu->stall, jiffies + EDU_STALL_CHECK);
}

static void edu_start(struct vdma_lane *lane, const struct vdma_step *step)
{
	struct edu *edu = container_of(lane, struct edu, lane);
	unsigned long flags;

	spin_lock_irqsave(&edu->lock, flags);
	edu->step = *step;
	switch (step->dir) {
	case DMA_MEM_TO_MEM:
		edu->phase = EDU_COPY_IN;
		edu_transfer(edu, step->mem, EDU_BUF, step->len, false);
		break;
	case DMA_MEM_TO_DEV:
		edu->phase = EDU_SLAVE;
		edu_transfer(edu, step->mem, step->dev, step->len, false);
		break;
	default:
		edu->phase = EDU_SLAVE;
		edu_transfer(edu, step->dev, step->mem, step->len, true);
		break;
	}
	spin_unlock_irqrestore(&edu->lock, flags);
}

/*
 * The engine finished a transfer.  Returns true if that ends the step;
 * a memcpy goes on with its second half.  @lock is held.
 */
static bool edu_transfer_done(struct edu *edu)
{
	if (edu->phase == EDU_COPY_IN) {
		edu->phase = EDU_COPY_OUT;
		edu_transfer(edu, EDU_BUF, edu->step.dev, edu->step.len, true);
		return false;
	}
	edu->phase = EDU_IDLE;
	del_timer(&edu->stall);
	return true;
}

static irqreturn_t edu_irq(int irq, void *data)
{
	struct edu *edu = data;
	bool done = false;
	u32 status;

	/* Under the lock: the stall check must not take this event too. */
	spin_lock(&edu->lock);
	status = readl(edu->regs + EDU_IRQ_STATUS);
	if (status)
		writel(status, edu->regs + EDU_IRQ_ACK);
	if (status & EDU_IRQ_DMA && edu->phase != EDU_IDLE)
		done = edu_transfer_done(edu);
	spin_unlock(&edu->lock);

	if (done)
		vdma_step_done(&edu->lane, true);
	return status ? IRQ_HANDLED : IRQ_NONE;
}

static void edu_stall_check(struct timer_list *t)
{
	struct edu *edu = from_timer(edu, t, stall);
	unsigned long flags;
	bool done = false;

	spin_lock_irqsave(&edu->lock, flags);
	if (edu->phase == EDU_IDLE ||
	    readq(edu->regs + EDU_DMA_CMD) & EDU_CMD_RUN ||
	    readl(edu->regs + EDU_IRQ_STATUS) & EDU_IRQ_DMA) {
		/* Still moving, or its interrupt is on its way. */
		if (edu->phase != EDU_IDLE)
			mod_timer(&edu->stall, jiffies + EDU_STALL_CHECK);
	} else {
		dev_warn_ratelimited(edu->vdma.ddev.dev,
				     "DMA completion interrupt lost\n");
		done = edu_transfer_done(edu);
	}
	spin_unlock_irqrestore(&edu->lock, flags);

	if (done)
		vdma_step_done(&edu->lane, true);
}

static const struct vdma_lane_ops edu_lane_ops = {
	.start = edu_start,
};

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct edu *edu;
	unsigned int i;
	int ret;

	if (!channels || channels > 16 || !descs || descs > 1024)
		return -EINVAL;
	edu = devm_kzalloc(dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	spin_lock_init(&edu->lock);
	timer_setup(&edu->stall, edu_stall_check, 0);

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (ret)
		return ret;
	edu->regs = pcim_iomap_table(pdev)[0];
	pci_set_master(pdev);
	/* edu truncates addresses beyond its mask instead of failing. */
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(EDU_DMA_BITS));
	if (ret)
		return ret;

	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0)
		return ret;
	ret = devm_request_irq(dev, pci_irq_vector(pdev, 0), edu_irq, 0,
			       KBUILD_MODNAME, edu);
	if (ret)
		return ret;

	edu->vdma.window = EDU_BUF;
	edu->vdma.window_len = EDU_WINDOW_LEN;
	edu->vdma.max_step = EDU_WINDOW_LEN;
	edu->vdma.no_start_at_page_end = true;
	ret = vdma_init(&edu->vdma, dev, channels, descs);
	if (ret)
		return ret;
	vdma_lane_init(&edu->lane, &edu_lane_ops);
	for (i = 0; i < channels; i++)
		edu->vdma.chans[i].lane = &edu->lane;

	ret = vdma_register(&edu->vdma);
	if (ret)
		return ret;
	pci_set_drvdata(pdev, edu);
	return 0;
}

static void edu_remove(struct pci_dev *pdev)
{
	struct edu *edu = pci_get_drvdata(pdev);

	vdma_unregister(&edu->vdma);
	del_timer_sync(&edu->stall);
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name = KBUILD_MODNAME,
	.id_table = edu_ids,
	.probe = edu_probe,
	.remove = edu_remove,
};
module_pci_driver(edu_driver);

MODULE_DESCRIPTION("dmaengine provider for QEMU's edu device");
MODULE_LICENSE("GPL");
