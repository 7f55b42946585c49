// Module resolve hook for bin-from-source.mjs: `../dist/cli/main.js` from bin/ftbot.js becomes
// `../src/cli/main.ts`.
export async function resolve(specifier, context, nextResolve) {
  if (context.parentURL !== undefined && context.parentURL.endsWith('/bin/ftbot.js') && specifier.startsWith('../dist/')) {
    return nextResolve(specifier.replace('../dist/', '../src/').replace(/\.js$/, '.ts'), context);
  }
  return nextResolve(specifier, context);
}
