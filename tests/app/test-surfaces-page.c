/* test-surfaces-page.c: the Loss surfaces page under Xvfb: the tutorial's
 * preset runs 100 steps, and what the views draw is the core's trajectories. */
#include "rv-config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "app-test-util.h"
#include "rv-plot.h"
#include "rv-application.h"
#include "rv-surfaces-page.h"
#include "rv-trajectory.h"
#include "rv-window.h"

static RvWindow *window;
static RvSurfacesPage *page;

/* The page's run r holds exactly rv_trajectory_run's points. */
static void
assert_run_is_core (guint r, guint steps, double w1, double w2)
{
  RvSurfaceModel *model = rv_surfaces_page_get_model (page);
  const RvSurface *s = rv_surface_model_get_surface (model);
  g_autofree RvTrajectoryPoint *want = g_new (RvTrajectoryPoint, steps);
  guint n_want = 0, n_have = 0;
  rv_trajectory_run (s, rv_surfaces_page_get_run_config (page, r), w1, w2, steps, want, &n_want, NULL);
  const RvTrajectoryPoint *have = rv_surface_model_get_run_points (model, r, &n_have);
  g_assert_cmpuint (n_have, ==, n_want);
  g_assert_cmpmem (have, n_have * sizeof *have, want, n_want * sizeof *want);
}

static void
test_ravine_preset (void)
{
  rv_surfaces_page_load_preset (page, RV_SURFACES_PRESET_RAVINE);
  RvSurfaceModel *model = rv_surfaces_page_get_model (page);
  g_assert_cmpstr (rv_surface_model_get_surface (model)->name, ==, "pathological");
  g_assert_cmpuint (rv_surface_model_get_n_runs (model), ==, 3);
  rv_surfaces_page_show_steps (page, 100);
  g_assert_cmpuint (rv_surface_model_get_revealed (model), ==, 100);
  for (guint r = 0; r < 3; r++)
    assert_run_is_core (r, 100, 5, 5);

  /* the tutorial's story: SGD still far off the ravine floor, Adam on it */
  guint n = 0;
  const RvTrajectoryPoint *sgd = rv_surface_model_get_run_points (model, 0, &n);
  const RvTrajectoryPoint *adam = rv_surface_model_get_run_points (model, 2, &n);
  g_assert_cmpfloat (fabs (sgd[99].w1), >, 0.5);
  g_assert_cmpfloat (fabs (adam[99].w1), <, 0.1);

  /* the map draws the last point of each run where w_to_widget puts it, in its colour */
  g_autofree char *dir = g_dir_make_tmp ("ravine-surf-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "map.png", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_surfaces_page_export_view (page, "map", png, &error));
  cairo_surface_t *img = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (img), ==, 800);
  cairo_surface_destroy (img);
  for (const char *const *f = (const char *const[]) { "map.svg", "map.pdf", NULL }; *f; f++)
    {
      g_autofree char *p = g_build_filename (dir, *f, NULL);
      g_assert_true (rv_surfaces_page_export_view (page, "map", p, NULL));
      g_remove (p);
    }
  g_autofree char *p3d = g_build_filename (dir, "3d.png", NULL);
  g_assert_true (rv_surfaces_page_export_view (page, "3d", p3d, NULL));
  g_remove (p3d);
  g_remove (png);
  g_rmdir (dir);
  app_test_maybe_screenshot (GTK_WIDGET (window), "surfaces");
}

static gboolean never (gpointer data);

/* The heat map shows the ravine's whole race, or the surface's range. */
static void
test_map_view (void)
{
  rv_surfaces_page_load_preset (page, RV_SURFACES_PRESET_RAVINE);
  rv_surfaces_page_show_steps (page, 100);
  app_test_wait_for (never, NULL, 0.2);
  RvSurfaceModel *model = rv_surfaces_page_get_model (page);
  RvSurfaceMap *map = rv_surfaces_page_get_map (page);
  graphene_rect_t area;
  g_assert_true (rv_surface_map_get_plot_area (map, &area));
  for (guint r = 0; r < rv_surface_model_get_n_runs (model); r++)
    {
      guint n = 0;
      const RvTrajectoryPoint *p = rv_surface_model_get_run_points (model, r, &n);
      for (guint i = 0; i < n; i++)
        {
          double x, y;
          g_assert_true (rv_surface_map_w_to_widget (map, p[i].w1, p[i].w2, &x, &y));
          g_assert_true (x >= area.origin.x && x <= area.origin.x + area.size.width);
          g_assert_true (y >= area.origin.y && y <= area.origin.y + area.size.height);
        }
    }
  double v[4];
  rv_surface_map_get_view (map, &v[0], &v[1], &v[2], &v[3]);
  g_assert_cmpfloat (v[2], <, -13);

  /* a zoom, then Fit (Ctrl+0) undoes it */
  rv_surface_map_zoom_at (map, area.origin.x + 10, area.origin.y + 10, 3);
  double zoomed[4];
  rv_surface_map_get_view (map, &zoomed[0], &zoomed[1], &zoomed[2], &zoomed[3]);
  g_assert_cmpfloat (zoomed[1] - zoomed[0], <, (v[1] - v[0]) / 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "surfaces.fit-map", NULL));
  rv_surface_map_get_view (map, &zoomed[0], &zoomed[1], &zoomed[2], &zoomed[3]);
  g_assert_cmpmem (zoomed, sizeof zoomed, v, sizeof v);

  /* the surface's range, chosen on the page */
  GtkDropDown *range = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (page), RV_TYPE_SURFACES_PAGE, "map_range"));
  gtk_drop_down_set_selected (range, 1);
  g_assert_false (rv_surface_map_get_fit_runs (map));
  rv_surface_map_get_view (map, &v[0], &v[1], &v[2], &v[3]);
  g_assert_cmpfloat (v[0], ==, -5);
  g_assert_cmpfloat (v[3], ==, 5);
  gtk_drop_down_set_selected (range, 0);
  g_assert_true (rv_surface_map_get_fit_runs (map));
}

