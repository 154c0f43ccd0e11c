"""Theano 1.0's ``theano.tensor.io``: an op loading an array from an .npy file, and the MPI
send/receive ops (through mpi4py, when it is installed) with the node-ordering keys that
start transfers early and wait on them late.

Without mpi4py (``mpi_enabled`` False) the MPI ops still build graphs and compile, as in
Theano; running one raises a RuntimeError that says to install mpi4py.
"""
import numpy as np

from pytheano._core.graph import Apply, Constant
from pytheano.graph.op import Op
from pytheano.graph.type import generic
from pytheano.graph.utils import key_to_cmp
from pytheano.tensor.basic import as_tensor_variable, tensor

try:
    from mpi4py import MPI
except ImportError:
    MPI = None
mpi_enabled = MPI is not None

__all__ = ["LoadFromDisk", "load", "MPIRecv", "MPIRecvWait", "MPISend", "MPISendWait",
           "isend", "send", "irecv", "recv", "mpi_send_wait_key", "mpi_tag_key",
           "mpi_send_wait_cmp", "mpi_tag_cmp", "mpi_keys", "mpi_cmps", "mpi_enabled"]


class LoadFromDisk(Op):
    """Load an array of ``dtype`` from the .npy file at the (Generic) path input. Not
    differentiable."""

    __props__ = ("dtype", "broadcastable", "mmap_mode")

    def __init__(self, dtype, broadcastable, mmap_mode=None):
        self.dtype = np.dtype(dtype)
        self.broadcastable = tuple(broadcastable)
        # 'r', 'r+' and 'w+' would let an in-place node of the graph write into the file
        if mmap_mode not in (None, "c"):
            raise ValueError("The only supported values for mmap_mode are None and 'c', got "
                             "%s" % (mmap_mode,))
        self.mmap_mode = mmap_mode

    def make_node(self, path):
        if isinstance(path, str):
            path = Constant(generic, path)
        return Apply(self, [path], [tensor(self.dtype, broadcastable=self.broadcastable)])

    def perform(self, node, inputs, output_storage):
        path, = inputs
        if str(path).endswith(".npz"):
            raise ValueError("Expected a .npy file, got %s instead" % (path,))
        result = np.load(path, mmap_mode=self.mmap_mode)
        if result.dtype != self.dtype:
            raise TypeError("Expected an array of type %s, got %s instead"
                            % (self.dtype, result.dtype))
        if result.ndim != len(self.broadcastable):
            raise TypeError("Expected an array of %d dimensions, got %d (file %s)"
                            % (len(self.broadcastable), result.ndim, path))
        output_storage[0][0] = result

    def __str__(self):
        # Theano 1.0 compat: its spelling, 'mmep'
        return "Load{dtype: %s, broadcastable: %s, mmep: %s}" % (
            self.dtype, self.broadcastable, self.mmap_mode)


def load(path, dtype, broadcastable, mmap_mode=None):
    """The array stored in the .npy file ``path`` (a string or a Generic variable), of
    ``dtype`` and ``broadcastable`` pattern; ``mmap_mode='c'`` maps it copy-on-write."""
    return LoadFromDisk(dtype, broadcastable, mmap_mode)(path)


def _request(var):
    if var.type != generic:
        raise TypeError("the first input must be the request (a Generic variable) an "
                        "MPIRecv/MPISend node outputs, got %s" % (var.type,))
    return var


def _comm(op):
    if MPI is None:
        raise RuntimeError("%s needs mpi4py, which is not installed (pip install mpi4py, "
                           "and run the program under mpiexec)" % (op,))
    return MPI.COMM_WORLD


