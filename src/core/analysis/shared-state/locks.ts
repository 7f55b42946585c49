import { lockCloseApi, lockOpenApi, matchParen } from './c-model.js';

// C++ guards that hold a lock until the end of their scope (a `shared_lock` only reads).
const scopedGuard = /\b(lock_guard|unique_lock|scoped_lock|scoped_critical_section|ft_lock_guard|ft_object_guard|PyCriticalSection_Guard|MutexLock|LockGuard|ScopedLock)\b/g;
// Code that runs once under the runtime's own lock: `std::call_once(flag, [&] { … })`.
const onceCall = /\b(call_once|pthread_once|InitOnceExecuteOnce|PyUnstable_Once|_PyOnceFlag_CallOnce)\s*\(/g;

/**
 * True when the code at `offset` runs with a lock held, judged from the text of the function body
 * before it (`bodyStart` .. `offset`, blanked). Recognised:
 * - CPython critical sections, `PyMutex`, `PyThread` locks; pthread and Windows locks;
 * - any call pair `XLock…(obj)` / `XUnlock…(obj)` on the same first argument (`SDL_LockMutex(m)`
 *   … `SDL_UnlockMutex(m)`), and `obj.lock()` / `obj.unlock()`;
 * - project macros whose `#define` opens or closes one of these (`lockMacros`);
 * - C++ scope guards (`std::lock_guard<std::mutex> g(m);`) still in scope;
 * - the body of a `call_once` / `pthread_once` callback argument.
 * `Py_BEGIN_ALLOW_THREADS` releases the GIL and is not a lock.
 *
 * Worked example: `SDL_LockMutex(timermutex); count++; SDL_UnlockMutex(timermutex);` → at
 * `count++`, the key `timermutex` has one open and no close → held.
 */
export function lockHeldAt(clean: string, bodyStart: number, offset: number, lockMacros: { open: Set<string>; close: Set<string> }): boolean {
  return lockTimeline(clean, bodyStart, offset, lockMacros)(offset);
}

/**
 * The lock state of one function body, computed in one pass: a predicate that says whether a lock
 * is held at an offset in `[bodyStart, end)`. The same rules as `lockHeldAt`, which asks it once;
 * the analysis asks it for every access of a function without rescanning the body each time.
 */
export function lockTimeline(clean: string, bodyStart: number, end: number, lockMacros: { open: Set<string>; close: Set<string> }): (offset: number) => boolean {
  const region = clean.slice(bodyStart, end);
  if (!/ock|OCK|CRITICAL|cquire|CQUIRE|_once|guard|Guard/.test(region)) return () => false;
  // Counted events (offset just past the call, +1 / -1, and the object for pair locks), then
  // intervals from scope guards and once-callbacks.
  const events: Array<{ at: number; delta: number; key: string | undefined }> = [];
  // A method-call object starts where a run of name characters starts: tried from inside a run
  // too, a long run (`a.a.a…`) costs its length at each of its characters.
  for (const m of region.matchAll(/\b(\w+)\s*(?:\(\s*&?\s*([\w.>-]*)|(?=\s*;))|(?<![\w.>-])([\w.>-]+?)\s*(?:\.|->)\s*(lock|unlock|acquire|release|Lock|Unlock)\s*\(/g)) {
    const at = bodyStart + m.index + m[0].length;
    if (m[4] !== undefined) {
      events.push({ at, delta: /^(lock|acquire|Lock)$/.test(m[4]) ? 1 : -1, key: m[3] ?? '' });
      continue;
    }
    const name = m[1] ?? '';
    if (lockMacros.open.has(name) || lockMacros.close.has(name)) continue;
    if (lockOpenApi.test(name)) events.push({ at, delta: 1, key: undefined });
    else if (lockCloseApi.test(name)) events.push({ at, delta: -1, key: undefined });
    else if (m[2] !== undefined && isLockCall(name)) events.push({ at, delta: 1, key: m[2] });
    else if (m[2] !== undefined && isUnlockCall(name)) events.push({ at, delta: -1, key: m[2] });
  }
  if (lockMacros.open.size + lockMacros.close.size > 0) {
    for (const m of region.matchAll(/\b[A-Za-z_]\w*\b/g)) {
      const at = bodyStart + m.index + m[0].length;
      if (lockMacros.open.has(m[0])) events.push({ at, delta: 1, key: undefined });
      else if (lockMacros.close.has(m[0])) events.push({ at, delta: -1, key: undefined });
    }
  }
  events.sort((a, b) => a.at - b.at);
  const intervals: Array<[number, number]> = [];
  let balance = 0;
  const byObject = new Map<string, number>();
  let positive = 0;
  let heldFrom = -1;
  for (const e of events) {
    if (e.key === undefined) balance += e.delta;
    else {
      const before = byObject.get(e.key) ?? 0;
      byObject.set(e.key, before + e.delta);
      if (before <= 0 && before + e.delta > 0) positive++;
      else if (before > 0 && before + e.delta <= 0) positive--;
    }
    const held = balance > 0 || positive > 0;
    if (held && heldFrom < 0) heldFrom = e.at;
    else if (!held && heldFrom >= 0) {
      intervals.push([heldFrom, e.at]);
      heldFrom = -1;
    }
  }
  if (heldFrom >= 0) intervals.push([heldFrom, end + 1]);
  for (const m of region.matchAll(scopedGuard)) intervals.push([bodyStart + m.index, scopeEnd(clean, bodyStart + m.index, end)]);
  for (const m of region.matchAll(onceCall)) {
    const close = matchParen(clean, bodyStart + m.index + m[0].length - 1);
    intervals.push([bodyStart + m.index, close < 0 ? end + 1 : close + 1]);
  }
  return (offset) => intervals.some(([a, b]) => offset > a && offset <= b);
}

/** Where the brace block holding `at` closes (or `end`). */
function scopeEnd(clean: string, at: number, end: number): number {
  let depth = 0;
  for (let i = at; i < end; i++) {
    const c = clean[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return i;
  }
  return end + 1;
}

/** `SDL_LockMutex`, `lock_acquire`, `PyThread_acquire_lock`, `ENTER_LOCK` … but not `Block`, `clock`. */
function isLockCall(name: string): boolean {
  if (/[Uu]nlock|[Bb]lock|[Cc]lock|[Ll]ocked|[Ll]ocks\b|[Ii]s_?[Ll]ock|[Tt]ry|[Aa]lloc|[Ff]ree|[Nn]ew|[Ii]nit|[Cc]reate|[Dd]estroy/.test(name)) return false;
  return /(^|_|[a-z])(Lock|lock|LOCK)(_|[A-Z]|$)/.test(name) || /(^|_)(acquire|Acquire|ACQUIRE)(_|[A-Z]|$)/.test(name);
}

function isUnlockCall(name: string): boolean {
  return /(^|_|[a-z])(Unlock|unlock|UNLOCK)(_|[A-Z]|$)/.test(name) || /(^|_)(release|Release|RELEASE)(_|[A-Z]|$)/.test(name);
}
