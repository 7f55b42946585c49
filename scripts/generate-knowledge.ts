/**
 * Generates `knowledge/index.json` from `knowledge/*.md` and `docs/rules/*.md`: heading-scoped
 * chunks plus the serialised MiniSearch index, loaded at run time by `src/io/load-knowledge.ts`.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderIndexFile } from '../src/core/knowledge/render-index-file.js';
import type { SourceFile } from '../src/core/ports.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The folders whose Markdown pages are indexed, relative to the repository root. */
export const KNOWLEDGE_FOLDERS = ['knowledge', 'docs/rules'] as const;

export const INDEX_PATH = 'knowledge/index.json';

/** Reads every indexed page under `root`; a missing folder contributes nothing. */
export async function readKnowledgeSources(root: string = ROOT): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for (const folder of KNOWLEDGE_FOLDERS) {
    let names: string[];
    try {
      names = await readdir(`${root}/${folder}`);
    } catch {
      continue;
    }
    for (const name of names.filter((entry) => entry.endsWith('.md') && entry !== 'README.md').sort()) {
      files.push({ path: `${folder}/${name}`, text: await readFile(`${root}/${folder}/${name}`, 'utf8') });
    }
  }
  return files;
}

export default async function generateKnowledge(): Promise<string[]> {
  const { text, problems } = renderIndexFile(await readKnowledgeSources());
  for (const problem of problems) console.warn(`${problem.path}: ${problem.message}`);
  await mkdir(`${ROOT}/knowledge`, { recursive: true });
  await writeFile(`${ROOT}/${INDEX_PATH}`, text);
  return [INDEX_PATH];
}
