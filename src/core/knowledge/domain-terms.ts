/**
 * Words that put a question inside ftbot's field: free threading, CPython extension modules, their
 * bindings, builds and wheels. A question must contain one strong term, two weak ones, or a code
 * name that appears in the knowledge base to be answered; "how do I bake bread" has none and gets
 * "not covered" instead of the least bad page. Kept as written words; `search` normalises them
 * with the same `processTerm` as the index.
 *
 * Weak terms are field words with an everyday or general-Python meaning: "python" alone does not
 * make "how do I write a python decorator" a free-threading question. Everyday words that occur in
 * the pages but say nothing about the field ("build", "test", "fix", "install") are in neither list.
 */
export const STRONG_DOMAIN_TERMS: readonly string[] = [
  // Free threading itself
  'gil', 'nogil', 'free-threaded', 'free-threading', 'freethreaded', 'freethreading', 'threaded',
  'thread', 'threads', 'threading', 'multithreaded', 'multithreading', 'multi-threaded', 'pep', '703',
  '779', '803', '793', '788', 'disable-gil', 'python_gil', 'py_gil_disabled', 'subinterpreter',
  'subinterpreters',
  // CPython internals and the C-API
  'cpython', '3.13t', '3.14t', '3.15t', 'python3.13t', 'python3.14t', 'cp313t', 'cp314t', 'cp315t',
  'pyobject', 'refcount', 'refcounts', 'refcounting', 'borrowed', 'immortal', 'immortalization',
  'incref', 'decref', 'mimalloc', 'pymem', 'weakref', 'weakrefs', 'c-api', 'capi', 'abi', 'abi3',
  'abi3t', 'multi-phase', 'single-phase', 'singlephase', 'extension', 'extensions',
  // Synchronisation and races
  'mutex', 'mutexes', 'pymutex', 'atomic', 'atomics', 'race', 'races', 'racy', 'data-race', 'deadlock',
  'deadlocks', 'thread-safe', 'thread-safety', 'threadsafe', 'synchronization', 'synchronisation',
  'contention', 'thread-local', 'segfault', 'segfaults', 'use-after-free', 'heisenbug',
  // Bindings
  'cython', 'pyx', 'pyo3', 'maturin', 'pybind11', 'nanobind', 'swig', 'cffi', 'ctypes', 'hpy',
  // Builds, wheels, packaging, CI
  'wheel', 'wheels', 'manylinux', 'musllinux', 'cibuildwheel', 'cibw', 'auditwheel', 'delocate', 'pypi',
  'setuptools', 'meson', 'meson-python', 'scikit-build', 'scikit-build-core', 'cmake', 'pyproject',
  'pyproject.toml', 'setup.py', 'sdist', 'trove', 'conda-forge', 'deadsnakes',
  // Testing and debugging
  'pytest', 'pytest-run-parallel', 'pytest-freethreaded', 'tsan', 'threadsanitizer', 'sanitizer',
  'asan', 'valgrind', 'gdb', 'lldb',
  // The bot
  'ftbot',
];

export const WEAK_DOMAIN_TERMS: readonly string[] = [
  'python', 'pypy', 'reference', 'references', 'gc', 'allocator', 'malloc', 'deferred', 'dict',
  'dictionary', 'list', 'tuple', 'iterator', 'generator', 'module', 'modules', 'api', 'apis', 'limited',
  'stable', 'slot', 'slots', 'state', 'static', 'global', 'globals', 'singleton', 'cache', 'caches',
  'lock', 'locks', 'locking', 'critical', 'section', 'sections', 'unsafe', 'memory', 'ordering',
  'barrier', 'crash', 'crashes', 'corruption', 'flaky', 'concurrency', 'concurrent', 'parallel',
  'parallelism', 'interpreter', 'interpreters', 'rust', 'numpy', 'cpp', 'pip', 'uv', 'classifier',
  'classifiers', 'tag', 'tags', 'ci', 'github', 'actions', 'workflow', 'matrix', 'conda', 'pyenv',
  'homebrew', 'installer', 'stress', 'hypothesis', 'rule', 'rules', 'finding', 'findings',
];
