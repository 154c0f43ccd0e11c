"""``MRG_RandomStreams`` (Theano's ``theano.sandbox.rng_mrg``) on numpy generators.

The methods and their output types are Theano's, but the numbers are not: each stream is a
numpy ``RandomState`` (see pytheano.tensor.random), not Theano's MRG31k3p generator. A seed
gives reproducible samples, different from the ones Theano's MRG_RandomStreams gives.
"""
import numpy as np

from pytheano._core.graph import Variable
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.random import RandomFunction, RandomStreams
from pytheano.tensor.type import TensorType

__all__ = ["MRG_RandomStreams"]

M1 = 2147483647
M2 = 2147462579


def _check_size(size):
    """``size`` as a tuple of ints / scalars or an integer vector; ValueError otherwise."""
    if isinstance(size, (int, np.integer)):
        size = (size,)
    if isinstance(size, (tuple, list)):
        size = tuple(size)
        for s in size:
            if not isinstance(s, (int, np.integer, Variable)):
                raise TypeError("size must be a tuple of int or a Theano variable, got %r"
                                % (size,))
            if isinstance(s, (int, np.integer)) and s <= 0:
                raise ValueError("The specified size contains a dimension with value <= 0",
                                 size)
        return size
    if isinstance(size, Variable) and size.ndim == 1:
        return size
    raise TypeError("size must be a tuple of int or a Theano Variable with 1 dimension, got "
                    "%s of type %s" % (size, type(size)))


def _truncated_normal(random_state, avg, std, size):
    """Normal samples, those beyond 2 standard deviations drawn again."""
    z = random_state.normal(size=size)
    bad = np.abs(z) > 2
    while bad.any():
        z[bad] = random_state.normal(size=int(bad.sum()))
        bad = np.abs(z) > 2
    return z * std + avg


def _multinomial_rows(random_state, n, pvals, size):
    """One-hot counts of ``n`` draws from each row of the matrix ``pvals``."""
    out = np.empty(pvals.shape, dtype="int64")
    for i, row in enumerate(pvals.astype("float64")):
        # numpy refuses sums a rounding error above 1.
        out[i] = random_state.multinomial(int(n), row / max(row.sum(), 1.0))
    return out


_multinomial_rows.infer_shape = lambda node, input_shapes, sample: list(input_shapes[3])


def _choice_rows(random_state, p, n, size):
    """``n`` distinct indices drawn from each row of the matrix ``p``."""
    n = int(n)
    if n > p.shape[1]:
        raise ValueError("choice without replacement: cannot draw %i distinct values from %i "
                         "categories" % (n, p.shape[1]))
    out = np.empty((p.shape[0], n), dtype="int64")
    for i, row in enumerate(p.astype("float64")):
        out[i] = random_state.choice(p.shape[1], n, replace=False, p=row / row.sum())
    return out


_choice_rows.infer_shape = lambda node, input_shapes, sample: [
    input_shapes[2][0], node.inputs[3].astype("int64")]


def _rows_draw(fn, dtype, random_state, *params):
    op = RandomFunction(fn, TensorType(dtype, (False, False)), ndim_added=2)
    return op(random_state, (), *params)


