"""Theano 1.0's ``theano.gof`` names, for code that writes its own ops (``gof.Op``,
``gof.Apply``, ``from theano.gof import graph``). The implementations live in
``pytheano.graph``; this package only maps the old paths onto them."""
import sys

from pytheano.graph import basic as graph
from pytheano import errors
from pytheano.graph import destroyhandler, features, fg, grad_types, op  # noqa: F401
from pytheano.gof import type  # noqa: F401  (graph.type plus the op parameter types)
from pytheano.graph.basic import Apply, Constant, Variable, clone, io_toposort
from pytheano.errors import (  # noqa: F401
    CachedConstantError, InconsistencyError, MethodNotDefined, MissingInputError)
from pytheano.graph.features import Feature, History, ReplaceValidate, Validator
from pytheano.graph.fg import FunctionGraph
from pytheano.graph.op import Op
from pytheano.graph.type import Generic, Type, generic
from pytheano.graph.cop import CDataType, COp  # noqa: F401
from pytheano.graph.params_type import (  # noqa: F401
    CEnumType, EnumList, EnumType, Params, ParamsType)
from pytheano.graph.utils import MetaObject

# `import theano.gof.graph` style imports.
for _name, _module in (("graph", graph), ("fg", fg), ("op", op),
                       ("toolbox", features), ("null_type", grad_types),
                       ("destroyhandler", destroyhandler)):
    sys.modules[__name__ + "." + _name] = _module

from pytheano.gof import utils  # noqa: E402  (a real module: Theano's public helpers)

op.utils = utils  # Theano's gof.op module carried its utils import (gof/tests/test_op.py)

PureOp = Op

# Theano 1.0's linkers, mapped to those that exist (see pytheano.link.linkers).
from pytheano.graph.shared import Container  # noqa: E402
from pytheano.link.linkers import Linker, PerformLinker, VMLinker  # noqa: E402
from pytheano.gof import cc, link, vm  # noqa: E402,F401
from pytheano.gof.cc import CLinker, DualLinker, OpWiseCLinker  # noqa: E402,F401
from pytheano.gof.link import LocalLinker, WrapLinker, WrapLinkerMany  # noqa: E402,F401
from pytheano.gof import opt  # noqa: E402,F401
from pytheano.gof.opt import (  # noqa: E402,F401
    EquilibriumOptimizer, LocalOptGroup, LocalOptimizer, MergeOptimizer, Optimizer,
    TopoOptimizer, local_optimizer)
from pytheano.graph.rewriting import Query  # noqa: E402,F401
