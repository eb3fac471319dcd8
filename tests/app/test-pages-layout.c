/* test-pages-layout.c: the Initialization and Loss surfaces pages fit a
 * 1024 × 600 screen and larger ones: in a window of each size, no widget
 * lies outside the window unless it can be scrolled to, no label is cut
 * without an ellipsis, the window could be no larger than 1024 × 600, and
 * the controls fold over the content when there is no room for both.
 *
 * RAVINE_TEST_LAYOUT_DUMP=1 prints each widget's size and minimum, to find
 * what widens a page. */
#include "rv-config.h"

#include <string.h>

#include "app-test-util.h"
#include "rv-application.h"
#include "rv-chart.h"
#include "rv-init-page.h"
#include "rv-landscape-page.h"
#include "rv-surfaces-page.h"
#include "rv-window.h"

static RvWindow *window;

typedef struct {
  int width, height;
} Size;

static const Size sizes[] = { { 1024, 600 }, { 1280, 800 }, { 1920, 1080 } };

static gboolean
window_is (gpointer data)
{
  const Size *size = data;
  return gtk_widget_get_width (GTK_WIDGET (window)) == size->width
         && gtk_widget_get_height (GTK_WIDGET (window)) == size->height;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static gboolean
window_shown (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (window)) && gtk_widget_get_width (GTK_WIDGET (window)) > 0;
}

/* Shows the window at width × height and lets layout settle.  Without a
 * window manager the default size includes the client-side shadow: ask for
 * more until the window itself has the size.  FALSE when the screen is
 * too small for it (where no Xvfb of the test's own could start). */
static gboolean
resize_window (int width, int height)
{
  Size size = { width, height };
  int ask_w = width, ask_h = height;
  for (int attempt = 0; attempt < 4 && !window_is (&size); attempt++)
    {
      gtk_widget_hide (GTK_WIDGET (window));
      gtk_window_set_default_size (GTK_WINDOW (window), ask_w, ask_h);
      gtk_window_present (GTK_WINDOW (window));
      app_test_wait_for (window_shown, NULL, 10);
      app_test_wait_for (never, NULL, 0.3);
      ask_w += width - gtk_widget_get_width (GTK_WIDGET (window));
      ask_h += height - gtk_widget_get_height (GTK_WIDGET (window));
    }
  if (!window_is (&size))
    {
      GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
      GdkMonitor *monitor = gdk_display_get_monitor_at_surface (gdk_surface_get_display (surface), surface);
      GdkRectangle screen = { 0 };
      gdk_monitor_get_geometry (monitor, &screen);
      if (screen.width < width + 20 || screen.height < height + 20)
        {
          g_test_message ("the screen (%d × %d) is too small for a %d × %d window", screen.width, screen.height,
                          width, height);
          return FALSE;
        }
      g_error ("the window is %d × %d, not %d × %d", gtk_widget_get_width (GTK_WIDGET (window)),
               gtk_widget_get_height (GTK_WIDGET (window)), width, height);
    }
  /* a page may lay out again after its first allocation */
  app_test_wait_for (never, NULL, 0.3);
  return TRUE;
}

static void
dump (GtkWidget *w, int depth)
{
  graphene_rect_t r;
  int min_w = 0, min_h = 0;
  if (!gtk_widget_get_mapped (w) || !gtk_widget_compute_bounds (w, GTK_WIDGET (window), &r))
    return;
  gtk_widget_measure (w, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  gtk_widget_measure (w, GTK_ORIENTATION_VERTICAL, -1, &min_h, NULL, NULL, NULL);
  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (w));
  g_printerr ("%*s%s %s %.0f,%.0f %.0f×%.0f min %d×%d\n", 2 * depth, "", G_OBJECT_TYPE_NAME (w), id ? id : "",
              r.origin.x, r.origin.y, r.size.width, r.size.height, min_w, min_h);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    dump (c, depth + 1);
}

