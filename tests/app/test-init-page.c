/* test-init-page.c: the Initialization page driven as a person would, under
 * Xvfb: what its widgets hold must equal the core's own numbers. */
#include "rv-config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "app-test-util.h"
#include "rv-application.h"
#include "rv-init-page.h"
#include "rv-json.h"
#include "rv-labels.h"
#include "rv-plot.h"
#include "rv-setup.h"
#include "rv-mlp-weights.h"
#include "rv-window.h"
#include "rv-worker.h"

static RvApplication *app;
static RvWindow *window;
static RvInitPage *page;
static RvDataset *data;
static const char *ravine_path;

static gboolean
result_current (gpointer user_data)
{
  return rv_init_page_get_requested_serial (page) > 0
         && rv_init_page_get_shown_serial (page) == rv_init_page_get_requested_serial (page);
}

static void
wait_for_result (void)
{
  g_assert_true (app_test_wait_for (result_current, NULL, 120));
}

static gpointer
child (const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (page), RV_TYPE_INIT_PAGE, name);
}

/* Every histogram the page shows, and the depth chart, hold the core's figures. */
static void
assert_page_matches_core (void)
{
  const RvProbeConfig *shown = rv_init_page_get_config (page);
  g_assert_nonnull (shown);
  RvProbeConfig cfg = *shown;
  cfg.kde = FALSE;
  RvProbeResult core;
  g_autoptr (GError) error = NULL;
  if (rv_init_page_get_weights (page))
    {
      /* a loaded model: the core's probe of the file's network */
      g_autoptr (RvNet) net = rv_mlp_weights_load (rv_init_page_get_weights (page), cfg.net.act, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (net->cfg.sizes, sizeof net->cfg.sizes, cfg.net.sizes, sizeof cfg.net.sizes);
      g_assert_true (rv_probe_run_net (net, &cfg, data, &core, &error));
    }
  else
    g_assert_true (rv_probe_run (&cfg, data, &core, &error));

  for (int k = 0; k < RV_PROBE_N_KINDS; k++)
    {
      RvHistogramGrid *grid = rv_init_page_get_grid (page, k);
      /* f(z) for the hidden layers only: the logits have no activation */
      const uint32_t n_layers = k == RV_PROBE_POST_ACTIVATION ? core.n_linear - 1 : core.n_linear;
      g_assert_cmpuint (rv_histogram_grid_get_n_views (grid), ==, n_layers);
      for (uint32_t l = 0; l < n_layers; l++)
        {
          RvHistogram *h = rv_histogram_view_get_model (rv_histogram_grid_get_view (grid, l));
          const RvStats *want = rv_probe_result_stats (&core, k, l);
          g_assert_cmpfloat (rv_histogram_get_variance (h), ==, want->variance);
          g_assert_cmpfloat (rv_histogram_get_mean (h), ==, want->mean);
          g_assert_cmpuint (rv_histogram_get_n_bins (h), ==, want->n_bins);
          g_assert_cmpmem (rv_histogram_get_counts (h), want->n_bins * sizeof (guint64), want->counts,
                           want->n_bins * sizeof (guint64));
          const double *x, *y;
          g_assert_cmpuint (rv_histogram_get_kde (h, &x, &y), ==, RV_PROBE_KDE_POINTS);
          /* a title as the tutorial writes it */
          g_autofree char *dims = k == RV_PROBE_POST_ACTIVATION
                                  ? g_strdup_printf ("Layer %u: %s, %u units", 2 * l + 1,
                                                     rv_label_activation (cfg.net.act), core.fan_out[l])
                                  : g_strdup_printf ("(%u → %u)", core.fan_in[l], core.fan_out[l]);
          g_assert_nonnull (strstr (rv_histogram_get_title (h), dims));
          g_autofree char *summary = rv_histogram_view_dup_summary (rv_histogram_grid_get_view (grid, l));
          g_assert_nonnull (strstr (summary, "variance"));
        }
    }

  RvCurveSet *curves = rv_curve_view_get_model (rv_init_page_get_depth_view (page));
  g_assert_cmpuint (rv_curve_set_get_n_points (curves, 0), ==, core.n_linear);
  for (uint32_t l = 0; l < core.n_linear; l++)
    {
      g_assert_cmpfloat (rv_curve_set_get_y (curves, 0)[l], ==, core.activation[l].variance);
      g_assert_cmpfloat (rv_curve_set_get_y (curves, 1)[l], ==, core.gradient[l].variance);
    }
  rv_probe_result_clear (&core);
}

static void
test_first_result (void)
{
  wait_for_result ();
  assert_page_matches_core ();
  g_autofree char *banner = rv_init_page_describe_data (page);
  g_assert_nonnull (banner);
  g_assert_nonnull (strstr (banner, data->synthetic ? "synthetic" : "FashionMNIST"));
  /* what the class sees names the data, never a local folder */
  g_assert_null (strchr (banner, '/'));
  if (!data->synthetic)
    g_assert_nonnull (rv_init_page_get_data_source (page));
  /* the app icon comes with the binary, installed or not */
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (window)));
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID));
  app_test_maybe_screenshot (GTK_WIDGET (window), "initialization");
}

static void
test_drive_controls (void)
{
  gtk_drop_down_set_selected (child ("activation"), RV_ACT_TANH);
  gtk_drop_down_set_selected (child ("initializer"), RV_INIT_XAVIER);
  gtk_editable_set_text (child ("hidden"), "256,128,64");
  wait_for_result ();
  const RvProbeConfig *cfg = rv_init_page_get_config (page);
  g_assert_cmpint (cfg->net.act, ==, RV_ACT_TANH);
  g_assert_cmpint (cfg->init.kind, ==, RV_INIT_XAVIER);
  g_assert_cmpuint (cfg->net.n_linear, ==, 4);
  g_assert_cmpuint (cfg->net.sizes[3], ==, 64);
  assert_page_matches_core ();

  /* the value control appears for the initializers that take one */
  g_assert_false (gtk_widget_get_visible (child ("value")));
  gtk_drop_down_set_selected (child ("initializer"), RV_INIT_NORMAL);
  gtk_spin_button_set_value (child ("value"), 0.05);
  g_assert_true (gtk_widget_get_visible (child ("value")));
  wait_for_result ();
  g_assert_cmpint (rv_init_page_get_config (page)->init.kind, ==, RV_INIT_NORMAL);
  g_assert_cmpfloat (rv_init_page_get_config (page)->init.value, ==, 0.05f);
  assert_page_matches_core ();
}

/* The formula card states each layer's σ; the weights the page drew have
 * that spread (sample variance within a few of its standard errors). */
