/**
 * The `LlmClient` port on the `openai` package: any OpenAI-compatible chat-completions server.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, APIError } from 'openai';
import type { LlmClient, LlmFailureKind, LlmResponse } from '../core/ports.js';

/** Settings for the client; `readLlmSettings` builds them from the environment. */
export type LlmSettings = {
  apiKey: string;
  /** Server base URL including `/v1`; default `https://api.openai.com/v1`. */
  baseURL?: string;
  model: string;
  /** Per-request timeout. */
  timeoutMs: number;
  /**
   * Retries inside the `openai` package (connection errors, 408/409/429/5xx). ftbot's own policy
   * (`requestStructured`) already retries a rate limit or a 5xx once and must see a quota 429 at
   * once, so the default is 0.
   */
  maxRetries: number;
};

export const DEFAULT_MODEL = 'gpt-4o-mini';
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Reads LLM settings from the environment, or undefined when no key is set (then ftbot drafts
 * with templates only):
 * `OPENAI_API_KEY` or `FTBOT_LLM_API_KEY`, `OPENAI_BASE_URL`, `FTBOT_LLM_MODEL`,
 * `FTBOT_LLM_TIMEOUT_MS` (default 30000), `FTBOT_LLM_MAX_RETRIES` (default 0).
 */
export function readLlmSettings(env: Record<string, string | undefined>): LlmSettings | undefined {
  const apiKey = (env.FTBOT_LLM_API_KEY ?? env.OPENAI_API_KEY ?? '').trim();
  if (apiKey === '') return undefined;
  const number = (value: string | undefined, fallback: number, name: string): number => {
    if (value === undefined || value.trim() === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${value}'`);
    return n;
  };
  const baseURL = env.OPENAI_BASE_URL?.trim();
  return {
    apiKey,
    model: env.FTBOT_LLM_MODEL?.trim() || DEFAULT_MODEL,
    timeoutMs: number(env.FTBOT_LLM_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, 'FTBOT_LLM_TIMEOUT_MS'),
    maxRetries: number(env.FTBOT_LLM_MAX_RETRIES, 0, 'FTBOT_LLM_MAX_RETRIES'),
    ...(baseURL === undefined || baseURL === '' ? {} : { baseURL }),
  };
}

/**
 * Creates the client. Every call asks for a JSON object when the request says so, and every
 * failure comes back as data (`{ status: 'error', kind }`), never as an exception.
 *
 * @param settings
 *   Key, model, base URL, timeout and retries (all explicit: the package's defaults are a 10-minute
 *   timeout and 2 retries).
 * @param options.fetch
 *   The fetch to use; the global one by default (which nock intercepts in tests).
 */
export function createOpenAiClient(settings: LlmSettings, options: { fetch?: typeof fetch } = {}): LlmClient {
  const client = new OpenAI({
    apiKey: settings.apiKey,
    // Explicit, so the package never falls back to reading OPENAI_BASE_URL itself.
    baseURL: settings.baseURL ?? 'https://api.openai.com/v1',
    timeout: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  return {
    async complete(request): Promise<LlmResponse> {
      try {
        const completion = await client.chat.completions.create({
          model: settings.model,
          messages: [
            { role: 'system', content: request.system },
            { role: 'user', content: request.user },
          ],
          temperature: 0,
          ...(request.json ? { response_format: { type: 'json_object' as const } } : {}),
        },
        // The package's timeout stops waiting for headers; this one also ends a body that trickles.
        { signal: AbortSignal.timeout(settings.timeoutMs * (settings.maxRetries + 1)) },
        );
        const choice = completion.choices[0];
        if (choice === undefined) return { status: 'error', kind: 'server', message: 'the server answered with no choices' };
        const refusal = choice.message.refusal ?? undefined;
        return {
          status: 'ok',
          content: choice.message.content ?? '',
          finishReason: choice.finish_reason,
          ...(refusal === undefined || refusal === null ? {} : { refusal }),
        };
      } catch (error) {
        return classifyError(error);
      }
    },
  };
}

/** Maps the package's errors to the port's failure kinds. */
export function classifyError(error: unknown): LlmResponse {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof APIConnectionTimeoutError) return { status: 'error', kind: 'timeout', message };
  // Our own deadline over the whole response (headers and body) aborts the request.
  if (error instanceof APIUserAbortError || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))) return { status: 'error', kind: 'timeout', message };
  if (error instanceof APIConnectionError) return { status: 'error', kind: 'network', message };
  if (!(error instanceof APIError) || error.status === undefined) return { status: 'error', kind: 'network', message };
  const code = `${error.code ?? ''} ${error.type ?? ''}`;
  let kind: LlmFailureKind;
  if (error.status === 429) kind = /insufficient_quota/.test(code) ? 'quota' : 'rate-limit';
  else if (error.status === 401 || error.status === 403) kind = 'auth';
  else if (error.status >= 500) kind = 'server';
  else if (/context_length_exceeded/.test(code)) kind = 'context-length';
  else kind = 'bad-request';
  const retryAfterMs = retryAfter(error.headers as Headers | undefined);
  return { status: 'error', kind, message, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}

/** `retry-after-ms`, else `retry-after` in seconds or as an HTTP date. */
function retryAfter(headers: Headers | undefined): number | undefined {
  if (headers === undefined) return undefined;
  const ms = Number(headers.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
