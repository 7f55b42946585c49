import { FtbotError } from '../errors.js';
import { normalizeVersion } from './normalize-version.js';

/**
 * Parsing of wheel filenames, following the binary distribution format and the platform
 * compatibility tags specifications (packaging.python.org):
 *
 *   {distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl
 *
 * Each tag field may be a compressed tag set (`py2.py3`, `abi3.abi3t`,
 * `manylinux_2_17_x86_64.manylinux2014_x86_64`); the wheel then matches every combination.
 */

/** One interpreter-ABI-platform triple a wheel declares, lowercased as installers compare them. */
export type WheelTag = {
  interpreter: string;
  abi: string;
  platform: string;
};

/** The optional build tag: a tie-breaker between wheels of the same version, starting with a digit. */
export type BuildTag = {
  /** The tag as written, e.g. `1` or `2b`. */
  tag: string;
  /** The leading digits, e.g. 2 for `2b`. */
  number: number;
  /** What follows the digits, e.g. `b` for `2b`; empty when the tag is all digits. */
  rest: string;
};

export type ParsedWheel = {
  filename: string;
  /** The project name normalised as on PyPI (PEP 503): lowercase, runs of `-_.` become `-`. */
  name: string;
  /** The PEP 440 normalised version. */
  version: string;
  build: BuildTag | null;
  /** The members of each tag field, lowercased, in the order written. */
  interpreters: string[];
  abis: string[];
  platforms: string[];
  /** The cross product of the three fields. */
  tags: WheelTag[];
};

/** One stable code per way a filename can be wrong; tests and callers match on these. */
export const WHEEL_FILENAME_ERRORS = {
  empty: 'E_WHEEL_FILENAME_EMPTY',
  tooLong: 'E_WHEEL_FILENAME_TOO_LONG',
  extension: 'E_WHEEL_FILENAME_EXTENSION',
  parts: 'E_WHEEL_FILENAME_PARTS',
  name: 'E_WHEEL_FILENAME_NAME',
  version: 'E_WHEEL_FILENAME_VERSION',
  build: 'E_WHEEL_FILENAME_BUILD',
  emptyTag: 'E_WHEEL_FILENAME_EMPTY_TAG',
  interpreter: 'E_WHEEL_FILENAME_INTERPRETER',
  tag: 'E_WHEEL_FILENAME_TAG',
  tooManyTags: 'E_WHEEL_FILENAME_TOO_MANY_TAGS',
} as const;

export type WheelFilenameErrorCode = (typeof WHEEL_FILENAME_ERRORS)[keyof typeof WHEEL_FILENAME_ERRORS];

export type WheelParseResult =
  | { ok: true; wheel: ParsedWheel }
  | { ok: false; error: { code: WheelFilenameErrorCode; message: string } };

/** Longer names are refused before any work; real ones stay well under 200 characters. */
const MAX_FILENAME_LENGTH = 512;
/** A compressed tag set expands to a cross product; real wheels have at most a few dozen tags. */
const MAX_TAGS = 1024;

/*
 * The escaped distribution name: ASCII letters, digits, `_` and `.`, starting and ending with a
 * letter or digit (PEP 508 names, after `-` was escaped to `_`). `__` cannot come out of the
 * escaping, so it marks a name that was not escaped properly (pypa/packaging refuses it too).
 *   'pydantic_core' → ok;  'zope.interface' → ok;  '_private' → refused;  'a__b' → refused
 */
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._]*[A-Za-z0-9])?$/;
/* The build tag must start with a digit: '1' → (1, ''), '2b' → (2, 'b'), 'b2' → refused. */
const BUILD = /^(\d+)(.*)$/;
/* Interpreter tags are identifiers (`cp313`, `py3`, `pp310`, `graalpy311`), as in pypa/packaging. */
const INTERPRETER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/* ABI and platform tags: letters, digits and `_` (`cp313t`, `pypy310_pp73`, `win_amd64`). */
const TAG = /^[A-Za-z0-9_]+$/;

