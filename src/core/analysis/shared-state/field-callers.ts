import type { RelatedOffset } from './analyze-c.js';
import type { CFileModel } from './c-model.js';
import { lockTimeline } from './locks.js';

/** Where a helper is handed the object a method runs on: the call's offset, the calling function, and the helper's parameter that receives it. */
export type Handoff = { at: number; caller: string; param: string };

/** Records a place where a function hands the object to `helper` (once per caller and parameter). */
export function noteHandoff(handedAt: Map<string, Handoff[]>, helper: string, handoff: Handoff): void {
  const sites = handedAt.get(helper) ?? [];
  if (!sites.some((s) => s.caller === handoff.caller && s.param === handoff.param)) sites.push(handoff);
  handedAt.set(helper, sites);
}

/**
 * The places a helper that writes the object's fields is handed the object without a lock held
 * (as the parameter it writes through, `writtenThrough`: `deque_extend(new, old)` hands `old` as
 * the iterable, not as the deque it changes),
 * as related places of its report (at most four). Ports usually lock the caller, around its check
 * and the call (`if (!self->data) decode(self);` in a getter), not the helper, so these are where
 * the fix goes; the report itself stays at the helper's first write, one report per helper.
 *
 * Worked example: `_stride` and `_data` getters each call `decode_image(self)` with no lock →
 * two related places, "`decode_image` handed the object here by `_stride` with no lock held".
 */
export function unlockedCallSites(model: CFileModel, helper: string, sites: Handoff[], writtenThrough: Set<string>): RelatedOffset[] {
  const out: RelatedOffset[] = [];
  const callers = new Set<string>();
  for (const site of sites) {
    if (out.length >= 4) break;
    if (!writtenThrough.has(site.param) || callers.has(site.caller)) continue;
    const caller = model.byName.get(site.caller);
    if (caller === undefined) continue;
    const held = lockTimeline(model.clean, caller.bodyStart, caller.end, model.lockMacros);
    if (held(site.at)) continue;
    callers.add(site.caller);
    out.push({ at: site.at, message: `\`${helper}\` handed the object here by \`${site.caller}\` with no lock held` });
  }
  return out;
}
