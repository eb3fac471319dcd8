/* rv-plot.c: scales, ticks, number labels, palette and style colours, and
 * the chart parts (axes, titles, boxes) the chart widgets draw alike. */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "rv-plot.h"

/* U+2212 MINUS SIGN: a hyphen is too short next to digits in a chart. */
#define MINUS_SIGN "\xe2\x88\x92"

double
rv_plot_scale_map (const RvPlotScale *scale, double value)
{
  double t;

  if (scale->log)
    t = (log10 (value) - log10 (scale->lo)) / (log10 (scale->hi) - log10 (scale->lo));
  else
    t = (value - scale->lo) / (scale->hi - scale->lo);

  return scale->px_lo + t * (scale->px_hi - scale->px_lo);
}

double
rv_plot_scale_unmap (const RvPlotScale *scale, double pixel)
{
  double t = (pixel - scale->px_lo) / (scale->px_hi - scale->px_lo);

  if (scale->log)
    return pow (10.0, log10 (scale->lo) + t * (log10 (scale->hi) - log10 (scale->lo)));
  return scale->lo + t * (scale->hi - scale->lo);
}

gboolean
rv_plot_scale_accepts (const RvPlotScale *scale, double value)
{
  return isfinite (value) && (!scale->log || value > 0.0);
}

/* The 1-2-5 × 10^k value at or above rough (> 0). */
static double
nice_step (double rough)
{
  double mag = pow (10.0, floor (log10 (rough)));
  double norm = rough / mag;

  if (norm <= 1.0 + 1e-9)
    return mag;
  if (norm <= 2.0 + 1e-9)
    return 2.0 * mag;
  if (norm <= 5.0 + 1e-9)
    return 5.0 * mag;
  return 10.0 * mag;
}

guint
rv_plot_ticks_linear (double lo, double hi, guint max_ticks, double *ticks, double *step)
{
  double s, k0, k1;
  guint n = 0;

  if (step != NULL)
    *step = 0.0;
  if (!isfinite (lo) || !isfinite (hi) || hi < lo)
    return 0;
  if (hi == lo)
    {
      ticks[0] = lo;
      return 1;
    }

  max_ticks = CLAMP (max_ticks, 1, (RV_PLOT_MAX_TICKS - 2) * 5 / 7);
  /* Up to 1.4 × the target: a step of 2 rather than 5 fills an axis to
   * 0..12 instead of 0..15 for a top of 10.5.  At most 1.4 × max_ticks + 1
   * multiples fit, within the arrays' capacity. */
  s = nice_step ((hi - lo) / (max_ticks * 1.4));
  k0 = ceil (lo / s - 1e-9);
  k1 = floor (hi / s + 1e-9);
  for (double k = k0; k <= k1 && n < RV_PLOT_MAX_TICKS; k++)
    {
      /* k * s, not a running sum, so that 0.1 + 0.2 never shows up. */
      double t = k * s;

      ticks[n++] = fabs (t) < s * 1e-9 ? 0.0 : t;
    }

  if (step != NULL)
    *step = s;
  return n;
}

guint
rv_plot_ticks_log_full (double lo, double hi, guint max_ticks, double *ticks, double *step)
{
  static const double mantissas[] = { 1.0, 2.0, 5.0 };
  double a, b;
  int e0, e1, every;
  guint n = 0;

  if (step != NULL)
    *step = 0.0;
  if (!(lo > 0.0) || !(hi >= lo) || !isfinite (hi))
    return 0;

  a = log10 (lo);
  b = log10 (hi);
  max_ticks = CLAMP (max_ticks, 1, RV_PLOT_MAX_TICKS - 1);

  if (b - a < 2.0)
    {
      /* Too few decades to read the axis from powers of ten alone. */
      for (int e = (int) floor (a); e <= (int) ceil (b) && n < RV_PLOT_MAX_TICKS; e++)
        for (guint m = 0; m < G_N_ELEMENTS (mantissas) && n < RV_PLOT_MAX_TICKS; m++)
          {
            double v = mantissas[m] * pow (10.0, e);

            if (v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9))
              ticks[n++] = v;
          }
      if (n >= 2 && n <= max_ticks + 1)
        return n;
      /* Too many or too few 1-2-5 values: plain nice steps read better. */
      return rv_plot_ticks_linear (lo, hi, max_ticks, ticks, step);
    }

  e0 = (int) ceil (a - 1e-9);
  e1 = (int) floor (b + 1e-9);
  every = (int) ceil ((double) (e1 - e0 + 1) / max_ticks);
  every = MAX (every, 1);
  for (int e = e0; e <= e1 && n < RV_PLOT_MAX_TICKS; e++)
    if (((e % every) + every) % every == 0)
      ticks[n++] = pow (10.0, e);

  return n;
}