static void
test_formula_card (void)
{
  static const char *const inits[] = { "const:0.005", "normal:0.03", "equal-var", "xavier", "kaiming",
                                       "xavier-normal", "kaiming-uniform", "orthogonal" };
  GtkLabel *card = rv_init_page_get_formula_card (page);
  for (gsize i = 0; i < G_N_ELEMENTS (inits); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (rv_init_page_configure (page, "tanh", inits[i], "256,128,64", NULL, &error));
      wait_for_result ();
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (card)));
      const char *text = gtk_label_get_label (card);
      const RvProbeConfig *cfg = rv_init_page_get_config (page);
      g_assert_nonnull (strstr (text, rv_label_init_formula (cfg->init.kind)));
      RvHistogramGrid *grid = rv_init_page_get_grid (page, RV_PROBE_WEIGHT);
      for (uint32_t l = 0; l < cfg->net.n_linear; l++)
        {
          double sigma = rv_init_page_get_formula_sigma (page, l);
          g_autofree char *shown = rv_plot_format_number ("%.4g", sigma);
          g_assert_nonnull (strstr (text, shown));
          RvHistogram *h = rv_histogram_view_get_model (rv_histogram_grid_get_view (grid, l));
          double var = rv_histogram_get_variance (h);
          double n = (double) cfg->net.sizes[l] * cfg->net.sizes[l + 1];
          double tolerance = 6.0 * sigma * sigma * sqrt (2.0 / n) + 1e-12;
          if (fabs (var - sigma * sigma) > tolerance)
            g_error ("%s, layer %u: weight variance %g, the card says σ = %g (σ² = %g)", inits[i], l, var, sigma,
                     sigma * sigma);
        }
    }
  /* LSUV depends on the data: the card says so and gives no σ */
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_init_page_configure (page, "relu", "lsuv", NULL, NULL, &error));
  wait_for_result ();
  g_assert_true (isnan (rv_init_page_get_formula_sigma (page, 0)));
  g_assert_null (strstr (gtk_label_get_label (card), "σ = 0"));
  g_assert_true (rv_init_page_configure (page, "relu", "kaiming", "512,256,256,128", NULL, &error));
  wait_for_result ();
}

/* The percent a caption line such as "dead: 12 % of units" shows, read
 * back from the text (the reader's decimal sign either way). */
static double
caption_percent (const char *line, const char *prefix)
{
  g_assert_true (g_str_has_prefix (line, prefix));
  g_autofree char *number = g_strdup (line + strlen (prefix));
  g_strdelimit (number, ",", '.');
  char *end = NULL;
  double v = g_ascii_strtod (number, &end);
  g_assert_true (end != number);
  g_assert_true (g_str_has_prefix (end, " %"));
  return v;
}

/* The f(z) view, chosen with its button: one panel per hidden layer, each
 * captioned under its variance with the share dead (ReLU) or saturated
 * (tanh), as the core counts it; none for GELU, which has neither. */
static void
test_post_activations (void)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_init_page_configure (page, "relu", "kaiming", "512,256,256,128", "activations", &error));
  gtk_toggle_button_set_active (child ("show_post"), TRUE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child ("views")), ==, "post-activations");
  g_assert_true (gtk_widget_get_sensitive (child ("display")));
  RvHistogramGrid *grid = rv_init_page_get_grid (page, RV_PROBE_POST_ACTIVATION);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (grid)));

  const struct { const char *act, *init, *prefix, *suffix; } cases[] = {
    { "relu", "kaiming", "dead: ", " % of units" },
    { "tanh", "normal:0.1", "saturated: ", " %" },
    { "sigmoid", "xavier", "saturated: ", " %" },
    { "gelu", "kaiming", NULL, NULL },
  };
  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_assert_true (rv_init_page_configure (page, cases[c].act, cases[c].init, NULL, NULL, &error));
      wait_for_result ();
      assert_page_matches_core ();
      /* the view stays the one the person chose */
      g_assert_cmpstr (gtk_stack_get_visible_child_name (child ("views")), ==, "post-activations");
      const RvProbeResult *res = rv_init_page_get_result (page);
      g_assert_cmpuint (rv_histogram_grid_get_n_views (grid), ==, 4);
      for (guint l = 0; l < 4; l++)
        {
          RvHistogramView *view = rv_histogram_grid_get_view (grid, l);
          g_autofree char *caption = rv_histogram_view_dup_caption (view);
          g_auto (GStrv) lines = g_strsplit (caption, "\n", -1);
          g_test_message ("%s %s, panel %u: %s", cases[c].act, cases[c].init, l, caption);
          g_assert_true (g_str_has_prefix (lines[0], "variance "));
          if (cases[c].prefix == NULL)
            {
              g_assert_cmpuint (g_strv_length (lines), ==, 1);
              continue;
            }
          g_assert_cmpuint (g_strv_length (lines), ==, 2);
          g_assert_true (g_str_has_suffix (lines[1], cases[c].suffix));
          double want = 100.0 * (g_str_equal (cases[c].act, "relu") ? res->dead_fraction[l] : res->saturated_fraction[l]);
          g_autofree char *few = g_strconcat (cases[c].prefix, "< ", NULL);
          if (g_str_has_prefix (lines[1], few))
            {
              /* a few, not none */
              g_assert_cmpfloat (want, >, 0.0);
              g_assert_cmpfloat (want, <, 0.1);
              g_assert_cmpfloat (caption_percent (lines[1], few), ==, 0.1);
            }
          else
            {
              /* whole percents, tenths below 1 %; "0 %" only for none */
              double shown = caption_percent (lines[1], cases[c].prefix);
              g_assert_cmpfloat (fabs (shown - want), <=, want < 1.0 ? 0.05 + 1e-9 : 0.5 + 1e-9);
              g_assert_true ((want == 0.0) == (shown == 0.0));
            }
          /* read out too, after the moments */
          g_autofree char *summary = rv_histogram_view_dup_summary (view);
          g_assert_nonnull (strstr (summary, lines[1]));
        }
      if (g_str_equal (cases[c].act, "tanh"))
        {
          /* normal:0.1 saturates tanh's first layer well beyond a tenth */
          g_assert_cmpfloat (res->saturated_fraction[0], >, 0.1);
          app_test_maybe_screenshot (GTK_WIDGET (window), "initialization-post-activations-tanh");
        }
      if (g_str_equal (cases[c].act, "relu"))
        app_test_maybe_screenshot (GTK_WIDGET (window), "initialization-post-activations-relu");
    }
  /* Export plot writes what is shown: the f(z) grid, or one of its panels */
  g_autofree char *dir = g_dir_make_tmp ("ravine-post-XXXXXX", NULL);
  g_autofree char *all = g_build_filename (dir, "post.png", NULL);
  g_autofree char *one = g_build_filename (dir, "post-layer3.png", NULL);
  g_assert_true (rv_init_page_export_plot (page, all, -1, &error));
  g_assert_true (rv_init_page_export_plot (page, one, 3, &error));
  g_assert_no_error (error);
  /* there are four hidden layers, not five */
  g_assert_false (rv_init_page_export_plot (page, one, 4, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_remove (all);
  g_remove (one);
  g_rmdir (dir);

  /* back to the page's defaults for the tests after this one */
  g_assert_true (rv_init_page_configure (page, "relu", "kaiming", "512,256,256,128", "activations", &error));
  wait_for_result ();
}

static void
test_invalid_hidden_sizes (void)
{
  guint64 before = rv_init_page_get_requested_serial (page);
  gtk_editable_set_text (child ("hidden"), "512,abc");
  GtkWidget *error = child ("hidden_error");
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error)), "abc"));
  g_assert_true (gtk_widget_has_css_class (child ("hidden"), "error"));
  g_assert_cmpuint (rv_init_page_get_requested_serial (page), ==, before);

  /* Each width is allowed, the whole is not: the page says what it would
   * need instead of asking the worker to allocate 17 GB. */
  gtk_editable_set_text (child ("hidden"), "65536,65536");
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error)), "would need"));
  app_test_maybe_screenshot (GTK_WIDGET (window), "initialization-too-big");
  g_assert_cmpuint (rv_init_page_get_requested_serial (page), ==, before);

  gtk_editable_set_text (child ("hidden"), "512,256,256,128");
  g_assert_false (gtk_widget_get_visible (error));
  g_assert_cmpuint (rv_init_page_get_requested_serial (page), >, before);
  wait_for_result ();
}

