/* test-training-layout.c: the Training page fits, on an Xvfb of its own, in
 * a window of 1024×600, 1280×800, 1920×1080 and 1920×1200: with no runs (a
 * placeholder instead of empty charts) and with three runs of long status
 * lines that track their sharpness (so its chart and caption show too),
 * nothing is cut off (every widget lies inside the window or inside what
 * its scrolled window scrolls over; no label is narrower than its text),
 * its minimum size stays within 1024×520, and the histograms take all the
 * height the rest leaves spare.  The same in
 * German, in a subprocess (LANGUAGE=de under C.UTF-8, as test-locale-nl.c). */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>

#include "app-test-util.h"
#include "rv-run.h"
#include "rv-reflow-box.h"
#include "rv-train-session.h"
#include "rv-training-page.h"

/* 1920×1200 too, a projector's: the one size where three runs and the
 * sharpness chart leave height spare. */
static const int sizes[][2] = { { 1024, 600 }, { 1280, 800 }, { 1920, 1080 }, { 1920, 1200 } };

#define LONG_STATUS "epoch 1/40 · step 195 · 1735 images/s · 1120 s left · and a little more to make it long"

static void
find_clipped (GtkWidget *widget, GtkWidget *root, const graphene_rect_t *area, GString *report)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      graphene_rect_t r;
      if (!gtk_widget_get_mapped (c) || !gtk_widget_compute_bounds (c, root, &r))
        continue;
      if (r.size.width > 0 && r.size.height > 0
          && (r.origin.x < area->origin.x - 0.5 || r.origin.y < area->origin.y - 0.5
              || r.origin.x + r.size.width > area->origin.x + area->size.width + 0.5
              || r.origin.y + r.size.height > area->origin.y + area->size.height + 0.5))
        g_string_append_printf (report, "%s (%s) at %g,%g %g×%g outside %g,%g %g×%g\n", G_OBJECT_TYPE_NAME (c),
                                gtk_widget_get_css_name (c), r.origin.x, r.origin.y, r.size.width, r.size.height,
                                area->origin.x, area->origin.y, area->size.width, area->size.height);
      if (GTK_IS_LABEL (c) && gtk_label_get_ellipsize (GTK_LABEL (c)) == PANGO_ELLIPSIZE_NONE
          && !gtk_label_get_wrap (GTK_LABEL (c)))
        {
          int min;
          gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
          if (gtk_widget_get_width (c) < min)
            g_string_append_printf (report, "label “%s” cut: %d px of %d\n", gtk_label_get_text (GTK_LABEL (c)),
                                    gtk_widget_get_width (c), min);
        }
      if (GTK_IS_SCROLLED_WINDOW (c))
        {
          /* reachable by scrolling: inside what the scrolled window scrolls over */
          GtkWidget *child = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (c));
          if (GTK_IS_VIEWPORT (child))
            child = gtk_viewport_get_child (GTK_VIEWPORT (child));
          graphene_rect_t inner;
          /* a scrollable that scrolls itself (the column view) places its
           * rows where it likes: only a viewport's child is checked */
          if (child && GTK_IS_VIEWPORT (gtk_widget_get_parent (child))
              && gtk_widget_compute_bounds (child, root, &inner))
            find_clipped (gtk_widget_get_parent (child), root, &inner, report);
          continue;
        }
      find_clipped (c, root, area, report);
    }
}

