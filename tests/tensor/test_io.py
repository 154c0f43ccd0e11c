"""pytheano.tensor.io: load from .npy files, and the MPI ops' graphs, ordering keys and
their behaviour without mpi4py."""
import numpy as np
import pytest

import pytheano
import pytheano.tensor as T
from pytheano.gof.sched import sort_schedule_fn
from pytheano.graph.basic import Variable
from pytheano.graph.type import Generic
from pytheano.link.linkers import VMLinker
from pytheano.compile.mode import Mode
from pytheano.tensor.io import (MPIRecv, MPIRecvWait, MPISend, MPISendWait, load, mpi_cmps,
                                mpi_enabled, mpi_send_wait_cmp, mpi_tag_cmp, recv, send)


@pytest.fixture
def npy(tmp_path):
    data = np.arange(5, dtype=np.int32)
    path = str(tmp_path / "data.npy")
    np.save(path, data)
    return path, data


def test_load(npy):
    path, data = npy
    p = Variable(Generic())
    f = pytheano.function([p], load(p, "int32", (False,)) * 2)
    np.testing.assert_array_equal(f(path), data * 2)
    # copy-on-write map: an in-place node of the graph must not write into the file
    g = pytheano.function([p], (load(p, "int32", (False,), "c") ** 2).sum())
    assert g(path) == (data ** 2).sum() == g(path)
    np.testing.assert_array_equal(np.load(path), data)
    m = pytheano.function([p], load(p, "int32", (False,), mmap_mode="c"))
    assert isinstance(m(path), np.memmap)
    assert str(load(path, "int32", (False,)).owner.op) == \
        "Load{dtype: int32, broadcastable: (False,), mmep: None}"


def test_load_errors(npy):
    path, _ = npy
    p = Variable(Generic())
    for mode in ("r+", "r", "w+", "toto"):
        with pytest.raises(ValueError, match="mmap_mode"):
            load(p, "int32", (False,), mode)
    with pytest.raises(TypeError, match="Expected an array of type float64"):
        pytheano.function([p], load(p, "float64", (False,)))(path)
    with pytest.raises(TypeError, match="Expected an array of 2 dimensions"):
        pytheano.function([p], load(p, "int32", (False, False)))(path)


def test_mpi_graphs():
    x = recv((10, 10), "float64", 0, 11)
    assert x.dtype == "float64" and x.broadcastable == (False, False)
    node = x.owner.inputs[0].owner
    assert isinstance(node.op, MPIRecv) and (node.op.source, node.op.tag) == (0, 11)
    assert isinstance(x.owner.op, MPIRecvWait)
    m = T.matrix("m")
    y = send(m, 1, 12)
    assert isinstance(y.owner.op, MPISendWait)
    sendnode = y.owner.inputs[0].owner
    assert isinstance(sendnode.op, MPISend) and (sendnode.op.dest, sendnode.op.tag) == (1, 12)
    add = (m + m).owner
    assert mpi_send_wait_cmp(sendnode, add) < 0 < mpi_send_wait_cmp(y.owner, add)
    assert mpi_tag_cmp(sendnode, x.owner) > 0


def test_mpi_schedule_orders_sends_first_and_waits_last():
    m = T.matrix("m")
    y = send(m, 1, 11)
    z = m + m
    order = sort_schedule_fn(*mpi_cmps)(pytheano.FunctionGraph([m], [y, z], clone=False))
    assert [type(n.op) for n in order] == [MPISend, type(z.owner.op), MPISendWait]


@pytest.mark.skipif(mpi_enabled, reason="mpi4py is installed")
def test_mpi_ops_compile_and_say_what_is_missing_without_mpi4py():
    f = pytheano.function([], [recv((5, 5), "float32", 0, 11) + 1],
                          mode=Mode(linker=VMLinker(schedule=sort_schedule_fn(*mpi_cmps))))
    with pytest.raises(RuntimeError, match="needs mpi4py"):
        f()
