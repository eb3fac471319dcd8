/* rv-pca.h: the plane a training trajectory moves in.
 *
 * As Li et al. do for their PCA directions: given n snapshots θ_0..θ_{n−1}
 * of d parameters and a centre c (the final or best parameters), the
 * differences D_k = θ_k − c are centred on their mean, and the first two
 * principal directions of those are found through the n×n Gram matrix
 * G = M·Mᵀ of the centred differences M (n is small, d is not): its top two
 * eigenvectors w (cyclic Jacobi) map back to unit directions u = Mᵀw / ‖Mᵀw‖.
 * Each snapshot is then projected: (a_k, b_k) = (D_k·u₁, D_k·u₂), so that the
 * centre is the origin of the plane.
 *
 * The directions are returned scaled by s = the largest |a_k| or |b_k| (the
 * same s for both, which keeps the plane's aspect), and the coordinates
 * divided by it: the path then lies within [−1, 1]², and c + a·x + b·y is
 * the snapshot's point in the plane.  Signs are chosen so that the first
 * snapshot has coordinates ≤ 0. */
#pragma once

#include <glib.h>
#include <stddef.h>

G_BEGIN_DECLS

/* snapshots[k] points to d floats, k < n; x, y receive [d]; path [n, 2]
 * (a_k, b_k); *explained (if non-NULL) the share of the centred variance the
 * two directions hold.  RV_ERROR_ARGUMENT when the snapshots span fewer than
 * two directions (fewer than 3 of them, or all on a line). */
gboolean rv_pca_plane (const float *const *snapshots, size_t n, size_t d, const float *centre, float *x,
                       float *y, double *path, double *explained, GError **error);

/* The eigenvalues (descending) and eigenvectors of the symmetric n×n matrix
 * a (row-major, destroyed) by cyclic Jacobi rotations: vectors[k * n + i] is
 * entry i of the k-th eigenvector. */
void rv_pca_symmetric_eigen (double *a, size_t n, double *values, double *vectors);

G_END_DECLS