static gboolean
has_size (gpointer data)
{
  GtkWidget *window = data;
  int w = GPOINTER_TO_INT (g_object_get_data (data, "w")), h = GPOINTER_TO_INT (g_object_get_data (data, "h"));
  return gtk_widget_get_width (window) == w && gtk_widget_get_height (window) == h;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* The page in a window of w × h, laid out; NULL where the window cannot
 * get that size (a screen smaller than it). */
static GtkWidget *
show_in_window (RvTrainingPage *page, int w, int h)
{
  GtkWidget *window = gtk_window_new ();
  g_object_set_data (G_OBJECT (window), "w", GINT_TO_POINTER (w));
  g_object_set_data (G_OBJECT (window), "h", GINT_TO_POINTER (h));
  gtk_window_set_default_size (GTK_WINDOW (window), w, h);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  if (!app_test_wait_for (has_size, window, 5))
    {
      g_test_message ("the window is %d×%d, not %d×%d: not checked at this size", gtk_widget_get_width (window),
                      gtk_widget_get_height (window), w, h);
      gtk_window_set_child (GTK_WINDOW (window), NULL);
      gtk_window_destroy (GTK_WINDOW (window));
      return NULL;
    }
  app_test_wait_for (never, NULL, 0.3);
  return window;
}

/* The height the charts' scrolled window shows beyond its content's
 * natural height: what the expanding histograms can take. */
static int
spare_height (GtkStack *content)
{
  GtkWidget *scroller = gtk_stack_get_child_by_name (content, "charts");
  GtkWidget *box = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  if (GTK_IS_VIEWPORT (box))
    box = gtk_viewport_get_child (GTK_VIEWPORT (box));
  int nat;
  gtk_widget_measure (box, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (box), NULL, &nat, NULL, NULL);
  return gtk_widget_get_height (scroller) - nat;
}

static void
take_back (GtkWidget *window)
{
  gtk_window_set_child (GTK_WINDOW (window), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
assert_fits (RvTrainingPage *page, GtkWidget *window, const char *what)
{
  g_autoptr (GString) report = g_string_new (NULL);
  graphene_rect_t area;
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (page), window, &area));
  find_clipped (GTK_WIDGET (page), window, &area, report);
  if (report->len)
    g_error ("%s at %d×%d (%s): cut off:\n%s", what, gtk_widget_get_width (window), gtk_widget_get_height (window),
             g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "en", report->str);

  int min_w, min_h;
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_VERTICAL, -1, &min_h, NULL, NULL, NULL);
  g_test_message ("%s: minimum %d×%d", what, min_w, min_h);
  g_assert_cmpint (min_w, <=, 1024);
  g_assert_cmpint (min_h, <=, 520);
}

static void
shoot (GtkWidget *window, const char *what)
{
  g_autofree char *name = g_strdup_printf ("training-layout-%s-%s-%d", g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE")
                                           : "en", what, gtk_widget_get_width (window));
  app_test_maybe_screenshot (window, name);
}

static void
small_config (RvTrainConfig *cfg, RvOptimKind kind)
{
  static const uint32_t hidden[] = { 64, 32 };
  rv_train_config_init_default (cfg);
  rv_net_config_init (&cfg->net, RV_ACT_RELU, hidden, 2);
  rv_optim_config_init (&cfg->optim, kind);
  cfg->epochs = 1;
  cfg->batch_size = 100;
  cfg->train_limit = 600;
}

static gboolean
runs_settled (gpointer data)
{
  RvTrainingPage *page = data;
  for (guint i = 0; i < rv_training_page_get_n_runs (page); i++)
    {
      RvRunState s = rv_training_page_get_run_state (page, i);
      if (s != RV_RUN_DONE && s != RV_RUN_FAILED && s != RV_RUN_DIVERGED && s != RV_RUN_CANCELLED)
        return FALSE;
    }
  return rv_training_page_get_n_snapshots (page) > 0;
}

