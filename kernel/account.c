// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim - charging what a user makes dmashim hold: memory
 *
 * Buffer memory (allocated or pinned) cannot be swapped or reclaimed
 * while the buffer lives, so it is charged as locked memory: to the
 * RLIMIT_MEMLOCK of the user who opened the context, per user (the
 * user_struct's locked_vm, as io_uring and BPF charge it), not per
 * process, which a fork() would multiply.  An opener with CAP_IPC_LOCK
 * is not limited.  Allocated pages are also charged to the caller's
 * memory cgroup (__GFP_ACCOUNT, buffer.c).  The charge goes with the
 * buffer's last reference, whoever drops it.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>

#include "dmashim.h"

/**
 * dmashim_charge_pages() - charge pages to a context opener's locked memory
 * @charge: receives the charge, for dmashim_uncharge_pages()
 * @opener: the context's file
 * @nr_pages: pages
 *
 * Return: 0, or -ENOMEM if the opener's user would exceed its
 * RLIMIT_MEMLOCK (and the opener lacks %CAP_IPC_LOCK).
 */
int dmashim_charge_pages(struct dmashim_charge *charge,
			 const struct file *opener, unsigned long nr_pages)
{
	struct user_struct *user = opener->f_cred->user;
	unsigned long limit, cur, new;

	charge->user = NULL;
	charge->pages = 0;
	if (dmashim_opener_capable(opener, CAP_IPC_LOCK))
		return 0;
	limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	cur = atomic_long_read(&user->locked_vm);
	do {
		new = cur + nr_pages;
		if (new < cur || new > limit)
			return -ENOMEM;
	} while (!atomic_long_try_cmpxchg(&user->locked_vm, &cur, new));
	charge->user = get_uid(user);
	charge->pages = nr_pages;
	return 0;
}

/**
 * dmashim_uncharge_pages() - give a charge back
 * @charge: from dmashim_charge_pages(), or zeroed; zeroed again
 */
void dmashim_uncharge_pages(struct dmashim_charge *charge)
{
	if (!charge->user)
		return;
	atomic_long_sub(charge->pages, &charge->user->locked_vm);
	free_uid(charge->user);
	charge->user = NULL;
	charge->pages = 0;
}
