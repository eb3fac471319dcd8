/* rv-error.c: the core's GError domain. */
#include "rv-error.h"

/* Not G_DEFINE_QUARK: its cached quark is a plain variable that the worker
 * and the UI thread may both fill in at once (a data race, found by TSan). */
GQuark
rv_error_quark (void)
{
  static gint quark; /* atomic; 0 until first asked */
  GQuark q = (GQuark) g_atomic_int_get (&quark);
  if (G_UNLIKELY (q == 0))
    {
      q = g_quark_from_static_string ("rv-error-quark");
      g_atomic_int_set (&quark, (gint) q);
    }
  return q;
}
