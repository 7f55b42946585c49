import type { PackageFile, PackageIndex } from '../ports.js';
import { DEFAULT_FREE_THREADED_MINORS, freeThreadedSupport, releasedMinors, type WheelSupport } from './free-threaded-support.js';
import { tryParseWheelFilename, type WheelFilenameErrorCode } from './parse-wheel-filename.js';
import { buildTagMatrix, type MatrixColumn, type TagMatrix } from './tag-matrix.js';

/** A listed filename that ends in `.whl` but is not a valid wheel name. */
export type WheelFilenameError = {
  filename: string;
  code: WheelFilenameErrorCode;
  message: string;
};

export type WheelCheck = {
  project: string;
  /** The release checked; null when the index could not say. */
  version: string | null;
  wheels: WheelSupport[];
  errors: WheelFilenameError[];
  /** Null when the index could not answer (`status: 'unknown'`). */
  matrix: TagMatrix | null;
  /** `unknown`: the index did not answer; `note` says why. */
  status: 'ok' | 'unknown';
  /** One or two sentences worth showing next to the matrix: why unknown, sdist fallback, `abi3t`. */
  note?: string;
};

export type CheckOptions = {
  /** Free-threaded 3.x minors to report (default 13, 14, 15). */
  minors?: readonly number[];
  columns?: readonly MatrixColumn[];
};

/**
 * Analyses a list of wheel filenames without asking any index (`ftbot wheels --offline`).
 *
 * @param params
 *   `filenames`: bare filenames; names not ending in `.whl` are reported as errors too.
 *   `project`, `version`: what to call the result; by default taken from the wheels when they
 *   all belong to one release, else empty.
 * @returns
 *   Every valid wheel with its free-threaded support, the invalid names with their error codes,
 *   and the matrix. Never throws for a bad name.
 */
export function checkWheelFilenames(
  params: { filenames: readonly string[]; project?: string; version?: string } & CheckOptions,
): WheelCheck {
  const { filenames, minors, columns } = params;
  const wheels: WheelSupport[] = [];
  const errors: WheelFilenameError[] = [];
  for (const filename of filenames) {
    const parsed = tryParseWheelFilename(filename);
    if (parsed.ok) wheels.push(freeThreadedSupport(parsed.wheel, minors === undefined ? {} : { minors }));
    else errors.push({ filename, code: parsed.error.code, message: parsed.error.message });
  }
  const matrixOptions = { ...(minors === undefined ? {} : { minors }), ...(columns === undefined ? {} : { columns }) };
  const matrix = buildTagMatrix(wheels, matrixOptions);
  // Name the result after the wheels only when they all belong to one release.
  const names = new Set(wheels.map((w) => w.wheel.name));
  const versions = new Set(wheels.map((w) => `${w.wheel.name} ${w.wheel.version}`));
  const first = wheels[0]?.wheel;
  const check: WheelCheck = {
    project: params.project ?? (names.size === 1 ? (first?.name ?? '') : ''),
    version: params.version ?? (versions.size === 1 ? (first?.version ?? null) : null),
    wheels,
    errors,
    matrix,
    status: 'ok',
  };
  const note = abi3tNote(wheels);
  if (note !== undefined) check.note = note;
  return check;
}

/**
 * Checks which free-threaded CPython builds can install a release from a package index.
 *
 * Steps:
 * 1. ask the index for the release's files (the latest release when `version` is omitted);
 * 2. on an unknown answer, return `status: 'unknown'` with the reason as the note;
 * 3. analyse every `.whl` file, collecting invalid names as errors;
 * 4. build the matrix and add a note on the sdist fallback, yanked releases and `abi3t`.
 *
 * @param params
 *   `project` and optional `version`; `index`, the port that lists files; matrix options.
 * @returns
 *   The check; never throws for index trouble.
 *
 * @example
 *   const check = await checkWheels({ project: 'numpy', index: createPypiIndex() });
 *   check.matrix?.rows[1]?.cells[0] // { column: 'manylinux-x86_64', status: 'yes', wheel: 'numpy-…-cp314t-….whl', … }
 */
export async function checkWheels(
  params: { project: string; version?: string; index: PackageIndex } & CheckOptions,
): Promise<WheelCheck> {
  const { project, version, index, minors, columns } = params;
  // 1. Ask the index.
  const release = await index.findRelease(version === undefined ? { project } : { project, version });
  // 2. Unknown answers are data.
  if (release.status === 'unknown') {
    return { project, version: version ?? null, wheels: [], errors: [], matrix: null, status: 'unknown', note: release.reason };
  }
  // 3. Analyse the wheels; other files (sdists, eggs, installers) are not errors.
  const wheelFiles = release.files.filter((f) => f.filename.endsWith('.whl'));
  // Rows only for interpreters that existed when the release was uploaded.
  const uploadTimes = release.files.flatMap((f) => (f.uploadTime === undefined ? [] : [f.uploadTime]));
  const rows = releasedMinors(minors ?? DEFAULT_FREE_THREADED_MINORS, uploadTimes);
  const check = checkWheelFilenames({
    filenames: wheelFiles.map((f) => f.filename),
    project: release.project,
    version: release.version,
    minors: rows,
    ...(columns === undefined ? {} : { columns }),
  });
  // 4. Notes.
  const notes = [releaseNote(release.files, check)];
  const requested = minors ?? DEFAULT_FREE_THREADED_MINORS;
  const unreleased = requested.filter((m) => !rows.includes(m)).map((m) => `\`3.${m}t\``);
  if (unreleased.length > 0) notes.push(`No row for ${unreleased.join(', ')}: that CPython was not released yet when this version was uploaded.`);
  if (check.note !== undefined) notes.push(check.note);
  const note = notes.filter((n) => n !== undefined).join(' ');
  if (note !== '') check.note = note;
  else delete check.note;
  return check;
}

/** Says what an installer falls back to when no wheel serves free-threaded builds. */
function releaseNote(files: readonly PackageFile[], check: WheelCheck): string | undefined {
  // The name comes from the index: a backtick in it must not end the code span.
  const label = `\`${check.project.replace(/[`\r\n]/g, "'")}\` ${check.version ?? ''}`.trim();
  if (files.length > 0 && files.every((f) => f.yanked === true)) {
    return `Every file of ${label} is yanked; installers skip it unless pinned exactly.`;
  }
  const hasSdist = files.some((f) => f.packageType === 'sdist' || /\.(tar\.gz|zip)$/.test(f.filename));
  if (check.wheels.length === 0) {
    return hasSdist
      ? `${label} has no wheels; installers build it from the sdist.`
      : `${label} has no wheels and no sdist.`;
  }
  const missing = check.matrix?.rows.filter((r) => r.cells.some((c) => c.status === 'no')) ?? [];
  if (missing.length === 0) return undefined;
  return hasSdist
    ? `Where a cell shows no wheel, pip and uv try to build ${label} from the sdist, which needs a compiler and the project's free-threading support.`
    : `Where a cell shows no wheel, ${label} cannot be installed: the release has no sdist.`;
}

/** `abi3t` wheels are only picked by installers whose tag list has `abi3t` (packaging 26.1 and later). */
function abi3tNote(wheels: readonly WheelSupport[]): string | undefined {
  const uses = wheels.some((w) => w.freeThreaded.some((m) => m.route === 'abi3t'));
  return uses
    ? 'Some cells rely on `abi3t` wheels, which only installers built on packaging 26.1 or later select.'
    : undefined;
}