static gboolean
rect_inside (const graphene_rect_t *r, const graphene_rect_t *outer)
{
  const float slack = 1;
  return r->origin.x >= outer->origin.x - slack && r->origin.y >= outer->origin.y - slack
         && r->origin.x + r->size.width <= outer->origin.x + outer->size.width + slack
         && r->origin.y + r->size.height <= outer->origin.y + outer->size.height + slack;
}

static char *
describe (GtkWidget *w)
{
  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (w));
  const char *text = GTK_IS_LABEL (w) ? gtk_label_get_text (GTK_LABEL (w)) : NULL;
  return g_strdup_printf ("%s%s%s%s%s", G_OBJECT_TYPE_NAME (w), id ? " #" : "", id ? id : "", text ? " " : "",
                          text ? text : "");
}

/* The walk of helper-layout.md: every mapped widget inside the window, or
 * inside the content of the nearest scrolled window around it; and no
 * label narrower than it needs without ellipsizing or wrapping.  Adds what
 * is clipped to problems. */
static void
check_clipping (GtkWidget *w, const graphene_rect_t *room, GString *problems)
{
  graphene_rect_t r;
  /* a scrollbar's slider may overhang its trough by design */
  if (!gtk_widget_get_mapped (w) || (GTK_IS_NATIVE (w) && w != GTK_WIDGET (window)) || GTK_IS_SCROLLBAR (w))
    return;
  if (!gtk_widget_compute_bounds (w, GTK_WIDGET (window), &r))
    return;
  /* a label squeezed below its minimum height: its lines are cut */
  int min_h = 0;
  if (GTK_IS_LABEL (w))
    gtk_widget_measure (w, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (w), &min_h, NULL, NULL, NULL);
  min_h -= gtk_widget_get_margin_top (w) + gtk_widget_get_margin_bottom (w);
  if (GTK_IS_LABEL (w) && gtk_widget_get_height (w) + 1 < min_h)
    {
      g_autofree char *what = describe (w);
      g_string_append_printf (problems, "%s squeezed: %d px high of %d\n", what, gtk_widget_get_height (w), min_h);
    }
  /* the window itself, with its shadow, is the room */
  if (w != GTK_WIDGET (window) && r.size.width > 0 && r.size.height > 0 && !rect_inside (&r, room))
    {
      g_autofree char *what = describe (w);
      g_string_append_printf (problems, "%s at %.0f,%.0f %.0f×%.0f outside %.0f,%.0f %.0f×%.0f\n", what,
                              r.origin.x, r.origin.y, r.size.width, r.size.height, room->origin.x,
                              room->origin.y, room->size.width, room->size.height);
    }
  if (GTK_IS_LABEL (w) && gtk_label_get_ellipsize (GTK_LABEL (w)) == PANGO_ELLIPSIZE_NONE
      && !gtk_label_get_wrap (GTK_LABEL (w)))
    {
      int min = 0;
      gtk_widget_measure (w, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      min -= gtk_widget_get_margin_start (w) + gtk_widget_get_margin_end (w);
      if (gtk_widget_get_width (w) < min)
        {
          g_autofree char *what = describe (w);
          g_string_append_printf (problems, "%s cut: %d px of %d\n", what, gtk_widget_get_width (w), min);
        }
    }
  /* what a scrolled window holds may extend as far as its content does */
  GtkWidget *content = GTK_IS_SCROLLED_WINDOW (w) ? gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (w))
                       : GTK_IS_VIEWPORT (w) ? gtk_viewport_get_child (GTK_VIEWPORT (w)) : NULL;
  graphene_rect_t content_room;
  if (content == NULL || !gtk_widget_compute_bounds (content, GTK_WIDGET (window), &content_room))
    content = NULL;
  else if (GTK_IS_SCROLLED_WINDOW (w))
    {
      /* not in a direction it does not scroll */
      GtkPolicyType h, v;
      const graphene_rect_t own = r;
      gtk_scrolled_window_get_policy (GTK_SCROLLED_WINDOW (w), &h, &v);
      if (h == GTK_POLICY_NEVER)
        {
          content_room.origin.x = own.origin.x;
          content_room.size.width = own.size.width;
        }
      if (v == GTK_POLICY_NEVER)
        {
          content_room.origin.y = own.origin.y;
          content_room.size.height = own.size.height;
        }
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    check_clipping (c, c == content ? &content_room : room, problems);
}

static void
assert_fits (const char *what)
{
  GtkWidget *win = GTK_WIDGET (window);
  if (g_getenv ("RAVINE_TEST_LAYOUT_DUMP"))
    dump (win, 0);
  graphene_rect_t room = GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (win), gtk_widget_get_height (win));
  g_autoptr (GString) problems = g_string_new (NULL);
  check_clipping (win, &room, problems);
  if (problems->len > 0)
    g_error ("%s: clipped:\n%s", what, problems->str);

  int min_w = 0, min_h = 0;
  gtk_widget_measure (win, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  gtk_widget_measure (win, GTK_ORIENTATION_VERTICAL, -1, &min_h, NULL, NULL, NULL);
  if (min_w > 1024 || min_h > 600)
    g_error ("%s: the window cannot get smaller than %d × %d", what, min_w, min_h);
}

/* The page itself: no wider than 1024 with its controls folded, and short. */
static void
assert_page_minimum (GtkWidget *page, const char *what)
{
  int min_w = 0, min_h = 0;
  gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  gtk_widget_measure (page, GTK_ORIENTATION_VERTICAL, -1, &min_h, NULL, NULL, NULL);
  if (min_w > 1024 || min_h > 520)
    g_error ("%s: the page needs at least %d × %d", what, min_w, min_h);
}

static void
shoot (const char *page, int width, int height, const char *state)
{
  g_autofree char *name = g_strdup_printf ("layout-%s-%dx%d-%s", page, width, height, state);
  app_test_maybe_screenshot (GTK_WIDGET (window), name);
}

/* Every size, then with the controls shown over the content where they
 * fold, then with the lesson open beside the page. */
static void
check_page (const char *name, GtkWidget *page, AdwFlap *flap, const char *state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      const Size *s = &sizes[i];
      g_autofree char *what = g_strdup_printf ("%s at %d × %d, %s", name, s->width, s->height, state);
      if (!resize_window (s->width, s->height))
        continue;
      assert_fits (what);
      assert_page_minimum (page, what);
      shoot (name, s->width, s->height, state);
      if (adw_flap_get_folded (flap))
        {
          adw_flap_set_reveal_flap (flap, TRUE);
          app_test_wait_for (never, NULL, 0.5);
          g_autofree char *open = g_strdup_printf ("%s, controls open", what);
          assert_fits (open);
          adw_flap_set_reveal_flap (flap, FALSE);
          app_test_wait_for (never, NULL, 0.5);
        }
      /* the content alone must fit, and it needs the room of a 1024 screen
       * at most: the flap folds before the two get too wide */
      if (s->width == 1024)
        {
          int content_min = 0;
          gtk_widget_measure (adw_flap_get_content (flap), GTK_ORIENTATION_HORIZONTAL, -1, &content_min, NULL,
                              NULL, NULL);
          g_assert_cmpint (content_min, <=, 1024);
        }
    }

  /* the lesson beside the page, on the smallest screen */
  g_action_group_activate_action (G_ACTION_GROUP (window), "lesson", NULL);
  g_assert_true (resize_window (1024, 600));
  g_autofree char *lesson = g_strdup_printf ("%s at 1024 × 600 with the lesson, %s", name, state);
  rv_window_show_page (window, name);
  app_test_wait_for (never, NULL, 0.3);
  assert_fits (lesson);
  g_autofree char *lesson_state = g_strconcat (state, "-lesson", NULL);
  shoot (name, 1024, 600, lesson_state);
  g_action_group_activate_action (G_ACTION_GROUP (window), "lesson", NULL);
}

