import { parseArgs } from 'node:util';
import { rules } from '../../core/rules/index.js';
import { EXIT_OK, UsageError, type CliIo, type Command } from '../io.js';

const usage = `Usage: ftbot rules [--format text|json]

Lists every rule: id, name, severity, whether it has a fix, and whether it is a preview rule.
`;

export const command: Command = {
  name: 'rules',
  summary: 'List the rules',
  usage,
  run(args: string[], io: CliIo): number {
    const { values } = parseArgs({ args, options: { format: { type: 'string', default: 'text' } } });
    if (values.format === 'json') {
      const list = rules.map((r) => ({
        id: r.meta.id,
        name: r.meta.name,
        title: r.meta.title,
        severity: r.meta.severity,
        confidence: r.meta.confidence,
        fix: r.meta.fix,
        preview: r.meta.preview,
        targets: r.meta.targets,
      }));
      io.stdout(`${JSON.stringify(list, null, 2)}\n`);
      return EXIT_OK;
    }
    if (values.format !== 'text') throw new UsageError(`unknown format '${values.format}' (expected text or json)`);
    for (const r of rules) {
      const flags = [r.meta.severity, r.meta.fix === 'never' ? '' : `fix:${r.meta.fix}`, r.meta.preview ? 'preview' : ''].filter(Boolean).join(', ');
      io.stdout(`${r.meta.id}  ${r.meta.name.padEnd(34)} ${r.meta.title.replace(/`/g, '')} (${flags})\n`);
    }
    return EXIT_OK;
  },
};
