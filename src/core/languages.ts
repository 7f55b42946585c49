/** The source languages the rule engine understands, and the build files it reads. */
export type SourceLanguage = 'c' | 'cpp' | 'cython' | 'rust';
export type BuildFileKind = 'pyproject' | 'setup-py' | 'cmake' | 'cargo' | 'workflow' | 'meson' | 'setup-cfg' | 'makefile' | 'tox' | 'requirements' | 'conda-env' | 'build-script';
export type FileKind = { type: 'source'; language: SourceLanguage } | { type: 'build'; kind: BuildFileKind };

const sourceExtensions: Record<string, SourceLanguage> = {
  c: 'c',
  h: 'c',
  cpp: 'cpp',
  cc: 'cpp',
  cxx: 'cpp',
  'c++': 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  hxx: 'cpp',
  inl: 'cpp',
  pyx: 'cython',
  pxd: 'cython',
  pxi: 'cython',
  rs: 'rust',
};

/**
 * Classifies a path (relative, `/`-separated) as a source or build file, or undefined when ftbot
 * does not read it. NumPy's templated `*.c.src` / `*.h.src` sources are read as C.
 *
 * @example
 *   classifyPath('src/_core/multiarray.c.src') // → { type: 'source', language: 'c' }
 *   classifyPath('.github/workflows/wheels.yml') // → { type: 'build', kind: 'workflow' }
 */
export function classifyPath(path: string): FileKind | undefined {
  const slash = path.lastIndexOf('/');
  // Sources, most of a tree, are told by their extension alone: no build file below has a name
  // ending in a source extension.
  const dot = path.lastIndexOf('.');
  if (dot > slash) {
    const language = languageOf(path.slice(dot + 1).toLowerCase());
    if (language !== undefined) return { type: 'source', language };
  }
  const base = path.slice(slash + 1);
  const lower = base.toLowerCase();
  if (lower === 'pyproject.toml') return { type: 'build', kind: 'pyproject' };
  // setup.py and its helper modules (`setupinfo.py` in lxml, `setup_utils.py`), where Cython
  // directives and extension options often live.
  if (/^setup\w*\.py$/.test(lower)) return { type: 'build', kind: 'setup-py' };
  if (lower === 'setup.cfg') return { type: 'build', kind: 'setup-cfg' };
  // Python scripts a build runs to drive f2py (`tools/generate_f2pymod.py`), where the f2py command
  // line, and so the free-threading flag, lives. f2py's own package (a `f2py/` folder) and test
  // modules, which build throwaway modules, are not build scripts.
  if (lower.endsWith('.py') && lower.includes('f2py') && !isTestOrF2pyPackage(path)) return { type: 'build', kind: 'build-script' };
  if (lower === 'cmakelists.txt' || lower.endsWith('.cmake')) return { type: 'build', kind: 'cmake' };
  if (lower === 'cargo.toml') return { type: 'build', kind: 'cargo' };
  if (lower === 'meson.build') return { type: 'build', kind: 'meson' };
  // Where `cython -X …` command lines live. Automake copies the rules of a `Makefile.am` into the
  // `Makefile.in` it writes, so their command lines are read as a Makefile's (the generated
  // `Makefile.in` is not read: it would repeat them).
  if (lower === 'makefile' || lower === 'gnumakefile' || lower === 'makefile.am' || lower.endsWith('.mk')) return { type: 'build', kind: 'makefile' };
  if (lower === 'tox.ini') return { type: 'build', kind: 'tox' };
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return { type: 'build', kind: 'workflow' };
  // pip requirement files (`requirements.txt`, `requirements-dev.txt`, `requirements/build.txt`)
  // and conda environments, where development and CI builds pin Cython or pybind11.
  if (lower.endsWith('.txt') && (lower.includes('requirements') || /(^|\/)requirements\/[^/]+$/.test(path.toLowerCase()))) return { type: 'build', kind: 'requirements' };
  if (/^environment[\w.-]*\.ya?ml$/.test(lower)) return { type: 'build', kind: 'conda-env' };
  const stripped = lower.endsWith('.src') ? lower.slice(0, -4) : lower;
  const cut = stripped.lastIndexOf('.');
  if (cut < 0) return undefined;
  const language = languageOf(stripped.slice(cut + 1));
  return language === undefined ? undefined : { type: 'source', language };
}

/** The language of a (lower-case) file extension; an extension that names a property of every object (`constructor`) is none. */
function languageOf(extension: string): SourceLanguage | undefined {
  return Object.hasOwn(sourceExtensions, extension) ? sourceExtensions[extension] : undefined;
}

function isTestOrF2pyPackage(path: string): boolean {
  const parts = path.toLowerCase().split('/');
  const base = parts.pop() ?? '';
  return /^tests?_|_tests?\.py$/.test(base) || parts.some((p) => p === 'f2py' || p === 'test' || p === 'tests' || p === 'testing');
}
