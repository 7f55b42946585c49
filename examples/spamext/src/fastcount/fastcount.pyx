# cython: language_level=3
from cpython.dict cimport PyDict_GetItem

cdef dict _counts = {}

def bump(key):
    _counts[key] = _counts.get(key, 0) + 1
    return _counts[key]
