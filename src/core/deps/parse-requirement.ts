import { parseMarker, type MarkerNode } from './parse-marker.js';
import { quote } from './quote.js';

/** A PEP 508 requirement, split into its parts. */
export type Requirement = {
  /** The name as written, e.g. `Pillow`. */
  name: string;
  /** PEP 503 normal form, e.g. `pydantic-core`: the key for deduplication and index look-ups. */
  key: string;
  extras: string[];
  /** The version specifier without spaces, e.g. `>=1.26,<3`; empty when there is none. */
  specifier: string;
  /** The marker text after `;`, trimmed; null when there is none. */
  marker: string | null;
  markerTree: MarkerNode | null;
  /** The direct reference after `@` (`name @ https://…`), when there is one. */
  url?: string;
};

export type RequirementParseResult = { ok: true; requirement: Requirement } | { ok: false; error: string };

/*
 * Parts of the grammar (packaging.python.org, "Dependency specifiers"). Worked example:
 *   'requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < "2.7"'
 *   → name 'requests', extras ['security', 'tests'], specifier '>=2.8.1,==2.8.*',
 *     marker 'python_version < "2.7"'
 */
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;
const IDENTIFIER = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const VERSION_CLAUSE = /^(~=|===|==|!=|<=|>=|<|>)[ \t]*([A-Za-z0-9_.*+!-]+)$/;

/** PEP 503 normal form of a project name. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function parseSpecifier(text: string): string | { error: string } {
  const trimmed = text.trim().replace(/,[ \t]*$/, '');
  if (trimmed === '') return '';
  const clauses: string[] = [];
  for (const part of trimmed.split(',')) {
    const m = VERSION_CLAUSE.exec(part.trim());
    if (m === null) return { error: `${quote(part.trim())} is not a version clause` };
    clauses.push(`${m[1]}${m[2]}`);
  }
  return clauses.join(',');
}

/**
 * Parses one PEP 508 requirement string (the form of `[project] dependencies` entries).
 *
 * @param text
 *   E.g. `numpy>=1.26; python_version >= "3.10"` or `pkg @ https://example.org/pkg.whl`.
 * @returns
 *   The parts, or an error naming what does not parse. Never throws.
 *
 * @example
 *   parseRequirement('Pillow[avif] (>=11) ; sys_platform != "emscripten"')
 *   // { ok: true, requirement: { name: 'Pillow', key: 'pillow', extras: ['avif'], specifier: '>=11', marker: 'sys_platform != "emscripten"', … } }
 */
export function parseRequirement(text: string): RequirementParseResult {
  let rest = text.trim();
  const nameMatch = NAME.exec(rest);
  if (nameMatch === null) return { ok: false, error: 'expected a project name' };
  const name = nameMatch[0];
  rest = rest.slice(name.length).trimStart();

  // 1. Extras: `[a, b]`.
  let extras: string[] = [];
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) return { ok: false, error: 'missing `]` after the extras' };
    extras = rest
      .slice(1, close)
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '');
    const bad = extras.find((e) => !IDENTIFIER.test(e));
    if (bad !== undefined) return { ok: false, error: `${quote(bad)} is not a valid extra name` };
    rest = rest.slice(close + 1).trimStart();
  }

  // 2. A direct reference (`@ URL`, which ends at whitespace) or a version specifier.
  let url: string | undefined;
  let specifier = '';
  let markerText: string | null = null;
  if (rest.startsWith('@')) {
    const afterAt = rest.slice(1).trimStart();
    const end = afterAt.search(/[ \t]/);
    url = end === -1 ? afterAt : afterAt.slice(0, end);
    if (url === '') return { ok: false, error: 'missing URL after `@`' };
    const tail = end === -1 ? '' : afterAt.slice(end).trim();
    if (tail !== '') {
      if (!tail.startsWith(';')) return { ok: false, error: `unexpected ${quote(tail)} after the URL` };
      markerText = tail.slice(1).trim();
    }
  } else {
    const semicolon = rest.indexOf(';');
    let spec = semicolon === -1 ? rest : rest.slice(0, semicolon);
    if (semicolon !== -1) markerText = rest.slice(semicolon + 1).trim();
    spec = spec.trim();
    if (spec.startsWith('(')) {
      if (!spec.endsWith(')')) return { ok: false, error: 'missing `)` after the version specifier' };
      spec = spec.slice(1, -1);
    }
    const parsed = parseSpecifier(spec);
    if (typeof parsed !== 'string') return { ok: false, error: parsed.error };
    specifier = parsed;
  }

  // 3. The marker.
  let markerTree: MarkerNode | null = null;
  if (markerText !== null) {
    const parsed = parseMarker(markerText);
    if (!parsed.ok) return { ok: false, error: `invalid marker: ${parsed.error}` };
    markerTree = parsed.marker;
  }
  return {
    ok: true,
    requirement: {
      name,
      key: normalizeProjectName(name),
      extras,
      specifier,
      marker: markerText,
      markerTree,
      ...(url === undefined ? {} : { url }),
    },
  };
}
