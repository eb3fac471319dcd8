/* bench-init-slider.c (`meson test --benchmark`): how long the
 * Initialization page takes to show a new σ while its value slider is
 * dragged, on the default network (784-512-256-256-128-10, ReLU, normal):
 * from setting the slider to the histograms and depth chart holding the
 * preview, over STEPS drag steps from σ = 0.01 to 0.1, one at a time; then
 * the full probe shown after the release, and a change of the spin button
 * (the full probe) for comparison.  Prints the median and the largest, in
 * ms; the target is a preview within 50 ms on 2 cores. */
#include "rv-config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "app-test-util.h"
#include "rv-application.h"
#include "rv-init-page.h"
#include "rv-window.h"

#define STEPS 20
#define FULL_REPEATS 5

static RvInitPage *page;

static gboolean
result_current (gpointer data)
{
  return rv_init_page_get_requested_serial (page) > 0
         && rv_init_page_get_shown_serial (page) == rv_init_page_get_requested_serial (page);
}

static double
wait_ms (gint64 start)
{
  if (!app_test_wait_for (result_current, NULL, 120))
    g_error ("no result came");
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  const char *dir = g_getenv ("RAVINE_TEST_DATA_DIR");
  if (dir && g_file_test (dir, G_FILE_TEST_IS_DIR))
    g_setenv ("RAVINE_DATA_DIR", dir, TRUE);
  gtk_init ();

  RvApplication *app = rv_application_new ();
  g_application_register (G_APPLICATION (app), NULL, NULL);
  RvWindow *window = rv_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  gtk_window_present (GTK_WINDOW (window));
  page = RV_INIT_PAGE (rv_window_get_init_page (window));
  g_autoptr (GError) error = NULL;
  if (!rv_init_page_configure (page, "relu", "normal:0.01", "512,256,256,128", "activations", &error))
    g_error ("%s", error->message);
  wait_ms (g_get_monotonic_time ());
  const RvDataset *data = rv_init_page_get_dataset (page);

  GtkRange *scale = (GtkRange *) gtk_widget_get_template_child (GTK_WIDGET (page), RV_TYPE_INIT_PAGE, "value_scale");
  GtkSpinButton *spin = (GtkSpinButton *) gtk_widget_get_template_child (GTK_WIDGET (page), RV_TYPE_INIT_PAGE, "value");
  GtkEventController *drag = app_test_find_controller (GTK_WIDGET (scale), "value-drag");
  if (drag == NULL)
    g_error ("the slider has no drag gesture");

  double preview[STEPS];
  uint32_t preview_batch = 0;
  g_signal_emit_by_name (drag, "drag-begin", 10.0, 8.0);
  for (int i = 0; i < STEPS; i++)
    {
      /* σ from 0.01 to 0.1, evenly on the slider's log scale */
      gint64 start = g_get_monotonic_time ();
      gtk_range_set_value (scale, -2.0 + (i + 1.0) / STEPS);
      preview[i] = wait_ms (start);
      preview_batch = rv_init_page_get_result (page)->batch;
    }
  gint64 start = g_get_monotonic_time ();
  g_signal_emit_by_name (drag, "drag-end", 10.0, 0.0);
  double release = wait_ms (start);
  uint32_t full_batch = rv_init_page_get_result (page)->batch;

  double full[FULL_REPEATS];
  for (int i = 0; i < FULL_REPEATS; i++)
    {
      start = g_get_monotonic_time ();
      gtk_spin_button_set_value (spin, 0.05 + 0.01 * i);
      full[i] = wait_ms (start);
    }

  qsort (preview, STEPS, sizeof *preview, compare_doubles);
  qsort (full, FULL_REPEATS, sizeof *full, compare_doubles);
  printf ("{\"data\": \"%s\", \"preview_batch\": %u, \"steps\": %d, \"preview_median_ms\": %.1f, "
          "\"preview_max_ms\": %.1f, \"release_to_full_ms\": %.1f, \"full_batch\": %u, \"full_median_ms\": %.1f}\n",
          data && data->synthetic ? "synthetic" : "fashion-mnist", preview_batch, STEPS, preview[STEPS / 2],
          preview[STEPS - 1], release, full_batch, full[FULL_REPEATS / 2]);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  return 0;
}