static int results_shown;

static void
count_result (void)
{
  results_shown++;
}

/* A burst of changes is computed once, for the last of them. */
static void
test_coalescing (void)
{
  gtk_drop_down_set_selected (child ("initializer"), RV_INIT_KAIMING);
  gtk_drop_down_set_selected (child ("activation"), RV_ACT_RELU);
  wait_for_result ();
  gulong id = g_signal_connect_swapped (page, "result-shown", G_CALLBACK (count_result), NULL);
  results_shown = 0;
  gint64 start = g_get_monotonic_time ();
  for (int seed = 1; seed <= 30; seed++)
    gtk_spin_button_set_value (child ("seed"), seed);
  wait_for_result ();
  double ms = (g_get_monotonic_time () - start) / 1000.0;
  g_signal_handler_disconnect (page, id);
  g_assert_cmpuint (rv_init_page_get_config (page)->seed, ==, 30);
  g_assert_cmpint (results_shown, <, 30);
  g_test_message ("30 seed changes: %d results drawn, the last %.0f ms after the first change", results_shown, ms);

  /* one change on its own, for the record (no time is asserted) */
  start = g_get_monotonic_time ();
  gtk_spin_button_set_value (child ("seed"), 42);
  wait_for_result ();
  g_test_message ("default network: a change is recomputed and shown in %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  assert_page_matches_core ();
}

static gboolean
never (gpointer unused)
{
  return FALSE;
}

/* For people to look at (with $RAVINE_TEST_SHOTS): the page at a laptop's
 * and a projector's size, in normal and presentation mode. */
static void
shoot_sizes (const char *name)
{
  static const int sizes[][2] = { { 1024, 600 }, { 1920, 1080 } };
  if (g_getenv ("RAVINE_TEST_SHOTS") == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (int presentation = 0; presentation <= 1; presentation++)
      {
        g_action_group_change_action_state (G_ACTION_GROUP (window), "presentation",
                                            g_variant_new_boolean (presentation));
        gtk_window_set_default_size (GTK_WINDOW (window), sizes[i][0], sizes[i][1]);
        app_test_wait_for (never, NULL, 1.5);
        g_autofree char *shot = g_strdup_printf ("%s-%d%s", name, sizes[i][0], presentation ? "-presentation" : "");
        app_test_maybe_screenshot (GTK_WIDGET (window), shot);
      }
  g_action_group_change_action_state (G_ACTION_GROUP (window), "presentation", g_variant_new_boolean (FALSE));
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  app_test_wait_for (never, NULL, 0.5);
}

/* The layer variances of the page's shown result, against the core's for
 * normal:sigma on the default network with batch images (and no KDE). */
static void
assert_shown_is_normal (double sigma, uint32_t batch)
{
  RvProbeConfig cfg;
  rv_probe_config_init_default (&cfg);
  cfg.init.kind = RV_INIT_NORMAL;
  cfg.init.value = (float) sigma;
  cfg.batch = batch;
  RvProbeResult core;
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_probe_run (&cfg, data, &core, &error));
  const RvProbeResult *shown = rv_init_page_get_result (page);
  g_assert_cmpuint (shown->batch, ==, batch);
  g_assert_cmpuint (shown->n_linear, ==, core.n_linear);
  RvCurveSet *curves = rv_curve_view_get_model (rv_init_page_get_depth_view (page));
  for (uint32_t l = 0; l < core.n_linear; l++)
    {
      const double want[] = { core.activation[l].variance, core.gradient[l].variance, core.weight[l].variance };
      const double got[] = { shown->activation[l].variance, shown->gradient[l].variance, shown->weight[l].variance };
      for (gsize i = 0; i < G_N_ELEMENTS (want); i++)
        g_assert_cmpfloat (fabs (got[i] - want[i]), <=, 1e-9 * fabs (want[i]) + 1e-300);
      /* the depth chart draws the same */
      g_assert_cmpfloat (rv_curve_set_get_y (curves, 0)[l], ==, shown->activation[l].variance);
      g_assert_cmpfloat (rv_curve_set_get_y (curves, 1)[l], ==, shown->gradient[l].variance);
    }
  rv_probe_result_clear (&core);
}

static gboolean
batch_is_full (gpointer user_data)
{
  return result_current (NULL) && rv_init_page_get_result (page)->batch == GPOINTER_TO_UINT (user_data);
}

/* Dragging the value slider shows previews of a few images that the depth
 * chart follows; letting go (or, from the keyboard, resting) replaces them
 * with the full probe.  The spin button and the slider stay in step. */
static void
test_value_slider (void)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_init_page_configure (page, "relu", "normal:0.01", "512,256,256,128", "activations", &error));
  wait_for_result ();
  const uint32_t full = (uint32_t) gtk_spin_button_get_value_as_int (child ("batch"));
  g_assert_cmpuint (full, >, RV_WORKER_PREVIEW_BATCH);
  GtkRange *scale = child ("value_scale");
  GtkSpinButton *spin = child ("value");
  GtkLabel *status = child ("status");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (scale)));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (scale), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Standard deviation, on a log scale");
  /* log scale: the slider's position is log10 σ (σ a float) */
  g_assert_cmpfloat (fabs (gtk_range_get_value (scale) - log10 (0.01)), <, 1e-6);
  double before = rv_curve_set_get_y (rv_curve_view_get_model (rv_init_page_get_depth_view (page)), 0)[2];

  GtkEventController *drag = app_test_find_controller (GTK_WIDGET (scale), "value-drag");
  g_assert_nonnull (drag);
  g_signal_emit_by_name (drag, "drag-begin", 20.0, 8.0);
  const double steps[] = { 0.02, 0.035, 0.05 };
  for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      guint64 asked = rv_init_page_get_requested_serial (page);
      gtk_range_set_value (scale, log10 (steps[i]));
      /* one preview a step: the spin button's change asks for nothing more */
      g_assert_cmpuint (rv_init_page_get_requested_serial (page), ==, asked + 1);
      g_assert_cmpfloat (fabs (gtk_spin_button_get_value (spin) - steps[i]), <, 1e-12);
    }
  wait_for_result ();
  assert_shown_is_normal (0.05, RV_WORKER_PREVIEW_BATCH);
  g_assert_cmpfloat (rv_init_page_get_config (page)->init.value, ==, 0.05f);
  g_assert_nonnull (strstr (gtk_label_get_label (status), "Preview"));
  g_assert_cmpfloat (rv_curve_set_get_y (rv_curve_view_get_model (rv_init_page_get_depth_view (page)), 0)[2], !=,
                     before);
  shoot_sizes ("initialization-slider-preview");
  /* while the pointer holds the slider, the preview stays */
  guint64 preview = rv_init_page_get_requested_serial (page);
  gint64 until = g_get_monotonic_time () + 800 * 1000;
  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_cmpuint (rv_init_page_get_requested_serial (page), ==, preview);

  /* let go: the full probe replaces the preview */
  g_signal_emit_by_name (drag, "drag-end", 30.0, 0.0);
  g_assert_cmpuint (rv_init_page_get_requested_serial (page), ==, preview + 1);
  wait_for_result ();
  assert_shown_is_normal (0.05, full);
  assert_page_matches_core ();
  g_assert_null (strstr (gtk_label_get_label (status), "Preview"));

  /* the keyboard has no release: the full probe follows once it rests */
  gtk_range_set_value (scale, log10 (0.1));
  g_assert_cmpfloat (fabs (gtk_spin_button_get_value (spin) - 0.1), <, 1e-12);
  g_assert_true (app_test_wait_for (batch_is_full, GUINT_TO_POINTER (full), 120));
  assert_shown_is_normal (0.1, full);

  /* the spin button moves the slider, and asks for the full probe at once */
  gtk_spin_button_set_value (spin, 0.2);
  g_assert_cmpfloat (fabs (gtk_range_get_value (scale) - log10 (0.2)), <, 1e-9);
  wait_for_result ();
  assert_shown_is_normal (0.2, full);

  /* a fill value is linear, and may be negative */
  g_assert_true (rv_init_page_configure (page, "relu", "const:0.005", NULL, NULL, &error));
  g_assert_cmpfloat (fabs (gtk_range_get_value (scale) - 0.005), <, 1e-6);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (scale), GTK_ACCESSIBLE_PROPERTY_LABEL, "Fill value");
  gtk_range_set_value (scale, -0.25);
  g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, -0.25);
  g_assert_true (app_test_wait_for (batch_is_full, GUINT_TO_POINTER (full), 120));
  g_assert_cmpfloat (rv_init_page_get_config (page)->init.value, ==, -0.25f);

  /* an initializer without a value hides the slider */
  g_assert_true (rv_init_page_configure (page, "relu", "kaiming", NULL, NULL, &error));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (scale)));
  wait_for_result ();
}

