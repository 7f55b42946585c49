import type { MarkerSigner } from '../core/review/markers.js';
import { createMarkerKey, LOCAL_MARKER_SECRET } from '../io/marker-key.js';
import type { AppOptions } from './app-options.js';

const localKey = createMarkerKey(LOCAL_MARKER_SECRET);

/**
 * The signer of the state markers posted on one issue or pull request: the app's key
 * (`options.markerKey`) or, in dry runs and tests, the fixed local key. Names are folded to lower
 * case, as GitHub treats them.
 */
export function threadMarkers(options: Pick<AppOptions, 'markerKey'>, repo: { owner: string; repo: string }, issueNumber: number): MarkerSigner {
  return (options.markerKey ?? localKey).forThread(`${repo.owner}/${repo.repo}#${issueNumber}`.toLowerCase());
}
