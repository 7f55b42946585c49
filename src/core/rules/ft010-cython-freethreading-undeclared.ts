import { directivesVariableOf, folderOf, inheritsDirective, siteCovers, type CythonSite } from '../build-files/cython-sites.js';
import { defineRule, type ReportDescriptor } from '../engine/define-rule.js';
import { cythonHeader, type ProjectFacts } from '../engine/project-facts.js';

// `# cython: freethreading_compatible=True` (possibly among other directives on the line).
const directive = /^#\s*cython\s*:.*\bfreethreading_compatible\s*=\s*True\b/m;
const directiveLine = /^#\s*cython\s*:[^\n]*/m;

function allSites(project: ProjectFacts): CythonSite[] {
  return [...project.buildFiles.values()].flatMap((f) => f.cythonSites);
}

/** Cython modules the scan read, without the files `include`d into another module. */
function scannedModules(project: ProjectFacts): string[] {
  return [...project.cythonHeaders.keys()].filter((p) => !project.cythonIncluded.has(p.slice(p.lastIndexOf('/') + 1)));
}

/**
 * True when the fix for the modules `covered` (scanned modules the sites compile) belongs in the
 * build: a site sets directives, or passes a directives dict filled only under a condition while
 * none of those modules keeps directives in its header (then the header is where the project
 * puts them, and the fix goes there).
 */
function fixInBuild(sites: readonly CythonSite[], covered: readonly string[], project: ProjectFacts): boolean {
  if (sites.some((s) => s.setsDirectives)) return true;
  return sites.some((s) => s.directivesUnderCondition === true) && !covered.some((p) => project.cythonDirectiveHeaders.has(p));
}

/** Base names shown in a message: up to three, then `…`. */
function listed(paths: readonly string[]): string {
  const names = paths.map((p) => p.slice(p.lastIndexOf('/') + 1));
  return names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '');
}

/**
 * Where the directive of a Cython module is decided. A module is declared by its own header or by
 * a build site that compiles it with the directive. When the build site that compiles it already
 * sets directives (`compiler_directives=`, `cython_args:`, `-X`), the fix belongs there and the
 * finding is reported once at that site; so it does when the site passes a dict filled only under a
 * condition and the modules keep no directives in their headers; otherwise it is reported at the `.pyx`.
 */
