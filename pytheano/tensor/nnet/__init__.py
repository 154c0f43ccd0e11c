"""Neural-network ops (Theano's ``theano.tensor.nnet``): sigmoid and softplus (``sigm``),
softmax, cross-entropies and rectifiers (``nnet``); convolutions (``abstract_conv``, the old
``conv``; ``corr``/``corr3d``, the CorrMM ops), batch normalisation (``bn``),
neighbourhoods (``neighbours``)."""
from pytheano.tensor.nnet import nnet, sigm
from pytheano.tensor.nnet.nnet import *  # noqa: F401,F403
from pytheano.tensor.nnet.sigm import *  # noqa: F401,F403
from pytheano.tensor.nnet import abstract_conv  # noqa: E402,F401
from pytheano.tensor.nnet.abstract_conv import nnet_conv2d as conv2d  # noqa: E402,F401
from pytheano.tensor.nnet.abstract_conv import conv2d_transpose  # noqa: E402,F401
from pytheano.tensor.nnet.abstract_conv import conv2d as abstract_conv2d  # noqa: E402,F401
from pytheano.tensor.nnet.abstract_conv import conv2d_grad_wrt_inputs  # noqa: E402,F401
from pytheano.tensor.nnet.abstract_conv import separable_conv2d  # noqa: E402,F401
from pytheano.tensor.nnet import bn  # noqa: E402,F401
from pytheano.tensor.nnet.bn import batch_normalization  # noqa: E402,F401
from pytheano.tensor.nnet import conv, neighbours  # noqa: E402,F401
from pytheano.tensor.nnet import blocksparse, corr, corr3d  # noqa: E402,F401

__all__ = list(nnet.__all__) + list(sigm.__all__) + [
    "conv2d", "conv2d_transpose", "abstract_conv2d", "conv2d_grad_wrt_inputs",
    "batch_normalization", "separable_conv2d"]
