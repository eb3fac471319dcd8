/* rv-error.c: the core's GError domain. */
#include "rv-error.h"

G_DEFINE_QUARK (rv-error-quark, rv_error)
