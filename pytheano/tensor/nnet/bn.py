"""Batch normalization (Theano's ``theano.tensor.nnet.bn``): the elementwise formula
(``batch_normalization``), and the training / inference functions that normalize over
axes (``batch_normalization_train``, ``batch_normalization_test``).

Theano 1.0 builds the last two from abstract ops (``AbstractBatchNormTrain``...) that its
optimizer replaces with these same formulas or with cuDNN; here they are graphs of the
existing ops (mean, var, sqrt...), so their gradients come from those ops. The values,
dtypes and broadcast patterns are Theano's; the printed graphs are not.
"""
import numpy as np

from pytheano.configparser import config
from pytheano.scalar import basic as scal
from pytheano.tensor.basic import addbroadcast, as_tensor_variable, constant, patternbroadcast
from pytheano.tensor.shape import mul_dims
from pytheano.tensor import math as tmath

__all__ = ["batch_normalization", "batch_normalization_train", "batch_normalization_test"]




def batch_normalization(inputs, gamma, beta, mean, std, mode="low_mem"):
    """``(inputs - mean) / std * gamma + beta``, elementwise. ``gamma``, ``beta``, ``mean``
    and ``std`` must have ``inputs``' number of dimensions and broadcast against it.
    ``mode`` ('low_mem' or 'high_mem') picks the formula's grouping, as in Theano
    ('low_mem' keeps ``inputs``' dtype)."""
    m = tmath
    inputs = as_tensor_variable(inputs)
    if mode == "low_mem":
        return m.cast(((inputs - mean) / std) * gamma + beta, inputs.dtype)
    if mode == "high_mem":
        return (inputs - mean) * (gamma / std) + beta
    raise ValueError('mode must be either "low_mem", "high_mem"')


def _prepare_batch_normalization_axes(axes, ndim):
    if isinstance(axes, str) and axes == "per-activation":
        axes = (0,)
    elif isinstance(axes, str) and axes == "spatial":
        axes = (0,) + tuple(range(2, ndim))
    elif isinstance(axes, (tuple, list, np.ndarray)):
        axes = tuple(int(a) for a in axes)
    else:
        raise ValueError("invalid axes: %s", str(axes))
    axes = tuple(sorted(axes))
    if len(axes) == 0:
        raise ValueError("there should be at least one normalization axis")
    if min(axes) < 0 or max(axes) >= ndim:
        raise ValueError("axes should be less than ndim (<%d), but %s given"
                         % (ndim, str(axes)))
    non_bc_axes = tuple(i for i in range(ndim) if i not in axes)
    return axes, non_bc_axes


def _params_layout(ndim, non_bc_axes, gamma, beta):
    """(params_ndim, dimshuffle pattern or None) after checking gamma's and beta's ndim."""
    if gamma.ndim == ndim:
        params_ndim, pattern = ndim, None
    else:
        params_ndim = len(non_bc_axes)
        pattern = ["x"] * ndim
        for i, axis in enumerate(non_bc_axes):
            pattern[axis] = i
    if gamma.ndim != params_ndim or beta.ndim != params_ndim:
        raise ValueError("gamma and beta dimensionality must match the number of "
                         "non-normalized axes, or have the same number of dimensions as the "
                         "inputs; got %d and %d instead of %d"
                         % (gamma.ndim, beta.ndim, params_ndim))
    return params_ndim, pattern


def _epsilon(epsilon):
    # Rounded to floatX first (as Theano does), so that float32(1e-5) < 1e-5 is caught.
    epsilon = np.asarray(epsilon, dtype=config.floatX)
    if epsilon < 1e-5:
        raise ValueError("epsilon must be at least 1e-5, got %s" % str(epsilon))
    return epsilon


def _to_layout(v, pattern, axes, dtype):
    v = tmath.cast(as_tensor_variable(v), dtype)
    if pattern is not None:
        return v.dimshuffle(pattern)
    return addbroadcast(v, *axes)


def _as_dtype_constant(value, dtype):
    return constant(np.asarray(value, dtype=dtype))


