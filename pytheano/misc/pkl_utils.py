"""Theano 1.0's ``theano.misc.pkl_utils``: ``dump``/``load`` pickle an object into a zip file
whose ndarrays (shared variables' values, under their names) are separate NPY files, as
``numpy.load`` reads them; ``CompatUnpickler`` reads Python 2 pickles of ndarrays;
``StripPickler`` drops creation traces and test values."""
import io
import os
import pickle
import tempfile
import zipfile
from collections import defaultdict

import numpy as np

from pytheano.graph.shared import SharedVariable

DEFAULT_PROTOCOL = pickle.DEFAULT_PROTOCOL

__all__ = ["StripPickler", "CompatUnpickler", "PersistentNdarrayID",
           "PersistentSharedVariableID", "PersistentNdarrayLoad", "dump", "load", "zipadd",
           "function_dump"]


class StripPickler(pickle.Pickler):
    """A Pickler that removes ``tag.trace`` / ``tag.test_value`` (and ``extra_tag_to_remove``)
    from the variables it pickles."""

    def __init__(self, file, protocol=0, extra_tag_to_remove=None):
        super().__init__(file, protocol)
        self.tag_to_remove = ["trace", "test_value"] + list(extra_tag_to_remove or [])

    def reducer_override(self, obj):
        tag = getattr(obj, "tag", None) if not isinstance(obj, type) else None
        if tag is not None and hasattr(tag, "__dict__"):
            for name in self.tag_to_remove:
                tag.__dict__.pop(name, None)
        return NotImplemented


class CompatUnpickler(pickle.Unpickler):
    """An Unpickler for pickles of ndarrays written by Python 2:
    ``CompatUnpickler(fp, encoding="latin1").load()``."""


class PersistentNdarrayID:
    """persistent_id saving each ndarray as ``array_<n>`` in ``zip_file``."""

    def __init__(self, zip_file):
        self.zip_file = zip_file
        self.count = 0
        self.seen = {}

    def _resolve_name(self, obj):
        name = "array_%d" % self.count
        self.count += 1
        return name

    def __call__(self, obj):
        if type(obj) is np.ndarray:
            if id(obj) not in self.seen:
                name = self._resolve_name(obj)
                zipadd(lambda f: np.lib.format.write_array(f, obj), self.zip_file, name)
                self.seen[id(obj)] = "ndarray.%s" % name
            return self.seen[id(obj)]
        return None


class PersistentSharedVariableID(PersistentNdarrayID):
    """As PersistentNdarrayID, naming a shared variable's value after the variable (``x``,
    ``x_2`` for a second one named ``x``)."""

    def __init__(self, zip_file, allow_unnamed=True, allow_duplicates=True):
        super().__init__(zip_file)
        self.name_counter = defaultdict(int)
        self.ndarray_names = {}
        self.allow_unnamed = allow_unnamed
        self.allow_duplicates = allow_duplicates

    def _resolve_name(self, obj):
        if id(obj) in self.ndarray_names:
            name = self.ndarray_names[id(obj)]
            count = self.name_counter[name]
            self.name_counter[name] += 1
            if count:
                if not self.allow_duplicates:
                    raise ValueError("multiple shared variables with the name `%s` found"
                                     % name)
                name = "%s_%d" % (name, count + 1)
            return name
        return super()._resolve_name(obj)

    def __call__(self, obj):
        if isinstance(obj, SharedVariable):
            if obj.name:
                if obj.name == "pkl":
                    raise ValueError("can't pickle shared variable with name `pkl`")
                self.ndarray_names[id(obj.get_value(borrow=True))] = obj.name
            elif not self.allow_unnamed:
                raise ValueError("unnamed shared variable, %s" % (obj,))
        return super().__call__(obj)


class PersistentNdarrayLoad:
    """persistent_load reading the arrays PersistentNdarrayID saved."""

    def __init__(self, zip_file):
        self.zip_file = zip_file
        self.cache = {}

    def __call__(self, persid):
        array_type, name = persid.split(".", 1)
        if name not in self.cache:
            if array_type == "gpuarray":
                raise ImportError("This file holds GPU arrays (Theano's gpuarray backend); "
                                  "pytheano reads only ndarray entries.")
            with self.zip_file.open(name) as f:
                self.cache[name] = np.lib.format.read_array(f)
        return self.cache[name]


def dump(obj, file_handler, protocol=DEFAULT_PROTOCOL, persistent_id=PersistentSharedVariableID):
    """Pickle ``obj`` into the zip file ``file_handler``: entry ``pkl`` holds the pickle, each
    ndarray is an NPY entry (see PersistentSharedVariableID)."""
    with zipfile.ZipFile(file_handler, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zip_file:
        def write(f):
            p = pickle.Pickler(f, protocol=protocol)
            p.persistent_id = persistent_id(zip_file)
            p.dump(obj)

        zipadd(write, zip_file, "pkl")


def load(f, persistent_load=PersistentNdarrayLoad):
    """The object ``dump`` wrote to the zip file ``f``."""
    with zipfile.ZipFile(f, "r") as zip_file:
        p = pickle.Unpickler(io.BytesIO(zip_file.open("pkl").read()))
        p.persistent_load = persistent_load(zip_file)
        return p.load()


def zipadd(func, zip_file, name):
    """Call ``func(file)`` and store what it wrote as entry ``name`` of ``zip_file``."""
    with tempfile.NamedTemporaryFile("wb", delete=False) as temp_file:
        func(temp_file)
    try:
        zip_file.write(temp_file.name, arcname=name)
    finally:
        os.remove(temp_file.name)


def function_dump(filename, inputs, outputs=None, mode=None, updates=None, givens=None,
                  no_default_updates=False, accept_inplace=False, name=None,
                  rebuild_strict=True, allow_input_downcast=None, profile=None,
                  on_unused_input=None, extra_tag_to_remove=None):
    """``theano.function_dump``: pickle the arguments of ``theano.function`` to ``filename``
    (without creation traces and test values), so a bug can be reproduced elsewhere with
    ``theano.function(**pickle.load(open(filename, 'rb')))``."""
    if not isinstance(filename, str):
        raise TypeError("function_dump: filename must be a string, got %r" % (filename,))
    args = dict(inputs=inputs, outputs=outputs, mode=mode, updates=updates, givens=givens,
                no_default_updates=no_default_updates, accept_inplace=accept_inplace,
                name=name, rebuild_strict=rebuild_strict,
                allow_input_downcast=allow_input_downcast, profile=profile,
                on_unused_input=on_unused_input)
    with open(filename, "wb") as f:
        StripPickler(f, protocol=-1, extra_tag_to_remove=extra_tag_to_remove).dump(args)
