"""``MRG_RandomStreams`` (Theano's ``theano.sandbox.rng_mrg``) on numpy generators.

The methods and their output types are Theano's, but the numbers are not: each stream is a
numpy ``RandomState`` (see pytheano.tensor.random), not Theano's MRG31k3p generator. A seed
gives reproducible samples, different from the ones Theano's MRG_RandomStreams gives.
"""
import numpy as np

from pytheano._core.graph import Apply, Variable
from pytheano.graph.grad_types import grad_undefined
from pytheano.graph.op import Op
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.shape import get_vector_length
from pytheano.tensor.random import RandomFunction, RandomStreams
from pytheano.tensor.type import TensorType
from pytheano.tensor.math import cast
from pytheano.tensor.random import _float_dtype, _infer_ndim_bcast

__all__ = ["MRG_RandomStreams", "mrg_uniform", "multMatVect", "ff_2p134", "ff_2p72"]

M1 = 2147483647
M2 = 2147462579

# ---------------------------------------------------------------------------- MRG31k3p
# Theano's generator, exactly: the stream states (get_substream_rstates) and the mrg_uniform
# op reproduce Theano 1.0.5's numbers (its Python implementation). MRG_RandomStreams below
# does not draw through it.
_MASK12, _MASK13, _MASK2, _MULT2 = 511, 16777215, 65535, 21069
A1p72 = np.asarray([[1516919229, 758510237, 499121365],
                    [1884998244, 1516919229, 335398200],
                    [601897748, 1884998244, 358115744]], dtype="int64")
A2p72 = np.asarray([[1228857673, 1496414766, 954677935],
                    [1133297478, 1407477216, 1496414766],
                    [2002613992, 1639496704, 1407477216]], dtype="int64")
A1p134 = np.asarray([[1702500920, 1849582496, 1656874625],
                     [828554832, 1702500920, 1512419905],
                     [1143731069, 828554832, 102237247]], dtype="int64")
A2p134 = np.asarray([[796789021, 1464208080, 607337906],
                     [1241679051, 1431130166, 1464208080],
                     [1401213391, 1178684362, 1431130166]], dtype="int64")


def _mat_vec_mod(A, s, m):
    return np.int32(np.sum((A * np.asarray(s, dtype="int64")) % m, 1) % m)


def multMatVect(v, A, m1, B, m2):
    """The first half of state ``v`` times A mod m1, the second times B mod m2."""
    return np.concatenate((_mat_vec_mod(A, v[:3], m1), _mat_vec_mod(B, v[3:], m2)))


def ff_2p134(rstate):
    return multMatVect(rstate, A1p134, M1, A2p134, M2)


def ff_2p72(rstate):
    return multMatVect(rstate, A1p72, M1, A2p72, M2)


def _mod_once(y, m):
    # Theano's int32 code subtracts m once when y leaves [0, m) (overflow included); in
    # int64 that is y >= m.
    return np.where(y >= m, y - m, y)


def _mrg_next(state):
    """Advance every row of ``state`` (int64, (n, 6)) in place; returns the raw outputs."""
    x11, x12, x13, x21, x22, x23 = state.T
    y1 = (((x12 & _MASK12) << 22) + (x12 >> 9) + ((x13 & _MASK13) << 7) + (x13 >> 24))
    y1 = _mod_once(_mod_once(y1, M1) + x13, M1)
    z1 = _mod_once(((x21 & _MASK2) << 15) + _MULT2 * (x21 >> 16), M2)
    z2 = _mod_once(((x23 & _MASK2) << 15) + _MULT2 * (x23 >> 16), M2)
    z2 = _mod_once(_mod_once(z2 + x23, M2) + z1, M2)
    state[:] = np.stack([y1, x11, x12, z2, x21, x22], axis=1)
    return np.where(y1 <= z2, y1 - z2 + M1, y1 - z2)


# (mask, offset, norm) per output dtype, Theano's constants.
_MRG_NORM = {"float16": (0x7fff, 1, float(np.float16(3.0458e-05))),
             "float32": (0xffffffff, 0, float(np.float32(4.6566126e-10))),
             "float64": (0xffffffff, 0, 4.656612873077392578125e-10)}


