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

__all__ = ["PREAMBLE", "Module", "build_module", "c_backend_available", "start_module"]

# Bumped when the contract between the generated code and the thunks changes.
ABI_VERSION = 1

# What the generated code needs of <stdint.h>, <math.h> and <stdlib.h>, declared here: the system
# headers are most of what the compiler parses in a module (about 15 ms of a module's 0.1 s
# on this machine, paid per module). The types from the compiler's own predefined macros;
# the C99 libm functions (double and float), which the compiler knows as builtins (the
# same code as with <math.h>); the classification macros as glibc's <math.h> defines them
# for gcc. The flags make an undeclared function an error (a libm function missing here
# fails to compile, never runs as an implicit ``int f()``).
_UNARY = """acos asin atan cos sin tan acosh asinh atanh cosh sinh tanh exp exp2 expm1 log
    log10 log1p log2 logb cbrt fabs sqrt erf erfc lgamma tgamma ceil floor nearbyint rint
    round trunc""".split()
_BINARY = "atan2 hypot pow fmod remainder copysign nextafter fdim fmax fmin".split()


def _libm_declarations():
    lines = []
    for ctype, suffix in (("double", ""), ("float", "f")):
        t = ctype
        lines += ["%s %s%s(%s);" % (t, name, suffix, t) for name in _UNARY]
        lines += ["%s %s%s(%s, %s);" % (t, name, suffix, t, t) for name in _BINARY]
        lines += ["%s fma%s(%s, %s, %s);" % (t, suffix, t, t, t),
                  "%s frexp%s(%s, int *);" % (t, suffix, t),
                  "%s ldexp%s(%s, int);" % (t, suffix, t),
                  "%s modf%s(%s, %s *);" % (t, suffix, t, t),
                  "%s scalbn%s(%s, int);" % (t, suffix, t),
                  "int ilogb%s(%s);" % (suffix, t),
                  "long lrint%s(%s);" % (suffix, t),
                  "long lround%s(%s);" % (suffix, t),
                  "long long llrint%s(%s);" % (suffix, t),
                  "long long llround%s(%s);" % (suffix, t),
                  "%s nan%s(const char *);" % (t, suffix)]
    return "\n".join(lines) + "\n"


_HEADERS = "".join("typedef __%sINT%d_TYPE__ %sint%d_t;\n" % (u.upper(), n, u, n)
                   for u in ("", "u") for n in (8, 16, 32, 64)) + """\
typedef __INTPTR_TYPE__ intptr_t;
typedef __UINTPTR_TYPE__ uintptr_t;
typedef __SIZE_TYPE__ size_t;
#define NULL ((void *)0)
int abs(int);
long labs(long);
long long llabs(long long);
#define INFINITY (__builtin_inff())
#define NAN (__builtin_nanf(""))
#define HUGE_VAL (__builtin_huge_val())
#define HUGE_VALF (__builtin_huge_valf())
#define isnan(x) __builtin_isnan(x)
#define isinf(x) __builtin_isinf_sign(x)
#define isfinite(x) __builtin_isfinite(x)
#define signbit(x) __builtin_signbit(x)
""" + _libm_declarations()

PREAMBLE = ("/* pytheano generated C, abi %d */\n" % ABI_VERSION) + _HEADERS + VECTOR_MATH

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
    module = start_module(kernels)
    return None if module is None else module.addresses()


def start_module(kernels):
    """The module of ``kernels`` (a Module), its compiler started in the background when it
    is not in the cache, or None when there is no compiler. The compiler's error comes from
    ``addresses()``."""
    cache = get_cache()
    compiler = get_compiler(cache.root)
    if compiler is None:
        return None
    source, names = module_source(kernels)
    return Module(cache.start_build(source, compiler.description, compiler.start), names)


class Module:
    """A module being built or built: ``ready`` (nothing to wait for), ``addresses()``."""

    def __init__(self, build, names):
        self.build = build
        self.names = names

    @property
    def ready(self):
        return self.build.done

    def addresses(self):
        """The entry point address of each kernel: waits for the compiler (CompileError,
        naming the generated file, when it failed), loads the library."""
        path, _ = self.build.result()
        lib = _loaded.get(path)
        if lib is None:
            lib = _loaded[path] = ctypes.CDLL(path)
        return [ctypes.cast(getattr(lib, name), ctypes.c_void_p).value for name in self.names]
