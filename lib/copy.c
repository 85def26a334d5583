// SPDX-License-Identifier: LGPL-2.1-or-later
/* libdmashim - dmashim_copy(): one memcpy on a channel, waited for */

#include <errno.h>

#include "internal.h"

DMASHIM_EXPORT int dmashim_copy(struct dmashim_chan *chan, int dst_fd,
				size_t dst_off, int src_fd, size_t src_off,
				size_t len)
{
	struct dmashim_transfer x = {
		.size = sizeof(x),
		.kind = DMASHIM_XFER_MEMCPY,
		.src_fd = src_fd,
		.dst_fd = dst_fd,
		.src_offset = src_off,
		.dst_offset = dst_off,
		.length = len,
	};
	struct dmashim_completion rec = { .size = sizeof(rec) };
	int ret;

	ret = dmashim_chan_submit(chan, &x, 1, 0, NULL);
	if (ret)
		return ret;
	/* Records of anything else on the channel are not the caller's. */
	do {
		ret = dmashim_chan_wait(chan, &rec, 1, -1);
		if (ret < 0)
			return ret;
	} while (rec.cookie != x.cookie ||
		 (rec.flags & DMASHIM_RECORD_PERIOD));

	switch (rec.status) {
	case DMASHIM_XFER_COMPLETE:
		return 0;
	case DMASHIM_XFER_ERROR:
		return -EIO;
	case DMASHIM_XFER_ABORTED:
		return -ECANCELED;
	default:
		return -EPROTO;
	}
}
