/* rv-plot.h: the small drawing toolkit the chart widgets share.
 *
 * - Scales: a linear or log10 map from data values to pixels.
 * - Ticks: "nice" values (1, 2, 5 × 10^k steps; decades on log axes).
 * - Numbers: short labels ("0.25", "1e-4", "12,345"), with a true minus sign.
 * - Colours: a series palette with a light-style and a dark-style variant of
 *   each colour, and the foreground/background read from a widget's style,
 *   so axes and text follow the light or dark appearance.
 * - Text: Pango layouts placed by an anchor (0 = start, 0.5 = centre, 1 = end).
 * - Chart parts: axes with ticks and labels, titles, captions, boxes and
 *   read-outs, drawn alike in every chart.
 *
 * Everything here draws on any cairo target (screen, PNG, SVG, PDF). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Capacity of the tick arrays the tick functions fill. */
#define RV_PLOT_MAX_TICKS 64

/* The charts' common spacing, in pixels. */
#define RV_PLOT_PAD  6.0   /* around everything */
#define RV_PLOT_TICK 4.0   /* tick mark length */
#define RV_PLOT_GAP  4.0   /* between a label and what it labels */

/* Maps [lo, hi] to [px_lo, px_hi]; px_hi < px_lo is fine (y axes grow up).
 * On a log scale lo and hi must be > 0. */
typedef struct
{
  double lo, hi;
  double px_lo, px_hi;
  gboolean log;
} RvPlotScale;

double   rv_plot_scale_map      (const RvPlotScale *scale, double value);
double   rv_plot_scale_unmap    (const RvPlotScale *scale, double pixel);
/* Whether value has a place on the scale at all: finite, and > 0 on log. */
gboolean rv_plot_scale_accepts  (const RvPlotScale *scale, double value);

/* Fills ticks[RV_PLOT_MAX_TICKS] with the multiples of a 1-2-5 step inside
 * [lo, hi], about max_ticks of them (at most 1.4 × max_ticks + 1); returns
 * their number and stores the step in *step (may be NULL). */
guint rv_plot_ticks_linear (double lo, double hi, guint max_ticks,
                            double *ticks, double *step);

/* Log axis ticks in [lo, hi] (both > 0): powers of ten, every k-th decade so
 * that at most about max_ticks remain; when the range spans less than two
 * decades, the 1-2-5 multiples in it, or if those are too many or too few,
 * linear ticks.  Returns their number.  Label them with
 * rv_plot_format_value, or use rv_plot_ticks_log_full. */
guint rv_plot_ticks_log (double lo, double hi, guint max_ticks, double *ticks);

/* The same, with *step (may be NULL) = 0 for powers of ten and 1-2-5
 * multiples, or the linear step when it came to that: label with
 * rv_plot_format_value when 0, else rv_plot_format_tick (value, step). */
guint rv_plot_ticks_log_full (double lo, double hi, guint max_ticks, double *ticks, double *step);

/* Widens [*lo, *hi] outwards to round values: to the tick step's multiples
 * (linear), or to powers of ten (log).  An empty range is widened first. */
void rv_plot_nice_range (double *lo, double *hi, guint max_ticks, gboolean log);

/* A tick label: the same number of decimals for every tick with this step
 * ("0.5", "1.0", "1.5"), scientific ("2e-4", "1.5e6") for steps below 1e-3
 * or from 1e5 up; integers from 10,000 up are grouped ("20,000"). */
char *rv_plot_format_tick (double value, double step);

/* A value known to about resolution: as a tick label with step resolution,
 * with trailing zeros trimmed ("0.12", "−4.03"). */
char *rv_plot_format_at_resolution (double value, double resolution);

/* A free-standing value to three significant digits, trimmed: "1.03",
 * "0.0123", "388", "1.2e-4", "2.5e5"; "NaN", "∞". */
char *rv_plot_format_value (double value);

/* A count with thousands grouped: "1,234". */
char *rv_plot_format_count (guint64 count);

/* A value as printf would write it with format, one conversion of a
 * double ("%.4f" → "0.9717", "%.3e", "%g" → "1e-05"), but in the reader's
 * style as below. */
char *rv_plot_format_number (const char *format, double value);

/* Every rv_plot_format_* shows numbers as the reader expects: with the
 * numeric locale's separators when one is set (LC_NUMERIC or LANG), else
 * the UI language's ("0,972" and "50.000" in German); the minus sign is
 * U+2212.  Files (JSON, CSV) are written in the C locale elsewhere. */

/* The series palette (GNOME HIG colours): index wraps around.  The dark
 * variants are lighter, so that lines read on a dark background. */
