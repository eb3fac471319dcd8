/* rv-size-check.c: the network size check for the pages. */
#include "rv-config.h"

#include <glib/gi18n.h>

#include "rv-size-check.h"

gboolean
rv_size_check_network (const RvNetConfig *net, uint32_t batch, GError **error)
{
  uint64_t need = rv_net_config_memory (net, batch);
  if (need <= RV_NET_MAX_BYTES)
    return TRUE;
  g_autofree char *need_text = g_format_size_full (need, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *max_text = g_format_size_full (RV_NET_MAX_BYTES, G_FORMAT_SIZE_IEC_UNITS);
  /* TRANSLATORS: two amounts of memory, such as "82.5 GiB" and "4.0 GiB" */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("This network would need %s of memory, more than the %s Ravine allows; use narrower or fewer "
                 "hidden layers"),
               need_text, max_text);
  return FALSE;
}
