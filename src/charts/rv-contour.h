/* rv-contour.h: contour lines of a sampled field by marching squares. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One piece of a contour line, in grid coordinates: x = i + fraction along
 * the row, y = j + fraction along the column. */
typedef void (*RvContourSegmentFunc) (double x0, double y0, double x1, double y1,
                                      gpointer user_data);

/* Calls func for every segment of the level set {f = level} of the field
 * values[j * nx + i] (nx, ny >= 2), each cell crossed with straight pieces
 * between linearly interpolated edge crossings.  A saddle cell (its corners
 * alternate) is split by the mean of its corners.  Cells with a value that
 * is not finite are left out. */
void rv_contour_march (const double *values, guint nx, guint ny, double level,
                       RvContourSegmentFunc func, gpointer user_data);

G_END_DECLS
