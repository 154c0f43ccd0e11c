"""Random numbers in graphs: Theano 1.0's ``raw_random`` and ``shared_randomstreams``.

A random draw is a node ``RandomFunction{dist}(rng, shape, *params)`` with two outputs: the
advanced generator state and the sample. ``RandomStreams`` keeps each generator in a shared
variable whose ``default_update`` is the advanced state, so every call of a compiled function
draws fresh numbers; ``function(..., no_default_updates=True)`` repeats the same draw.

The numbers are numpy's ``RandomState`` draws: ``RandomStreams(seed)`` gives the i-th stream
the generator ``RandomState(RandomState(seed).randint(2**30) [i-th draw])``, exactly as
Theano, so seeded streams reproduce Theano's samples.
"""
import copy

import numpy as np

from pytheano._core.graph import Apply, Variable
from pytheano.graph.shared import SharedVariable, shared, shared_constructor
from pytheano.graph.op import Op
from pytheano.graph.type import Type
from pytheano.tensor.basic import as_tensor_variable, constant
from pytheano.tensor.type import TensorType
from pytheano.graph.grad_types import grad_undefined
from pytheano.configparser import config
from pytheano.scalar.basic import upcast
from pytheano.tensor.extra_ops import permute_row_elements
from pytheano.tensor.join import stack
from pytheano.tensor.math import cast
from pytheano.tensor.shape import get_vector_length

__all__ = ["RandomStateType", "random_state_type", "RandomFunction",
           "RandomStateSharedVariable", "randomstate_constructor", "RandomStreamsBase",
           "RandomStreams", "uniform", "normal", "binomial", "random_integers", "choice",
           "poisson", "permutation", "multinomial"]

_INTEGER_DTYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


class RandomStateType(Type):
    """The type of a ``numpy.random.RandomState`` value.

    Two generators are equal when their states are (``==`` on RandomState compares identity).
    """

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))

    def __str__(self):
        return "RandomStateType"

    __repr__ = __str__

    def filter(self, data, strict=False, allow_downcast=None):
        if self.is_valid_value(data):
            return data
        raise TypeError("A RandomStateType variable holds a numpy.random.RandomState, got %r "
                        "(of type %s). Pass np.random.RandomState(seed)."
                        % (data, type(data).__name__))

    def is_valid_value(self, a):
        return type(a) is np.random.RandomState

    def values_eq(self, a, b):
        sa, sb = a.get_state(), b.get_state()
        if sa[0] != sb[0] or not np.all(sa[1] == sb[1]) or sa[2] != sb[2] or sa[3] != sb[3]:
            return False
        # The cached gaussian is meaningful only when has_gauss is set.
        return sa[3] == 0 or sa[4] == sb[4]

    def get_shape_info(self, obj):
        return None

    def get_size(self, shape_info):
        # MT19937: 624 uint32 keys plus the position, has_gauss and cached gaussian.
        return 624 * 4 + 3 * 8

    @staticmethod
    def may_share_memory(a, b):
        return a is b


random_state_type = RandomStateType()


class RandomStateSharedVariable(SharedVariable):
    """A shared variable holding a numpy RandomState (``shared(np.random.RandomState(0))``)."""


@shared_constructor
def randomstate_constructor(value, name=None, strict=False, allow_downcast=None,
                            borrow=False):
    """SharedVariable constructor for numpy RandomState values."""
    if not isinstance(value, np.random.RandomState):
        raise TypeError("not a RandomState")
    if not borrow:
        value = copy.deepcopy(value)
    return RandomStateSharedVariable(type=random_state_type, value=value, name=name,
                                     strict=strict, allow_downcast=allow_downcast)


