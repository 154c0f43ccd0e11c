"""The symbolic graph: Variables, Constants and the Apply nodes that connect them.

Everything above this module (tensor ops, gradients, rewrites, the linker) builds, walks and
clones these objects, so they are Cython classes with typed fields. Python subclasses
(TensorVariable, SharedVariable, ...) add the user-facing methods.
"""
import os
import sys
from copy import copy

from pytheano import hooks

_PKG_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class Scratchpad:
    """A bag of attributes attached to a node (Theano's ``tag``), e.g. ``test_value``."""

    def __update__(self, other):
        getattr(self, "__dict__").update(getattr(other, "__dict__"))
        return self

    def __str__(self):
        return "scratchpad" + str(getattr(self, "__dict__"))

    __repr__ = __str__

    def info(self):
        print("<theano.gof.utils.scratchpad instance at %i>" % id(self))
        for k, v in getattr(self, "__dict__").items():
            print("  %s: %s" % (k, v))


cpdef object user_location():
    """(filename, lineno, function) of the innermost caller outside the pytheano package.

    Captured when a node is built so that run-time errors can point at the user's line. It is a
    frame walk of a few steps, far cheaper than the full stack Theano 1.0 stored per variable.
    """
    # A cpdef function has no frame of its own: frame 0 is our caller.
    f = sys._getframe(0)
    while f is not None:
        code = f.f_code
        filename = code.co_filename
        if not filename.startswith(_PKG_DIR):
            return (filename, f.f_lineno, code.co_name)
        f = f.f_back
    return None


cdef class Node:
    """Base of Variable and Apply."""

    def get_parents(self):
        raise NotImplementedError()


cdef class Variable(Node):
    """A symbolic value: the output of an Apply node (``owner``) or a graph input (no owner)."""

    def __init__(self, type, owner=None, index=None, name=None):
        self.type = type
        self.owner = owner
        self.index = index
        self.name = name
        self.creation_site = None
        self._tag = None

    @property
    def tag(self):
        if self._tag is None:
            self._tag = Scratchpad()
        return self._tag

    @tag.setter
    def tag(self, value):
        self._tag = value

    @property
    def auto_name(self):
        return "auto_%d" % id(self)

    def __str__(self):
        if self.name is not None:
            return self.name
        if self.owner is not None:
            op = self.owner.op
            if self.index == getattr(op, "default_output", None):
                return str(op) + ".out"
            return str(op) + "." + str(self.index)
        return "<%s>" % str(self.type)

    def __repr__(self):
        return str(self)

    def get_parents(self):
        if self.owner is not None:
            return [self.owner]
        return []

    def clone(self):
        """A new Variable with the same type, name and tag, and no owner."""
        cdef Variable cp = type(self)(self.type, None, None, self.name)
        cp.creation_site = self.creation_site
        if self._tag is not None:
            cp._tag = copy(self._tag)
        return cp

    def eval(self, inputs_to_values=None):
        """Compile (once per set of inputs, then cached) and run a function computing self."""
        return hooks.eval_variable(self, inputs_to_values)

    # The state is set after the object exists (__setstate__), so that the cycle variable ->
    # owner -> outputs -> variable survives copy.deepcopy as well as pickle.
    def __reduce__(self):
        state = dict(getattr(self, "__dict__"))
        state.pop("_fn_cache", None)
        return (_new_object, (type(self),), (self.type, self.owner, self.index, self.name,
                                             self.creation_site, _kept_tag(self._tag), state))

    def __setstate__(self, st):
        self.type, self.owner, self.index, self.name, self.creation_site, self._tag, d = st
        getattr(self, "__dict__").update(d)


def _new_object(cls):
    return cls.__new__(cls)


cdef object _kept_tag(object tag):
    """A tag as pickled: an empty Scratchpad is None (``.tag`` makes one on first read), so a
    graph pickles to the same bytes whether or not something read a tag (the rewrite
    cache's key is those bytes)."""
    if type(tag) is Scratchpad and not tag.__dict__:
        return None
    return tag


