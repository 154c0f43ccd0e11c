"""Checking gradients against finite differences: ``numeric_grad`` and ``verify_grad``."""
import builtins

import numpy as np

from pytheano import hooks
from pytheano.graph.shared import shared
from pytheano.gradient.autodiff import grad
from pytheano.tensor.type import TensorType
from pytheano.tensor.reduction import sum as t_sum

__all__ = ["numeric_grad", "verify_grad", "GradientError"]


class numeric_grad:
    """The gradient of a scalar function at a point, by central finite differences.

    ``numeric_grad(f, pt).gf`` holds, for each array of ``pt``, the estimate of
    ``d f(*pt) / d pt[i]``. The computation happens in the most precise dtype among the
    inputs; the step is dtype-dependent (``type_eps``) unless ``eps`` is given.
    """

    type_eps = {"float64": 1e-7, "float32": 3e-4, "float16": 1e-1,
                np.dtype("float64"): 1e-7, np.dtype("float32"): 3e-4,
                np.dtype("float16"): 1e-1}

    def __init__(self, f, pt, eps=None, out_type=None):
        packed_pt = False
        if not isinstance(pt, (list, tuple)):
            pt = [pt]
            packed_pt = True
        apt = [np.array(p) for p in pt]
        dtypes = [str(p.dtype) for p in apt]
        for i, dt in enumerate(dtypes):
            if dt not in self.type_eps:
                raise TypeError("numeric_grad works on float inputs only, but input %d has "
                                "dtype %s." % (i, dt))
        total_size = builtins.sum(int(np.prod(p.shape)) for p in apt)
        working_dtype = builtins.min((self.type_eps[dt], dt) for dt in dtypes)[1]

        # One flat buffer backs every input, so element i of it is perturbed in place.
        x = np.empty((total_size,), dtype=working_dtype)
        if out_type is not None and out_type.startswith("complex"):
            gx = np.empty((total_size,), dtype=out_type)
        else:
            gx = np.empty((total_size,), dtype=working_dtype)
        if eps is None:
            eps = builtins.max(self.type_eps[dt] for dt in dtypes)

        cur = 0
        self.gf = []
        for i, p in enumerate(apt):
            size = int(np.prod(p.shape))
            apt[i] = x[cur:cur + size].reshape(p.shape)
            self.gf.append(gx[cur:cur + size].reshape(p.shape))
            apt[i][...] = p
            cur += size

        # f may overwrite its inputs (a function with an in-place op on them): x is set whole
        # from the copy before every call, as Theano's numeric_grad does
        x_copy = x.copy()
        for i in range(total_size):
            x[:] = x_copy
            x[i] += eps
            f_pos = f(*apt)
            x[:] = x_copy
            x[i] -= eps
            f_neg = f(*apt)
            gx[i] = (np.asarray(f_pos) - np.asarray(f_neg)) / (2 * eps)
        x[:] = x_copy

        if packed_pt:
            self.gf = self.gf[0]

    @staticmethod
    def abs_rel_err(a, b):
        """(abs(a - b), abs(a - b) / max(abs(a) + abs(b), 1e-8)), elementwise."""
        abs_err = abs(a - b)
        # [1e-8] (an array) keeps float16 inputs from rounding the floor to 0.
        rel_err = abs_err / np.maximum(abs(a) + abs(b), [1e-8])
        return np.asarray(abs_err), np.asarray(rel_err)

    def abs_rel_errors(self, g_pt):
        """[(abs_err, rel_err)] of each array of ``g_pt`` against the numeric gradient."""
        if len(g_pt) != len(self.gf):
            raise ValueError("argument has wrong number of elements", len(g_pt))
        errs = []
        for i, (a, b) in enumerate(zip(g_pt, self.gf)):
            if a.shape != b.shape:
                raise ValueError("argument element %i has wrong shape %s"
                                 % (i, str((a.shape, b.shape))))
            errs.append(numeric_grad.abs_rel_err(a, b))
        return errs

    def max_err(self, g_pt, abs_tol, rel_tol):
        """(argument, flat position, abs_err, rel_err) of the worst element of ``g_pt``:
        the one maximising min(abs_err / abs_tol, rel_err / rel_tol)."""
        pos, errs, abs_errs, rel_errs = [], [], [], []
        for k, (abs_err, rel_err) in enumerate(self.abs_rel_errors(g_pt)):
            if not np.all(np.isfinite(abs_err)):
                raise ValueError("abs_err not finite: the analytic or the numeric gradient of "
                                 "argument %d has inf or nan values" % k, repr(abs_err))
            if not np.all(np.isfinite(rel_err)):
                raise ValueError("rel_err not finite: the analytic or the numeric gradient of "
                                 "argument %d has inf or nan values" % k, repr(rel_err))
            scaled = np.minimum(abs_err / abs_tol, rel_err / rel_tol)
            if scaled.size == 0:
                pos.append(0)
                errs.append(-np.inf)
                abs_errs.append(0.0)
                rel_errs.append(0.0)
                continue
            max_i = int(scaled.argmax())
            pos.append(max_i)
            errs.append(scaled.flatten()[max_i])
            abs_errs.append(abs_err.flatten()[max_i])
            rel_errs.append(rel_err.flatten()[max_i])
        max_arg = int(np.argmax(errs))
        return max_arg, pos[max_arg], abs_errs[max_arg], rel_errs[max_arg]