class MRG_RandomStreams(RandomStreams):
    """Random streams with the interface of Theano's MRG_RandomStreams.

    seed: an int (not 0, below 2147462579) or 6 ints (as Theano validates them). Samples are
    reproducible for a seed but differ from Theano's MRG31k3p numbers (numpy generators
    underneath).
    """

    def __init__(self, seed=12345):
        super().__init__(seed=None)
        self.default_instance_seed = seed
        self.set_rstate(seed)

    def set_rstate(self, seed):
        """Validate ``seed`` as Theano does and seed the stream-seed generator from it."""
        if isinstance(seed, (int, np.integer)):
            if seed == 0:
                raise ValueError("seed should not be 0", seed)
            if seed >= M2:
                raise ValueError("seed should be less than %i" % M2, seed)
            seeds = [int(seed)]
        elif len(seed) == 6:
            if all(s == 0 for s in seed[:3]):
                raise ValueError("The first 3 values of seed should not be all 0", seed)
            if all(s == 0 for s in seed[3:]):
                raise ValueError("The last 3 values of seed should not be all 0", seed)
            if any(s >= M1 for s in seed[:3]):
                raise ValueError("The first 3 values of seed should be less than %i" % M1, seed)
            if any(s >= M2 for s in seed[3:]):
                raise ValueError("The last 3 values of seed should be less than %i" % M2, seed)
            seeds = [int(s) for s in seed]
        else:
            raise TypeError("seed should be 1 integer or 6 integers")
        self.rstate = np.asarray(seeds * (6 // len(seeds)), dtype="int32")
        self.gen_seedgen = np.random.RandomState(seeds)

    def seed(self, seed=None):
        """Reseed every stream from ``seed`` (default: the constructor's seed)."""
        if seed is None:
            seed = self.default_instance_seed
        self.set_rstate(seed)
        for old_r, _ in self.state_updates:
            old_r.set_value(np.random.RandomState(int(self.gen_seedgen.randint(2 ** 30))),
                            borrow=True)

    def uniform(self, size, low=0.0, high=1.0, ndim=None, dtype=None, nstreams=None,
                **kwargs):
        """Samples uniform between low and high; dtype defaults to floatX (or wider)."""
        kwargs.pop("target", None)
        if kwargs:
            raise TypeError("uniform() got unexpected keyword arguments %s" % list(kwargs))
        size = _check_size(size)
        return super().uniform(size=size, low=low, high=high, ndim=ndim, dtype=dtype)

    def binomial(self, size=None, n=1, p=0.5, ndim=None, dtype="int64", nstreams=None,
                 **kwargs):
        """1 with probability p, else 0 (only n=1, as Theano's MRG)."""
        from pytheano.tensor.math import cast

        if n != 1:
            raise NotImplementedError("MRG_RandomStreams.binomial with n > 1")
        x = self.uniform(size=size, ndim=ndim, nstreams=nstreams, **kwargs)
        return cast(x < as_tensor_variable(p), dtype)

    def normal(self, size, avg=0.0, std=1.0, ndim=None, dtype=None, nstreams=None,
               truncate=False, **kwargs):
        """Normal samples; ``truncate=True`` redraws those beyond 2 standard deviations."""
        from pytheano.tensor.random import _float_dtype, _infer_ndim_bcast

        size = _check_size(size)
        if not truncate:
            return super().normal(size=size, avg=avg, std=std, ndim=ndim, dtype=dtype)
        avg, std = as_tensor_variable(avg), as_tensor_variable(std)
        dtype = _float_dtype(dtype, avg, std)

        def truncated(random_state, size, avg, std, ndim, dtype):
            ndim, size, bcast = _infer_ndim_bcast(ndim, size, avg, std)
            op = RandomFunction(_truncated_normal, TensorType(dtype, bcast))
            return op(random_state, size, avg, std)

        return self.gen(truncated, size, avg, std, ndim=ndim, dtype=dtype)

    def truncated_normal(self, size, avg=0.0, std=1.0, ndim=None, dtype=None, nstreams=None,
                         **kwargs):
        """Normal samples truncated at 2 standard deviations (std rescaled as Theano)."""
        std = as_tensor_variable(std) / as_tensor_variable(0.87962566103423978)
        return self.normal(size, avg=avg, std=std, ndim=ndim, dtype=dtype, truncate=True)

    def multinomial(self, size=None, n=1, pvals=None, ndim=None, dtype="int64", nstreams=None,
                    **kwargs):
        """One draw set per row of the matrix ``pvals``: counts of shape pvals.shape."""
        if pvals is None:
            raise TypeError("You have to specify pvals")
        if size is not None:
            raise ValueError("Provided a size argument to MRG_RandomStreams.multinomial, "
                             "which does not use the size argument.")
        if ndim is not None:
            raise ValueError("Provided an ndim argument to MRG_RandomStreams.multinomial, "
                             "which does not use the ndim argument.")
        pvals = as_tensor_variable(pvals)
        if pvals.ndim != 2:
            raise NotImplementedError("MRG_RandomStreams.multinomial only implemented for "
                                      "pvals.ndim = 2")
        return self.gen(lambda r: _rows_draw(_multinomial_rows, dtype, r,
                                             as_tensor_variable(n), pvals))

    def choice(self, size=1, a=None, replace=True, p=None, ndim=None, dtype="int64",
               nstreams=None, **kwargs):
        """``size`` distinct indices drawn from each row of the matrix ``p``."""
        if replace:
            raise NotImplementedError("MRG_RandomStreams.choice only works without "
                                      "replacement for now.")
        if a is not None:
            raise TypeError("For now, a has to be None in MRG_RandomStreams.choice. Sampled "
                            "values are between 0 and p.shape[1]-1")
        if p is None:
            raise TypeError("For now, p has to be specified in MRG_RandomStreams.choice.")
        if ndim is not None:
            raise ValueError("ndim argument to MRG_RandomStreams.choice is not used.")
        p = as_tensor_variable(p)
        if p.ndim != 2:
            raise NotImplementedError("MRG_RandomStreams.choice is only implemented for "
                                      "p.ndim = 2")
        return self.gen(lambda r: _rows_draw(_choice_rows, dtype, r, p,
                                             as_tensor_variable(size)))

    def multinomial_wo_replacement(self, size=None, n=1, pvals=None, ndim=None,
                                   dtype="int64", nstreams=None, **kwargs):
        """Deprecated in Theano: ``choice(size=n, replace=False, p=pvals)``."""
        return self.choice(size=n, a=None, replace=False, p=pvals, dtype=dtype, ndim=ndim)
