"""Pooling over the last N axes (Theano's ``theano.tensor.signal.pool``).

``pool_2d`` builds a ``Pool`` node; its gradient is ``MaxPoolGrad`` (the output gradient goes
to every input equal to its window's maximum) or ``AveragePoolGrad`` (sum and averages), and
``DownsampleFactorMaxGradGrad`` closes the loop for second derivatives of max pooling.

``perform`` is numpy: the input is padded (and extended past its end when
``ignore_border=False`` leaves partial windows), and every computation is a loop over the
few window offsets (taps), never over pixels: at each tap, the strided view of the element
that tap reads in every window, combined elementwise (maximum, add, the max mask times the
gradient). Reducing ``sliding_window_view``'s extra axes instead was 25x slower for
``pool_2d(x, (2, 2))`` (numpy's reductions over short strided axes).
"""
import itertools
import warnings

import numpy as np

from pytheano._core.graph import Apply, Constant, Variable
from pytheano.graph.op import Op
from pytheano.link.c.array import ArrayC
from pytheano.scalar.kernel import C_TYPES
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.type import TensorType
from pytheano.graph.grad_types import DisconnectedType
from pytheano.tensor.creation import zeros_like
from pytheano.tensor.math import ge, maximum, switch

__all__ = ["pool_2d", "pool_3d", "Pool", "PoolGrad", "MaxPoolGrad", "AveragePoolGrad",
           "DownsampleFactorMaxGradGrad", "max_pool_2d_same_size"]

MODES = ("max", "sum", "average_inc_pad", "average_exc_pad")




def _disconnected():
    return DisconnectedType()()


def _deprecated_names(ws, stride, pad, ds, st, padding, ndim, stacklevel=3):
    """Theano 1.0's old keyword names ds/st/padding, with its warnings."""
    if ds is not None:
        if ws is not None:
            raise ValueError("You can't provide a tuple value to both 'ws' and 'ds'. Please "
                             "provide a value only to 'ws'.")
        warnings.warn("DEPRECATION: the 'ds' parameter is not going to exist anymore as it "
                      "is going to be replaced by the parameter 'ws'.", stacklevel=stacklevel)
        ws = ds
    elif ws is None:
        raise ValueError("You must provide a tuple value for the window size.")
    if st is not None:
        if stride is not None:
            raise ValueError("You can't provide a tuple value to both 'st and 'stride'. "
                             "Please provide a value only to 'stride'.")
        warnings.warn("DEPRECATION: the 'st' parameter is not going to exist anymore as it "
                      "is going to be replaced by the parameter 'stride'.", stacklevel=stacklevel)
        stride = st
    if padding is not None:
        if pad not in (None, (0,) * ndim):
            raise ValueError("You can't provide a tuple value to both 'padding' and pad.  "
                             "Please provide a value only to pad.")
        warnings.warn("DEPRECATION: the 'padding' parameter is not going to exist anymore "
                      "as it is going to be replaced by the parameter 'pad'.",
                      stacklevel=stacklevel)
        pad = padding
    return ws, stride, pad


def _pool_nd(name, input, ws, ignore_border, stride, pad, mode, ds, st, padding, ndim):
    ws, stride, pad = _deprecated_names(ws, stride, pad, ds, st, padding, ndim, 4)
    input = as_tensor_variable(input)
    if input.ndim < ndim:
        raise NotImplementedError("%s requires a dimension >= %d" % (name, ndim))
    if ignore_border is None:
        # Theano 1.0 compat: None warns and means False.
        warnings.warn(
            "%s() will have the parameter ignore_border default value changed to True "
            "(currently False). To have consistent behavior with all Theano version, "
            "explicitly add the parameter ignore_border=True. On the GPU, using "
            "ignore_border=True is needed to use cuDNN. When using ignore_border=False and "
            "not using cuDNN, the only GPU combination supported is when `ws == stride and "
            "pad == %r and mode == 'max'`. Otherwise, the convolution will be executed on "
            "CPU." % (name, (0,) * ndim), stacklevel=3)
        ignore_border = False
    return Pool(ignore_border, ndim=ndim, mode=mode)(input, ws, stride, pad)


def pool_2d(input, ws=None, ignore_border=None, stride=None, pad=(0, 0), mode="max",
            ds=None, st=None, padding=None):
    """Pool the last two axes of ``input`` over windows of size ``ws``.

    stride: the step between windows (default ``ws``); pad: zeros added on both sides
    (needs ignore_border=True, and pad < ws); mode: 'max', 'sum', 'average_inc_pad'
    (the padding counts in the average) or 'average_exc_pad'. ignore_border=False keeps
    the partial windows at the end; None warns and means False, as in Theano 1.0.
    ds/st/padding: deprecated names of ws/stride/pad.
    """
    return _pool_nd("pool_2d", input, ws, ignore_border, stride, pad, mode, ds, st,
                    padding, 2)


