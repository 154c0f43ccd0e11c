"""The kernel spec: what one scalar op computes, declared once, read by every backend.

Elemwise.perform and constant folding call ``kernel.numpy``; the VM's fast path asks
``kernel.fast_ufunc(dtypes)``; CAReduce asks ``kernel.reduce_ufunc``; the C loop generator and
the CUDA kernel generator (later issues) call ``kernel.render_c(...)``. The dtype rule stays on
the op (``output_types``): inplace variants of one op differ only in it, and the renderer is
handed the output dtypes the rule gave.
"""
import importlib
import re

import numpy as np

from pytheano.scalar.type import _float_of

# --------------------------------------------------------------------------- C dtypes

#: The C type of each dtype the C templates support. C99 <stdint.h> names (nvrtc gets the
#: same typedefs from the CUDA generator's preamble); bool is one byte holding 0 or 1, as
#: numpy stores it. float16 and the complex dtypes have no type common to C99 and CUDA:
#: kernels run them through numpy.
C_TYPES = {"bool": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int32_t",
           "int64": "int64_t", "uint8": "uint8_t", "uint16": "uint16_t",
           "uint32": "uint32_t", "uint64": "uint64_t", "float32": "float", "float64": "double"}

#: For integer arithmetic that must wrap around: the unsigned type of at least 32 bits that
#: holds the operand (narrower types would promote back to signed int, where overflow is UB).
C_WRAP_TYPES = {"bool": "uint32_t", "int8": "uint32_t", "int16": "uint32_t",
                "int32": "uint32_t", "uint8": "uint32_t", "uint16": "uint32_t",
                "uint32": "uint32_t", "int64": "uint64_t", "uint64": "uint64_t"}

#: The libm functions (C99, all with a CUDA device version) a template may call. Templates
#: write the double name; for float32 operands render_c writes the float one (expf).
LIBM = frozenset("""exp exp2 expm1 log log2 log10 log1p sqrt cbrt sin cos tan asin acos atan
    atan2 sinh cosh tanh asinh acosh atanh erf erfc tgamma lgamma floor ceil trunc rint round
    fabs fmod pow copysign fmax fmin hypot""".split())
#: Classification macros of <math.h>: type-generic, never suffixed.
LIBM_MACROS = frozenset(("isnan", "isinf", "isfinite", "signbit"))

C_PREAMBLE = "#include <stdint.h>\n#include <math.h>\n"

_FAMILIES = {"bool": ("bool", "discrete"), "float32": ("float",), "float64": ("float",)}
for _dt in ("int8", "int16", "int32", "int64"):
    _FAMILIES[_dt] = ("signed", "int", "discrete")
for _dt in ("uint8", "uint16", "uint32", "uint64"):
    _FAMILIES[_dt] = ("unsigned", "int", "discrete")