static void
test_steep_preset_and_changes (void)
{
  rv_surfaces_page_load_preset (page, RV_SURFACES_PRESET_STEEP);
  RvSurfaceModel *model = rv_surfaces_page_get_model (page);
  g_assert_cmpstr (rv_surface_model_get_surface (model)->name, ==, "steep");
  for (guint r = 0; r < 3; r++)
    assert_run_is_core (r, 100, 0, 0);
  guint n = 0;
  const RvTrajectoryPoint *adam = rv_surface_model_get_run_points (model, 2, &n);
  g_assert_cmpfloat (hypot (adam[n - 1].w1 + 0.5, adam[n - 1].w2 + 0.8), <, 0.1);

  /* a new learning rate or start point re-runs at once */
  rv_surfaces_page_set_run_lr (page, 2, 0.05);
  g_assert_cmpfloat (rv_surfaces_page_get_run_config (page, 2)->lr, ==, 0.05);
  assert_run_is_core (2, 100, 0, 0);
  rv_surfaces_page_set_start (page, 1.2, -0.3);
  for (guint r = 0; r < 3; r++)
    assert_run_is_core (r, 100, 1.2, -0.3);
}

static void
test_divergence (void)
{
  rv_surfaces_page_set_surface (page, "rosenbrock");
  RvOptimConfig c;
  rv_optim_config_init (&c, RV_OPTIM_SGD);
  c.lr = 1000;
  guint r = rv_surfaces_page_add_run (page, &c);
  const char *why = NULL;
  g_assert_true (rv_surface_model_get_run_diverged (rv_surfaces_page_get_model (page), r, &why));
  g_assert_nonnull (strstr (rv_surfaces_page_get_run_status (page, r), "step"));
  rv_surfaces_page_show_steps (page, 100);
}

static gboolean
some_revealed (gpointer model)
{
  return rv_surface_model_get_revealed (model) > 3;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
test_playback (void)
{
  rv_surfaces_page_load_preset (page, RV_SURFACES_PRESET_RAVINE);
  RvSurfaceModel *model = rv_surfaces_page_get_model (page);
  rv_surfaces_page_step (page);
  rv_surfaces_page_step (page);
  g_assert_cmpuint (rv_surface_model_get_revealed (model), ==, 2);
  rv_surfaces_page_reset (page);
  g_assert_cmpuint (rv_surface_model_get_revealed (model), ==, 0);
  rv_surfaces_page_set_playing (page, TRUE);
  g_assert_true (app_test_wait_for (some_revealed, model, 30));
  rv_surfaces_page_set_playing (page, FALSE);
  guint shown = rv_surface_model_get_revealed (model);
  g_assert_cmpuint (shown, >, 0);
  /* paused: it stays */
  app_test_wait_for (never, NULL, 0.3);
  g_assert_cmpuint (rv_surface_model_get_revealed (model), ==, shown);
}

static void
test_export_trajectories (void)
{
  rv_surfaces_page_load_preset (page, RV_SURFACES_PRESET_RAVINE);
  g_autofree char *dir = g_dir_make_tmp ("ravine-traj-XXXXXX", NULL);
  g_autofree char *json = g_build_filename (dir, "t.json", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_surfaces_page_export_trajectories (page, json, &error));
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_file (parser, json, NULL));
  JsonArray *runs = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "runs");
  g_assert_cmpuint (json_array_get_length (runs), ==, 3);
  JsonObject *first = json_array_get_object_element (runs, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "surface"), ==, "pathological");
  JsonArray *points = json_object_get_array_member (first, "points");
  g_assert_cmpuint (json_array_get_length (points), ==, 100);
  guint n = 0;
  const RvTrajectoryPoint *pts = rv_surface_model_get_run_points (rv_surfaces_page_get_model (page), 0, &n);
  JsonArray *last = json_array_get_array_element (points, 99);
  g_assert_cmpfloat (json_array_get_double_element (last, 0), ==, pts[99].w1);
  g_assert_cmpfloat (json_array_get_double_element (last, 2), ==, pts[99].loss);

  g_autofree char *csv = g_build_filename (dir, "t.csv", NULL);
  g_assert_true (rv_surfaces_page_export_trajectories (page, csv, NULL));
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (g_strstrip (text), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 300);

  g_autofree char *bad = g_build_filename (dir, "t.txt", NULL);
  g_assert_false (rv_surfaces_page_export_trajectories (page, bad, &error));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  g_remove (json);
  g_remove (csv);
  g_rmdir (dir);
}

