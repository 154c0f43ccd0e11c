"""The C of a reduction: fold a binary combine over some axes of one input, any strides.

The op (CAReduce) hands over what it knows: the input's rank, the reduced axes, the dtypes
(input, accumulator, output), the combine statement (``r = a (op) v``, from the scalar op's
kernel) and the accumulator's start value. The C walks the input once in its own order (C
order of its dimensions, whatever the strides), folding each element into the accumulator
of its output position; the accumulators live in the output itself when the output has the
accumulator's C type, else in a temporary buffer cast into the output at the end. Where the
innermost dimension is reduced, its fold runs in a register.

A reduction with no identity (max, min) over an empty axis returns 1: the thunk runs the
op's perform, which raises the op's error.
"""
from pytheano.link.c.array import ArrayC

__all__ = ["reduce_c"]

# Of <stdlib.h>, only these (the header costs the compiler ~10 ms per module to parse).
STDLIB = "void *malloc(size_t);\nvoid free(void *);\n"


def reduce_c(ndim, axes, in_dtype, acc_dtype, out_dtype, ctypes, combine, init,
             needs_nonempty, support=""):
    """The ArrayC of the reduction over ``axes`` (sorted ints) of a rank-``ndim`` input.

    ctypes: {dtype: C type}. combine: a C statement assigning ``r`` from ``a`` (the
    accumulator) and ``v`` (the element, converted to the accumulator's type), both of the
    accumulator's C type. init: the accumulator's start value (a C expression).
    needs_nonempty: whether an empty reduced axis is an error (no identity).
    """
    axes = sorted(axes)
    kept = [d for d in range(ndim) if d not in axes]
    t_in, t_acc, t_out = ctypes[in_dtype], ctypes[acc_dtype], ctypes[out_dtype]
    separate = t_acc != t_out
    lines = []
    # The accumulators: in the output (its strides) or in a C-contiguous buffer.
    lines.append("  int64_t nout = 1;")
    for d in kept:
        lines.append("  nout *= x_n%d;" % d)
    if axes and needs_nonempty:
        empty = " || ".join("x_n%d == 0" % d for d in axes)
        lines.append("  if (%s) return 1;" % empty)
    if separate:
        lines.append("  %s *acc = (%s *)malloc((nout > 0 ? nout : 1) * sizeof(%s));"
                     % (t_acc, t_acc, t_acc))
        lines.append("  if (acc == NULL) return 1;")
        stride = "1"
        for j, d in reversed(list(enumerate(kept))):
            lines.append("  const int64_t a_s%d = %s;" % (j, stride))
            stride = "%s * x_n%d" % (stride, d) if stride != "1" else "x_n%d" % d
    else:
        lines.append("  %s *const acc = out;" % t_acc)
        for j in range(len(kept)):
            lines.append("  const int64_t a_s%d = out_s%d;" % (j, j))
    # Start every accumulator (contiguous buffer: one loop; the output: C-contiguous as
    # the thunk allocates it, but walked by its strides all the same).
    lines += _nest(["out_n%d" % j if not separate else "x_n%d" % d
                    for j, d in enumerate(kept)],
                   ["a_s%d" % j for j in range(len(kept))], "acc[o%d] = %s;" % (len(kept),
                                                                                 init), "o")
    # The fold, in the input's dimension order.
    lines.append("  if (nout > 0) {")
    body = []
    indent = "    "
    xoff, aoff = "0", "0"
    for d in range(ndim - 1):
        body.append("%sfor (int64_t i%d = 0; i%d < x_n%d; i%d++) {" % (indent, d, d, d, d))
        indent += "  "
        xoff_d = "xo%d" % d
        body.append("%sconst int64_t %s = %s + i%d * x_s%d;" % (indent, xoff_d, xoff, d, d))
        xoff = xoff_d
        if d in kept:
            aoff_d = "ao%d" % d
            body.append("%sconst int64_t %s = %s + i%d * a_s%d;" % (indent, aoff_d, aoff, d,
                                                                   kept.index(d)))
            aoff = aoff_d
    if ndim == 0:
        body.append("%s{ const %s a = acc[0]; const %s v = (%s)x[0]; %s r; %s acc[0] = r; }"
                    % (indent, t_acc, t_acc, t_acc, t_acc, combine))
    else:
        last = ndim - 1
        if last in kept:
            # Every element folds into its own accumulator: with unit strides the loop is
            # vectorized (#pragma omp simd: the output never overlaps the input), else a
            # plain strided loop.
            sa = "a_s%d" % kept.index(last)
            body.append("%sif (x_s%d == 1 && %s == 1) {" % (indent, last, sa))
            body.append("#pragma omp simd")
            for unit in (True, False):
                i_x, i_a = ("i", "i") if unit else ("i * x_s%d" % last, "i * %s" % sa)
                body.append("%s  for (int64_t i = 0; i < x_n%d; i++) {" % (indent, last))
                body.append("%s    const %s a = acc[%s + %s]; const %s v = (%s)x[%s + %s];"
                            % (indent, t_acc, aoff, i_a, t_acc, t_acc, xoff, i_x))
                body.append("%s    %s r; %s acc[%s + %s] = r;" % (indent, t_acc, combine,
                                                                  aoff, i_a))
                body.append("%s  }" % indent)
                if unit:
                    body.append("%s} else {" % indent)
            body.append("%s}" % indent)
        else:
            body.append("%s%s a = acc[%s];" % (indent, t_acc, aoff))
            body.append("%sconst %s *const xp = x + %s;" % (indent, t_in, xoff))
            body.append("%sfor (int64_t i = 0; i < x_n%d; i++) {" % (indent, last))
            body.append("%s  const %s v = (%s)xp[i * x_s%d]; %s r; %s a = r;"
                        % (indent, t_acc, t_acc, last, t_acc, combine))
            body.append("%s}" % indent)
            body.append("%sacc[%s] = a;" % (indent, aoff))
    for _ in range(ndim - 1):
        indent = indent[:-2]
        body.append("%s}" % indent)
    lines += body
    lines.append("  }")
    if separate:
        lines += _nest(["out_n%d" % j for j in range(len(kept))],
                       ["out_s%d" % j for j in range(len(kept))],
                       None, "o", ["a_s%d" % j for j in range(len(kept))],
                       "out[o%d] = (%s)acc[p%d];" % (len(kept), t_out, len(kept)))
        lines.append("  free(acc);")
    lines.append("  return 0;")
    names = ["x", "out"]
    return ArrayC("\n".join(lines) + "\n", names, [t_in, t_out], [in_dtype], [out_dtype],
                  [ndim, len(kept)], [[(0, d) for d in kept]],
                  support=[STDLIB] + ([support] if support else []))


def _nest(shape, strides, stmt, var, strides2=None, stmt2=None):
    """Nested loops over ``shape`` keeping the offset ``<var>k`` (by ``strides``) and, with
    ``strides2``, ``p<k>``; the innermost statement sees ``<var><n>`` (and ``p<n>``)."""
    n = len(shape)
    lines = ["  {", "    const int64_t %s0 = 0;" % var]
    if strides2 is not None:
        lines.append("    const int64_t p0 = 0;")
    indent = "    "
    for k in range(n):
        lines.append("%sfor (int64_t j%d = 0; j%d < %s; j%d++) {" % (indent, k, k, shape[k], k))
        indent += "  "
        lines.append("%sconst int64_t %s%d = %s%d + j%d * %s;" % (indent, var, k + 1, var, k,
                                                                k, strides[k]))
        if strides2 is not None:
            lines.append("%sconst int64_t p%d = p%d + j%d * %s;" % (indent, k + 1, k, k,
                                                                  strides2[k]))
    lines.append("%s%s" % (indent, stmt2 if stmt is None else stmt))
    for _ in range(n):
        indent = indent[:-2]
        lines.append("%s}" % indent)
    lines.append("  }")
    return lines