class MPIRecv(Op):
    """Start receiving an array of ``shape`` and ``dtype`` from rank ``source`` (message
    ``tag``): outputs the request and the buffer being filled (wait with MPIRecvWait)."""

    __props__ = ("source", "tag", "shape", "dtype")

    def __init__(self, source, tag, shape, dtype):
        self.source = source
        self.tag = tag
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self.broadcastable = (False,) * len(self.shape)

    def make_node(self):
        return Apply(self, [], [generic(), tensor(self.dtype,
                                                  broadcastable=self.broadcastable)])

    def perform(self, node, inputs, output_storage):
        data = np.zeros(self.shape, dtype=self.dtype)
        output_storage[0][0] = _comm(self).Irecv(data, self.source, self.tag)
        output_storage[1][0] = data

    def infer_shape(self, fgraph, node, shapes):
        return [None, self.shape]

    def do_constant_folding(self, fgraph, node):
        return False

    def __str__(self):
        return "MPIRecv{source: %d, tag: %d, shape: %s, dtype: %s}" % (
            self.source, self.tag, self.shape, self.dtype)


class MPIRecvWait(Op):
    """Wait for an MPIRecv's request; outputs its buffer, complete."""

    __props__ = ("tag",)
    view_map = {0: [1]}

    def __init__(self, tag):
        self.tag = tag

    def make_node(self, request, data):
        request, data = _request(request), as_tensor_variable(data)
        return Apply(self, [request, data], [data.type()])

    def perform(self, node, inputs, output_storage):
        request, data = inputs
        request.wait()
        output_storage[0][0] = data

    def infer_shape(self, fgraph, node, shapes):
        return [shapes[1]]


class MPISend(Op):
    """Start sending an array to rank ``dest`` (message ``tag``): outputs the request and
    the array (which must not change until MPISendWait)."""

    __props__ = ("dest", "tag")
    view_map = {1: [0]}

    def __init__(self, dest, tag):
        self.dest = dest
        self.tag = tag

    def make_node(self, data):
        data = as_tensor_variable(data)
        return Apply(self, [data], [generic(), data.type()])

    def perform(self, node, inputs, output_storage):
        data, = inputs
        output_storage[0][0] = _comm(self).Isend(data, self.dest, self.tag)
        output_storage[1][0] = data

    def __str__(self):
        return "MPISend{dest: %d, tag: %d}" % (self.dest, self.tag)


class MPISendWait(Op):
    """Wait for an MPISend's request; outputs True."""

    __props__ = ("tag",)

    def __init__(self, tag):
        self.tag = tag

    def make_node(self, request, data):
        request, data = _request(request), as_tensor_variable(data)
        return Apply(self, [request, data], [generic()])

    def perform(self, node, inputs, output_storage):
        inputs[0].wait()
        output_storage[0][0] = True


def isend(var, dest, tag):
    """Non-blocking send: (request, var)."""
    return MPISend(dest, tag)(var)


def send(var, dest, tag):
    """Blocking send of ``var`` to rank ``dest``."""
    return MPISendWait(tag)(*isend(var, dest, tag))


def irecv(shape, dtype, source, tag):
    """Non-blocking receive: (request, buffer)."""
    return MPIRecv(source, tag, shape, dtype)()


def recv(shape, dtype, source, tag):
    """Blocking receive of an array of ``shape`` and ``dtype`` from rank ``source``."""
    return MPIRecvWait(tag)(*irecv(shape, dtype, source, tag))


def mpi_send_wait_key(a):
    """Schedule key of node ``a``: start sends and receives early (-1), wait late (1)."""
    if isinstance(a.op, (MPIRecvWait, MPISendWait)):
        return 1
    if isinstance(a.op, (MPIRecv, MPISend)):
        return -1
    return 0


def mpi_tag_key(a):
    """Schedule key breaking ties between MPI nodes: lower tags first."""
    if isinstance(a.op, (MPISend, MPIRecv, MPIRecvWait, MPISendWait)):
        return a.op.tag
    return 0


mpi_send_wait_cmp = key_to_cmp(mpi_send_wait_key)
mpi_tag_cmp = key_to_cmp(mpi_tag_key)
mpi_keys = (mpi_send_wait_key, mpi_tag_key)
mpi_cmps = (mpi_send_wait_cmp, mpi_tag_cmp)
