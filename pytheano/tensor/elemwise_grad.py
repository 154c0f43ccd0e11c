"""The gradient of Elemwise: the scalar op's gradient, lifted to tensors.

A scalar op writes its gradient with scalar ops on scalar variables (``gz * exp(x)``).
``elemwise_L_op`` asks it for that scalar graph on placeholder scalars, then rebuilds the
graph over the tensors (each scalar Apply becomes an Elemwise of the same scalar op, each
scalar constant a broadcastable tensor constant) and sums the gradient over the dimensions
an input was broadcast along. The result is an ordinary graph: printable and compilable.
"""
import numpy as np

from pytheano.configparser import config
from pytheano.scalar import basic as scal
from pytheano.graph.grad_types import DisconnectedType, NullType


def _placeholder_types():
    return (NullType, DisconnectedType)


def _scalar_of(var, passthrough):
    if isinstance(var.type, passthrough):
        return var
    return scal.get_scalar_type(var.type.dtype)()


def _grad_elemwise(scalar_op):
    """The Elemwise of a scalar op met in a gradient graph, printed as Theano prints it."""
    from pytheano.tensor.elemwise import Elemwise

    return Elemwise(scalar_op, name="Elemwise{%s}" % (scalar_op,))


def _zeros_like(x, dtype=None):
    """Zeros of x's shape: ``second(x, 0)`` (Theano's zeros_like)."""
    from pytheano.tensor.basic import constant

    dtype = x.type.dtype if dtype is None else dtype
    return _grad_elemwise(scal.second)(x, constant(0, dtype=dtype))


def _ones_like(x):
    from pytheano.tensor.basic import constant

    return _grad_elemwise(scal.second)(x, constant(1, dtype=x.type.dtype))


def _broadcast_grads(op, inputs, outputs, output_grads):
    """The gradients of ``op``'s outputs with respect to the inputs as broadcast to the
    output's shape (not yet summed back to the inputs' shapes)."""
    from pytheano.tensor.basic import constant
    from pytheano.tensor.elemwise import DimShuffle

    passthrough = _placeholder_types()
    scalar_inputs = [_scalar_of(i, passthrough) for i in inputs]
    scalar_ograds = [_scalar_of(g, passthrough) for g in output_grads]
    scalar_outputs = op.scalar_op.make_node(
        *[scal.get_scalar_type(i.type.dtype)() for i in inputs]).outputs
    scalar_igrads = op.scalar_op.L_op(scalar_inputs, scalar_outputs, scalar_ograds)
    if not isinstance(scalar_igrads, (list, tuple)):
        raise TypeError("%s.grad returned %s instead of list or tuple"
                        % (op.scalar_op, type(scalar_igrads)))
    if len(scalar_igrads) != len(inputs):
        raise ValueError("%s.grad returned %d gradients for %d inputs"
                         % (op.scalar_op, len(scalar_igrads), len(inputs)))

    nd = inputs[0].type.ndim if inputs else 0
    mapped = {}
    for scalars, tensors in ((scalar_inputs, inputs), (scalar_outputs, outputs),
                             (scalar_ograds, output_grads)):
        for s, t in zip(scalars, tensors):
            mapped.setdefault(s, t)

    def transform(r):
        # Iterative post-order walk: scalar gradient graphs can be deep (Composite).
        stack = [r]
        while stack:
            v = stack[-1]
            if v in mapped or isinstance(v.type, passthrough):
                stack.pop()
                continue
            if v.owner is None:
                res = constant(np.asarray(v.data), dtype=v.type.dtype)
                mapped[v] = DimShuffle((), ["x"] * nd)(res) if nd else res
                stack.pop()
                continue
            todo = [i for i in v.owner.inputs if i not in mapped
                    and not isinstance(i.type, passthrough)]
            if todo:
                stack.extend(todo)
                continue
            stack.pop()
            new_inputs = [i if isinstance(i.type, passthrough) else mapped[i]
                          for i in v.owner.inputs]
            new_outputs = _grad_elemwise(v.owner.op)(*new_inputs, return_list=True)
            for old, new in zip(v.owner.outputs, new_outputs):
                mapped[old] = new
        return r if isinstance(r.type, passthrough) else mapped[r]

    rval = []
    for g in scalar_igrads:
        if g is None:
            raise TypeError("%s.grad returned None for a gradient term; return zeros, "
                            "DisconnectedType()() or grad_undefined(...) instead."
                            % op.scalar_op)
        rval.append(transform(g))
    return rval


def elemwise_L_op(op, inputs, outputs, output_grads):
    """Reverse-mode gradient of the Elemwise ``op`` (its ``L_op``)."""
    from pytheano.tensor.basic import patternbroadcast

    passthrough = _placeholder_types()
    rval = _broadcast_grads(op, inputs, outputs, output_grads)

    if any(out.type.dtype not in scal.continuous_types for out in outputs):
        # An integer output is flat: the gradient is zero (an obvious zero, so that
        # pytheano.grad can verify it), unless undefined or disconnected.
        return [g if isinstance(g.type, passthrough)
                else _zeros_like(ipt, ipt.type.dtype if ipt.type.dtype in
                                 scal.continuous_types else config.floatX)
                for g, ipt in zip(rval, inputs)]

    out_bcast = outputs[0].type.broadcastable
    for i, ipt in enumerate(inputs):
        g = rval[i]
        if isinstance(g.type, passthrough):
            continue
        # The input was repeated along its broadcastable dimensions: sum over them.
        to_sum = [d for d, b in enumerate(ipt.type.broadcastable) if b and not out_bcast[d]]
        if to_sum:
            from pytheano.tensor.reduction import sum as sum_

            g = sum_(g, axis=to_sum, keepdims=True)
        if g.type.broadcastable != ipt.type.broadcastable:
            g = patternbroadcast(g, ipt.type.broadcastable)
        rval[i] = g
    return rval


def elemwise_R_op(op, inputs, eval_points):
    """Forward-mode derivative of the Elemwise ``op`` (its ``R_op``): for each output,
    the sum over inputs of d(output)/d(input) * eval_point."""
    passthrough = _placeholder_types()
    outs = op(*inputs, return_list=True)
    rval = []
    for idx, out in enumerate(outs):
        # The derivative of this output alone: a one gradient on it, zeros on the others.
        ograds = [_zeros_like(o) for o in outs]
        ograds[idx] = _ones_like(out)
        bgrads = _broadcast_grads(op, inputs, outs, ograds)
        rop_out = None
        varied = False
        for bgrad, eval_point in zip(bgrads, eval_points):
            if eval_point is None or isinstance(bgrad.type, passthrough):
                continue
            varied = True
            if _is_constant_zero(eval_point):
                # A constant input (the 2 of x ** 2) does not vary: skip its term, whose
                # derivative may be nan there (log of a negative base) and 0 * nan is nan.
                continue
            term = bgrad * eval_point
            rop_out = term if rop_out is None else rop_out + term
        if rop_out is None and varied:
            rop_out = _zeros_like(out)
        rval.append(rop_out)
    return rval


def _is_constant_zero(v):
    from pytheano.tensor.basic import NotScalarConstantError, get_scalar_constant_value

    try:
        return bool(np.all(get_scalar_constant_value(v) == 0))
    except NotScalarConstantError:
        return False