class GradientError(Exception):
    """verify_grad found an analytic gradient that disagrees with the finite differences.

    Attributes (Theano's): ``arg`` (which input), ``err_pos`` (flat position of the worst
    element), ``shape``, ``val1`` (analytic), ``val2`` (numeric), ``abs_err``, ``rel_err``,
    ``abs_tol``, ``rel_tol``.
    """

    def __init__(self, arg, err_pos, shape, val1, val2, abs_err, rel_err, abs_tol, rel_tol):
        super().__init__()
        self.arg = arg
        self.err_pos = err_pos
        self.shape = shape
        self.val1 = val1
        self.val2 = val2
        self.abs_err = abs_err
        self.rel_err = rel_err
        self.abs_tol = abs_tol
        self.rel_tol = rel_tol

    def __str__(self):
        shape = tuple(self.shape)
        where = ""
        if len(shape) > 1 and int(np.prod(shape)) > self.err_pos:
            where = " (index %s)" % (tuple(int(i) for i in np.unravel_index(self.err_pos,
                                                                            shape)),)
        args_msg = ", ".join(str(a) for a in self.args)
        return ("GradientError: numeric gradient and analytic gradient exceed tolerance:\n"
                "        At position %i%s of argument %i with shape %s,\n"
                "            val1 (analytic) = %.8g,  val2 (numeric) = %.8g\n"
                "            abs. error = %.6g,  abs. tolerance = %.6g\n"
                "            rel. error = %.6g,  rel. tolerance = %.6g%s"
                % (self.err_pos, where, self.arg, shape, self.val1, self.val2, self.abs_err,
                   self.abs_tol, self.rel_err, self.rel_tol,
                   ("\nException args: " + args_msg) if args_msg else ""))


def _random_projection_values(rng, shape):
    if hasattr(rng, "rand"):  # RandomState or the np.random module
        return rng.rand(*shape) + 0.5
    if hasattr(rng, "random"):  # Generator
        return np.asarray(rng.random(shape), dtype="float64") + 0.5
    raise TypeError("rng should be a numpy.random.RandomState or numpy.random.Generator, "
                    "got %s" % type(rng).__name__)


def _mode_not_slow(mode):
    if mode == "FAST_COMPILE":
        return "FAST_RUN"
    return mode