static void
turn_camera (RvSurface3d *view)
{
  rv_surface_3d_set_azimuth (view, 100);
  rv_surface_3d_set_elevation (view, 70);
  rv_surface_3d_set_zoom (view, 2.5);
}

static void
assert_default_camera (RvSurface3d *view)
{
  g_assert_cmpfloat (rv_surface_3d_get_azimuth (view), ==, -35);
  g_assert_cmpfloat (rv_surface_3d_get_elevation (view), ==, 30);
  g_assert_cmpfloat (rv_surface_3d_get_zoom (view), ==, 1);
}

/* The button beside the 3-D view: the one button in the view's overlay. */
static GtkWidget *
reset_view_button (RvSurface3d *view)
{
  GtkWidget *overlay = gtk_widget_get_parent (GTK_WIDGET (view));
  for (GtkWidget *w = gtk_widget_get_first_child (overlay); w != NULL; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_BUTTON (w))
      return w;
  return NULL;
}

static void
test_3d_camera (void)
{
  RvSurface3d *view = rv_surfaces_page_get_3d (page);
  rv_surfaces_page_load_preset (page, RV_SURFACES_PRESET_RAVINE);

  /* playing keeps the camera the user chose */
  turn_camera (view);
  rv_surfaces_page_show_steps (page, 40);
  rv_surfaces_page_set_start (page, 4, 4);
  g_assert_cmpfloat (rv_surface_3d_get_azimuth (view), ==, 100);
  g_assert_cmpfloat (rv_surface_3d_get_zoom (view), ==, 2.5);

  /* a preset, the same one again too, starts from the default camera */
  rv_surfaces_page_load_preset (page, RV_SURFACES_PRESET_STEEP);
  assert_default_camera (view);
  turn_camera (view);
  rv_surfaces_page_load_preset (page, RV_SURFACES_PRESET_STEEP);
  assert_default_camera (view);

  /* so does another surface (what a lesson step sets) */
  turn_camera (view);
  rv_surfaces_page_set_surface (page, "rosenbrock");
  assert_default_camera (view);

  /* and the button */
  turn_camera (view);
  GtkWidget *button = reset_view_button (view);
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Reset the 3-D view");
  g_signal_emit_by_name (button, "clicked");
  assert_default_camera (view);
}

static void
test_loss_log_scale (void)
{
  app_test_check_log_toggle (rv_surfaces_page_get_loss_view (page), rv_surfaces_page_get_loss_log (page));
}


static gboolean
widget_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

/* The model's grid is f at its own points. */
static void
assert_grid_is (RvSurfaceModel *model, double (*f) (double, double))
{
  guint n = rv_surface_model_get_grid_n (model);
  const double *grid = rv_surface_model_get_grid (model);
  const double *w1 = rv_surface_model_get_grid_w1 (model), *w2 = rv_surface_model_get_grid_w2 (model);
  g_assert_cmpuint (n, >=, 2);
  for (guint j = 0; j < n; j++)
    for (guint i = 0; i < n; i++)
      g_assert_cmpfloat_with_epsilon (grid[j * n + i], f (w1[i], w2[j]), 1e-12);
}

static double
ellipse (double w1, double w2)
{
  return w1 * w1 + 10 * w2 * w2;
}

/* A teacher types a formula into the chooser's entry: the map and the runs
 * follow; a bad one is marked and explained and the surface stays. */
