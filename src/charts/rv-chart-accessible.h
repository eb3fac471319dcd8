/* rv-chart-accessible.h: how a chart widget describes itself to assistive
 * technologies.
 *
 * A chart is an image (GTK_ACCESSIBLE_ROLE_IMG) labelled with its title and
 * described by a one-line summary of what it shows, which the chart keeps
 * in step with its data. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Sets widget's accessible label and description; takes description.
 * With last, the description is set only when it differs from *last, and
 * then kept there (the caller frees *last): a live chart's data changes
 * many times a second, and assistive technologies should hear only of
 * changes to what they are told. */
void rv_chart_accessible_update (GtkWidget *widget, const char *label, char *description,
                                 char **last);

G_END_DECLS
