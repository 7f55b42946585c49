import type { WheelCheck } from './check-wheels.js';
import type { WheelTag } from './parse-wheel-filename.js';
import type { TagMatrix } from './tag-matrix.js';

/** The JSON contract of `ftbot wheels --format json`; field names and order are stable. */
export type WheelJson = {
  wheels: {
    filename: string;
    name: string;
    version: string;
    /** The build tag as written, or null. */
    build: string | null;
    tags: WheelTag[];
    /** Free-threaded interpreters that install the wheel, e.g. `["3.14t"]`. */
    freeThreaded: string[];
    /** `<family>-<cpu>` targets, e.g. `["manylinux-x86_64"]`; `["any"]` for pure-Python wheels. */
    platforms: string[];
  }[];
  errors: { filename: string; error: string }[];
  matrix: TagMatrix | null;
};

/**
 * Maps a wheel check to the JSON contract, keeping only what the contract names.
 *
 * @param check
 *   The result of `checkWheels` or `checkWheelFilenames`.
 * @returns
 *   A plain object ready for `JSON.stringify`.
 */
export function toWheelJson(check: WheelCheck): WheelJson {
  return {
    wheels: check.wheels.map(({ wheel, freeThreaded, targets }) => ({
      filename: wheel.filename,
      name: wheel.name,
      version: wheel.version,
      build: wheel.build?.tag ?? null,
      tags: wheel.tags.map(({ interpreter, abi, platform }) => ({ interpreter, abi, platform })),
      freeThreaded: freeThreaded.map((m) => m.python),
      platforms: targets,
    })),
    errors: check.errors.map((e) => ({ filename: e.filename, error: e.message })),
    matrix: check.matrix,
  };
}
