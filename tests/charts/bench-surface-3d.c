/* bench-surface-3d.c (`meson test --benchmark`): the 3-D view's frame time
 * while rotating a 100×100 mesh at 800×600, the size a lecture-hall window
 * gives it.  60 fps needs under 16.7 ms a frame. */
#include <stdio.h>

#include "rv-surface-3d.h"

int
main (int argc, char **argv)
{
  gtk_init ();
  g_autoptr (RvSurfaceModel) model = rv_surface_model_new ();
  rv_surface_model_set_surface (model, rv_surface_lookup ("pathological"), 100);
  GtkWidget *view = g_object_ref_sink (rv_surface_3d_new (model));
  double ms = rv_surface_3d_benchmark (RV_SURFACE_3D (view), 800, 600, 120);
  printf ("{\"mesh\": \"100x100\", \"size\": \"800x600\", \"frames\": 120, \"ms_per_frame\": %.2f, \"fps\": %.0f}\n",
          ms, 1000.0 / ms);
  g_object_unref (view);
  return 0;
}