guint
rv_plot_ticks_log (double lo, double hi, guint max_ticks, double *ticks)
{
  return rv_plot_ticks_log_full (lo, hi, max_ticks, ticks, NULL);
}

void
rv_plot_nice_range (double *lo, double *hi, guint max_ticks, gboolean log)
{
  if (log)
    {
      if (!(*lo > 0.0) || !isfinite (*lo))
        *lo = *hi > 0.0 && isfinite (*hi) ? *hi / 10.0 : 1.0;
      if (!(*hi >= *lo) || !isfinite (*hi))
        *hi = *lo * 10.0;
      *lo = pow (10.0, floor (log10 (*lo) + 1e-9));
      *hi = pow (10.0, ceil (log10 (*hi) - 1e-9));
      if (*hi <= *lo)
        *hi = *lo * 10.0;
      return;
    }

  if (!isfinite (*lo) || !isfinite (*hi))
    {
      *lo = 0.0;
      *hi = 1.0;
      return;
    }
  if (*hi <= *lo)
    {
      double half = *lo != 0.0 ? fabs (*lo) * 0.5 : 0.5;
      double mid = *lo;

      *lo = mid - half;
      *hi = mid + half;
    }

  {
    double ticks[RV_PLOT_MAX_TICKS];
    double step;

    rv_plot_ticks_linear (*lo, *hi, max_ticks, ticks, &step);
    if (step > 0.0)
      {
        *lo = floor (*lo / step + 1e-9) * step;
        *hi = ceil (*hi / step - 1e-9) * step;
      }
  }
}

typedef enum
{
  NOTATION_AUTO,
  NOTATION_FIXED,
  NOTATION_SCIENTIFIC,
} Notation;

/* Drops trailing zeros after a decimal point, and the point itself. */
static void
trim_zeros (char *s)
{
  char *dot = strchr (s, '.');
  char *end;

  if (dot == NULL)
    return;
  end = s + strlen (s);
  while (end > dot + 1 && end[-1] == '0')
    *--end = '\0';
  if (end == dot + 1)
    *dot = '\0';
}

/* The separators numbers are shown with: the numeric locale's when the
 * user chose one (LC_NUMERIC, LANG), else the UI language's, so that
 * LANGUAGE=de alone reads "50.000" and "0,972" too. */
static void
number_separators (const char **point, const char **group)
{
  const char *numeric = setlocale (LC_NUMERIC, NULL);

  if (numeric != NULL && strcmp (numeric, "C") != 0 && strcmp (numeric, "POSIX") != 0
      && !g_str_has_prefix (numeric, "C."))
    {
      const struct lconv *lc = localeconv ();

      *point = lc->decimal_point != NULL && lc->decimal_point[0] != '\0' ? lc->decimal_point : ".";
      /* Some locales group with nothing; a count still needs its groups. */
      *group = lc->thousands_sep != NULL && lc->thousands_sep[0] != '\0' ? lc->thousands_sep
               : strcmp (*point, ",") == 0 ? "." : ",";
      return;
    }
  /* Translators: the decimal separator in numbers: "." in English, "," in German */
  *point = C_("decimal separator", ".");
  /* Translators: the thousands separator in numbers: "," in English, "." in German */
  *group = C_("thousands separator", ",");
}

/* An ASCII number ("-12345.5") in the reader's style: its integer part
 * grouped in thousands when group is set ("12,345.5", "12.345,5"). */
