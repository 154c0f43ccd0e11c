"""One compiled function's C: every C-capable node in ONE translation unit, compiled through
the cache, loaded, and its entry points handed out as C function addresses.

Identical node functions (the same C for two nodes) are emitted once; identical support code
too. The source depends only on the graph (nodes in schedule order, names by position), so
compiling the same graph twice, in any process, gives the same cache key.
"""
import ctypes

from pytheano.link.c.cache import get_cache
from pytheano.link.c.compiler import get_compiler
from pytheano.link.c.elemwise import VECTOR_MATH, ElemwiseC

__all__ = ["PREAMBLE", "build_module", "c_backend_available"]

# Bumped when the contract between the generated code and the thunks changes.
ABI_VERSION = 1
PREAMBLE = ("/* pytheano generated C, abi %d */\n#include <stdint.h>\n#include <math.h>\n"
            % ABI_VERSION) + VECTOR_MATH

_NAME = "PT_ENTRY_POINT_NAME"
# Loaded libraries stay loaded: thunks hold raw addresses into them.
_loaded = {}


def c_backend_available():
    """Whether there is a compiler to build C with (warns once when there is none)."""
    return get_compiler(get_cache().root) is not None


def module_source(kernels):
    """(source, [entry point name per kernel]) of one translation unit."""
    supports = {}
    functions = {}
    names = []
    for kernel in kernels:
        body = _optimize_region(kernel, kernel.function_source(_NAME))
        name = functions.get(body)
        if name is None:
            name = functions[body] = "pt_node%d" % len(functions)
        names.append(name)
        for piece in kernel.support if isinstance(kernel.support, (list, tuple)) \
                else [kernel.support]:
            if piece:
                supports.setdefault(piece, None)
    parts = [PREAMBLE] + list(supports) + [body.replace(_NAME, name)
                                           for body, name in functions.items()]
    return "\n".join(parts), names


def _optimize_region(kernel, body):
    """``body`` as the module compiles it: at the flags' -O2 for the elementwise loops
    (their ``#pragma omp simd`` loops vectorize at -O2, at about half -O3's compile time),
    at -O3 for the whole-array kernels, whose unit-stride copies (link/c/array.py) rely on
    -O3's vectorizer (its cost model and loop versioning) instead of a pragma."""
    if isinstance(kernel, ElemwiseC):
        return body
    return "#pragma GCC push_options\n#pragma GCC optimize (\"O3\")\n%s#pragma GCC pop_options\n" \
        % body


def build_module(kernels):
    """The entry point address of each kernel (``ElemwiseC``), compiled in one module, or
    None when there is no compiler. CompileError when the compiler refuses the code."""
    cache = get_cache()
    compiler = get_compiler(cache.root)
    if compiler is None:
        return None
    source, names = module_source(kernels)
    path, _ = cache.get_or_build(source, compiler.description, compiler.compile)
    lib = _loaded.get(path)
    if lib is None:
        lib = _loaded[path] = ctypes.CDLL(path)
    return [ctypes.cast(getattr(lib, name), ctypes.c_void_p).value for name in names]
