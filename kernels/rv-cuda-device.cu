// rv-cuda-device.cu: finding out whether a GPU is present.
#include <cuda_runtime.h>
#include <stdio.h>

#include "rv-cuda.h"

extern "C" int
rv_cuda_device_count (char *why, size_t why_len)
{
  // Without a driver the runtime reports an "insufficient driver"; say what
  // is really missing.
  int driver = 0;
  if (cudaDriverGetVersion (&driver) != cudaSuccess || driver == 0)
    {
      cudaGetLastError ();
      if (why && why_len)
        snprintf (why, why_len, "no NVIDIA driver is installed");
      return 0;
    }
  int count = 0;
  cudaError_t err = cudaGetDeviceCount (&count);
  if (err != cudaSuccess)
    {
      if (why && why_len)
        {
          if (err == cudaErrorInsufficientDriver)
            snprintf (why, why_len, "the NVIDIA driver (CUDA %d.%d) is older than this build's CUDA runtime "
                      "(%d.%d)", driver / 1000, driver % 1000 / 10, CUDART_VERSION / 1000, CUDART_VERSION % 1000 / 10);
          else
            snprintf (why, why_len, "%s", cudaGetErrorString (err));
        }
      cudaGetLastError (); // clear the error so later calls start clean
      return 0;
    }
  if (count == 0 && why && why_len)
    snprintf (why, why_len, "no CUDA device is present");
  return count;
}

extern "C" int
rv_cuda_device_description (char *buf, size_t len)
{
  cudaDeviceProp prop;
  if (rv_cuda_device_count (NULL, 0) == 0 || cudaGetDeviceProperties (&prop, 0) != cudaSuccess)
    return 0;
  snprintf (buf, len, "%s (compute %d.%d, %.0f GiB)", prop.name, prop.major, prop.minor,
            prop.totalGlobalMem / (1024.0 * 1024.0 * 1024.0));
  return 1;
}