static char *
localize (const char *ascii, gboolean group)
{
  GString *out = g_string_new (NULL);
  const char *p = ascii;
  const char *point, *thousands;
  size_t int_len;

  number_separators (&point, &thousands);
  if (*p == '-')
    g_string_append_c (out, *p++);
  else if (g_str_has_prefix (p, MINUS_SIGN))
    {
      g_string_append (out, MINUS_SIGN);
      p += strlen (MINUS_SIGN);
    }
  int_len = strspn (p, "0123456789");
  for (size_t i = 0; i < int_len; i++)
    {
      if (group && i > 0 && (int_len - i) % 3 == 0)
        g_string_append (out, thousands);
      g_string_append_c (out, p[i]);
    }
  for (p += int_len; *p != '\0'; p++)
    {
      if (*p == '.')
        g_string_append (out, point);
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* Swaps a leading '-' for a minus sign, and drops it where the number
 * rounded to zero ("-0.00"); takes s. */
static char *
finish_sign (char *s)
{
  char *out;

  if (s[0] != '-')
    return s;
  if (strspn (s + 1, "0.,") == strlen (s + 1))
    {
      memmove (s, s + 1, strlen (s));
      return s;
    }
  out = g_strconcat (MINUS_SIGN, s + 1, NULL);
  g_free (s);
  return out;
}

/* An ASCII number as shown: the sign settled first (on ASCII, where the
 * zero test is exact), then the reader's separators. */
static char *
finish (const char *ascii, gboolean group)
{
  g_autofree char *signed_ascii = finish_sign (g_strdup (ascii));

  return localize (signed_ascii, group);
}

static char *
format_core (double value, double step, Notation notation, gboolean trim)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char fmt[16];
  gboolean sci;

  if (isnan (value))
    return g_strdup (_("NaN"));
  if (isinf (value))
    return g_strdup (value > 0 ? "∞" : MINUS_SIGN "∞");
  if (!(step > 0.0) || !isfinite (step))
    step = value != 0.0 ? fabs (value) * 1e-3 : 1.0;
  if (fabs (value) < step * 1e-6)
    return g_strdup ("0");

  if (notation == NOTATION_AUTO)
    sci = step < 1e-3 || step >= 1e5;
  else
    sci = notation == NOTATION_SCIENTIFIC;

  if (sci)
    {
      int e = (int) floor (log10 (fabs (value)));
      int se = (int) floor (log10 (step) + 1e-9);
      int digits = CLAMP (e - se, 0, 15);
      double mantissa = value / pow (10.0, e);

      g_snprintf (fmt, sizeof fmt, "%%.%df", digits);
      g_ascii_formatd (buf, sizeof buf, fmt, mantissa);
      /* 9.996e-4 to two digits is 10.00e-4: carry into the exponent. */
      if (fabs (g_ascii_strtod (buf, NULL)) >= 10.0)
        {
          e++;
          mantissa = value / pow (10.0, e);
          g_ascii_formatd (buf, sizeof buf, fmt, mantissa);
        }
      trim_zeros (buf);
      {
        g_autofree char *text = g_strdup_printf ("%se%d", buf, e);

        return finish (text, FALSE);
      }
    }
  else
    {
      int decimals = CLAMP ((int) -floor (log10 (step) + 1e-9), 0, 15);

      g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
      g_ascii_formatd (buf, sizeof buf, fmt, value);
      if (trim)
        trim_zeros (buf);
      return finish (buf, decimals == 0 && fabs (value) >= 10000.0);
    }
}

char *
rv_plot_format_tick (double value, double step)
{
  return format_core (value, step, NOTATION_AUTO, FALSE);
}

char *
rv_plot_format_at_resolution (double value, double resolution)
{
  return format_core (value, resolution, NOTATION_AUTO, TRUE);
}

char *
rv_plot_format_value (double value)
{
  double a = fabs (value);
  double step;

  if (!isfinite (value) || value == 0.0)
    return format_core (value, 1.0, NOTATION_FIXED, TRUE);

  /* Three significant digits. */
  step = pow (10.0, floor (log10 (a)) - 2.0);
  if (a >= 1e4 || a < 1e-3)
    return format_core (value, step, NOTATION_SCIENTIFIC, TRUE);
  return format_core (value, step, NOTATION_FIXED, TRUE);
}

char *
rv_plot_format_count (guint64 count)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, count);

  return localize (digits, TRUE);
}

char *
rv_plot_format_number (const char *format, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return format_core (value, 1.0, NOTATION_FIXED, TRUE);
  g_ascii_formatd (buf, sizeof buf, format, value);
  return finish (buf, FALSE);
}

/* GNOME HIG palette: 4th/5th shades on light backgrounds, 2nd on dark. */
static const char *const palette_light[] = {
  "#1c71d8", /* blue 4 */
  "#e66100", /* orange 4 */
  "#26a269", /* green 5 */
  "#c01c28", /* red 4 */
  "#813d9c", /* purple 4 */
  "#986a44", /* brown 3 */
  "#1a8a9c", /* teal */
  "#c88800", /* yellow 5, darkened to read on white */
};

