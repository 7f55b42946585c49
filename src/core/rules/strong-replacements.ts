/**
 * The C-API calls that return a borrowed reference and the call that returns a strong one instead:
 * the one table FT001 and FT004 name in their messages and the drafter rewrites with.
 *
 * `shape` says how the drafter can rewrite a call: `out-param` replacements return `-1`/`0`/`1`
 * and store the reference in a last argument (`PyDict_GetItemRef(d, k, &v)`); `returns`
 * replacements take the same arguments and return the reference (NULL with an exception set);
 * `none` means the rules name the replacement but no template rewrites it.
 *
 * @example
 *   strongReplacements.PyDict_GetItem // → { replacement: 'PyDict_GetItemRef', shape: 'out-param' }
 */
export const strongReplacements: Readonly<Record<string, { replacement: string; shape: 'out-param' | 'returns' | 'none' }>> = {
  PyDict_GetItem: { replacement: 'PyDict_GetItemRef', shape: 'out-param' },
  PyDict_GetItemWithError: { replacement: 'PyDict_GetItemRef', shape: 'out-param' },
  PyDict_GetItemString: { replacement: 'PyDict_GetItemStringRef', shape: 'out-param' },
  _PyDict_GetItemStringWithError: { replacement: 'PyDict_GetItemStringRef', shape: 'out-param' },
  PyDict_SetDefault: { replacement: 'PyDict_SetDefaultRef', shape: 'out-param' },
  PyWeakref_GetObject: { replacement: 'PyWeakref_GetRef', shape: 'out-param' },
  PyWeakref_GET_OBJECT: { replacement: 'PyWeakref_GetRef', shape: 'out-param' },
  PyList_GetItem: { replacement: 'PyList_GetItemRef', shape: 'returns' },
  PyList_GET_ITEM: { replacement: 'PyList_GetItemRef', shape: 'returns' },
  PyImport_AddModule: { replacement: 'PyImport_AddModuleRef', shape: 'returns' },
  PyImport_AddModuleObject: { replacement: 'PyImport_AddModuleRef', shape: 'none' },
  PySys_GetObject: { replacement: 'PySys_GetAttrString', shape: 'none' },
  PyCell_GET: { replacement: 'PyCell_Get', shape: 'none' },
};

/** The APIs of one rewrite shape, mapped to their replacement. */
export function replacementsOfShape(shape: 'out-param' | 'returns'): Record<string, string> {
  return Object.fromEntries(Object.entries(strongReplacements).flatMap(([api, r]) => (r.shape === shape ? [[api, r.replacement]] : [])));
}
