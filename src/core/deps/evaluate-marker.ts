import { versionSatisfies } from './compare-versions.js';
import type { MarkerNode, MarkerOperator, MarkerValue } from './parse-marker.js';

/**
 * What a marker variable holds in one target environment:
 * - a string: the exact value (`"linux"`, `"3.14"`);
 * - `{ series: '3.14' }`: any final release of that series (`python_full_version` of "3.14t" can
 *   be 3.14.0 or 3.14.5; a comparison that depends on the patch level is `unknown`);
 * - `null`: not knowable for a target (`platform_release`, `platform_version`).
 */
export type MarkerEnvironmentValue = string | { series: string } | null;

export type MarkerEnvironment = Readonly<Record<string, MarkerEnvironmentValue>>;

/** Three-valued result: `unknown` when the marker depends on something the target does not fix. */
export type MarkerResult = true | false | 'unknown';

/** Variables whose values are versions; the others compare as strings unless both sides parse. */
const VERSION_VARIABLES = new Set(['python_version', 'python_full_version', 'implementation_version', 'platform_release']);

/** PEP 685 normal form of an extra name, so `extra == "GPU_support"` matches group `gpu-support`. */
function normalizeExtra(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Compares two concrete strings the way PEP 508 says: as versions when both parse, else as strings. */
function compareStrings(left: string, operator: MarkerOperator, right: string, versionAware: boolean): MarkerResult {
  if (operator === 'in') return right.includes(left);
  if (operator === 'not in') return !right.includes(left);
  if (versionAware) {
    const result = versionSatisfies(left, operator, right);
    if (result !== undefined) return result;
  }
  switch (operator) {
    case '==':
    case '===':
      return left === right;
    case '!=':
      return left !== right;
    // Legacy string rules of the spec: `<=`/`>=` mean equality, `<`/`>` are false.
    case '<=':
    case '>=':
      return left === right;
    case '<':
    case '>':
      return false;
    case '~=':
      // `"dog" ~= "fred"` is an error in the spec; we cannot decide it.
      return 'unknown';
  }
}

/** The concrete values a side can take: one string, several (a release series), or none known. */
function candidates(value: MarkerValue, other: MarkerValue, env: MarkerEnvironment): string[] | null {
  if (value.kind === 'string') return [value.value];
  const held = env[value.name];
  if (held === undefined || held === null) return null;
  if (typeof held === 'string') return [held];
  // A series: probe its first release, a late one and, if the other side names a release of the
  // same series, that one too (`python_full_version == "3.14.2"` is true only for 3.14.2).
  const probes = [`${held.series}.0`, `${held.series}.99`];
  if (other.kind === 'string' && other.value.trim().startsWith(`${held.series}.`)) probes.push(other.value.trim().replace(/\.\*$/, ''));
  return probes;
}

function evaluateCompare(node: Extract<MarkerNode, { kind: 'compare' }>, env: MarkerEnvironment): MarkerResult {
  const { left, operator, right } = node;
  const lefts = candidates(left, right, env);
  const rights = candidates(right, left, env);
  if (lefts === null || rights === null) return 'unknown';
  const isExtra = (v: MarkerValue): boolean => v.kind === 'variable' && v.name === 'extra';
  const extra = isExtra(left) || isExtra(right);
  const versionAware = [left, right].some((v) => v.kind === 'variable' && VERSION_VARIABLES.has(v.name)) ||
    (left.kind === 'string' && right.kind === 'string');
  const results = new Set<MarkerResult>();
  for (const l of lefts) {
    for (const r of rights) {
      results.add(
        extra
          ? compareStrings(normalizeExtra(l), operator, normalizeExtra(r), false)
          : compareStrings(l, operator, r, versionAware),
      );
    }
  }
  return results.size === 1 ? [...results][0] ?? 'unknown' : 'unknown';
}

/**
 * Evaluates a parsed marker in one environment with Kleene logic: `false and unknown` is false,
 * `true or unknown` is true.
 *
 * @param marker
 *   A tree from `parseMarker`.
 * @param env
 *   Variable values (see {@link MarkerEnvironmentValue}); a missing variable is `unknown`.
 * @returns
 *   `true`, `false` or `'unknown'`.
 *
 * @example
 *   const m = parseMarker('python_version < "3.13"');
 *   m.ok && evaluateMarker(m.marker, { python_version: '3.14' }) // false
 */
export function evaluateMarker(marker: MarkerNode, env: MarkerEnvironment): MarkerResult {
  if (marker.kind === 'compare') return evaluateCompare(marker, env);
  const results = marker.items.map((item) => evaluateMarker(item, env));
  if (marker.kind === 'and') {
    if (results.includes(false)) return false;
    return results.every((r) => r === true) ? true : 'unknown';
  }
  if (results.includes(true)) return true;
  return results.every((r) => r === false) ? false : 'unknown';
}