_SMALL_INTS = frozenset(("bool", "int8", "uint8"))
_DISCRETE = frozenset(("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                       "uint64"))


# --------------------------------------------------------------------------- ufunc rules
# When a kernel's numpy ufunc, called on the raw inputs, is exactly the op.

def no_small_ints(dtypes):
    """numpy computes float functions of bool/int8/uint8 in float16; the op gives float32."""
    return not any(d in _SMALL_INTS for d in dtypes)


def not_all_discrete(dtypes):
    """Integer operands need the op's own code (a zero check, Theano's truncation)."""
    return not all(d in _DISCRETE for d in dtypes)


def continuous_only(dtypes):
    return not any(d in _DISCRETE for d in dtypes)


def no_bool(dtypes):
    return "bool" not in dtypes


# --------------------------------------------------------------------------- C compute dtypes
# Which dtype each input is converted to before the template sees it.

def compute_out(in_dtypes, out_dtypes):
    """Every input in the output dtype (arithmetic: numpy converts to the result type)."""
    return [out_dtypes[0]] * len(in_dtypes)


def compute_common(in_dtypes, out_dtypes):
    """Every input in numpy's common dtype of the inputs (comparisons)."""
    common = str(np.result_type(*in_dtypes)) if in_dtypes else out_dtypes[0]
    return [common] * len(in_dtypes)


def compute_as_is(in_dtypes, out_dtypes):
    """Each input in its own dtype."""
    return list(in_dtypes)


class NonzeroCheck:
    """The generated loop must raise ``ZeroDivisionError(message)`` when input ``input`` is
    0 and all inputs are discrete, as numpy does. The template never traps there (integer
    variants yield 0), so the loop may check before or after computing, but must check."""

    __slots__ = ("input", "message")

    def __init__(self, input, message):
        self.input = input
        self.message = message

    def applies(self, in_dtypes):
        return all(d in _DISCRETE for d in in_dtypes)


class CCode:
    """What render_c gives: ``support`` (static inline functions, may be empty), ``code``
    (one C statement assigning every output), ``checks`` (the NonzeroChecks that apply)."""

    __slots__ = ("support", "code", "checks")

    def __init__(self, support, code, checks):
        self.support = support
        self.code = code
        self.checks = checks

    def __repr__(self):
        return "CCode(support=%r, code=%r)" % (self.support, self.code)


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(")


class Kernel:
    """One scalar op's implementation, for every backend.

    Fields:

    ``numpy``: the implementation over whole arrays, broadcasting like numpy (Elemwise calls
    it once per node). Defaults to ``ufunc`` (on float-converted inputs if ``float_inputs``).
    ``ufunc``: a numpy (or scipy) ufunc that computes the op exactly, or a dotted name
    ("scipy.special.erf") imported on first use. ``ufunc_for(dtypes)``: when the ufunc is exact
    for these input dtypes (default: always). ``float_inputs``: numpy gets bool/int8/uint8
    inputs as float32 (it would compute in float16). ``reduce_ufunc``: the ufunc whose
    ``reduce`` CAReduce may use (default: ``ufunc`` when it is binary and exact for every dtype;
    pass None to refuse it).
    ``c``: the C template: a string, a dict of per-dtype variants, or a callable
    ``c(in_dtypes, out_dtypes) -> template or None``. ``support``: optional C support code (a
    template too). ``c_compute(in_dtypes, out_dtypes)``: the dtype each input is converted to
    before the template sees it (default: the output dtype). ``checks``: NonzeroChecks the
    generated loop must do. ``numpy_only``: the reason there is no C template (one of ``c`` and
    ``numpy_only`` is required). ``has_grad``: whether the op has a gradient. ``version``: an
    int, bumped whenever the C changes (the on-disk C cache key includes it). The output
    dtype rule is the op's (``output_types``): render_c is given the dtypes it chose.

    The template language (plain C99 expressions, usable in a CPU loop and a CUDA kernel):

    - ``%(i0)s``, ``%(i1)s``, ...: the inputs, already converted to their compute dtype (see
      ``c_compute``; each is a parenthesised expression: use it as a value, never assign it).
    - ``%(t_i0)s`` / ``%(t_o0)s``: the C type of input 0 (compute dtype) / output 0, from
      C_TYPES; ``%(w_i0)s``: C_WRAP_TYPES of input 0, the unsigned type to do integer
      arithmetic that wraps around in (signed overflow is undefined behaviour in C).
    - A template without ``%(o0)s`` is the value of output 0 (converted to its C type by the
      renderer); a multi-output op writes a statement assigning ``%(o0)s``, ``%(o1)s``, ...
    - ``%(fn)s``: a name unique to this op and dtypes, for support code functions
      (``static inline %(t_o0)s %(fn)s(...)``), which use the same placeholders, and
      ``%(is_float)s`` (1 or 0: whether input 0 computes in a float, for ``#if``). Support code
      is emitted only with the variants that call ``%(fn)s``.
    - Calls only LIBM functions (written with their double names: render_c writes ``expf``
      for float32), LIBM_MACROS and the support code's own functions.
    - Per-dtype variants: a dict keyed by the compute dtype of input 0, by its family
      ("bool", "signed", "unsigned", "int", "float", "discrete") or "default", tried in that
      order; a dtype with no variant (and float16, complex) has no C: numpy computes it.
    - Ops with any number of inputs (``nin == -1``) give a binary template; render_c folds it
      left over the inputs.
    """

    __slots__ = ("_numpy", "_ufunc", "ufunc_for", "float_inputs", "_reduce", "c", "support",
                 "c_compute", "checks", "numpy_only", "has_grad", "version", "name",
                 "_resolved")

    def __init__(self, numpy=None, ufunc=None, ufunc_for=None, float_inputs=False,
                 reduce_ufunc="default", c=None, support="", c_compute=compute_out,
                 checks=(), numpy_only=None, has_grad=True, version=1, name=None):
        if numpy is None and ufunc is None:
            raise TypeError("A Kernel needs a numpy implementation or a ufunc")
        if (c is None) == (numpy_only is None):
            raise TypeError("A Kernel gives a C template or says why it is numpy_only, not "
                            "both and not neither")
        self._numpy = numpy
        self._ufunc = ufunc
        self.ufunc_for = ufunc_for
        self.float_inputs = float_inputs
        self._reduce = reduce_ufunc
        self.c = c
        self.support = support
        self.c_compute = c_compute
        self.checks = tuple(checks)
        self.numpy_only = numpy_only
        self.has_grad = has_grad
        self.version = int(version)
        # Makes support-code names unique: the class of the op that declares the kernel
        # (ScalarOp sets it), or the name given for kernels that depend on op parameters.
        self.name = name
        self._resolved = False

    # ----------------------------------------------------------------------- numpy

    def _resolve(self):
        ufunc = self._ufunc
        if isinstance(ufunc, str):
            module, _, name = ufunc.rpartition(".")
            ufunc = self._ufunc = getattr(importlib.import_module(module), name)
        base = ufunc if self._numpy is None else self._numpy
        if self.float_inputs:
            self._numpy = lambda *xs: base(*[_float_input(x) for x in xs])
        else:
            self._numpy = base
        if self._reduce == "default":
            exact = self.ufunc_for is None and not self.float_inputs
            self._reduce = (ufunc if exact and isinstance(ufunc, np.ufunc) and ufunc.nin == 2
                            and ufunc.nout == 1 else None)
        self._resolved = True

    @property
    def numpy(self):
        """The implementation on numpy arrays (broadcasting, whole arrays)."""
        if not self._resolved:
            self._resolve()
        return self._numpy

    @property
    def ufunc(self):
        if not self._resolved:
            self._resolve()
        return self._ufunc

    @property
    def reduce_ufunc(self):
        """The ufunc whose ``reduce`` is exactly this op's reduction, or None."""
        if not self._resolved:
            self._resolve()
        return self._reduce

    def fast_ufunc(self, input_dtypes):
        """The single-output ufunc that computes this op exactly on raw inputs of these
        dtypes (the VM then calls it with no Python frame in between), or None."""
        ufunc = self.ufunc
        if (not isinstance(ufunc, np.ufunc) or ufunc.nout != 1
                or ufunc.nin != len(input_dtypes)):
            return None
        if self.float_inputs and not no_small_ints(input_dtypes):
            return None
        if self.ufunc_for is not None and not self.ufunc_for(input_dtypes):
            return None
        return ufunc

    # ----------------------------------------------------------------------- C

    @property
    def c_version(self):
        """The version for the C cache key; None when there is no C."""
        return None if self.c is None else self.version

    def c_template(self, in_dtypes, out_dtypes):
        """The template for these dtypes, or None (numpy computes them)."""
        if self.c is None:
            return None
        compute = self.c_compute(list(in_dtypes), list(out_dtypes))
        if any(d not in C_TYPES for d in list(in_dtypes) + compute + list(out_dtypes)):
            return None
        c = self.c
        if callable(c):
            return c(tuple(in_dtypes), tuple(out_dtypes))
        if isinstance(c, str):
            return c
        key = compute[0] if compute else out_dtypes[0]
        for k in (key,) + _FAMILIES[key] + ("default",):
            if k in c:
                return c[k]
        return None

    def render_c(self, input_names, output_names, in_dtypes, out_dtypes):
        """The C of this op on C variables ``input_names`` (of dtypes ``in_dtypes``) writing
        ``output_names`` (of dtypes ``out_dtypes``): a CCode, or None when these dtypes have
        no C (numpy computes them)."""
        in_dtypes, out_dtypes = tuple(in_dtypes), tuple(out_dtypes)
        template = self.c_template(in_dtypes, out_dtypes)
        if template is None:
            return None
        compute = self.c_compute(list(in_dtypes), list(out_dtypes))
        operands = ["((%s)%s)" % (C_TYPES[c], v) if c != d else v
                    for v, c, d in zip(input_names, compute, in_dtypes)]
        key = "_".join((self.name or "op",) + tuple(compute) + out_dtypes)
        subs = {"fn": "pt_" + re.sub(r"\W", "_", key),
                "is_float": "1" if (compute or out_dtypes)[0].startswith("float") else "0"}
        for k, d in enumerate(out_dtypes):
            subs["t_o%d" % k] = C_TYPES[d]
        for k, d in enumerate(compute):
            subs["t_i%d" % k] = C_TYPES[d]
            subs["w_i%d" % k] = C_WRAP_TYPES.get(d, C_TYPES[d])
        # The libm functions of the dtype the template computes in (that of input 0).
        float32 = (compute[0] if compute else out_dtypes[0]) == "float32"
        referenced = {int(k[1:]) for k in _PLACEHOLDER.findall(template) if re.match(r"i\d+$", k)}
        if "%(o0)s" not in template and len(operands) > 2 and max(referenced) == 1:
            # A variadic op: fold the binary template left over the inputs.
            expr = operands[0]
            for operand in operands[1:]:
                expr = "(%s)" % _substitute(template, dict(subs, i0=expr, i1=operand))
        else:
            expr = _substitute(template, dict(subs, **{"i%d" % k: v
                                                       for k, v in enumerate(operands)}))
            if len(operands) == 1 and "%(i1)s" in template:
                expr = operands[0]  # add(x): x
        if "%(o0)s" in template:
            code = _substitute(expr, {"o%d" % k: v for k, v in enumerate(output_names)})
        else:
            code = "%s = (%s)(%s);" % (output_names[0], C_TYPES[out_dtypes[0]], expr)
        # Support code goes with the variants that call it.
        support = _substitute(self.support, subs) if "%(fn)s" in template else ""
        if float32:
            code, support = _float_libm(code), _float_libm(support)
        checks = tuple(c for c in self.checks if c.applies(in_dtypes))
        return CCode(support, code, checks)


def _substitute(template, subs):
    def one(m):
        key = m.group(1)
        return subs[key] if key in subs else m.group(0)

    return _PLACEHOLDER.sub(one, template)


def _float_libm(code):
    return _CALL.sub(lambda m: (m.group(1) + "f(" if m.group(1) in LIBM else m.group(0)), code)


def called_functions(code):
    """The names a piece of C calls (casts excluded): the test checks them against LIBM."""
    names = set(_CALL.findall(re.sub(r"/\*.*?\*/", "", code, flags=re.S)))
    keywords = {"if", "while", "for", "return", "sizeof"}
    return names - set(C_TYPES.values()) - set(C_WRAP_TYPES.values()) - keywords


def _float_input(x):
    """``x`` ready for a float ufunc: numpy computes bool/int8/uint8 in float16, but the
    output type (upgrade_to_float) is float32."""
    x = np.asarray(x)
    if x.dtype.char in "?bB":
        return x.astype(np.float32)
    return x


def as_float(x):
    """``x`` in the float dtype a float function of it gives (upgrade_to_float: int8/16 ->
    float32, int32/64 -> float64), for numpy code that is not a ufunc (abs of the smallest
    int would wrap around, astype(x.dtype) would truncate)."""
    x = np.asarray(x)
    if x.dtype.kind in "biu":
        return x.astype(_float_of[x.dtype.name])
    return x


def float_kernel(ufunc, c=None, numpy_only=None, **kw):
    """The kernel of a float function of one or more numbers (exp, sin, erf, ...): numpy's
    ufunc on float inputs, the C function on inputs converted to the output float."""
    return Kernel(ufunc=ufunc, float_inputs=True, c=c, numpy_only=numpy_only, **kw)


_user_kernels = {}


def user_impl_kernel(op, has_grad):
    """The kernel of an op whose class defines Theano 1.0's per-element ``impl`` (user code
    subclassing ScalarOp): numpy only, ``impl`` applied element by element through
    np.frompyfunc (Elemwise casts the object result to the output dtype). Equal ops compute
    the same: cached by op."""
    try:
        return _user_kernels[op]
    except (KeyError, TypeError):
        pass
    ufuncs = {}

    def apply_impl(*inputs):
        ufunc = ufuncs.get(len(inputs))
        if ufunc is None:
            ufunc = ufuncs[len(inputs)] = np.frompyfunc(op.impl, len(inputs), op.nout)
        return ufunc(*inputs)

    kernel = Kernel(numpy=apply_impl, numpy_only="user-defined impl", reduce_ufunc=None,
                    has_grad=has_grad, name=type(op).__name__)
    try:
        _user_kernels[op] = kernel
    except TypeError:  # an unhashable user op: no cache
        pass
    return kernel
