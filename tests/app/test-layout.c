/* test-layout.c: every page fits.  The real window, on each page, at
 * 1024×600, 1280×800 and 1920×1080, in normal and presentation mode, with
 * the lesson closed and open, in English and German: its minimum size is at
 * most 1024×600, every mapped widget lies inside the window (or inside the
 * content of the scrolled window it is in, reachable by scrolling), and no
 * label is cut without an ellipsis.  Presentation mode's type: headings
 * above body text, the data banner hidden, chart ticks readable from the
 * back row; the focus view shows one chart alone and puts it back; the
 * header's controls toggle follows the visible page's flap.
 *
 * Widgets of the shell (header, banner, lesson panel) must pass always; the
 * pages' own widgets are reported all together, so that one run lists every
 * one that does not fit. */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "app-test-util.h"
#include "rv-application.h"
#include "rv-chart.h"
#include "rv-init-page.h"
#include "rv-landscape-page.h"
#include "rv-plot.h"
#include "rv-window.h"

static const char *const page_names[] = { "initialization", "training", "surfaces", "landscape" };
#define N_PAGES G_N_ELEMENTS (page_names)
static const int sizes[][2] = { { 1024, 600 }, { 1280, 800 }, { 1920, 1080 } };

typedef struct {
  GtkWidget *window;
  GtkWidget *pages[N_PAGES];
  GString *shell_faults;  /* the shell's: fail at once */
  GString *page_faults;   /* the pages': listed at the end */
  GHashTable *seen;       /* page faults already listed, by text */
  const char *where;      /* the configuration being checked */
  guint visited;          /* mapped widgets checked */
} Check;

/* Style and layout change on the next frames, not at once. */
static void
settle (void)
{
  gint64 end = g_get_monotonic_time () + 250 * 1000;
  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

typedef struct {
  GtkWidget *window;
  int width, height;
} SizeWait;

/* Within the window's frame (its client-side border) of the size asked for. */
static gboolean
has_size (gpointer data)
{
  SizeWait *w = data;
  return ABS (gtk_widget_get_width (w->window) - w->width) <= 16
         && ABS (gtk_widget_get_height (w->window) - w->height) <= 16;
}

static void
resize (GtkWidget *window, int width, int height)
{
  SizeWait w = { window, width, height };
  /* a request made while the window is still being mapped can be lost: again */
  gboolean done = FALSE;
  for (int attempt = 0; attempt < 3 && !done; attempt++)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), width - 1, height - 1);
      gtk_window_set_default_size (GTK_WINDOW (window), width, height);
      done = app_test_wait_for (has_size, &w, 2);
    }
  if (!done)
    g_test_message ("asked for %d×%d, got %d×%d", width, height, gtk_widget_get_width (window),
                    gtk_widget_get_height (window));
  settle ();
}

/* Which page widget is in, or -1: the shell. */
static int
page_of (Check *c, GtkWidget *widget)
{
  for (GtkWidget *w = widget; w; w = gtk_widget_get_parent (w))
    for (gsize i = 0; i < N_PAGES; i++)
      if (w == c->pages[i])
        return i;
  return -1;
}

static char *
describe (GtkWidget *widget)
{
  GString *s = g_string_new (G_OBJECT_TYPE_NAME (widget));
  for (GtkWidget *w = widget; w; w = gtk_widget_get_parent (w))
    {
      const char *id = GTK_IS_BUILDABLE (w) ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (w)) : NULL;
      if (id)
        {
          g_string_append_printf (s, " (in #%s)", id);
          break;
        }
    }
  if (GTK_IS_LABEL (widget))
    {
      g_autofree char *text = g_utf8_substring (gtk_label_get_text (GTK_LABEL (widget)), 0, 40);
      g_string_append_printf (s, " “%s”", text);
    }
  return g_string_free (s, FALSE);
}

