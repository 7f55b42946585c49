/**
 * Version requirements as build files write them (PEP 508 strings in `[build-system] requires`,
 * Cargo requirements, action tags), reduced to what the packaging rules compare: the lowest and
 * the highest version the requirement lets a build use.
 */

/** A `major.minor.patch` version; missing parts are 0. */
export type Version = [number, number, number];

export type Requirement = {
  /** The distribution name, normalised (lower case, `_`/`.` → `-`). */
  name: string;
  /** The specifier as written, e.g. `>=0.29,<3.1`; empty when there is none. */
  spec: string;
  /** The lowest version the specifier allows, when it has a lower bound. */
  min?: Version;
  /** The highest version allowed: from `==`, `<`, `<=` or `~=`; undefined when unbounded. */
  max?: { version: Version; inclusive: boolean };
};

/** `3.1` → [3, 1, 0]; undefined when the text does not start with a number. */
export function parseVersion(text: string): Version | undefined {
  const m = /^\s*v?(\d{1,6})(?:\.(\d{1,6}))?(?:\.(\d{1,6}))?/.exec(text);
  if (m === null) return undefined;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

/** A version with a pre-release or development suffix after its release numbers. */
const PRE_OR_DEV = /^\s*v?\d+(?:\.\d+)*[-_.]?(?:alpha|a|beta|b|preview|pre|c|rc|dev)\d*/i;

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`. */
export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export function formatVersion(v: Version): string {
  return v[2] === 0 ? `${v[0]}.${v[1]}` : v.join('.');
}

/**
 * True when the requirement lets a build use only versions older than `boundary` (an `==` pin or
 * an upper bound below it); the build then cannot use the feature `boundary` introduced.
 */
export function onlyOlderThan(req: Pick<Requirement, 'max'>, boundary: Version): boolean {
  if (req.max === undefined) return false;
  const c = compareVersions(req.max.version, boundary);
  return c < 0 || (c === 0 && !req.max.inclusive);
}

/** True when the requirement's lower bound is below `boundary` (older versions are allowed). */
export function allowsOlderThan(req: Pick<Requirement, 'min' | 'max'>, boundary: Version): boolean {
  return req.min === undefined ? req.max !== undefined : compareVersions(req.min, boundary) < 0;
}

/**
 * Parses one PEP 508 requirement string (name, optional extras, specifiers; markers ignored).
 *
 * @example
 *   parseRequirement('Cython>=0.29,<3.1') // → { name: 'cython', spec: '>=0.29,<3.1', min: [0,29,0], max: {version: [3,1,0], inclusive: false} }
 *   parseRequirement('pybind11==2.12.0')  // → min and max both 2.12.0
 */
export function parseRequirement(text: string): Requirement | undefined {
  const head = text.split(';')[0]?.trim() ?? '';
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*\(?([^)]*)\)?$/.exec(head);
  if (m === null) return undefined;
  const name = (m[1] ?? '').toLowerCase().replace(/[._]+/g, '-');
  const spec = (m[2] ?? '').trim();
  const req: Requirement = { name, spec };
  for (const clause of spec.split(',')) {
    const c = /^\s*(===|==|~=|>=|<=|!=|>|<)\s*([^\s,]+)/.exec(clause);
    if (c === null) continue;
    const op = c[1] ?? '';
    const value = c[2] ?? '';
    const version = parseVersion(value);
    if (version === undefined) continue;
    // A pre-release or development release (`3.1.0a1`, `3.1.0.dev0`) comes before its final
    // release: `<=3.1.0a1` and `==3.1.0a1` do not let a build use 3.1.0.
    const beforeFinal = PRE_OR_DEV.test(value);
    if (beforeFinal && (op === '<=' || op === '==' || op === '===')) {
      if (op !== '<=') req.min = version;
      req.max = { version, inclusive: false };
    } else if (op === '==' || op === '===') {
      if (value.includes('*')) {
        // `==2.12.*`: every 2.12.x, nothing newer.
        req.min = version;
        req.max = { version: [version[0], version[1] + 1, 0], inclusive: false };
      } else {
        req.min = version;
        req.max = { version, inclusive: true };
      }
    } else if (op === '>=' || op === '>') req.min = version;
    else if (op === '<') req.max = { version, inclusive: false };
    else if (op === '<=') req.max = { version, inclusive: true };
    else if (op === '~=') {
      // `~=2.12` allows 2.x from 2.12; `~=2.12.1` allows 2.12.x from 2.12.1.
      req.min = version;
      const parts = value.split('.').length;
      req.max = { version: parts >= 3 ? [version[0], version[1] + 1, 0] : [version[0] + 1, 0, 0], inclusive: false };
    }
  }
  return req;
}

/**
 * A Cargo requirement: `"0.22"` and `"^0.22"` allow `>=0.22.0, <0.23.0` (caret semantics below 1.0);
 * `"=0.22.5"` pins; `"~0.22"` allows 0.22.x; `">=0.21, <0.23"` is read clause by clause.
 */
export function parseCargoRequirement(name: string, text: string): Requirement {
  const req: Requirement = { name, spec: text.trim() };
  for (const clause of text.split(',')) {
    const c = /^\s*(\^|~|=|>=|<=|>|<)?\s*(\d[\w.]*)/.exec(clause);
    if (c === null) continue;
    const op = c[1] ?? '^';
    const version = parseVersion(c[2] ?? '');
    if (version === undefined) continue;
    if (op === '^' || op === '~') {
      req.min = version;
      const upper: Version = op === '~' || version[0] === 0 ? [version[0], version[1] + 1, 0] : [version[0] + 1, 0, 0];
      req.max = { version: upper, inclusive: false };
    } else if (op === '=') {
      req.min = version;
      req.max = { version, inclusive: true };
    } else if (op === '>=' || op === '>') req.min = version;
    else if (op === '<') req.max = { version, inclusive: false };
    else if (op === '<=') req.max = { version, inclusive: true };
  }
  return req;
}