static void
check_layouts (void)
{
  g_autoptr (RvDataset) data = rv_dataset_new_synthetic (1200, 200, 3);
  g_autofree char *runs_dir = g_dir_make_tmp ("ravine-layout-XXXXXX", NULL);
  RvTrainingPage *page = g_object_ref_sink (g_object_new (RV_TYPE_TRAINING_PAGE, NULL));
  rv_training_page_set_device (page, "cpu");
  rv_training_page_set_data (page, data, runs_dir);
  GtkStack *content = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (page), RV_TYPE_TRAINING_PAGE,
                                                                "content_stack"));
  GtkWidget *loss = GTK_WIDGET (rv_training_page_get_loss_view (page));

  /* no runs: a placeholder says what to do, no empty axes */
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      GtkWidget *window = show_in_window (page, sizes[i][0], sizes[i][1]);
      if (!window)
        continue;
      g_assert_cmpstr (gtk_stack_get_visible_child_name (content), ==, "empty");
      g_assert_false (gtk_widget_get_mapped (loss));
      assert_fits (page, window, "no runs");
      shoot (window, "empty");
      take_back (window);
    }

  /* three runs, each with a long status line */
  const RvOptimKind kinds[] = { RV_OPTIM_SGD, RV_OPTIM_MOMENTUM, RV_OPTIM_ADAM };
  const char *names[] = { "relu_512x256x256x128_kaiming_sgd_lr0.1_e40_b256_s42",
                          "relu_512x256x256x128_kaiming_momentum_lr0.1_e40_b256_s42",
                          "relu_512x256x256x128_kaiming_adam_lr0.001_e40_b256_s42" };
  rv_training_page_set_snapshot_every (page, 2);
  gtk_check_button_set_active (rv_training_page_get_track_sharpness (page), TRUE);
  GtkWidget *window = show_in_window (page, 1280, 800);
  for (int r = 0; r < 3; r++)
    {
      RvTrainConfig cfg;
      small_config (&cfg, kinds[r]);
      rv_training_page_add_run (page, names[r], &cfg, TRUE);
    }
  g_assert_cmpstr (gtk_stack_get_visible_child_name (content), ==, "charts");
  g_assert_true (app_test_wait_for (runs_settled, page, 120));
  if (window)
    take_back (window);
  for (int r = 0; r < 3; r++)
    rv_training_page_set_run_status (page, r, LONG_STATUS);

  /* the comparison table holds the runs, the long status in full */
  GListModel *rows = G_LIST_MODEL (gtk_column_view_get_model (rv_training_page_get_comparison (page)));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);
  g_autoptr (RvRun) last = g_list_model_get_item (rows, 2);
  g_assert_cmpstr (rv_run_get_name (last), ==, names[2]);
  g_autofree char *status = rv_run_dup_cell (last, RV_RUN_COLUMN_STATUS);
  g_assert_cmpstr (status, ==, LONG_STATUS);

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      window = show_in_window (page, sizes[i][0], sizes[i][1]);
      if (!window)
        continue;
      g_assert_true (gtk_widget_get_mapped (loss));
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (rv_training_page_get_sharpness_view (page))));
      assert_fits (page, window, "three runs");
      shoot (window, "runs");
      /* where the charts leave height spare, the histograms take it */
      RvHistogramGrid *grid = rv_training_page_get_grid (page);
      int spare = spare_height (content);
      int nat;
      gtk_widget_measure (GTK_WIDGET (grid), GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (GTK_WIDGET (grid)),
                          NULL, &nat, NULL, NULL);
      g_test_message ("%d×%d: histograms %d px high, %d natural, %d px spare", sizes[i][0], sizes[i][1],
                      gtk_widget_get_height (GTK_WIDGET (grid)), nat, spare);
      if (spare > 0)
        g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (grid)), >=, nat + spare);
      if (sizes[i][0] == 1920 && sizes[i][1] == 1200)
        g_assert_cmpint (spare, >, 0);
      take_back (window);
    }

  rv_training_page_shutdown (page);
  g_object_unref (page);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", runs_dir);
  if (system (rm) != 0)
    g_warning ("could not remove %s", runs_dir);
}

