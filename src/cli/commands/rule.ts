import { readFileSync } from 'node:fs';
import { closestMatch } from '../../core/config/closest-match.js';
import { withoutFrontMatter } from '../../core/report/rule-docs.js';
import { findRule, rules } from '../../core/rules/index.js';
import { packagePath } from '../../io/package-path.js';
import { EXIT_ERROR, EXIT_OK, UsageError, type CliIo, type Command } from '../io.js';

const usage = `Usage: ftbot rule <id|name>

Prints the documentation of one rule (what it flags, why it matters without the GIL, examples, fix).
`;

export const command: Command = {
  name: 'rule',
  summary: "Print a rule's documentation",
  usage,
  run(args: string[], io: CliIo): number {
    const key = args[0];
    if (key === undefined) throw new UsageError('missing rule id, e.g. `ftbot rule FT001`');
    const rule = findRule(key);
    if (rule === undefined) {
      const near = closestMatch(key, [...rules.map((r) => r.meta.id), ...rules.map((r) => r.meta.name)]);
      io.stderr(`ftbot rule: unknown rule '${key}'${near === undefined ? '' : ` (did you mean '${near}'?)`}; run \`ftbot rules\` for the list\n`);
      return EXIT_ERROR;
    }
    const file = packagePath('docs', 'rules', `${rule.meta.id.toLowerCase()}-${rule.meta.name}.md`);
    let text: string;
    try {
      text = withoutFrontMatter(readFileSync(file, 'utf8'));
    } catch {
      text = `# ${rule.meta.id} ${rule.meta.name}\n\n${rule.meta.title}\n`;
    }
    io.stdout(text.endsWith('\n') ? text : `${text}\n`);
    return EXIT_OK;
  },
};
