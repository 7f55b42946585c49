import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/diagnostics.js';
import { buildReview, patchLines, renderCheckRun, renderReviewBody } from '../../../src/core/review/index.js';

function finding(ruleId: string, line: number, confidence: Finding['confidence'] = 'high', severity: Finding['severity'] = 'warning'): Finding {
  return {
    ruleId,
    ruleName: `rule-${ruleId.toLowerCase()}`,
    path: 'src/m.c',
    line,
    column: 5,
    endLine: line,
    endColumn: 9,
    message: `${ruleId} message`,
    severity,
    confidence,
    fingerprint: `${ruleId}${line}`,
  } as Finding;
}

// Lines 10–14 are in the hunk; only 12 and 13 are added.
const diff = new Map([['src/m.c', patchLines('@@ -10,3 +10,5 @@\n a\n b\n+c\n+d\n e')]]);
const plan = (findings: Finding[], posted = new Set<string>()) =>
  buildReview({ findings, textOf: () => undefined, diff, posted, maxInlineComments: 10, docsBaseUrl: '' });

describe('placement', () => {
  it('comments only on added lines; findings on context lines go to the summary', () => {
    const p = plan([finding('FT001', 11), finding('FT002', 12), finding('FT003', 14), finding('FT004', 30)]);
    expect(p.comments.map((c) => c.line)).toEqual([12]);
    expect(p.outsideDiff.map((f) => f.line)).toEqual([11, 14, 30]);
  });

  it('lists every rule on a line in one comment, with one marker per finding', () => {
    const p = plan([finding('FT001', 12), finding('FT004', 12), finding('FT016', 13)]);
    expect(p.comments.map((c) => c.line)).toEqual([12, 13]);
    const [first] = p.comments;
    expect(first?.body.split('\n\n---\n\n').map((part) => part.slice(0, 9))).toEqual(['**FT001**', '**FT004**']);
    expect(first?.body.match(/<!-- ftbot:fp [^>]+ -->/g)).toEqual(['<!-- ftbot:fp ft00112 -->', '<!-- ftbot:fp ft00412 -->']);
    expect(renderReviewBody(p)).toBe('ftbot: 3 new free-threading findings on lines this pull request adds (2 lines).');
  });

  it("names a finding's related places under its message, on the primary line only", () => {
    const related = [
      { path: 'src/m.c', line: 40, column: 9, message: '`cache` lazily initialised in `get`' },
      { path: 'src/other.c', line: 7, column: 5, message: 'also written in `put`' },
      ...[50, 51, 52, 53].map((line) => ({ path: 'src/m.c', line, column: 1, message: 'another write' })),
    ];
    const p = plan([{ ...finding('FT014', 12), related }]);
    expect(p.comments.map((c) => c.line)).toEqual([12]);
    expect(p.comments[0]?.body.split('\n').filter((l) => l.startsWith('Related:'))).toEqual([
      'Related: line 40 (`cache` lazily initialised in `get`); `src/other.c:7` (also written in `put`); line 50 (another write); line 51 (another write); line 52 (another write); and 1 more',
    ]);
    // Without related places the comment has no such line.
    expect(plan([finding('FT014', 12)]).comments[0]?.body).not.toContain('Related:');
  });

  it('comments a finding whose own line is not added on the first related place the pull request adds', () => {
    // FT014 at the declaration (line 3, unchanged); the pull request adds a write on line 13.
    const related = [
      { path: 'src/m.c', line: 30, column: 5, message: '`cache` written in `get`' },
      { path: 'src/m.c', line: 13, column: 5, message: '`cache` also written in `put`' },
    ];
    const moved = { ...finding('FT014', 3), related, fix: { title: 'Guard it', applicability: 'safe' as const, edits: [{ start: 0, end: 0, text: 'x' }] } };
    const p = plan([moved, finding('FT016', 13)]);
    expect(p.comments.map((c) => [c.path, c.line, c.start_line])).toEqual([['src/m.c', 13, undefined]]);
    expect(p.inline.map((f) => f.ruleId)).toEqual(['FT014', 'FT016']);
    expect(p.outsideDiff).toEqual([]);
    const [part] = p.comments[0]?.body.split('\n\n---\n\n') ?? [];
    expect(part?.split('\n')[0]).toBe('This line is one of the places of the finding at line 3: `cache` also written in `put`.');
    // Its fix edits its own line, not this one: named, never offered as a suggestion here.
    expect(part).toContain('Fix: Guard it');
    expect(part).not.toContain('```suggestion');
    // No related place added: the summary, as before.
    const kept = plan([{ ...finding('FT014', 3), related: [related[0]!] }]);
    expect(kept.comments).toEqual([]);
    expect(kept.outsideDiff.map((f) => f.line)).toEqual([3]);
  });

  it('comments low-confidence findings on added lines, labelled, and keeps the others in the summary', () => {
    const p = plan([finding('FT002', 12, 'low'), finding('FT002', 11, 'low')]);
    expect(p.comments).toHaveLength(1);
    expect(p.comments[0]?.body.split('\n')[0]).toBe('**FT002** FT002 message (FT002: rule-ft002, low confidence)');
    expect(p.lowConfidence.map((f) => f.line)).toEqual([11]);
  });

  it('posts only the findings of a line not commented before', () => {
    const p = plan([finding('FT001', 12), finding('FT004', 12)], new Set(['FT00112']));
    expect(p.alreadyPosted.map((f) => f.ruleId)).toEqual(['FT001']);
    expect(p.comments[0]?.body.startsWith('**FT004**')).toBe(true);
  });
});

describe('renderCheckRun', () => {
  it('fails on an added finding at or above `fail-on`, never on context lines', () => {
    const p = plan([finding('FT001', 12, 'high', 'warning'), finding('FT009', 11, 'high', 'error')]);
    expect(renderCheckRun({ plan: p, failOn: 'none', docsBaseUrl: '' }).conclusion).toBe('neutral');
    expect(renderCheckRun({ plan: p, failOn: 'error', docsBaseUrl: '' }).conclusion).toBe('neutral');
    expect(renderCheckRun({ plan: p, failOn: 'warning', docsBaseUrl: '' }).conclusion).toBe('failure');
    expect(renderCheckRun({ plan: plan([]), failOn: 'warning', docsBaseUrl: '' }).conclusion).toBe('success');
    const annotations = renderCheckRun({ plan: p, failOn: 'none', docsBaseUrl: '' }).annotations;
    expect(annotations.map((a) => [a.start_line, a.annotation_level])).toEqual([
      [11, 'failure'],
      [12, 'warning'],
    ]);
  });
});