static gboolean
init_result_shown (gpointer page)
{
  return rv_init_page_get_shown_serial (page) > 0;
}

static gboolean
init_result_current (gpointer page)
{
  return rv_init_page_get_shown_serial (page) == rv_init_page_get_requested_serial (page);
}

static void
test_init_page (void)
{
  rv_window_show_page (window, "initialization");
  RvInitPage *page = RV_INIT_PAGE (rv_window_get_init_page (window));
  g_assert_true (app_test_wait_for (init_result_shown, page, 120));
  AdwFlap *flap = rv_init_page_get_flap (page);
  g_assert_true (ADW_IS_FLAP (flap));
  g_assert_true (gtk_widget_get_parent (GTK_WIDGET (flap)) == GTK_WIDGET (page));
  check_page ("initialization", GTK_WIDGET (page), flap, "histograms");
  rv_init_page_configure (page, NULL, NULL, NULL, "depth", NULL);
  check_page ("initialization", GTK_WIDGET (page), flap, "depth");
  /* f(z), each panel with its caption's second line ("saturated: 32 %") */
  rv_init_page_configure (page, "tanh", "normal:0.1", NULL, "post-activations", NULL);
  g_assert_true (app_test_wait_for (init_result_current, page, 120));
  RvHistogramView *first = rv_histogram_grid_get_view (rv_init_page_get_grid (page, RV_PROBE_POST_ACTIVATION), 0);
  g_assert_nonnull (rv_histogram_get_note (rv_histogram_view_get_model (first)));
  check_page ("initialization", GTK_WIDGET (page), flap, "post-activations");
  rv_init_page_configure (page, NULL, NULL, NULL, "activations", NULL);
}