cdef class Constant(Variable):
    """A graph leaf with a fixed value; its ``data`` is filtered by its type."""

    def __init__(self, type, data, name=None):
        Variable.__init__(self, type, None, None, name)
        self.data = type.filter(data)

    def signature(self):
        return (self.type, self.data)

    def equals(self, other):
        return isinstance(other, Constant) and self.signature() == other.signature()

    @property
    def value(self):
        return self.data

    def __str__(self):
        if self.name is not None:
            return self.name
        name = str(self.data)
        if len(name) > 20:
            name = name[:10] + "..." + name[-10:]
        return "Constant{%s}" % name

    def clone(self):
        cdef Constant cp = type(self)(self.type, self.data, self.name)
        cp.creation_site = self.creation_site
        if self._tag is not None:
            cp._tag = copy(self._tag)
        return cp

    def get_parents(self):
        return []

    def __reduce__(self):
        # The creation site travels too: a function unpickled, or a graph loaded from the
        # rewrite cache, still names the user's line of a constant (a folded one).
        return (_rebuild_constant, (type(self), self.type, self.data, self.name,
                                    _kept_tag(self._tag), dict(getattr(self, "__dict__")),
                                    self.creation_site))


def _rebuild_constant(cls, type, data, name, tag, state, creation_site=None):
    cdef Constant c = cls.__new__(cls)
    c.type = type
    c.data = data
    c.name = name
    c._tag = tag
    c.creation_site = creation_site
    getattr(c, "__dict__").update(state)
    return c


cdef class Apply(Node):
    """One application of an Op to input Variables, producing output Variables."""

    def __init__(self, op, inputs, outputs):
        cdef Variable out
        cdef Py_ssize_t i
        self.op = op
        self.inputs = list(inputs)
        for inp in self.inputs:
            if not isinstance(inp, Variable):
                raise TypeError("The 'inputs' argument to Apply must contain Variable "
                                "instances, not %r" % (inp,))
        self.outputs = list(outputs)
        for i in range(len(self.outputs)):
            obj = self.outputs[i]
            if not isinstance(obj, Variable):
                raise TypeError("The 'outputs' argument to Apply must contain Variable "
                                "instances with no owner, not %r" % (obj,))
            out = <Variable>obj
            if out.owner is None:
                out.owner = self
                out.index = i
            elif out.owner is not self or out.index != i:
                raise ValueError("All output variables passed to Apply must belong to it.")
        self._tag = None

    @property
    def tag(self):
        if self._tag is None:
            self._tag = Scratchpad()
        return self._tag

    @tag.setter
    def tag(self, value):
        self._tag = value

    @property
    def nin(self):
        return len(self.inputs)

    @property
    def nout(self):
        return len(self.outputs)

    @property
    def params_type(self):
        return self.op.params_type

    def run_params(self):
        get_params = getattr(self.op, "get_params", None)
        if get_params is None:
            return None
        return get_params(self)

    def default_output(self):
        """The output returned when the op is called: ``op.default_output``, or the only one.
        A bad default_output raises AttributeError, Theano's class."""
        do = getattr(self.op, "default_output", None)
        if do is None:
            if len(self.outputs) == 1:
                return self.outputs[0]
            raise AttributeError("%s.default_output should be an output index." % self.op)
        if not isinstance(do, int):
            raise AttributeError("%s.default_output should be an int or long" % self.op)
        if do < 0 or do >= len(self.outputs):
            raise AttributeError("%s.default_output is out of range." % self.op)
        return self.outputs[do]

    @property
    def out(self):
        return self.default_output()

    def __str__(self):
        return op_as_string(self.inputs, self)

    def __repr__(self):
        return str(self)

    def get_parents(self):
        return list(self.inputs)

    def clone(self):
        """A copy of this node with the same inputs and cloned outputs."""
        cdef Apply cp = Apply(self.op, self.inputs, [out.clone() for out in self.outputs])
        if self._tag is not None:
            cp._tag = copy(self._tag)
        return cp

    def clone_with_new_inputs(self, inputs, strict=True):
        """A copy of this node reading ``inputs``.

        With strict=True each new input is converted to the old input's type (TypeError if it
        cannot be); with strict=False the op's make_node is called again when types differ.
        """
        cdef list new_inputs = list(inputs)
        cdef bint remake_node = False
        if len(new_inputs) != len(self.inputs):
            raise ValueError("clone_with_new_inputs: expected %d inputs, got %d"
                             % (len(self.inputs), len(new_inputs)))
        for i, (curr, new) in enumerate(zip(self.inputs, new_inputs)):
            if not (curr.type == new.type):
                if strict:
                    new_inputs[i] = curr.type.filter_variable(new)
                else:
                    remake_node = True
        cdef Apply new_node
        if remake_node:
            new_node = self.op.make_node(*new_inputs)
            if self._tag is not None:
                new_node._tag = copy(self._tag).__update__(new_node.tag)
        else:
            new_node = self.clone()
            new_node.inputs = new_inputs
        return new_node

    def __reduce__(self):
        return (_new_object, (type(self),), (self.op, self.inputs, self.outputs,
                                        _kept_tag(self._tag), dict(getattr(self, "__dict__"))))

    def __setstate__(self, st):
        self.op, self.inputs, self.outputs, self._tag, d = st
        getattr(self, "__dict__").update(d)


