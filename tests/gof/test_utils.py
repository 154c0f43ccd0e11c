"""pytheano/gof/utils.py: Theano 1.0's gof.utils names (values recorded from Theano 1.0.5)."""
import pytheano.gof.utils as gof_utils
from pytheano.errors import MethodNotDefined
from pytheano.gof.utils import difference, flatten, hash_from_code, toposort, uniq


def test_method_not_defined_path():
    from pytheano.gof.utils import MethodNotDefined as M  # Theano's import path

    assert M is MethodNotDefined
    import pytheano.gof

    assert pytheano.gof.utils is gof_utils


def test_sequence_helpers_match_theano():
    # Recorded from Theano 1.0.5.
    assert flatten([1, (2, [3]), {4}]) == [1, 2, 3, 4]
    assert uniq([3, 1, 3, 2, 1]) == [3, 1, 2]
    assert difference([1, 2, 3, 4, 5], [2, 4]) == [1, 3, 5]
    assert toposort({1: set(), 2: {1}, 3: {2}}) == [1, 2, 3]
    assert hash_from_code("abc")[:12] == "mba7816bf8f0"


def test_null_type_path():
    import pytheano.gof.null_type as null_type
    from pytheano.graph.grad_types import NullType

    assert null_type.NullType is NullType
