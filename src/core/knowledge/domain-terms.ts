/**
 * Words that put a question inside ftbot's field: free threading, CPython extension modules, their
 * bindings, builds and wheels. A question must contain at least one of these (or a code name that
 * appears in the knowledge base) to be answered; "how do I bake bread" contains none and gets
 * "not covered" instead of the least bad page. Kept as written words; `search` normalises them
 * with the same `processTerm` as the index.
 *
 * Deliberately absent: everyday words that also occur in the pages ("build", "test", "fix",
 * "install", "error", "lock" alone is kept because free-threading questions use it constantly).
 */
export const DOMAIN_TERMS: readonly string[] = [
  // Free threading itself
  'gil', 'nogil', 'free-threaded', 'free-threading', 'freethreaded', 'freethreading', 'threaded',
  'thread', 'threads', 'threading', 'multithreaded', 'multithreading', 'multi-threaded', 'concurrency',
  'concurrent', 'parallel', 'parallelism', 'pep', '703', '779', '803', '793', '788', 'disable-gil',
  'python_gil', 'py_gil_disabled', 'subinterpreter', 'subinterpreters', 'interpreter', 'interpreters',
  // Python and CPython
  'python', 'cpython', 'pypy', '3.13t', '3.14t', '3.15t', 'python3.13t', 'python3.14t', 'cp313t', 'cp314t',
  'cp315t', 'pyobject', 'refcount', 'refcounts', 'refcounting', 'reference', 'references', 'borrowed',
  'immortal', 'immortalization', 'biased', 'incref', 'decref', 'gc', 'allocator', 'mimalloc', 'malloc',
  'pymem', 'deferred', 'weakref', 'weakrefs', 'dict', 'dictionary', 'list', 'tuple', 'iterator',
  'generator', 'module', 'modules', 'extension', 'extensions', 'c-api', 'capi', 'api', 'apis', 'abi',
  'abi3', 'abi3t', 'limited', 'stable', 'slot', 'slots', 'multi-phase', 'singlephase', 'single-phase',
  'state', 'static', 'global', 'globals', 'singleton', 'cache', 'caches',
  // Synchronisation and races
  'lock', 'locks', 'locking', 'mutex', 'mutexes', 'pymutex', 'critical', 'section', 'sections', 'atomic',
  'atomics', 'race', 'races', 'racy', 'data-race', 'deadlock', 'deadlocks', 'thread-safe', 'thread-safety',
  'threadsafe', 'unsafe', 'synchronization', 'synchronisation', 'contention', 'once', 'thread-local',
  'tls', 'memory', 'ordering', 'barrier', 'segfault', 'segfaults', 'crash', 'crashes', 'corruption',
  'use-after-free', 'heisenbug', 'flaky',
  // Bindings and languages
  'cython', 'pyx', 'pyo3', 'rust', 'maturin', 'pybind11', 'nanobind', 'swig', 'cffi', 'ctypes', 'hpy',
  'numpy', 'cpp',
  // Builds, wheels, packaging, CI
  'wheel', 'wheels', 'manylinux', 'musllinux', 'cibuildwheel', 'cibw', 'auditwheel', 'delocate', 'pypi',
  'pip', 'uv', 'setuptools', 'meson', 'meson-python', 'scikit-build', 'scikit-build-core', 'cmake',
  'pyproject', 'pyproject.toml', 'setup.py', 'classifier', 'classifiers', 'trove', 'tag', 'tags',
  'sdist', 'ci', 'github', 'actions', 'workflow', 'matrix', 'deadsnakes', 'conda', 'conda-forge',
  'pyenv', 'homebrew', 'installer',
  // Testing and debugging
  'pytest', 'pytest-run-parallel', 'pytest-freethreaded', 'tsan', 'threadsanitizer', 'sanitizer',
  'asan', 'valgrind', 'gdb', 'lldb', 'stress', 'hypothesis',
  // The bot
  'ftbot', 'rule', 'rules', 'finding', 'findings',
];
