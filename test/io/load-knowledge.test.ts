import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/io/load-knowledge.js';

describe('loadKnowledge', () => {
  it('loads the generated index from the package root', async () => {
    const index = await loadKnowledge();
    expect(index.chunks.length).toBeGreaterThan(0);
    expect(index.miniSearch.documentCount).toBe(index.chunks.length);
  });

  it('throws E_KNOWLEDGE_MISSING when the file is absent', async () => {
    await expect(loadKnowledge({ path: join(tmpdir(), 'ftbot-no-such-index.json') })).rejects.toMatchObject({
      code: 'E_KNOWLEDGE_MISSING',
    });
  });

  it('throws E_KNOWLEDGE_INDEX when the file has another format', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ftbot-')), 'index.json');
    writeFileSync(path, JSON.stringify({ version: 0, chunks: [] }));
    await expect(loadKnowledge({ path })).rejects.toMatchObject({ code: 'E_KNOWLEDGE_INDEX' });
  });
});
