// rv-cuda-gemm.cu: the GEMMs, through cuBLAS.
//
// cuBLAS is column-major.  A row-major matrix M[r,c] with leading dimension
// ld is, read column-major, M^T[c,r] with the same ld.  So the row-major
//   C[m,n] = alpha op(A) op(B) + beta C
// is, read column-major,
//   C^T[n,m] = alpha op(B)^T op(A)^T + beta C^T,
// one column-major GEMM with the operands swapped (B first, n before m) and
// each keeping its own transpose flag and leading dimension.  Full FP32 (the
// handle's default math mode; no TF32).
#include "rv-cuda-cublas.cuh"
#include "rv-cuda-kernels.h"
#include "rv-cuda-private.cuh"

extern "C" void
rv_cuda_gemm (int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
              const float *b, int ldb, float beta, float *c, int ldc)
{
  if (m <= 0 || n <= 0)
    return;
  cublasStatus_t status = rv_cublas.sgemm (rv_cuda_cublas (), trans_b ? CUBLAS_OP_T : CUBLAS_OP_N,
                                           trans_a ? CUBLAS_OP_T : CUBLAS_OP_N, n, m, k, &alpha, b, ldb, a, lda,
                                           &beta, c, ldc);
  rv_cuda_cublas_ok (status, "cublasSgemm");
}
