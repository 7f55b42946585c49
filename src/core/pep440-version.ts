/**
 * The PEP 440 version grammar in one case-insensitive regex, shared by the wheel-filename parser
 * (which normalises versions) and the dependency check (which orders them). Worked example:
 *   '1.0RC1.post2.dev3+Ubuntu-01'
 *   → epoch -, release '1.0', pre 'RC' '1', post 'post' '2', dev 'dev' '3', local 'Ubuntu-01'
 * Groups: 1 epoch, 2 release, 3 pre label, 4 pre number, 5 implicit post number (`1.0-1`),
 * 6 post label, 7 post number, 8 dev label, 9 dev number, 10 local.
 *
 * Anchored, with no surrounding white space: trim the text first where it may have some.
 */
export const pep440Version =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i;