static void
test_custom_formula (void)
{
  rv_surfaces_page_load_preset (page, RV_SURFACES_PRESET_RAVINE);
  RvSurfaceModel *model = rv_surfaces_page_get_model (page);
  GtkEntry *entry = rv_surfaces_page_get_formula_entry (page);
  GtkLabel *error_label = rv_surfaces_page_get_formula_error (page);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (entry)));

  /* the chooser's last entry shows the formula entry; nothing changes yet */
  GtkDropDown *chooser = NULL;
  for (GtkWidget *w = gtk_widget_get_parent (GTK_WIDGET (entry)); w != NULL && chooser == NULL;
       w = gtk_widget_get_parent (w))
    for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
      if (GTK_IS_DROP_DOWN (c))
        {
          chooser = GTK_DROP_DOWN (c);
          break;
        }
  g_assert_nonnull (chooser);
  GListModel *names = gtk_drop_down_get_model (chooser);
  guint n_named = 0;
  rv_surface_list (&n_named);
  g_assert_cmpuint (g_list_model_get_n_items (names), ==, n_named + 1);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), n_named), ==, "Custom formula…");
  const RvSurface *before = rv_surface_model_get_surface (model);
  gtk_drop_down_set_selected (chooser, n_named);
  g_assert_true (app_test_wait_for (widget_mapped, entry, 5));
  g_assert_true (rv_surface_model_get_surface (model) == before);

  /* a good formula: the heat map is it, the runs start again from its start */
  gtk_editable_set_text (GTK_EDITABLE (entry), "w1^2 + 10*w2^2");
  g_signal_emit_by_name (entry, "activate");
  const RvSurface *typed = rv_surface_model_get_surface (model);
  g_assert_cmpstr (typed->name, ==, "expr");
  g_assert_cmpstr (typed->formula, ==, "w1^2 + 10*w2^2");
  assert_grid_is (model, ellipse);
  g_assert_cmpuint (rv_surface_model_get_n_runs (model), ==, 3);
  for (guint r = 0; r < 3; r++)
    assert_run_is_core (r, 100, -1.5, 1.5);
  /* Adam ends near the ellipse's minimum at the origin */
  guint n = 0;
  const RvTrajectoryPoint *adam = rv_surface_model_get_run_points (model, 2, &n);
  g_assert_cmpuint (n, ==, 100);
  g_assert_cmpfloat (ellipse (adam[99].w1, adam[99].w2), <, 0.1 * ellipse (-1.5, 1.5));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  g_assert_cmpuint (gtk_drop_down_get_selected (chooser), ==, n_named);
  app_test_maybe_screenshot (GTK_WIDGET (window), "surfaces-formula");

  /* a bad one: the entry is marked, the label names the column, nothing else moves */
  guint n_before = 0;
  const RvTrajectoryPoint *pts = rv_surface_model_get_run_points (model, 0, &n_before);
  g_autofree RvTrajectoryPoint *kept = g_memdup2 (pts, n_before * sizeof *pts);
  gtk_editable_set_text (GTK_EDITABLE (entry), "w1^2 + (10*w2");
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (rv_surface_model_get_surface (model) == typed);
  g_assert_true (app_test_wait_for (widget_mapped, error_label, 5));
  g_assert_cmpstr (gtk_label_get_label (error_label), ==, "Not a formula: column 14: expected ')'");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  guint n_after = 0;
  pts = rv_surface_model_get_run_points (model, 0, &n_after);
  g_assert_cmpmem (pts, n_after * sizeof *pts, kept, n_before * sizeof *kept);
  app_test_maybe_screenshot (GTK_WIDGET (window), "surfaces-formula-error");

  /* fixed, with the button this time */
  gtk_editable_set_text (GTK_EDITABLE (entry), "w1^2 + (10*w2^2)");
  GtkWidget *apply = gtk_widget_get_next_sibling (GTK_WIDGET (entry));
  g_assert_true (GTK_IS_BUTTON (apply));
  g_signal_emit_by_name (apply, "clicked");
  g_assert_cmpstr (rv_surface_model_get_surface (model)->formula, ==, "w1^2 + (10*w2^2)");
  assert_grid_is (model, ellipse);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));

  /* a named surface hides the entry; choosing "Custom formula…" brings the last one back */
  rv_surfaces_page_set_surface (page, "rosenbrock");
  g_assert_cmpstr (rv_surface_model_get_surface (model)->name, ==, "rosenbrock");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (entry)) && gtk_widget_is_visible (GTK_WIDGET (entry)));
  gtk_drop_down_set_selected (chooser, n_named);
  g_assert_cmpstr (rv_surface_model_get_surface (model)->formula, ==, "w1^2 + (10*w2^2)");

  /* outside the formula's domain a run stops and says so */
  g_assert_true (rv_surfaces_page_set_formula (page, "log(w1 + 1.6) + w2^2", NULL));
  RvOptimConfig sgd;
  rv_optim_config_init (&sgd, RV_OPTIM_SGD);
  sgd.lr = 1;
  guint r = rv_surfaces_page_add_run (page, &sgd);
  const char *why = NULL;
  g_assert_true (rv_surface_model_get_run_diverged (model, r, &why));
  g_assert_cmpstr (why, ==, "diverged at step 1: loss is nan");
  g_assert_nonnull (strstr (rv_surfaces_page_get_run_status (page, r), "the formula has no value there"));

  /* the API says why too */
  g_autoptr (GError) error = NULL;
  g_assert_false (rv_surfaces_page_set_formula (page, "sin w1", &error));
  g_assert_cmpstr (error->message, ==, "column 5: expected '(' after sin");
  g_assert_cmpstr (gtk_label_get_label (error_label), ==, "Not a formula: column 5: expected '(' after sin");
  rv_surfaces_page_set_surface (page, "pathological");
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (error_label)));
}