static const char *const palette_dark[] = {
  "#62a0ea", /* blue 2 */
  "#ffa348", /* orange 2 */
  "#57e389", /* green 2 */
  "#f66151", /* red 2 */
  "#c061cb", /* purple 2 */
  "#cdab8f", /* brown 1 */
  "#5bc8d6", /* teal, light */
  "#f8e45c", /* yellow 2 */
};

/* Presentation mode: saturated colours that survive a projector, on either
 * background. */
static const char *const palette_contrast_light[] = {
  "#0044cc", "#e05a00", "#00802b", "#d0001b", "#8000b0", "#6b3d14", "#007080", "#a07000",
};
static const char *const palette_contrast_dark[] = {
  "#4fa3ff", "#ff9a1f", "#33e07a", "#ff4d4d", "#e070ff", "#e0b080", "#33d6eb", "#ffe033",
};

G_STATIC_ASSERT (G_N_ELEMENTS (palette_light) == G_N_ELEMENTS (palette_dark));
G_STATIC_ASSERT (G_N_ELEMENTS (palette_contrast_light) == G_N_ELEMENTS (palette_light));
G_STATIC_ASSERT (G_N_ELEMENTS (palette_contrast_dark) == G_N_ELEMENTS (palette_light));

static gboolean presentation;
static double presentation_scale = 1.0;

void
rv_plot_set_presentation (gboolean on)
{
  presentation = on;
}

gboolean
rv_plot_get_presentation (void)
{
  return presentation;
}

/* Twice as thick at 100 %; a line as thick as the text is large would blot
 * out the data it draws, so the width follows the square root. */
double
rv_plot_line (double width)
{
  return presentation ? 2.0 * sqrt (presentation_scale) * width : width;
}

void
rv_plot_set_presentation_scale (double scale)
{
  presentation_scale = CLAMP (scale, 0.5, 4.0);
}

double
rv_plot_marker (double radius)
{
  return presentation ? 1.6 * sqrt (presentation_scale) * radius : radius;
}

guint
rv_plot_palette_size (void)
{
  return G_N_ELEMENTS (palette_light);
}

void
rv_plot_palette_color (guint index, gboolean dark, GdkRGBA *color)
{
  const char *const *palette = presentation ? (dark ? palette_contrast_dark : palette_contrast_light)
                                            : (dark ? palette_dark : palette_light);

  gdk_rgba_parse (color, palette[index % G_N_ELEMENTS (palette_light)]);
}

double
rv_plot_luminance (const GdkRGBA *c)
{
  return 0.2126 * c->red + 0.7152 * c->green + 0.0722 * c->blue;
}

void
rv_plot_mix (const GdkRGBA *from, const GdkRGBA *to, double t, GdkRGBA *out)
{
  out->red = from->red + (to->red - from->red) * t;
  out->green = from->green + (to->green - from->green) * t;
  out->blue = from->blue + (to->blue - from->blue) * t;
  out->alpha = from->alpha;
}

void
rv_plot_style_init (RvPlotStyle *style, GtkWidget *widget)
{
  GtkStyleContext *context;
  gboolean have_bg;

  if (gtk_widget_get_root (widget) == NULL)
    {
      /* Outside a window the theme's colours do not reach a widget (its
       * CSS colour is the initial white); an export from there gets
       * libadwaita's defaults for the current scheme instead. */
      style->dark = adw_is_initialized ()
        && adw_style_manager_get_dark (adw_style_manager_get_default ());
      gdk_rgba_parse (&style->fg, style->dark ? "#ffffff" : "rgba(0,0,0,0.8)");
      gdk_rgba_parse (&style->bg, style->dark ? "#1e1e1e" : "#ffffff");
      return;
    }

  /* gtk_widget_get_color arrives in GTK 4.10; on 4.8 the style context is
   * the way, and it is deprecated only from 4.10 on. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (widget);
  gtk_style_context_get_color (context, &style->fg);
  have_bg = gtk_style_context_lookup_color (context, "view_bg_color", &style->bg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  style->dark = rv_plot_luminance (&style->fg) > 0.5;
  /* With a theme lacking the name, pick the background from the
   * foreground's lightness. */
  if (!have_bg || style->dark != (rv_plot_luminance (&style->bg) < 0.5))
    gdk_rgba_parse (&style->bg, style->dark ? "#1e1e1e" : "#ffffff");
  style->bg.alpha = 1.0;
}

