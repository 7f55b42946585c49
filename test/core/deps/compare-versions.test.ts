import { describe, expect, it } from 'vitest';
import { compareVersions, parseVersion, versionSatisfies } from '../../../src/core/deps/compare-versions.js';

function order(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (pa === undefined || pb === undefined) throw new Error('test: not a version');
  return Math.sign(compareVersions(pa, pb));
}

describe('compareVersions', () => {
  it('orders dev, pre, final and post releases as PEP 440 does', () => {
    const sorted = ['1.0.post1', '1.0', '1.0rc1', '1.0.dev0', '1.0a1', '1.0b2', '0.9', '1!0.1', '1.0+local'];
    const parsed = sorted.map((v) => ({ v, p: parseVersion(v) }));
    parsed.sort((a, b) => compareVersions(a.p ?? { epoch: 0, release: [] }, b.p ?? { epoch: 0, release: [] }));
    expect(parsed.map((x) => x.v)).toEqual(['0.9', '1.0.dev0', '1.0a1', '1.0b2', '1.0rc1', '1.0', '1.0+local', '1.0.post1', '1!0.1']);
  });

  it('pads releases with zeros', () => {
    expect(order('3.14', '3.14.0')).toBe(0);
    expect(order('3.9', '3.13')).toBe(-1);
  });
});

describe('versionSatisfies', () => {
  it('handles comparison, wildcard and compatible-release operators', () => {
    expect(versionSatisfies('3.14', '>=', '3.13')).toBe(true);
    expect(versionSatisfies('3.9', '>=', '3.13')).toBe(false);
    expect(versionSatisfies('3.14.2', '==', '3.14.*')).toBe(true);
    expect(versionSatisfies('3.15.0', '!=', '3.14.*')).toBe(true);
    expect(versionSatisfies('3.13', '~=', '3.12')).toBe(true);
    expect(versionSatisfies('4.0', '~=', '3.12')).toBe(false);
    expect(versionSatisfies('3.14.0rc1', '<', '3.14')).toBe(false);
    expect(versionSatisfies('1.0.post1', '>', '1.0')).toBe(false);
    expect(versionSatisfies('3.14', '===', '3.14')).toBe(true);
  });

  it('says undefined when a side is not a version', () => {
    expect(versionSatisfies('linux', '==', '3.14')).toBeUndefined();
    expect(versionSatisfies('3.14', '>=', 'surprise')).toBeUndefined();
    expect(versionSatisfies('3.14', '~=', '3')).toBeUndefined();
  });
});
