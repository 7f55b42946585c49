import { describe, expect, it } from 'vitest';
import { selectRules, unknownSelectors } from '../../../src/core/engine/select-rules.js';
import { rules } from '../../../src/core/rules/index.js';

const ids = (select: string[], ignore: string[] = [], preview = false): string[] =>
  selectRules(rules, { select, ignore, preview }).map((r) => r.meta.id);
const stable = rules.filter((r) => !r.meta.preview).map((r) => r.meta.id);
const previewIds = rules.filter((r) => r.meta.preview).map((r) => r.meta.id);

describe('selectRules', () => {
  it('has preview rules to test with', () => {
    expect(previewIds.length).toBeGreaterThan(0);
  });

  it('runs every stable rule when nothing is selected', () => {
    expect(ids([])).toEqual(stable);
  });

  it('runs every rule, preview included, with ALL', () => {
    expect(ids(['ALL'])).toEqual(rules.map((r) => r.meta.id));
  });

  it('selects by prefix, leaving out preview rules', () => {
    expect(ids(['FT00'])).toEqual(stable.filter((id) => id.startsWith('FT00')));
    expect(ids(['FT01'])).toEqual(stable.filter((id) => id.startsWith('FT01')));
  });

  it('includes preview rules matched by a prefix when preview is on', () => {
    expect(ids(['FT01'], [], true)).toEqual(rules.map((r) => r.meta.id).filter((id) => id.startsWith('FT01')));
  });

  it('runs a preview rule selected by its exact id', () => {
    const id = previewIds[0] ?? 'FT014';
    expect(ids([id])).toEqual([id]);
  });

  it('lets ignore win over select, by id or prefix', () => {
    expect(ids(['ALL'], ['FT016'])).not.toContain('FT016');
    expect(ids(['FT001', 'FT002'], ['FT002'])).toEqual(['FT001']);
    expect(ids(['ALL'], ['FT0'])).toEqual([]);
    expect(ids(['FT001'], ['ALL'])).toEqual([]);
  });

  it('selects nothing for an id that no rule has', () => {
    expect(ids(['FT999'])).toEqual([]);
  });
});

describe('unknownSelectors', () => {
  it('accepts ids, prefixes of existing ids and ALL in any case, and names the closest id otherwise', () => {
    expect(unknownSelectors(['FT001', 'ft0', 'FT03', 'all', 'FT'], rules)).toEqual([]);
    expect(unknownSelectors(['FT999', 'FT08', 'E501', 'F'], rules).map((u) => u.message)).toEqual([
      "unknown rule selector 'FT999' (did you mean 'FT009'?)",
      "unknown rule selector 'FT08' (did you mean 'FT008'?)",
      "unknown rule selector 'E501' (expected a rule id such as FT001, a prefix such as FT0, or ALL)",
      "unknown rule selector 'F' (expected a rule id such as FT001, a prefix such as FT0, or ALL)",
    ]);
  });

  it('adds extend-select to the default set', () => {
    const preview = rules.find((r) => r.meta.preview)?.meta.id ?? '';
    expect(selectRules(rules, { select: [], ignore: [], preview: false, extendSelect: [preview] }).map((r) => r.meta.id)).toContain(preview);
  });
});