/* The core's states for run r from (w1, w2), as the page has no say in them. */
static RvTrajectoryState *
core_states (guint r, guint steps, double w1, double w2)
{
  const RvSurface *s = rv_surface_model_get_surface (rv_surfaces_page_get_model (page));
  g_autofree RvTrajectoryPoint *points = g_new (RvTrajectoryPoint, steps);
  RvTrajectoryState *states = g_new (RvTrajectoryState, steps);
  guint n = 0;
  g_assert_true (rv_trajectory_run_with_state (s, rv_surfaces_page_get_run_config (page, r), w1, w2, steps, points,
                                               states, &n, NULL));
  g_assert_cmpuint (n, ==, steps);
  return states;
}

/* The arrow of kind among those the map draws for a run, or NULL. */
static const RvSurfaceMapArrow *
find_arrow (const RvSurfaceMapArrow *arrows, guint n, RvSurfaceMapArrowKind kind)
{
  for (guint i = 0; i < n; i++)
    if (arrows[i].kind == kind)
      return &arrows[i];
  return NULL;
}

/* The step inspector's arrows are the core's optimizer state at the step
 * shown, for SGD, momentum and Adam, drawn to the scales the caption
 * states; the momentum and Adam arrows obey the tutorial's rules. */
static void
test_inspector (void)
{
  rv_surfaces_page_load_preset (page, RV_SURFACES_PRESET_RAVINE);
  RvSurfaceModel *model = rv_surfaces_page_get_model (page);
  RvSurfaceMap *map = rv_surfaces_page_get_map (page);
  RvSurfaceMapArrow arrows[RV_SURFACE_MAP_N_ARROW_KINDS];
  app_test_wait_for (never, NULL, 0.2);
  /* nothing revealed: nothing to inspect */
  for (guint r = 0; r < 3; r++)
    g_assert_cmpuint (rv_surface_map_get_inspector_arrows (map, r, arrows), ==, 0);

  const RvOptimKind kinds[3] = { RV_OPTIM_SGD, RV_OPTIM_MOMENTUM, RV_OPTIM_ADAM };
  const guint wanted[3] = { 2, 3, 4 };
  RvTrajectoryState *core[3];
  for (guint r = 0; r < 3; r++)
    {
      g_assert_cmpint (rv_surfaces_page_get_run_config (page, r)->kind, ==, kinds[r]);
      core[r] = core_states (r, 100, 5, 5);
    }
  graphene_rect_t area;
  for (guint shown = 1; shown <= 40; shown += 13)
    {
      rv_surfaces_page_show_steps (page, shown);
      app_test_wait_for (never, NULL, 0.05);
      g_assert_true (rv_surface_map_get_plot_area (map, &area));
      double x0, y0, x1, y1;
      g_assert_true (rv_surface_map_w_to_widget (map, 0, 0, &x0, &y0));
      g_assert_true (rv_surface_map_w_to_widget (map, 1, 0, &x1, &y1));
      const double px_per_w = x1 - x0, factor = rv_surface_map_get_step_factor (map);
      g_assert_cmpfloat (factor, >=, 1);
      g_assert_cmpfloat (fabs (log10 (factor) - round (log10 (factor))), <, 1e-9);
      for (guint r = 0; r < 3; r++)
        {
          const RvTrajectoryState *st = &core[r][shown - 1];
          const RvTrajectoryPoint *p = &rv_surface_model_get_run_points (model, r, NULL)[shown - 1];
          guint n = rv_surface_map_get_inspector_arrows (map, r, arrows);
          g_assert_cmpuint (n, ==, wanted[r]);
          double longest = 0;
          for (guint i = 0; i < n; i++)
            {
              g_assert_cmpfloat (arrows[i].w1, ==, p->w1);
              g_assert_cmpfloat (arrows[i].w2, ==, p->w2);
              if (arrows[i].kind != RV_SURFACE_MAP_ARROW_STEP)
                longest = MAX (longest, hypot (arrows[i].d1, arrows[i].d2) * arrows[i].scale);
            }
          /* the longest of the gradient-sized arrows is a fifth of the plot */
          g_assert_cmpfloat_with_epsilon (longest, 0.2 * MIN (area.size.width, area.size.height), 1e-3);

          const RvSurfaceMapArrow *a = find_arrow (arrows, n, RV_SURFACE_MAP_ARROW_GRADIENT);
          g_assert_nonnull (a);
          g_assert_cmpfloat (a->d1, ==, -st->grad[0]);
          g_assert_cmpfloat (a->d2, ==, -st->grad[1]);
          a = find_arrow (arrows, n, RV_SURFACE_MAP_ARROW_STEP);
          g_assert_nonnull (a);
          g_assert_cmpfloat (a->d1, ==, st->step[0]);
          g_assert_cmpfloat (a->d2, ==, st->step[1]);
          g_assert_cmpfloat_with_epsilon (a->scale, px_per_w * factor, 1e-9 * a->scale);
          const RvOptimConfig *c = rv_surfaces_page_get_run_config (page, r);
          if (kinds[r] == RV_OPTIM_SGD)
            {
              /* w -= lr g */
              g_assert_cmpfloat_with_epsilon (a->d1, -c->lr * st->grad[0], 1e-5 * fabs (a->d1) + 1e-6);
              g_assert_null (find_arrow (arrows, n, RV_SURFACE_MAP_ARROW_VELOCITY));
            }
          else if (kinds[r] == RV_OPTIM_MOMENTUM)
            {
              const RvSurfaceMapArrow *m = find_arrow (arrows, n, RV_SURFACE_MAP_ARROW_VELOCITY);
              g_assert_nonnull (m);
              g_assert_cmpfloat (m->d1, ==, -st->velocity[0]);
              g_assert_cmpfloat (m->d2, ==, -st->velocity[1]);
              /* m = (1 - b) g + b m_prev, w -= lr m */
              const double prev[2] = { shown > 1 ? core[r][shown - 2].velocity[0] : 0,
                                       shown > 1 ? core[r][shown - 2].velocity[1] : 0 };
              for (int i = 0; i < 2; i++)
                {
                  double want = (1 - c->momentum) * st->grad[i] + c->momentum * prev[i];
                  g_assert_cmpfloat_with_epsilon (st->velocity[i], want, 1e-5 * (fabs (want) + fabs (st->grad[i])) + 1e-7);
                }
              g_assert_cmpfloat_with_epsilon (a->d2, -c->lr * st->velocity[1], 1e-4 * fabs (a->d2) + 1e-5);
            }
          else
            {
              const RvSurfaceMapArrow *m = find_arrow (arrows, n, RV_SURFACE_MAP_ARROW_M_HAT);
              const RvSurfaceMapArrow *v = find_arrow (arrows, n, RV_SURFACE_MAP_ARROW_SQRT_V);
              g_assert_nonnull (m);
              g_assert_nonnull (v);
              g_assert_cmpfloat (m->d1, ==, -st->m_hat[0]);
              g_assert_cmpfloat (v->d2, ==, st->sqrt_v_hat[1]);
              /* the effective step per coordinate: -lr m-hat / (sqrt(v-hat) + eps) */
              for (int i = 0; i < 2; i++)
                {
                  double want = c->lr * (i ? m->d2 : m->d1) / ((i ? v->d2 : v->d1) + c->eps);
                  g_assert_cmpfloat_with_epsilon (i ? a->d2 : a->d1, want, 1e-5 * fabs (want) + 1e-5);
                }
              /* m-hat is m with the bias correction 1 - b1^t */
              g_assert_cmpfloat_with_epsilon (st->m_hat[0] * (1 - pow (c->beta1, shown)), st->velocity[0],
                                              1e-5 * fabs (st->velocity[0]) + 1e-7);
            }
        }
      /* the panel spells out the chosen run's numbers, in the reader's style */
      rv_surfaces_page_set_inspector_run (page, 2);
      const char *text = gtk_label_get_label (rv_surfaces_page_get_inspector_numbers (page));
      g_autofree char *g1 = rv_plot_format_value (core[2][shown - 1].grad[0]);
      g_autofree char *mh = rv_plot_format_value (core[2][shown - 1].m_hat[1]);
      g_test_message ("step %u: %s", shown, text);
      g_assert_nonnull (strstr (text, g1));
      g_assert_nonnull (strstr (text, mh));
      g_assert_nonnull (strstr (text, "m̂"));
    }
  app_test_maybe_screenshot (GTK_WIDGET (window), "surfaces-inspector");
  app_test_maybe_screenshot (GTK_WIDGET (map), "surfaces-inspector-map");

  /* off: no arrows */
  GtkCheckButton *toggle = GTK_CHECK_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (page), RV_TYPE_SURFACES_PAGE,
                                                                            "inspector_toggle"));
  gtk_check_button_set_active (toggle, FALSE);
  g_assert_cmpuint (rv_surface_map_get_inspector_arrows (map, 0, arrows), ==, 0);
  gtk_check_button_set_active (toggle, TRUE);
  g_assert_cmpuint (rv_surface_map_get_inspector_arrows (map, 0, arrows), ==, 2);
  for (guint r = 0; r < 3; r++)
    g_free (core[r]);
}