def pool_3d(input, ws=None, ignore_border=None, stride=None, pad=(0, 0, 0), mode="max",
            ds=None, st=None, padding=None):
    """``pool_2d`` over the last three axes."""
    return _pool_nd("pool_3d", input, ws, ignore_border, stride, pad, mode, ds, st,
                    padding, 3)


def max_pool_2d_same_size(input, patch_size):
    """Zero every value of ``input`` that is not the maximum of its (non-overlapping)
    ``patch_size`` patch; the output has the input's shape."""
    output = Pool(True)(input, patch_size)
    return MaxPoolGrad(True)(input, output, output, patch_size)


# ---------------------------------------------------------------------- numpy helpers


def _out_len(v, ws, stride, ignore_border):
    """Output length along one axis of padded length v (ints)."""
    if ignore_border:
        return max((v - ws) // stride + 1, 0)
    if stride >= ws:
        return (v - 1) // stride + 1
    return max(0, (v - 1 - ws + stride) // stride) + 1


def _params(op, x, ws, stride, pad):
    nd = op.ndim
    ws, stride, pad = (tuple(int(v) for v in np.asarray(a).reshape(-1))
                       for a in (ws, stride, pad))
    if not len(ws) == len(stride) == len(pad) == nd:
        raise ValueError("%s: ws, stride and pad must each have %d values, got %s, %s, %s"
                         % (type(op).__name__, nd, ws, stride, pad))
    if min(ws) < 1 or min(stride) < 1 or min(pad) < 0:
        raise ValueError("%s: ws and stride must be >= 1 and pad >= 0, got ws=%s, stride=%s,"
                         " pad=%s" % (type(op).__name__, ws, stride, pad))
    if max(pad) > 0 and not op.ignore_border:
        raise NotImplementedError("padding works only with ignore_border=True")
    if any(p >= w for p, w in zip(pad, ws)):
        raise NotImplementedError("padding must be smaller than strides")
    if x.ndim < nd:
        raise ValueError("%s requires input with %d or more dimensions, got shape %s"
                         % (type(op).__name__, nd, x.shape))
    img = x.shape[-nd:]
    out = tuple(_out_len(img[i] + 2 * pad[i], ws[i], stride[i], op.ignore_border)
                for i in range(nd))
    return ws, stride, pad, out


def _fill_value(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return -np.inf
    if dtype.kind in "iu":
        return np.iinfo(dtype).min
    return False


def _extended(x, pad, ws, stride, out, fill):
    """x placed at offset pad in an array long enough for every window (filled with fill)."""
    nd = len(pad)
    img = x.shape[-nd:]
    length = tuple(max((out[i] - 1) * stride[i] + ws[i], img[i] + 2 * pad[i], 0)
                   for i in range(nd))
    if length == img and not any(pad):
        return x
    y = np.full(x.shape[:-nd] + length, fill, dtype=x.dtype)
    y[(Ellipsis,) + tuple(slice(pad[i], pad[i] + img[i]) for i in range(nd))] = x
    return y


def _taps(y, ws, stride, out):
    """(tap, view) for each window offset ``tap``: the ``out``-shaped strided view of y
    holding, for every window, its element at that offset."""
    nd = len(ws)
    for tap in itertools.product(*(range(w) for w in ws)):
        yield tap, y[(Ellipsis,) + tuple(slice(tap[i], tap[i] + out[i] * stride[i], stride[i])
                                         for i in range(nd))]


def _window_max(y, ws, stride, out):
    """The maximum of each window of y (NaN where a window holds one)."""
    result = None
    for _, view in _taps(y, ws, stride, out):
        result = view.copy() if result is None else np.maximum(result, view, out=result)
    return result


def _window_counts(img, ws, stride, pad, out, include_pad):
    """Number of counted elements in each window, shaped ``out``."""
    nd = len(ws)
    counts = np.ones((), dtype=np.int64)
    for i in range(nd):
        start = np.arange(out[i]) * stride[i]
        end = np.minimum(start + ws[i], img[i] + 2 * pad[i])
        if not include_pad:
            start = np.maximum(start, pad[i])
            end = np.minimum(end, img[i] + pad[i])
        counts = np.multiply.outer(counts, np.maximum(end - start, 0))
    return counts


def _scatter(contrib, x_shape, pad, ws, stride, out, dtype):
    """Window contributions summed back onto x's (unpadded) shape: ``contrib(tap)`` gives
    the ``out``-shaped values that the element at offset ``tap`` of each window gets."""
    nd = len(ws)
    img = x_shape[-nd:]
    length = tuple(max((out[i] - 1) * stride[i] + ws[i], img[i] + 2 * pad[i], 0)
                   for i in range(nd))
    acc = np.zeros(x_shape[:-nd] + length, dtype=dtype)
    for tap, view in _taps(acc, ws, stride, out):
        view += contrib(tap)
    return acc[(Ellipsis,) + tuple(slice(pad[i], pad[i] + img[i]) for i in range(nd))]


# ---------------------------------------------------------------------- C
# The C backend's kernels (link/c/array.py) for 2-d pooling of float and integer tensors:
# the same window loops as perform, tap after tap in the same order, so the same values bit
# for bit (sums and their order included). What perform refuses (bad ws/stride/pad, shapes
# that do not agree) or zero-size cases go to perform.

_POOL_SUPPORT = """\
/* Pool.out_shape for one axis of padded length v (Python's floor division). */
static inline int64_t pt_pool_len(int64_t v, int64_t w, int64_t s, int ignore_border) {
  if (ignore_border) return v < w ? 0 : (v - w) / s + 1;
  if (v <= 0) return 0;
  if (s >= w) return (v - 1) / s + 1;
  return (v - 1 - w + s < 0 ? 0 : (v - 1 - w + s) / s) + 1;
}
/* [lo, hi): the r in [0, o) whose window element at offset tap, r * s + tap - p, is in
   [0, n). */
static inline void pt_pool_range(int64_t o, int64_t s, int64_t tap, int64_t p, int64_t n,
                                 int64_t *lo, int64_t *hi) {
  const int64_t a = p - tap, b = n + p - tap;
  *lo = a <= 0 ? 0 : (a + s - 1) / s;
  *hi = b <= 0 ? 0 : (b + s - 1) / s;
  if (*hi > o) *hi = o;
  if (*lo > *hi) *lo = *hi;
}
"""


def _pool_params(op, names):
    """C reading ws/stride/pad (1-d integer inputs named ``names``) into w0 w1 s0 s1 p0 p1,
    returning 1 where perform raises."""
    ws, st, pad = names
    return ("    if (%(ws)s_n0 != 2 || %(st)s_n0 != 2 || %(pad)s_n0 != 2) return 1;\n"
            "    const int64_t w0 = %(ws)s[0], w1 = %(ws)s[%(ws)s_s0];\n"
            "    const int64_t s0 = %(st)s[0], s1 = %(st)s[%(st)s_s0];\n"
            "    const int64_t p0 = %(pad)s[0], p1 = %(pad)s[%(pad)s_s0];\n"
            "    if (w0 < 1 || w1 < 1 || s0 < 1 || s1 < 1 || p0 < 0 || p1 < 0) return 1;\n"
            "    if (p0 >= w0 || p1 >= w1%(padded)s) return 1;\n"
            % {"ws": ws, "st": st, "pad": pad,
               "padded": "" if op.ignore_border else " || p0 || p1"})


def _pool_dims(x, rank, ib, refuse_empty=True):
    """C: H, W, the image's; o0, o1, the pooled lengths. ``refuse_empty``: returns 1 when
    one is 0, or the image is empty (perform's zeros)."""
    lines = ["    const int64_t H = %s_n%d, W = %s_n%d;" % (x, rank - 2, x, rank - 1),
             "    const int64_t o0 = pt_pool_len(H + 2 * p0, w0, s0, %d);" % ib,
             "    const int64_t o1 = pt_pool_len(W + 2 * p1, w1, s1, %d);" % ib]
    if refuse_empty:
        lines.append("    if (o0 == 0 || o1 == 0%s) return 1;" % "".join(
            " || %s_n%d == 0" % (x, d) for d in range(rank)))
    return "\n".join(lines) + "\n"


def _leading_loops(rank, operands):
    """C opening one loop per leading (batch, channel) axis, and ``<name>_at`` (the
    offset of the current image of each operand in ``operands``); (code, closing)."""
    lead = rank - 2
    lines = []
    for d in range(lead):
        lines.append("  " * d + "  for (int64_t l%d = 0; l%d < %s_n%d; l%d++) {"
                     % (d, d, operands[0], d, d))
    ind = "  " * lead + "  "
    for name in operands:
        lines.append(ind + "const int64_t %s_at = 0%s;" % (
            name, "".join(" + l%d * %s_s%d" % (d, name, d) for d in range(lead))))
    return "\n".join(lines) + "\n", "".join("  " * (lead - d) + "}\n"
                                           for d in range(lead))


def _tap_loops(names, inner):
    """C looping over the window's taps (i, j), then over the output rows r and columns c
    whose window element at that tap is inside the image (yy, xx): no test per element,
    so the compiler vectorizes ``inner``. The element offsets: ``<name>_yx`` for the image
    operands in ``names[0]``, ``<name>_rc`` for the pooled ones in ``names[1]``."""
    image, pooled = names
    yx = "".join("        const int64_t %s_yx = %s_at + yy * %s_sr + (c * s1 + j - p1) * %s_sc;\n"
                 % (n, n, n, n) for n in image)
    rc = "".join("        const int64_t %s_rc = %s_at + r * %s_sr + c * %s_sc;\n"
                 % (n, n, n, n) for n in pooled)
    return ("    for (int64_t i = 0; i < w0; i++)\n"
            "    for (int64_t j = 0; j < w1; j++) {\n"
            "      int64_t r_lo, r_hi, c_lo, c_hi;\n"
            "      pt_pool_range(o0, s0, i, p0, H, &r_lo, &r_hi);\n"
            "      pt_pool_range(o1, s1, j, p1, W, &c_lo, &c_hi);\n"
            "      for (int64_t r = r_lo; r < r_hi; r++) {\n"
            "        const int64_t yy = r * s0 + i - p0;\n"
            "        for (int64_t c = c_lo; c < c_hi; c++) {\n" + yx + rc + inner +
            "        }\n"
            "      }\n"
            "    }\n")


def _strides(rank, names):
    """C naming each operand's row and column element strides ``<name>_sr``/``_sc``."""
    return "".join("    const int64_t %s_sr = %s_s%d, %s_sc = %s_s%d;\n"
                   % (n, n, rank - 2, n, n, rank - 1) for n in names)


def _pooled_loop(rank, statement):
    """C running ``statement`` for every pooled position (r, c) of the current image."""
    return ("    for (int64_t r = 0; r < o0; r++)\n"
            "    for (int64_t c = 0; c < o1; c++) {\n"
            "      const int64_t z_rc = z_at + r * z_sr + c * z_sc;\n" + statement +
            "    }\n")


def _pool_c(op, node):
    """Pool's ArrayC (max and sum of floats and integers, the averages of floats), or
    None. Tap after tap over the whole image, as perform (so sums add in its order)."""
    x = node.inputs[0]
    dtype = x.type.dtype
    rank = x.type.ndim
    floating = dtype.startswith("float")
    if op.ndim != 2 or dtype not in C_TYPES or dtype == "bool" or any(
            v.type.dtype not in C_TYPES for v in node.inputs[1:]) or (
            op.mode.startswith("average") and not floating):
        return None
    ct = C_TYPES[dtype]
    names = ["x", "ws", "st", "pad", "z"]
    ib = int(op.ignore_border)
    params = _pool_params(op, names[1:4]) + _pool_dims("x", rank, ib)
    shape = params + "".join(
        "    z_shape[%d] = x_n%d;\n" % (d, d) for d in range(rank - 2)) + \
        "    z_shape[%d] = o0; z_shape[%d] = o1;\n" % (rank - 2, rank - 1)
    loops, close = _leading_loops(rank, ["x", "z"])
    if op.mode == "max":
        # perform's fill (below every value) and np.maximum (NaN wins).
        fill = "-INFINITY" if floating else _c_min(dtype)
        start = "      z[z_rc] = %s;\n" % fill
        inner = ("          const %s v = x[x_yx], m = z[z_rc];\n"
                 "          z[z_rc] = (v > m%s) ? v : m;\n"
                 % (ct, " || v != v" if floating else ""))
        end = ""
    else:
        # Integer sums wrap as perform's int64 sum cast back does (modulo 2**bits).
        start = "      z[z_rc] = 0;\n"
        inner = "          z[z_rc] += x[x_yx];\n"
        end = ""
        if op.mode != "sum":
            # The window's count as _window_counts: the padding in or out, never the
            # extension past it; numpy divides in double and rounds once.
            count = ("      const int64_t r0 = r * s0, c0 = c * s1;\n"
                     "      const int64_t r1 = r0 + w0 < H + 2 * p0 ? r0 + w0 : H + 2 * p0;\n"
                     "      const int64_t c1 = c0 + w1 < W + 2 * p1 ? c0 + w1 : W + 2 * p1;\n")
            if op.mode == "average_exc_pad":
                count += ("      const int64_t a0 = r0 > p0 ? r0 : p0, b0 = r1 < H + p0 ? r1"
                          " : H + p0;\n"
                          "      const int64_t a1 = c0 > p1 ? c0 : p1, b1 = c1 < W + p1 ? c1"
                          " : W + p1;\n"
                          "      const int64_t n = (b0 > a0 ? b0 - a0 : 0) *"
                          " (b1 > a1 ? b1 - a1 : 0);\n")
            else:
                count += "      const int64_t n = (r1 - r0) * (c1 - c0);\n"
            end = _pooled_loop(rank, count + "      z[z_rc] = (%s)((double)z[z_rc] / "
                                              "(double)n);\n" % ct)
    body = (params + _strides(rank, ["x", "z"]) + loops +
            _pooled_loop(rank, start) + _tap_loops((["x"], ["z"]), inner) + end + close +
            "  return 0;\n")
    dtypes = [v.type.dtype for v in node.inputs + node.outputs]
    return ArrayC(body, names, [C_TYPES[d] for d in dtypes], dtypes[:4], dtypes[4:],
                  [v.type.ndim for v in node.inputs + node.outputs], [None],
                  support=_POOL_SUPPORT, shape_body=shape)


def _c_min(dtype):
    info = np.iinfo(dtype)
    return "0" if info.min == 0 else "(%dLL - 1)" % (info.min + 1)


def _max_pool_grad_c(op, node):
    """MaxPoolGrad's ArrayC (x, maxout and gz of one float dtype), or None: tap after tap,
    as perform, so each element's contributions add in its order."""
    x, maxout, gz = node.inputs[:3]
    dtype = x.type.dtype
    rank = x.type.ndim
    if op.ndim != 2 or dtype not in ("float32", "float64") or maxout.type.dtype != dtype \
            or gz.type.dtype != dtype or any(v.type.dtype not in C_TYPES
                                             for v in node.inputs[3:]):
        return None
    ct = C_TYPES[dtype]
    names = ["x", "m", "g", "ws", "st", "pad", "gx"]
    params = _pool_params(op, names[3:6])
    check = "".join("    if (m_n%d != x_n%d || g_n%d != x_n%d) return 1;\n" % (d, d, d, d)
                    for d in range(rank - 2))
    check += ("    if (m_n%d != o0 || m_n%d != o1 || g_n%d != o0 || g_n%d != o1) return 1;\n"
              % (rank - 2, rank - 1, rank - 2, rank - 1))
    # No pooled element (windows larger than the image): the gradient is zeros.
    dims = _pool_dims("x", rank, int(op.ignore_border), refuse_empty=False)
    # The thunk's output buffer is C-contiguous: one flat loop clears it.
    zero = ("    for (int64_t k = 0; k < %s; k++) gx[k] = 0;\n"
            % " * ".join("gx_n%d" % d for d in range(rank)))
    loops, close = _leading_loops(rank, ["x", "m", "g", "gx"])
    inner = "          gx[gx_yx] += (%s)(x[x_yx] == m[m_rc]) * g[g_rc];\n" % ct
    body = (params + dims + check + zero + _strides(rank, ["x", "m", "g", "gx"]) + loops +
            _tap_loops((["x", "gx"], ["m", "g"]), inner) + close + "  return 0;\n")
    dtypes = [v.type.dtype for v in node.inputs + node.outputs]
    return ArrayC(body, names, [C_TYPES[d] for d in dtypes], dtypes[:6], dtypes[6:],
                  [v.type.ndim for v in node.inputs + node.outputs],
                  [[(0, d) for d in range(rank)]], support=_POOL_SUPPORT)


# ---------------------------------------------------------------------- ops


def _int_vector(v, what, nd):
    if isinstance(v, (tuple, list)) and all(not isinstance(e, Variable) for e in v):
        if all(isinstance(e, (int, np.integer)) for e in v):
            v = np.asarray(v, dtype="int64") if len(v) else np.zeros(0, dtype="int64")
    v = as_tensor_variable(v)
    if v.type.ndim != 1:
        raise TypeError("%s must be a vector of %d ints, got %s" % (what, nd, v.type))
    if v.type.dtype not in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                            "uint64"):
        kind = {"ws": "Pool downsample", "stride": "Stride", "pad": "Padding"}[what]
        raise TypeError("%s parameters must be ints." % kind)
    if isinstance(v, Constant) and v.data.shape != (nd,):
        raise ValueError("%s must have %d values, got %s" % (what, nd, v.data.tolist()))
    return v


def _pool_inputs(op, ws, stride, pad):
    nd = op.ndim
    if stride is None:
        stride = ws
    if pad is None:
        pad = (0,) * nd
    elif isinstance(pad, (tuple, list)) and all(not isinstance(p, Variable) for p in pad):
        if max(pad, default=0) != 0 and not op.ignore_border:
            raise NotImplementedError("padding works only with ignore_border=True")
        if isinstance(ws, (tuple, list)) and any(pad[i] >= ws[i] for i in range(nd)):
            raise NotImplementedError("padding must be smaller than strides")
    return (_int_vector(ws, "ws", nd), _int_vector(stride, "stride", nd),
            _int_vector(pad, "pad", nd))


def _check_mode(mode):
    if mode == "max_deterministic":
        mode = "max"
    if mode not in MODES:
        raise ValueError("Pool mode parameter only support 'max', 'sum', 'average_inc_pad' "
                         "and 'average_exc_pad'. Got %s" % (mode,))
    return mode


class Pool(Op):
    """Max, sum or average over windows of the last ``ndim`` axes."""

    __props__ = ("ignore_border", "mode", "ndim")

    def __init__(self, ignore_border=False, mode="max", ndim=2):
        self.ignore_border = bool(ignore_border)
        self.mode = _check_mode(mode)
        self.ndim = int(ndim)

    @staticmethod
    def out_shape(imgshape, ws=None, ignore_border=False, stride=None, pad=None, ndim=2,
                  ds=None, st=None, padding=None):
        """The output shape for an input of shape ``imgshape`` (ints or symbolic)."""
        ws, stride, pad = _deprecated_names(ws, stride, pad, ds, st, padding, ndim)
        if len(imgshape) < ndim:
            raise TypeError("imgshape must have at least {} dimensions".format(ndim))
        stride = ws if stride is None else stride
        pad = (0,) * ndim if pad is None else pad
        out = []
        for i in range(ndim):
            v = imgshape[-ndim + i] + pad[i] * 2
            w, s = ws[i], stride[i]
            symbolic = any(isinstance(a, Variable) for a in (v, w, s))
            if not symbolic:
                out.append(_out_len(int(v), int(w), int(s), ignore_border))
            elif ignore_border:
                out.append(maximum((v - w) // s + 1, 0))
            else:
                out.append(switch(ge(s, w), (v - 1) // s + 1,
                                    maximum(0, (v - 1 - w) // s + 1) + 1))
        return list(imgshape[:-ndim]) + out

    def make_node(self, x, ws, stride=None, pad=None):
        x = as_tensor_variable(x)
        ws, stride, pad = _pool_inputs(self, ws, stride, pad)
        if x.type.ndim < self.ndim:
            raise TypeError("Pool with ndim=%d needs an input of at least %d dimensions, got"
                            " %s" % (self.ndim, self.ndim, x.type))
        bcast = x.broadcastable[:-self.ndim] + (False,) * self.ndim
        return Apply(self, [x, ws, stride, pad], [TensorType(x.type.dtype, bcast)()])

    def perform(self, node, inputs, output_storage):
        x, ws, stride, pad = inputs
        ws, stride, pad, out = _params(self, x, ws, stride, pad)
        nd = self.ndim
        dtype = node.outputs[0].type.dtype
        if 0 in out or x.size == 0:
            output_storage[0][0] = np.zeros(x.shape[:-nd] + out, dtype=dtype)
            return
        if self.mode == "max":
            result = _window_max(_extended(x, pad, ws, stride, out, _fill_value(x.dtype)),
                                 ws, stride, out)
        else:
            result = np.zeros(x.shape[:-nd] + out, dtype=np.sum(x[:0]).dtype)  # sum's dtype
            for _, view in _taps(_extended(x, pad, ws, stride, out, 0), ws, stride, out):
                result += view
            if self.mode != "sum":
                counts = _window_counts(x.shape[-nd:], ws, stride, pad, out,
                                        self.mode == "average_inc_pad")
                result = result / counts
        output_storage[0][0] = np.asarray(result, dtype=dtype)

    def c_code_node(self, node):
        return _pool_c(self, node)

    def infer_shape(self, fgraph, node, input_shapes):
        ws, stride, pad = _symbolic_params(node)
        return [self.out_shape(input_shapes[0], ws, self.ignore_border, stride, pad,
                               self.ndim)]

    def connection_pattern(self, node):
        return [[True], [False], [False], [False]]

    def L_op(self, inputs, outputs, output_grads):
        x, ws, stride, pad = inputs
        gz, = output_grads
        disc = [_disconnected() for _ in inputs[1:]]
        if self.mode == "max":
            gx = MaxPoolGrad(self.ignore_border, ndim=self.ndim)(x, outputs[0], gz, ws,
                                                                 stride, pad)
        else:
            gx = AveragePoolGrad(self.ignore_border, mode=self.mode, ndim=self.ndim)(
                x, gz, ws, stride, pad)
        return [gx] + disc

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        x, ws, stride, pad = inputs
        if self.mode != "max":
            return [self(eval_points[0], ws, stride, pad)]
        return [DownsampleFactorMaxGradGrad(self.ignore_border, ndim=self.ndim)(
            x, self(*inputs), eval_points[0], ws, stride, pad)]


def _symbolic_params(node):
    """ws, stride, pad of a pooling node: tuples of ints when constant, else symbolic."""
    out = []
    for v in node.inputs[-3:]:
        if isinstance(v, Constant):
            out.append(tuple(int(e) for e in v.data))
        else:
            out.append(tuple(v[i] for i in range(node.op.ndim)))
    return out


class PoolGrad(Op):
    """Base of the pooling gradients: the gradient has the input's shape."""

    __props__ = ("ignore_border", "mode", "ndim")

    def __init__(self, ignore_border, mode="max", ndim=2):
        self.ignore_border = bool(ignore_border)
        self.mode = _check_mode(mode)
        self.ndim = int(ndim)

    out_shape = Pool.out_shape

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0]]


class MaxPoolGrad(PoolGrad):
    """The gradient of max pooling: each output gradient goes to every input element that
    equals its window's maximum."""

    def __init__(self, ignore_border, ndim=2):
        super().__init__(ignore_border, mode="max", ndim=ndim)

    def make_node(self, x, maxout, gz, ws, stride=None, pad=None):
        x, maxout, gz = (as_tensor_variable(v) for v in (x, maxout, gz))
        ws, stride, pad = _pool_inputs(self, ws, stride, pad)
        if not x.type.ndim == maxout.type.ndim == gz.type.ndim >= self.ndim:
            raise TypeError("MaxPoolGrad: x, maxout and gz must have the same number (>= %d)"
                            " of dimensions, got %s, %s, %s"
                            % (self.ndim, x.type, maxout.type, gz.type))
        return Apply(self, [x, maxout, gz, ws, stride, pad], [x.type()])

    def c_code_node(self, node):
        return _max_pool_grad_c(self, node)

    def perform(self, node, inputs, output_storage):
        x, maxout, gz, ws, stride, pad = inputs
        ws, stride, pad, out = _params(self, x, ws, stride, pad)
        if maxout.shape != x.shape[:-self.ndim] + out or gz.shape != maxout.shape:
            raise ValueError("MaxPoolGrad: for an input of shape %s the pooled output has "
                             "shape %s, got maxout %s and gz %s"
                             % (x.shape, x.shape[:-self.ndim] + out, maxout.shape, gz.shape))
        dtype = node.outputs[0].type.dtype
        if 0 in out or x.size == 0:
            output_storage[0][0] = np.zeros(x.shape, dtype=dtype)
            return
        y = _extended(x, pad, ws, stride, out, _fill_value(x.dtype))
        views = dict(_taps(y, ws, stride, out))
        gx = _scatter(lambda tap: (views[tap] == maxout) * gz, x.shape, pad, ws, stride, out,
                      gz.dtype)
        output_storage[0][0] = np.asarray(gx, dtype=dtype)

    def connection_pattern(self, node):
        return [[True], [True], [True], [False], [False], [False]]

    def grad(self, inputs, output_grads):
        x, maxout, gz, ws, stride, pad = inputs
        ggx, = output_grads
        return [zeros_like(x), zeros_like(maxout),
                DownsampleFactorMaxGradGrad(self.ignore_border, ndim=self.ndim)(
                    x, maxout, ggx, ws, stride, pad)] + [_disconnected() for _ in range(3)]


class AveragePoolGrad(PoolGrad):
    """The gradient of sum and average pooling: each output gradient (divided by its
    window's count for the averages) goes to every element of its window."""

    def __init__(self, ignore_border, mode="average_inc_pad", ndim=2):
        if mode not in ("sum", "average_inc_pad", "average_exc_pad"):
            raise ValueError("AveragePoolGrad mode must be 'sum', 'average_inc_pad' or "
                             "'average_exc_pad', got %r" % (mode,))
        super().__init__(ignore_border, mode=mode, ndim=ndim)

    def make_node(self, x, gz, ws, stride=None, pad=None, dummy=None):
        x, gz = as_tensor_variable(x), as_tensor_variable(gz)
        ws, stride, pad = _pool_inputs(self, ws, stride, pad)
        if not x.type.ndim == gz.type.ndim >= self.ndim:
            raise TypeError("AveragePoolGrad: x and gz must have the same number (>= %d) of "
                            "dimensions, got %s and %s" % (self.ndim, x.type, gz.type))
        return Apply(self, [x, gz, ws, stride, pad], [x.type()])

    def perform(self, node, inputs, output_storage):
        x, gz, ws, stride, pad = inputs
        ws, stride, pad, out = _params(self, x, ws, stride, pad)
        nd = self.ndim
        if gz.shape != x.shape[:-nd] + out:
            raise ValueError("AveragePoolGrad: for an input of shape %s the pooled output has"
                             " shape %s, got gz %s" % (x.shape, x.shape[:-nd] + out, gz.shape))
        dtype = node.outputs[0].type.dtype
        if 0 in out or x.size == 0:
            output_storage[0][0] = np.zeros(x.shape, dtype=dtype)
            return
        val = gz
        if self.mode != "sum":
            val = gz / _window_counts(x.shape[-nd:], ws, stride, pad, out,
                                      self.mode == "average_inc_pad")
        gx = _scatter(lambda tap: val, x.shape, pad, ws, stride, out, val.dtype)
        output_storage[0][0] = np.asarray(gx, dtype=dtype)

    def connection_pattern(self, node):
        return [[True], [True], [False], [False], [False]]

    def grad(self, inputs, output_grads):
        x, gz, ws, stride, pad = inputs
        ggx, = output_grads
        return ([zeros_like(x),
                 Pool(self.ignore_border, mode=self.mode, ndim=self.ndim)(ggx, ws, stride,
                                                                          pad)]
                + [_disconnected() for _ in range(3)])


class DownsampleFactorMaxGradGrad(Op):
    """The gradient of ``MaxPoolGrad`` with respect to its ``gz``: for each window, the sum
    of ``ggx`` over the elements equal to the window's maximum."""

    __props__ = ("ignore_border", "mode", "ndim")

    def __init__(self, ignore_border, mode="max", ndim=2):
        if mode != "max":
            raise ValueError("DownsampleFactorMaxGradGrad only supports mode='max'")
        self.ignore_border = bool(ignore_border)
        self.mode = mode
        self.ndim = int(ndim)

    def make_node(self, x, maxout, gz, ws, stride=None, pad=None):
        x, maxout, gz = (as_tensor_variable(v) for v in (x, maxout, gz))
        ws, stride, pad = _pool_inputs(self, ws, stride, pad)
        if not x.type.ndim == maxout.type.ndim == gz.type.ndim >= self.ndim:
            raise TypeError("DownsampleFactorMaxGradGrad: x, maxout and gz must have the "
                            "same number (>= %d) of dimensions" % (self.ndim,))
        return Apply(self, [x, maxout, gz, ws, stride, pad], [maxout.type()])

    def perform(self, node, inputs, output_storage):
        x, maxout, ggx, ws, stride, pad = inputs
        ws, stride, pad, out = _params(self, x, ws, stride, pad)
        nd = self.ndim
        if maxout.shape != x.shape[:-nd] + out or ggx.shape != x.shape:
            raise ValueError("DownsampleFactorMaxGradGrad: expected maxout of shape %s and "
                             "ggx of shape %s, got %s and %s"
                             % (x.shape[:-nd] + out, x.shape, maxout.shape, ggx.shape))
        dtype = node.outputs[0].type.dtype
        if 0 in out or x.size == 0:
            output_storage[0][0] = np.zeros(maxout.shape, dtype=dtype)
            return
        xs = dict(_taps(_extended(x, pad, ws, stride, out, _fill_value(x.dtype)), ws, stride,
                        out))
        result = np.zeros(maxout.shape, dtype=np.sum(ggx[:0]).dtype)  # sum's dtype
        for tap, view in _taps(_extended(ggx, pad, ws, stride, out, 0), ws, stride, out):
            result += (xs[tap] == maxout) * view
        output_storage[0][0] = np.asarray(result, dtype=dtype)

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[1]]

    def connection_pattern(self, node):
        return [[True], [True], [True], [False], [False], [False]]

    def grad(self, inputs, output_grads):
        x, maxout, ggx, ws, stride, pad = inputs
        gz, = output_grads
        return [zeros_like(x), zeros_like(maxout),
                MaxPoolGrad(self.ignore_border, ndim=self.ndim)(x, maxout, gz, ws, stride,
                                                                pad)] + \
            [_disconnected() for _ in range(3)]
