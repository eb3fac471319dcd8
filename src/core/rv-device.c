/* rv-device.c: choosing the backend that training runs on. */
#include "rv-device.h"

#include <string.h>

#include "rv-config.h"
#include "rv-error.h"

#if RV_HAVE_CUDA
#include "rv-cuda.h"
#endif

static const char *const device_names[] = {
  [RV_DEVICE_AUTO] = "auto",
  [RV_DEVICE_CPU] = "cpu",
  [RV_DEVICE_CUDA] = "cuda",
};

const char *
rv_device_name (RvDevice device)
{
  g_return_val_if_fail ((unsigned) device < G_N_ELEMENTS (device_names), "auto");
  return device_names[device];
}

gboolean
rv_device_from_name (const char *name, RvDevice *out)
{
  if (name == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (device_names); i++)
    if (g_ascii_strcasecmp (name, device_names[i]) == 0)
      {
        *out = (RvDevice) i;
        return TRUE;
      }
  if (g_ascii_strcasecmp (name, "gpu") == 0)
    {
      *out = RV_DEVICE_CUDA;
      return TRUE;
    }
  return FALSE;
}

gboolean
rv_device_cuda_built (void)
{
  return RV_HAVE_CUDA;
}

/* The CUDA backend, or NULL and why. */
static const RvBackend *
cuda_backend (GError **error)
{
#if RV_HAVE_CUDA
  return rv_backend_cuda (error);
#else
  g_set_error (error, RV_ERROR, RV_ERROR_DEVICE,
               "this build of Ravine has no CUDA support (configure it with -Dcuda=enabled where nvcc "
               "is installed)");
  return NULL;
#endif
}

const RvBackend *
rv_device_backend (RvDevice device, char **note, GError **error)
{
  if (note)
    *note = NULL;
  switch (device)
    {
    case RV_DEVICE_CPU:
      return rv_backend_cpu ();
    case RV_DEVICE_CUDA:
      return cuda_backend (error);
    case RV_DEVICE_AUTO:
    default:
      {
        if (!rv_device_cuda_built ())
          return rv_backend_cpu ();
        g_autoptr (GError) local = NULL;
        const RvBackend *be = cuda_backend (&local);
        if (be)
          return be;
        /* local says "no usable CUDA device (why)". */
        if (note)
          *note = g_strdup_printf ("%s; using the CPU", local->message);
        return rv_backend_cpu ();
      }
    }
}

char *
rv_device_describe (const RvBackend *backend)
{
  g_return_val_if_fail (backend != NULL, NULL);
#if RV_HAVE_CUDA
  if (!backend->host_memory)
    {
      char buf[256];
      if (rv_cuda_device_description (buf, sizeof buf))
        return g_strdup (buf);
    }
#endif
  return g_strdup_printf ("the CPU (OpenBLAS, %d cores)", g_get_num_processors ());
}
