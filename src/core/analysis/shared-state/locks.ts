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
  const region = clean.slice(bodyStart, offset);
  let balance = 0;
  const byObject = new Map<string, number>();
  for (const m of region.matchAll(/\b(\w+)\s*(?:\(\s*&?\s*([\w.>-]*)|(?=\s*;))|([\w.>-]+?)\s*(?:\.|->)\s*(lock|unlock|acquire|release|Lock|Unlock)\s*\(/g)) {
    if (m[4] !== undefined) {
      const key = m[3] ?? '';
      const delta = /^(lock|acquire|Lock)$/.test(m[4]) ? 1 : -1;
      byObject.set(key, (byObject.get(key) ?? 0) + delta);
      continue;
    }
    const name = m[1] ?? '';
    if (lockMacros.open.has(name) || lockMacros.close.has(name)) continue;
    if (lockOpenApi.test(name)) balance++;
    else if (lockCloseApi.test(name)) balance--;
    else if (m[2] !== undefined && isLockCall(name)) byObject.set(m[2], (byObject.get(m[2]) ?? 0) + 1);
    else if (m[2] !== undefined && isUnlockCall(name)) byObject.set(m[2], (byObject.get(m[2]) ?? 0) - 1);
  }
  // Project lock macros, with or without an argument list (`PG_LOCK_TIMER_MUTEX` on its own line).
  if (lockMacros.open.size + lockMacros.close.size > 0) {
    for (const m of region.matchAll(/\b[A-Za-z_]\w*\b/g)) {
      if (lockMacros.open.has(m[0])) balance++;
      else if (lockMacros.close.has(m[0])) balance--;
    }
  }
  if (balance > 0) return true;
  for (const count of byObject.values()) if (count > 0) return true;
  for (const m of region.matchAll(scopedGuard)) {
    if (stillInScope(region, m.index)) return true;
  }
  for (const m of region.matchAll(onceCall)) {
    const close = matchParen(clean, bodyStart + m.index + m[0].length - 1);
    if (close < 0 || close > offset) return true;
  }
  return false;
}

/** `SDL_LockMutex`, `lock_acquire`, `PyThread_acquire_lock`, `ENTER_LOCK` … but not `Block`, `clock`. */
function isLockCall(name: string): boolean {
  if (/[Uu]nlock|[Bb]lock|[Cc]lock|[Ll]ocked|[Ll]ocks\b|[Ii]s_?[Ll]ock|[Tt]ry|[Aa]lloc|[Ff]ree|[Nn]ew|[Ii]nit|[Cc]reate|[Dd]estroy/.test(name)) return false;
  return /(^|_|[a-z])(Lock|lock|LOCK)(_|[A-Z]|$)/.test(name) || /(^|_)(acquire|Acquire|ACQUIRE)(_|[A-Z]|$)/.test(name);
}

function isUnlockCall(name: string): boolean {
  return /(^|_|[a-z])(Unlock|unlock|UNLOCK)(_|[A-Z]|$)/.test(name) || /(^|_)(release|Release|RELEASE)(_|[A-Z]|$)/.test(name);
}

/** True when the brace block holding `at` has not closed by the end of `region`. */
function stillInScope(region: string, at: number): boolean {
  let depth = 0;
  for (let i = at; i < region.length; i++) {
    const c = region[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return false;
  }
  return true;
}
