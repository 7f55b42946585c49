/**
 * The wheel-tag check: which free-threaded CPython builds can install a release's wheels.
 * See README.md in this folder for an example.
 */
export { checkWheelFilenames, checkWheels } from './check-wheels.js';
export type { CheckOptions, WheelCheck, WheelFilenameError } from './check-wheels.js';
export { describePlatformTag } from './describe-platform-tag.js';
export type { PlatformFamily, PlatformInfo } from './describe-platform-tag.js';
export { DEFAULT_FREE_THREADED_MINORS, freeThreadedSupport } from './free-threaded-support.js';
export type { FreeThreadedMatch, FreeThreadedRoute, WheelSupport } from './free-threaded-support.js';
export { normalizeVersion } from './normalize-version.js';
export { parseWheelFilename, tryParseWheelFilename, WHEEL_FILENAME_ERRORS } from './parse-wheel-filename.js';
export type { BuildTag, ParsedWheel, WheelFilenameErrorCode, WheelParseResult, WheelTag } from './parse-wheel-filename.js';
export { renderWheelReport } from './render-wheel-report.js';
export type { WheelReportFormat } from './render-wheel-report.js';
export { buildTagMatrix, DEFAULT_MATRIX_COLUMNS } from './tag-matrix.js';
export type { MatrixCell, MatrixColumn, MatrixRow, TagMatrix } from './tag-matrix.js';
export { toWheelJson } from './to-wheel-json.js';
export type { WheelJson } from './to-wheel-json.js';
