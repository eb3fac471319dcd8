/* rv-size-check.h: the core's network size check (rv_net_config_check_size),
 * worded in the user's language for the pages' forms. */
#pragma once

#include <gtk/gtk.h>

#include "rv-net.h"

G_BEGIN_DECLS

/* G_IO_ERROR_INVALID_ARGUMENT, translated, saying how much memory the network
 * would need, when that is more than Ravine allows (RV_NET_MAX_BYTES). */
gboolean rv_size_check_network (const RvNetConfig *net, uint32_t batch, GError **error);

G_END_DECLS
