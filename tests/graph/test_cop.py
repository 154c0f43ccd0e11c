"""COp's C files (pytheano/graph/cop.py): sections read as Theano reads them, errors, and the
op running its perform; CDataType's values."""
import datetime

import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.graph.basic import Apply
from pytheano.graph.cop import CDataType, COp


def _op_class(path):
    class Doubler(COp):
        __props__ = ()

        def __init__(self):
            COp.__init__(self, str(path), "APPLY_SPECIFIC(double_it)")

        def make_node(self, x):
            x = T.as_tensor_variable(x)
            return Apply(self, [x], [x.type()])

        def perform(self, node, inputs, output_storage):
            output_storage[0][0] = inputs[0] * 2

    return Doubler


def test_sections_and_perform(tmp_path):
    path = tmp_path / "double.c"
    path.write_text("#section support_code\nint a;\n#section support_code_apply\nint b;\n"
                    "#section support_code\nint c;\n")
    op = _op_class(path)()
    assert op.code_sections == {"support_code": "\nint a;\n\nint c;\n",
                                "support_code_apply": "\nint b;\n"}
    x = T.dvector()
    assert pytheano.function([x], op(x))(np.array([1.0, 2.5])).tolist() == [2.0, 5.0]
    old = tmp_path / "old.c"
    old.write_text("THEANO_SUPPORT_CODE_SECTION\nint a;\nTHEANO_APPLY_CODE_SECTION\nint b;\n")
    assert set(_op_class(old)().code_sections) == {"support_code", "support_code_apply"}


@pytest.mark.parametrize("text,message", [
    ("int stray;\n#section support_code\nint a;\n", "Stray code before first #section"),
    ("#section nonsense\nint a;\n", "Unknown section type"),
    ("int a;\n", "No valid section marker"),
    ("#section code\nint a;\nTHEANO_APPLY_CODE_SECTION\n", "Both the new and the old syntax"),
])
def test_bad_files(tmp_path, text, message):
    path = tmp_path / "bad.c"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        _op_class(path)()


def test_cdata_type():
    t = CDataType("void *", "py_decref")
    assert t == CDataType("void *", "py_decref") != CDataType("int *")
    assert hash(t) == hash(CDataType("void *", "py_decref")) and str(t) == "CDataType{void *}"
    assert t.filter(None) is None
    assert t.filter(datetime.datetime_CAPI) is datetime.datetime_CAPI
    with pytest.raises(TypeError, match="expected None or a PyCapsule"):
        t.filter(3)
