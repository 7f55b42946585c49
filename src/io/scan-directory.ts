import { readFileSync, statSync } from 'node:fs';
import type { ResolvedConfig } from '../core/config/schema.js';
import type { Rule } from '../core/engine/define-rule.js';
import { scanFiles, type ScanResult } from '../core/engine/scan-files.js';
import { selectRules } from '../core/engine/select-rules.js';
import { classifyPath, type SourceLanguage } from '../core/languages.js';
import type { Logger } from '../core/ports.js';
import { rules as allRules } from '../core/rules/index.js';
import { loadGrammars } from './load-grammars.js';
import { walkFiles } from './walk-files.js';

export type DirectoryScan = ScanResult & {
  rules: Rule[];
  /** Wall time of walk + read + scan, in milliseconds. */
  ms: number;
  /** Paths given on the command line that do not exist. */
  missing: string[];
  /** The text of a scanned file (read again on demand; used to render fixes). */
  textOf: (path: string) => string | undefined;
};

/**
 * Scans files on disk: walks `paths` under `cwd` (honouring `.gitignore` and `exclude`), reads
 * each file when the core asks for it, and runs the selected rules.
 */
export async function scanDirectory(params: {
  cwd: string;
  paths: string[];
  config: ResolvedConfig;
  logger?: Logger;
  onProgress?: (done: number, total: number) => void;
}): Promise<DirectoryScan> {
  const started = performance.now();
  const { cwd, paths, config } = params;
  const rules = selectRules(allRules, config);
  const walked = walkFiles({ cwd, roots: paths, exclude: config.exclude });
  const languages = new Set<SourceLanguage>();
  for (const f of walked.files) {
    const kind = classifyPath(f.path);
    if (kind?.type === 'source') languages.add(kind.language);
  }
  const grammars = await loadGrammars(languages);
  const absoluteOf = new Map(walked.files.map((f) => [f.path, f.absolute]));
  const read = (path: string): string | undefined => {
    const abs = absoluteOf.get(path);
    if (abs === undefined) return undefined;
    try {
      // Only regular files (a symlink is followed first): a FIFO would block the read and a device
      // such as `/dev/zero` never ends. A file that grew past the limit since the walk is not read.
      const stat = statSync(abs);
      if (!stat.isFile() || stat.size > config.maxFileSize) return undefined;
      return readFileSync(abs, 'utf8');
    } catch {
      return undefined;
    }
  };
  const result = scanFiles({
    files: walked.files.map((f) => ({
      path: f.path,
      // Oversized files are not even read: the core checks the size from the walk first.
      size: f.size,
      text: () => read(f.path),
    })),
    grammars,
    rules,
    config,
    ...(params.logger === undefined ? {} : { logger: params.logger }),
    ...(params.onProgress === undefined ? {} : { onProgress: params.onProgress }),
  });
  return { ...result, rules, ms: performance.now() - started, missing: walked.missing, textOf: read };
}
