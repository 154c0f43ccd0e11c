"""Theano 1.0's ``theano.tensor.utils``: hashing arrays by content, and the numeric shape of
every variable of a graph for given input shapes."""
import hashlib

import numpy as np

from pytheano import hooks
from pytheano.graph.op import infer_shape as op_infer_shape
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.shape import shape_i_op

__all__ = ["hash_from_code", "hash_from_ndarray", "shape_of_variables"]


def hash_from_code(msg):
    """Theano's hash of a string, bytes or C-contiguous array: 'm' + its sha256 hex digest."""
    if isinstance(msg, str):
        msg = msg.encode()
    return "m" + hashlib.sha256(msg).hexdigest()


def hash_from_ndarray(data):
    """A hash of an array's values, shape and dtype (Theano's: a view and its copy hash
    alike; the strides hashed are those of the C-contiguous layout)."""
    if not data.flags["C_CONTIGUOUS"]:
        data = np.ascontiguousarray(data)
    # the buffer alone cannot tell (1, 0) from (2, 0), nor uint32 zeros from int32 ones
    return hash_from_code(hash_from_code(data) + hash_from_code(str(data.shape))
                          + hash_from_code(str(data.strides)) + hash_from_code(str(data.dtype)))


def _symbolic_shapes(fgraph):
    """{variable: tuple of symbolic dims} for the inputs and every node output (each op's
    infer_shape, or the output's own shape where the op has none)."""
    shape_of = {v: tuple(shape_i_op(d)(v) for d in range(v.type.ndim))
                for v in fgraph.inputs if hasattr(v.type, "ndim")}
    for node in fgraph.toposort():
        in_shapes = []
        for v in node.inputs:
            if v not in shape_of and hasattr(v.type, "ndim"):
                shape_of[v] = tuple(v.shape[d] for d in range(v.type.ndim))  # a constant
            in_shapes.append(shape_of.get(v))
        try:
            out_shapes = op_infer_shape(fgraph, node, in_shapes)
        except (AttributeError, NotImplementedError):
            out_shapes = [None] * len(node.outputs)
        for out, shape in zip(node.outputs, out_shapes):
            if not hasattr(out.type, "ndim"):
                continue
            if shape is None:
                shape = [out.shape[d] for d in range(out.type.ndim)]
            shape_of[out] = tuple(as_tensor_variable(d) for d in shape)
    return shape_of


def shape_of_variables(fgraph, input_shapes):
    """{variable: its shape as a tuple of 0-d int arrays} for the inputs and every node
    output of ``fgraph``, given ``input_shapes`` ({input: shape tuple}, every input)."""
    if any(v not in fgraph.inputs for v in input_shapes):
        raise ValueError("input_shapes keys aren't in the fgraph.inputs. FunctionGraph() "
                         "interface changed. Now by default, it clones the graph it receives."
                         " To have the old behavior, give it this new parameter "
                         "`clone=False`.")
    missing = [v for v in fgraph.inputs if hasattr(v.type, "ndim") and v not in input_shapes]
    if missing:
        raise ValueError("shape_of_variables: input_shapes gives no shape for the inputs %s"
                         % (missing,))
    shape_of = _symbolic_shapes(fgraph)
    inputs = [v for v in fgraph.inputs if v in shape_of]
    input_dims = [d for v in inputs for d in shape_of[v]]
    output_dims = [d for shape in shape_of.values() for d in shape]
    compute = hooks.compile_function(input_dims, output_dims, on_unused_input="ignore")
    values = iter(compute(*[d for v in inputs for d in input_shapes[v]]))
    return {v: tuple(next(values) for _ in shape) for v, shape in shape_of.items()}
