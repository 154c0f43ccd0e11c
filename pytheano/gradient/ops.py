"""The gradient-shaping ops: identities on the forward pass that change what ``grad``
sees (``consider_constant``, ``zero_grad``, ``undefined_grad``, ``disconnected_grad``,
``grad_clip``, ``grad_scale``)."""
import warnings

from pytheano._core.graph import Variable
from pytheano.graph.grad_types import disconnected_type, grad_undefined
from pytheano.graph.ops import ViewOp
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.math import clip

__all__ = ["consider_constant", "zero_grad", "undefined_grad", "disconnected_grad",
           "grad_clip", "grad_scale", "ConsiderConstant", "ZeroGrad", "DisconnectedGrad",
           "UndefinedGrad", "GradClip", "GradScale"]


class ConsiderConstant(ViewOp):
    """Identity forward; zero gradient (deprecated: use zero_grad or disconnected_grad)."""

    def grad(self, args, g_outs):
        return [g_out.zeros_like() for g_out in g_outs]


consider_constant_ = ConsiderConstant()


def consider_constant(x):
    """DEPRECATED: use zero_grad() or disconnected_grad() instead.

    ``x`` unchanged, but gradients are not backpropagated through it (they are 0)."""
    warnings.warn("consider_constant() is deprecated, use zero_grad() or disconnected_grad() "
                  "instead.", stacklevel=3)
    return consider_constant_(_as_variable(x))


class ZeroGrad(ViewOp):
    """Identity forward; the gradient through it is zeros."""

    def grad(self, args, g_outs):
        return [g_out.zeros_like() for g_out in g_outs]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        # Theano 1.0 compat: the forward-mode derivative through zero_grad is zero too.
        return [eval_points[0].zeros_like()]


zero_grad_ = ZeroGrad()


def zero_grad(x):
    """``x`` unchanged, but the gradient backpropagated through it is 0 (the graph above
    is still walked; see disconnected_grad to cut it)."""
    return zero_grad_(_as_variable(x))


class UndefinedGrad(ViewOp):
    """Identity forward; asking for the gradient through it is an error."""

    def grad(self, args, g_outs):
        return [grad_undefined(self, i, arg) for i, arg in enumerate(args)]

    def R_op(self, inputs, eval_points):
        return [None]

    def connection_pattern(self, node):
        return [[True]]


undefined_grad_ = UndefinedGrad()


def undefined_grad(x):
    """``x`` unchanged, but its gradient is undefined (grad raises NullTypeGradError)."""
    return undefined_grad_(_as_variable(x))


class DisconnectedGrad(ViewOp):
    """Identity forward; the graph above it is disconnected from the gradient."""

    def grad(self, args, g_outs):
        return [disconnected_type() for _ in g_outs]

    def R_op(self, inputs, eval_points):
        return [None]

    def connection_pattern(self, node):
        return [[False]]


disconnected_grad_ = DisconnectedGrad()


def disconnected_grad(x):
    """``x`` unchanged, but gradients do not flow through it: the variables above it count
    as disconnected (faster than zero_grad, which still walks them)."""
    return disconnected_grad_(_as_variable(x))


class GradClip(ViewOp):
    """Identity forward; the gradient through it is clipped to [lower, upper]."""

    __props__ = ("clip_lower_bound", "clip_upper_bound")

    def __init__(self, clip_lower_bound, clip_upper_bound):
        if not clip_upper_bound >= clip_lower_bound:
            raise ValueError("grad_clip: the upper bound (%s) must be >= the lower bound (%s)"
                             % (clip_upper_bound, clip_lower_bound))
        self.clip_lower_bound = clip_lower_bound
        self.clip_upper_bound = clip_upper_bound

    def __str__(self):
        return "GradClip"

    def grad(self, args, g_outs):
        return [clip(g_out, self.clip_lower_bound, self.clip_upper_bound) for g_out in g_outs]


def grad_clip(x, lower_bound, upper_bound):
    """``x`` unchanged, with its gradient clipped elementwise to [lower_bound, upper_bound].

    >>> z = T.grad(grad_clip(x, -1, 1) ** 2, x)   # 2x clipped to [-1, 1]
    """
    return GradClip(lower_bound, upper_bound)(_as_variable(x))


class GradScale(ViewOp):
    """Identity forward; the gradient through it is multiplied by ``multiplier``."""

    __props__ = ("multiplier",)

    def __init__(self, multiplier):
        self.multiplier = multiplier

    def __str__(self):
        return "GradScale"

    def grad(self, args, g_outs):
        return [self.multiplier * g_out for g_out in g_outs]


def grad_scale(x, multiplier):
    """``x`` unchanged, with its gradient multiplied by ``multiplier`` (e.g. -1 to reverse
    it)."""
    return GradScale(multiplier)(_as_variable(x))


def _as_variable(x):
    if isinstance(x, Variable):
        return x

    return as_tensor_variable(x)
