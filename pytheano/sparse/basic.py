"""Theano 1.0's ``theano.sparse.basic``: every sparse type helper and op by its Theano
name. The code lives in pytheano.sparse.type, .var, .structure (CSM, conversions, indexing,
stacking), .math (arithmetic, comparisons, sums, structured elementwise functions) and .dot
(products); this module gathers it.
"""
from pytheano.sparse.type import SparseType, _is_sparse  # noqa: F401
from pytheano.sparse.var import (  # noqa: F401
    SparseConstant, SparseVariable, _sparse_py_operators)
from pytheano.sparse.structure import (  # noqa: F401
    CSC, CSM, CSR, Cast, ConstructSparseFromList, CSMGrad, CSMProperties, DenseFromSparse,
    Diag, EnsureSortedIndices, GetItem2d, GetItem2Lists, GetItem2ListsGrad, GetItemList,
    GetItemListGrad, GetItemScalar, HStack, Neg, Remove0, SparseFromDense, SquareDiagonal,
    Transpose, VStack, _is_dense, _mtype_to_str, _is_dense_variable, _is_sparse_variable, _mtypes,
    all_dtypes, as_sparse, as_sparse_or_tensor_variable, as_sparse_variable, bcast,
    bsr_dmatrix, bsr_fmatrix, bsr_matrix, cast, ccast, clean, complex_dtypes, constant,
    construct_sparse_from_list, continuous_dtypes, csc_dmatrix, csc_fmatrix, csc_from_dense,
    csc_matrix, csm_data, csm_grad, csm_indices, csm_indptr, csm_properties, csm_shape,
    csr_dmatrix, csr_fmatrix, csr_from_dense, csr_matrix, dcast, dense_from_sparse, diag,
    discrete_dtypes, ensure_sorted_indices, fcast, float_dtypes, get_item_2d,
    get_item_2lists, get_item_2lists_grad, get_item_list, get_item_list_grad,
    get_item_scalar, hstack, icast, int_dtypes, integer_dtypes, lcast, matrix, neg, remove0,
    sp_ones_like, sp_zeros_like, sparse_formats, sparse_grad, square_diagonal, transpose,
    uint_dtypes, vstack, wcast, zcast)
from pytheano.sparse.math import (  # noqa: F401
    AddSD, AddSS, AddSSData, ColScaleCSC, EqualSD, EqualSS, GreaterEqualSD, GreaterEqualSS,
    GreaterThanSD, GreaterThanSS, LessEqualSD, LessEqualSS, LessThanSD, LessThanSS, MulSD,
    MulSS, MulSV, NotEqualSD, NotEqualSS, RowScaleCSC, SpSum, StructuredAddSV, add, add_s_d,
    add_s_s, add_s_s_data, arcsin, arcsinh, arctan, arctanh, ceil, col_scale, conj, deg2rad,
    eq, equal_s_d, equal_s_s, expm1, floor, ge, greater_equal_s_d, greater_equal_s_s,
    greater_than_s_d, greater_than_s_s, gt, le, less_equal_s_d, less_equal_s_s,
    less_than_s_d, less_than_s_s, log1p, lt, mul, mul_s_d, mul_s_s, mul_s_v, neq,
    not_equal_s_d, not_equal_s_s, rad2deg, rint, row_scale, sgn, sin, sinh, sp_sum, sqr,
    sqrt, structured_add, structured_add_s_v, structured_exp, structured_log,
    structured_maximum, structured_minimum, structured_monoid, structured_pow,
    structured_sigmoid, sub, tan, tanh, trunc)
from pytheano.sparse.dot import (  # noqa: F401
    Dot, SamplingDot, StructuredDot, StructuredDotGradCSC, StructuredDotGradCSR, TrueDot,
    Usmm, dot, sampling_dot, sdg_csc, sdg_csr, structured_dot, structured_dot_grad, true_dot,
    usmm)
from pytheano.sparse.verify import verify_grad_sparse  # noqa: F401

__all__ = sorted(name for name in dir() if not name.startswith("__"))
