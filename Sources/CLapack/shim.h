// LAPACKE (liblapacke-dev) for the Detection module's PCA. Only real double-precision routines are used; the
// complex types are pinned to plain structs so that Swift's importer never meets C's `_Complex`.
#ifndef COINSENTRY_CLAPACK_SHIM_H
#define COINSENTRY_CLAPACK_SHIM_H

typedef struct { float real, imag; } coinsentry_lapack_complex_float;
typedef struct { double real, imag; } coinsentry_lapack_complex_double;
#define lapack_complex_float coinsentry_lapack_complex_float
#define lapack_complex_double coinsentry_lapack_complex_double

#include <lapacke.h>

#endif