/* Dragging a slider re-runs the trajectory with its value; so do the keys. */
static void
test_sliders (void)
{
  rv_surfaces_page_load_preset (page, RV_SURFACES_PRESET_RAVINE);
  RvSurfaceModel *model = rv_surfaces_page_get_model (page);
  rv_surfaces_page_show_steps (page, 100);

  /* the lr slider is log10 (lr), rounded to three significant digits */
  GtkRange *lr = rv_surfaces_page_get_run_lr_slider (page, 0);
  g_assert_cmpfloat_with_epsilon (gtk_range_get_value (lr), 1.0, 1e-12);
  g_autofree RvTrajectoryPoint *before = g_memdup2 (rv_surface_model_get_run_points (model, 0, NULL),
                                                    100 * sizeof (RvTrajectoryPoint));
  const double xs[] = { -1.3, 0.477, 0.9 };
  for (gsize i = 0; i < G_N_ELEMENTS (xs); i++)
    {
      gtk_adjustment_set_value (gtk_range_get_adjustment (lr), xs[i]);
      char buf[32];
      g_snprintf (buf, sizeof buf, "%.3g", pow (10, xs[i]));
      double want = g_ascii_strtod (buf, NULL);
      g_assert_cmpfloat (rv_surfaces_page_get_run_config (page, 0)->lr, ==, want);
      assert_run_is_core (0, 100, 5, 5);
      /* the others stay */
      assert_run_is_core (1, 100, 5, 5);
    }
  g_assert_cmpfloat (rv_surfaces_page_get_run_config (page, 0)->lr, ==, 7.94);
  g_assert_true (memcmp (before, rv_surface_model_get_run_points (model, 0, NULL), 100 * sizeof *before) != 0);

  /* the keyboard: an arrow key's step, as the scale's key binding moves it */
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (lr)));
  double x = gtk_range_get_value (lr);
  g_signal_emit_by_name (lr, "move-slider", GTK_SCROLL_STEP_RIGHT);
  g_assert_cmpfloat (gtk_range_get_value (lr), >, x);
  g_assert_cmpfloat (rv_surfaces_page_get_run_config (page, 0)->lr, >, 7.94);
  assert_run_is_core (0, 100, 5, 5);

  /* β of the momentum run, Adam's β1 and β2; SGD has none */
  g_assert_null (rv_surfaces_page_get_run_beta_slider (page, 0, "momentum"));
  g_assert_null (rv_surfaces_page_get_run_beta_slider (page, 1, "beta1"));
  GtkRange *beta = rv_surfaces_page_get_run_beta_slider (page, 1, "momentum");
  g_assert_nonnull (beta);
  gtk_adjustment_set_value (gtk_range_get_adjustment (beta), 0.5);
  g_assert_cmpfloat (rv_surfaces_page_get_run_config (page, 1)->momentum, ==, 0.5);
  assert_run_is_core (1, 100, 5, 5);
  GtkRange *b2 = rv_surfaces_page_get_run_beta_slider (page, 2, "beta2");
  gtk_adjustment_set_value (gtk_range_get_adjustment (b2), 0.9);
  g_assert_cmpfloat (rv_surfaces_page_get_run_config (page, 2)->beta2, ==, 0.9);
  assert_run_is_core (2, 100, 5, 5);
  GtkRange *b1 = rv_surfaces_page_get_run_beta_slider (page, 2, "beta1");
  gtk_adjustment_set_value (gtk_range_get_adjustment (b1), 0.5);
  g_assert_cmpfloat (rv_surfaces_page_get_run_config (page, 2)->beta1, ==, 0.5);
  assert_run_is_core (2, 100, 5, 5);

  /* a rate set by code keeps its exact value, and the slider follows */
  rv_surfaces_page_set_run_lr (page, 0, 0.2);
  g_assert_cmpfloat (rv_surfaces_page_get_run_config (page, 0)->lr, ==, 0.2);
  g_assert_cmpfloat_with_epsilon (gtk_range_get_value (lr), log10 (0.2), 1e-12);

  /* the step scrubber is the step shown */
  GtkRange *scrub = rv_surfaces_page_get_step_slider (page);
  gtk_range_set_value (scrub, 30);
  g_assert_cmpuint (rv_surface_model_get_revealed (model), ==, 30);
  rv_surfaces_page_step (page);
  g_assert_cmpfloat (gtk_range_get_value (scrub), ==, 31);
  app_test_maybe_screenshot (GTK_WIDGET (window), "surfaces-sliders");
}

