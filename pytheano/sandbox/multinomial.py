"""Draws from uniform samples (Theano's ``theano.sandbox.multinomial``):
MultinomialFromUniform turns uniforms into multinomial counts, ChoiceFromUniform into
category indices drawn without (or with) replacement. MRG_RandomStreams supplies the
uniforms in Theano; here the ops can be used on any uniform vector."""
import warnings

import numpy as np

from pytheano._core.graph import Apply
from pytheano.graph.op import Op
from pytheano.scalar.basic import as_scalar
from pytheano.tensor.basic import as_tensor_variable
from pytheano.tensor.type import TensorType

__all__ = ["MultinomialFromUniform", "ChoiceFromUniform", "MultinomialWOReplacementFromUniform"]


def _check_unis(unis, pvals, n_samples):
    if unis.shape[0] != pvals.shape[0] * n_samples:
        raise ValueError("unis.shape[0] != pvals.shape[0] * n_samples", unis.shape[0],
                         pvals.shape[0], n_samples)


class MultinomialFromUniform(Op):
    """Counts of shape ``pvals.shape``: for each of ``n`` draws and each row of ``pvals``,
    one uniform (``unis[draw * rows + row]``) picks the category where the row's cumulative
    sum passes it. odtype: the output dtype, 'auto' for pvals'."""

    __props__ = ("odtype",)

    def __init__(self, odtype):
        self.odtype = odtype

    def __str__(self):
        return "%s{%s}" % (type(self).__name__, self.odtype)

    def _inputs(self, pvals, unis, n):
        pvals = as_tensor_variable(pvals)
        unis = as_tensor_variable(unis)
        if pvals.ndim != 2:
            raise NotImplementedError("pvals ndim should be 2", pvals.ndim)
        if unis.ndim != 1:
            raise NotImplementedError("unis ndim should be 1", unis.ndim)
        return pvals, unis, as_scalar(n)

    def make_node(self, pvals, unis, n=1):
        pvals, unis, n = self._inputs(pvals, unis, n)
        odtype = pvals.dtype if self.odtype == "auto" else self.odtype
        return Apply(self, [pvals, unis, n], [TensorType(odtype, pvals.broadcastable)()])

    def perform(self, node, inputs, output_storage):
        pvals, unis, n_samples = inputs
        n_samples = int(n_samples)
        _check_unis(unis, pvals, n_samples)
        rows, n_cat = pvals.shape
        cumsum = pvals.cumsum(axis=1, dtype="float64")
        draws = unis.reshape(n_samples, rows)
        # The first category whose cumulative sum reaches the uniform (numpy searchsorted).
        picked = (cumsum[None, :, :] < draws[:, :, None]).sum(axis=2)
        out = np.zeros(pvals.shape, dtype=node.outputs[0].type.dtype)
        np.add.at(out, (np.broadcast_to(np.arange(rows), picked.shape),
                        np.minimum(picked, n_cat - 1)), 1)
        output_storage[0][0] = out

    def infer_shape(self, fgraph, node, input_shapes):
        return [input_shapes[0]]

    def grad(self, inputs, output_grads):
        # Theano 1.0 compat: a zero gradient (a draw is piecewise constant).
        pvals, unis, n = inputs
        return [pvals.zeros_like(), unis.zeros_like(), n.zeros_like().astype("float64")]


class ChoiceFromUniform(MultinomialFromUniform):
    """``n`` category indices per row of ``pvals``, shape ``(rows, n)``: each uniform picks a
    category as in MultinomialFromUniform; without replacement, the picked category's
    probability is then set to 0 and the row renormalised. odtype 'auto' is int64."""

    __props__ = ("odtype", "replace")

    def __init__(self, odtype, replace=False):
        super().__init__(odtype)
        self.replace = replace

    def __str__(self):
        return "%s{odtype=%r, replace=%s}" % (type(self).__name__, self.odtype, self.replace)

    def make_node(self, pvals, unis, n=1):
        pvals, unis, n = self._inputs(pvals, unis, n)
        odtype = "int64" if self.odtype == "auto" else self.odtype
        # (Theano gives pvals' pattern, wrong for the n columns of a one-column pvals.)
        bcast = (pvals.broadcastable[0], False)
        return Apply(self, [pvals, unis, n], [TensorType(odtype, bcast)()])

    def perform(self, node, inputs, output_storage):
        pvals, unis, n_samples = inputs
        n_samples = int(n_samples)
        if n_samples > pvals.shape[1]:
            raise ValueError("Cannot sample without replacement n samples bigger than the "
                             "size of the distribution.")
        _check_unis(unis, pvals, n_samples)
        pvals = np.array(pvals, dtype="float64")
        rows = np.arange(pvals.shape[0])
        out = np.full((pvals.shape[0], n_samples), -1, dtype=node.outputs[0].type.dtype)
        for c in range(n_samples):
            u = unis[c * len(rows):(c + 1) * len(rows)]
            # The first category whose cumulative sum exceeds the uniform; none (rounding at
            # the top) leaves -1, as in Theano.
            passed = pvals.cumsum(axis=1) > u[:, None]
            found = passed.any(axis=1)
            m = passed.argmax(axis=1)
            out[found, c] = m[found]
            if not self.replace:
                pvals[rows[found], m[found]] = 0.0
                pvals /= pvals.sum(axis=1, keepdims=True)
        output_storage[0][0] = out

    def infer_shape(self, fgraph, node, input_shapes):
        return [(input_shapes[0][0], as_tensor_variable(node.inputs[2]))]


class MultinomialWOReplacementFromUniform(ChoiceFromUniform):
    """Deprecated in Theano 1.0: ChoiceFromUniform."""

    def __init__(self, *args, **kwargs):
        warnings.warn("MultinomialWOReplacementFromUniform is deprecated, use "
                      "ChoiceFromUniform instead.", DeprecationWarning, stacklevel=2)
        super().__init__(*args, **kwargs)