static void
fault (Check *c, GtkWidget *widget, const char *what)
{
  g_autofree char *who = describe (widget);
  int page = page_of (c, widget);
  if (page < 0)
    {
      g_string_append_printf (c->shell_faults, "%s: %s %s\n", c->where, who, what);
      return;
    }
  /* the same widget clipped the same way in many configurations: once, with the first */
  g_autofree char *key = g_strdup_printf ("%s %s", who, what);
  if (g_hash_table_contains (c->seen, key))
    return;
  g_string_append_printf (c->page_faults, "%s: %s %s\n", c->where, who, what);
  g_hash_table_add (c->seen, g_steal_pointer (&key));
}

static gboolean
inside (const graphene_rect_t *r, const graphene_rect_t *clip)
{
  const float slack = 1.0f;  /* rounding of fractional allocations */
  return r->origin.x >= clip->origin.x - slack && r->origin.y >= clip->origin.y - slack
         && r->origin.x + r->size.width <= clip->origin.x + clip->size.width + slack
         && r->origin.y + r->size.height <= clip->origin.y + clip->size.height + slack;
}

/* A label that neither wraps nor ellipsizes and got less than it needs
 * shows its text cut. */
static void
check_label (Check *c, GtkLabel *label)
{
  if (gtk_label_get_ellipsize (label) != PANGO_ELLIPSIZE_NONE)
    return;
  GtkWidget *w = GTK_WIDGET (label);
  /* gtk_widget_measure counts the margins, the allocation not */
  int width = gtk_widget_get_width (w) + gtk_widget_get_margin_start (w) + gtk_widget_get_margin_end (w);
  int height = gtk_widget_get_height (w) + gtk_widget_get_margin_top (w) + gtk_widget_get_margin_bottom (w);
  int min_w = 0, min_h = 0;
  if (!gtk_label_get_wrap (label))
    {
      gtk_widget_measure (w, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
      if (width < min_w)
        {
          g_autofree char *what = g_strdup_printf ("is cut: %d px wide, needs %d", width, min_w);
          fault (c, w, what);
        }
    }
  gtk_widget_measure (w, GTK_ORIENTATION_VERTICAL, width, &min_h, NULL, NULL, NULL);
  if (height < min_h)
    {
      g_autofree char *what = g_strdup_printf ("is cut: %d px high, needs %d", height, min_h);
      fault (c, w, what);
    }
}

static void walk (Check *c, GtkWidget *widget, const graphene_rect_t *clip);

static void
walk_children (Check *c, GtkWidget *widget, const graphene_rect_t *clip)
{
  for (GtkWidget *w = gtk_widget_get_first_child (widget); w; w = gtk_widget_get_next_sibling (w))
    walk (c, w, clip);
}

static void
walk (Check *c, GtkWidget *widget, const graphene_rect_t *clip)
{
  /* popovers and tooltips are windows of their own */
  if (!gtk_widget_get_mapped (widget) || (GTK_IS_NATIVE (widget) && widget != c->window))
    return;
  graphene_rect_t r;
  if (!gtk_widget_compute_bounds (widget, c->window, &r))
    return;
  c->visited++;
  /* libadwaita's own drawn parts (a folded flap's shadow, its dimming)
   * extend under the content on purpose, clipped by their widget */
  gboolean part = g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwGizmo") && gtk_widget_get_first_child (widget) == NULL;
  if (widget != c->window && !part && r.size.width > 0 && r.size.height > 0 && !inside (&r, clip))
    {
      g_autofree char *what = g_strdup_printf ("lies outside: %.0f,%.0f %.0f×%.0f, room %.0f,%.0f %.0f×%.0f",
                                               r.origin.x, r.origin.y, r.size.width, r.size.height,
                                               clip->origin.x, clip->origin.y, clip->size.width,
                                               clip->size.height);
      fault (c, widget, what);
      return;  /* its children are outside with it */
    }
  if (GTK_IS_LABEL (widget))
    check_label (c, GTK_LABEL (widget));
  if (GTK_IS_SCROLLED_WINDOW (widget))
    {
      /* what scrolls is inside the scrolled content: reachable */
      GtkWidget *child = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (widget));
      if (child == NULL)
        return;
      GtkWidget *content = GTK_IS_VIEWPORT (child) ? gtk_viewport_get_child (GTK_VIEWPORT (child)) : child;
      graphene_rect_t inner;
      if (content && gtk_widget_get_mapped (content) && gtk_widget_compute_bounds (content, c->window, &inner))
        {
          /* a scrollable without a viewport (a list, a text view) lays out its own rows */
          if (GTK_IS_VIEWPORT (child))
            walk_children (c, content, &inner);
        }
      return;
    }
  walk_children (c, widget, clip);
}