class mrg_uniform(Op):
    """Uniform samples in (0, 1) from MRG31k3p stream states (an int32 (n_streams, 6)
    matrix, one stream per row; element i comes from stream i % n_streams): outputs the new
    states and the samples. Build it with ``mrg_uniform.new(rstate, ndim, dtype, size)``."""

    __props__ = ("output_type", "inplace")

    def __init__(self, output_type, inplace=False):
        self.output_type = output_type
        self.inplace = inplace
        if inplace:
            self.destroy_map = {0: [0]}

    def __str__(self):
        return "%s{%s,%s}" % (type(self).__name__, self.output_type,
                              "inplace" if self.inplace else "no_inplace")

    @classmethod
    def new(cls, rstate, ndim, dtype, size):
        v_size = as_tensor_variable(size)
        if ndim is None:
            ndim = get_vector_length(v_size)
        return cls(TensorType(dtype, (False,) * ndim))(rstate, v_size)

    def make_node(self, rstate, size):
        rstate = as_tensor_variable(rstate)
        size = as_tensor_variable(size)
        # A dimension of constant size 1 is broadcastable.
        known = list(size.data) if hasattr(size, "data") and size.ndim == 1 else []
        broadcastable = [i < len(known) and known[i] == 1
                         for i in range(self.output_type.ndim)]
        out_type = TensorType(self.output_type.dtype, broadcastable)
        return Apply(self, [rstate, size], [rstate.type(), out_type()])

    def perform(self, node, inputs, output_storage):
        rstate, size = inputs
        n_elements = int(np.prod(size, dtype="int64"))
        if n_elements > M1:
            raise ValueError("rng_mrg does not support more then (2**31 -1) samples")
        state = np.asarray(rstate, dtype="int64").copy()
        n_streams = state.shape[0]
        dtype = self.output_type.dtype
        mask, offset, norm = _MRG_NORM[dtype]
        out = np.empty(n_elements, dtype=dtype)
        # Round r draws element r * n_streams + k from stream k.
        for start in range(0, n_elements, n_streams):
            stop = min(start + n_streams, n_elements)
            rows = state[:stop - start]
            raw = _mrg_next(rows)
            state[:stop - start] = rows
            out[start:stop] = ((raw & mask) + offset) * norm
        new_state = state.astype("int32")
        if self.inplace:
            rstate[...] = new_state
            new_state = rstate
        output_storage[0][0] = new_state
        output_storage[1][0] = out.reshape(tuple(int(s) for s in size))

    def grad(self, inputs, output_grads):
        return [grad_undefined(self, k, inp, "No gradient defined through random sampling op")
                for k, inp in enumerate(inputs)]

    def R_op(self, inputs, eval_points):
        return [None for _ in eval_points]


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

    def inc_rstate(self):
        """Move ``rstate`` 2**134 steps forward, to the next stream's start (Theano's)."""
        self.rstate = multMatVect(self.rstate, A1p134, M1, A2p134, M2)

    def get_substream_rstates(self, n_streams, dtype, inc_rstate=True):
        """An int32 (n_streams, 6) matrix of MRG31k3p states spaced 2**72 samples apart,
        starting at ``rstate`` (Theano's values, for ``mrg_uniform``)."""
        if not isinstance(dtype, str):
            raise TypeError("dtype must be a string", dtype)
        if not 0 < n_streams < 2 ** 72:
            raise ValueError("n_streams must be positive", n_streams)
        rval = np.zeros((n_streams, 6), dtype="int32")
        rval[0] = self.rstate
        for i in range(1, n_streams):
            rval[i] = ff_2p72(rval[i - 1])
        if inc_rstate:
            self.inc_rstate()
        return rval

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
        if n != 1:
            raise NotImplementedError("MRG_RandomStreams.binomial with n > 1")
        x = self.uniform(size=size, ndim=ndim, nstreams=nstreams, **kwargs)
        return cast(x < as_tensor_variable(p), dtype)

    def normal(self, size, avg=0.0, std=1.0, ndim=None, dtype=None, nstreams=None,
               truncate=False, **kwargs):
        """Normal samples; ``truncate=True`` redraws those beyond 2 standard deviations."""
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