/** Quotes a piece of untrusted input for a message: single quotes, control characters escaped, capped. */
function quote(text: string): string {
  const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return `'${shown.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

function fail(code: WheelFilenameErrorCode, message: string): never {
  throw new FtbotError(code, `wheels: ${message}`);
}

/** Splits one tag field into its members, checking each; `kind` names the field in messages. */
function splitField(field: string, kind: 'python' | 'abi' | 'platform', filename: string): string[] {
  const members = field.split('.');
  for (const member of members) {
    if (member === '') fail(WHEEL_FILENAME_ERRORS.emptyTag, `empty ${kind} tag in ${quote(field)} in ${quote(filename)}`);
    const valid = kind === 'python' ? INTERPRETER.test(member) : TAG.test(member);
    if (!valid) {
      if (kind === 'python') {
        fail(WHEEL_FILENAME_ERRORS.interpreter, `invalid python tag ${quote(member)} in ${quote(filename)}`);
      }
      fail(WHEEL_FILENAME_ERRORS.tag, `invalid ${kind} tag ${quote(member)} in ${quote(filename)}`);
    }
  }
  return members.map((m) => m.toLowerCase());
}

/**
 * Parses a wheel filename and throws on any departure from the specification.
 *
 * Use it where a bad name is a broken contract (a name the program built itself); for names
 * coming from users or an index, use {@link tryParseWheelFilename}.
 *
 * @param filename
 *   The bare filename, without directories, e.g. `numpy-2.3.0-cp313-cp313t-win_amd64.whl`.
 * @returns
 *   The normalised name and version, the build tag, the three tag fields and their cross product.
 * @throws FtbotError
 *   With one of the {@link WHEEL_FILENAME_ERRORS} codes; the message quotes the input and the
 *   failing part.
 *
 * @example
 *   parseWheelFilename('Foo.Bar-1.0-2b-py2.py3-none-any.whl')
 *   // { name: 'foo-bar', version: '1.0', build: { tag: '2b', number: 2, rest: 'b' },
 *   //   tags: [{ interpreter: 'py2', abi: 'none', platform: 'any' }, { interpreter: 'py3', … }], … }
 */
export function parseWheelFilename(filename: string): ParsedWheel {
  if (filename === '') fail(WHEEL_FILENAME_ERRORS.empty, 'empty wheel filename');
  if (filename.length > MAX_FILENAME_LENGTH) {
    fail(WHEEL_FILENAME_ERRORS.tooLong, `wheel filename longer than ${MAX_FILENAME_LENGTH} characters: ${quote(filename)}`);
  }
  if (!filename.endsWith('.whl')) {
    fail(WHEEL_FILENAME_ERRORS.extension, `wheel filename must end in '.whl': ${quote(filename)}`);
  }

  // A version never contains `-` and an escaped name never does, so the dashes split the fields:
  // 4 dashes without a build tag, 5 with one.
  const parts = filename.slice(0, -'.whl'.length).split('-');
  if (parts.length !== 5 && parts.length !== 6) {
    fail(
      WHEEL_FILENAME_ERRORS.parts,
      `wheel filename has ${parts.length} dash-separated parts, expected 5 or 6: ${quote(filename)}`,
    );
  }
  const [namePart = '', versionPart = ''] = parts;
  const buildPart = parts.length === 6 ? parts[2] : undefined;
  const [pythonField = '', abiField = '', platformField = ''] = parts.slice(-3);

  if (!NAME.test(namePart) || namePart.includes('__')) {
    fail(WHEEL_FILENAME_ERRORS.name, `invalid project name ${quote(namePart)} in ${quote(filename)}`);
  }
  const name = namePart.toLowerCase().replace(/[-_.]+/g, '-');

  const version = normalizeVersion(versionPart);
  if (version === undefined) {
    fail(WHEEL_FILENAME_ERRORS.version, `invalid version ${quote(versionPart)} in ${quote(filename)}`);
  }

  let build: BuildTag | null = null;
  if (buildPart !== undefined) {
    const match = BUILD.exec(buildPart);
    const digits = match?.[1];
    const number = digits === undefined ? Number.NaN : Number(digits);
    if (match === null || !Number.isSafeInteger(number)) {
      fail(WHEEL_FILENAME_ERRORS.build, `invalid build tag ${quote(buildPart)} in ${quote(filename)} (must start with a digit)`);
    }
    build = { tag: buildPart, number, rest: match[2] ?? '' };
  }

  const interpreters = splitField(pythonField, 'python', filename);
  const abis = splitField(abiField, 'abi', filename);
  const platforms = splitField(platformField, 'platform', filename);
  const count = interpreters.length * abis.length * platforms.length;
  if (count > MAX_TAGS) {
    fail(WHEEL_FILENAME_ERRORS.tooManyTags, `compressed tag set expands to ${count} tags (limit ${MAX_TAGS}) in ${quote(filename)}`);
  }

  const tags: WheelTag[] = [];
  for (const interpreter of interpreters) {
    for (const abi of abis) {
      for (const platform of platforms) tags.push({ interpreter, abi, platform });
    }
  }
  return { filename, name, version, build, interpreters, abis, platforms, tags };
}

/**
 * Parses a wheel filename and returns the failure as data instead of throwing.
 *
 * @param filename
 *   The bare filename, as listed by an index or typed by a user.
 * @returns
 *   `{ ok: true, wheel }`, or `{ ok: false, error: { code, message } }` with the code and message
 *   {@link parseWheelFilename} would have thrown.
 */
export function tryParseWheelFilename(filename: string): WheelParseResult {
  try {
    return { ok: true, wheel: parseWheelFilename(filename) };
  } catch (error) {
    if (error instanceof FtbotError && isWheelFilenameErrorCode(error.code)) {
      return { ok: false, error: { code: error.code, message: error.message } };
    }
    throw error;
  }
}

const CODES: ReadonlySet<string> = new Set(Object.values(WHEEL_FILENAME_ERRORS));

function isWheelFilenameErrorCode(code: string): code is WheelFilenameErrorCode {
  return CODES.has(code);
}