static void
measure (GtkWidget *widget, int *width, int *height)
{
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, width, NULL, NULL, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, -1, height, NULL, NULL, NULL);
}

/* The window's minimum size: at most 1024×600.  The page stack keeps one
 * size for all pages (the largest page's minimum); the shell must add to it
 * no more than the header and the view switcher bar. */
static void
check_min_size (Check *c, int page)
{
  int min_w, min_h, stack_w, stack_h;
  measure (c->window, &min_w, &min_h);
  GtkWidget *stack = GTK_WIDGET (gtk_widget_get_template_child (c->window, RV_TYPE_WINDOW, "stack"));
  measure (stack, &stack_w, &stack_h);
  GString *pages = g_string_new (NULL);
  for (gsize i = 0; i < N_PAGES; i++)
    {
      int w, h;
      measure (c->pages[i], &w, &h);
      g_string_append_printf (pages, " %s %d×%d", page_names[i], w, h);
    }
  g_test_message ("%s: window minimum %d×%d, pages%s", c->where, min_w, min_h, pages->str);
  /* the header (47 px, more in presentation mode) and the switcher bar when narrow */
  const int chrome = 150;
  if (min_h - stack_h > chrome)
    g_string_append_printf (c->shell_faults, "%s: the window adds %d px to the pages' minimum height %d\n", c->where,
                            min_h - stack_h, stack_h);
  if (min_w > MAX (stack_w, 1024))
    g_string_append_printf (c->shell_faults, "%s: the window's minimum width %d is above the pages' %d\n", c->where,
                            min_w, stack_w);
  if (min_w > 1024 || min_h > 600)
    {
      g_autofree char *key = g_strdup_printf ("minimum %d×%d%s", min_w, min_h, pages->str);
      if (!g_hash_table_contains (c->seen, key))
        {
          g_string_append_printf (c->page_faults, "%s: the window's minimum size is %d×%d, above 1024×600 (pages:%s)\n",
                                  c->where, min_w, min_h, pages->str);
          g_hash_table_add (c->seen, g_steal_pointer (&key));
        }
    }
  g_string_free (pages, TRUE);
}

static void
set_state (GtkWidget *window, const char *action, gboolean on)
{
  g_action_group_change_action_state (G_ACTION_GROUP (window), action, g_variant_new_boolean (on));
}


/* An app registered on the session bus (CI has one) under an id of its
 * own: the previous test's app may still hold its object path there until
 * the bus connection lets go.  The resources stay where the app id puts them. */
static RvApplication *
new_registered_app (void)
{
  static guint serial;
  RvApplication *app = rv_application_new ();
  g_autofree char *id = g_strdup_printf ("%s.LayoutTest%u", APP_ID, ++serial);
  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_resource_base_path (G_APPLICATION (app), "/io/github/ravine/Ravine");
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  return app;
}

