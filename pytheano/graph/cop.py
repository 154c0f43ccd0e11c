"""Theano's C-op machinery, as far as it means something in pytheano: ``COp`` (an op whose C
code is in external files, split in ``#section`` blocks) and ``CDataType`` (opaque C
pointers passed between ops' C code, as PyCapsules).

pytheano compiles one module per function from its scalar and elementwise kernels
(pytheano/link/c); it does not compile an op's own ``c_code``. So a COp reads and checks its
files as Theano does (``code_sections``, ``func_codes``) and runs its ``perform``; a
CDataType holds None or a PyCapsule, which only C code could make.
"""
import datetime
import inspect
import os
import re

from pytheano.graph.op import Op
from pytheano.graph.type import Type

__all__ = ["COp", "CDataType"]

_CAPSULE = type(datetime.datetime_CAPI)  # the PyCapsule type (types.CapsuleType from 3.13)


class COp(Op):
    """An op with its C code in ``func_files`` (paths relative to the file of the op's
    class), split by ``#section <name>`` lines (or Theano's older
    ``THEANO_APPLY_CODE_SECTION`` / ``THEANO_SUPPORT_CODE_SECTION`` markers); ``func_name``
    is the C function computing the op."""

    section_re = re.compile(r"^#section ([a-zA-Z0-9_]+)$", re.MULTILINE)
    backward_re = re.compile(r"^THEANO_(APPLY|SUPPORT)_CODE_SECTION$", re.MULTILINE)
    SECTIONS = frozenset(["init_code", "init_code_apply", "init_code_struct", "support_code",
                          "support_code_apply", "support_code_struct", "cleanup_code_struct",
                          "code", "code_cleanup"])

    @classmethod
    def get_path(cls, f):
        """``f``, relative to the directory of the file defining ``cls``."""
        if os.path.isabs(f):
            return f
        return os.path.realpath(os.path.join(os.path.dirname(inspect.getfile(cls)), f))

    def __init__(self, func_files, func_name=None):
        self.func_files = func_files if isinstance(func_files, list) else [func_files]
        self.func_name = func_name
        self.load_c_code(self.func_files)
        if not self.code_sections:
            raise ValueError("No sections where defined in C files")
        if func_name is not None:
            for section in ("op_code", "op_code_cleanup"):
                if section in self.code_sections:
                    raise ValueError('Cannot have an "%s" section and specify the func_name'
                                     % section)

    def load_c_code(self, func_files):
        """Read the files into ``func_codes`` and their sections into ``code_sections``."""
        paths = [self.get_path(f) for f in func_files]
        self.func_codes = []
        for path in paths:
            with open(path) as f:
                self.func_codes.append(f.read())
        old = any(self.backward_re.search(code) for code in self.func_codes)
        new = any(self.section_re.search(code) for code in self.func_codes)
        if old and new:
            raise ValueError("Both the new and the old syntax for identifying code sections "
                             "are present in the provided C code. These two syntaxes should "
                             "not be used at the same time.")
        self.code_sections = {}
        for path, code in zip(paths, self.func_codes):
            if self.backward_re.search(code):
                parts = self.backward_re.split(code)
                for kind, body in zip(parts[1::2], parts[2::2]):
                    name = "support_code_apply" if kind == "APPLY" else "support_code"
                    self.code_sections[name] = body
            elif self.section_re.search(code):
                parts = self.section_re.split(code)
                if parts[0].strip():
                    raise ValueError("Stray code before first #section statement (in file "
                                     "%s): %s" % (path, parts[0]))
                for name, body in zip(parts[1::2], parts[2::2]):
                    if name not in self.SECTIONS:
                        raise ValueError("Unknown section type (in file %s): %s"
                                         % (path, name))
                    self.code_sections[name] = self.code_sections.get(name, "") + body
            else:
                raise ValueError("No valid section marker was found in file %s" % path)


class CDataType(Type):
    """Opaque C data (``ctype``, a pointer type, freed by ``freefunc``), held as a
    PyCapsule."""

    __props__ = ("ctype", "freefunc", "headers", "header_dirs", "libraries", "lib_dirs",
                 "extra_support_code", "compile_args", "version")

    def __init__(self, ctype, freefunc=None, headers=(), header_dirs=(), libraries=(),
                 lib_dirs=(), compile_args=(), extra_support_code="", version=None):
        if not isinstance(ctype, str):
            raise TypeError("CDataType: ctype must be a string (a C pointer type), got %r"
                            % (ctype,))
        if freefunc is not None and not isinstance(freefunc, str):
            raise TypeError("CDataType: freefunc must be the name of a C function, got %r"
                            % (freefunc,))
        self.ctype = ctype
        self.freefunc = freefunc
        self.headers = tuple(headers)
        self.header_dirs = tuple(header_dirs)
        self.libraries = tuple(libraries)
        self.lib_dirs = tuple(lib_dirs)
        self.compile_args = tuple(compile_args)
        self.extra_support_code = extra_support_code
        self.version = version

    def filter(self, data, strict=False, allow_downcast=None):
        if data is not None and not isinstance(data, _CAPSULE):
            raise TypeError("expected None or a PyCapsule")
        return data

    def __eq__(self, other):
        return type(self) is type(other) and all(
            getattr(self, p) == getattr(other, p) for p in self.__props__)

    def __hash__(self):
        return hash((type(self),) + tuple(getattr(self, p) for p in self.__props__))

    def __str__(self):
        return "%s{%s}" % (type(self).__name__, self.ctype)

    __repr__ = __str__

