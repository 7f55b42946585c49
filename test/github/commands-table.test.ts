import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mentionCommands } from '../../src/github/commands/index.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README's command table as `name → who`, from rows such as ``| `@ftbot wheels [project]` | anyone | … |``. */
function readmeCommands(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readme.split('\n')) {
    const cells = line.split(' | ');
    const name = /^\| `@ftbot ([a-z]+)\b/.exec(cells[0] ?? '')?.[1];
    if (name !== undefined && cells[1] !== undefined) rows.set(name, cells[1].trim());
  }
  return rows;
}

describe('the mention commands', () => {
  // `mentionCommands` is the one list the app dispatches on; the README's table describes it.
  it('are the ones the README lists, with the same access', () => {
    const documented = readmeCommands();
    const expected = new Map(Object.entries(mentionCommands).map(([name, c]) => [name, c.access === 'anyone' ? 'anyone' : 'write access']));
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(expected));
  });
});