class RandomFunction(Op):
    """Draw from a ``numpy.random.RandomState`` method (or a function with its signature).

    fn: a RandomState method name (``"uniform"``) or a function
    ``fn(random_state, *params, size)``; outtype: the TensorType of the sample; inplace:
    advance the input generator itself rather than a copy; ndim_added: how many dimensions
    the sample has beyond ``len(shape)`` (permutation and multinomial add one).

    Inputs: the generator, the int64 shape vector (empty: numpy's default shape), the
    parameters. Outputs: the advanced generator and the sample.
    """

    __props__ = ("fn", "outtype", "inplace", "ndim_added")

    def __init__(self, fn, outtype, inplace=False, ndim_added=0):
        if not isinstance(outtype, TensorType) and callable(outtype):
            # Theano 1.0 compat: Theano's T.dvector is a TensorType; here it is a
            # constructor, so RandomFunction('normal', T.dvector) takes its variable's type.
            made = outtype()
            outtype = getattr(made, "type", outtype)
        if not isinstance(outtype, TensorType):
            raise TypeError("RandomFunction's outtype must be a TensorType, got %r"
                            % (outtype,))
        self.fn = fn
        self.outtype = outtype
        self.inplace = inplace
        self.ndim_added = ndim_added
        if inplace:
            self.destroy_map = {0: [0]}

    @property
    def exec_fn(self):
        if isinstance(self.fn, str):
            return getattr(np.random.RandomState, self.fn)
        return self.fn

    def __str__(self):
        return "RandomFunction{%s}" % self.exec_fn.__name__

    __repr__ = __str__

    def make_node(self, r, shape, *args):
        if not isinstance(r, Variable):
            r = shared(r) if isinstance(r, np.random.RandomState) else r
        if not isinstance(getattr(r, "type", None), RandomStateType):
            raise TypeError("The first input of %s must be a RandomStateType variable (e.g. "
                            "shared(np.random.RandomState(seed))), got %r" % (self, r))
        if isinstance(shape, (tuple, list)) and len(shape) == 0:
            shape = constant(np.zeros(0, dtype="int64"))
        shape = as_tensor_variable(shape, ndim=1)
        if shape.dtype not in ("int64", "int32"):
            raise TypeError("The shape input of %s must be an int64 or int32 vector, got %s"
                            % (self, shape.type))
        args = [as_tensor_variable(a) for a in args]
        return Apply(self, [r, shape] + args, [r.type(), self.outtype()])

    def perform(self, node, inputs, output_storage):
        rout, out = output_storage
        r, shape, args = inputs[0], inputs[1], list(inputs[2:])
        if type(r) is not np.random.RandomState:
            raise TypeError("%s expects a numpy RandomState, got %r" % (self, r))
        ndim = self.outtype.ndim
        # An empty shape lets numpy pick the shape from the parameters.
        shape = None if len(shape) == 0 else tuple(int(s) for s in shape)
        if shape is not None and ndim != len(shape) + self.ndim_added:
            raise ValueError("Shape mismatch: %s draws %i-d samples but got a shape of length "
                             "%i (plus %i added dimensions): %s. Give a size with %i entries."
                             % (self, ndim, len(shape), self.ndim_added, shape,
                                ndim - self.ndim_added))
        if not self.inplace:
            # deepcopy: a shallow copy shares numpy's bit generator (numpy >= 1.17).
            r = copy.deepcopy(r)
        rout[0] = r
        value = np.asarray(self.exec_fn(r, *(args + [shape])))
        if value.ndim == 0 and shape is None and ndim > 0:
            value = value.reshape((1,) * ndim)
        if value.ndim != ndim:
            raise ValueError("Shape mismatch: %s should produce a %i-d sample, but numpy drew "
                             "shape %s" % (self, ndim, value.shape))
        if shape is not None:
            drawn = value.shape[:ndim - self.ndim_added]
            if drawn != shape:
                raise ValueError("Shape mismatch: %s should produce shape %s (plus %i extra "
                                 "dimensions), but numpy drew shape %s"
                                 % (self, shape, self.ndim_added, value.shape))
        out[0] = np.asarray(value, dtype=self.outtype.dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        shp = node.inputs[1]
        custom = getattr(self.exec_fn, "infer_shape", None)
        if isinstance(shp, Variable) and hasattr(shp, "data") and len(shp.data) == 0:
            # numpy picks the shape from the parameters.
            if self.ndim_added == 0 and self.outtype.ndim == 0:
                return [None, ()]
            if custom is not None:
                return [None, custom(node, input_shapes, None)]
            return [None, None]
        n_drawn = self.outtype.ndim - self.ndim_added
        sample = [shp[i] for i in range(n_drawn)]
        if self.ndim_added:
            if custom is None:
                return [None, None]
            return [None, custom(node, input_shapes, sample)]
        return [None, sample]

    def grad(self, inputs, output_grads):
        return [grad_undefined(self, k, inp, "No gradient defined through raw random numbers "
                               "op") for k, inp in enumerate(inputs)]

    def R_op(self, inputs, eval_points):
        # One per output (the new state, the draw): neither varies differentiably. (Theano
        # returned one per input.)
        return [None, None]


def _infer_ndim_bcast(ndim, shape, *args):
    """(ndim, int64 shape vector, broadcastable pattern) of a draw of size ``shape``.

    A tuple size may mix ints and symbolic scalars; constant 1s are broadcastable, and -1
    borrows the dimension of a parameter. ``shape=None`` takes the broadcast shape of the
    parameters.
    """

    args_ndim = max((a.ndim for a in args), default=0)
    if isinstance(shape, (tuple, list)):
        if ndim is None:
            ndim = len(shape)
        elif len(shape) != ndim:
            raise ValueError("ndim should be equal to len(shape), but ndim = %s, len(shape) = "
                             "%s, shape = %s" % (ndim, len(shape), shape))
        bcast, dims = [], []
        for i, s in enumerate(shape):
            if isinstance(s, Variable):
                bcast.append(False)
                dims.append(s)
            elif s >= 0:
                dims.append(as_tensor_variable(s))
                bcast.append(s == 1)
            elif s == -1:
                for a in args:
                    if i >= ndim - a.ndim and not a.broadcastable[i + a.ndim - ndim]:
                        dims.append(a.shape[i + a.ndim - ndim])
                        bcast.append(False)
                        break
                else:
                    if not any(i >= ndim - a.ndim for a in args):
                        raise ValueError("Auto-shape of -1 must overlap with the shape of one "
                                         "of the broadcastable inputs")
                    dims.append(as_tensor_variable(1))
                    bcast.append(True)
            else:
                raise ValueError("negative shape %s in size %s" % (s, shape))
        v_shape = constant(np.zeros(0, dtype="int64")) if not dims else stack(dims)
    elif shape is None:
        if not args:
            raise TypeError("_infer_ndim_bcast cannot infer shape without either shape or args")
        template = args[0]
        for a in args[1:]:
            template = template + a
        v_shape = template.shape
        bcast = template.broadcastable
        ndim = template.ndim
    else:
        v_shape = as_tensor_variable(shape)
        if v_shape.ndim != 1:
            raise TypeError("shape must be a vector or list of scalar, got '%s'" % v_shape)
        if ndim is None:
            ndim = get_vector_length(v_shape)
        bcast = [False] * ndim
    if v_shape.ndim != 1:
        raise TypeError("shape must be a vector or list of scalar, got '%s'" % v_shape)
    if v_shape.dtype not in _INTEGER_DTYPES:
        raise TypeError("shape must be an integer vector or list, got dtype %s" % v_shape.dtype)
    if args_ndim > ndim:
        raise ValueError("ndim should be at least as big as required by args value: ndim=%s, "
                         "args need %s" % (ndim, args_ndim))
    return ndim, cast(v_shape, "int64"), tuple(bcast)


def _float_dtype(dtype, *params):
    if dtype is not None:
        return dtype

    return upcast(config.floatX, *[p.dtype for p in params])


def uniform(random_state, size=None, low=0.0, high=1.0, ndim=None, dtype=None):
    """Samples uniform in [low, high); dtype defaults to the upcast of floatX, low, high."""
    low, high = as_tensor_variable(low), as_tensor_variable(high)
    dtype = _float_dtype(dtype, low, high)
    ndim, size, bcast = _infer_ndim_bcast(ndim, size, low, high)
    return RandomFunction("uniform", TensorType(dtype, bcast))(random_state, size, low, high)


def normal(random_state, size=None, avg=0.0, std=1.0, ndim=None, dtype=None):
    """Normal samples of mean ``avg`` and standard deviation ``std``."""
    avg, std = as_tensor_variable(avg), as_tensor_variable(std)
    dtype = _float_dtype(dtype, avg, std)
    ndim, size, bcast = _infer_ndim_bcast(ndim, size, avg, std)
    return RandomFunction("normal", TensorType(dtype, bcast))(random_state, size, avg, std)


def binomial(random_state, size=None, n=1, p=0.5, ndim=None, dtype="int64", prob=None):
    """The number of successes in ``n`` trials of probability ``p``."""
    if prob is not None:
        p = prob
    n, p = as_tensor_variable(n), as_tensor_variable(p)
    ndim, size, bcast = _infer_ndim_bcast(ndim, size, n, p)
    # As Theano: binomial samples are never broadcastable.
    op = RandomFunction("binomial", TensorType(dtype, (False,) * ndim))
    return op(random_state, size, n, p)


def _broadcast_params(size, *params):
    """The output shape and the parameters broadcast to it (numpy's rules, ``size`` wins)."""
    ndim = len(size) if size is not None else max(p.ndim for p in params)
    for name, p in zip(("low", "high"), params):
        if p.ndim > ndim:
            raise ValueError("%s.ndim (%i) should not be larger than len(size) (%i)"
                             % (name, p.ndim, ndim))
    out_shape = tuple(size) if size is not None else np.broadcast(*params).shape
    return out_shape, [np.broadcast_to(p, out_shape) for p in params]


def random_integers_helper(random_state, low, high, size):
    """Integers in [low, high] (both inclusive), one ``randint`` per element in C order."""
    out_shape, (low, high) = _broadcast_params(size, low, high)
    out = np.empty(out_shape, dtype="int64")
    for i in np.ndindex(*out_shape):
        out[i] = random_state.randint(low=low[i], high=high[i] + 1)
    return out


def random_integers(random_state, size=None, low=0, high=1, ndim=None, dtype="int64"):
    """Integers between low and high, both inclusive."""
    low, high = as_tensor_variable(low), as_tensor_variable(high)
    ndim, size, bcast = _infer_ndim_bcast(ndim, size, low, high)
    op = RandomFunction(random_integers_helper, TensorType(dtype, bcast))
    return op(random_state, size, low, high)


def choice_helper(random_state, a, replace, p, size):
    """numpy's ``choice`` with ``replace`` as a flag and an empty ``p`` meaning uniform."""
    if a.ndim > 1:
        raise ValueError("a.ndim (%i) must be 0 or 1" % a.ndim)
    if p.ndim != 1:
        raise ValueError("p.ndim (%i) must be 1" % p.ndim)
    return random_state.choice(a, size, bool(replace), None if p.size == 0 else p)


def choice(random_state, size=None, a=2, replace=True, p=None, ndim=None, dtype="int64"):
    """Values of ``a`` (a 1-d array, or range(a) for a scalar) with or without replacement."""
    a = as_tensor_variable(a)
    replace = (constant(replace, dtype="int8") if isinstance(replace, bool)
               else as_tensor_variable(replace))
    # p=None is an empty vector; Theano 1.0 compat: so are p=0 and p=[] (Theano wrote
    # `p or []`).
    if p is None or (isinstance(p, (int, float, list, tuple)) and not p):
        p = np.zeros(0)
    p = as_tensor_variable(p)
    ndim, size, bcast = _infer_ndim_bcast(ndim, size)
    op = RandomFunction(choice_helper, TensorType(dtype, bcast))
    return op(random_state, size, a, replace, p)


def poisson(random_state, size=None, lam=1.0, ndim=None, dtype="int64"):
    """Poisson samples of expectation ``lam``."""
    lam = as_tensor_variable(lam)
    ndim, size, bcast = _infer_ndim_bcast(ndim, size)
    return RandomFunction("poisson", TensorType(dtype, bcast))(random_state, size, lam)


def permutation_helper(random_state, n, shape):
    """One permutation of range(n) per index of ``shape``: output shape ``shape + (n,)``."""
    if n.shape != ():
        raise ValueError("permutation's n must be a scalar, got shape %s" % (n.shape,))
    n = int(n.item())
    shape = () if shape is None else tuple(shape)
    out = np.empty(shape + (n,), dtype="int64")
    for i in np.ndindex(*shape):
        out[i] = random_state.permutation(n)
    return out


permutation_helper.infer_shape = lambda node, input_shapes, sample: (
    list(sample or []) + [node.inputs[2].astype("int64")])


def permutation(random_state, size=None, n=1, ndim=None, dtype="int64"):
    """Permutations of range(n), as many as ``size`` asks: the output has one more dimension."""
    if size is None or size == ():
        if not (ndim is None or ndim == 1):
            raise TypeError("You asked for just one permutation but asked for more then 1 "
                            "dimensions.")
        size, bcast = (), ()
    else:
        ndim, size, bcast = _infer_ndim_bcast(ndim, size)
    op = RandomFunction(permutation_helper, TensorType(dtype, bcast + (False,)), ndim_added=1)
    return op(random_state, size, n)


def multinomial_helper(random_state, n, pvals, size):
    """Multinomial counts for each row of ``pvals`` (broadcast with ``n`` and ``size``)."""
    ndim = len(size) if size is not None else max(n.ndim, pvals.ndim - 1)
    if n.ndim > ndim:
        raise ValueError("n.ndim (%i) should not be larger than len(size) (%i)" % (n.ndim, ndim))
    if pvals.ndim - 1 > ndim:
        raise ValueError("pvals.ndim-1 (%i) should not be larger than len(size) (%i)"
                         % (pvals.ndim - 1, ndim))
    if size is not None:
        shape = tuple(size)
    else:
        shape = np.broadcast(np.empty(n.shape), np.empty(pvals.shape[:-1])).shape
    n = np.broadcast_to(n, shape)
    pvals = np.broadcast_to(pvals, shape + pvals.shape[-1:])
    out = np.empty(shape + pvals.shape[-1:], dtype="int64")
    for i in np.ndindex(*shape):
        pvi = pvals[i].astype("float64")
        # numpy refuses sums a rounding error above 1.
        total = pvi.sum()
        if 1.0 < total < 1.0 + 1e-5 or pvi[-1] < 5e-5:
            pvi = pvi * (1.0 - 5e-5)
        out[i] = random_state.multinomial(n=n[i], pvals=pvi)
    return out


multinomial_helper.infer_shape = lambda node, input_shapes, sample: (
    None if sample is None else list(sample) + [input_shapes[3][-1]])


def multinomial(random_state, size=None, n=1, pvals=(0.5, 0.5), ndim=None, dtype="int64"):
    """Counts of ``n`` draws from the distributions in the last axis of ``pvals``."""
    n = as_tensor_variable(n)
    pvals = as_tensor_variable(list(pvals) if isinstance(pvals, tuple) else pvals)
    first = pvals.T[0].T
    ndim, size, bcast = _infer_ndim_bcast(ndim, size, n, first)
    bcast = bcast + (pvals.type.broadcastable[-1],)
    op = RandomFunction(multinomial_helper, TensorType(dtype, bcast), ndim_added=1)
    return op(random_state, size, n, pvals)


class RandomStreamsBase:
    """The distribution methods shared by the random-stream containers; each calls
    ``self.gen(distribution, size, *params, ndim=, dtype=)``."""

    def binomial(self, size=None, n=1, p=0.5, ndim=None, dtype="int64", prob=None):
        """The number of successes in ``n`` trials of probability ``p``."""
        if prob is not None:
            p = prob
        return self.gen(binomial, size, n, p, ndim=ndim, dtype=dtype)

    def uniform(self, size=None, low=0.0, high=1.0, ndim=None, dtype=None):
        """Samples uniform in [low, high); dtype defaults to floatX (or wider params)."""
        return self.gen(uniform, size, low, high, ndim=ndim, dtype=dtype)

    def normal(self, size=None, avg=0.0, std=1.0, ndim=None, dtype=None):
        """Normal samples of mean ``avg`` and standard deviation ``std``."""
        return self.gen(normal, size, avg, std, ndim=ndim, dtype=dtype)

    def random_integers(self, size=None, low=0, high=1, ndim=None, dtype="int64"):
        """Integers between low and high, both inclusive."""
        return self.gen(random_integers, size, low, high, ndim=ndim, dtype=dtype)

    def choice(self, size=None, a=2, replace=True, p=None, ndim=None, dtype="int64"):
        """Values of ``a`` (range(a) for a scalar) with or without replacement."""
        return self.gen(choice, size, a, replace, p, ndim=ndim, dtype=dtype)

    def poisson(self, size=None, lam=None, ndim=None, dtype="int64"):
        """Poisson samples of expectation ``lam``."""
        return self.gen(poisson, size, lam, ndim=ndim, dtype=dtype)

    def permutation(self, size=None, n=1, ndim=None, dtype="int64"):
        """Permutations of range(n); the output has one more dimension than ``size``."""
        return self.gen(permutation, size, n, ndim=ndim, dtype=dtype)

    def multinomial(self, size=None, n=1, pvals=(0.5, 0.5), ndim=None, dtype="int64"):
        """Counts of ``n`` draws from each distribution in the last axis of ``pvals``."""
        return self.gen(multinomial, size, n, pvals, ndim=ndim, dtype=dtype)

    def shuffle_row_elements(self, input):
        """``input`` with every row (last axis) shuffled; the permutation used is the
        result's ``.permutation`` attribute."""
        perm = self.permutation(size=input.shape[:-1], n=input.shape[-1],
                                ndim=input.ndim - 1)
        shuffled = permute_row_elements(input, perm)
        shuffled.permutation = perm
        return shuffled


class RandomStreams(RandomStreamsBase):
    """Symbolic random streams with numpy.random's interface (Theano's
    ``theano.tensor.shared_randomstreams.RandomStreams``).

    seed: None or an int; seeds the generator that seeds each new stream.
    """

    def __init__(self, seed=None):
        # (shared generator, its advanced state) for every stream made by gen().
        self.state_updates = []
        self.default_instance_seed = seed
        self.gen_seedgen = np.random.RandomState(seed)

    def updates(self):
        """The (generator, new state) pairs of every stream, for ``function(updates=...)``."""
        return list(self.state_updates)

    def seed(self, seed=None):
        """Reseed every stream from ``seed`` (default: the constructor's seed)."""
        if seed is None:
            seed = self.default_instance_seed
        seedgen = np.random.RandomState(seed)
        for old_r, _ in self.state_updates:
            old_r.set_value(np.random.RandomState(int(seedgen.randint(2 ** 30))), borrow=True)

    def __getitem__(self, item):
        """The numpy RandomState of a stream's generator variable."""
        return item.get_value(borrow=True)

    def __setitem__(self, item, val):
        item.set_value(val, borrow=True)

    def gen(self, op, *args, **kwargs):
        """A new stream: ``op(generator, *args, **kwargs)`` on a fresh shared generator.

        Returns the sample, with ``.rng`` (the shared generator) and ``.update`` (the pair
        (generator, new state)); the generator's default_update is its new state.
        """
        seed = int(self.gen_seedgen.randint(2 ** 30))
        rng = shared(np.random.RandomState(seed))
        rng.tag.is_rng = True
        new_r, out = op(rng, *args, **kwargs)
        out.rng = rng
        out.update = (rng, new_r)
        self.state_updates.append(out.update)
        rng.default_update = new_r
        return out
