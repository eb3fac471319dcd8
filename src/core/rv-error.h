/* rv-error.h: the core's GError domain. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RV_ERROR (rv_error_quark ())
GQuark rv_error_quark (void);

typedef enum {
  RV_ERROR_DATA,        /* a data file is missing, corrupt or inconsistent */
  RV_ERROR_ARGUMENT,    /* a value given by the user is not acceptable */
  RV_ERROR_CHECKPOINT,  /* a checkpoint does not match or cannot be read */
  RV_ERROR_DIVERGED,    /* a loss or a value became NaN or infinite */
  RV_ERROR_CANCELLED,   /* the run was cancelled */
  RV_ERROR_IO,          /* reading or writing a file failed */
  RV_ERROR_NETWORK,     /* a download failed: no connection, a server error */
  RV_ERROR_DEVICE,      /* the compute device is missing, unsupported or failed */
} RvErrorCode;

G_END_DECLS