def batch_normalization_train(inputs, gamma, beta, axes="per-activation", epsilon=1e-4,
                              running_average_factor=0.1, running_mean=None,
                              running_var=None):
    """Batch-normalize ``inputs`` with the mean and variance of ``inputs`` over ``axes``
    ('per-activation' = (0,), 'spatial' = (0, 2, 3, ...), or a tuple of ints).

    ``gamma`` and ``beta`` (and ``running_mean`` / ``running_var``) either have ``inputs``'
    ndim with length-1 ``axes``, or skip ``axes`` altogether. Returns ``(out, mean,
    invstd)``, plus ``(new_running_mean, new_running_var)`` when both running values are
    given: ``running_mean * (1 - f) + mean * f`` and ``running_var * (1 - f) +
    m / (m - 1) * var * f`` (the unbiased variance; ``m`` the number of values averaged),
    ``f`` being ``running_average_factor``. ``mean`` and ``invstd`` have ``gamma``'s layout.
    """
    m = tmath
    inputs = as_tensor_variable(inputs)
    gamma = as_tensor_variable(gamma)
    beta = as_tensor_variable(beta)
    ndim = inputs.ndim
    axes, non_bc_axes = _prepare_batch_normalization_axes(axes, ndim)
    params_ndim, pattern = _params_layout(ndim, non_bc_axes, gamma, beta)
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must either both be given or both be "
                         "None")
    running = running_mean is not None
    if running:
        running_mean = as_tensor_variable(running_mean)
        running_var = as_tensor_variable(running_var)
        if running_mean.ndim != params_ndim:
            raise ValueError("running_mean must be of the same dimensionality as gamma and "
                             "beta; got %d instead of %d" % (running_mean.ndim, params_ndim))
        if running_var.ndim != params_ndim:
            raise ValueError("running_var must be of the same dimensionality as gamma and "
                             "beta; got %d instead of %d" % (running_var.ndim, params_ndim))
    epsilon = _epsilon(epsilon)

    tensors = [inputs, gamma, beta] + ([running_mean, running_var] if running else [])
    dtype = scal.upcast(*[t.dtype for t in tensors])
    x = m.cast(inputs, dtype)
    gamma, beta = (_to_layout(t, pattern, axes, dtype) for t in (gamma, beta))

    mean = x.mean(axes, keepdims=True)
    var = x.var(axes, keepdims=True)
    invstd = m.inv(m.sqrt(var + _as_dtype_constant(epsilon, dtype)))
    out = (x - mean) * (gamma * invstd) + beta
    # mean and invstd have gamma's type (Theano's AbstractBatchNormTrain outputs).
    mean, invstd = (patternbroadcast(m.cast(v, dtype), gamma.broadcastable)
                    for v in (mean, invstd))
    results = [out, mean, invstd]

    if running:
        running_mean, running_var = (_to_layout(t, pattern, axes, dtype)
                                     for t in (running_mean, running_var))
        factor = m.cast(as_tensor_variable(running_average_factor), dtype)
        one = _as_dtype_constant(1.0, dtype)
        count = m.cast(mul_dims(*[x.shape[a] for a in axes]), "float64")
        correction = m.cast(count / (count - 1), dtype)
        new_mean = running_mean * (one - factor) + mean * factor
        new_var = running_var * (one - factor) + correction * var * factor
        results.append(patternbroadcast(m.cast(new_mean, dtype),
                                        running_mean.broadcastable))
        results.append(patternbroadcast(m.cast(new_var, dtype), running_var.broadcastable))

    if pattern is not None:
        # Drop the broadcast (normalized) axes again, except from the output.
        results = [results[0]] + [r.dimshuffle(non_bc_axes) for r in results[1:]]
    return tuple(results)


def batch_normalization_test(inputs, gamma, beta, mean, var, axes="per-activation",
                             epsilon=1e-4):
    """Batch-normalize ``inputs`` with the given ``mean`` and ``var`` (usually running
    averages from training): ``(inputs - mean) * gamma / sqrt(var + epsilon) + beta``.

    ``axes`` as for ``batch_normalization_train``; ``gamma``, ``beta``, ``mean`` and ``var``
    share one layout (``inputs``' ndim with length-1 ``axes``, or ``axes`` skipped).
    """
    m = tmath
    inputs = as_tensor_variable(inputs)
    gamma, beta, mean, var = (as_tensor_variable(t) for t in (gamma, beta, mean, var))
    ndim = inputs.ndim
    axes, non_bc_axes = _prepare_batch_normalization_axes(axes, ndim)
    params_ndim, pattern = _params_layout(ndim, non_bc_axes, gamma, beta)
    if mean.ndim != params_ndim or var.ndim != params_ndim:
        raise ValueError("mean and var must be of the same dimensionality as gamma and beta; "
                         "got %d and %d instead of %d" % (mean.ndim, var.ndim, params_ndim))
    epsilon = _epsilon(epsilon)
    dtype = scal.upcast(*[t.dtype for t in (inputs, gamma, beta, mean, var)])
    x = m.cast(inputs, dtype)
    gamma, beta, mean, var = (_to_layout(t, pattern, axes, dtype)
                              for t in (gamma, beta, mean, var))
    return (x - mean) * (gamma / m.sqrt(var + _as_dtype_constant(epsilon, dtype))) + beta
