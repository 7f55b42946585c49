import type { ConfigProblem } from '../config/schema.js';
import { CONFIG_MARKER } from './markers.js';
import { inlineText } from './render-finding.js';
import { truncateBody } from './truncate-body.js';

/**
 * The comment that reports invalid configuration once: each problem names the file, the key and
 * what is wrong; ftbot goes on with its defaults for that file.
 *
 * @example
 *   renderConfigProblems([{ source: '.github/ftbot.yml', path: 'max-inline-comments', message: 'Too big' }])
 */
export function renderConfigProblems(problems: readonly ConfigProblem[]): string {
  const lines = [
    CONFIG_MARKER,
    '## ftbot: invalid configuration',
    '',
    'ftbot ignored the settings below and used its defaults for them:',
    '',
    ...problems.map((p) => `- \`${inlineText(p.source).replace(/`/g, "'")}\`: \`${inlineText(p.path).replace(/`/g, "'")}\`: ${inlineText(p.message)}`),
    '',
    'Fix the file on the default branch; this comment is updated on the next run.',
  ];
  return truncateBody(lines.join('\n'));
}
