/**
 * PEP 440 ordering and specifier matching, as far as environment markers need them
 * (`python_version >= "3.13"`, `python_full_version < "3.14.1"`, `== "3.14.*"`, `~= "3.13"`).
 */
import { pep440Version } from '../pep440-version.js';

/** A parsed PEP 440 version. Pre-release kinds are ranked `a` < `b` < `rc`. */
export type ParsedVersion = {
  epoch: number;
  release: number[];
  pre?: { rank: number; number: number };
  post?: number;
  dev?: number;
  local?: string;
};

const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

/**
 * Parses a PEP 440 version.
 *
 * @param text
 *   The version as written, e.g. `3.14.0rc1`.
 * @returns
 *   Its parts, or undefined when `text` is not a PEP 440 version.
 */
export function parseVersion(text: string): ParsedVersion | undefined {
  const m = pep440Version.exec(text.trim());
  if (m === null) return undefined;
  const [, epoch, release, preLabel, preNumber, implicitPost, postLabel, postNumber, devLabel, devNumber, local] = m;
  const version: ParsedVersion = { epoch: Number(epoch ?? 0), release: (release ?? '0').split('.').map(Number) };
  if (preLabel !== undefined) version.pre = { rank: PRE_RANK[preLabel.toLowerCase()] ?? 2, number: Number(preNumber ?? 0) };
  if (implicitPost !== undefined) version.post = Number(implicitPost);
  else if (postLabel !== undefined) version.post = Number(postNumber ?? 0);
  if (devLabel !== undefined) version.dev = Number(devNumber ?? 0);
  if (local !== undefined) version.local = local.toLowerCase().replace(/[-_]/g, '.');
  return version;
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRelease(a: readonly number[], b: readonly number[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = compareNumbers(a[i] ?? 0, b[i] ?? 0);
    if (order !== 0) return order;
  }
  return 0;
}

/** Sort keys after the release, the way PEP 440 orders them: `1.0.dev0 < 1.0a1 < 1.0 < 1.0.post1`. */
function suffixKey(v: ParsedVersion): number[] {
  // A dev release of a final version sorts before its pre-releases.
  const pre =
    v.pre === undefined
      ? v.post === undefined && v.dev !== undefined
        ? [-Infinity, 0]
        : [Infinity, 0]
      : [v.pre.rank, v.pre.number];
  const post = v.post === undefined ? -Infinity : v.post;
  const dev = v.dev === undefined ? Infinity : v.dev;
  return [...pre, post, dev];
}

function compareLocal(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const sa = a.split('.');
  const sb = b.split('.');
  for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
    const x = sa[i];
    const y = sb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    // Numeric segments sort after alphanumeric ones (PEP 440, local versions).
    const order = nx && ny ? compareNumbers(Number(x), Number(y)) : nx ? 1 : ny ? -1 : x < y ? -1 : x > y ? 1 : 0;
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * Orders two parsed versions as PEP 440 does.
 *
 * @returns
 *   A negative number, zero or a positive number, like `Array.prototype.sort` expects.
 *
 * @example
 *   compareVersions(parseVersion('3.14.0rc1')!, parseVersion('3.14')!) // < 0
 */
export function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  const epoch = compareNumbers(a.epoch, b.epoch);
  if (epoch !== 0) return epoch;
  const release = compareRelease(a.release, b.release);
  if (release !== 0) return release;
  const ka = suffixKey(a);
  const kb = suffixKey(b);
  for (let i = 0; i < ka.length; i++) {
    const order = compareNumbers(ka[i] ?? 0, kb[i] ?? 0);
    if (order !== 0) return order;
  }
  return compareLocal(a.local, b.local);
}

/** The comparison operators of PEP 440 version specifiers. */
export type VersionOperator = '<' | '<=' | '>' | '>=' | '==' | '!=' | '~=' | '===';

function withoutLocal(v: ParsedVersion): ParsedVersion {
  const { local: _local, ...rest } = v;
  return rest;
}

function isPre(v: ParsedVersion): boolean {
  return v.pre !== undefined || v.dev !== undefined;
}

/** `==3.14.*`: the candidate's release starts with the prefix (epoch equal, missing parts are 0). */
function matchesPrefix(candidate: ParsedVersion, prefix: ParsedVersion): boolean {
  if (candidate.epoch !== prefix.epoch) return false;
  return prefix.release.every((part, i) => (candidate.release[i] ?? 0) === part);
}

/**
 * Whether `candidate` satisfies the specifier `<operator><spec>`; undefined when either side is
 * not a version (markers then fall back to string comparison).
 *
 * @example
 *   versionSatisfies('3.14', '>=', '3.13') // true
 *   versionSatisfies('3.14.2', '==', '3.14.*') // true
 *   versionSatisfies('3.13', '~=', '3.12') // true (~=3.12 means >=3.12, ==3.*)
 */
export function versionSatisfies(candidate: string, operator: VersionOperator, spec: string): boolean | undefined {
  if (operator === '===') return candidate.trim().toLowerCase() === spec.trim().toLowerCase();
  const v = parseVersion(candidate);
  if (v === undefined) return undefined;
  const wildcard = spec.trim().endsWith('.*');
  if (wildcard && operator !== '==' && operator !== '!=') return undefined;
  const s = parseVersion(wildcard ? spec.trim().slice(0, -2) : spec);
  if (s === undefined) return undefined;
  switch (operator) {
    case '==':
    case '!=': {
      const equal = wildcard
        ? matchesPrefix(v, s)
        : compareVersions(s.local === undefined ? withoutLocal(v) : v, s) === 0;
      return operator === '==' ? equal : !equal;
    }
    case '<=':
      return compareVersions(withoutLocal(v), s) <= 0;
    case '>=':
      return compareVersions(withoutLocal(v), s) >= 0;
    case '<':
      // `<3.14` excludes 3.14's own pre-releases unless the specifier is a pre-release itself.
      if (compareVersions(v, s) >= 0) return false;
      return !(isPre(v) && !isPre(s) && compareRelease(v.release, s.release) === 0);
    case '>': {
      if (compareVersions(withoutLocal(v), s) <= 0) return false;
      // `>3.14` excludes 3.14's post-releases unless the specifier is a post-release itself.
      const postOfSpec = v.post !== undefined && s.post === undefined && compareRelease(v.release, s.release) === 0 && v.pre === undefined;
      return !postOfSpec;
    }
    case '~=': {
      if (s.release.length < 2) return undefined;
      const prefix: ParsedVersion = { epoch: s.epoch, release: s.release.slice(0, -1) };
      return compareVersions(withoutLocal(v), s) >= 0 && matchesPrefix(v, prefix);
    }
  }
}
