/* rv-device.h: choosing where training runs: `--device auto|cpu|cuda`.
 *
 * auto takes the GPU when the build has CUDA and a working GPU is present,
 * else the CPU; cpu is always the CPU backend; cuda is the GPU or an error.
 * Works the same in builds without CUDA, where cuda is always an error. */
#pragma once

#include <glib.h>

#include "rv-backend.h"

G_BEGIN_DECLS

typedef enum {
  RV_DEVICE_AUTO,
  RV_DEVICE_CPU,
  RV_DEVICE_CUDA,
} RvDevice;

/* "auto", "cpu", "cuda". */
const char *rv_device_name (RvDevice device);
gboolean rv_device_from_name (const char *name, RvDevice *out);

/* Whether this build has the CUDA backend (RV_HAVE_CUDA). */
gboolean rv_device_cuda_built (void);

/* The backend for `device`.  For auto without a usable GPU in a build with
 * CUDA, the CPU backend and *note (when note is non-NULL) = "no usable CUDA
 * device (REASON); using the CPU"; otherwise *note = NULL.  For cuda without
 * one, NULL and RV_ERROR_DEVICE saying why (or that the build has no CUDA
 * support). */
const RvBackend *rv_device_backend (RvDevice device, char **note, GError **error);

/* "NVIDIA H200 (compute 9.0, 139 GiB)" for the CUDA backend, "the CPU
 * (OpenBLAS, 16 cores)" for the CPU one. */
char *rv_device_describe (const RvBackend *backend);

G_END_DECLS
