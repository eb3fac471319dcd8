/* rv-reflow-box.h: a container that lays its children out in as many
 * columns (up to a maximum) as their minimum widths allow, in balanced rows,
 * and grows the rows into the height it is given, no taller than a
 * maximum aspect: charts side by side when wide, stacked when narrow. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RV_TYPE_REFLOW_BOX (rv_reflow_box_get_type ())
G_DECLARE_FINAL_TYPE (RvReflowBox, rv_reflow_box, RV, REFLOW_BOX, GtkWidget)

GtkWidget *rv_reflow_box_new (void);
void rv_reflow_box_append (RvReflowBox *self, GtkWidget *child);
/* Puts child right after sibling, or first for NULL. */
void rv_reflow_box_insert_after (RvReflowBox *self, GtkWidget *child, GtkWidget *sibling);
void rv_reflow_box_remove (RvReflowBox *self, GtkWidget *child);
void rv_reflow_box_remove_all (RvReflowBox *self);

/* At most this many columns (default 4). */
void rv_reflow_box_set_max_columns (RvReflowBox *self, guint max_columns);
/* A row grows into spare height up to its width × this (height / width;
 * 0: rows keep their natural height). */
void rv_reflow_box_set_max_aspect (RvReflowBox *self, double max_aspect);
/* How many columns it lays out in at this width. */
guint rv_reflow_box_columns_for_width (RvReflowBox *self, int width);

G_END_DECLS
