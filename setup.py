"""Build script: compiles the Cython core (pytheano/_core) against numpy's headers.

PYTHEANO_CYTHON_DEBUG=1 builds with bounds checks and wraparound back on, for debugging the core.
"""
import glob
import os

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

DEBUG = os.environ.get("PYTHEANO_CYTHON_DEBUG", "") not in ("", "0")

# Every .pyx in pytheano/_core is a module: a new one is built without touching this file.
HERE = os.path.dirname(os.path.abspath(__file__))
CORE_MODULES = sorted(os.path.basename(p)[:-len(".pyx")]
                      for p in glob.glob(os.path.join(HERE, "pytheano", "_core", "*.pyx")))

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
