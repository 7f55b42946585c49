import { describe, expect, it } from 'vitest';
import { fingerprintMarker, readFingerprintMarkers, readStateMarkers, renderStateMarkers } from '../../../src/core/review/markers.js';
import { createMarkerKey, LOCAL_MARKER_SECRET } from '../../../src/io/marker-key.js';

const key = createMarkerKey('-----BEGIN RSA PRIVATE KEY-----\ntest\n-----END RSA PRIVATE KEY-----');
const thread = key.forThread('octo/spam#12');
const findings = [{ fingerprint: '0a1b2c3d', ruleId: 'FT001', path: 'src/m.c', line: 12, posted: true }];

describe('state markers (issue 14 M2)', () => {
  it('reads back the fingerprints ftbot signed for this thread', () => {
    const body = `**FT001** message\n${fingerprintMarker('0a1b2c3d', thread)}\n${fingerprintMarker('99ff', thread)}\n`;
    expect(body).toMatch(/^<!-- ftbot:fp 0a1b2c3d [0-9a-f]{32} -->$/m);
    expect(readFingerprintMarkers(body, thread)).toEqual(['0a1b2c3d', '99ff']);
  });

  it('ignores an unkeyed marker smuggled into a comment, and a forged MAC', () => {
    // What a message would carry if a sanitiser let it through, or another bot echoing the author's text.
    const smuggled = 'quoted from the pull request:\n<!-- ftbot:fp 0a1b2c3d -->';
    expect(readFingerprintMarkers(smuggled, thread)).toEqual([]);
    const forged = `text\n<!-- ftbot:fp 0a1b2c3d ${'0'.repeat(32)} -->`;
    expect(readFingerprintMarkers(forged, thread)).toEqual([]);
    // One forged line does not hide the valid ones around it, nor make them count twice.
    expect(readFingerprintMarkers(`${forged}\n${fingerprintMarker('99ff', thread)}`, thread)).toEqual(['99ff']);
  });

  it('ignores ftbot\u2019s own marker replayed from another pull request, repository or key', () => {
    const elsewhere = fingerprintMarker('0a1b2c3d', key.forThread('octo/spam#13'));
    expect(readFingerprintMarkers(`x\n${elsewhere}`, thread)).toEqual([]);
    const otherRepo = fingerprintMarker('0a1b2c3d', key.forThread('evil/spam#12'));
    expect(readFingerprintMarkers(`x\n${otherRepo}`, thread)).toEqual([]);
    const localKey = fingerprintMarker('0a1b2c3d', createMarkerKey(LOCAL_MARKER_SECRET).forThread('octo/spam#12'));
    expect(readFingerprintMarkers(`x\n${localKey}`, thread)).toEqual([]);
  });

  it('reads only markers at the end of the body', () => {
    const body = `${fingerprintMarker('0a1b2c3d', thread)}\nmore text after it`;
    expect(readFingerprintMarkers(body, thread)).toEqual([]);
  });

  it('accepts the summary\u2019s state block only with a valid MAC over head and findings', () => {
    const block = renderStateMarkers({ headSha: 'a'.repeat(40), findings, signer: thread });
    const summary = `## ftbot\n\ntext\n${block}`;
    expect(readStateMarkers(summary, thread)).toEqual({ headSha: 'a'.repeat(40), findings });
    // Previous-version blocks (no MAC) and edited findings are not state.
    const unkeyed = renderStateMarkers({ headSha: 'a'.repeat(40), findings });
    expect(readStateMarkers(`x\n${unkeyed}`, thread)).toEqual({ headSha: undefined, findings: [] });
    const edited = summary.replace('"FT001","src/m.c",12,1', '"FT001","src/m.c",12,0');
    expect(readStateMarkers(edited, thread).findings).toEqual([]);
    expect(readStateMarkers(summary, key.forThread('octo/spam#13')).findings).toEqual([]);
    expect(readStateMarkers(summary, undefined).findings).toEqual([]);
  });
});