guint rv_plot_palette_size  (void);
void  rv_plot_palette_color (guint index, gboolean dark, GdkRGBA *color);

/* What a chart needs from the widget's style. */
typedef struct
{
  GdkRGBA fg;     /* text, axes: the widget's CSS colour (alpha kept) */
  GdkRGBA bg;     /* what exports paint behind the chart: the view background */
  gboolean dark;  /* fg is light, so the style is dark */
} RvPlotStyle;

/* From the widget's style; a widget in no window (no theme colours reach
 * it) gets libadwaita's defaults for the current light/dark scheme. */
void rv_plot_style_init (RvPlotStyle *style, GtkWidget *widget);

/* Relative luminance, 0 (black) to 1 (white). */
double rv_plot_luminance (const GdkRGBA *color);

/* from + (to − from) × t in each channel, with from's alpha. */
void rv_plot_mix (const GdkRGBA *from, const GdkRGBA *to, double t, GdkRGBA *out);

/* cairo_set_source_rgba with the colour's alpha scaled by alpha. */
void rv_plot_set_source (cairo_t *cr, const GdkRGBA *color, double alpha);

/* Text in the widget's font; scale 1.0 is the normal size (PANGO_SCALE_SMALL
 * for tick labels); bold for titles.  Free with g_object_unref. */
PangoLayout *rv_plot_layout_new (GtkWidget *widget, const char *text,
                                 double scale, gboolean bold);

/* Text wrapped at width pixels, never ellipsized.  A name with no spaces
 * (a run's, "relu_512x256x256x128_kaiming_adam_lr0.001_e40_b256_s42")
 * breaks after its underscores, between its own parts, and where a part
 * itself must break no hyphen is added (one would read as part of the
 * name).  Free with g_object_unref. */
PangoLayout *rv_plot_wrapped_layout_new (GtkWidget *widget, const char *text,
                                         double scale, double width);

/* Draws layout so that the point (xalign, yalign) of its logical extents
 * (0 = left/top, 1 = right/bottom) lands on (x, y).  A layout given a width
 * is placed by its box of that width instead, so that its own alignment
 * (say, centred) holds. */
void rv_plot_show_layout (cairo_t *cr, PangoLayout *layout,
                          double x, double y, double xalign, double yalign);

/* Logical size of a layout in pixels. */
void rv_plot_layout_size (PangoLayout *layout, double *width, double *height);

/* The width of text, and the height of a line ("0"), in the widget's font. */
double rv_plot_text_width  (GtkWidget *widget, const char *text, double scale, gboolean bold);
double rv_plot_text_height (GtkWidget *widget, double scale, gboolean bold);

/* The colour of a chart of one series: chosen, or without a choice
 * (NULL) the palette's first colour for the style. */
void rv_plot_accent_color (const RvPlotStyle *style, const GdkRGBA *chosen, GdkRGBA *color);

/* Sets an optional colour (*is_set, *field) to color, or to none for NULL;
 * returns whether that changed anything. */
gboolean rv_plot_optional_color_set (gboolean *is_set, GdkRGBA *field, const GdkRGBA *color);

/* One axis of a chart: its scale, its ticks and how they are labelled. */
typedef struct
{
  RvPlotScale scale;
  double ticks[RV_PLOT_MAX_TICKS];
  guint n_ticks;
  double step;     /* the tick step; 0 labels each tick by its value (log ticks) */
} RvPlotAxis;

/* About target ticks over the axis' scale: 1-2-5 steps, or on a log
 * scale decades (see rv_plot_ticks_log_full). */
void rv_plot_axis_set_ticks (RvPlotAxis *axis, guint target);

/* The width of the widest tick label (small text). */
double rv_plot_axis_widest_label (const RvPlotAxis *axis, GtkWidget *widget);

/* Linear ticks whose labels stay at least min_gap pixels apart (about
 * target of them, fewer until they fit, never under two), with the end
 * labels (centred on their ticks) kept within [min_x, max_x]: the scale's pixel range narrows to
 * make room (the caller's plot follows axis->scale.px_lo and px_hi), and
 * where that would leave a single tick, end ticks are left out instead. */
void rv_plot_axis_fit_linear_ticks_inside (RvPlotAxis *axis, GtkWidget *widget, guint target, double min_gap,
                                           double min_x, double max_x);

/* Copies the axis' ticks into ticks (RV_PLOT_MAX_TICKS, may be NULL) and
 * its step into *step (may be NULL); returns how many.  For the charts'
 * tick accessors. */
