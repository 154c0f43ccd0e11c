"""The C of an elementwise node: one loop over any number of operands, any strides.

An op whose node computes elementwise gives the linker an ``ElemwiseC`` (from
``op.c_code_node(node)``): the C statement computing one element (``body``, reading the
inputs ``v0``, ``v1``, ... and assigning the outputs ``r0``, ``r1``, ...), its support code,
the operands' C types and the zero checks numpy would raise on. This module writes the entry
point around it; the VM's ElemwiseCThunk (_core/cthunk.pyx) calls it with the broadcast
output shape and each operand's byte strides (0 along a broadcast dimension), after merging
the dimensions that are contiguous together, so a contiguous call arrives with one
dimension (and a 0-d one as one dimension of length 1: ``nd`` is never 0). Every entry
point has the signature::

    int f(int64_t nd, const int64_t *shape, char **data, const int64_t *strides)

``data``: the inputs' then the outputs' first elements; ``strides[k * nd + d]``: operand
k's stride along dimension d. It returns 0, or 1 << j when zero check j failed.

The element statement is emitted in two loops only (each copy costs compile time): the
innermost dimension with unit strides (the whole of a contiguous call) and with any strides,
the outer dimensions walked by a counter. The unit-stride loop carries ``#pragma omp simd``:
the compiler
vectorizes them, libm calls included (VECTOR_MATH: glibc's libmvec), without the
aliasing check it would otherwise add (an output is its destroyed input exactly or overlaps
no input: the thunk copies an input overlapping it in another layout). With
``config.openmp`` a third copy splits a contiguous call across threads when it has at least
``config.openmp_elemwise_minsize`` elements (Theano's flags; the compiler's -fopenmp is
detected, link/c/compiler.py); the pragma is in the source, so in the cache key.
"""
from pytheano._core.cthunk import ElemwiseCThunk
from pytheano.configparser import config

__all__ = ["ElemwiseC", "ENTRY_SIGNATURE", "EXPORT", "VECTOR_MATH"]

# The libm functions whose SIMD versions glibc's libmvec has (x86-64), by the glibc version
# that added them, and their arity. A vectorized loop calls them 4 to 16 elements at a
# time. glibc documents them within 4 ulp; tests/link/c/test_module.py measures every one
# against an exact reference, inf/nan/denormals and huge arguments included (at most 4 ulp
# on this machine; numpy's own SIMD loops: 3).
_LIBMVEC = (
    ((2, 22), 1, "exp log sin cos"),
    ((2, 22), 2, "pow"),
    ((2, 35), 1, "tan tanh exp2 expm1 log2 log10 log1p sinh cosh asin acos atan asinh acosh "
                 "atanh erf erfc cbrt"),
    ((2, 35), 2, "atan2 hypot"),
)


def _vector_math():
    # <features.h> (glibc's, a few lines) defines __GLIBC_PREREQ; the generated code
    # includes no other system header (link/c/module.py).
    lines = ["#if defined(__has_include)", "#if __has_include(<features.h>)",
             "#include <features.h>", "#endif", "#endif",
             "#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) "
             "&& defined(__GLIBC_PREREQ)",
             '#define PT_SIMD __attribute__((simd("notinbranch")))']
    for (major, minor), arity, names in _LIBMVEC:
        lines.append("#if __GLIBC_PREREQ(%d, %d)" % (major, minor))
        for name in names.split():
            for ctype, suffix in (("double", ""), ("float", "f")):
                lines.append("PT_SIMD %s %s%s(%s);" % (ctype, name, suffix,
                                                       ", ".join([ctype] * arity)))
        lines.append("#endif")
    lines.append("#endif")
    return "\n".join(lines) + "\n"


#: After the libm declarations: the SIMD declarations of libmvec's functions (gcc on
#: glibc, x86-64; other systems keep plain libm calls). The compile flags keep IEEE
#: semantics (-fno-math-errno only, no -ffast-math): glibc itself declares these only under
#: -ffast-math.
VECTOR_MATH = _vector_math()

ENTRY_SIGNATURE = "(int64_t nd, const int64_t *shape, char **data, const int64_t *strides)"
EXPORT = '__attribute__((visibility("default")))'


