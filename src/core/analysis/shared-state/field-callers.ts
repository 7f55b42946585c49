import type { RelatedOffset } from './analyze-c.js';
import type { CFileModel } from './c-model.js';
import { lockTimeline } from './locks.js';

/** Where a helper is handed the object a method runs on: the call's offset and the calling function. */
export type Handoff = { at: number; caller: string };

/** Records that `caller` hands the object to `helper` at `at` (once per caller). */
export function noteHandoff(handedAt: Map<string, Handoff[]>, helper: string, caller: string, at: number): void {
  const sites = handedAt.get(helper) ?? [];
  if (!sites.some((s) => s.caller === caller)) sites.push({ at, caller });
  handedAt.set(helper, sites);
}

/**
 * The places a helper that writes the object's fields is handed the object without a lock held,
 * as related places of its report (at most four). Ports usually lock the caller, around its check
 * and the call (`if (!self->data) decode(self);` in a getter), not the helper, so these are where
 * the fix goes; the report itself stays at the helper's first write, one report per helper.
 *
 * Worked example: `_stride` and `_data` getters each call `decode_image(self)` with no lock →
 * two related places, "`decode_image` handed the object here by `_stride` with no lock held".
 */
export function unlockedCallSites(model: CFileModel, helper: string, handedAt: Map<string, Handoff[]>): RelatedOffset[] {
  const out: RelatedOffset[] = [];
  for (const site of handedAt.get(helper) ?? []) {
    if (out.length >= 4) break;
    const caller = model.byName.get(site.caller);
    if (caller === undefined) continue;
    const held = lockTimeline(model.clean, caller.bodyStart, caller.end, model.lockMacros);
    if (held(site.at)) continue;
    out.push({ at: site.at, message: `\`${helper}\` handed the object here by \`${site.caller}\` with no lock held` });
  }
  return out;
}
