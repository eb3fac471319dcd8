// rv-cuda-cublas.cuh: the few cuBLAS functions the backend calls, reached
// through pointers that rv_cublas_load fills from libcublas at run time.
#pragma once

#include <cublas_v2.h>
#include <stddef.h>

struct RvCublas
{
  decltype (&cublasCreate_v2) create;
  decltype (&cublasDestroy_v2) destroy;
  decltype (&cublasSetStream_v2) set_stream;
  decltype (&cublasSgemm_v2) sgemm;
  decltype (&cublasGetStatusString) status_string;
};

extern RvCublas rv_cublas;

// Loads libcublas.so.MAJOR once; false with the reason in why.
bool rv_cublas_load (char *why, size_t why_len);