static void
test_pin (void)
{
  RvCurveSet *curves = rv_curve_view_get_model (rv_init_page_get_depth_view (page));
  rv_init_page_pin (page);
  g_assert_cmpuint (rv_curve_set_get_n_series (curves), ==, 4);
  g_assert_true (rv_curve_set_get_dashed (curves, 2));
  double pinned = rv_curve_set_get_y (curves, 2)[0];
  /* the next configuration is compared with the pinned one */
  gtk_drop_down_set_selected (child ("initializer"), RV_INIT_XAVIER);
  wait_for_result ();
  g_assert_cmpuint (rv_curve_set_get_n_series (curves), ==, 4);
  g_assert_cmpfloat (rv_curve_set_get_y (curves, 2)[0], ==, pinned);
  g_assert_cmpfloat (rv_curve_set_get_y (curves, 0)[0], !=, pinned);
  gtk_toggle_button_set_active (child ("show_depth"), TRUE);
  app_test_maybe_screenshot (GTK_WIDGET (window), "initialization-depth");
  gtk_toggle_button_set_active (child ("show_activations"), TRUE);
}

static gboolean
page_result_current (gpointer user_data)
{
  RvInitPage *p = user_data;
  return rv_init_page_get_requested_serial (p) > 0
         && rv_init_page_get_shown_serial (p) == rv_init_page_get_requested_serial (p);
}

/* The variances pinned, as the core computes them for the shown config. */
typedef struct
{
  char *label;
  uint32_t n;
  double act[RV_MAX_LINEAR], grad[RV_MAX_LINEAR];
} Pinned;

static void
configure_and_pin (const char *activation, const char *init, const char *hidden, Pinned *out)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_init_page_configure (page, activation, init, hidden, NULL, &error));
  g_assert_no_error (error);
  wait_for_result ();
  RvProbeConfig cfg = *rv_init_page_get_config (page);
  cfg.kde = FALSE;
  RvProbeResult core;
  g_assert_true (rv_probe_run (&cfg, data, &core, &error));
  out->n = core.n_linear;
  for (uint32_t l = 0; l < core.n_linear; l++)
    {
      out->act[l] = core.activation[l].variance;
      out->grad[l] = core.gradient[l].variance;
    }
  rv_probe_result_clear (&core);
  rv_init_page_pin (page);
  out->label = g_strdup (rv_init_page_get_pin_label (page));
}

/* The depth chart's dashed series are the pins', in order, each pin's two
 * in one colour of its own, labelled, with the variances pinned. */
static void
assert_pins_shown (RvInitPage *p, const Pinned *pins, guint n_pins, double rel_tol)
{
  RvCurveSet *curves = rv_curve_view_get_model (rv_init_page_get_depth_view (p));
  g_assert_cmpuint (rv_init_page_get_n_pins (p), ==, n_pins);
  g_assert_cmpuint (rv_curve_set_get_n_series (curves), ==, 2 + 2 * n_pins);
  g_assert_false (rv_curve_set_get_dashed (curves, 0));
  g_assert_false (rv_curve_set_get_dashed (curves, 1));
  GdkRGBA live[2];
  rv_curve_view_get_series_color (rv_init_page_get_depth_view (p), 0, &live[0]);
  rv_curve_view_get_series_color (rv_init_page_get_depth_view (p), 1, &live[1]);
  for (guint i = 0; i < n_pins; i++)
    {
      GdkRGBA color[2];
      for (guint k = 0; k < 2; k++)
        {
          guint s = 2 + 2 * i + k;
          g_assert_true (rv_curve_set_get_dashed (curves, s));
          g_assert_nonnull (strstr (rv_curve_set_get_name (curves, s), pins[i].label));
          g_assert_nonnull (strstr (rv_curve_set_get_name (curves, s), k ? "gradient" : "Activation"));
          g_assert_true (rv_curve_set_get_color (curves, s, &color[k]));
          g_assert_cmpuint (rv_curve_set_get_n_points (curves, s), ==, pins[i].n);
          const double *want = k ? pins[i].grad : pins[i].act;
          for (uint32_t l = 0; l < pins[i].n; l++)
            g_assert_cmpfloat (fabs (rv_curve_set_get_y (curves, s)[l] - want[l]), <=, rel_tol * fabs (want[l]));
        }
      g_assert_true (gdk_rgba_equal (&color[0], &color[1]));
      g_assert_false (gdk_rgba_equal (&color[0], &live[0]) || gdk_rgba_equal (&color[0], &live[1]));
      for (guint j = 0; j < i; j++)
        {
          GdkRGBA other;
          g_assert_true (rv_curve_set_get_color (curves, 2 + 2 * j, &other));
          g_assert_false (gdk_rgba_equal (&color[0], &other));
        }
    }
}

