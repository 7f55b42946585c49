/**
 * Drafting C-API migrations: deterministic templates and an LLM drafter behind one interface,
 * verification of every drafted edit, and prompts as files. See README.md in this folder.
 */
export { createLlmBudget, type BudgetDecision, type BudgetScope, type LlmBudget } from './budget.js';
export { createDeterministicDrafter } from './deterministic-drafter.js';
export { draftSuggestions, type DraftSuggestionsResult } from './draft-suggestions.js';
export { applyLineEdit, toLineEdit } from './line-edit.js';
export { createLlmAnswerDrafter } from './llm-answer-drafter.js';
export { createLlmDrafter, type RuleDescriber } from './llm-drafter.js';
export { outputSchemas, type OutputSchemaName } from './output-schema.js';
export { parsePrompt, type Prompt, type PromptInput } from './parse-prompt.js';
export { fenceUntrusted, renderPrompt, type RenderedPrompt } from './render-prompt.js';
export { renderSuggestion } from './render-suggestion.js';
export { requestStructured } from './request-structured.js';
export { verifyDraft, type DraftVerifier, type Verification, type VerifyRequest } from './verify-draft.js';
export type { Draft, DraftOutcome, DraftProject, DraftRequest, Drafter, FunctionSource, LineEdit, Suggestion } from './types.js';
