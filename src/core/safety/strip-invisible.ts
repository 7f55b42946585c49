/**
 * Removes characters a reader cannot see but a model or a parser reads: zero-width characters,
 * bidirectional controls (the "Trojan Source" trick), the BOM, soft hyphens and Unicode tag
 * characters (U+E0000–U+E007F, which can spell out hidden ASCII instructions).
 *
 * @example
 *   stripInvisible('ig\u200bnore \u202Eprevious\u{E0041}') // → 'ignore previous'
 */
export function stripInvisible(text: string): string {
  return text.replace(/[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|[\u{E0000}-\u{E007F}]/gu, '');
}
