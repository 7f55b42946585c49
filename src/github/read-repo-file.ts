import type { Context } from 'probot';

/**
 * Reads one file as UTF-8 through the contents API (raw media type, so files over 1 MB work
 * too). Returns undefined when the file does not exist; other errors are thrown.
 */
export async function readRepoFile(context: Context, params: { owner: string; repo: string; path: string; ref?: string }): Promise<string | undefined> {
  try {
    const response = await context.octokit.rest.repos.getContent({ ...params, mediaType: { format: 'raw' } });
    return decodeBody(response.data as unknown);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/** Octokit hands raw bodies back as a string or an ArrayBuffer, depending on the content type. */
export function decodeBody(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder('utf-8').decode(data);
  if (ArrayBuffer.isView(data)) return new TextDecoder('utf-8').decode(data as Uint8Array);
  return undefined;
}
