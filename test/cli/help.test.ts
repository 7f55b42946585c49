import { describe, expect, it } from 'vitest';
import { commandLoaders, commandSummaries } from '../../src/cli/commands/index.js';
import { execute } from '../../src/cli/main.js';
import { createFakeIo } from '../helpers/fake-io.js';

async function ftbot(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const fake = createFakeIo();
  const code = await execute(argv, fake.io);
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

describe('ftbot --help', () => {
  it('lists every command with its summary, and the exit codes', async () => {
    const r = await ftbot('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}scan +Scan sources and build files for free-threading hazards/m);
    expect(r.stdout).toContain('0 success with nothing to report, 1 findings reported');
    for (const name of Object.keys(commandLoaders)) expect(r.stdout).toContain(`  ${name} `);
  });

  it("keeps each summary in step with the command's own", async () => {
    for (const [name, load] of Object.entries(commandLoaders)) expect(commandSummaries[name], name).toBe((await load()).summary);
  }, 60_000);
});

describe('mistakes get a suggestion and no raw parser text', () => {
  it('an unknown command', async () => {
    const r = await ftbot('scna');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ftbot: unknown command 'scna' \(did you mean 'scan'\?\)/);
  });

  it('an unknown option', async () => {
    const r = await ftbot('scan', '--fromat', 'json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ftbot scan: unknown option '--fromat' \(did you mean '--format'\?\)\n/);
    expect(r.stderr).not.toContain('To specify a positional argument');
    const rules = await ftbot('rules', '--formt', 'json');
    expect(rules.stderr).toMatch(/^ftbot rules: unknown option '--formt' \(did you mean '--format'\?\)/);
  });

  it('an option without its value', async () => {
    const r = await ftbot('scan', '--select');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ftbot scan: option '--select' needs a value\n/);
  });
});

describe('ftbot rule', () => {
  it('prints the page without its YAML front matter', async () => {
    const r = await ftbot('rule', 'ft001');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('# FT001 dict-get-item-borrowed\n')).toBe(true);
    expect(r.stdout).not.toContain('\n---\n');
  });

  it('suggests the closest rule for a typo', async () => {
    const r = await ftbot('rule', 'dict-get-item-borowed');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("(did you mean 'dict-get-item-borrowed'?)");
  });
});
