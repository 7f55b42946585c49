import type { BuildFileFacts } from '../build-files/read-build-file.js';
import { defineRule } from '../engine/define-rule.js';
import type { ProjectFacts } from '../engine/project-facts.js';

/**
 * A wrapper script of the project, named `via` (`generate_f2pymod` → `…/generate_f2pymod.py`), that
 * always passes `--freethreading-compatible` to f2py: the meson step that runs it needs nothing more.
 */
function wrapperDeclares(via: string, project: ProjectFacts): boolean {
  const name = `${via.toLowerCase()}.py`;
  return [...project.buildFiles.values()].some((f: BuildFileFacts) => f.f2pyDeclaresAlways === true && f.path.toLowerCase().slice(f.path.lastIndexOf('/') + 1) === name);
}

/**
 * Where a build script reads its command-line options (`parser.parse_args()`, outside comments),
 * when it does so before `before`: a script the build runs with options is where an option for
 * the flag goes, so the build can pass it only where f2py accepts it.
 */
function optionsParsedAt(text: string, before: number): number | undefined {
  for (const m of text.slice(0, before).matchAll(/\.parse_(?:known_)?args\s*\(/g)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (!text.slice(lineStart, m.index).includes('#')) return m.index + 1;
  }
  return undefined;
}

/**
 * f2py writes each module's init function itself, so the f2py command line is where a module
 * declares free-threading support. The steps are read by `build-files/f2py-steps.ts`: meson lists
 * and generators, and the f2py invocations of Python build scripts (a wrapper meson runs, setup.py).
 */
export default defineRule({
  meta: {
    id: 'FT038',
    name: 'f2py-freethreading-undeclared',
    title: 'f2py build step without `--freethreading-compatible`',
    category: 'module-declaration',
    why: 'Modules that f2py generates without `--freethreading-compatible` make the free-threaded interpreter turn the GIL back on at import.',
    targets: ['meson', 'build-script', 'setup-py'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: false,
    triggers: [],
    messages: {
      missing: 'This f2py step ({{via}}) generates modules without `--freethreading-compatible`, so each re-enables the GIL on import',
    },
    help: {
      missing: 'Pass `--freethreading-compatible` to f2py (NumPy 2.1 or later) once the wrapped Fortran code is thread-safe',
    },
  },
  prefilter: (text) => (/f2py/i.test(text) ? [0] : []),
  check(ctx) {
    for (const step of ctx.project.buildFiles.get(ctx.path)?.f2pySteps ?? []) {
      // Declared, declined (`--no-freethreading-compatible`) or passed through a variable
      // (`f2py_freethreading_arg`): the project has made its choice.
      if (step.declared) continue;
      if (ctx.target === 'meson' && wrapperDeclares(step.via, ctx.project)) continue;
      const options = ctx.target === 'build-script' ? optionsParsedAt(ctx.text, step.start) : undefined;
      ctx.report({
        start: step.start,
        end: step.end,
        messageId: 'missing',
        symbol: '<build>',
        data: { via: `\`${step.via}\`` },
        ...(options === undefined
          ? {}
          : { related: [{ start: options, message: 'the script reads its options here: an option that adds the flag lets the build that runs the script pass it only where f2py accepts it (NumPy 2.1 or later)' }] }),
      });
    }
  },
});
