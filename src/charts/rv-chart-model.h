/* rv-chart-model.h: how a chart widget holds its model and follows it.
 *
 * A chart keeps a reference to its model and listens to the model's change
 * signals, to redraw and to recompute what depends on the data; taking
 * another model, or none, first stops listening to the old one. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Makes *model_field (the chart's model pointer, such as an RvHistogram **)
 * hold model, or nothing for NULL: a reference of its own, the one it held
 * released once handler_ids are disconnected from it.  handler is
 * connected, swapped to chart, to each of model's signals named in signals
 * (NULL-terminated), one id per signal kept in handler_ids.  Returns FALSE,
 * changing nothing, when *model_field holds model already. */
gboolean rv_chart_model_set (gpointer model_field, gulong *handler_ids, const char *const *signals,
                             gpointer model, GCallback handler, gpointer chart);

G_END_DECLS
