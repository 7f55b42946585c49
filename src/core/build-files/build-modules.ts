import { asRecord, parseToml } from './parse-toml.js';

/** A dotted module name (`pkg.mod`), or undefined for anything else. */
function moduleName(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(value) ? value : undefined;
}

/**
 * Python modules of the source tree that a `pyproject.toml` names as part of its build, as paths
 * relative to the file's folder (candidates: the caller keeps the ones that exist):
 *
 * - an in-tree build back-end: `[build-system] build-backend = "backend"` found on
 *   `backend-path = ["build_backend"]` → `build_backend/backend.py`;
 * - setuptools command classes: `[tool.setuptools.cmdclass] build_ext = "mod.Class"` → `mod.py`,
 *   in the project folder or on the back-end path (a custom `build_ext` that runs `cythonize()`).
 *
 * @example
 *   pyprojectBuildModules('[build-system]\nbuild-backend = "be"\nbackend-path = ["tools"]\n[tool.setuptools.cmdclass]\nbuild_ext = "ext.build_ext"\n')
 *   // → ['tools/be.py', 'ext.py', 'tools/ext.py']
 */
export function pyprojectBuildModules(text: string): string[] {
  if (!/backend-path|cmdclass/.test(text)) return [];
  const parsed = parseToml(text);
  if (!parsed.ok) return [];
  const system = asRecord(parsed.doc['build-system']);
  const backendPath = Array.isArray(system?.['backend-path']) ? system['backend-path'].filter((p): p is string => typeof p === 'string' && !p.includes('..')) : [];
  const roots = backendPath.map((p) => p.replace(/^\.\/?/, '').replace(/\/+$/, '')).map((p) => (p === '' ? '' : `${p}/`));
  const out = new Set<string>();
  const backend = moduleName(typeof system?.['build-backend'] === 'string' ? system['build-backend'].split(':')[0] : undefined);
  if (backend !== undefined) for (const root of roots) out.add(`${root}${backend.replace(/\./g, '/')}.py`);
  const cmdclass = asRecord(asRecord(asRecord(parsed.doc.tool)?.setuptools)?.cmdclass) ?? {};
  for (const value of Object.values(cmdclass)) {
    const name = moduleName(value);
    if (name === undefined || !name.includes('.')) continue;
    const module = name.slice(0, name.lastIndexOf('.')).replace(/\./g, '/');
    for (const root of ['', ...roots]) out.add(`${root}${module}.py`);
  }
  return [...out];
}