/* The pins' networks are 128,64 and 256,128,64; the page's 512,256. */
static void
note_other_network (RvInitPage *p, gpointer user_data)
{
  if (rv_init_page_get_config (p)->net.sizes[1] != 512)
    *(gboolean *) user_data = TRUE;
}

static char *
setup_text (RvSetupInitialization *init)
{
  g_autoptr (RvSetup) setup = rv_setup_new ();
  setup->initialization = init;
  return rv_setup_to_data (setup);
}

/* Pixels of view drawn at 360 × 240 within 40 of colour in each channel. */
static guint
count_colour (RvHistogramView *view, const GdkRGBA *colour)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 360, 240);
  cairo_t *cr = cairo_create (surface);
  rv_histogram_view_draw (view, cr, 360, 240);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  const guint8 *bytes = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint n = 0;
  for (int y = 0; y < 240; y++)
    for (int x = 0; x < 360; x++)
      {
        const guint8 *px = bytes + y * stride + 4 * x;  /* B, G, R, unused */
        if (abs (px[2] - (int) (colour->red * 255)) <= 40 && abs (px[1] - (int) (colour->green * 255)) <= 40
            && abs (px[0] - (int) (colour->blue * 255)) <= 40)
          n++;
      }
  cairo_surface_destroy (surface);
  return n;
}

/* The probe's figures for the page's batch and seed, and a network. */
static void
probe_core (const char *activation, const char *init, const char *hidden, RvProbeResult *out)
{
  g_autoptr (GError) error = NULL;
  RvProbeConfig cfg = *rv_init_page_get_config (page);
  cfg.kde = FALSE;
  g_assert_true (rv_activation_from_name (activation, &cfg.net.act));
  g_assert_true (rv_init_parse (init, &cfg.init, &error));
  g_assert_true (rv_net_config_parse_hidden (&cfg.net, hidden, &error));
  g_assert_true (rv_probe_run (&cfg, data, out, &error));
}

/* A/B, as a teacher uses it: pin tanh with Xavier, switch to ReLU with
 * Kaiming, choose "Overlay" in the Pins menu; every panel of every view
 * then draws the pin's histogram (B) over the live one (A), each holding
 * the core's figures, with B's variance under the plot and a legend
 * naming both.  B stays while A changes; removing the pin ends it. */
static void
test_ab_overlay (void)
{
  g_autoptr (GError) error = NULL;
  rv_init_page_clear_pin (page);
  g_assert_true (rv_init_page_configure (page, "tanh", "xavier", "256,128", "activations", &error));
  wait_for_result ();
  rv_init_page_pin (page);
  g_assert_true (rv_init_page_configure (page, "relu", "kaiming", "256,128", NULL, &error));
  wait_for_result ();
  RvProbeResult a, b;
  probe_core ("relu", "kaiming", "256,128", &a);
  probe_core ("tanh", "xavier", "256,128", &b);

  /* the Pins menu offers it as a radio item of init.overlay */
  GMenuModel *menu = gtk_menu_button_get_menu_model (child ("pins"));
  g_autoptr (GMenuModel) choices = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
  g_assert_cmpint (g_menu_model_get_n_items (choices), ==, 2);
  g_autofree char *label = NULL, *action = NULL;
  g_assert_true (g_menu_model_get_item_attribute (choices, 1, G_MENU_ATTRIBUTE_ACTION, "s", &action));
  g_assert_cmpstr (action, ==, "init.overlay");
  g_autoptr (GVariant) target = g_menu_model_get_item_attribute_value (choices, 1, G_MENU_ATTRIBUTE_TARGET, NULL);
  g_assert_cmpint (g_variant_get_int32 (target), ==, 0);
  GtkLabel *legend = child ("overlay_legend");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (legend)));
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (page), "init.overlay", target));
  g_assert_cmpint (rv_init_page_get_overlay (page), ==, 0);
  shoot_sizes ("ab-overlay");
  g_assert_true (g_menu_model_get_item_attribute (choices, 1, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  g_assert_cmpstr (label, ==, "Overlay “Tanh, xavier”");

  for (int k = 0; k < RV_PROBE_N_KINDS; k++)
    {
      RvHistogramGrid *grid = rv_init_page_get_grid (page, k);
      for (uint32_t l = 0; l < rv_probe_result_n_layers (&a, k); l++)
        {
          RvHistogramView *view = rv_histogram_grid_get_view (grid, l);
          RvHistogram *shown_b = rv_histogram_view_get_compare (view);
          g_assert_nonnull (shown_b);
          double want_a = rv_probe_result_stats (&a, k, l)->variance;
          double want_b = rv_probe_result_stats (&b, k, l)->variance;
          g_assert_cmpfloat (fabs (rv_histogram_get_variance (rv_histogram_view_get_model (view)) - want_a), <=,
                             1e-6 * want_a);
          g_assert_cmpfloat (fabs (rv_histogram_get_variance (shown_b) - want_b), <=, 1e-6 * want_b);
          g_assert_cmpuint (rv_histogram_get_total (shown_b), ==, rv_probe_result_stats (&b, k, l)->n);
          g_autofree char *b_text = rv_plot_format_value (rv_histogram_get_variance (shown_b));
          g_autofree char *caption = rv_histogram_view_dup_caption (view);
          g_autofree char *want_caption = g_strdup_printf ("· B: %s", b_text);
          g_assert_nonnull (strstr (caption, want_caption));
        }
    }
  /* drawn: the outline in the pin's colour, which is its depth chart colour */
  RvHistogramView *first = rv_histogram_grid_get_view (rv_init_page_get_grid (page, RV_PROBE_ACTIVATION), 0);
  GdkRGBA b_colour, pin_colour;
  rv_histogram_view_get_compare_outline_color (first, &b_colour);
  RvCurveSet *curves = rv_curve_view_get_model (rv_init_page_get_depth_view (page));
  g_assert_true (rv_curve_set_get_color (curves, 2, &pin_colour));
  g_assert_true (gdk_rgba_equal (&b_colour, &pin_colour));
  g_assert_cmpuint (count_colour (first, &b_colour), >, 100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (legend)));
  g_assert_cmpstr (gtk_label_get_text (legend), ==, "■ A (bars): ReLU, kaiming    □ B (outline): Tanh, xavier");
  g_assert_cmpstr (rv_histogram_grid_get_heading (rv_init_page_get_grid (page, RV_PROBE_WEIGHT)), ==,
                   "Weight distribution · A (bars): ReLU, kaiming · B (outline): Tanh, xavier");

  /* a setup keeps it */
  g_autoptr (RvSetupInitialization) saved = rv_setup_initialization_new ();
  rv_init_page_get_setup (page, saved);
  g_assert_cmpint (saved->overlay, ==, 0);
  g_autofree char *text = setup_text (g_steal_pointer (&saved));
  g_assert_nonnull (strstr (text, "\"overlay\": 0"));

  /* A moves on, B stays */
  g_assert_true (rv_init_page_configure (page, "relu", "normal:0.5", "256,128", NULL, &error));
  wait_for_result ();
  RvHistogram *still = rv_histogram_view_get_compare (first);
  double want_b0 = rv_probe_result_stats (&b, RV_PROBE_ACTIVATION, 0)->variance;
  g_assert_cmpfloat (fabs (rv_histogram_get_variance (still) - want_b0), <=, 1e-6 * want_b0);
  g_assert_nonnull (strstr (gtk_label_get_text (legend), "A (bars): ReLU, normal:0.5"));

  /* the pin removed: no B, no legend, nothing drawn in its colour */
  rv_init_page_remove_pin (page, 0);
  g_assert_cmpint (rv_init_page_get_overlay (page), ==, -1);
  for (int k = 0; k < RV_PROBE_N_KINDS; k++)
    g_assert_null (rv_histogram_view_get_compare (rv_histogram_grid_get_view (rv_init_page_get_grid (page, k), 0)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (legend)));
  g_assert_cmpuint (count_colour (first, &b_colour), ==, 0);
  g_assert_cmpstr (rv_histogram_grid_get_heading (rv_init_page_get_grid (page, RV_PROBE_WEIGHT)), ==,
                   "Weight distribution");
  rv_probe_result_clear (&a);
  rv_probe_result_clear (&b);
}


