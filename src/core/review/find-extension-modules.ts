import type { Finding } from '../diagnostics.js';
import { classifyPath } from '../languages.js';
import { ruleIdsIn } from '../rules/index.js';

export type ModuleKind = 'c-multi-phase' | 'c-single-phase' | 'cython' | 'pyo3' | 'pybind11' | 'nanobind';

export type ExtensionModule = {
  name: string;
  kind: ModuleKind;
  path: string;
  line: number;
  /**
   * `yes`: the module declares free-threading support; `no`: a declaration rule reported it
   * (`ruleId` says which); `unknown`: neither could be told from the source.
   */
  declared: 'yes' | 'no' | 'unknown';
  ruleId?: string;
};

/** The rules that report a module not declaring free-threading support (their category says so). */
export const DECLARATION_RULES = ruleIdsIn('module-declaration');

/**
 * Patterns that define a module, with the declaration that marks it free-threading ready.
 * Worked example: `PYBIND11_MODULE(_binding, m)` → name `_binding`, kind `pybind11`, declared when
 * `mod_gil_not_used` appears in the same file.
 */
const definitions: Array<{ kind: ModuleKind; pattern: RegExp; declaration: RegExp }> = [
  { kind: 'pybind11', pattern: /\bPYBIND11_MODULE\s*\(\s*(\w+)/g, declaration: /\bmod_gil_not_used\b/ },
  { kind: 'nanobind', pattern: /\bNB_MODULE\s*\(\s*(\w+)/g, declaration: /\bFREE_THREADED\b/ },
  { kind: 'c-multi-phase', pattern: /\bPyInit_(\w+)\s*\([^)]*\)\s*\{[^}]*?\bPyModuleDef_Init\b/g, declaration: /\bPy_mod_gil\b/ },
  { kind: 'c-single-phase', pattern: /\bPyInit_(\w+)\s*\([^)]*\)\s*\{(?![^}]*?\bPyModuleDef_Init\b)/g, declaration: /\bPyUnstable_Module_SetGIL\b/ },
  { kind: 'pyo3', pattern: /#\[pymodule[^\]]*\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?(?:fn|mod)\s+(\w+)/g, declaration: /\bgil_used\s*=\s*false\b/ },
];

/**
 * Lists the extension modules defined in the given sources, and whether each declares
 * free-threading support, from the declaration rules' findings and the declarations present.
 *
 * @param params
 *   `files` the scanned sources and CMake files (path and text); `findings` of the same scan.
 * @returns
 *   Modules sorted by path, then line.
 */
export function findExtensionModules(params: { files: ReadonlyArray<{ path: string; text: string }>; findings: readonly Finding[] }): ExtensionModule[] {
  const modules: ExtensionModule[] = [];
  const undeclared = params.findings.filter((f) => DECLARATION_RULES.has(f.ruleId) && f.severity !== 'info');
  for (const { path, text } of params.files) {
    const kind = classifyPath(path);
    if (kind === undefined) continue;
    const fileFindings = undeclared.filter((f) => f.path === path);
    if (kind.type === 'source' && kind.language === 'cython' && !path.endsWith('.pxd') && !path.endsWith('.pxi')) {
      const base = path.slice(path.lastIndexOf('/') + 1).replace(/\.pyx$/, '');
      const finding = fileFindings.find((f) => f.ruleId === 'FT010');
      modules.push(moduleOf({ name: base, kind: 'cython', path, line: 1, finding, declared: /freethreading_compatible\s*=\s*True/.test(text) }));
      continue;
    }
    const isSource = kind.type === 'source';
    const isCmake = kind.type === 'build' && kind.kind === 'cmake';
    if (!isSource && !isCmake) continue;
    for (const def of definitions) {
      if (isCmake !== (def.kind === 'nanobind')) continue;
      const pattern = isCmake ? /\bnanobind_add_module\s*\(\s*(\w+)/g : def.pattern;
      for (const m of text.matchAll(pattern)) {
        const line = lineAt(text, m.index);
        const finding = fileFindings.find((f) => f.ruleId !== 'FT011' || Math.abs(f.line - line) <= 3);
        modules.push(moduleOf({ name: m[1] ?? '?', kind: def.kind, path, line, finding, declared: def.declaration.test(text) }));
      }
    }
  }
  return modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
}

function moduleOf(p: { name: string; kind: ModuleKind; path: string; line: number; finding: Finding | undefined; declared: boolean }): ExtensionModule {
  if (p.finding !== undefined) return { name: p.name, kind: p.kind, path: p.path, line: p.line, declared: 'no', ruleId: p.finding.ruleId };
  return { name: p.name, kind: p.kind, path: p.path, line: p.line, declared: p.declared ? 'yes' : 'unknown' };
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
