/* rv-chart-model.c: a chart widget's reference to its model, and its
 * handlers of the model's change signals. */
#include "rv-config.h"

#include "rv-chart-model.h"

gboolean
rv_chart_model_set (gpointer model_field, gulong *handler_ids, const char *const *signals,
                    gpointer model, GCallback handler, gpointer chart)
{
  GObject **field = model_field;

  g_return_val_if_fail (model == NULL || G_IS_OBJECT (model), FALSE);

  if (*field == model)
    return FALSE;
  if (*field != NULL)
    for (guint i = 0; signals[i] != NULL; i++)
      g_clear_signal_handler (&handler_ids[i], *field);
  g_set_object (field, model);
  if (model != NULL)
    for (guint i = 0; signals[i] != NULL; i++)
      handler_ids[i] = g_signal_connect_swapped (model, signals[i], handler, chart);
  return TRUE;
}