/* A pin taken while the slider shows a preview holds the full probe of
 * that configuration, not the preview's few images. */
static void
test_pin_preview (void)
{
  g_autoptr (GError) error = NULL;
  rv_init_page_clear_pin (page);
  g_assert_true (rv_init_page_configure (page, "relu", "normal:0.01", "512,256,256,128", "activations", &error));
  wait_for_result ();
  const uint32_t full = (uint32_t) gtk_spin_button_get_value_as_int (child ("batch"));
  GtkRange *scale = child ("value_scale");
  GtkEventController *drag = app_test_find_controller (GTK_WIDGET (scale), "value-drag");
  g_signal_emit_by_name (drag, "drag-begin", 20.0, 8.0);
  gtk_range_set_value (scale, log10 (0.03));
  wait_for_result ();
  g_assert_cmpuint (rv_init_page_get_result (page)->batch, ==, RV_WORKER_PREVIEW_BATCH);
  rv_init_page_pin (page);
  wait_for_result ();
  g_signal_emit_by_name (drag, "drag-end", 20.0, 0.0);
  wait_for_result ();

  RvProbeResult core;
  probe_core ("relu", "normal:0.03", "512,256,256,128", &core);
  g_assert_cmpuint (core.batch, ==, full);
  rv_init_page_set_overlay (page, 0);
  for (uint32_t l = 0; l < core.n_linear; l++)
    {
      RvHistogram *b = rv_histogram_view_get_compare (
        rv_histogram_grid_get_view (rv_init_page_get_grid (page, RV_PROBE_ACTIVATION), l));
      g_assert_nonnull (b);
      g_assert_cmpuint (rv_histogram_get_total (b), ==, (guint64) full * core.fan_out[l]);
      double want = core.activation[l].variance;
      g_assert_cmpfloat (fabs (rv_histogram_get_variance (b) - want), <=, 1e-6 * want);
    }
  rv_probe_result_clear (&core);
  rv_init_page_clear_pin (page);
}

/* Three labelled pins on the depth chart; the page's setup re-created on a
 * fresh page gives the same setup and the same pinned variances; one pin
 * removed leaves the others. */
static void
test_pins_and_setup (void)
{
  g_autoptr (GError) error = NULL;
  rv_init_page_clear_pin (page);
  g_assert_cmpuint (rv_init_page_get_n_pins (page), ==, 0);
  Pinned pins[3];
  configure_and_pin ("tanh", "xavier", "128,64", &pins[0]);
  configure_and_pin ("relu", "kaiming", "256,128,64", &pins[1]);
  configure_and_pin ("sigmoid", "normal:0.05", "128,64", &pins[2]);
  g_assert_cmpstr (pins[0].label, ==, "Tanh, xavier");
  g_assert_cmpstr (pins[2].label, ==, "Sigmoid, normal:0.05");
  g_assert_true (rv_init_page_configure (page, "identity", "xavier", "512,256", "depth", &error));
  wait_for_result ();
  assert_pins_shown (page, pins, 3, 0.0);
  rv_init_page_set_display (page, TRUE, FALSE, TRUE, FALSE);

  /* a fresh page, with the same batch and seed and its own settings */
  g_autoptr (GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr (GSettings) settings = g_settings_new_with_backend (APP_ID, backend);
  GtkWidget *other_window = gtk_window_new ();
  RvInitPage *fresh = g_object_new (RV_TYPE_INIT_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (other_window), GTK_WIDGET (fresh));
  gtk_window_present (GTK_WINDOW (other_window));
  rv_init_page_start (fresh, settings, g_getenv ("RAVINE_DATA_DIR"));
  g_assert_true (app_test_wait_for (page_result_current, fresh, 120));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (fresh), RV_TYPE_INIT_PAGE, "batch")),
                             gtk_spin_button_get_value (child ("batch")));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (fresh), RV_TYPE_INIT_PAGE, "seed")),
                             gtk_spin_button_get_value (child ("seed")));

  RvSetupInitialization *saved = rv_setup_initialization_new ();
  rv_init_page_get_setup (page, saved);
  g_assert_cmpuint (saved->pins->len, ==, 3);
  g_assert_cmpstr (saved->view, ==, "depth");
  /* with the last pin overlaid as B, drawn once its probe is back */
  saved->overlay = 2;
  g_assert_true (rv_init_page_apply_setup (fresh, saved, &error));
  g_assert_no_error (error);
  g_assert_true (app_test_wait_for (page_result_current, fresh, 120));
  g_assert_cmpint (rv_init_page_get_overlay (fresh), ==, 2);
  for (uint32_t l = 0; l < pins[2].n; l++)
    {
      RvHistogramView *view = rv_histogram_grid_get_view (rv_init_page_get_grid (fresh, RV_PROBE_ACTIVATION), l);
      g_assert_nonnull (rv_histogram_view_get_compare (view));
      g_assert_cmpfloat (fabs (rv_histogram_get_variance (rv_histogram_view_get_compare (view)) - pins[2].act[l]), <=,
                         1e-6 * pins[2].act[l]);
    }
  RvSetupInitialization *again = rv_setup_initialization_new ();
  rv_init_page_get_setup (fresh, again);
  g_autofree char *saved_text = setup_text (saved);
  g_autofree char *again_text = setup_text (again);
  g_assert_cmpstr (again_text, ==, saved_text);
  g_assert_cmpint (rv_init_page_get_config (fresh)->net.act, ==, RV_ACT_IDENTITY);
  assert_pins_shown (fresh, pins, 3, 1e-6);

  /* a setup with one bad pin changes nothing */
  g_autoptr (RvSetupInitialization) bad = rv_setup_initialization_new ();
  rv_init_page_get_setup (page, bad);
  g_free (bad->network.activation);
  bad->network.activation = g_strdup ("tanh");
  rv_setup_add_pin (bad, "broken", "relu", "no-such-init", "64");
  g_assert_false (rv_init_page_apply_setup (fresh, bad, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "broken"));
  g_clear_error (&error);
  RvSetupInitialization *after = rv_setup_initialization_new ();
  rv_init_page_get_setup (fresh, after);
  g_autofree char *after_text = setup_text (after);
  g_assert_cmpstr (after_text, ==, saved_text);

  /* pins dropped while they are re-created: only the page's own network is
   * ever shown after, never a dropped pin's */
  g_ptr_array_remove_index (bad->pins, bad->pins->len - 1);
  g_assert_true (rv_init_page_apply_setup (fresh, bad, &error));
  g_assert_cmpuint (rv_init_page_get_n_pins (fresh), ==, 3);
  rv_init_page_clear_pin (fresh);
  gboolean other_shown = FALSE;
  gulong handler = g_signal_connect (fresh, "result-shown", G_CALLBACK (note_other_network), &other_shown);
  g_assert_true (app_test_wait_for (page_result_current, fresh, 120));
  g_signal_handler_disconnect (fresh, handler);
  g_assert_false (other_shown);
  g_assert_cmpint (rv_init_page_get_config (fresh)->net.act, ==, RV_ACT_TANH);
  assert_pins_shown (fresh, pins, 0, 0.0);
  gtk_window_destroy (GTK_WINDOW (other_window));

  /* removing the middle pin keeps the first and the last */
  rv_init_page_remove_pin (page, 1);
  Pinned rest[2] = { pins[0], pins[2] };
  assert_pins_shown (page, rest, 2, 0.0);
  g_assert_cmpstr (rv_init_page_get_pin_label (page), ==, pins[2].label);
  /* and the Pins menu offers the remaining two */
  GMenuModel *menu = gtk_menu_button_get_menu_model (child ("pins"));
  GMenuModel *each = g_menu_model_get_item_link (menu, 1, G_MENU_LINK_SECTION);
  g_assert_cmpint (g_menu_model_get_n_items (each), ==, 2);
  g_object_unref (each);
  rv_init_page_clear_pin (page);
  g_assert_cmpuint (rv_init_page_get_n_pins (page), ==, 0);
  g_assert_null (rv_init_page_get_pin_label (page));
  for (guint i = 0; i < 3; i++)
    g_free (pins[i].label);
  gtk_toggle_button_set_active (child ("show_activations"), TRUE);
}

