"""Composite: a graph of scalar ops used as one scalar op (what elemwise fusion builds).

``Composite(inputs, outputs)`` takes scalar variables and the scalar expressions of them to
compute; ``Elemwise(Composite(...))`` then runs the whole expression in one node. Its kernel
(CompositeKernel) composes the inner ops' kernels: numpy runs one call per inner node on
whole arrays (each result cast to the inner output's dtype, exactly as the unfused Elemwise
nodes would), and ``render_c`` emits one C block built from the inner ops' templates.

Theano 1.0.5's behaviour kept: it prints as ``Composite{(i0 + (i1 * i2))}``; a single output
that is itself a Composite is flattened into this one; ``make_node`` on inputs of other types
builds the Composite of those types; an input may not be an output (use ``identity``); no
gradient. Equality and hash come from the inner graph (``signature``), so equal expressions
are one op and merge.
"""
import zlib

import numpy as np

from pytheano._core.graph import Constant, io_toposort
from pytheano.graph.fg import FunctionGraph
from pytheano.graph.printing import _NamesFirst, pprint
from pytheano.scalar.kernel import C_TYPES, CCode, Kernel
from pytheano.scalar.op import ScalarOp
from pytheano.scalar.type import as_scalar, get_scalar_type

__all__ = ["Composite", "CompositeKernel", "renders_c"]

#: Bumped when the C that render_c composes changes shape.
COMPOSITE_C_VERSION = 1

#: Past this many nodes written out as a tree, str names the values read twice (t<k>).
PRINTED_TREE_LIMIT = 500


def _expanded_size(nodes, outputs):
    """How many nodes the outputs' expressions have written out as trees (no sharing)."""
    size = {}
    for node in nodes:
        n = 1 + sum(size.get(i, 1) for i in node.inputs)
        for o in node.outputs:
            size[o] = n
    return sum(size.get(o, 1) for o in outputs)


def _rebuild(inputs, outputs, new_inputs, flatten_output):
    """The graph from ``inputs`` to ``outputs`` rebuilt on ``new_inputs`` (each node remade
    by its op, so types follow the new inputs), with identical nodes made one. With
    ``flatten_output``, a single output computed by a Composite is replaced by that
    Composite's own graph (Theano flattens only that case)."""
    memo = dict(zip(inputs, new_inputs))
    seen = {}

    def remake(op, args):
        key = (op, tuple(id(a) for a in args))
        node = seen.get(key)
        if node is None:
            node = seen[key] = op.make_node(*args)
        return node

    for node in io_toposort(list(inputs), list(outputs)):
        args = []
        for i in node.inputs:
            if i in memo:
                args.append(memo[i])
            elif isinstance(i, Constant):
                args.append(i)
            else:
                raise ValueError("All orphans in the fgraph to Composite must be Constant "
                                 "instances; %s is a free variable. Pass it as an input." % i)
        new = remake(node.op, args)
        memo.update(zip(node.outputs, new.outputs))
    new_outputs = [o if isinstance(o, Constant) and o not in memo else memo[o]
                   for o in outputs]
    if flatten_output and len(outputs) == 1 and new_outputs[0].owner is not None and \
            isinstance(new_outputs[0].owner.op, Composite):
        inner = new_outputs[0].owner
        new_outputs = _rebuild(inner.op.inputs, inner.op.outputs, inner.inputs, False)
    return new_outputs


def _signature(inputs, outputs):
    """What makes two Composites compute the same: the input dtypes, each inner node's op
    and where its inputs come from, the constants' exact values, which values are output."""
    where = {v: ("i", k) for k, v in enumerate(inputs)}

    def ref(v):
        if v in where:
            return where[v]
        data = np.asarray(v.data)  # a constant
        return ("c", data.dtype.str, data.tobytes())

    nodes = []
    for n, node in enumerate(io_toposort(list(inputs), list(outputs))):
        nodes.append((node.op, tuple(ref(i) for i in node.inputs)))
        for k, o in enumerate(node.outputs):
            where[o] = ("n", n, k)
    return (tuple(i.type.dtype for i in inputs), tuple(nodes), tuple(ref(o) for o in outputs))