static void
check_all (const char *language)
{
  RvApplication *app = new_registered_app ();
  RvWindow *window = rv_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  Check c = { GTK_WIDGET (window),
              { rv_window_get_init_page (window), rv_window_get_training_page (window),
                rv_window_get_surfaces_page (window), rv_window_get_landscape_page (window) },
              g_string_new (NULL), g_string_new (NULL), g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
              NULL };
  for (gsize p = 0; p < G_N_ELEMENTS (page_names); p++)
    for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
      for (int presentation = 0; presentation <= 1; presentation++)
        for (int lesson = 0; lesson <= 1; lesson++)
          {
            set_state (c.window, "presentation", presentation);
            set_state (c.window, "lesson", lesson);
            /* the lesson's step may show its own page: this one, after it */
            rv_window_show_page (window, page_names[p]);
            resize (c.window, sizes[s][0], sizes[s][1]);
            g_autofree char *where = g_strdup_printf ("%s %s %d×%d%s%s", language, page_names[p], sizes[s][0],
                                                      sizes[s][1], presentation ? " presentation" : "",
                                                      lesson ? " lesson" : "");
            c.where = where;
            check_min_size (&c, p);
            graphene_rect_t all;
            g_assert_true (gtk_widget_compute_bounds (c.window, c.window, &all));
            c.visited = 0;
            walk (&c, c.window, &all);
            g_test_message ("%s: %u widgets checked", where, c.visited);
            g_assert_cmpuint (c.visited, >, 50);
            if (s == 0 && presentation && !lesson)
              {
                g_autofree char *shot = g_strdup_printf ("layout-%s-%s-%dx%d", language, page_names[p], sizes[s][0],
                                                         sizes[s][1]);
                app_test_maybe_screenshot (c.window, shot);
              }
            c.where = NULL;
          }
  set_state (c.window, "presentation", FALSE);
  set_state (c.window, "lesson", FALSE);

  if (c.shell_faults->len > 0)
    g_error ("the window's own widgets do not fit:\n%s", c.shell_faults->str);
  if (c.page_faults->len > 0)
    {
      g_printerr ("the pages do not fit:\n%s", c.page_faults->str);
      g_test_fail_printf ("the pages do not fit (each fault once, at its first configuration):\n%s",
                        c.page_faults->str);
    }
  g_string_free (c.shell_faults, TRUE);
  g_string_free (c.page_faults, TRUE);
  g_hash_table_unref (c.seen);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
}

static void
run_in_subprocess (const char *language)
{
  if (g_test_subprocess ())
    {
      check_all (language);
      return;
    }
  /* the child reads its language from the start, as the app does */
  g_setenv ("RAVINE_LAYOUT_LANGUAGE", language, TRUE);
  g_test_trap_subprocess (NULL, 500 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("RAVINE_LAYOUT_LANGUAGE");
  g_test_trap_assert_passed ();
}

static void
test_english (void)
{
  run_in_subprocess ("en");
}

static void
test_german (void)
{
  run_in_subprocess ("de");
}

/* --- presentation mode's type ---------------------------------------------- */

static GtkWidget *
find_with_class (GtkWidget *widget, const char *css_class)
{
  if (gtk_widget_get_mapped (widget) && GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class))
    return widget;
  for (GtkWidget *w = gtk_widget_get_first_child (widget); w; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found = find_with_class (w, css_class);
      if (found)
        return found;
    }
  return NULL;
}