void
rv_plot_set_source (cairo_t *cr, const GdkRGBA *color, double alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

PangoLayout *
rv_plot_layout_new (GtkWidget *widget, const char *text, double scale, gboolean bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attrs = pango_attr_list_new ();

  if (scale != 1.0)
    pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

/* U+200B, a zero-width space: a break opportunity that shows nothing. */
#define ZERO_WIDTH_SPACE "\xe2\x80\x8b"

PangoLayout *
rv_plot_wrapped_layout_new (GtkWidget *widget, const char *text, double scale, double width)
{
  g_autoptr (GString) breakable = g_string_sized_new (strlen (text) + 16);
  for (const char *p = text; *p != '\0'; p++)
    {
      g_string_append_c (breakable, *p);
      if (*p == '_' && p[1] != '\0')
        g_string_append (breakable, ZERO_WIDTH_SPACE);
    }
  PangoLayout *layout = rv_plot_layout_new (widget, breakable->str, scale, FALSE);
  PangoAttrList *attrs = pango_attr_list_copy (pango_layout_get_attributes (layout));
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  return layout;
}

void
rv_plot_layout_size (PangoLayout *layout, double *width, double *height)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  if (width != NULL)
    *width = (double) logical.width / PANGO_SCALE;
  if (height != NULL)
    *height = (double) logical.height / PANGO_SCALE;
}

void
rv_plot_show_layout (cairo_t *cr, PangoLayout *layout,
                     double x, double y, double xalign, double yalign)
{
  PangoRectangle logical;
  int width = pango_layout_get_width (layout);
  double left;

  pango_layout_get_extents (layout, NULL, &logical);
  /* A layout with a width aligns its text within that width itself; it is
   * placed by its box, not by where the text landed in it. */
  if (width >= 0)
    left = x - xalign * width / PANGO_SCALE;
  else
    left = x - ((double) logical.x + xalign * logical.width) / PANGO_SCALE;
  cairo_move_to (cr, left, y - ((double) logical.y + yalign * logical.height) / PANGO_SCALE);
  pango_cairo_show_layout (cr, layout);
}

static void
text_size (GtkWidget *widget, const char *text, double scale, gboolean bold, double *width, double *height)
{
  g_autoptr (PangoLayout) layout = rv_plot_layout_new (widget, text, scale, bold);

  rv_plot_layout_size (layout, width, height);
}

double
rv_plot_text_width (GtkWidget *widget, const char *text, double scale, gboolean bold)
{
  double w;

  text_size (widget, text, scale, bold, &w, NULL);
  return w;
}

double
rv_plot_text_height (GtkWidget *widget, double scale, gboolean bold)
{
  double h;

  text_size (widget, "0", scale, bold, NULL, &h);
  return h;
}

void
rv_plot_accent_color (const RvPlotStyle *style, const GdkRGBA *chosen, GdkRGBA *color)
{
  if (chosen != NULL)
    *color = *chosen;
  else
    rv_plot_palette_color (0, style->dark, color);
}

gboolean
rv_plot_optional_color_set (gboolean *is_set, GdkRGBA *field, const GdkRGBA *color)
{
  if (color == NULL && !*is_set)
    return FALSE;
  if (color != NULL && *is_set && gdk_rgba_equal (color, field))
    return FALSE;
  *is_set = color != NULL;
  if (color != NULL)
    *field = *color;
  return TRUE;
}

void
rv_plot_axis_set_ticks (RvPlotAxis *axis, guint target)
{
  const RvPlotScale *s = &axis->scale;

  if (s->log)
    axis->n_ticks = rv_plot_ticks_log_full (s->lo, s->hi, target, axis->ticks, &axis->step);
  else
    axis->n_ticks = rv_plot_ticks_linear (s->lo, s->hi, target, axis->ticks, &axis->step);
}

/* Linear ticks whose labels stay at least min_gap pixels apart: about
 * target of them, fewer until they fit, never under two. */
static void
fit_linear_ticks (RvPlotAxis *axis, GtkWidget *widget, guint target, double min_gap)
{
  for (;;)
    {
      double widest, spacing;

      axis->n_ticks = rv_plot_ticks_linear (axis->scale.lo, axis->scale.hi, target, axis->ticks, &axis->step);
      widest = rv_plot_axis_widest_label (axis, widget);
      spacing = axis->n_ticks > 1
        ? fabs (rv_plot_scale_map (&axis->scale, axis->ticks[1])
                - rv_plot_scale_map (&axis->scale, axis->ticks[0]))
        : G_MAXDOUBLE;
      if (spacing >= widest + min_gap || target <= 2)
        break;
      target--;
    }
}

/* Tick i's label, for its step. */
static char *
format_axis_tick (const RvPlotAxis *axis, guint i)
{
  if (axis->step == 0.0)
    return rv_plot_format_value (axis->ticks[i]);
  return rv_plot_format_tick (axis->ticks[i], axis->step);
}

double
rv_plot_axis_widest_label (const RvPlotAxis *axis, GtkWidget *widget)
{
  double widest = 0.0;

  for (guint i = 0; i < axis->n_ticks; i++)
    {
      g_autofree char *label = format_axis_tick (axis, i);

      widest = MAX (widest, rv_plot_text_width (widget, label, PANGO_SCALE_SMALL, FALSE));
    }
  return widest;
}

void
rv_plot_path_x_ticks (cairo_t *cr, const RvPlotAxis *x, double base)
{
  for (guint i = 0; i < x->n_ticks; i++)
    {
      double tx = round (rv_plot_scale_map (&x->scale, x->ticks[i])) + 0.5;

      cairo_move_to (cr, tx, base + 0.5);
      cairo_line_to (cr, tx, base + 0.5 + RV_PLOT_TICK);
    }
}

void
rv_plot_show_x_labels (cairo_t *cr, GtkWidget *widget, const RvPlotAxis *x,
                       const char *const *names, double base, int width)
{
  double last_right = -G_MAXDOUBLE;

  for (guint i = 0; i < x->n_ticks; i++)
    {
      g_autofree char *text = names != NULL ? g_strdup (names[(guint) x->ticks[i]])
                                            : format_axis_tick (x, i);
      g_autoptr (PangoLayout) layout = rv_plot_layout_new (widget, text, PANGO_SCALE_SMALL, FALSE);
      double w, tx;

      rv_plot_layout_size (layout, &w, NULL);
      /* Never past the widget's edges, never onto the previous label. */
      tx = CLAMP (rv_plot_scale_map (&x->scale, x->ticks[i]), w / 2.0, width - w / 2.0);
      if (tx - w / 2.0 < last_right + 4.0)
        continue;
      rv_plot_show_layout (cr, layout, tx, base + RV_PLOT_TICK + 2.0, 0.5, 0.0);
      last_right = tx + w / 2.0;
    }
}

void
rv_plot_draw_axes (cairo_t *cr, GtkWidget *widget, const RvPlotStyle *style,
                   double px, double py, double pw, double ph,
                   const RvPlotAxis *x, const char *const *x_names,
                   const RvPlotAxis *y, int width)
{
  double base = py + ph;

  /* Axis lines on pixel centres, in one stroke so that nothing where
   * they meet is drawn twice. */
  cairo_set_line_width (cr, rv_plot_line (1.0));
  rv_plot_set_source (cr, &style->fg, 0.5);
  cairo_move_to (cr, px - 0.5, py);
  cairo_line_to (cr, px - 0.5, base + 0.5);
  cairo_line_to (cr, px + pw, base + 0.5);
  for (guint i = 0; i < y->n_ticks; i++)
    {
      double ty = round (rv_plot_scale_map (&y->scale, y->ticks[i])) + 0.5;

      cairo_move_to (cr, px - 0.5 - RV_PLOT_TICK, ty);
      cairo_line_to (cr, px - 0.5, ty);
    }
  rv_plot_path_x_ticks (cr, x, base);
  cairo_stroke (cr);

  rv_plot_set_source (cr, &style->fg, 0.8);
  for (guint i = 0; i < y->n_ticks; i++)
    {
      g_autofree char *text = format_axis_tick (y, i);
      g_autoptr (PangoLayout) layout = rv_plot_layout_new (widget, text, PANGO_SCALE_SMALL, FALSE);

      rv_plot_show_layout (cr, layout, px - RV_PLOT_TICK - RV_PLOT_GAP,
                           rv_plot_scale_map (&y->scale, y->ticks[i]), 1.0, 0.5);
    }
  rv_plot_show_x_labels (cr, widget, x, x_names, base, width);
}

void
rv_plot_paint_background (cairo_t *cr, const RvPlotStyle *style)
{
  rv_plot_set_source (cr, &style->bg, 1.0);
  cairo_paint (cr);
}

double
rv_plot_show_title (cairo_t *cr, GtkWidget *widget, const RvPlotStyle *style,
                    const char *text, double scale, double x, double y, double width)
{
  g_autoptr (PangoLayout) layout = rv_plot_layout_new (widget, text, scale, TRUE);
  double h;

  pango_layout_set_width (layout, (int) MAX (1.0, width) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  rv_plot_layout_size (layout, NULL, &h);
  rv_plot_set_source (cr, &style->fg, 1.0);
  rv_plot_show_layout (cr, layout, x, y, 0.0, 0.0);
  return h;
}

void
rv_plot_show_caption (cairo_t *cr, GtkWidget *widget, const RvPlotStyle *style,
                      const char *text, double x, double y)
{
  g_autoptr (PangoLayout) layout = rv_plot_layout_new (widget, text, 1.0, FALSE);

  rv_plot_set_source (cr, &style->fg, 0.75);
  rv_plot_show_layout (cr, layout, x, y, 0.5, 0.0);
}

void
rv_plot_show_placeholder (cairo_t *cr, GtkWidget *widget, const RvPlotStyle *style,
                          const char *text, double scale, double x, double y)
{
  g_autoptr (PangoLayout) layout = rv_plot_layout_new (widget, text, scale, FALSE);

  rv_plot_set_source (cr, &style->fg, 0.55);
  rv_plot_show_layout (cr, layout, x, y, 0.5, 0.5);
}

/* Adds a rectangle with corners rounded to radius r as a new sub-path. */
static void
rounded_rectangle (cairo_t *cr, double x, double y, double w, double h, double r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

void
rv_plot_draw_box (cairo_t *cr, const RvPlotStyle *style, double x, double y, double w, double h)
{
  rounded_rectangle (cr, x + 0.5, y + 0.5, w - 1.0, h - 1.0, 4.0);
  rv_plot_set_source (cr, &style->bg, 0.92);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, rv_plot_line (1.0));
  rv_plot_set_source (cr, &style->fg, 0.25);
  cairo_stroke (cr);
}

void
rv_plot_show_readout (cairo_t *cr, GtkWidget *widget, const RvPlotStyle *style,
                      const char *text, double x, double y, double offset,
                      double left, double top, double right)
{
  g_autoptr (PangoLayout) layout = rv_plot_layout_new (widget, text, PANGO_SCALE_SMALL, FALSE);
  double w, h, bx, by;

  rv_plot_layout_size (layout, &w, &h);
  w += 12.0;
  h += 8.0;
  bx = x + offset;
  by = y - offset - h;
  if (bx + w > right)
    bx = x - offset - w;
  if (by < top)
    by = y + offset;
  bx = MAX (bx, left);
  rv_plot_draw_box (cr, style, bx, by, w, h);
  rv_plot_set_source (cr, &style->fg, 1.0);
  rv_plot_show_layout (cr, layout, bx + 6.0, by + 4.0, 0.0, 0.0);
}

void
rv_plot_stroke_cased (cairo_t *cr, const GdkRGBA *color, double casing_alpha,
                      double casing_width, double width)
{
  cairo_set_source_rgba (cr, 0, 0, 0, casing_alpha);
  cairo_set_line_width (cr, rv_plot_line (casing_width));
  cairo_stroke_preserve (cr);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, rv_plot_line (width));
  cairo_stroke (cr);
}

void
rv_plot_fill_outlined (cairo_t *cr, const GdkRGBA *color, double outline_alpha,
                       double outline_width)
{
  gdk_cairo_set_source_rgba (cr, color);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, outline_alpha);
  cairo_set_line_width (cr, rv_plot_line (outline_width));
  cairo_stroke (cr);
}

