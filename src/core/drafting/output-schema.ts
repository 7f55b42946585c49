/**
 * The zod schemas LLM answers must satisfy. Each prompt's front matter names one in `output`.
 * An answer that fails its schema is retried once, then the deterministic drafter answers.
 */
import { z } from 'zod';

/** `prompts/draft-migration.md`: an explanation and at most one whole-line edit. */
export const draftMigrationOutput = z
  .object({
    explanation: z.string().trim().min(1).max(4000),
    edit: z
      .object({
        startLine: z.number().int().positive(),
        endLine: z.number().int().positive(),
        replacement: z.string().max(20_000),
      })
      .refine((edit) => edit.endLine >= edit.startLine, { message: 'endLine must not be before startLine' })
      .nullable(),
    citedIds: z.array(z.string().max(300)).max(8),
  })
  .strict();

/** `prompts/answer-question.md`: answer text citing retrieved section ids. */
export const answerQuestionOutput = z
  .object({
    answer: z.string().trim().min(1).max(6000),
    citedIds: z.array(z.string().max(300)).min(1).max(4),
  })
  .strict();

/** `prompts/summarise-triage.md`: a short summary and an ordered checklist. */
export const summariseTriageOutput = z
  .object({
    summary: z.string().trim().min(1).max(3000),
    checklist: z.array(z.string().trim().min(1).max(300)).max(12),
  })
  .strict();

/** Every output schema by the name prompts use in their front matter. */
export const outputSchemas = { draftMigrationOutput, answerQuestionOutput, summariseTriageOutput } as const;

export type OutputSchemaName = keyof typeof outputSchemas;
export type DraftMigrationOutput = z.infer<typeof draftMigrationOutput>;
export type AnswerQuestionOutput = z.infer<typeof answerQuestionOutput>;
export type SummariseTriageOutput = z.infer<typeof summariseTriageOutput>;
