import type { Node } from 'web-tree-sitter';
import { defineRule } from '../engine/define-rule.js';
import { callOf } from '../parsing/syntax.js';

/**
 * C library functions that keep state in static storage shared by every thread (POSIX lists
 * them as not required to be thread-safe), with the reentrant form to use instead.
 */
const replacements: Record<string, string> = {
  strtok: '`strtok_r` (`strtok_s` on Windows)',
  localtime: '`localtime_r` (`localtime_s` on Windows)',
  gmtime: '`gmtime_r` (`gmtime_s` on Windows)',
  ctime: '`ctime_r` or `strftime` on a `localtime_r` result',
  asctime: '`strftime` on a broken-down time',
  rand: 'a generator whose state each thread owns',
  strerror: '`strerror_r` (`strerror_s` on Windows)',
  setenv: 'setting the environment before threads start, or passing values explicitly',
  unsetenv: 'changing the environment before threads start',
  putenv: 'setting the environment before threads start, or passing values explicitly',
  tmpnam: '`mkstemp`',
  gethostbyname: '`getaddrinfo`',
  gethostbyaddr: '`getnameinfo`',
  inet_ntoa: '`inet_ntop`',
  getpwnam: '`getpwnam_r`',
  getpwuid: '`getpwuid_r`',
  getgrnam: '`getgrnam_r`',
  getgrgid: '`getgrgid_r`',
  getlogin: '`getlogin_r`',
  ttyname: '`ttyname_r`',
  strsignal: 'a table of signal names owned by the module',
  ptsname: '`ptsname_r`',
  setlocale: 'locale objects (`newlocale`/`uselocale`) or setting the locale before threads start',
  localeconv: '`nl_langinfo_l` with a locale object',
};

/** The call of `std::name(...)` (C++'s `<ctime>`, `<cstdlib>` … spellings share the C state). */
function stdCallOf(identifier: Node): Node | undefined {
  const qualified = identifier.parent;
  if (qualified?.type !== 'qualified_identifier' || qualified.childForFieldName('scope')?.text !== 'std') return undefined;
  return callOf(qualified);
}

export default defineRule({
  meta: {
    id: 'FT016',
    name: 'thread-unsafe-libc',
    title: 'C library call that is not thread-safe',
    category: 'shared-state',
    why: 'The function keeps its state in static storage, so concurrent calls from different threads overwrite each other.',
    targets: ['c', 'cpp', 'cython'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: false,
    triggers: Object.keys(replacements),
    messages: {
      unsafe: '`{{api}}` uses static storage shared by all threads; without the GIL concurrent calls overwrite each other',
    },
    help: {
      unsafe: 'Use {{replacement}}',
    },
  },
  check(ctx) {
    for (const hit of ctx.hits) {
      if (hit.node === undefined) continue;
      if (callOf(hit.node) === undefined && stdCallOf(hit.node) === undefined) continue;
      ctx.report({ node: hit.node, messageId: 'unsafe', data: { api: hit.name, replacement: replacements[hit.name] ?? 'a reentrant variant' } });
    }
  },
});
