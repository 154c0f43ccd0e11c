"""``as_op`` (an op from a numpy function), and the copy/view ops under their Theano path."""
from pytheano._core.graph import Apply
from pytheano.graph.grad_types import grad_not_implemented
from pytheano.graph.op import Op
from pytheano.graph.ops import DeepCopyOp, ViewOp, deep_copy_op, view_op  # noqa: F401


class FromFunctionOp(Op):
    """An op running a Python function on numpy values (built by ``as_op``)."""

    __props__ = ("fn", "itypes", "otypes", "infer_shape_fn")

    def __init__(self, fn, itypes, otypes, infer_shape):
        self.fn = fn
        self.itypes = tuple(itypes)
        self.otypes = tuple(otypes)
        self.infer_shape_fn = infer_shape
        if infer_shape is not None:
            self.infer_shape = self._infer_shape

    def __str__(self):
        return "FromFunctionOp{%s}" % getattr(self.fn, "__name__", self.fn)

    def make_node(self, *inputs):
        if len(inputs) != len(self.itypes):
            raise TypeError("%s expects %d inputs, got %d" % (self, len(self.itypes),
                                                               len(inputs)))
        inputs = [t.filter_variable(i) for t, i in zip(self.itypes, inputs)]
        return Apply(self, inputs, [t() for t in self.otypes])

    def perform(self, node, inputs, output_storage):
        outs = self.fn(*inputs)
        if not isinstance(outs, (list, tuple)):
            outs = (outs,)
        if len(outs) != len(self.otypes):
            raise ValueError("%s returned %d values, expected %d" % (self, len(outs),
                                                                     len(self.otypes)))
        for cell, t, value in zip(output_storage, self.otypes, outs):
            cell[0] = t.filter(value, allow_downcast=True)

    def _infer_shape(self, fgraph, node, input_shapes):
        return self.infer_shape_fn(node, input_shapes)

    def grad(self, inputs, output_grads):
        return [grad_not_implemented(self, k, x, "An op made with as_op has no gradient.")
                for k, x in enumerate(inputs)]


def as_op(itypes, otypes, infer_shape=None):
    """Decorator turning a numpy function into an op (Theano's ``theano.compile.ops.as_op``).

    itypes/otypes: the input and output types (e.g. ``[T.dmatrix]``); infer_shape: optional
    ``f(node, input_shapes) -> output shapes``. The op has no gradient.
    """
    if not isinstance(itypes, (list, tuple)):
        itypes = [itypes]
    if not isinstance(otypes, (list, tuple)):
        otypes = [otypes]
    # Types (T.dmatrix) as in Theano; a constructor function (T.matrix), which Theano refuses,
    # is accepted too: the type of what it builds.
    itypes = [t if hasattr(t, "filter") else t().type for t in itypes]
    otypes = [t if hasattr(t, "filter") else t().type for t in otypes]
    if infer_shape is not None and not callable(infer_shape):
        raise TypeError("infer_shape needs to be a callable")

    def make_op(fn):
        return FromFunctionOp(fn, itypes, otypes, infer_shape)

    return make_op
