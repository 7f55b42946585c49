import { buildIndex, type KnowledgeIndex } from '../../src/core/knowledge/build-index.js';
import { chunkMarkdown } from '../../src/core/knowledge/chunk-markdown.js';

/** Small pages for unit tests of search and answers; the real pages are tested by the retrieval eval. */
export const corpusPages = {
  'knowledge/dict-iteration.md': `---
title: Iterating a shared dict
summary: PyDict_Next needs a critical section.
tags: [c-api, dict]
apis: [PyDict_Next, Py_BEGIN_CRITICAL_SECTION]
python: ["3.13"]
rules: [FT003]
upstream: https://docs.python.org/3/c-api/dict.html
last_reviewed: 2026-11-24
sources: [cpython docs]
---

# Iterating a shared dict

Dictionaries lock themselves for single operations, but iteration spans many calls.

## Wrapping PyDict_Next in a critical section

\`PyDict_Next\` does no locking. Wrap the whole loop in \`Py_BEGIN_CRITICAL_SECTION(dict)\` and \`Py_END_CRITICAL_SECTION()\`. Keys and values are borrowed until the section ends.

\`\`\`c
Py_BEGIN_CRITICAL_SECTION(dict);
while (PyDict_Next(dict, &pos, &key, &value)) { }
Py_END_CRITICAL_SECTION();
\`\`\`

## Copying the items first

Another way is to copy the dict with \`PyDict_Copy\` and iterate the copy, which nobody else can see.
`,
  'knowledge/list-access.md': `---
title: Safe list access
summary: PyList_GetItemRef replaces PyList_GetItem.
tags: [c-api, list]
apis: [PyList_GetItem, PyList_GetItemRef]
python: ["3.13"]
rules: [FT001]
upstream: https://docs.python.org/3/c-api/list.html
last_reviewed: 2026-11-24
sources: [cpython docs]
---

# Safe list access

Lists shared between threads need care.

## Replacing PyList_GetItem with PyList_GetItemRef

\`PyList_GetItemRef\` returns a strong reference to the item, or NULL with an exception set. \`PyList_GetItem\` returns a borrowed reference that another thread can free.

## Filling a new list

\`PyList_SET_ITEM\` is fine on a list that no other thread can see yet, such as one you just created.
`,
  'knowledge/wheels.md': `---
title: Building free-threaded wheels
summary: cibuildwheel builds cp314t wheels when asked.
tags: [wheels, ci]
apis: []
python: ["3.14"]
rules: []
upstream: https://cibuildwheel.pypa.io/en/stable/options/
last_reviewed: 2026-11-24
sources: [cibuildwheel docs]
---

# Building free-threaded wheels

## Enabling free-threaded builds in cibuildwheel

Set \`CIBW_ENABLE: cpython-freethreading\` (or \`enable = ["cpython-freethreading"]\` under \`[tool.cibuildwheel]\`) to build cp313t wheels; cp314t wheels are built by default.

## Testing the wheels

Run the test suite with \`pytest-run-parallel\` and \`--parallel-threads=8\` to find races.
`,
  'docs/rules/ft003-dict-next-unlocked.md': `---
id: FT003
title: dict-next-unlocked
---

# FT003: dict-next-unlocked

## What it does

Reports \`PyDict_Next\` loops outside a critical section.

## References

- [Dict API](https://docs.python.org/3/c-api/dict.html#c.PyDict_Next)
`,
} as const;

export function buildCorpusIndex(): KnowledgeIndex {
  return buildIndex(Object.entries(corpusPages).flatMap(([path, text]) => chunkMarkdown({ path, text }).chunks));
}
