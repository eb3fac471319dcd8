/* rv-chart-hover.h: the pointer and tooltip plumbing of the chart widgets.
 *
 * A chart keeps where the pointer is in an RvChartHover that a motion
 * controller updates, and draws its hover highlight or read-out from it;
 * after each update it is told, to recompute what lies under the pointer
 * or just to queue a redraw.  A chart's tooltip text comes from one
 * function, for the pointer (what is under it) and for the keyboard (the
 * chart as a whole). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean inside;   /* the pointer is over the widget */
  double x, y;       /* where it last was, in widget coordinates */
} RvChartHover;

/* Called on widget after its RvChartHover changed. */
typedef void (*RvChartHoverFunc) (GtkWidget *widget);

/* Adds a motion controller to widget that keeps *hover (a part of widget)
 * up to date and then calls changed.  With on_enter, entering counts as a
 * move too, so a widget that appears under a still pointer sees it at
 * once; without, only the first motion does. */
void rv_chart_hover_track (GtkWidget *widget, RvChartHover *hover, gboolean on_enter,
                           RvChartHoverFunc changed);

/* The tooltip text at (x, y), or with keyboard_mode for the widget as a
 * whole; NULL for no tooltip. */
typedef char *(*RvChartTooltipFunc) (GtkWidget *widget, int x, int y, gboolean keyboard_mode);

/* Gives widget a tooltip whose text describe makes. */
void rv_chart_hover_set_tooltip (GtkWidget *widget, RvChartTooltipFunc describe);

G_END_DECLS
