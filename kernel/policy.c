// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - who may use what through /dev/dmashim (Documentation/security.rst)
 *
 * Every decision is taken against the credentials of whoever opened the
 * context (file_ns_capable() on its file, as VFIO and others check
 * them), never against whoever happens to make the call: a descriptor
 * passed to another process carries its opener's rights, no more.  A
 * channel carries those of the context it was opened through.
 *
 * Anyone who can open the device node (root, or the group a udev rule
 * gives it) may use dmashim's default device and the channels of the
 * "safe" providers: those whose slave addresses are windows the provider
 * bounds itself (dmashim's own, by default).  Everything else needs
 * CAP_SYS_ADMIN, or an administrator's delegation by name in the
 * "delegate" parameter, as VFIO delegates a group by its device node:
 *
 *   echo "pci:0000:03:00.0 chan:dma1chan0" > /sys/module/dmashim/parameters/delegate
 *
 * A slave address of another provider is a bus address anywhere: it takes
 * CAP_SYS_RAWIO, and the kernel not being locked down, as /dev/mem does.
 * So do physical bus addresses in mapping segments.
 */

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/dmaengine.h>
#include <linux/module.h>
#include <linux/security.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include <linux/dmashim.h>
#include "dmashim.h"

/* Room for a parameter's list of names. */
#define DMASHIM_POLICY_LEN	1024

static DEFINE_SPINLOCK(dmashim_policy_lock);
static char dmashim_delegate[DMASHIM_POLICY_LEN];
static char dmashim_safe_providers[DMASHIM_POLICY_LEN] =
	"dmashim_cpudma dmashim_edu";

static int dmashim_policy_set(const char *val, const struct kernel_param *kp)
{
	size_t len = strcspn(val, "\n");

	if (len >= DMASHIM_POLICY_LEN)
		return -ENOSPC;
	spin_lock(&dmashim_policy_lock);
	memcpy(kp->arg, val, len);
	((char *)kp->arg)[len] = '\0';
	spin_unlock(&dmashim_policy_lock);
	return 0;
}

static int dmashim_policy_get(char *buffer, const struct kernel_param *kp)
{
	int len;

	spin_lock(&dmashim_policy_lock);
	len = scnprintf(buffer, PAGE_SIZE, "%s\n", (char *)kp->arg);
	spin_unlock(&dmashim_policy_lock);
	return len;
}

static const struct kernel_param_ops dmashim_policy_ops = {
	.set = dmashim_policy_set,
	.get = dmashim_policy_get,
};

module_param_cb(delegate, &dmashim_policy_ops, dmashim_delegate, 0644);
MODULE_PARM_DESC(delegate,
		 "Devices and channels anyone who can open /dev/dmashim may use, by name: \"pci:DDDD:BB:DD.F\", \"platform:NAME\", \"chan:dmaNchanM\", separated by spaces or commas");
module_param_cb(safe_providers, &dmashim_policy_ops, dmashim_safe_providers,
		0644);
MODULE_PARM_DESC(safe_providers,
		 "dmaengine drivers whose channels anyone who can open /dev/dmashim may use: their slave addresses are windows they bound themselves (default \"dmashim_cpudma dmashim_edu\")");

/* Whether @name is a word of @list (spaces and commas between words). */
static bool dmashim_policy_lists(const char *list, const char *name)
{
	size_t len = strlen(name), n;
	bool found = false;

	if (!len)
		return false;
	spin_lock(&dmashim_policy_lock);
	while (*list && !found) {
		list += strspn(list, " ,\t");
		n = strcspn(list, " ,\t");
		found = n == len && !strncmp(list, name, len);
		list += n;
	}
	spin_unlock(&dmashim_policy_lock);
	return found;
}

/**
 * dmashim_opener_capable() - whether a context's opener had a capability
 * @opener: the context's file
 * @cap: CAP_*
 *
 * Return: true if the credentials @opener was opened with have @cap.
 */
bool dmashim_opener_capable(const struct file *opener, int cap)
{
	return file_ns_capable(opener, &init_user_ns, cap);
}

/**
 * dmashim_may_bind() - whether an opener may bind to a device
 * @opener: the context's file
 * @name: the device, as DMASHIM_IOCTL_BIND names it
 *
 * Return: 0 for "default", a delegated device, or %CAP_SYS_ADMIN;
 * else -EPERM.
 */
int dmashim_may_bind(const struct file *opener, const char *name)
{
	if (!strcmp(name, "default") ||
	    dmashim_policy_lists(dmashim_delegate, name) ||
	    dmashim_opener_capable(opener, CAP_SYS_ADMIN))
		return 0;
	return -EPERM;
}

/* Whether a channel's provider bounds its slave addresses itself. */
static bool dmashim_chan_safe(struct dma_chan *chan)
{
	struct device *dev = chan->device->dev;

	return dev->driver &&
	       dmashim_policy_lists(dmashim_safe_providers, dev->driver->name);
}

/**
 * dmashim_may_use_chan() - whether an opener may take a channel
 * @opener: the context's file
 * @chan: the channel
 *
 * Return: true for a channel of a safe provider, a delegated channel
 * ("chan:NAME"), or %CAP_SYS_ADMIN.
 */
bool dmashim_may_use_chan(const struct file *opener, struct dma_chan *chan)
{
	char name[DMASHIM_CHAN_NAME_LEN + 5];

	snprintf(name, sizeof(name), "chan:%s", dma_chan_name(chan));
	return dmashim_chan_safe(chan) ||
	       dmashim_policy_lists(dmashim_delegate, name) ||
	       dmashim_opener_capable(opener, CAP_SYS_ADMIN);
}

/**
 * dmashim_may_address() - whether a channel may be given raw slave
 *	addresses
 * @chan: the channel
 * @rawio: its opener had %CAP_SYS_RAWIO
 *
 * Return: 0 for a safe provider's channel (it bounds them); else 0 with
 * @rawio on a kernel that is not locked down, -EPERM otherwise (or the
 * lockdown's error).
 */
int dmashim_may_address(struct dma_chan *chan, bool rawio)
{
	if (dmashim_chan_safe(chan))
		return 0;
	if (!rawio)
		return -EPERM;
	return security_locked_down(LOCKDOWN_DEV_MEM);
}
