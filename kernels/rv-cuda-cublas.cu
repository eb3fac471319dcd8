// rv-cuda-cublas.cu: cuBLAS, loaded when the CUDA backend is first set up.
//
// Linking libcublas made every program of a CUDA build map it (and
// libcublasLt, hundreds of MB) at start-up, GPU or not, and refuse to start
// where it is missing.  Loading it with dlopen keeps the CPU path as lean as
// in a build without CUDA, and turns a missing library into "no usable CUDA
// device (...)".
#include <dlfcn.h>
#include <stdio.h>

#include "rv-cuda-cublas.cuh"

#define STRINGIFY(x) #x
#define LIBRARY_NAME(major) "libcublas.so." STRINGIFY (major)

RvCublas rv_cublas;

// Looks up one symbol; false (and why) when it is missing.
template <typename F>
static bool
lookup (void *lib, const char *name, F *out, char *why, size_t why_len)
{
  *out = (F) dlsym (lib, name);
  if (*out == nullptr)
    snprintf (why, why_len, "%s lacks %s", LIBRARY_NAME (CUBLAS_VER_MAJOR), name);
  return *out != nullptr;
}

bool
rv_cublas_load (char *why, size_t why_len)
{
  // The loader's search path first, then the toolkit this was built with.
  static const char *const candidates[] = {
    LIBRARY_NAME (CUBLAS_VER_MAJOR),
#ifdef RV_CUDA_LIBDIR
    RV_CUDA_LIBDIR "/" LIBRARY_NAME (CUBLAS_VER_MAJOR),
#endif
  };
  void *lib = nullptr;
  for (const char *name : candidates)
    if ((lib = dlopen (name, RTLD_NOW | RTLD_LOCAL)) != nullptr)
      break;
  if (lib == nullptr)
    {
      snprintf (why, why_len, "cannot load %s (the CUDA toolkit's cuBLAS): %s", LIBRARY_NAME (CUBLAS_VER_MAJOR),
                dlerror ());
      return false;
    }
  return lookup (lib, "cublasCreate_v2", &rv_cublas.create, why, why_len)
         && lookup (lib, "cublasDestroy_v2", &rv_cublas.destroy, why, why_len)
         && lookup (lib, "cublasSetStream_v2", &rv_cublas.set_stream, why, why_len)
         && lookup (lib, "cublasSgemm_v2", &rv_cublas.sgemm, why, why_len)
         && lookup (lib, "cublasGetStatusString", &rv_cublas.status_string, why, why_len);
}
