"""Theano 1.0's import path ``theano.tensor.raw_random``: see pytheano.tensor.random."""
from pytheano.tensor.random import (RandomFunction, RandomStateType,  # noqa: F401
                                    RandomStreamsBase, binomial, choice, choice_helper,
                                    multinomial, multinomial_helper, normal, permutation,
                                    permutation_helper, poisson, random_integers,
                                    random_integers_helper, random_state_type, uniform,
                                    _infer_ndim_bcast)

__all__ = ["RandomFunction", "RandomStateType", "RandomStreamsBase", "binomial", "choice",
           "multinomial", "normal", "permutation", "poisson", "random_integers",
           "random_state_type", "uniform", "choice_helper", "multinomial_helper",
           "permutation_helper", "random_integers_helper", "_infer_ndim_bcast"]