/* Liang-Barsky: the segment clipped against each side in turn. */
gboolean
rv_plot_clip_segment (const double box[4], double *ax, double *ay, double *bx, double *by)
{
  double dx = *bx - *ax, dy = *by - *ay, t0 = 0.0, t1 = 1.0;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { *ax - box[0], box[2] - *ax, *ay - box[1], box[3] - *ay };
  double x0 = *ax, y0 = *ay;

  for (int k = 0; k < 4; k++)
    {
      double r;

      if (p[k] == 0.0)
        {
          /* Parallel to this side: inside its half-plane or not at all. */
          if (q[k] < 0.0)
            return FALSE;
          continue;
        }
      r = q[k] / p[k];
      if (p[k] < 0.0)
        t0 = MAX (t0, r);
      else
        t1 = MIN (t1, r);
      if (t0 > t1)
        return FALSE;
    }
  *ax = x0 + t0 * dx;
  *ay = y0 + t0 * dy;
  *bx = x0 + t1 * dx;
  *by = y0 + t1 * dy;
  return TRUE;
}

cairo_t *
rv_plot_scratch_cairo (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cairo_t *cr = cairo_create (surface);

  cairo_surface_destroy (surface);
  return cr;
}

cairo_t *
rv_plot_snapshot_cairo (GtkWidget *widget, GtkSnapshot *snapshot, int *width, int *height)
{
  *width = gtk_widget_get_width (widget);
  *height = gtk_widget_get_height (widget);
  if (*width <= 0 || *height <= 0)
    return NULL;
  return gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, *width, *height));
}