export default defineRule({
  meta: {
    id: 'FT010',
    name: 'cython-freethreading-undeclared',
    title: 'Cython module without the `freethreading_compatible` directive',
    category: 'module-declaration',
    why: 'Cython modules without the directive make the free-threaded interpreter turn the GIL back on at import.',
    targets: ['cython', 'setup-py', 'meson', 'cmake', 'makefile', 'tox'],
    severity: 'error',
    confidence: 'high',
    fix: 'unsafe',
    preview: false,
    triggers: [],
    messages: {
      missing: 'Cython module does not set `freethreading_compatible=True`, so importing it re-enables the GIL',
      missingCythonized: 'Cython module does not set `freethreading_compatible=True`, so importing it re-enables the GIL',
      missingInBuild: 'Build step {{via}} compiles {{modules}} without `freethreading_compatible=True`, so {{consequence}}',
      missingInVariable: 'Meson variable `{{name}}` holds the Cython directives of {{modules}} without `freethreading_compatible=True`, so {{consequence}}',
      missingInDefaults: "The build sets Cython's global directive defaults here, for {{modules}}, without `freethreading_compatible=True`, so {{consequence}}",
    },
    help: {
      missing: 'Add `# cython: freethreading_compatible=True` to the header once the module is thread-safe',
      missingCythonized:
        'Add `# cython: freethreading_compatible=True` to the header once the module is thread-safe, or pass `compiler_directives={\'freethreading_compatible\': True}` to the `cythonize()` call that compiles it ({{call}}) to declare all its modules at once',
      missingInBuild: 'Turn the directive on where this build sets Cython directives, once the modules are thread-safe',
      missingInVariable: "Add `'-X', 'freethreading_compatible=True'` to this list once the modules are thread-safe: every module that uses it is declared",
      missingInDefaults: 'Set `freethreading_compatible` to `True` in the same table once the modules are thread-safe: every module the build compiles is declared',
    },
  },
  // Every Cython module and every build file is a candidate; the rule reads project facts and the
  // module's header, never a tree.
  needsTree: false,
  prefilter: () => [0],
  check(ctx) {
    if (ctx.target !== 'cython') {
      checkBuildFile(ctx.path, ctx.project, (site, modules, confidence, headers) =>
        ctx.report({
          start: site.start,
          end: site.end,
          messageId: site.variable !== undefined ? 'missingInVariable' : site.defaults === true ? 'missingInDefaults' : 'missingInBuild',
          symbol: '<build>',
          data: { via: site.via, name: site.variable ?? '', modules: modules.names, consequence: modules.count === 1 ? 'it re-enables the GIL on import' : 'each re-enables the GIL on import' },
          ...(confidence === 'high' ? {} : { confidence }),
          ...(site.fix === undefined ? {} : { fix: { edits: [site.fix, ...(site.reassigned ?? []).map((r) => r.fix)] } }),
          ...relatedOfSite(site, headers),
        }),
      );
      return;
    }
    // A `.pyx` module, or a `.py` one the scan was told Cython compiles (pure-Python mode); never
    // a `.pxd` or `.pxi`.
    if (!ctx.path.endsWith('.pyx') && !ctx.path.endsWith('.py')) return;
    // A file `include`d into another module takes that module's directives.
    if (ctx.project.cythonIncluded.has(ctx.path.slice(ctx.path.lastIndexOf('/') + 1))) return;
    const header = cythonHeader(ctx.text);
    if (directive.test(header)) return;
    const sites = allSites(ctx.project);
    const covering = sites.filter((s) => siteCovers(s, ctx.path));
    // Declared by the build (here or through a Meson variable from a file above), or reported
    // once at the build site that sets directives (a Meson variable of directives included).
    if (covering.some((s) => s.declares || s.setsDirectives || inheritsDirective(s, sites) || directivesVariableOf(s, sites) !== undefined)) return;
    // A conditionally filled dict: decided for all the compile calls sharing it, as at the build.
    const shared = (s: CythonSite): CythonSite[] => sites.filter((o) => o.path === s.path && o.start === s.start && o.end === s.end);
    if (covering.some((s) => s.directivesUnderCondition === true && fixInBuild(shared(s), scannedModules(ctx.project).filter((p) => shared(s).some((o) => siteCovers(o, p))), ctx.project))) return;
    // A directive found in a build helper that compiles no site ftbot can see (lxml's
    // `setupinfo.py`): trusted for the whole project.
    if (covering.length === 0 && ctx.project.cythonDirectiveInBuild) return;
    const existing = directiveLine.exec(header);
    const edit =
      existing === null
        ? { start: 0, end: 0, text: '# cython: freethreading_compatible=True\n' }
        : { start: existing.index + existing[0].length, end: existing.index + existing[0].length, text: ', freethreading_compatible=True' };
    const span = { start: 0, end: Math.min(ctx.text.indexOf('\n') >>> 0, ctx.text.length), symbol: '<module>', fix: { edits: [edit] } };
    const call = cythonizeAlternative(covering);
    if (call?.callAt === undefined) {
      ctx.report({ ...span, messageId: 'missing' });
      return;
    }
    const where = `${call.path.slice(call.path.lastIndexOf('/') + 1)}:${call.callAt.line}`;
    ctx.report({
      ...span,
      // The help offers the cythonize() call too; the fix edits the header only, and says so.
      fix: { ...span.fix, title: 'Add `# cython: freethreading_compatible=True` to the header once the module is thread-safe' },
      messageId: 'missingCythonized',
      data: { call: where },
      related: [{ path: call.path, at: call.callAt, message: `\`cythonize()\` compiles this module: \`compiler_directives={'freethreading_compatible': True}\` here declares every module it compiles` }],
    });
  },
});

/**
 * The `cythonize()` call that compiles a module and sets no directives, where one keyword argument
 * would declare every module it compiles: the other place for a fix the header would otherwise
 * carry. A call that names the module's sources is preferred to one whose sources are a variable
 * (those cover every module below their folder); undefined unless exactly one call remains.
 */
function cythonizeAlternative(covering: readonly CythonSite[]): CythonSite | undefined {
  const plain = covering.filter((s) => s.callAt !== undefined && s.call === undefined && !s.setsDirectives && s.directivesUnderCondition !== true && s.fix !== undefined);
  const named = plain.filter((s) => s.sources.length > 0);
  const chosen = named.length > 0 ? named : plain;
  return chosen.length === 1 ? chosen[0] : undefined;
}

/**
 * Reports each compile site of the build file at `path` that compiles Cython modules without the
 * directive, when the fix belongs there (the site sets directives) or when none of its modules
 * is part of the scan (a build file scanned on its own).
 */