static void
test_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ravine-export-XXXXXX", NULL);
  const char *files[] = { "grid.png", "grid.svg", "grid.pdf" };
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_autoptr (GError) error = NULL;
      g_assert_true (rv_init_page_export_plot (page, path, -1, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_remove (path);
    }
  g_autofree char *one = g_build_filename (dir, "layer0.png", NULL);
  g_assert_true (rv_init_page_export_plot (page, one, 0, NULL));
  g_remove (one);

  /* the numbers: the same JSON as `ravine-cli init-stats --json` */
  g_autofree char *json_path = g_build_filename (dir, "stats.json", NULL);
  g_assert_true (rv_init_page_export_numbers (page, json_path, NULL));
  g_autofree char *json = NULL;
  g_assert_true (g_file_get_contents (json_path, &json, NULL, NULL));
  g_autoptr (JsonNode) expect = rv_probe_result_to_json (rv_init_page_get_config (page), rv_init_page_get_result (page));
  g_autofree char *expect_text = rv_json_to_string (expect, TRUE);
  g_assert_cmpstr (json, ==, expect_text);
  g_remove (json_path);

  g_autofree char *csv_path = g_build_filename (dir, "stats.csv", NULL);
  g_assert_true (rv_init_page_export_numbers (page, csv_path, NULL));
  g_autofree char *csv = NULL;
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (g_strstrip (csv), "\n", -1);
  /* weights, gradients and outputs of every layer, f(z) of the hidden ones */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 4 * rv_init_page_get_result (page)->n_linear - 1);
  g_assert_true (g_str_has_prefix (lines[0], "layer,name,"));
  g_remove (csv_path);

  g_autoptr (GError) error = NULL;
  g_autofree char *bad = g_build_filename (dir, "stats.xlsx", NULL);
  g_assert_false (rv_init_page_export_numbers (page, bad, &error));
  g_assert_nonnull (error);
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
}

static gboolean
weights_closed (gpointer user_data)
{
  return rv_init_page_get_weights (page) == NULL;
}

/* The message dialog over the window, if one is up. */
static AdwMessageDialog *
find_error_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (w))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

/* Open Weights… shows a PyTorch model's figures, the core's for that file,
 * labelled as the loaded model; it pins like an initializer; Back to
 * Initializers returns; a file that is no MLP is an error dialog. */
static void
test_open_weights (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "weights", "tutorial-f32.safetensors", NULL);
  rv_init_page_clear_pin (page);
  rv_init_page_pin (page);  /* the initializer's curves, to compare with */
  rv_init_page_open_weights (page, path);
  wait_for_result ();
  g_assert_cmpstr (rv_init_page_get_weights (page), ==, path);
  g_assert_cmpuint (rv_init_page_get_config (page)->net.n_linear, ==, 6);
  assert_page_matches_core ();
  g_assert_true (gtk_widget_get_visible (child ("model_box")));
  g_assert_nonnull (strstr (gtk_label_get_label (child ("model_label")), "tutorial-f32.safetensors"));
  g_assert_nonnull (strstr (gtk_label_get_label (child ("model_label")), "784–8–8–8–8–8–10"));
  g_assert_false (gtk_widget_get_sensitive (child ("initializer")));
  g_assert_cmpuint (rv_curve_set_get_n_series (rv_curve_view_get_model (rv_init_page_get_depth_view (page))), ==, 4);
  app_test_maybe_screenshot (GTK_WIDGET (window), "initialization-loaded-model");

  /* the model pins under its file name; its numbers export with it */
  rv_init_page_pin (page);
  g_assert_cmpstr (rv_init_page_get_pin_label (page), ==, "tutorial-f32.safetensors");
  g_autofree char *dir = g_dir_make_tmp ("ravine-weights-XXXXXX", NULL);
  g_autofree char *json_path = g_build_filename (dir, "model.json", NULL);
  g_assert_true (rv_init_page_export_numbers (page, json_path, NULL));
  g_autofree char *json = NULL;
  g_assert_true (g_file_get_contents (json_path, &json, NULL, NULL));
  g_autofree char *shown = g_filename_display_name (path);
  g_autoptr (JsonNode) expect = rv_probe_weights_result_to_json (rv_init_page_get_config (page),
                                                                 rv_init_page_get_result (page), shown);
  g_autofree char *expect_text = rv_json_to_string (expect, TRUE);
  g_assert_cmpstr (json, ==, expect_text);
  g_remove (json_path);
  g_rmdir (dir);

  /* back to the initializers: their figures again, the model still pinned */
  g_signal_emit_by_name (child ("close_weights"), "clicked");
  wait_for_result ();
  g_assert_null (rv_init_page_get_weights (page));
  g_assert_false (gtk_widget_get_visible (child ("model_box")));
  g_assert_true (gtk_widget_get_sensitive (child ("initializer")));
  assert_page_matches_core ();
  g_assert_cmpstr (rv_init_page_get_pin_label (page), ==, "tutorial-f32.safetensors");
  rv_init_page_clear_pin (page);

  /* a lesson step's network replaces a loaded model */
  rv_init_page_open_weights (page, path);
  wait_for_result ();
  g_assert_true (rv_init_page_configure (page, NULL, "xavier", NULL, NULL, NULL));
  wait_for_result ();
  g_assert_null (rv_init_page_get_weights (page));
  g_assert_cmpint (rv_init_page_get_config (page)->init.kind, ==, RV_INIT_XAVIER);
  assert_page_matches_core ();

  /* a convolution's file: the page says why, and stays with the initializers */
  g_autofree char *conv = g_test_build_filename (G_TEST_DIST, "fixtures", "weights", "bad", "conv.safetensors", NULL);
  rv_init_page_open_weights (page, conv);
  g_assert_true (app_test_wait_for (weights_closed, NULL, 120));
  AdwMessageDialog *dialog = find_error_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "conv.safetensors"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "tensor 0.weight has shape [2, 1, 5, 5]"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_for_result ();
  assert_page_matches_core ();
}