/* How far the end tick labels, centred on their ticks, reach past min_x
 * and max_x. */
static void
label_overhang (const RvPlotAxis *x, GtkWidget *widget, double min_x, double max_x, double *left, double *right)
{
  *left = 0.0;
  *right = 0.0;
  if (x->n_ticks == 0)
    return;
  for (guint end = 0; end < 2; end++)
    {
      guint i = end == 0 ? 0 : x->n_ticks - 1;
      g_autofree char *text = format_axis_tick (x, i);
      double half = rv_plot_text_width (widget, text, PANGO_SCALE_SMALL, FALSE) / 2.0;
      double tx = rv_plot_scale_map (&x->scale, x->ticks[i]);

      if (end == 0)
        *left = MAX (0.0, min_x - (tx - half));
      else
        *right = MAX (0.0, tx + half - max_x);
    }
}

void
rv_plot_axis_fit_linear_ticks_inside (RvPlotAxis *axis, GtkWidget *widget, guint target, double min_gap,
                                      double min_x, double max_x)
{
  double left, right;

  fit_linear_ticks (axis, widget, target, min_gap);
  /* A coarse step may leave a single tick in the range: a finer one whose
   * labels fit says more. */
  for (guint more = target + 1; axis->n_ticks < 2 && more <= target + 4; more++)
    {
      RvPlotAxis trial = *axis;

      trial.n_ticks = rv_plot_ticks_linear (trial.scale.lo, trial.scale.hi, more, trial.ticks, &trial.step);
      if (trial.n_ticks >= 2
          && fabs (rv_plot_scale_map (&trial.scale, trial.ticks[1]) - rv_plot_scale_map (&trial.scale, trial.ticks[0]))
             >= rv_plot_axis_widest_label (&trial, widget) + min_gap)
        *axis = trial;
    }
  for (guint pass = 0; pass < 3; pass++)
    {
      RvPlotAxis before = *axis;

      label_overhang (axis, widget, min_x, max_x, &left, &right);
      if (left == 0.0 && right == 0.0)
        return;
      if (axis->scale.px_hi - axis->scale.px_lo - left - right < 20.0)
        break;
      axis->scale.px_lo = ceil (axis->scale.px_lo + left);
      axis->scale.px_hi = floor (axis->scale.px_hi - right);
      fit_linear_ticks (axis, widget, target, min_gap);
      /* Narrowed to one tick: better the wider axis with fewer labels. */
      if (axis->n_ticks < 2 && before.n_ticks >= 2)
        {
          *axis = before;
          break;
        }
    }
  /* What still reaches out is left out, from the ends. */
  while (axis->n_ticks > 1)
    {
      label_overhang (axis, widget, min_x, max_x, &left, &right);
      if (left > 0.0)
        memmove (axis->ticks, axis->ticks + 1, --axis->n_ticks * sizeof (double));
      else if (right > 0.0)
        axis->n_ticks--;
      else
        break;
    }
}

guint
rv_plot_axis_copy_ticks (const RvPlotAxis *axis, double *ticks, double *step)
{
  if (ticks != NULL)
    memcpy (ticks, axis->ticks, axis->n_ticks * sizeof (double));
  if (step != NULL)
    *step = axis->step;
  return axis->n_ticks;
}
