"""The graph layer: variables, apply nodes, types, ops, function graphs, features."""
from pytheano.graph.basic import Apply, Constant, Variable, clone, graph_inputs, io_toposort
from pytheano.errors import InconsistencyError, MethodNotDefined, MissingInputError
from pytheano.graph.fg import FunctionGraph
from pytheano.graph.op import Op
from pytheano.graph.type import Generic, Type, generic
