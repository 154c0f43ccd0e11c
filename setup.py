"""Build script: compiles the Cython core (pytheano/_core) against numpy's headers.

PYTHEANO_CYTHON_DEBUG=1 builds with bounds checks and wraparound back on, for debugging the core.
"""
import os

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

DEBUG = os.environ.get("PYTHEANO_CYTHON_DEBUG", "") not in ("", "0")

CORE_MODULES = ["graph", "fgraph", "vm", "function"]

extensions = [
    Extension(
        f"pytheano._core.{name}",
        [f"pytheano/_core/{name}.pyx"],
        include_dirs=[numpy.get_include()],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
    )
    for name in CORE_MODULES
]

setup(
    ext_modules=cythonize(
        extensions,
        compiler_directives={
            "language_level": 3,
            "boundscheck": DEBUG,
            "wraparound": DEBUG,
            "initializedcheck": DEBUG,
            "embedsignature": True,
        },
    ),
)
