/**
 * Review and triage bodies for GitHub, built from scan results. Pure: the app and `ftbot review`
 * call the same functions, so the CLI prints exactly what the app posts.
 */
export { buildReview, renderDraftSection, renderInlineBody, renderReviewBody, skippedOf } from './build-review.js';
export type { ReviewComment, ReviewPlan } from './build-review.js';
export { hunkOf, parseDiffLines, patchLines } from './diff-lines.js';
export type { DiffLines, FileDiffLines } from './diff-lines.js';
export { DECLARATION_RULES, findExtensionModules } from './find-extension-modules.js';
export type { ExtensionModule, ModuleKind } from './find-extension-modules.js';
export {
  CONFIG_MARKER,
  fingerprintMarker,
  readFingerprintMarker,
  readFingerprintMarkers,
  readStateMarkers,
  renderStateMarkers,
  SUMMARY_MARKER,
  TRIAGE_MARKER,
} from './markers.js';
export type { MarkerSigner, RememberedFinding } from './markers.js';
export { neutralizeMentions } from './neutralize-mentions.js';
export { renderConfigProblems } from './render-config-problems.js';
export { createKnowledgeLinker } from './create-knowledge-linker.js';
export type { KnowledgeLink, KnowledgeLinker } from './create-knowledge-linker.js';
export { NO_DOCS_SITE, findingListItem, githubSourceUrl, knowledgeMarkdownLink, repoBaseUrl, ruleDocUrl, ruleLink } from './render-finding.js';
export { renderSummary } from './render-summary.js';
export type { SummaryParams } from './render-summary.js';
export { renderTriage, triageExamples } from './render-triage.js';
export type { TriageDraft, TriageParams } from './render-triage.js';
export { draftFindings, draftProjectOf, pickDraftTargets } from './draft-findings.js';
export type { DraftingSetup, FindingDraft } from './draft-findings.js';
export { suggestOnLine } from './suggest-on-line.js';
export { GITHUB_BODY_LIMIT, truncateBody } from './truncate-body.js';
export { buildPullRequestReview, buildTriageComment } from './review-files.js';
export type { PullRequestReview } from './review-files.js';
export { budgetFiles, DEFAULT_FILE_BUDGET } from './budget-files.js';
export type { FileBudget } from './budget-files.js';
export { ANNOTATIONS_PER_REQUEST, CHECK_RUN_NAME, renderCheckRun } from './render-check-run.js';
export type { CheckAnnotation, CheckRunResult, FailOn } from './render-check-run.js';
export { renderDocsHtml, renderDocsIndexHtml } from './render-docs-html.js';
