/* rv-window.c: the main window, a view switcher over the three pages.  The
 * pages say what they will hold until their issues land; nothing is faked. */
#include "rv-config.h"

#include <glib/gi18n.h>

#include "rv-dataset.h"
#include "rv-window.h"

struct _RvWindow
{
  AdwApplicationWindow parent_instance;

  AdwViewStack *stack;
  GtkLabel *data_banner;
};

G_DEFINE_FINAL_TYPE (RvWindow, rv_window, ADW_TYPE_APPLICATION_WINDOW)

/* Says which data set the app will use, and how to get the real one. */
static void
update_data_banner (RvWindow *self)
{
  g_autofree char *dir = rv_dataset_find_dir (NULL);
  g_autofree char *probe = g_build_filename (dir, "train-images-idx3-ubyte.gz", NULL);
  gboolean real = g_file_test (probe, G_FILE_TEST_IS_REGULAR);
  g_autofree char *title = real
    ? g_strdup_printf (_("Using FashionMNIST from %s"), dir)
    : g_strdup_printf (_("FashionMNIST was not found in %s: the synthetic data set will be used. "
                         "Put the four .gz files there, or set RAVINE_DATA_DIR."), dir);
  gtk_label_set_label (self->data_banner, title);
}

static void
rv_window_class_init (RvWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ravine/Ravine/ui/rv-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RvWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RvWindow, data_banner);
}

static void
rv_window_init (RvWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_data_banner (self);
}

RvWindow *
rv_window_new (RvApplication *app)
{
  return g_object_new (RV_TYPE_WINDOW, "application", app, NULL);
}