/* Columns by the children's minimum width, in balanced rows. */
static void
test_reflow_columns (void)
{
  RvReflowBox *box = g_object_ref_sink (RV_REFLOW_BOX (rv_reflow_box_new ()));
  for (int i = 0; i < 5; i++)
    {
      GtkWidget *child = gtk_label_new (NULL);
      gtk_widget_set_size_request (child, 200, 100);
      rv_reflow_box_append (box, child);
    }
  g_assert_cmpuint (rv_reflow_box_columns_for_width (box, 1024), ==, 3); /* 4 fit: 3 + 2, not 4 + 1 */
  g_assert_cmpuint (rv_reflow_box_columns_for_width (box, 424), ==, 2);
  g_assert_cmpuint (rv_reflow_box_columns_for_width (box, 300), ==, 1);
  g_assert_cmpuint (rv_reflow_box_columns_for_width (box, 100), ==, 1);
  rv_reflow_box_set_max_columns (box, 2);
  g_assert_cmpuint (rv_reflow_box_columns_for_width (box, 1024), ==, 2);
  int min, nat;
  gtk_widget_measure (GTK_WIDGET (box), GTK_ORIENTATION_VERTICAL, 424, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, ==, 3 * 100 + 2 * 12);
  g_object_unref (box);
}

/* In a tall allocation fewer columns win when every child gets larger:
 * five panels in two columns of three rows rather than three columns
 * leaving the bottom empty; a short one keeps the widest layout. */
static void
test_reflow_fills_height (void)
{
  RvReflowBox *box = g_object_ref_sink (RV_REFLOW_BOX (rv_reflow_box_new ()));
  GtkWidget *children[5];
  rv_reflow_box_set_max_aspect (box, 0.9);
  for (int i = 0; i < 5; i++)
    {
      children[i] = gtk_label_new (NULL);
      gtk_widget_set_size_request (children[i], 200, 150);
      rv_reflow_box_append (box, children[i]);
    }
  gtk_widget_size_allocate (GTK_WIDGET (box), &(GtkAllocation) { 0, 0, 1000, 900 }, -1);
  g_assert_cmpint (gtk_widget_get_width (children[0]), >, 400);     /* two columns */
  g_assert_cmpint (gtk_widget_get_height (children[4]), >, 250);    /* rows grown into the height */
  graphene_rect_t last;
  g_assert_true (gtk_widget_compute_bounds (children[4], GTK_WIDGET (box), &last));
  g_assert_cmpfloat (last.origin.y + last.size.height, <=, 900);
  gtk_widget_size_allocate (GTK_WIDGET (box), &(GtkAllocation) { 0, 0, 1000, 340 }, -1);
  g_assert_cmpint (gtk_widget_get_width (children[0]), <, 340);     /* three columns */
  g_assert_true (gtk_widget_compute_bounds (children[4], GTK_WIDGET (box), &last));
  g_assert_cmpfloat (last.origin.y + last.size.height, <=, 340);
  g_object_unref (box);
}

static void
test_english (void)
{
  check_layouts ();
}

static void
test_german (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("LANGUAGE", "de", TRUE);
      check_layouts ();
      return;
    }
  g_test_trap_subprocess (NULL, 300 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_unsetenv ("LANGUAGE");
  g_unsetenv ("LC_MESSAGES");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  /* the sizes go up to 1920×1200, and GTK keeps a window within its monitor */
  GPid xvfb_pid = app_test_start_own_display (2000, 1300);
  gtk_test_init (&argc, &argv, NULL);
  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    g_error ("the C.UTF-8 locale is missing");
  const char *localedir = g_getenv ("RAVINE_LOCALEDIR");
  if (localedir && *localedir)
    {
      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  adw_init ();

  g_test_add_func ("/training-layout/reflow-columns", test_reflow_columns);
  g_test_add_func ("/training-layout/reflow-fills-height", test_reflow_fills_height);
  g_test_add_func ("/training-layout/en", test_english);
  g_test_add_func ("/training-layout/de", test_german);
  int status = g_test_run ();
  app_test_stop_own_display (xvfb_pid);
  return status;
}
