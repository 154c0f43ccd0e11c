"""The C of a node that reads whole arrays (a reduction, a softmax, a row lookup), for the
linker.

An op gives an ``ArrayC`` (from ``op.c_code_node(node)``): the body of its C function, its
support code, each operand's name, dtype and rank, and how each output's shape follows from
the inputs' shapes. This module writes the entry point around the body; the VM's
ArrayCThunk (_core/cthunk_array.pyx) allocates the outputs (C-contiguous, the previous
call's buffer when it can) and calls it. Every entry point has the signature::

    int f(char **data, const int64_t *shapes, const int64_t *strides)

``data``: the inputs' then the outputs' first elements; ``shapes``/``strides``: every
operand's dimensions, one operand after the other. Strides count elements, not bytes (the
thunk hands the C aligned arrays only, whose byte strides are multiples of the item size).

The body sees, for an operand named ``x`` of rank 2: ``x`` (a ``const T *`` for an input, a
``T *`` for an output), ``x_n0``, ``x_n1`` (its shape) and ``x_s0``, ``x_s1`` (its strides),
all ``int64_t``. An output whose shape does not follow from the inputs' shapes (a pooling's
windows) gets it from the kernel's ``shape_body``: the thunk first calls the entry point
with the outputs' data pointers NULL, and that code, seeing the inputs only, writes each
such output's dimensions into ``out_shape[d]`` (for an output named ``out``) and returns 0
(non-zero: perform). It returns 0 when it computed the outputs, non-zero when it refuses the
call (shapes that do not agree, a label out of range, ...): the thunk then runs the op's
perform, which raises the op's own error (or computes the value), so the C never has to
reproduce an error message.
"""
import re

from pytheano._core.cthunk_array import ArrayCThunk
from pytheano.link.c.elemwise import EXPORT

__all__ = ["ArrayC", "ARRAY_SIGNATURE", "unit_stride_variant"]

ARRAY_SIGNATURE = "(char **data, const int64_t *shapes, const int64_t *strides)"


class ArrayC:
    """A whole-array node's C, for the linker.

    body: the C statements of the function (see the module docstring); support: C support
    code (a string or a list of pieces; identical pieces are emitted once per module).
    names: each operand's C name (inputs then outputs); ctypes, dtypes, ndims: likewise.
    out_shapes: per output, a list of (input index, dimension): output j's dimension d is
    that input's dimension (dimension -1: the value of that 0-d integer input).
    numpy_fast: whether the op's perform is already one compiled numpy call (the linker
    then does not compile a module for this node alone). inplace: {output: input} for an
    output that is the input it overwrites (the op's destroy_map): the body then gets the
    input's data as that output (``out == x``) and must not read what it already wrote.
    """

    __slots__ = ("body", "support", "names", "ctypes", "in_dtypes", "out_dtypes", "ndims",
                 "out_shapes", "numpy_fast", "inplace", "shape_body")

    def __init__(self, body, names, ctypes, in_dtypes, out_dtypes, ndims, out_shapes,
                 support="", numpy_fast=False, inplace=None, shape_body=None):
        nin, nout = len(in_dtypes), len(out_dtypes)
        if not len(names) == len(ctypes) == len(ndims) == nin + nout:
            raise ValueError("ArrayC: one name, C type and rank per operand")
        if len(out_shapes) != nout or any(s is not None and len(s) != ndims[nin + j]
                                          for j, s in enumerate(out_shapes)):
            raise ValueError("ArrayC: each output's shape gives one source per dimension")
        if (shape_body is None) != all(s is not None for s in out_shapes):
            raise ValueError("ArrayC: shape_body writes the shapes given as None, and only")
        out_shapes = [[(-1, -1)] * ndims[nin + j] if s is None else s
                      for j, s in enumerate(out_shapes)]
        self.shape_body = shape_body
        self.body = body
        self.support = support
        self.names = list(names)
        self.ctypes = list(ctypes)
        self.in_dtypes = list(in_dtypes)
        self.out_dtypes = list(out_dtypes)
        self.ndims = [int(n) for n in ndims]
        self.out_shapes = [[(int(k), int(d)) for k, d in s] for s in out_shapes]
        self.numpy_fast = bool(numpy_fast)
        self.inplace = dict(inplace or {})

    def function_source(self, name):
        """The C entry point ``name`` computing this node."""
        nin = len(self.in_dtypes)
        lines = ["%s int %s%s {" % (EXPORT, name, ARRAY_SIGNATURE)]
        offset = 0
        for k, (var, ctype, nd) in enumerate(zip(self.names, self.ctypes, self.ndims)):
            if k == nin and self.shape_body is not None:
                lines.append("  if (data[%d] == NULL) {  /* the outputs' shapes */" % nin)
                at = offset
                for j, src in enumerate(self.out_shapes):
                    if src and src[0][0] == -1:
                        lines.append("    int64_t *const %s_shape = (int64_t *)shapes + %d;"
                                     % (self.names[nin + j], at))
                    at += self.ndims[nin + j]
                lines += [self.shape_body.rstrip(), "    return 0;", "  }"]
            const = "const " if k < nin else ""
            lines.append("  %s%s *const %s = (%s%s *)data[%d];" % (const, ctype, var, const,
                                                                   ctype, k))
            for d in range(nd):
                lines.append("  const int64_t %s_n%d = shapes[%d], %s_s%d = strides[%d];"
                             % (var, d, offset + d, var, d, offset + d))
            offset += nd
        lines.append(self.body.rstrip())
        lines.append("}")
        return "\n".join(lines) + "\n"

    def make_thunk(self, node, input_cells, output_cells, address, perform):
        """The VM thunk calling this node's compiled entry point at ``address``."""
        return ArrayCThunk(node, input_cells, output_cells, address, self.in_dtypes,
                           self.out_dtypes, self.ndims[:len(self.in_dtypes)],
                           self.out_shapes, perform, inplace=self.inplace)


def unit_stride_variant(body, strides):
    """``body`` twice: a copy where the stride variables ``strides`` are the constant 1, run
    when they all are 1 at run time (the compiler vectorizes its loops), and ``body`` as
    it is for any other strides. ``body`` must end by returning."""
    cond = " && ".join("%s == 1" % s for s in strides)
    fast = re.sub(r"\b(%s)\b" % "|".join(map(re.escape, strides)), "1", body)
    return "  if (%s) {\n%s  }\n%s" % (cond, fast, body)
