/**
 * Hidden HTML comments that let ftbot find its own comments again and remember what it posted.
 *
 * The markers that carry state (which findings were commented inline, what the last run found)
 * end in a MAC: an HMAC the shell computes with a key only ftbot's server holds, over the marker's
 * content and the thread (repository and pull request) it is posted to. A marker without a valid
 * MAC is text, not state: a marker another bot echoes from a pull request, one smuggled through a
 * message past the sanitiser, or ftbot's own marker copied from another thread cannot make ftbot
 * skip an inline comment.
 */
export const SUMMARY_MARKER = '<!-- ftbot:summary v1 -->';
export const TRIAGE_MARKER = '<!-- ftbot:triage v1 -->';
export const CONFIG_MARKER = '<!-- ftbot:config v1 -->';

/**
 * Signs and checks state markers for one thread. The shell implements it (HMAC-SHA-256 keyed
 * from the app's private key, bound to `owner/repo#number`); the key never enters the core.
 */
export type MarkerSigner = {
  /** The MAC of `payload`, as lowercase hex. */
  sign(payload: string): string;
  /** True when `mac` is `sign(payload)` (compared in constant time). */
  verify(payload: string, mac: string): boolean;
};

/** MACs are hex; anything longer than this is not one of ours. */
const MAC_SHAPE = /^[0-9a-f]{16,64}$/;

function cleanFingerprint(fingerprint: string): string {
  return fingerprint.replace(/[^0-9a-z]/gi, '').toLowerCase();
}

/**
 * The marker that ends each inline comment: `<!-- ftbot:fp 0123abcd… <mac> -->`. Without a
 * signer (`ftbot review` printing locally) the marker has no MAC and is never read back as state.
 */
export function fingerprintMarker(fingerprint: string, signer?: MarkerSigner): string {
  const fp = cleanFingerprint(fingerprint);
  return signer === undefined ? `<!-- ftbot:fp ${fp} -->` : `<!-- ftbot:fp ${fp} ${signer.sign(`fp\n${fp}`)} -->`;
}

const FP_MARKER = /<!-- ftbot:fp ([0-9a-z]+)(?: ([0-9a-f]+))? -->/gi;

/** The fingerprint in an inline comment's body when the body ends with one valid marker. */
export function readFingerprintMarker(body: string, signer: MarkerSigner): string | undefined {
  const fingerprints = readFingerprintMarkers(body, signer);
  return fingerprints.length === 1 ? fingerprints[0] : undefined;
}

/**
 * Every fingerprint in an inline comment's body (a comment lists all the findings on its line).
 * Only the run of marker lines that ends the body counts, where ftbot writes them, and only
 * markers whose MAC `signer` accepts: a marker anywhere else, or one without a valid MAC, is text.
 */
export function readFingerprintMarkers(body: string, signer: MarkerSigner): string[] {
  const lines = body.trimEnd().split('\n');
  const tail: string[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = trimBlanksEnd(lines[i] ?? '');
    if (!/^<!-- ftbot:fp [0-9a-z]+(?: [0-9a-f]+)? -->$/i.test(line)) break;
    tail.push(line);
  }
  const out: string[] = [];
  for (const line of tail.reverse()) {
    FP_MARKER.lastIndex = 0;
    const m = FP_MARKER.exec(line);
    const fp = m?.[1]?.toLowerCase();
    const mac = m?.[2]?.toLowerCase();
    if (fp === undefined || mac === undefined || !MAC_SHAPE.test(mac)) continue;
    if (signer.verify(`fp\n${fp}`, mac)) out.push(fp);
  }
  return out;
}

/** A finding remembered in the summary so the next run can say it was fixed. */
export type RememberedFinding = { fingerprint: string; ruleId: string; path: string; line: number; posted: boolean };

/**
 * The summary's state block: the analysed head SHA with the MAC of the whole block, and every
 * finding of that run.
 *
 *   <!-- ftbot:head 9fceb02… 5be1c0… -->
 *   <!-- ftbot:findings [["0a1b…","FT001","src/m.c",12,1]] -->
 *
 * `>` and `-` inside the JSON are escaped so a path such as `a-->b` cannot end the comment.
 * Without a signer the head line has no MAC and the block is never read back.
 */
export function renderStateMarkers(params: { headSha: string; findings: readonly RememberedFinding[]; signer?: MarkerSigner | undefined }): string {
  const rows = params.findings.map((f) => [f.fingerprint, f.ruleId, f.path, f.line, f.posted ? 1 : 0]);
  const json = JSON.stringify(rows).replace(/>/g, '\\u003e').replace(/-/g, '\\u002d');
  const sha = params.headSha.replace(/[^0-9a-f]/gi, '').toLowerCase();
  const mac = params.signer === undefined ? '' : ` ${params.signer.sign(`state\n${sha}\n${json}`)}`;
  return `<!-- ftbot:head ${sha}${mac} -->\n<!-- ftbot:findings ${json} -->`;
}

/**
 * Reads the state block back. An absent, damaged or unsigned block, or one whose MAC `signer`
 * rejects, gives an empty state; so does a missing signer.
 */
export function readStateMarkers(body: string, signer: MarkerSigner | undefined): { headSha: string | undefined; findings: RememberedFinding[] } {
  const empty = { headSha: undefined, findings: [] };
  if (signer === undefined) return empty;
  // Markers stand on their own lines; text ftbot quotes never does (`escapeRepositoryText`).
  // The block is the last pair of lines in the body, where ftbot writes it.
  const lines = body.trimEnd().split('\n');
  const head = /^<!-- ftbot:head ([0-9a-f]*) ([0-9a-f]+) -->$/.exec(lines.at(-2) ?? '');
  const block = /^<!-- ftbot:findings (.*) -->$/.exec(lines.at(-1) ?? '');
  const sha = head?.[1];
  const mac = head?.[2];
  const json = block?.[1];
  if (sha === undefined || mac === undefined || json === undefined || !MAC_SHAPE.test(mac) || !signer.verify(`state\n${sha}\n${json}`, mac)) return empty;
  const findings: RememberedFinding[] = [];
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
    // Signed but unreadable (never written so): start afresh rather than fail the run.
  }
  return { headSha: sha || undefined, findings };
}

/**
 * `line` without trailing blanks and tabs, by a scan from the end: `/[ \t]+$/` retries from every
 * character of a long run of blanks that something else ends, quadratic in the run.
 */
function trimBlanksEnd(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  return line.slice(0, end);
}
