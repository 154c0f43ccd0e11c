"""Neighbourhoods (Theano's ``theano.tensor.nnet.neighbours``): Images2Neibs
(``images2neibs``) cuts the images of a 4-d tensor into patches, one flattened patch a row;
``neibs2images`` puts disjoint patches back."""
import numpy as np

from pytheano._core.graph import Apply, Constant
from pytheano.graph.op import Op
from pytheano.graph.grad_types import grad_not_implemented, grad_undefined
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.creation import zeros
from pytheano.tensor.join import concatenate, stack
from pytheano.tensor.math import ceil_intdiv
from pytheano.tensor.subtensor import set_subtensor
from pytheano.tensor.type import TensorType

__all__ = ["Images2Neibs", "images2neibs", "neibs2images"]

_MODES = ("valid", "half", "full", "wrap_centered", "ignore_borders")


def _grid(mode, size, patch, step):
    """The number of patches along one image axis, and the offset of the first one."""
    if mode == "wrap_centered":
        return -(-size // step), patch // 2
    if mode == "half":
        return 1 + (size - patch % 2) // step, patch // 2
    if mode == "full":
        return 1 + (size + patch - 2) // step, patch - 1
    return 1 + (size - patch) // step, 0


def _axis_index(mode, size, patch, step):
    """For one image axis: the source position of each (patch, offset in patch), clipped to
    the image, and whether it is inside the image (outside reads as zero)."""
    n, shift = _grid(mode, size, patch, step)
    pos = (np.arange(n) * step)[:, None] + np.arange(patch)[None, :] - shift
    if mode == "wrap_centered":
        pos %= size
    inside = (pos >= 0) & (pos < size)
    return np.clip(pos, 0, max(size - 1, 0)), inside


def _check(mode, shape, neib_shape, neib_step):
    """Theano 1.0.5's run-time checks, with its exception classes and messages."""
    c, d = (int(v) for v in neib_shape)
    step_x, step_y = (int(v) for v in neib_step)
    if step_x <= 0 or step_y <= 0:
        raise ValueError("neib_step wrong step ; values <= 0. Got " + str(neib_step))
    if c <= 0 or d <= 0:
        raise ValueError("neib_shape values <=0. Got " + str(neib_shape))
    height, width = shape[2], shape[3]
    if mode == "wrap_centered":
        if c % 2 != 1 or d % 2 != 1:
            raise TypeError("Images2Neibs: in mode wrap_centered need patch with odd shapes")
        if height < c or width < d:
            raise TypeError("Images2Neibs: in wrap_centered mode, don't support image shapes "
                            "smaller then the patch shapes: neib_shape=(%d,%d), "
                            "ten4[2:]=[%d,%d]" % (c, d, height, width))
    # The extent that must be a whole number of steps (valid with the mode's padding).
    extra = {"valid": lambda p: -p, "half": lambda p: -(p % 2), "full": lambda p: p - 2}
    if mode in extra:
        for k, (size, patch, step) in enumerate(((height, c, step_x), (width, d, step_y))):
            if size < patch or (size + extra[mode](patch)) % step != 0:
                raise TypeError("neib_shape[%d]=%d, neib_step[%d]=%d and ten4.shape[%d]=%d "
                                "not consistent" % (k, patch, k, step, k + 2, size))
    return c, d, step_x, step_y


class Images2Neibs(Op):
    """Patches of ``neib_shape`` taken every ``neib_step`` from each image of a 4-d tensor
    (batch, channel, row, col), one flattened patch a row, patches in row-major order.

    mode: 'valid' (the patches must tile the image), 'ignore_borders' (what is left over is
    dropped), 'half' / 'full' ('valid' on the image zero-padded by neib_shape // 2 /
    neib_shape - 1), 'wrap_centered' (patches centred on the grid, wrapping around).
    """

    __props__ = ("mode",)

    def __init__(self, mode="valid"):
        if mode not in _MODES:
            raise NotImplementedError("Only modes %s have been implemented for %s"
                                      % (", ".join(sorted(_MODES)), type(self).__name__))
        self.mode = mode

    def __str__(self):
        return "%s{%s}" % (type(self).__name__, self.mode)

    def make_node(self, ten4, neib_shape, neib_step=None):
        ten4 = as_tensor_variable(ten4)
        neib_shape = as_tensor_variable(neib_shape)
        neib_step = neib_shape if neib_step is None else as_tensor_variable(neib_step)
        if ten4.ndim != 4:
            raise TypeError("images2neibs: ten4 must be a 4-d tensor, got %s" % ten4.type)
        for name, v in (("neib_shape", neib_shape), ("neib_step", neib_step)):
            if v.ndim != 1:
                raise TypeError("images2neibs: %s must be a vector of 2 integers, got %s"
                                % (name, v.type))
        return Apply(self, [ten4, neib_shape, neib_step],
                     [TensorType(ten4.type.dtype, (False, False))()])

    def perform(self, node, inputs, output_storage):
        ten4, neib_shape, neib_step = inputs
        c, d, step_x, step_y = _check(self.mode, ten4.shape, neib_shape, neib_step)
        rows, rows_in = _axis_index(self.mode, ten4.shape[2], c, step_x)
        cols, cols_in = _axis_index(self.mode, ten4.shape[3], d, step_y)
        # (batch, channel, patch row, row in patch, patch col, col in patch)
        patches = ten4[:, :, rows[:, :, None, None], cols[None, None, :, :]]
        inside = rows_in[:, :, None, None] & cols_in[None, None, :, :]
        patches = np.where(inside, patches, ten4.dtype.type(0))
        output_storage[0][0] = np.ascontiguousarray(
            patches.transpose(0, 1, 2, 4, 3, 5)).reshape(-1, c * d)

    def infer_shape(self, fgraph, node, input_shapes):
        in_shape = input_shapes[0]
        c, d = node.inputs[1][0], node.inputs[1][1]
        step_x, step_y = node.inputs[2][0], node.inputs[2][1]
        if self.mode == "wrap_centered":
            grid_c = ceil_intdiv(in_shape[2], step_x)
            grid_d = ceil_intdiv(in_shape[3], step_y)
        else:
            grid_c = _grid(self.mode, in_shape[2], c, step_x)[0]
            grid_d = _grid(self.mode, in_shape[3], d, step_y)[0]
        return [(grid_c * grid_d * in_shape[1] * in_shape[0], c * d)]

    def grad(self, inputs, output_grads):
        x, neib_shape, neib_step = inputs
        undefined = [grad_undefined(self, 1, neib_shape), grad_undefined(self, 2, neib_step)]
        disjoint = neib_step is neib_shape or (
            isinstance(neib_shape, Constant) and isinstance(neib_step, Constant)
            and np.array_equal(neib_shape.data, neib_step.data))
        # Theano 1.0 compat: a gradient for 'valid' (any step) and for disjoint
        # 'ignore_borders' only; the other modes have none (Theano's tests expect that).
        if self.mode == "valid" or (self.mode == "ignore_borders" and disjoint):
            gx = _Neibs2ImageAdd(self.mode)(x, output_grads[0], neib_shape, neib_step)
            return [gx] + undefined
        return [grad_not_implemented(self, 0, x)] + undefined


class _Neibs2ImageAdd(Op):
    """The gradient of Images2Neibs: each patch row of ``gz`` added back where it was taken
    from, in a zero tensor shaped like ``x``."""

    __props__ = ("mode",)

    def __init__(self, mode):
        self.mode = mode

    def make_node(self, x, gz, neib_shape, neib_step):
        x, gz = as_tensor_variable(x), as_tensor_variable(gz)
        return Apply(self, [x, gz, neib_shape, neib_step],
                     [TensorType(gz.type.dtype, x.type.broadcastable)()])

    def perform(self, node, inputs, output_storage):
        x, gz, neib_shape, neib_step = inputs
        c, d, step_x, step_y = _check(self.mode, x.shape, neib_shape, neib_step)
        rows, rows_in = _axis_index(self.mode, x.shape[2], c, step_x)
        cols, cols_in = _axis_index(self.mode, x.shape[3], d, step_y)
        grid = x.shape[:2] + (rows.shape[0], cols.shape[0], c, d)
        g = gz.reshape(grid).transpose(0, 1, 2, 4, 3, 5)
        inside = rows_in[:, :, None, None] & cols_in[None, None, :, :]
        out = np.zeros(x.shape, dtype=node.outputs[0].type.dtype)
        # add.at: overlapping patches (a step below the patch size) all contribute.
        np.add.at(out, (slice(None), slice(None), rows[:, :, None, None],
                        cols[None, None, :, :]), np.where(inside, g, 0))
        output_storage[0][0] = out

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0]]

    def grad(self, inputs, output_grads):
        x, gz, neib_shape, neib_step = inputs
        return [x.zeros_like(), Images2Neibs(self.mode)(output_grads[0], neib_shape, neib_step),
                grad_undefined(self, 2, neib_shape), grad_undefined(self, 3, neib_step)]