class ElemwiseC:
    """An elementwise node's C, for the linker.

    body: one C statement assigning ``r0``... from ``v0``...; support: C support code
    (static functions; identical pieces are emitted once per module). in_ctypes/out_ctypes:
    the operands' C types; in_dtypes/out_dtypes: their numpy dtypes. scalar_inputs: per input,
    whether its type is broadcastable in every dimension (one value for the whole loop).
    checks: [(input index, message)]: the loop sets bit j of its result when input j's
    value is 0 somewhere (the thunk raises ZeroDivisionError(message)). inplace: {output:
    input} whose buffer the output is written into. check_shapes(node, inputs): the op's
    shape check, called when the inputs' shapes do not agree (it raises the op's error).
    numpy_fast: whether one numpy ufunc call computes the node exactly (the VM's ufunc path
    is then already compiled code: the C gains little, see CVMLinker). zero_d: the node's
    operands are all 0-d (shape arithmetic, mostly), so one element is the whole call.
    """

    __slots__ = ("body", "support", "in_ctypes", "out_ctypes", "in_dtypes", "out_dtypes",
                 "scalar_inputs", "checks", "inplace", "check_shapes", "numpy_fast", "zero_d")

    def __init__(self, body, support, in_ctypes, out_ctypes, in_dtypes, out_dtypes,
                 scalar_inputs, checks=(), inplace=None, check_shapes=None, numpy_fast=False,
                 zero_d=False):
        self.body = body
        self.support = support
        self.in_ctypes = list(in_ctypes)
        self.out_ctypes = list(out_ctypes)
        self.in_dtypes = list(in_dtypes)
        self.out_dtypes = list(out_dtypes)
        self.scalar_inputs = [bool(s) for s in scalar_inputs]
        self.checks = list(checks)
        self.inplace = dict(inplace or {})
        self.check_shapes = check_shapes
        self.numpy_fast = bool(numpy_fast)
        self.zero_d = bool(zero_d)

    def make_thunk(self, node, input_cells, output_cells, address, perform):
        """The VM thunk calling this node's compiled entry point at ``address``."""
        destroys = [self.inplace.get(o, -1) for o in range(len(node.outputs))]
        return ElemwiseCThunk(node, input_cells, output_cells, address, self.in_dtypes,
                              self.out_dtypes, [v.type.broadcastable for v in node.inputs],
                              destroys, [message for _, message in self.checks], perform,
                              self.check_shapes)

    def function_source(self, name):
        """The C entry point ``name`` computing this node.

        The thunk always calls it with ``nd >= 1`` (a 0-d or one-element call arrives as
        one dimension of length 1), so the element statement appears twice: in the
        unit-stride loop, which vectorizes, and in the strided one (plus, with OpenMP, in
        the threaded contiguous loop). Each copy is compile time (a vectorized copy the
        most): emitting no other branch keeps a module's compile short."""
        nin, nout = len(self.in_ctypes), len(self.out_ctypes)
        ops = list(enumerate(self.in_ctypes + self.out_ctypes))
        nops = nin + nout
        scalar = [k < nin and self.scalar_inputs[k] for k in range(nops)]
        decl_out = " ".join("%s r%d;" % (t, k) for k, t in enumerate(self.out_ctypes))
        check = " ".join("err |= (int)(v%d == 0) << %d;" % (k, j)
                         for j, (k, _) in enumerate(self.checks))
        reduction = " reduction(|:err)" if self.checks else ""
        if self.zero_d:
            # One element and no loop: a tenth of a loop kernel's compile time (a graph's
            # shape arithmetic is many such nodes).
            lines = ["%s int %s%s {" % (EXPORT, name, ENTRY_SIGNATURE), "  int err = 0;"]
            lines += ["  const %s v%d = *(const %s *)data[%d];" % (t, k, t, k)
                      for k, t in enumerate(self.in_ctypes)]
            lines += ["  " + decl_out, "  " + self.body, "  " + check]
            lines += ["  *(%s *)data[%d] = r%d;" % (t, nin + k, k)
                      for k, t in enumerate(self.out_ctypes)]
            lines += ["  return err;", "}"]
            return "\n".join(lines) + "\n"

        def unit_loop(pragma, indent, n, base, prefix):
            """A vectorized loop over ``n`` elements, operand k starting at ``base % k``:
            scalar inputs read once, the others by unit-stride indexing."""
            out = []
            for k, t in ops:
                if scalar[k]:
                    out.append("const %s v%d = *(const %s *)%s;" % (t, k, t, base % k))
                else:
                    const = "const " if k < nin else ""
                    out.append("%s%s *%s%d = (%s%s *)%s;" % (const, t, prefix, k, const, t,
                                                          base % k))
            out.append(pragma)
            out.append("for (int64_t i = 0; i < %s; i++) {" % n)
            out += ["  const %s v%d = %s%d[i];" % (t, k, prefix, k) for k, t in ops
                    if k < nin and not scalar[k]]
            out += ["  " + decl_out, "  " + self.body, "  " + check]
            out += ["  %s%d[i] = r%d;" % (prefix, nin + k, k) for k in range(nout)]
            out.append("}")
            return [(indent + line) if not line.startswith("#") else line for line in out]

        lines = ["%s int %s%s {" % (EXPORT, name, ENTRY_SIGNATURE), "  int err = 0;"]
        if config.openmp:
            # The contiguous call split across threads (one dimension, every operand unit
            # stride or a scalar's 0): the general loop below does it on one thread.
            cond = " && ".join(["nd == 1"] + ["strides[%d] == (int64_t)sizeof(%s)" % (k, t)
                                              for k, t in ops if not scalar[k]])
            pragma = "#pragma omp parallel for simd if(n >= %d)%s" % (
                max(int(config.openmp_elemwise_minsize), 1), reduction)
            lines.append("  if (%s) {" % cond)
            lines.append("    const int64_t n = shape[0];")
            lines += unit_loop(pragma, "    ", "n", "data[%d]", "p")
            lines.append("    return err;")
            lines.append("  }")
        # Any strides: the innermost dimension in a loop, the outer ones by a counter.
        lines.append("  int64_t idx[64];")
        lines.append("  char *p[%d];" % nops)
        lines.append("  for (int64_t d = 0; d < nd; d++) idx[d] = 0;")
        lines.append("  for (int k = 0; k < %d; k++) p[k] = data[k];" % nops)
        lines.append("  const int64_t inner = shape[nd - 1];")
        for k in range(nops):
            lines.append("  const int64_t s%d = strides[%d * nd + nd - 1];" % (k, k))
        # The innermost dimension contiguous for every operand but the scalars (a
        # contiguous call; a matrix plus a broadcast row): unit-stride indexing, which the
        # compiler vectorizes (#pragma omp simd: no aliasing check, see the module doc).
        unit = " && ".join("s%d == (int64_t)sizeof(%s)" % (k, t) for k, t in ops
                           if not scalar[k])
        lines.append("  const int unit = %s;" % (unit or "1"))
        lines.append("  for (;;) {")
        lines.append("    if (unit) {")
        lines += unit_loop("#pragma omp simd" + reduction, "      ", "inner", "p[%d]", "q")
        lines.append("    } else {")
        lines.append("      for (int64_t i = 0; i < inner; i++) {")
        for k, t in enumerate(self.in_ctypes):
            lines.append("        const %s v%d = *(const %s *)(p[%d] + i * s%d);"
                         % (t, k, t, k, k))
        lines += ["        %s" % decl_out, "        %s" % self.body, "        %s" % check]
        lines += ["        *(%s *)(p[%d] + i * s%d) = r%d;" % (t, nin + k, nin + k, k)
                  for k, t in enumerate(self.out_ctypes)]
        lines.append("      }")
        lines.append("    }")
        lines.append("    int64_t d = nd - 2;")
        lines.append("    for (; d >= 0; d--) {")
        lines.append("      for (int k = 0; k < %d; k++) p[k] += strides[k * nd + d];" % nops)
        lines.append("      if (++idx[d] < shape[d]) break;")
        lines.append("      for (int k = 0; k < %d; k++) p[k] -= strides[k * nd + d] * "
                     "shape[d];" % nops)
        lines.append("      idx[d] = 0;")
        lines.append("    }")
        lines.append("    if (d < 0) break;")
        lines.append("  }")
        lines.append("  return err;")
        lines.append("}")
        return "\n".join(lines) + "\n"
