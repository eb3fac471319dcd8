/* rv-hostdevice.h: marks the formulas that the C core and the CUDA kernels
 * share.  A header of that kind is plain C with no GLib (nvcc compiles it
 * too); its functions are static inline and RV_HOST_DEVICE, so the CPU loop
 * and the kernel run the very same lines. */
#pragma once

#ifdef __CUDACC__
#define RV_HOST_DEVICE __host__ __device__
#else
#define RV_HOST_DEVICE
#endif