class Composite(ScalarOp):
    """A graph of scalar ops as one scalar op. ``Composite([x, y], [x + y * 2])``."""

    __props__ = ("signature",)
    init_param = ("inputs", "outputs")  # Theano 1.0's name of the constructor's arguments

    def __init__(self, inputs, outputs):
        inputs, outputs = list(inputs), list(outputs)
        for i in inputs:
            if any(i is o for o in outputs):
                # Theano 1.0 compat: refused (it asserted).
                raise ValueError("A Composite input may not also be an output; use "
                                 "scalar.identity(%s) as the output." % i)
        fresh = [i.type() for i in inputs]
        outputs = _rebuild(inputs, outputs, fresh, True)
        super().__init__()
        self.inputs = fresh
        self.outputs = outputs
        self._setup()

    def _setup(self):
        self.nin = len(self.inputs)
        self.nout = len(self.outputs)
        self.inputs_type = tuple(i.type for i in self.inputs)
        self.outputs_type = tuple(o.type for o in self.outputs)
        self.signature = _signature(self.inputs, self.outputs)
        self.nodes = io_toposort(self.inputs, self.outputs)
        self._kernel = CompositeKernel(self)
        self._fgraph = None
        self._name = None
        self._hash = None

    # The signature is a deep tuple: hash it once (merge and dict lookups ask often).
    def __eq__(self, other):
        return self is other or (type(other) is type(self)
                                 and self.signature == other.signature)

    def __hash__(self):
        h = self.__dict__.get("_hash")
        if h is None:
            h = self._hash = hash((type(self), self.signature))
        return h

    def __getstate__(self):
        state = dict(self.__dict__)
        for derived in ("_kernel", "_fgraph", "_name", "nodes", "signature", "_hash"):
            state.pop(derived, None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._setup()

    @property
    def kernel(self):
        return self._kernel

    @property
    def fgraph(self):
        """The inner graph as a FunctionGraph (Theano 1.0's attribute), built on first use."""
        if self._fgraph is None:
            self._fgraph = FunctionGraph(self.inputs, self.outputs, clone=False)
        return self._fgraph

    # ------------------------------------------------------------------ str

    def __str__(self):
        if self._name is None:
            self._name = "Composite{%s}" % ", ".join(self._printed_outputs())
        return self._name

    def _printed_outputs(self):
        # Theano 1.0's names: inputs i0, i1, ... (the inner variables are this op's own,
        # cloned in __init__, so naming them is safe); the outputs print as expressions.
        for k, v in enumerate(self.inputs):
            v.name = "i%d" % k
        if _expanded_size(self.nodes, self.outputs) <= PRINTED_TREE_LIMIT:
            return [pprint(o) for o in self.outputs]
        # A value read many times, many levels deep, would print exponentially long (Theano
        # 1.0 printed it so): each value read twice is defined once, as t<k>, and named.
        readers = {}
        for node in self.nodes:
            for i in node.inputs:
                readers[i] = readers.get(i, 0) + 1
        current = [None]
        printer = _NamesFirst(pprint, lambda r: r.name is not None and r is not current[0])
        texts = []
        for k, node in enumerate(self.nodes):
            for v in node.outputs:
                if readers.get(v, 0) > 1:
                    v.name = "t%d" % k
                    current[0] = v
                    texts.append("%s=%s" % (v.name, printer.process(v)))
        current[0] = None
        for o in self.outputs:
            current[0] = o
            texts.append(printer.process(o))
        return texts

    # ------------------------------------------------------------------ types

    def output_types(self, input_types):
        if tuple(input_types) != self.inputs_type:
            raise TypeError("Wrong types for Composite. Expected %s, got %s."
                            % (self.inputs_type, tuple(input_types)))
        return self.outputs_type

    def make_node(self, *inputs):
        if len(inputs) != self.nin:
            raise TypeError("Wrong number of inputs for %s.make_node (got %d, expected %d)"
                            % (self, len(inputs), self.nin))
        inputs = [as_scalar(i) for i in inputs]
        if tuple(i.type for i in inputs) == self.inputs_type:
            return super().make_node(*inputs)
        # Theano 1.0 compat: other input types give the Composite of those types.
        fresh = [i.type() for i in inputs]
        outputs = _rebuild(self.inputs, self.outputs, fresh, False)
        return Composite(fresh, outputs).make_node(*inputs)

    def impl(self, *inputs):
        """The outputs on numbers, as numbers (a tuple for several outputs)."""
        results = self._kernel.numpy(*inputs)
        if self.nout == 1:
            return np.asarray(results)[()]
        return tuple(np.asarray(r)[()] for r in results)

    def make_new_inplace(self, output_types_preference=None, name=None):
        # The output types are the inner graph's: the in-place Elemwise only checks that the
        # destroyed input has the output's dtype.
        return self

    def clone_float32(self):
        """This Composite with every float16 input, constant and cast computed in float32
        (Theano 1.0's helper for backends without float16 arithmetic)."""
        def f32(t):
            return get_scalar_type("float32") if t.dtype == "float16" else t

        fresh = [f32(i.type)() for i in self.inputs]
        memo = dict(zip(self.inputs, fresh))
        for node in self.nodes:
            args = []
            for i in node.inputs:
                if i in memo:
                    args.append(memo[i])
                else:
                    data = np.asarray(i.data)
                    if data.dtype == np.float16:
                        data = data.astype(np.float32)
                    t = get_scalar_type(data.dtype.name)
                    args.append(t.Constant(t, data[()]))
            op = node.op
            if getattr(op, "o_type", None) is not None and op.o_type.dtype == "float16":
                op = type(op)(get_scalar_type("float32"))  # a Cast to float16
            memo.update(zip(node.outputs, op.make_node(*args).outputs))
        return Composite(fresh, [memo[o] for o in self.outputs])

    # ------------------------------------------------------------------ gradient

    def grad(self, inputs, output_grads):
        # Theano 1.0 compat: fusion runs after the gradient is built, so none is needed.
        raise NotImplementedError("grad is not implemented for Composite")

    # ------------------------------------------------------------------ Theano's C API

    def c_code(self, node, nodename, inames, onames, sub):
        """The C statement computing the outputs ``onames`` from ``inames`` (Theano 1.0's
        signature; the kernel's render_c does the work)."""
        code = self._kernel.render_c(inames, onames, [i.type.dtype for i in node.inputs],
                                     [o.type.dtype for o in node.outputs])
        if code is None:
            raise NotImplementedError("%s has no C code for these dtypes" % self)
        return code.code

    def c_support_code(self):
        code = self._kernel.render_c(["i%d" % k for k in range(self.nin)],
                                     ["o%d" % k for k in range(self.nout)],
                                     [t.dtype for t in self.inputs_type],
                                     [t.dtype for t in self.outputs_type])
        return "" if code is None else code.support


class CompositeKernel(Kernel):
    """The kernel of a Composite, composed from its inner ops' kernels.

    ``numpy``: one call of each inner kernel's numpy implementation per inner node, on the
    whole arrays, each result cast to that inner output's dtype. No single ufunc computes
    the whole (``fast_ufunc`` is None): Elemwise calls ``numpy`` from its perform.
    ``render_c``: one C block: a local per inner value, each inner op's rendered statement,
    then the outputs assigned. None when an inner op has no C for its dtypes or needs a
    check the generated loop must do (integer division by zero: the check names an input
    of that inner node, which the block cannot hand on); numpy computes those.
    """

    __slots__ = ("op", "_steps", "_renders")

    def __init__(self, op):
        super().__init__(numpy=self._evaluate, reduce_ufunc=None, c=self._no_template,
                         has_grad=False, version=COMPOSITE_C_VERSION, name="Composite")
        self.op = op
        self._steps = None
        self._renders = None

    # ----------------------------------------------------------------------- numpy

    def _plan(self):
        """The evaluation plan over one list of values (inputs first): steps
        (numpy fn, argument slots, output slots, output dtypes, whether the step may write
        into a recycled buffer, the slots that die after it), the constant slots and the
        output slots."""
        op = self.op
        slot = {v: k for k, v in enumerate(op.inputs)}
        constants = []
        steps = []
        recyclable = set()
        for node in op.nodes:
            for i in node.inputs:
                if i not in slot:
                    slot[i] = len(slot)
                    constants.append((slot[i], np.asarray(i.data)))
            outs = []
            for o in node.outputs:
                slot[o] = len(slot)
                outs.append(slot[o])
            # The ufunc itself where it is exact for these dtypes (as the unfused node's fast
            # path calls it): no Python wrapper between two numpy calls.
            kernel = node.op.kernel
            in_dtypes = tuple(i.type.dtype for i in node.inputs)
            ufunc = kernel.fast_ufunc(in_dtypes)
            dtypes = [np.dtype(o.type.dtype) for o in node.outputs]
            # A ufunc whose own result has the output dtype may write into a dead
            # intermediate's buffer (``out=``): the same values, one allocation fewer.
            reuse = ufunc is not None and _result_dtype(ufunc, in_dtypes) == dtypes[0]
            if reuse:
                recyclable.add(outs[0])
            steps.append([ufunc or kernel.numpy, [slot[i] for i in node.inputs], outs,
                          dtypes, reuse, []])
        outputs = []
        for o in op.outputs:
            if o not in slot:  # a constant output
                slot[o] = len(slot)
                constants.append((slot[o], np.asarray(o.data)))
            outputs.append(slot[o])
        # Buffers only ufuncs made (fresh arrays, no alias) and that are not outputs die
        # after their last reader.
        last_reader = {}
        for n, step in enumerate(steps):
            for a in step[1]:
                last_reader[a] = n
        for k in recyclable - set(outputs):
            if k in last_reader:
                steps[last_reader[k]][5].append(k)
        self._steps = ([tuple(step) for step in steps], constants, outputs, len(slot))
        return self._steps

    def _evaluate(self, *inputs):
        steps, constants, outputs, size = self._steps or self._plan()
        values = list(inputs) + [None] * (size - len(inputs))
        for k, data in constants:
            values[k] = data
        free = {}  # (shape, dtype) -> dead buffers
        for fn, args, outs, dtypes, reuse, dying in steps:
            argv = [values[a] for a in args]
            buffers = free.get((np.broadcast_shapes(*[np.shape(a) for a in argv]),
                                dtypes[0])) if reuse and free else None
            if buffers:
                result = fn(*argv, out=buffers.pop())
            else:
                result = fn(*argv)
            if len(outs) == 1:
                result = (result,)
            for k, r, dtype in zip(outs, result, dtypes):
                if type(r) is not np.ndarray or r.dtype != dtype:
                    r = np.asarray(r, dtype=dtype)
                values[k] = r
            for k in dying:
                v = values[k]
                values[k] = None
                if type(v) is np.ndarray and v.size >= _RECYCLED_MIN_SIZE:
                    free.setdefault((v.shape, v.dtype), []).append(v)
        if len(outputs) == 1:
            return values[outputs[0]]
        return tuple(values[k] for k in outputs)

    def fast_ufunc(self, input_dtypes):
        return None

    # ----------------------------------------------------------------------- C

    @staticmethod
    def _no_template(in_dtypes, out_dtypes):
        return None  # render_c composes the inner templates itself

    @property
    def c_version(self):
        versions = [COMPOSITE_C_VERSION]
        for node in self.op.nodes:
            v = node.op.kernel.c_version
            if v is None:
                return None
            versions.append(v)
        # An int, as every kernel's: a stable digest of the inner versions.
        return zlib.crc32(repr(versions).encode()) & 0x7FFFFFFF

    def c_template(self, in_dtypes, out_dtypes):
        return None

    def renders_c(self):
        """Whether render_c gives C for the op's own dtypes: the inner nodes' answers, each
        asked once, without writing the C out (fusion asks it of every candidate, which
        grows by one node at a time: rendering each made fusion quadratic in the chain)."""
        if self._renders is None:
            op = self.op
            self._renders = all(renders_c(node.op, [i.type.dtype for i in node.inputs],
                                          [o.type.dtype for o in node.outputs])
                                for node in op.nodes) and \
                all(o.type.dtype in C_TYPES for o in op.outputs)
        return self._renders

    def render_c(self, input_names, output_names, in_dtypes, out_dtypes):
        op = self.op
        if tuple(in_dtypes) != tuple(t.dtype for t in op.inputs_type) or \
                tuple(out_dtypes) != tuple(t.dtype for t in op.outputs_type):
            return None
        # Locals named after the first output: unique in the caller's loop and in the
        # enclosing block of a Composite nested in another one.
        prefix = "pt_" + "".join(c if c.isalnum() else "_" for c in output_names[0]) + "_"
        names = dict(zip(op.inputs, input_names))
        decls, lines, supports = [], [], []
        for node in op.nodes:
            if any(v.type.dtype not in C_TYPES for v in node.inputs + node.outputs):
                return None
            for i in node.inputs:
                if i not in names:
                    names[i] = _c_literal(i)
            outs = []
            for o in node.outputs:
                names[o] = "%s%d" % (prefix, len(decls))
                decls.append("%s %s;" % (C_TYPES[o.type.dtype], names[o]))
                outs.append(names[o])
            code = node.op.kernel.render_c([names[i] for i in node.inputs], outs,
                                           [i.type.dtype for i in node.inputs],
                                           [o.type.dtype for o in node.outputs])
            if code is None or code.checks:
                return None
            if code.support and code.support not in supports:
                supports.append(code.support)
            lines.append(code.code)
        for o, name in zip(op.outputs, output_names):
            if o not in names:
                names[o] = _c_literal(o)
            lines.append("%s = %s;" % (name, names[o]))
        body = "\n  ".join(decls + lines)
        return CCode("\n".join(supports), "{\n  %s\n}" % body, ())


_renders_c_cache = {}


def renders_c(scalar_op, in_dtypes, out_dtypes):
    """Whether ``scalar_op`` has C for these dtypes that needs no check in the loop (what
    the fused loop needs: integer division by zero, say, is checked outside it). Cached by
    op and dtypes; a Composite answers from its inner nodes (CompositeKernel.renders_c)."""
    in_dtypes, out_dtypes = tuple(in_dtypes), tuple(out_dtypes)
    if any(d not in C_TYPES for d in in_dtypes + out_dtypes):
        return False
    if isinstance(scalar_op, Composite):
        return (in_dtypes == tuple(t.dtype for t in scalar_op.inputs_type)
                and out_dtypes == tuple(t.dtype for t in scalar_op.outputs_type)
                and scalar_op.kernel.renders_c())
    key = (scalar_op, in_dtypes, out_dtypes)
    found = _renders_c_cache.get(key)
    if found is None:
        code = scalar_op.kernel.render_c(["i%d" % k for k in range(len(in_dtypes))],
                                         ["o%d" % k for k in range(len(out_dtypes))],
                                         in_dtypes, out_dtypes)
        found = _renders_c_cache[key] = code is not None and not code.checks
    return found


# Smaller arrays cost less to allocate than to look a buffer up for.
_RECYCLED_MIN_SIZE = 4096


def _result_dtype(ufunc, in_dtypes):
    """The dtype ``ufunc`` computes for inputs of these dtypes."""
    with np.errstate(all="ignore"):
        return ufunc(*[np.ones(1, dtype=d) for d in in_dtypes]).dtype


def _c_literal(constant):
    """A scalar constant as a C expression of its C type."""
    data = np.asarray(constant.data)
    dtype = data.dtype.name
    if dtype not in C_TYPES:
        raise NotImplementedError("No C literal for a %s constant" % dtype)
    ctype = C_TYPES[dtype]
    value = data[()]
    if data.dtype.kind == "f":
        v = float(value)
        if np.isnan(v):
            text = "NAN"
        elif np.isinf(v):
            text = "INFINITY" if v > 0 else "(-INFINITY)"
        else:
            text = repr(v)  # the shortest text that reads back as exactly this double
    elif data.dtype.kind == "b":
        text = "1" if value else "0"
    elif data.dtype.kind == "u":
        text = "%dULL" % int(value)
    else:
        v = int(value)
        # The most negative int64 has no literal: -9223372036854775807 - 1.
        text = "(%dLL - 1)" % (v + 1) if v == np.iinfo(np.int64).min else "%dLL" % v
    return "((%s)%s)" % (ctype, text)