static void
test_surfaces_page (void)
{
  rv_window_show_page (window, "surfaces");
  RvSurfacesPage *page = RV_SURFACES_PAGE (rv_window_get_surfaces_page (window));
  AdwFlap *flap = rv_surfaces_page_get_flap (page);
  g_assert_true (ADW_IS_FLAP (flap));
  g_assert_true (gtk_widget_get_parent (GTK_WIDGET (flap)) == GTK_WIDGET (page));
  rv_surfaces_page_load_preset (page, RV_SURFACES_PRESET_RAVINE);
  check_page ("surfaces", GTK_WIDGET (page), flap, "before-play");
  rv_surfaces_page_show_steps (page, 100);
  check_page ("surfaces", GTK_WIDGET (page), flap, "after-play");
  /* a typed formula, with a long error under its entry */
  g_assert_true (rv_surfaces_page_set_formula (page, "(w1-1)^2 + 100*(w2-w1^2)^2", NULL));
  g_assert_false (rv_surfaces_page_set_formula (page, "(w1-1)^2 + 100*(w2-w1^2)^2 + sigmoid(w1) * unknown_name", NULL));
  check_page ("surfaces", GTK_WIDGET (page), flap, "formula-error");
  rv_surfaces_page_set_surface (page, "pathological");
}

/* The map and the 3-D view sit side by side on a wide page, 1024 × 600
 * included, where stacking them would leave two short strips. */
/* Before a run is chosen and with its notes shown. */
static void
test_landscape_page (void)
{
  rv_window_show_page (window, "landscape");
  RvLandscapePage *page = RV_LANDSCAPE_PAGE (rv_window_get_landscape_page (window));
  check_page ("landscape", GTK_WIDGET (page), rv_landscape_page_get_flap (page), "no-run");
}

static void
test_surfaces_views (void)
{
  rv_window_show_page (window, "surfaces");
  RvSurfacesPage *page = RV_SURFACES_PAGE (rv_window_get_surfaces_page (window));
  g_assert_true (resize_window (1260, 720));
  g_assert_cmpint (rv_surfaces_page_get_views_orientation (page), ==, GTK_ORIENTATION_HORIZONTAL);
  g_assert_true (resize_window (1024, 600));
  g_assert_cmpint (rv_surfaces_page_get_views_orientation (page), ==, GTK_ORIENTATION_HORIZONTAL);
  /* each grows with the room rather than keeping a fixed height */
  GtkWidget *map = GTK_WIDGET (rv_surfaces_page_get_map (page));
  int small = gtk_widget_get_height (map);
  g_assert_true (resize_window (1200, 960));
  g_assert_cmpint (gtk_widget_get_height (map), >, small + 150);
  g_assert_cmpint (small, >=, 200);
}

