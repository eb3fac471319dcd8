/* rv-chart-accessible.c: a chart widget's accessible label and description. */
#include "rv-config.h"

#include "rv-chart-accessible.h"

void
rv_chart_accessible_update (GtkWidget *widget, const char *label, char *description, char **last)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  if (last != NULL && g_strcmp0 (description, *last) == 0)
    {
      g_free (description);
      return;
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  if (last != NULL)
    {
      g_free (*last);
      *last = description;
    }
  else
    g_free (description);
}
