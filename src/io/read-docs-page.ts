import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The package's page folders, found two levels above this module (`src/io` or `dist/io`). */
const ROOT = new URL('../../', import.meta.url);
const FOLDERS = { rules: 'docs/rules/', knowledge: 'knowledge/' } as const;

export type DocsFolder = keyof typeof FOLDERS;

/**
 * The Markdown pages of one folder, as names without `.md` (`ft001-dict-get-item-borrowed`).
 * `README` is left out. Read once per process.
 */
const listed = new Map<DocsFolder, Promise<string[]>>();
export async function listDocsPages(folder: DocsFolder): Promise<string[]> {
  let names = listed.get(folder);
  if (names === undefined) {
    names = readdir(fileURLToPath(new URL(FOLDERS[folder], ROOT))).then((entries) =>
      entries.filter((e) => e.endsWith('.md') && e !== 'README.md').map((e) => e.slice(0, -3)).sort(),
    );
    listed.set(folder, names);
  }
  return names;
}

/**
 * Reads one page by name. Only names `listDocsPages` returned are read, so a request path can
 * never reach another file. Gives undefined for an unknown name.
 */
export async function readDocsPage(folder: DocsFolder, name: string): Promise<{ path: string; text: string } | undefined> {
  if (!(await listDocsPages(folder)).includes(name)) return undefined;
  const path = `${FOLDERS[folder]}${name}.md`;
  return { path, text: await readFile(fileURLToPath(new URL(path, ROOT)), 'utf8') };
}
