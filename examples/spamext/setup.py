from setuptools import Extension, setup
from Cython.Build import cythonize

setup(
    ext_modules=[
        Extension("spamext._spam", ["src/spam/spammodule.c"], py_limited_api=True),
        Extension("spamext._legacy", ["src/spam/legacy.c"]),
        *cythonize(["src/fastcount/fastcount.pyx"]),
    ],
)
