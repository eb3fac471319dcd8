/* rv-curve-set.h: the model behind a line chart: named series of (x, y)
 * points.  Views listen to "changed", emitted after every setter.
 *
 * A series is addressed by its index, in the order added; removing one
 * shifts those after it down.  Each series has a name (for the legend and
 * the hover read-out), a colour (unset = the palette colour for its index,
 * in the variant matching light or dark), and a dashed flag (for pinned
 * configurations shown for comparison).  Points may hold NaN or infinities
 * (a diverged run): the view leaves a gap there. */
#pragma once

#include <gdk/gdk.h>

G_BEGIN_DECLS

#define RV_TYPE_CURVE_SET (rv_curve_set_get_type ())
G_DECLARE_FINAL_TYPE (RvCurveSet, rv_curve_set, RV, CURVE_SET, GObject)

RvCurveSet *rv_curve_set_new (void);

/* Appends an empty series and returns its index.  color NULL = automatic. */
guint rv_curve_set_add_series (RvCurveSet *self, const char *name,
                               const GdkRGBA *color, gboolean dashed);
void  rv_curve_set_remove_series (RvCurveSet *self, guint series);
/* Removes every series. */
void  rv_curve_set_clear (RvCurveSet *self);
guint rv_curve_set_get_n_series (RvCurveSet *self);

/* Replaces the series' points with copies of x[0..n), y[0..n). */
void rv_curve_set_set_points (RvCurveSet *self, guint series,
                              const double *x, const double *y, guint n);
/* Appends one point (a live loss curve grows this way). */
void rv_curve_set_append (RvCurveSet *self, guint series, double x, double y);

void        rv_curve_set_set_name   (RvCurveSet *self, guint series, const char *name);
const char *rv_curve_set_get_name   (RvCurveSet *self, guint series);
/* NULL goes back to the automatic colour. */
void        rv_curve_set_set_color  (RvCurveSet *self, guint series, const GdkRGBA *color);
/* FALSE when the colour is automatic (color is then left alone). */
gboolean    rv_curve_set_get_color  (RvCurveSet *self, guint series, GdkRGBA *color);
void        rv_curve_set_set_dashed (RvCurveSet *self, guint series, gboolean dashed);
gboolean    rv_curve_set_get_dashed (RvCurveSet *self, guint series);
/* A short text the view draws in the series' colour just above its last
 * drawn point (below it at the top of the plot), ending there (a reference
 * line's value: "2/η = 20"), so it
 * reads without the legend; NULL or "" for none (the default). */
void        rv_curve_set_set_label  (RvCurveSet *self, guint series, const char *label);
const char *rv_curve_set_get_label  (RvCurveSet *self, guint series);

guint         rv_curve_set_get_n_points (RvCurveSet *self, guint series);
/* The points held; valid until the series next changes. */
const double *rv_curve_set_get_x        (RvCurveSet *self, guint series);
const double *rv_curve_set_get_y        (RvCurveSet *self, guint series);

G_END_DECLS
