import type { ResolvedConfig } from '../core/config/schema.js';
import type { Rule } from '../core/engine/define-rule.js';
import type { ScanResult } from '../core/engine/scan-files.js';
import type { AppOptions } from './app-options.js';

/**
 * The scan of a review or triage on the app's scan runner (a worker thread with a budget), or
 * undefined when none is configured and the core should scan in this thread.
 */
export async function runScan(options: AppOptions, params: { files: ReadonlyArray<{ path: string; text: string }>; rules: readonly Rule[]; config: ResolvedConfig }): Promise<ScanResult | undefined> {
  if (options.scanRunner === undefined) return undefined;
  const { maxFileSize, minSeverity, minConfidence } = params.config;
  return options.scanRunner({ files: params.files, ruleIds: params.rules.map((r) => r.meta.id), config: { maxFileSize, minSeverity, minConfidence } });
}