/* Before Play the loss chart says what is coming: its x axis spans the
 * steps and a note says to press Play; after a step the note goes. */
static void
test_loss_chart_before_play (void)
{
  rv_window_show_page (window, "surfaces");
  RvSurfacesPage *page = RV_SURFACES_PAGE (rv_window_get_surfaces_page (window));
  g_assert_true (resize_window (1024, 600));
  rv_surfaces_page_load_preset (page, RV_SURFACES_PRESET_RAVINE);
  app_test_wait_for (never, NULL, 0.2);
  RvCurveView *loss = rv_surfaces_page_get_loss_view (page);
  GtkWidget *note = rv_surfaces_page_get_loss_placeholder (page);
  g_assert_true (gtk_widget_get_mapped (note));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (note)), ==, "Press Play to race the optimizers");
  /* the note alone: no legend drawn under it */
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 240);
  cairo_t *cr = cairo_create (surface);
  rv_chart_draw (RV_CHART (loss), cr, 600, 240);
  g_assert_false (rv_chart_get_legend_rect (RV_CHART (loss), NULL));

  RvPlotAxis x, y;
  g_assert_true (rv_curve_view_get_axis (loss, 600, 240, FALSE, &x));
  g_assert_true (rv_curve_view_get_axis (loss, 600, 240, TRUE, &y));
  g_assert_cmpfloat (x.scale.lo, <=, 0);
  g_assert_cmpfloat (x.scale.hi, >=, 100);
  g_assert_cmpfloat (x.scale.hi, <, 120);
  /* y: the loss the runs will have, all of it */
  RvSurfaceModel *model = rv_surfaces_page_get_model (page);
  for (guint r = 0; r < rv_surface_model_get_n_runs (model); r++)
    {
      guint n = 0;
      const RvTrajectoryPoint *p = rv_surface_model_get_run_points (model, r, &n);
      g_assert_cmpuint (n, ==, 100);
      for (guint i = 0; i < n; i++)
        g_assert_true (p[i].loss >= y.scale.lo && p[i].loss <= y.scale.hi);
    }

  /* and the axes stay put while the race plays */
  rv_surfaces_page_show_steps (page, 10);
  app_test_wait_for (never, NULL, 0.1);
  g_assert_false (gtk_widget_get_visible (note));
  /* and the legend comes with the lines */
  rv_chart_draw (RV_CHART (loss), cr, 600, 240);
  g_assert_true (rv_chart_get_legend_rect (RV_CHART (loss), NULL));
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  RvPlotAxis x10;
  g_assert_true (rv_curve_view_get_axis (loss, 600, 240, FALSE, &x10));
  g_assert_cmpfloat (x10.scale.hi, ==, x.scale.hi);

  /* more steps, a longer axis */
  rv_surfaces_page_reset (page);
  g_assert_true (gtk_widget_get_visible (note));
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("RAVINE_DATA_DIR", "/nonexistent-ravine-data", TRUE);
  /* the sizes go up to 1920×1080, and GTK keeps a window within its monitor */
  GPid xvfb_pid = app_test_start_own_display (2000, 1200);
  gtk_test_init (&argc, &argv, NULL);
  /* the flap shows and hides at once */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  RvApplication *app = rv_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = rv_window_new (app);
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/pages-layout/init-page", test_init_page);
  g_test_add_func ("/pages-layout/surfaces-page", test_surfaces_page);
  g_test_add_func ("/pages-layout/surfaces-views", test_surfaces_views);
  g_test_add_func ("/pages-layout/landscape-page", test_landscape_page);
  g_test_add_func ("/pages-layout/loss-chart-before-play", test_loss_chart_before_play);
  int status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  app_test_stop_own_display (xvfb_pid);
  return status;
}
