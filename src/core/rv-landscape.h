/* rv-landscape.h: the loss on a plane through a network's parameters.
 *
 * After Li et al., "Visualizing the Loss Landscape of Neural Nets" (2018):
 * the mean loss of a fixed image set (rv-loss-set.h) at θ* + α·x + β·y for
 * a grid of (α, β), with α = alpha[j] and β = beta[i] each running from
 * −span to +span in `grid` equal steps.  The grid is laid out row by row:
 * loss[i * grid + j] is the cell at (alpha[j], beta[i]).
 *
 * The grid is computed progressively, so a view can show it filling in:
 * pass 0 takes every 4th row and column (and the last), pass 1 the cells of
 * every 2nd that pass 0 left, pass 2 the rest; every cell is computed once.
 * A cell whose loss is NaN or infinite is a diverged cell: it keeps that
 * value, and nothing else about the grid changes.  The cells come from
 * rv_loss_set_plane_loss (the first layer's products with the images taken
 * once for the plane). */
#pragma once

#include <gio/gio.h>

#include "rv-loss-set.h"
#include "rv-net.h"

G_BEGIN_DECLS

#define RV_LANDSCAPE_PASSES 3

/* A random direction in parameter space, filter-normalized: Gaussian
 * (Philox, stream RV_STREAM_LANDSCAPE + which: 0 for x, 1 for y), then each
 * row of each weight matrix (one output unit's filter) scaled to the norm of
 * the same row of theta; the bias entries are zero.  layout gives the shapes
 * (its parameters are not read); out and theta are [layout->n_params]. */
void rv_landscape_random_direction (const RvNet *layout, const float *theta, uint64_t seed, uint32_t which,
                                    float *out);

/* −span + 2·span·k / (grid − 1): alpha[k] and beta[k]. */
double rv_landscape_coordinate (uint32_t k, uint32_t grid, double span);

/* Which pass computes cell (i, j) (0 .. RV_LANDSCAPE_PASSES − 1). */
uint32_t rv_landscape_cell_pass (uint32_t i, uint32_t j, uint32_t grid);

/* out[n] = theta + a·x + b·y, each entry rounded once to float. */
void rv_landscape_point (const float *theta, const float *x, const float *y, size_t n, double a, double b,
                         float *out);

/* Called after every cell: its row i (beta), column j (alpha), its loss,
 * its pass, and how many cells are done of grid². */
typedef void (*RvLandscapeCellFunc) (uint32_t i, uint32_t j, double loss, uint32_t pass, uint32_t done,
                                     uint32_t total, gpointer user_data);

/* Fills loss[grid * grid] pass by pass (cells not yet computed hold NaN
 * until their pass).  grid must be at least 2 and span positive and finite
 * (else RV_ERROR_ARGUMENT).  Stops with RV_ERROR_CANCELLED between two cells
 * once cancellable is cancelled (the cells done so far stay filled), and
 * with RV_ERROR_DEVICE when the device fails. */
gboolean rv_landscape_compute (RvLossSet *ls, const float *theta, const float *x, const float *y,
                               uint32_t grid, double span, double *loss, RvLandscapeCellFunc cell,
                               gpointer user_data, GCancellable *cancellable, GError **error);

G_END_DECLS