def images2neibs(ten4, neib_shape, neib_step=None, mode="valid"):
    """The ``neib_shape`` patches of the images of ``ten4`` (batch, channel, row, col), taken
    every ``neib_step`` (default: ``neib_shape``, disjoint patches), one flattened patch a row:
    ``images2neibs(np.arange(16.).reshape(1, 1, 4, 4), (2, 2))`` is 4 x 4."""
    return Images2Neibs(mode)(ten4, neib_shape, neib_step)


def neibs2images(neibs, neib_shape, original_shape, mode="valid"):
    """The inverse of ``images2neibs`` for disjoint patches (the default ``neib_step``): a
    4-d tensor of ``original_shape`` ('ignore_borders' fills the dropped borders with
    zeros)."""
    neibs = as_tensor_variable(neibs)
    neib_shape = as_tensor_variable(neib_shape)
    original_shape = as_tensor_variable(original_shape)
    # The patch rows of one image row, side by side, are one row of the image.
    new_neib_shape = stack([original_shape[-1] // neib_shape[1], neib_shape[1]])
    output_2d = images2neibs(neibs.dimshuffle("x", "x", 0, 1), new_neib_shape, mode=mode)
    if mode == "ignore_borders":
        valid_shape = original_shape
        for k in (2, 3):
            valid_shape = set_subtensor(valid_shape[k], (valid_shape[k] // neib_shape[k - 2])
                                        * neib_shape[k - 2])
        output_4d = output_2d.reshape(valid_shape, ndim=4)
        for k in (2, 3):
            pad_shape = list(output_4d.shape)
            pad_shape[k] = original_shape[k] - valid_shape[k]
            output_4d = concatenate([output_4d, zeros(pad_shape, dtype=output_4d.dtype)],
                                    axis=k)
    elif mode == "valid":
        output_4d = output_2d.reshape(original_shape, ndim=4)
    else:
        raise NotImplementedError("neibs2images do not support mode=%s" % mode)
    return output_4d