def op_as_string(inputs, node):
    """``Op(input, input)`` as Theano prints an Apply node."""
    return "%s(%s)" % (node.op, ", ".join([str(i) for i in inputs]))


# --------------------------------------------------------------------------- graph walks

cpdef list io_toposort(inputs, outputs, orderings=None):
    """The Apply nodes between ``inputs`` and ``outputs``, each after the nodes it reads.

    ``orderings`` maps a node to nodes that must run before it (the destroy handler's
    constraints). The order is a depth-first post-order taken from the outputs, first
    output first and last input first, as Theano 1.0's, so printed graphs number their
    nodes the way Theano does.
    """
    cdef set computed = set(inputs)
    cdef set done = set()
    cdef set expanded = set()
    cdef list todo = []
    cdef list order = []
    cdef Apply cur
    cdef Variable v
    cdef bint ready
    cdef bint has_orderings = bool(orderings)
    for o in reversed(outputs):
        v = <Variable?>o
        if v.owner is not None:
            todo.append(v.owner)
    while todo:
        cur = <Apply>todo.pop()
        if cur in done:
            continue
        ready = True
        for inp in cur.inputs:
            v = <Variable>inp
            if v.owner is not None and v not in computed:
                ready = False
                break
        if ready and has_orderings:
            for before in orderings.get(cur, ()):
                if before not in done:
                    ready = False
                    break
        if ready:
            done.add(cur)
            computed.update(cur.outputs)
            order.append(cur)
            continue
        # Everything pushed after cur's first expansion has been handled by now, so a node
        # that is still not ready on its second visit depends on itself.
        if cur in expanded:
            raise ValueError("The graph contains a cycle through %s" % (cur,))
        expanded.add(cur)
        todo.append(cur)
        for inp in cur.inputs:
            v = <Variable>inp
            if v.owner is not None and v not in computed:
                todo.append(v.owner)
        if has_orderings:
            for before in orderings.get(cur, ()):
                if before not in done:
                    todo.append(before)
    return order


def ancestors(variables, blockers=None):
    """Every Variable that ``variables`` depend on (stopping at ``blockers``), outputs first."""
    cdef set seen = set()
    cdef set blocked = set(blockers) if blockers is not None else set()
    cdef list stack = list(variables)[::-1]
    cdef list result = []
    cdef Variable v
    while stack:
        v = <Variable?>stack.pop()
        if v in seen:
            continue
        seen.add(v)
        result.append(v)
        if v.owner is not None and v not in blocked:
            stack.extend(reversed((<Apply>v.owner).inputs))
    return result


def graph_inputs(variables, blockers=None):
    """The Variables without owner (or in ``blockers``) that ``variables`` depend on."""
    blocked = set(blockers) if blockers is not None else set()
    return [v for v in ancestors(variables, blocked)
            if (<Variable>v).owner is None or v in blocked]


