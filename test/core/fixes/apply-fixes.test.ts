import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/diagnostics.js';
import { scanFiles, type Grammars } from '../../../src/core/engine/scan-files.js';
import { applyFixes } from '../../../src/core/fixes/apply-fixes.js';
import { unifiedDiff } from '../../../src/core/fixes/unified-diff.js';
import { classifyPath } from '../../../src/core/languages.js';
import { rules } from '../../../src/core/rules/index.js';
import { loadGrammars } from '../../../src/io/load-grammars.js';

function finding(start: number, end: number, text: string, applicability: 'safe' | 'unsafe' | 'display-only' = 'safe'): Finding {
  return {
    ruleId: 'FT900',
    ruleName: 'x',
    path: 'm.c',
    line: 1,
    column: start + 1,
    endLine: 1,
    endColumn: end + 1,
    message: 'm',
    severity: 'warning',
    confidence: 'high',
    fingerprint: `${start}`,
    fix: { title: 't', applicability, edits: [{ start, end, text }] },
  };
}

describe('applyFixes', () => {
  it('applies safe fixes, unsafe ones only when asked, and display-only ones never', () => {
    const fs = [finding(0, 1, 'A'), finding(1, 2, 'B', 'unsafe'), finding(2, 3, 'C', 'display-only')];
    expect(applyFixes('abc', fs, { unsafe: false })).toMatchObject({ text: 'Abc', deferred: 0 });
    expect(applyFixes('abc', fs, { unsafe: true })).toMatchObject({ text: 'ABc', deferred: 0 });
  });

  it('defers a fix that overlaps one already taken, and applies a fix shared by two findings once', () => {
    const overlapping = applyFixes('abcdef', [finding(0, 3, 'X'), finding(2, 4, 'Y'), finding(5, 5, '!')], { unsafe: false });
    expect(overlapping).toMatchObject({ text: 'Xde!f', deferred: 1 });
    const shared = applyFixes('ab', [finding(1, 1, '+'), finding(1, 1, '+')], { unsafe: false });
    expect(shared).toMatchObject({ text: 'a+b', deferred: 0 });
    expect(shared.applied).toHaveLength(2);
  });
});

describe('unifiedDiff', () => {
  it('prints hunks with three lines of context, as diff -u does', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n') + '\n';
    const after = before.replace('5\n', 'five\n').replace('10\n', '10\n11\n');
    expect(unifiedDiff('m.c', before, after)).toBe(
      ['--- a/m.c', '+++ b/m.c', '@@ -2,9 +2,10 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', ' 9', ' 10', '+11', ''].join('\n'),
    );
    expect(unifiedDiff('m.c', 'a\n', 'a\n')).toBe('');
    expect(unifiedDiff('m.c', 'a\nb\n', 'b\n')).toBe('--- a/m.c\n+++ b/m.c\n@@ -1,2 +1 @@\n-a\n b\n');
  });
});

/** Every top-level fixture of every rule with a fix: apply all its fixes (unsafe included), re-scan. */
const here = dirname(fileURLToPath(import.meta.url));
const fixtureRoot = join(here, '..', '..', 'fixtures', 'rules');
const fixable = rules.filter((r) => r.meta.fix !== 'never');

describe('every fixture, fixed and re-scanned', () => {
  let grammars: Grammars;
  beforeAll(async () => {
    grammars = await loadGrammars(['c', 'cpp', 'cython', 'rust']);
  });

  it('has rules with fixes to check', () => {
    expect(fixable.length).toBeGreaterThan(3);
  });

  for (const rule of fixable) {
    const folder = readdirSync(fixtureRoot).find((n) => n.startsWith(`${rule.meta.id.toLowerCase()}-`));
    it(`${rule.meta.id}: fixes clear their findings and add none`, () => {
      expect(folder).toBeDefined();
      const top = join(fixtureRoot, folder ?? '');
      // Top-level files stand alone; a sub-folder is a small project scanned together (PyO3 needs its Cargo.toml).
      // Each file keeps its path inside its project (`.github/workflows/x.yml` is a workflow only there).
      const groups: Array<Array<{ abs: string; path: string }>> = [];
      for (const name of readdirSync(top).sort()) {
        const path = join(top, name);
        if (statSync(path).isFile()) groups.push([{ abs: path, path: basename(path) }]);
        else if (name !== '__snapshots__') {
          const files = readdirSync(path, { recursive: true, encoding: 'utf8' }).sort();
          groups.push(files.map((rel) => ({ abs: join(path, rel), path: rel.split(sep).join('/') })));
        }
      }
      let fixedSomething = false;
      for (const group of groups) {
        const inputs = group.filter((f) => statSync(f.abs).isFile() && classifyPath(f.path) !== undefined).map((f) => ({ path: f.path, text: readFileSync(f.abs, 'utf8') }));
        const scan = (path: string, t: string) =>
          scanFiles({ files: inputs.map((f) => (f.path === path ? { path, text: t } : f)), grammars, rules: [rule], config: { maxFileSize: 5_000_000, minSeverity: 'info' } });
        for (const { path: name, text } of inputs) {
          const before = scan(name, text).findings.filter((f) => f.path === name);
          let current = text;
          // As `ftbot scan --fix` does: apply, re-scan, repeat while fixes were deferred.
          for (let pass = 0; pass < 10; pass++) {
            const result = applyFixes(current, scan(name, current).findings.filter((f) => f.path === name), { unsafe: true });
            current = result.text;
            if (result.deferred === 0) break;
          }
          if (current === text) continue;
          fixedSomething = true;
          const after = scan(name, current);
          const left = after.findings.filter((f) => f.path === name);
          expect(after.diagnostics.filter((d) => d.kind === 'parse-error' && d.path === name), `${name} parses after fixing`).toEqual([]);
          expect(left.filter((f) => f.fix !== undefined && f.fix.applicability !== 'display-only'), `${name}: fixable findings left`).toEqual([]);
          // Nothing new: every finding left was there before, unfixed.
          const beforeKeys = new Set(before.map((f) => `${f.ruleId}:${f.message}`));
          for (const f of left) expect(beforeKeys.has(`${f.ruleId}:${f.message}`), `${name}: new finding ${f.message}`).toBe(true);
        }
      }
      expect(fixedSomething, `${rule.meta.id}: no top-level fixture had a fix to apply`).toBe(true);
    });
  }
});
