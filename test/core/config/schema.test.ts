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
    expect(problems.map((p) => p.path).sort()).toEqual(['(root)', 'min-confidence', 'select.0']);
    expect(problems.every((p) => p.source === 'pyproject.toml' && p.message.length > 0)).toBe(true);
  });
});
