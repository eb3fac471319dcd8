/* rv-colormap.h: the viridis colour map (van der Walt and Smith, the
 * matplotlib default): perceptually uniform, readable in grey and by most
 * colour-blind viewers, dark purple at 0 through teal to yellow at 1. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The colour at t into rgb[3] (each in [0, 1]); t is clamped to [0, 1] and
 * NaN gives the colour at 0.  Within 1/255 of matplotlib's 256-entry map. */
void rv_viridis (double t, double rgb[3]);

G_END_DECLS