/* Every control can be reached with Tab and has a mnemonic label. */
static void
test_keyboard_and_labels (void)
{
  const char *controls[] = { "activation", "initializer", "hidden", "batch", "seed" };
  GtkWidget *grid = child ("controls");
  for (gsize i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      GtkWidget *control = child (controls[i]);
      g_assert_true (gtk_widget_get_focusable (control) || gtk_widget_get_first_child (control) != NULL);
      gboolean labelled = FALSE;
      for (GtkWidget *w = gtk_widget_get_first_child (grid); w; w = gtk_widget_get_next_sibling (w))
        if (GTK_IS_LABEL (w) && gtk_label_get_mnemonic_widget (GTK_LABEL (w)) == control)
          labelled = gtk_label_get_use_underline (GTK_LABEL (w)) && strchr (gtk_label_get_label (GTK_LABEL (w)), '_');
      if (!labelled)
        g_error ("control %s has no mnemonic label", controls[i]);
    }
  const char *buttons[] = { "show_weights", "show_gradients", "show_activations", "show_depth", "display",
                            "kde", "density", "log_y", "shared_x", "pin", "pins", "export", "open_weights",
                            "close_weights" };
  for (gsize i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      GtkWidget *b = child (buttons[i]);
      const char *label = GTK_IS_MENU_BUTTON (b) ? gtk_menu_button_get_label (GTK_MENU_BUTTON (b))
                          : GTK_IS_CHECK_BUTTON (b) ? gtk_check_button_get_label (GTK_CHECK_BUTTON (b))
                          : gtk_button_get_label (GTK_BUTTON (b));
      if (label == NULL || strchr (label, '_') == NULL)
        g_error ("%s has no mnemonic", buttons[i]);
    }

  /* Tab moves focus through the controls in order */
  gtk_widget_grab_focus (child ("hidden"));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (focus != NULL && gtk_widget_is_ancestor (focus, child ("batch")));
}

static void
test_command_line (void)
{
  const char *bad[] = { ravine_path, "--page", "bogus", NULL };
  g_autofree char *err = NULL;
  int status = 0;
  /* descriptors left open: GLib then spawns with posix_spawn(), without
   * fork() and OpenBLAS's fork handler, which can hang joining its threads */
  g_assert_true (g_spawn_sync (NULL, (char **) bad, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_LEAVE_DESCRIPTORS_OPEN, NULL,
                               NULL, NULL, &err, &status, NULL));
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, "bogus"));

  const char *help[] = { ravine_path, "--help", NULL };
  g_autofree char *out = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) help, NULL, G_SPAWN_LEAVE_DESCRIPTORS_OPEN, NULL, NULL, &out, NULL, &status,
                               NULL));
  g_assert_nonnull (strstr (out, "--page"));

  /* --page picks the page */
  rv_window_show_page (window, "surfaces");
  g_assert_cmpstr (rv_window_get_page (window), ==, "surfaces");
  rv_window_show_page (window, "initialization");
  g_assert_cmpstr (rv_window_get_page (window), ==, "initialization");
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  const char *dir = g_getenv ("RAVINE_TEST_DATA_DIR");
  gboolean real = dir && g_file_test (dir, G_FILE_TEST_IS_DIR);
  g_setenv ("RAVINE_DATA_DIR", real ? dir : "/nonexistent-ravine-data", TRUE);
  /* Screenshots in a translation, for people to look at; the checks read
   * English, so such a run stops at the first after the shots. */
  const char *shots_language = g_getenv ("RAVINE_TEST_SHOTS_LANGUAGE");
  if (shots_language)
    g_setenv ("LANGUAGE", shots_language, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  if (shots_language && g_getenv ("RAVINE_LOCALEDIR"))
    {
      setlocale (LC_ALL, "C.UTF-8");
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("RAVINE_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  if (argc < 2)
    g_error ("usage: %s PATH-TO-RAVINE", argv[0]);
  ravine_path = argv[1];

  g_autoptr (GError) error = NULL;
  data = real ? rv_dataset_load (dir, 42, &error) : rv_dataset_new_synthetic (60000, 10000, 42);
  g_assert_no_error (error);

  app = rv_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = rv_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  gtk_window_present (GTK_WINDOW (window));
  page = RV_INIT_PAGE (rv_window_get_init_page (window));

  g_test_add_func ("/init-page/first-result", test_first_result);
  g_test_add_func ("/init-page/drive-controls", test_drive_controls);
  g_test_add_func ("/init-page/formula-card", test_formula_card);
  g_test_add_func ("/init-page/post-activations", test_post_activations);
  g_test_add_func ("/init-page/invalid-hidden-sizes", test_invalid_hidden_sizes);
  g_test_add_func ("/init-page/coalescing", test_coalescing);
  g_test_add_func ("/init-page/value-slider", test_value_slider);
  g_test_add_func ("/init-page/pin", test_pin);
  g_test_add_func ("/init-page/pins-and-setup", test_pins_and_setup);
  g_test_add_func ("/init-page/ab-overlay", test_ab_overlay);
  g_test_add_func ("/init-page/pin-preview", test_pin_preview);
  g_test_add_func ("/init-page/export", test_export);
  g_test_add_func ("/init-page/open-weights", test_open_weights);
  g_test_add_func ("/init-page/keyboard-and-labels", test_keyboard_and_labels);
  g_test_add_func ("/init-page/command-line", test_command_line);
  int status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  rv_dataset_free (data);
  return status;
}