guint rv_plot_axis_copy_ticks (const RvPlotAxis *axis, double *ticks, double *step);

/* Adds the tick marks of a horizontal axis to the path: RV_PLOT_TICK
 * down from the axis line's pixel row at base, on pixel centres. */
void rv_plot_path_x_ticks (cairo_t *cr, const RvPlotAxis *x, double base);

/* The tick labels under a horizontal axis at base, in cr's source:
 * centred on their ticks but kept within [0, width], and left out where
 * one would touch the one before.  names: category names indexed by tick
 * value, or NULL for numbers. */
void rv_plot_show_x_labels (cairo_t *cr, GtkWidget *widget, const RvPlotAxis *x,
                            const char *const *names, double base, int width);

/* The frame of an x-y chart whose plot area is (px, py, pw, ph) on whole
 * pixels: the left and bottom axis lines and their ticks in one stroke,
 * then the tick labels.  x_names as for rv_plot_show_x_labels. */
void rv_plot_draw_axes (cairo_t *cr, GtkWidget *widget, const RvPlotStyle *style,
                        double px, double py, double pw, double ph,
                        const RvPlotAxis *x, const char *const *x_names,
                        const RvPlotAxis *y, int width);

/* What an export starts with: the style's background over everything,
 * so that the image is opaque whatever it is viewed on. */
void rv_plot_paint_background (cairo_t *cr, const RvPlotStyle *style);

/* A title across [x, x + width) with its top at y: bold, centred, and
 * ellipsized to fit.  Returns its height. */
double rv_plot_show_title (cairo_t *cr, GtkWidget *widget, const RvPlotStyle *style,
                           const char *text, double scale, double x, double y, double width);

/* A line of text under a chart, such as its variance: centred on x with
 * its top at y. */
void rv_plot_show_caption (cairo_t *cr, GtkWidget *widget, const RvPlotStyle *style,
                           const char *text, double x, double y);

/* A faint message centred on (x, y), where a chart has nothing to show. */
void rv_plot_show_placeholder (cairo_t *cr, GtkWidget *widget, const RvPlotStyle *style,
                               const char *text, double scale, double x, double y);

/* The box behind a legend or a read-out: the background, nearly opaque,
 * with a faint border on pixel centres. */
void rv_plot_draw_box (cairo_t *cr, const RvPlotStyle *style, double x, double y, double w, double h);

/* A hover read-out: text in a box up and to the right of the point
 * (x, y), offset pixels away, flipped to its left or below where the plot
 * area (from left to right, from top down) ends there. */
void rv_plot_show_readout (cairo_t *cr, GtkWidget *widget, const RvPlotStyle *style,
                           const char *text, double x, double y, double offset,
                           double left, double top, double right);

/* Strokes the path in color over a dark casing (black at casing_alpha,
 * casing_width wide), so that the line reads on light and dark ground
 * alike; clears the path. */
void rv_plot_stroke_cased (cairo_t *cr, const GdkRGBA *color, double casing_alpha,
                           double casing_width, double width);

/* Fills the path in color and outlines it thinly in black at
 * outline_alpha, so that a marker stands out from its line; clears the
 * path. */
void rv_plot_fill_outlined (cairo_t *cr, const GdkRGBA *color, double outline_alpha,
                            double outline_width);

/* Cuts the segment from (*ax, *ay) to (*bx, *by) to the box {left, top,
 * right, bottom}; FALSE when none of it is inside. */
gboolean rv_plot_clip_segment (const double box[4], double *ax, double *ay, double *bx, double *by);

/* A cairo context to build paths on that are measured, never shown: one
 * pixel, since paths are not clipped to it.  Free with cairo_destroy. */
cairo_t *rv_plot_scratch_cairo (void);

/* A cairo context over the whole widget in snapshot, for the snapshot
 * vfunc; NULL when the widget has no area.  Stores its size. */
cairo_t *rv_plot_snapshot_cairo (GtkWidget *widget, GtkSnapshot *snapshot, int *width, int *height);

/* Presentation mode (a lecture hall's projector): every chart draws its
 * lines twice as thick, with a high-contrast palette.  rv_plot_line gives
 * the width to draw a line of the given normal width. */
void rv_plot_set_presentation (gboolean on);
gboolean rv_plot_get_presentation (void);
double rv_plot_line (double width);
/* The Preferences' text size for presentation mode (1.0 = 100 %): lines
 * and markers grow with it, more slowly than the text. */
void rv_plot_set_presentation_scale (double scale);
/* The radius to draw a marker of the given normal radius. */
double rv_plot_marker (double radius);

G_END_DECLS
