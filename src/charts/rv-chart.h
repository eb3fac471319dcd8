/* rv-chart.h: the base every chart widget derives from.
 *
 * The base owns what every chart does alike:
 * - its model: a reference, and the model's change signals followed
 *   (RvChartClass.model_type and .model_signals name them);
 * - the title (property "title"), which is also the accessible label;
 * - the pointer (rv_chart_get_pointer) and the tooltip: the subclass's
 *   dup_tooltip under the pointer, its dup_summary for the keyboard;
 * - the accessible description, dup_summary kept in step with the data;
 * - drawing: on screen (snapshot), into any cairo context for export
 *   (rv_chart_draw, opaque background, no hover) and to a file
 *   (rv_chart_export: PNG, SVG or PDF);
 * - the legend: laid out beside the plot when there is room, else in the
 *   corner where it hides the least of the data the subclass reports
 *   (collect_geometry), and never ellipsized: long names wrap;
 * - size requests and light/dark redraws.
 *
 * A subclass draws its data and says where that data lies; see
 * RvChartClass. */
#pragma once

#include <gtk/gtk.h>

#include "rv-plot.h"

G_BEGIN_DECLS

/* Where a chart's data lies, in widget coordinates: points, line segments
 * and filled rectangles (bars, a colour bar).  What a legend must not
 * cover. */
typedef struct
{
  GArray *points;     /* graphene_point_t */
  GArray *segments;   /* graphene_point_t pairs: from, to */
  GArray *rects;      /* graphene_rect_t */
} RvChartGeometry;

RvChartGeometry *rv_chart_geometry_new  (void);
void             rv_chart_geometry_free (RvChartGeometry *geometry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvChartGeometry, rv_chart_geometry_free)

void rv_chart_geometry_add_point   (RvChartGeometry *geometry, double x, double y);
void rv_chart_geometry_add_segment (RvChartGeometry *geometry, double x0, double y0, double x1, double y1);
void rv_chart_geometry_add_rect    (RvChartGeometry *geometry, double x, double y, double w, double h);
/* Adds cr's current path, flattened: its lines as segments (a closed
 * sub-path's closing line too), a sub-path of one point as a point. */
void rv_chart_geometry_add_path    (RvChartGeometry *geometry, cairo_t *cr);

/* How many of the geometry's points, segments and rectangles meet rect. */
guint rv_chart_geometry_count_in (const RvChartGeometry *geometry, const graphene_rect_t *rect);

/* How a legend entry shows its series. */
typedef enum
{
  RV_CHART_SWATCH_LINE,         /* a short line, solid or dashed */
  RV_CHART_SWATCH_LINE_MARKER,  /* a line with a dot on it */
  RV_CHART_SWATCH_BOX,          /* a filled square */
} RvChartSwatch;

typedef struct
{
  char *label;
  GdkRGBA color;
  RvChartSwatch swatch;
  gboolean dashed;
} RvChartLegendItem;

/* Where a legend goes, decided with the plot area (rv_chart_legend_reserve)
 * and kept in the subclass's geometry until it is drawn. */
typedef struct
{
  guint n_items;          /* 0: no legend */
  gboolean outside;       /* beside the plot, right of it */
  double x, y;            /* top left, when outside */
  double width, height;
} RvChartLegendPlace;

#define RV_TYPE_CHART (rv_chart_get_type ())
G_DECLARE_DERIVABLE_TYPE (RvChart, rv_chart, RV, CHART, GtkWidget)

struct _RvChartClass
{
  GtkWidgetClass parent_class;

  /* The model's type (G_TYPE_NONE: the chart has no model) and the signals
   * it is followed on (NULL-terminated); each one calls data_changed. */
  GType model_type;
  const char *const *model_signals;

  /* The accessible label when there is no title ("Histogram"). */
  const char *fallback_label;

  /* Sizes asked of the layout. */
  int min_width, min_height, natural_width, natural_height;

  /* Draws the chart into cr, width × height; for_export leaves out the
   * hover highlight and anything else that is only for the screen.  The
   * background is painted already when exporting. */
  void (*draw) (RvChart *self, cairo_t *cr, int width, int height, gboolean for_export);