/* A mapped label in the body text: no type class of its own. */
static GtkWidget *
find_body_label (GtkWidget *widget)
{
  if (gtk_widget_get_mapped (widget) && GTK_IS_LABEL (widget))
    {
      static const char *const typed[] = { "heading", "caption", "caption-heading", "title-1", "title-2",
                                           "title-3", "title-4", "large-title", "monospace", "numeric" };
      gboolean plain = TRUE;
      for (gsize i = 0; i < G_N_ELEMENTS (typed); i++)
        plain = plain && !gtk_widget_has_css_class (widget, typed[i]);
      if (plain && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
        return widget;
    }
  for (GtkWidget *w = gtk_widget_get_first_child (widget); w; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found = find_body_label (w);
      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_chart (GtkWidget *widget)
{
  if (gtk_widget_get_mapped (widget) && RV_IS_CHART (widget))
    return widget;
  for (GtkWidget *w = gtk_widget_get_first_child (widget); w; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found = find_chart (w);
      if (found)
        return found;
    }
  return NULL;
}

/* The font size a widget's text is drawn in, in Pango units. */
static int
font_size (GtkWidget *widget)
{
  PangoFontDescription *font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  return pango_font_description_get_size (font);
}

static gboolean
data_ready (gpointer data)
{
  return rv_init_page_get_dataset (data) != NULL;
}

static void
test_presentation (void)
{
  RvApplication *app = new_registered_app ();
  RvWindow *window = rv_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (app_test_wait_for (data_ready, rv_window_get_init_page (window), 60));
  resize (GTK_WIDGET (window), 1920, 1080);
  GtkWidget *banner = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), RV_TYPE_WINDOW, "banner");
  GtkWidget *banner_label = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), RV_TYPE_WINDOW, "banner_label");
  g_assert_true (gtk_widget_get_mapped (banner_label));
  GtkWidget *chart = find_chart (rv_window_get_init_page (window));
  g_assert_nonnull (chart);
  double tick_normal = rv_plot_text_height (chart, PANGO_SCALE_SMALL, FALSE);
  GtkWidget *body_label = find_body_label (rv_window_get_init_page (window));
  g_assert_nonnull (body_label);
  g_test_message ("body text: %s", gtk_label_get_text (GTK_LABEL (body_label)));
  int body_normal = font_size (body_label);

  set_state (GTK_WIDGET (window), "presentation", TRUE);
  resize (GTK_WIDGET (window), 1920, 1080);
  g_assert_false (gtk_widget_get_visible (banner));
  g_assert_false (gtk_widget_get_mapped (banner_label));
  /* a body label (the window's own size) and a heading on the page */
  GtkWidget *heading = find_with_class (rv_window_get_init_page (window), "heading");
  g_assert_nonnull (heading);
  int body = font_size (body_label);
  g_test_message ("body %d → %d, heading %d (Pango units)", body_normal, body, font_size (heading));
  g_assert_cmpint (body, >, body_normal);
  g_assert_cmpint (font_size (heading), >, body);
  const char *classes[] = { "title-1", "title-2", "title-3", "title-4" };
  for (gsize i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      GtkWidget *title = find_with_class (GTK_WIDGET (window), classes[i]);
      if (title)
        g_assert_cmpint (font_size (title), >, body);
    }
  /* a status page's description (libadwaita's .body) reads as body text */
  rv_window_show_page (window, "training");
  settle ();
  GtkWidget *description = find_with_class (rv_window_get_training_page (window), "description");
  g_assert_nonnull (description);
  g_test_message ("the empty Training page's description: %d", font_size (description));
  g_assert_cmpint (font_size (description), ==, body);
  rv_window_show_page (window, "initialization");
  settle ();
  /* chart ticks: the chart's own font follows the window's */
  double tick = rv_plot_text_height (chart, PANGO_SCALE_SMALL, FALSE);
  g_test_message ("tick label height %.1f px → %.1f px", tick_normal, tick);
  g_assert_cmpfloat (tick, >=, 18.0);
  g_assert_cmpfloat (rv_plot_line (1.0), >=, 2.0);

  /* the Preferences' text size makes all of it larger together */
  GSettings *settings = rv_application_get_settings (app);
  g_settings_set_int (settings, "presentation-text-scale", 150);
  settle ();
  g_assert_cmpint (font_size (body_label), >, body);
  g_assert_cmpint (font_size (heading), >, font_size (body_label));
  g_assert_cmpfloat (rv_plot_text_height (chart, PANGO_SCALE_SMALL, FALSE), >, tick);
  g_assert_cmpfloat (rv_plot_line (1.0), >, 2.0);
  app_test_maybe_screenshot (GTK_WIDGET (window), "presentation-150");
  g_settings_set_int (settings, "presentation-text-scale", 100);

  set_state (GTK_WIDGET (window), "presentation", FALSE);
  settle ();
  g_assert_true (gtk_widget_get_visible (banner));
  g_assert_cmpint (font_size (body_label), ==, body_normal);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
}

/* --- the focus view ---------------------------------------------------------- */

