import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanFiles, type Grammars } from '../../src/core/engine/scan-files.js';
import { rules } from '../../src/core/rules/index.js';

/** The workflow a CI rule's span fixtures hold. */
export const WORKFLOW = '.github/workflows/wheels.yml';

/**
 * Scans `<fixtureDir>/.github/workflows/wheels.yml` with one rule and gives each finding's first
 * line, last line and message, for tests of where a CI rule's findings start and end.
 */
export function workflowFindings(grammars: Grammars, ruleId: string, fixtureDir: string): Array<[number, number | undefined, string]> {
  const text = readFileSync(join(fixtureDir, WORKFLOW), 'utf8');
  const result = scanFiles({ files: [{ path: WORKFLOW, text }], grammars, rules: rules.filter((r) => r.meta.id === ruleId), config: { maxFileSize: 5_000_000, minSeverity: 'info' } });
  return result.findings.map((f) => [f.line, f.endLine, f.message]);
}
