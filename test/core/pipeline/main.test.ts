import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/core/config/schema.js';
import { runPipeline } from '../../../src/core/pipeline/main.js';
import type { ListedFile, PipelineOutput, PipelineRunner } from '../../../src/core/pipeline/types.js';
import { selectFiles } from '../../../src/core/pipeline/select-files/select-files.js';
import { loadGrammars } from '../../../src/io/load-grammars.js';

const source = 'static PyObject *f(PyObject *d, PyObject *k) { return PyDict_GetItem(d, k); }\n';

/** A runner over files held in memory that records which of its ports were called, in order. */
function memoryRunner(files: Record<string, string>, listed: ListedFile[]): { runner: PipelineRunner; calls: string[]; written: PipelineOutput[] } {
  const calls: string[] = [];
  const written: PipelineOutput[] = [];
  const runner: PipelineRunner = {
    start: async () => void calls.push('start'),
    listFiles: async () => (calls.push('list'), { files: listed }),
    readFiles: async (chosen) => (calls.push(`read ${chosen.map((f) => f.path).join(',')}`), chosen.flatMap((f) => (files[f.path] === undefined ? [] : [{ path: f.path, text: files[f.path] as string }]))),
    readPrevious: async () => (calls.push('previous'), { posted: new Set(), previousBody: undefined }),
    drafting: async ({ allowLlm }) => (calls.push(`drafting llm=${allowLlm}`), undefined),
    grammars: async () => loadGrammars(),
    write: async (output) => void (calls.push(`write ${output.kind}`), written.push(output)),
  };
  return { runner, calls, written };
}

const job = { docsBaseUrl: '', sourceUrl: (path: string, line: number) => `${path}#L${line}` };

describe('runPipeline', () => {
  it('runs a review through the runner in step order and writes once', async () => {
    const listed = [{ path: 'src/mod.c', patch: '@@ -0,0 +1 @@\n+x\n' }, { path: 'src/gone.c', removed: true }, { path: 'README.md' }];
    const { runner, calls, written } = memoryRunner({ 'src/mod.c': source }, listed);
    const output = await runPipeline({ job: { ...job, kind: 'review', headSha: 'a'.repeat(40) }, config: defaultConfig, runner });
    expect(calls).toEqual(['start', 'list', 'read src/mod.c', 'previous', 'drafting llm=true', 'write review']);
    expect(written).toEqual([output]);
    expect(output.kind === 'review' && output.review.plan.comments.map((c) => `${c.path}:${c.line}`)).toEqual(['src/mod.c:1']);
  });

  it('hands the later steps the listing and the chosen files without their patches, once the diff is read', async () => {
    const listed = [{ path: 'src/mod.c', patch: '@@ -0,0 +1 @@\n+x\n' }, { path: 'pyproject.toml', patch: '@@ -1 +1 @@\n-a\n+b\n' }];
    const { runner } = memoryRunner({ 'src/mod.c': source, 'pyproject.toml': '[project]\nname = "m"\n' }, listed);
    const seen: { read: ListedFile[]; dependencies: ListedFile[] } = { read: [], dependencies: [] };
    const readFiles = runner.readFiles;
    runner.readFiles = async (chosen, skipped) => (seen.read.push(...chosen), readFiles(chosen, skipped));
    runner.checkDependencies = async (_known, listing) => (seen.dependencies.push(...listing.files), undefined);
    const output = await runPipeline({ job: { ...job, kind: 'review', headSha: 'a'.repeat(40) }, config: defaultConfig, runner });
    expect(seen.read.map((f) => f.path)).toEqual(['src/mod.c', 'pyproject.toml']);
    expect(seen.read.filter((f) => 'patch' in f)).toEqual([]);
    expect(seen.dependencies.map((f) => f.path)).toEqual(['src/mod.c', 'pyproject.toml']);
    expect(seen.dependencies.filter((f) => 'patch' in f)).toEqual([]);
    // The diff was read from the patches before they were dropped: the finding is still inline.
    expect(output.kind === 'review' && output.review.plan.comments.map((c) => `${c.path}:${c.line}`)).toEqual(['src/mod.c:1']);
    // The runner's own listing is left as it was.
    expect(listed[0]).toHaveProperty('patch');
  });

  it('runs a triage without reading previous comments and without a model', async () => {
    const { runner, calls, written } = memoryRunner({ 'src/mod.c': source }, [{ path: 'src/mod.c', size: source.length }]);
    const output = await runPipeline({ job: { ...job, kind: 'triage', sha: 'b'.repeat(40), repoBase: '' }, config: defaultConfig, runner });
    expect(calls).toEqual(['start', 'list', 'read src/mod.c', 'drafting llm=false', 'write triage']);
    expect(written.map((o) => o.kind)).toEqual(['triage']);
    expect(output.kind === 'triage' && output.scan.findings.map((f) => f.ruleId)).toContain('FT001');
  });
});

describe('selectFiles', () => {
  it('leaves out excluded, removed and unclassified files', () => {
    const listing = { files: [{ path: 'src/a.c' }, { path: 'vendor/b.c' }, { path: 'src/c.c', removed: true }, { path: 'docs/x.md' }] };
    const { chosen } = selectFiles({ job: { ...job, kind: 'review', headSha: '' }, listing, exclude: ['vendor/'], maxFileSize: 1e6 });
    expect(chosen.map((f) => f.path)).toEqual(['src/a.c']);
  });

  it('reads build files first when the first triage is over its file budget, and says so', () => {
    const files = [...Array.from({ length: 205 }, (_, i) => ({ path: `src/f${i}.c`, size: 10 })), { path: 'pyproject.toml', size: 10 }];
    const { chosen, skipped } = selectFiles({ job: { ...job, kind: 'triage', sha: '', repoBase: '', first: true }, listing: { files }, exclude: [], maxFileSize: 1e6 });
    expect(chosen).toHaveLength(200);
    expect(chosen[0]?.path).toBe('pyproject.toml');
    expect(skipped.map((d) => d.message)).toEqual([
      '6 more files not scanned: the limit is 200 files per run',
      'the first triage reads at most 200 files; the triage command (write access) reads up to 1500',
    ]);
  });
});