function checkBuildFile(
  path: string,
  project: ProjectFacts,
  report: (site: CythonSite, modules: { names: string; count: number }, confidence: 'high' | 'medium', headers?: ModuleHeaders) => void,
): void {
  const facts = project.buildFiles.get(path);
  if (facts === undefined) return;
  const sites = allSites(project);
  const scanned = scannedModules(project);
  const anchors = new Set<string>();
  for (const site of facts.cythonSites) {
    if (site.declares || inheritsDirective(site, sites)) continue;
    // A module whose directives come from a Meson variable is reported once, at the variable.
    if (site.variable === undefined && directivesVariableOf(site, sites) !== undefined) continue;
    // Compile calls that share one directives dict are one site, reported once at the dict.
    const anchor = `${site.start}:${site.end}`;
    if (anchors.has(anchor)) continue;
    anchors.add(anchor);
    // A Meson variable of directives stands for the `extension_module()` calls that use it.
    const group = site.variable === undefined ? facts.cythonSites.filter((s) => s.start === site.start && s.end === site.end) : sites.filter((s) => directivesVariableOf(s, sites) === site);
    if (site.variable !== undefined && group.length === 0) continue;
    const covered = scanned.filter((p) => group.some((s) => siteCovers(s, p)));
    if (covered.length > 0) {
      if (!fixInBuild(site.variable === undefined ? group : [site], covered, project)) continue;
      const undeclared = covered.filter((p) => project.cythonHeaders.get(p) !== true && !sites.some((s) => !group.includes(s) && s.declares && siteCovers(s, p)));
      // The other place a module's declaration can go: its header, for the one module a site
      // compiles, or for each of several that already keep directives in their headers.
      const headers: ModuleHeaders | undefined =
        undeclared.length === 1 ? { paths: undeclared, keepsDirectives: false } : { paths: undeclared.filter((p) => project.cythonDirectiveHeaders.has(p)), keepsDirectives: true };
      if (undeclared.length > 0) report(site, { names: `${undeclared.length === 1 ? 'the Cython module' : `${undeclared.length} Cython modules`} (${listed(undeclared)})`, count: undeclared.length }, 'high', headers);
      continue;
    }
    // The tree holds `.pyx` files but none matched this site: its sources were not read right.
    if (scanned.length > 0) continue;
    // A build file alone: trust another build file that declares for this folder.
    if (sites.some((s) => s.declares && site.path.startsWith(folderOf(s.path)))) continue;
    if (project.cythonDirectiveInBuild) continue;
    const names = [...new Set(group.flatMap((g) => g.sources))].filter((s) => !s.includes('$'));
    // One named source without a wildcard is one module; a pattern or unread sources may be several.
    const one = names.length === 1 && !/[*?{]/.test(names[0] ?? '');
    report(
      site,
      { names: names.length === 0 ? 'its Cython modules' : one ? `the Cython module (${listed(names)})` : `Cython modules (${listed(names)})`, count: one ? 1 : names.length === 0 ? 2 : names.length },
      names.some((n) => n.includes('*')) || names.length === 0 ? 'medium' : 'high',
    );
  }
}

/**
 * Module headers offered as the other place for a build finding's declaration: the one module a
 * site compiles, or those of several that already keep `# cython:` directives in their headers
 * (`keepsDirectives`), where a project that sets per-module directives puts this one too.
 */
type ModuleHeaders = { paths: readonly string[]; keepsDirectives: boolean };

/** Most module headers listed as related places of one build finding. */
const MAX_HEADER_PLACES = 5;

/**
 * A build site's related places: the compile call when the site is a dict, each later assignment
 * of that dict, and the module headers where the declaration can go instead (see `ModuleHeaders`).
 */
function relatedOfSite(site: CythonSite, headers: ModuleHeaders | undefined): Pick<ReportDescriptor<string>, 'related'> {
  const related: NonNullable<ReportDescriptor<string>['related']> = [
    ...(site.call === undefined ? [] : [{ start: site.call.start, message: `${site.call.via} compiles the modules with these directives` }]),
    ...(site.reassigned ?? []).map((r) => ({ start: r.start, end: r.end, message: 'the dict is assigned again here (this build uses these directives instead): the directive goes here too' })),
    ...(headers?.paths ?? []).slice(0, MAX_HEADER_PLACES).map((path) => ({
      path,
      at: { line: 1, column: 1 },
      message: headers?.keepsDirectives === true
        ? 'this module keeps its Cython directives in its header: `freethreading_compatible=True` added there declares it alone'
        : 'the module: `# cython: freethreading_compatible=True` in its header declares it alone',
    })),
  ];
  return related.length === 0 ? {} : { related };
}
