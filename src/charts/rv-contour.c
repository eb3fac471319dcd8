/* rv-contour.c: marching squares, one cell at a time.
 *
 * The corners of cell (i, j) are numbered counter-clockwise from its origin
 * (0: (i, j), 1: (i+1, j), 2: (i+1, j+1), 3: (i, j+1)), and edge e joins
 * corner e to corner e+1.  A level crosses an edge when its two corners lie
 * on different sides; a cell has no, two or four such edges. */
#include "rv-config.h"

#include <math.h>

#include "rv-contour.h"

static const int corner_dx[4] = { 0, 1, 1, 0 };
static const int corner_dy[4] = { 0, 0, 1, 1 };

/* Where the level crosses edge e of the cell, in grid coordinates. */
static void
edge_point (const double v[4], int i, int j, int e, double level, double *x, double *y)
{
  int a = e, b = (e + 1) % 4;
  double f = (level - v[a]) / (v[b] - v[a]);
  *x = i + corner_dx[a] + f * (corner_dx[b] - corner_dx[a]);
  *y = j + corner_dy[a] + f * (corner_dy[b] - corner_dy[a]);
}

static void
emit (const double v[4], int i, int j, int e0, int e1, double level,
      RvContourSegmentFunc func, gpointer user_data)
{
  double x0, y0, x1, y1;
  edge_point (v, i, j, e0, level, &x0, &y0);
  edge_point (v, i, j, e1, level, &x1, &y1);
  func (x0, y0, x1, y1, user_data);
}

void
rv_contour_march (const double *values, guint nx, guint ny, double level,
                  RvContourSegmentFunc func, gpointer user_data)
{
  g_return_if_fail (values != NULL && func != NULL);
  g_return_if_fail (nx >= 2 && ny >= 2);
  if (!isfinite (level))
    return;

  for (guint j = 0; j + 1 < ny; j++)
    for (guint i = 0; i + 1 < nx; i++)
      {
        double v[4];
        gboolean above[4];
        gboolean finite = TRUE;
        for (int c = 0; c < 4; c++)
          {
            v[c] = values[(size_t) (j + corner_dy[c]) * nx + i + corner_dx[c]];
            finite = finite && isfinite (v[c]);
            above[c] = v[c] > level;
          }
        if (!finite)
          continue;

        int crossed[4], n_crossed = 0;
        for (int e = 0; e < 4; e++)
          if (above[e] != above[(e + 1) % 4])
            crossed[n_crossed++] = e;

        if (n_crossed == 2)
          emit (v, (int) i, (int) j, crossed[0], crossed[1], level, func, user_data);
        else if (n_crossed == 4)
          {
            /* A saddle: the centre decides which pair of opposite corners
             * is joined; each of the other two is cut off by a segment
             * across its two edges (edges c-1 and c meet at corner c). */
            gboolean centre_above = (v[0] + v[1] + v[2] + v[3]) / 4.0 > level;
            for (int c = 0; c < 4; c++)
              if (above[c] != centre_above)
                emit (v, (int) i, (int) j, (c + 3) % 4, c, level, func, user_data);
          }
      }
}
