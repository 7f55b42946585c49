import { describe, expect, it } from 'vitest';
import { defaultConfig, resolveConfig } from '../../../src/core/config/schema.js';

describe('resolveConfig', () => {
  it('returns the defaults when no source has settings', () => {
    expect(resolveConfig([{ source: 'pyproject.toml', value: undefined }])).toEqual({ config: defaultConfig, problems: [] });
  });

  it('merges sources in order: later wins, ignore and exclude accumulate', () => {
    const { config, problems } = resolveConfig([
      { source: '.github/ftbot.yml', value: { select: ['FT0'], ignore: ['FT016'], 'min-confidence': 'medium', label: 'nogil' } },
      { source: 'pyproject.toml', value: { ignore: ['FT018'], 'min-severity': 'warning', 'max-inline-comments': 5 } },
    ]);
    expect(problems).toEqual([]);
    expect(config.select).toEqual(['FT0']);
    expect(config.ignore).toEqual(['FT016', 'FT018']);
    expect(config.minConfidence).toBe('medium');
    expect(config.minSeverity).toBe('warning');
    expect(config.label).toBe('nogil');
    expect(config.maxInlineComments).toBe(5);
    // The shared defaults object is never mutated.
    expect(defaultConfig.ignore).toEqual([]);
  });

  it('reports each invalid key with its path and skips that source', () => {
    const { config, problems } = resolveConfig([
      { source: 'pyproject.toml', value: { 'min-confidence': 'sure', select: ['FT1234'], colour: 'blue' } },
    ]);
    expect(config).toEqual(defaultConfig);
    expect(problems.map((p) => p.path).sort()).toEqual(['colour', 'min-confidence', 'select.0']);
    expect(problems.every((p) => p.source === 'pyproject.toml' && p.message.length > 0)).toBe(true);
  });

  it('rejects unknown rule ids and prefixes with a did-you-mean, and reads ids case-insensitively', () => {
    const bad = resolveConfig([{ source: 'pyproject.toml', value: { select: ['ft001'], ignore: ['FT999'], 'extend-select': ['FT08'] } }]);
    expect(bad.config).toEqual(defaultConfig);
    expect(bad.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      "extend-select.0: unknown rule selector 'FT08' (did you mean 'FT008'?)",
      "ignore.0: unknown rule selector 'FT999' (did you mean 'FT009'?)",
    ]);
    const good = resolveConfig([{ source: 'pyproject.toml', value: { select: ['ft0'], ignore: ['ft016'] } }]);
    expect(good.problems).toEqual([]);
    expect(good.config.select).toEqual(['FT0']);
    expect(good.config.ignore).toEqual(['FT016']);
  });

  it('suggests the closest key for a misspelt one', () => {
    const { problems } = resolveConfig([{ source: '.ftbot.toml', value: { 'min-confidance': 'high', llm: { modle: 'x' } } }]);
    expect(problems.map((p) => `${p.path}: ${p.message}`).sort()).toEqual([
      "llm.modle: unknown key 'modle' (did you mean 'model'?)",
      "min-confidance: unknown key 'min-confidance' (did you mean 'min-confidence'?)",
    ]);
  });

  it('reads extend-select, per-file-ignores and extend-exclude', () => {
    const { config, problems } = resolveConfig([
      { source: 'pyproject.toml', value: { 'extend-select': ['FT014'], 'per-file-ignores': { 'tests/**': ['ft001', 'FT0'] }, exclude: ['a/'], 'extend-exclude': ['b/'] } },
    ]);
    expect(problems).toEqual([]);
    expect(config.extendSelect).toEqual(['FT014']);
    expect(config.perFileIgnores).toEqual([{ pattern: 'tests/**', ruleIds: ['FT001', 'FT0'] }]);
    expect(config.exclude).toEqual(['a/', 'b/']);
  });
});