def verify_grad(fun, pt, n_tests=2, rng=None, eps=None, out_type=None, abs_tol=None,
                rel_tol=None, mode=None, cast_to_output_type=False, no_debug_ref=True):
    """Check the gradient of ``fun`` at ``pt`` against finite differences; raise
    GradientError (``verify_grad.E_grad``) if they differ beyond the tolerances.

    fun: builds one output variable from one variable per element of ``pt`` (an Op
        instance works). The output is projected to a scalar by a random ``u``
        (``sum(u * fun(...))``), drawn again for each of the ``n_tests`` tests.
    pt: list of float arrays, the point where the gradients are compared.
    rng: numpy RandomState or Generator (required), for the projections.
    eps: finite-difference step (default by dtype: 1e-7 float64, 3e-4 float32).
    abs_tol, rel_tol: tolerances (default by dtype: 1e-4 float64, 1e-2 float32); an
        element fails when both are exceeded.
    cast_to_output_type: project a float32 output with a float32 ``u``.

        verify_grad(T.tanh, [np.array([[2., 3.], [-1., 3.3]])], rng=np.random.default_rng(0))
    """

    if not isinstance(pt, (list, tuple)):
        raise TypeError("verify_grad: pt must be a list of input values (one array per input "
                        "of fun), got %s" % type(pt).__name__)
    pt = [np.array(p) for p in pt]
    for i, p in enumerate(pt):
        if p.dtype not in ("float16", "float32", "float64"):
            raise TypeError('verify_grad can work only with floating point inputs, but input '
                            '%i has dtype "%s".' % (i, p.dtype))

    type_tol = {"float16": 5e-2, "float32": 1e-2, "float64": 1e-4}
    if abs_tol is None:
        abs_tol = builtins.max(type_tol[str(p.dtype)] for p in pt)
    if rel_tol is None:
        rel_tol = builtins.max(type_tol[str(p.dtype)] for p in pt)
    if rng is None:
        raise TypeError("rng should be a valid instance of numpy.random.RandomState (or "
                        "numpy.random.Generator). You may want to use "
                        "verify_grad(..., rng=np.random.default_rng(seed)).")

    def function(inputs, output, name, mode=mode):
        # numeric_grad works in the most precise dtype among the inputs: allow downcasts.
        return hooks.compile_function(inputs, output, accept_inplace=True,
                                      allow_input_downcast=True, mode=mode,
                                      on_unused_input="ignore", name=name)

    tensor_pt = [TensorType(str(p.dtype), [d == 1 for d in p.shape])(name="input %i" % i)
                 for i, p in enumerate(pt)]
    o_output = fun(*tensor_pt)
    if isinstance(o_output, list):
        raise NotImplementedError("cant (yet) autotest gradient of fun with multiple outputs")
    o_fn = function(tensor_pt, o_output, name="gradient.py fwd")
    o_fn_out = o_fn(*[p.copy() for p in pt])
    if isinstance(o_fn_out, (tuple, list)):
        raise TypeError("It seems like you are trying to use verify_grad on an op or a "
                        "function which outputs a list: there should be a single (array-like) "
                        "output instead")
    out_shape = np.shape(o_fn_out)

    def random_projection():
        plain = _random_projection_values(rng, out_shape)
        if cast_to_output_type and o_output.dtype == "float32":
            return np.array(plain, o_output.dtype)
        return plain


    t_r = shared(random_projection(), borrow=True)
    t_r.name = "random_projection"
    cost = t_sum(t_r * o_output)
    mode_for_cost = _mode_not_slow(mode) if no_debug_ref else mode
    cost_fn = function(tensor_pt, cost, name="gradient.py cost", mode=mode_for_cost)
    symbolic_grad = grad(cost, tensor_pt, disconnected_inputs="ignore")
    grad_fn = function(tensor_pt, symbolic_grad, name="gradient.py symbolic grad")

    for test_num in range(n_tests):
        num_grad = numeric_grad(cost_fn, [p.copy() for p in pt], eps, out_type)
        analytic_grad = grad_fn(*[p.copy() for p in pt])
        # A sparse gradient (theano.sparse_grad) is compared as the dense array it stands for.
        analytic_grad = [g.toarray() if hasattr(g, "toarray") else np.asarray(g)
                         for g in analytic_grad]
        max_arg, max_err_pos, max_abs_err, max_rel_err = num_grad.max_err(
            analytic_grad, abs_tol, rel_tol)
        if max_abs_err > abs_tol and max_rel_err > rel_tol:
            raise verify_grad.E_grad(max_arg, max_err_pos, analytic_grad[max_arg].shape,
                                     analytic_grad[max_arg].flatten()[max_err_pos],
                                     num_grad.gf[max_arg].flatten()[max_err_pos],
                                     max_abs_err, max_rel_err, abs_tol, rel_tol)
        if test_num < n_tests - 1:
            t_r.set_value(random_projection(), borrow=True)


verify_grad.E_grad = GradientError