static void
test_focus (void)
{
  RvApplication *app = new_registered_app ();
  RvWindow *window = rv_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (app_test_wait_for (data_ready, rv_window_get_init_page (window), 60));
  /* normal mode: presentation mode's header hides after a while, and the page grows */
  resize (GTK_WIDGET (window), 1920, 1080);
  for (gsize p = 0; p < G_N_ELEMENTS (page_names); p++)
    {
      rv_window_show_page (window, page_names[p]);
      settle ();
      GtkWidget *page = adw_view_stack_get_visible_child (ADW_VIEW_STACK (
        gtk_widget_get_template_child (GTK_WIDGET (window), RV_TYPE_WINDOW, "stack")));
      GtkWidget *chart = find_chart (page);
      if (chart == NULL)
        continue;
      g_assert_true (gtk_widget_get_focusable (chart));
      GtkWidget *parent = gtk_widget_get_parent (chart);
      GtkWidget *before = gtk_widget_get_prev_sibling (chart), *after = gtk_widget_get_next_sibling (chart);
      /* in its parent (the header hides meanwhile), once the page has laid out what it computed */
      graphene_rect_t was = GRAPHENE_RECT_INIT (-1, -1, 0, 0), last;
      for (int i = 0; i < 20; i++)
        {
          last = was;
          g_assert_true (gtk_widget_compute_bounds (chart, parent, &was));
          if (graphene_rect_equal (&was, &last))
            break;
          settle ();
        }

      /* the action (as Enter does) on the chart with the keyboard focus */
      gtk_widget_grab_focus (chart);
      g_assert_true (gtk_widget_has_focus (chart));
      g_assert_true (gtk_widget_activate_action (chart, "win.focus-chart", NULL));
      g_assert_true (rv_window_get_focused_chart (window) == chart);
      settle ();
      /* alone, filling the window but for the margins */
      g_assert_true (gtk_widget_get_mapped (chart));
      g_assert_false (gtk_widget_get_mapped (page));
      g_assert_cmpint (gtk_widget_get_width (chart), >=, 1920 - 48);
      g_assert_cmpint (gtk_widget_get_height (chart), >=, 1080 - 48);
      g_autofree char *shot = g_strdup_printf ("focus-%s", page_names[p]);
      app_test_maybe_screenshot (GTK_WIDGET (window), shot);

      /* and back into the same place */
      rv_window_unfocus_chart (window);
      settle ();
      g_assert_null (rv_window_get_focused_chart (window));
      g_assert_true (gtk_widget_get_parent (chart) == parent);
      g_assert_true (gtk_widget_get_prev_sibling (chart) == before);
      g_assert_true (gtk_widget_get_next_sibling (chart) == after);
      graphene_rect_t now;
      settle ();
      g_assert_true (gtk_widget_compute_bounds (chart, parent, &now));
      g_test_message ("%s: %s at %.0f,%.0f %.0f×%.0f, back at %.0f,%.0f %.0f×%.0f", page_names[p],
                      G_OBJECT_TYPE_NAME (chart), was.origin.x, was.origin.y, was.size.width, was.size.height,
                      now.origin.x, now.origin.y, now.size.width, now.size.height);
      g_assert_cmpfloat_with_epsilon (was.origin.x, now.origin.x, 1.0);
      g_assert_cmpfloat_with_epsilon (was.origin.y, now.origin.y, 1.0);
      g_assert_cmpfloat_with_epsilon (was.size.width, now.size.width, 1.0);
      g_assert_cmpfloat_with_epsilon (was.size.height, now.size.height, 1.0);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
}

/* --- the header's controls toggle ---------------------------------------------- */

/* A page's controls flap, or NULL until the page has one. */
static AdwFlap *
page_flap (GtkWidget *page)
{
  for (GtkWidget *w = gtk_widget_get_first_child (page); w; w = gtk_widget_get_first_child (w))
    if (ADW_IS_FLAP (w))
      return ADW_FLAP (w);
  return NULL;
}

/* A stand-in page as the pages build theirs: an AdwFlap as the root child,
 * with a sidebar wide enough that it folds at 1024 px. */
static GtkWidget *
stand_in_page (void)
{
  GtkWidget *page = adw_bin_new ();
  AdwFlap *flap = ADW_FLAP (adw_flap_new ());
  GtkWidget *sidebar = gtk_label_new ("controls");
  gtk_widget_set_size_request (sidebar, 600, -1);
  GtkWidget *content = gtk_label_new ("content");
  gtk_widget_set_size_request (content, 600, -1);
  adw_flap_set_flap (flap, sidebar);
  adw_flap_set_content (flap, content);
  adw_bin_set_child (ADW_BIN (page), GTK_WIDGET (flap));
  return page;
}

static void
test_controls_toggle (void)
{
  RvApplication *app = new_registered_app ();
  RvWindow *window = rv_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  AdwViewStack *stack = ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), RV_TYPE_WINDOW, "stack"));
  GtkWidget *button = rv_window_get_controls_button (window);
  GtkWidget *pages[] = { rv_window_get_init_page (window), rv_window_get_training_page (window),
                         rv_window_get_surfaces_page (window), rv_window_get_landscape_page (window),
                         stand_in_page () };
  adw_view_stack_add_named (stack, pages[4], "stand-in");
  for (gsize p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      AdwFlap *flap = page_flap (pages[p]);
      adw_view_stack_set_visible_child (stack, pages[p]);
      resize (GTK_WIDGET (window), 1920, 1080);
      if (flap == NULL)
        {
          g_test_message ("page %zu has no controls flap yet", p);
          g_assert_false (gtk_widget_get_visible (button));
          continue;
        }
      g_assert_false (adw_flap_get_folded (flap));
      g_assert_false (gtk_widget_get_visible (button));
      resize (GTK_WIDGET (window), 1024, 600);
      if (!adw_flap_get_folded (flap))
        {
          g_test_message ("page %zu: its flap does not fold at 1024 px", p);
          g_assert_false (gtk_widget_get_visible (button));
          continue;
        }
      g_assert_true (gtk_widget_get_visible (button));
      gboolean shown = adw_flap_get_reveal_flap (flap);
      g_assert_cmpint (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)), ==, shown);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), !shown);
      g_assert_cmpint (adw_flap_get_reveal_flap (flap), ==, !shown);
      adw_flap_set_reveal_flap (flap, shown);
      g_assert_cmpint (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)), ==, shown);
      /* wide again: the controls beside the content, no toggle */
      resize (GTK_WIDGET (window), 1920, 1080);
      g_assert_false (gtk_widget_get_visible (button));
    }
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
}

