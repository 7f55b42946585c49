import { describe, expect, it } from 'vitest';
import { findSectionForRule } from '../../../src/core/knowledge/find-section-for-rule.js';
import { buildCorpusIndex } from '../../helpers/knowledge-corpus.js';

const index = buildCorpusIndex();

describe('findSectionForRule', () => {
  it('prefers a section of a knowledge page that lists the rule', () => {
    expect(findSectionForRule({ ruleId: 'FT003', index })?.id).toBe(
      'knowledge/dict-iteration.md#wrapping-pydict_next-in-a-critical-section',
    );
    expect(findSectionForRule({ ruleId: 'ft001', index })?.page).toBe('knowledge/list-access.md');
  });

  it('returns undefined for a rule nothing explains', () => {
    expect(findSectionForRule({ ruleId: 'FT099', index })).toBeUndefined();
  });
});
