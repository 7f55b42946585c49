/**
 * One line per rule saying why the finding matters without the GIL, for inline comments. The
 * full scenario lives in the rule's docs page, which every comment links to.
 */
const whyByRule: Record<string, string> = {
  FT001: 'Without the GIL another thread can delete the key and free the value while this code still uses the borrowed pointer.',
  FT002: 'Without the GIL another thread can replace or remove the item and free it while this code still uses the borrowed pointer.',
  FT003: 'The referent can be destroyed by another thread between the lookup and its use; the API is removed in Python 3.15.',
  FT004: 'The object can be freed between the borrowed lookup and the increment, so the new reference may point at freed memory.',
  FT005: 'A concurrent insert or delete can resize the dict during the loop and hand out freed keys or values.',
  FT006: 'The items array of a shared list can be reallocated by another thread while this code walks it.',
  FT007: 'Writing into a list other threads can see races with their reads and leaks or frees the old item twice.',
  FT008: 'An extension that does not declare `Py_mod_gil` makes the free-threaded interpreter turn the GIL back on at import.',
  FT009: 'A single-phase module that does not call `PyUnstable_Module_SetGIL` makes the interpreter turn the GIL back on at import.',
  FT010: 'Cython modules without the directive make the free-threaded interpreter turn the GIL back on at import.',
  FT011: 'A PyO3 module that keeps `gil_used` makes the free-threaded interpreter turn the GIL back on at import.',
  FT012: 'A pybind11 module without `mod_gil_not_used` makes the free-threaded interpreter turn the GIL back on at import.',
  FT013: 'A nanobind module built without `FREE_THREADED` makes the free-threaded interpreter turn the GIL back on at import.',
  FT014: 'Two threads can write this global at once; without the GIL nothing orders the writes or the reads that follow.',
  FT015: 'Two threads calling methods on the same object can interleave these field updates and leave it half-changed.',
  FT016: 'The function keeps its state in static storage, so concurrent calls from different threads overwrite each other.',
  FT017: 'The API returns a borrowed reference that another thread can invalidate before this code is done with it.',
  FT018: 'Reference counts are not a reliable uniqueness test when other threads can take or drop references concurrently.',
  FT019: 'Leaving a critical section without its end macro keeps the lock held, which deadlocks the next thread that needs it.',
  FT020: 'The free-threaded build reserves the object allocator for Python objects; plain buffers belong with `PyMem_Malloc`.',
};

/** The one-line reason for `ruleId`, or a generic line for rules added after this table. */
export function ruleWhy(ruleId: string): string {
  return whyByRule[ruleId] ?? 'Code that relied on the GIL for safety can race on a free-threaded build.';
}
