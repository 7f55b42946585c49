// Module resolve hook for bin-from-source.mjs: the bundle bin/ftbot.js imports,
// `../dist/bin/ftbot.mjs`, becomes the bundle's entry, `../src/cli/entry.ts`.
export async function resolve(specifier, context, nextResolve) {
  if (context.parentURL !== undefined && context.parentURL.endsWith('/bin/ftbot.js') && specifier === '../dist/bin/ftbot.mjs') {
    return nextResolve('../src/cli/entry.ts', context);
  }
  return nextResolve(specifier, context);
}
