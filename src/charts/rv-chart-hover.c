/* rv-chart-hover.c: pointer tracking and tooltips for the chart widgets. */
#include "rv-config.h"

#include "rv-chart-hover.h"

typedef struct
{
  GtkWidget *widget;
  RvChartHover *hover;
  RvChartHoverFunc changed;
} Tracker;

typedef struct
{
  RvChartTooltipFunc describe;
} Tooltip;

static void
on_motion (GtkEventControllerMotion *controller, double x, double y, Tracker *tracker)
{
  tracker->hover->inside = TRUE;
  tracker->hover->x = x;
  tracker->hover->y = y;
  tracker->changed (tracker->widget);
}

static void
on_leave (GtkEventControllerMotion *controller, Tracker *tracker)
{
  tracker->hover->inside = FALSE;
  tracker->changed (tracker->widget);
}

void
rv_chart_hover_track (GtkWidget *widget, RvChartHover *hover, gboolean on_enter,
                      RvChartHoverFunc changed)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  Tracker *tracker = g_new (Tracker, 1);

  /* The widget owns the controller, so it outlives every signal. */
  tracker->widget = widget;
  tracker->hover = hover;
  tracker->changed = changed;
  g_object_set_data_full (G_OBJECT (motion), "rv-chart-hover", tracker, g_free);

  if (on_enter)
    g_signal_connect (motion, "enter", G_CALLBACK (on_motion), tracker);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), tracker);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), tracker);
  gtk_widget_add_controller (widget, motion);
}

static gboolean
on_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard_mode,
                  GtkTooltip *gtk_tooltip, Tooltip *tooltip)
{
  g_autofree char *text = tooltip->describe (widget, x, y, keyboard_mode);

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (gtk_tooltip, text);
  return TRUE;
}

static void
free_tooltip (gpointer tooltip, GClosure *closure)
{
  g_free (tooltip);
}

void
rv_chart_hover_set_tooltip (GtkWidget *widget, RvChartTooltipFunc describe)
{
  Tooltip *tooltip = g_new (Tooltip, 1);

  tooltip->describe = describe;
  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect_data (widget, "query-tooltip", G_CALLBACK (on_query_tooltip), tooltip,
                         free_tooltip, 0);
}
