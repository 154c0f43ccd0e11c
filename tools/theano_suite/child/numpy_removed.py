"""Names that numpy 2 removed and Theano 1.0.5's tests still call (np.find_common_type,
np.cast, np.complex, np.product ...), put back as the numpy 1.x behaviour they had; and the
stacking functions taking a generator, as numpy 1.x's did.

Only names numpy lacks are set, so the peer (numpy 1.19, which has them all) is untouched and
the pytheano side (numpy 2) runs the same test code: these failures say nothing about
pytheano. pytheano itself never uses them (its own tests run on plain numpy 2).
"""
import warnings

import numpy as np

# numpy 1.x's order of kinds for find_common_type: a scalar type counts only with a higher kind.
_KINDS = ["b", "u", "i", "f", "c", "S", "U", "V", "O", "M", "m"]


def _promote_all(dtypes):
    if not dtypes:
        return None
    out = dtypes[0]
    for dt in dtypes[1:]:
        out = np.promote_types(out, dt)
    return out


def find_common_type(array_types, scalar_types):
    arrays = _promote_all([np.dtype(t) for t in array_types])
    scalars = _promote_all([np.dtype(t) for t in scalar_types])
    if arrays is None:
        return scalars
    if scalars is None:
        return arrays
    if _KINDS.index(arrays.kind) >= _KINDS.index(scalars.kind):
        return arrays
    return np.promote_types(arrays, scalars)  # the smallest type both cast to safely


class _Cast(dict):
    """``np.cast[dtype](x)``: x as an array of that dtype."""

    def __missing__(self, dtype):
        return lambda x: np.asarray(x).astype(dtype)


def in1d(ar1, ar2, assume_unique=False, invert=False):
    return np.isin(ar1, ar2, assume_unique=assume_unique, invert=invert).ravel()


REMOVED = {
    "find_common_type": find_common_type, "cast": _Cast(), "in1d": in1d,
    "complex": complex, "float": float, "int": int, "object": object, "str": str,
    "long": int, "unicode": str,
    "product": np.prod, "cumproduct": np.cumprod, "sometrue": np.any, "alltrue": np.all,
    "asscalar": lambda a: a.item(), "MAXDIMS": 32,
    "NaN": np.nan, "NAN": np.nan, "Inf": np.inf, "Infinity": np.inf, "PINF": np.inf,
    "NINF": -np.inf, "float_": np.float64, "complex_": np.complex128, "unicode_": np.str_,
    "string_": np.bytes_, "round_": np.round,
}


def _accepting_generators(stack):
    """numpy < 2 stacked a generator of arrays (with a FutureWarning); numpy 2 refuses it
    (Theano's test_blocksparse calls ``np.vstack(f(...) for ...)``)."""
    def wrapper(arrays, *args, **kwargs):
        if not isinstance(arrays, (list, tuple, np.ndarray)):
            arrays = list(arrays)
        return stack(arrays, *args, **kwargs)
    wrapper.__name__ = stack.__name__
    return wrapper


def _refuses_generators():
    try:
        np.vstack(a for a in [np.zeros(1)])
    except TypeError:
        return True
    return False


def install():
    if _refuses_generators():
        for name in ("vstack", "hstack", "stack", "dstack", "column_stack"):
            setattr(np, name, _accepting_generators(getattr(np, name)))
    for name, value in REMOVED.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # probing np.object & co. warns in numpy 2
            present = hasattr(np, name)
        if not present:
            setattr(np, name, value)