/* libadwaita 1.2's AdwFlap, folding without its animation as here, draws
 * its shadow gizmo once before allocating it, and GTK warns; the frame is
 * right.  Every other warning stays fatal. */
static GLogWriterOutput
write_log (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  GLogWriterOutput out = g_log_writer_default (level, fields, n_fields, data);
  if (level & G_LOG_LEVEL_WARNING)
    {
      const char *message = NULL;
      for (gsize i = 0; i < n_fields; i++)
        if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
          message = fields[i].value;
      if (message == NULL || strstr (message, "Trying to snapshot AdwGizmo") == NULL)
        abort ();
    }
  return out;
}

int
main (int argc, char **argv)
{
  g_log_set_writer_func (write_log, NULL, NULL);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  const char *real = g_getenv ("RAVINE_TEST_DATA_DIR");
  g_setenv ("RAVINE_DATA_DIR", real && g_file_test (real, G_FILE_TEST_IS_DIR) ? real : "/nonexistent-ravine-data", TRUE);
  g_autofree char *home = g_dir_make_tmp ("ravine-layout-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_autofree char *runs = g_build_filename (home, "runs", NULL);
  g_setenv ("RAVINE_RUNS_DIR", runs, TRUE);
  const char *language = g_getenv ("RAVINE_LAYOUT_LANGUAGE");
  g_setenv ("LANGUAGE", language ? language : "en", TRUE);
  g_unsetenv ("LC_MESSAGES");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  /* the sizes go up to 1920×1080, and GTK keeps a window within its monitor */
  GPid xvfb_pid = app_test_start_own_display (2000, 1200);
  gtk_test_init (&argc, &argv, NULL);
  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    g_error ("the C.UTF-8 locale is missing");
  const char *localedir = g_getenv ("RAVINE_LOCALEDIR");
  if (localedir && *localedir)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* the layout after a change, not midway through its animation */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* warnings fatal but that one (the writer decides, see above) */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  g_test_add_func ("/layout/presentation", test_presentation);
  g_test_add_func ("/layout/focus", test_focus);
  g_test_add_func ("/layout/controls-toggle", test_controls_toggle);
  g_test_add_func ("/layout/en", test_english);
  g_test_add_func ("/layout/de", test_german);
  int status = g_test_run ();
  app_test_stop_own_display (xvfb_pid);
  g_rmdir (home);
  return status;
}
