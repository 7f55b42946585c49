/**
 * PEP 440 version parsing, only as far as a wheel filename needs it: is the text a valid version,
 * and what is its normalised spelling. Ordering versions is not needed here and is not offered.
 */
import { pep440Version } from '../pep440-version.js';

/** Spellings PEP 440 accepts for each pre-release kind, mapped to the normal one. */
const PRE_LABELS: Record<string, string> = {
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  c: 'rc',
  rc: 'rc',
  pre: 'rc',
  preview: 'rc',
};

/** Drops leading zeros from a run of digits without going through `Number` (no precision loss). */
function stripZeros(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}

/**
 * Returns the normalised form of a PEP 440 version, or undefined when `text` is not one.
 *
 * @param text
 *   The version as written, e.g. `2.0.0RC1` or `1.0-1`.
 * @returns
 *   The normalised version (`2.0.0rc1`, `1.0.post1`), or undefined.
 *
 * @example
 *   normalizeVersion('1!02.3.ALPHA') // '1!2.3a0'
 */
export function normalizeVersion(text: string): string | undefined {
  const match = pep440Version.exec(text);
  if (match === null) return undefined;
  const [, epoch, release, preLabel, preNumber, implicitPost, postLabel, postNumber, devLabel, devNumber, local] =
    match;
  let out = '';
  if (epoch !== undefined && stripZeros(epoch) !== '0') out += `${stripZeros(epoch)}!`;
  out += (release ?? '').split('.').map(stripZeros).join('.');
  if (preLabel !== undefined) out += `${PRE_LABELS[preLabel.toLowerCase()] ?? preLabel}${stripZeros(preNumber ?? '0')}`;
  if (implicitPost !== undefined) out += `.post${stripZeros(implicitPost)}`;
  else if (postLabel !== undefined) out += `.post${stripZeros(postNumber ?? '0')}`;
  if (devLabel !== undefined) out += `.dev${stripZeros(devNumber ?? '0')}`;
  if (local !== undefined) {
    const segments = local
      .toLowerCase()
      .split(/[-_.]/)
      .map((s) => (/^\d+$/.test(s) ? stripZeros(s) : s));
    out += `+${segments.join('.')}`;
  }
  return out;
}
