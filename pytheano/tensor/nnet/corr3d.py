"""3-D correlation ops of ``theano.tensor.nnet.corr3d``: ``Corr3dMM`` and its gradients.

The same ops as ``corr`` (whose direction-generic classes they reuse) over three spatial
axes: images ``(batch, channels, rows, cols, depth)``, filters ``(out_channels,
channels // num_groups, rows, cols, depth)``. Theano 1.0.5 has no unshared 3-D correlation.
"""
from pytheano.tensor.nnet.abstract_conv import _is_int
from pytheano.tensor.nnet.corr import (
    _CorrBase, _Correlate, _CorrelateGradInputs, _CorrelateGradWeights)

__all__ = ["BaseCorr3dMM", "Corr3dMM", "Corr3dMM_gradWeights", "Corr3dMM_gradInputs"]


def _normalize_border_3d(border_mode):
    """Theano's Corr3dMM normal form: 'valid'/'full'/'half' or three ints."""
    if _is_int(border_mode):
        if border_mode < 0:
            raise ValueError("invalid border_mode {}, which must be a non-negative integer"
                             .format(border_mode))
        return (int(border_mode),) * 3
    if isinstance(border_mode, tuple):
        if len(border_mode) != 3 or not all(_is_int(m) and m >= 0 for m in border_mode):
            raise ValueError("invalid border_mode {}, which must be a tuple of three "
                             "non-negative integers".format(border_mode))
        return tuple(int(m) for m in border_mode)
    if border_mode not in ("valid", "full", "half"):
        raise ValueError('invalid border_mode {}, which must be either "valid", "full", '
                         '"half", an integer or a tuple of three integers'
                         .format(border_mode))
    return border_mode


class BaseCorr3dMM(_CorrBase):
    """The props of the 3-D correlation ops (Theano's argument order: ``openmp`` before
    ``num_groups``)."""

    convdim = 3
    __props__ = ("border_mode", "subsample", "filter_dilation", "num_groups")

    def __init__(self, border_mode="valid", subsample=(1, 1, 1), filter_dilation=(1, 1, 1),
                 openmp=None, num_groups=1):
        self.border_mode = _normalize_border_3d(border_mode)
        self.subsample, self.filter_dilation = self._check_common(subsample, filter_dilation,
                                                                  num_groups)
        self.num_groups = num_groups
        self.openmp = openmp

    @property
    def pad(self):
        """Theano's padding code: -1 for 'half', -2 for 'full', else the ints."""
        if self.border_mode == "half":
            return (-1, -1, -1)
        if self.border_mode == "full":
            return (-2, -2, -2)
        if isinstance(self.border_mode, tuple):
            return self.border_mode
        return (0, 0, 0)

    def __str__(self):
        return "%s{%s, %s, %s, %s}" % (type(self).__name__, self.border_mode, self.subsample,
                                       self.filter_dilation, self.num_groups)


class Corr3dMM(_Correlate, BaseCorr3dMM):
    """CPU 3-D cross-correlation of images with filters (``make_node(img, kern)``)."""


class Corr3dMM_gradWeights(_CorrelateGradWeights, BaseCorr3dMM):
    """The gradient of ``Corr3dMM`` with respect to its filters:
    ``make_node(img, topgrad, shape=None)``."""


class Corr3dMM_gradInputs(_CorrelateGradInputs, BaseCorr3dMM):
    """The gradient of ``Corr3dMM`` with respect to its images:
    ``make_node(kern, topgrad, shape=None)``."""


BaseCorr3dMM._family = (Corr3dMM, Corr3dMM_gradWeights, Corr3dMM_gradInputs)