/* The stability map is the core's grid for the New run optimizer, and a
 * click on a cell adds the run it stands for. */
static void
test_stability (void)
{
  rv_surfaces_page_load_preset (page, RV_SURFACES_PRESET_RAVINE);
  GtkDropDown *optimizer = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (page), RV_TYPE_SURFACES_PAGE,
                                                                         "optimizer"));
  gtk_drop_down_set_selected (optimizer, RV_OPTIM_MOMENTUM);
  rv_surfaces_page_show_stability (page, TRUE);
  AdwFlap *flap = rv_surfaces_page_get_flap (page);
  adw_flap_set_reveal_flap (flap, TRUE);
  app_test_wait_for (never, NULL, 0.3);

  RvOptimConfig base;
  const RvStabilityGrid *grid = rv_surfaces_page_get_stability_grid (page, &base);
  g_assert_cmpint (base.kind, ==, RV_OPTIM_MOMENTUM);
  g_assert_cmpstr (grid->param, ==, "momentum");
  g_assert_cmpuint (grid->n_steps, ==, 100);
  const RvSurface *s = rv_surface_model_get_surface (rv_surfaces_page_get_model (page));
  g_autofree double *loss = g_new (double, grid->n_lr * grid->n_beta);
  g_assert_true (rv_stability_map (s, &base, grid, 5, 5, loss, NULL));

  /* a cell: its centre maps back to it, and clicking it adds its run */
  RvStabilityView *view = rv_surfaces_page_get_stability (page);
  const guint i = grid->n_lr - 5, j = grid->n_beta - 3;
  double x, y;
  guint ci = 99, cj = 99;
  g_assert_true (rv_stability_view_get_cell_center (view, i, j, &x, &y));
  g_assert_true (rv_stability_view_cell_at (view, x, y, &ci, &cj));
  g_assert_cmpuint (ci, ==, i);
  g_assert_cmpuint (cj, ==, j);
  RvSurfaceModel *model = rv_surfaces_page_get_model (page);
  guint before = rv_surface_model_get_n_runs (model);
  g_signal_emit_by_name (view, "cell-activated", i, j);
  g_assert_cmpuint (rv_surface_model_get_n_runs (model), ==, before + 1);
  const RvOptimConfig *c = rv_surfaces_page_get_run_config (page, before);
  g_assert_cmpint (c->kind, ==, RV_OPTIM_MOMENTUM);
  g_assert_cmpfloat (c->lr, ==, rv_stability_lr (grid, i));
  g_assert_cmpfloat_with_epsilon (c->lr, pow (10, grid->lr_log_min + (grid->lr_log_max - grid->lr_log_min) * i / (grid->n_lr - 1)), 5e-3 * c->lr);
  g_assert_cmpfloat_with_epsilon (c->momentum, grid->beta_min + (grid->beta_max - grid->beta_min) * j / (grid->n_beta - 1), 1e-12);
  assert_run_is_core (before, 100, 5, 5);
  guint n = 0;
  const RvTrajectoryPoint *p = rv_surface_model_get_run_points (model, before, &n);
  g_assert_cmpuint (n, ==, 100);
  g_assert_cmpfloat (p[n - 1].loss, ==, loss[j * grid->n_lr + i]);
  app_test_maybe_screenshot (GTK_WIDGET (window), "surfaces-stability");
  app_test_maybe_screenshot (GTK_WIDGET (view), "surfaces-stability-map");

  /* Rosenbrock with SGD: a single row over lr, the large rates diverged */
  gtk_drop_down_set_selected (optimizer, RV_OPTIM_SGD);
  rv_surfaces_page_set_surface (page, "rosenbrock");
  grid = rv_surfaces_page_get_stability_grid (page, &base);
  g_assert_null (grid->param);
  g_assert_cmpuint (grid->n_beta, ==, 1);
  s = rv_surface_model_get_surface (model);
  g_free (loss);
  loss = g_new (double, grid->n_lr);
  g_assert_true (rv_stability_map (s, &base, grid, s->start[0], s->start[1], loss, NULL));
  g_assert_true (isnan (loss[grid->n_lr - 1]));
  g_assert_false (isnan (loss[0]));
  app_test_wait_for (never, NULL, 0.2);
  app_test_maybe_screenshot (GTK_WIDGET (view), "surfaces-stability-sgd");
  rv_surfaces_page_show_stability (page, FALSE);
  adw_flap_set_reveal_flap (flap, TRUE);
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("RAVINE_DATA_DIR", "/nonexistent-ravine-data", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  RvApplication *app = rv_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = rv_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1500, 1000);
  rv_window_show_page (window, "surfaces");
  gtk_window_present (GTK_WINDOW (window));
  page = RV_SURFACES_PAGE (rv_window_get_surfaces_page (window));

  g_test_add_func ("/surfaces-page/ravine-preset", test_ravine_preset);
  g_test_add_func ("/surfaces-page/map-view", test_map_view);
  g_test_add_func ("/surfaces-page/steep-preset-and-changes", test_steep_preset_and_changes);
  g_test_add_func ("/surfaces-page/divergence", test_divergence);
  g_test_add_func ("/surfaces-page/playback", test_playback);
  g_test_add_func ("/surfaces-page/export-trajectories", test_export_trajectories);
  g_test_add_func ("/surfaces-page/3d-camera", test_3d_camera);
  g_test_add_func ("/surfaces-page/loss-log-scale", test_loss_log_scale);
  g_test_add_func ("/surfaces-page/custom-formula", test_custom_formula);
  g_test_add_func ("/surfaces-page/inspector", test_inspector);
  g_test_add_func ("/surfaces-page/sliders", test_sliders);
  g_test_add_func ("/surfaces-page/stability", test_stability);
  int status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  return status;
}