  /* The chart as a whole in one line: its accessible description and its
   * keyboard tooltip. */
  char *(*dup_summary) (RvChart *self);

  /* The tooltip for the pointer at (x, y), or NULL for none (default). */
  char *(*dup_tooltip) (RvChart *self, double x, double y);

  /* The pointer moved, left, or the data or size moved under it: update
   * what is hovered (and queue a draw if that changed).  Optional. */
  void (*pointer_changed) (RvChart *self);

  /* The data changed (a model signal, or the subclass said so).  The base
   * then updates the accessible description, the hover, and redraws; a
   * subclass chaining up may first drop what it cached. */
  void (*data_changed) (RvChart *self);

  /* Adds where the data lies at size width × height to geometry. */
  void (*collect_geometry) (RvChart *self, int width, int height, RvChartGeometry *geometry);

  /* Appends the legend's entries (RvChartLegendItem, the label a string
   * of the base's) to items; none, no legend. */
  void (*collect_legend) (RvChart *self, const RvPlotStyle *style, GArray *items);

  gpointer padding[8];
};

/* The model, or NULL. */
gpointer rv_chart_get_model (RvChart *self);
/* Follows model (of the class's model_type, or NULL); returns FALSE,
 * changing nothing, when it is the model already. */
gboolean rv_chart_set_model (RvChart *self, gpointer model);

/* Property "title": drawn by the subclass, and the accessible label. */
const char *rv_chart_get_title (RvChart *self);
void        rv_chart_set_title (RvChart *self, const char *title);

/* Whether the pointer is over the chart, and where. */
gboolean rv_chart_get_pointer (RvChart *self, double *x, double *y);

/* Tells the base the data changed (as a model signal does). */
void rv_chart_data_changed (RvChart *self);

/* Tells the base that what lies under the pointer may have moved (axes,
 * options) without the data changing: the hover is updated, a draw queued. */
void rv_chart_layout_changed (RvChart *self);

/* A subclass's option changed the way rv_chart_layout_changed tells:
 * sets *field to value (a boolean as TRUE or FALSE), tells the base, and
 * notifies pspec.  FALSE, changing nothing, when it held value already. */
gboolean rv_chart_set_boolean (RvChart *self, gboolean *field, gboolean value, GParamSpec *pspec);
gboolean rv_chart_set_double  (RvChart *self, double *field, double value, GParamSpec *pspec);

/* Draws the chart for export: the style's background, then the chart. */
void rv_chart_draw (RvChart *self, cairo_t *cr, int width, int height);

/* Saves the chart as PNG, SVG or PDF by path's extension (rv-plot-export.h). */
gboolean rv_chart_export (RvChart *self, const char *path, int width, int height, double scale,
                          GError **error);

/* Where the data lies at width × height (the subclass's collect_geometry). */
RvChartGeometry *rv_chart_collect_geometry (RvChart *self, int width, int height);

/* Decides where the legend goes for a plot area of *plot in a chart of
 * the given width: beside the plot when the plot keeps enough of its width,
 * *plot then narrowed to make room; else inside.  No entries, n_items 0. */
void rv_chart_legend_reserve (RvChart *self, int width, graphene_rect_t *plot, RvChartLegendPlace *place);

/* Draws the legend placed by rv_chart_legend_reserve: beside the plot, or
 * inside it in the corner (or edge middle) that covers the least of the
 * data at width × height; remembers where (rv_chart_get_legend_rect). */
void rv_chart_legend_draw (RvChart *self, cairo_t *cr, const RvPlotStyle *style,
                           const RvChartLegendPlace *place, const graphene_rect_t *plot,
                           int width, int height);

/* How much of geometry a legend placed inside plot by
 * rv_chart_legend_reserve would hide at its freest spot (what
 * rv_chart_legend_draw would choose); 0 when it goes beside the plot, has
 * no entries or has no room.  A subclass may make room when it is not 0. */
guint rv_chart_legend_least_hidden (RvChart *self, const RvChartLegendPlace *place,
                                    const graphene_rect_t *plot, const RvChartGeometry *geometry);

/* Where the legend was last drawn; FALSE when it was not. */
gboolean rv_chart_get_legend_rect (RvChart *self, graphene_rect_t *rect);

G_END_DECLS