def variables_between(inputs, outputs):
    """Every Variable on a path from ``inputs`` to ``outputs`` (inputs and outputs included)."""
    result = list(inputs)
    seen = set(inputs)
    for node in io_toposort(inputs, outputs):
        for v in node.inputs:
            if v not in seen:
                seen.add(v)
                result.append(v)
        for v in node.outputs:
            if v not in seen:
                seen.add(v)
                result.append(v)
    for v in outputs:
        if v not in seen:
            seen.add(v)
            result.append(v)
    return result


def orphans_between(inputs, outputs):
    """Variables without owner that the outputs need but that are not among ``inputs``."""
    ins = set(inputs)
    return [v for v in variables_between(inputs, outputs)
            if (<Variable>v).owner is None and v not in ins]


def as_string(i, o, leaf_formatter=str, node_formatter=op_as_string):
    """The outputs ``o`` written as nested expressions over the inputs ``i``.

    A node used more than once is written once, tagged ``*1 -> ...``, then referred to as
    ``*1``, as Theano prints FunctionGraphs.
    """
    i = list(i)
    orph = orphans_between(i, o)
    # A node is "multi" when it computes two outputs of o or feeds two node inputs.
    multi, seen = set(), set()
    for out in o:
        node = out.owner
        if node in seen:
            multi.add(node)
        seen.add(node)
    leaves = set(i) | set(orph)
    for node in io_toposort(i, o):
        for inp in node.inputs:
            if inp.owner is None or inp in leaves:
                continue
            if inp.owner in seen:
                multi.add(inp.owner)
            seen.add(inp.owner)
    multi_names = {}
    strings = {}

    def describe(r):
        if r.owner is not None and r not in i and r not in orph:
            op = r.owner
            idx = op.outputs.index(r)
            if len(op.outputs) == 1:
                idxs = ""
            else:
                idxs = "::%i" % idx
            if op in strings:
                return strings[op] + idxs
            s = node_formatter([describe(inp) for inp in op.inputs], op)
            if op in multi:
                name = "*%i" % (len(multi_names) + 1)
                multi_names[op] = name
                strings[op] = name
                return "%s -> %s" % (name, s) + idxs
            strings[op] = s
            return s + idxs
        return leaf_formatter(r)

    return [describe(out) for out in o]


cpdef dict clone_get_equiv(inputs, outputs, bint copy_inputs=True, bint copy_orphans=True,
                           dict memo=None):
    """A map from every node and variable between ``inputs`` and ``outputs`` to its clone."""
    cdef Variable cpy
    cdef Apply node, new_node
    if memo is None:
        memo = {}
    for inp in inputs:
        if inp in memo:
            continue
        if copy_inputs:
            cpy = inp.clone()
            cpy.owner = None
            cpy.index = None
            memo[inp] = cpy
        else:
            memo[inp] = inp
    for node in io_toposort(inputs, outputs):
        for inp in node.inputs:
            if inp not in memo:
                memo[inp] = inp.clone() if copy_orphans else inp
        if node in memo:
            continue
        new_node = node.clone_with_new_inputs([memo[i] for i in node.inputs])
        memo[node] = new_node
        for out, new_out in zip(node.outputs, new_node.outputs):
            memo.setdefault(out, new_out)
    for out in outputs:
        if out not in memo:
            memo[out] = out.clone()
    return memo


def clone(inputs, outputs, copy_inputs=True, copy_orphans=None):
    """Copies of ``inputs`` and ``outputs`` with the whole graph between them cloned."""
    if copy_orphans is None:
        copy_orphans = copy_inputs
    equiv = clone_get_equiv(inputs, outputs, copy_inputs, copy_orphans)
    return [equiv[i] for i in inputs], [equiv[o] for o in outputs]


def is_in_ancestors(Apply l_node, Apply f_node):
    """True if ``f_node`` is an ancestor of ``l_node`` (or the same node)."""
    cdef list stack = [l_node]
    cdef set seen = set()
    cdef Apply cur
    while stack:
        cur = <Apply>stack.pop()
        if cur is f_node:
            return True
        if cur in seen:
            continue
        seen.add(cur)
        for inp in cur.inputs:
            if (<Variable>inp).owner is not None:
                stack.append((<Variable>inp).owner)
    return False
