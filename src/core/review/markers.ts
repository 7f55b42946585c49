/**
 * Hidden HTML comments that let ftbot find its own comments again and remember what it posted.
 * They never carry user text, so they cannot be broken out of.
 */
export const SUMMARY_MARKER = '<!-- ftbot:summary v1 -->';
export const TRIAGE_MARKER = '<!-- ftbot:triage v1 -->';
export const CONFIG_MARKER = '<!-- ftbot:config v1 -->';

/** The marker that ends each inline comment: `<!-- ftbot:fp 0123abcd… -->`. */
export function fingerprintMarker(fingerprint: string): string {
  return `<!-- ftbot:fp ${fingerprint.replace(/[^0-9a-z]/gi, '')} -->`;
}

/** The fingerprint in an inline comment's body, if it is one of ours: the marker ends the body, on its own line. */
export function readFingerprintMarker(body: string): string | undefined {
  return /(?:^|\n)<!-- ftbot:fp ([0-9a-z]+) -->\s*$/i.exec(body)?.[1];
}

/**
 * Every fingerprint in an inline comment's body (a comment lists all the findings on its line).
 * Only the run of marker lines that ends the body counts, where ftbot writes them: a marker
 * anywhere else is text, not state.
 */
export function readFingerprintMarkers(body: string): string[] {
  const tail = /(?:^|\n)((?:<!-- ftbot:fp [0-9a-z]+ -->[ \t]*(?:\n|$))+)\s*$/i.exec(body)?.[1] ?? '';
  return [...tail.matchAll(/<!-- ftbot:fp ([0-9a-z]+) -->/gi)].map((m) => m[1] ?? '');
}

/** A finding remembered in the summary so the next run can say it was fixed. */
export type RememberedFinding = { fingerprint: string; ruleId: string; path: string; line: number; posted: boolean };

/**
 * The summary's state block: the analysed head SHA and every finding of that run.
 *
 *   <!-- ftbot:head 9fceb02… -->
 *   <!-- ftbot:findings [["0a1b…","FT001","src/m.c",12,1]] -->
 *
 * `>` and `-` inside the JSON are escaped so a path such as `a-->b` cannot end the comment.
 */
export function renderStateMarkers(params: { headSha: string; findings: readonly RememberedFinding[] }): string {
  const rows = params.findings.map((f) => [f.fingerprint, f.ruleId, f.path, f.line, f.posted ? 1 : 0]);
  const json = JSON.stringify(rows).replace(/>/g, '\\u003e').replace(/-/g, '\\u002d');
  return `<!-- ftbot:head ${params.headSha.replace(/[^0-9a-f]/gi, '')} -->\n<!-- ftbot:findings ${json} -->`;
}

/** Reads the state block back; an absent or damaged block gives an empty state. */
export function readStateMarkers(body: string): { headSha: string | undefined; findings: RememberedFinding[] } {
  // Markers stand on their own lines; text ftbot quotes never does (`escapeRepositoryText`).
  const headSha = /^<!-- ftbot:head ([0-9a-f]*) -->$/im.exec(body)?.[1] || undefined;
  const json = /^<!-- ftbot:findings (.*?) -->$/m.exec(body)?.[1];
  const findings: RememberedFinding[] = [];
  if (json !== undefined) {
    try {
      const rows = JSON.parse(json) as unknown;
      if (Array.isArray(rows)) {
        for (const row of rows) {
          if (!Array.isArray(row)) continue;
          const [fingerprint, ruleId, path, line, posted] = row as unknown[];
          if (typeof fingerprint === 'string' && typeof ruleId === 'string' && typeof path === 'string' && typeof line === 'number') {
            findings.push({ fingerprint, ruleId, path, line, posted: posted === 1 });
          }
        }
      }
    } catch {
      // A hand-edited or truncated block: start afresh rather than fail the run.
    }
  }
  return { headSha, findings };
}
