"""Theano 1.0's ``theano.gof.type``: the Type protocol (pytheano.graph.type) with the op
parameter types (pytheano.graph.params_type) and CDataType (pytheano.graph.cop)."""
from pytheano.graph.cop import CDataType  # noqa: F401
from pytheano.graph.params_type import CEnumType, EnumList, EnumType  # noqa: F401
from pytheano.graph.type import *  # noqa: F401,F403
from pytheano.graph.type import Generic, SingletonType, Type, generic  # noqa: F401
