import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MarkerSigner } from '../core/review/markers.js';

/** Hands out a signer for the state markers of one thread (`owner/repo#number`). */
export type MarkerKey = { forThread(thread: string): MarkerSigner };

/**
 * The key of local runs (`ftbot review --dry-run`, tests, an app started without a private key).
 * It is public, so its markers prove nothing; a server derives its own with `createMarkerKey`.
 */
export const LOCAL_MARKER_SECRET = 'ftbot local dry run: not a secret';

/** Hex characters of each MAC: 128 bits of HMAC-SHA-256. */
const MAC_HEX = 32;

/**
 * A `MarkerKey` from a secret of the installation (the app's private key, else its webhook
 * secret). The marker key is derived from it (`HMAC(secret, purpose)`), so the secret itself never
 * signs anything GitHub shows, and each MAC covers the thread as well as the payload:
 * `HMAC(key, "owner/repo#12\n" + payload)`. A marker copied from another repository or pull
 * request does not verify.
 *
 * @example
 *   const signer = createMarkerKey(privateKeyPem).forThread('octo/spam#12');
 *   signer.verify('fp\n0123abcd', signer.sign('fp\n0123abcd')) // → true
 */
export function createMarkerKey(secret: string): MarkerKey {
  const key = createHmac('sha256', secret).update('ftbot state markers v1').digest();
  return {
    forThread(thread) {
      const sign = (payload: string): string => createHmac('sha256', key).update(`${thread}\n${payload}`).digest('hex').slice(0, MAC_HEX);
      return {
        sign,
        verify(payload, mac) {
          const expected = Buffer.from(sign(payload), 'utf8');
          const given = Buffer.from(mac.toLowerCase(), 'utf8');
          return given.length === expected.length && timingSafeEqual(given, expected);
        },
      };
    },
  };
}
