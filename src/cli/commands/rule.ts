import { readFileSync } from 'node:fs';
import { findRule } from '../../core/rules/index.js';
import { packagePath } from '../../io/package-path.js';
import { EXIT_ERROR, EXIT_OK, UsageError, type CliIo, type Command } from '../io.js';

const usage = `Usage: ftbot rule <id|name>

Prints the documentation of one rule (what it flags, why it matters without the GIL, examples, fix).
`;

export const command: Command = {
  name: 'rule',
  summary: "Print a rule's documentation",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const key = args[0];
    if (key === undefined) throw new UsageError('missing rule id, e.g. `ftbot rule FT001`');
    const rule = findRule(key);
    if (rule === undefined) {
      io.stderr(`ftbot rule: unknown rule '${key}'; run \`ftbot rules\` for the list\n`);
      return EXIT_ERROR;
    }
    const file = packagePath('docs', 'rules', `${rule.meta.id.toLowerCase()}-${rule.meta.name}.md`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = `# ${rule.meta.id} ${rule.meta.name}\n\n${rule.meta.title}\n`;
    }
    io.stdout(text.endsWith('\n') ? text : `${text}\n`);
    return EXIT_OK;
  },
};
