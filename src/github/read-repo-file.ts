import type { Context } from 'probot';

/** A file over the byte cap given to `readRepoFile`; `bytes` is what was seen before stopping. */
export class FileTooLargeError extends Error {
  readonly path: string;
  readonly bytes: number;
  readonly maxBytes: number;
  constructor(path: string, bytes: number, maxBytes: number) {
    super(`${path}: over ${maxBytes} bytes`);
    this.name = 'FileTooLargeError';
    this.path = path;
    this.bytes = bytes;
    this.maxBytes = maxBytes;
  }
}

/**
 * Reads one file as UTF-8 through the contents API (raw media type, so files over 1 MB work
 * too). Returns undefined when the file does not exist; other errors are thrown.
 *
 * With `maxBytes`, the body is streamed and the download stops (throwing `FileTooLargeError`)
 * as soon as it passes the cap, or before it starts when `content-length` says so: a 90 MB file
 * costs at most `maxBytes` of memory, not 90 MB.
 */
export async function readRepoFile(context: Context, params: { owner: string; repo: string; path: string; ref?: string; maxBytes?: number }): Promise<string | undefined> {
  const { maxBytes, ...file } = params;
  try {
    if (maxBytes === undefined) {
      const response = await context.octokit.rest.repos.getContent({ ...file, mediaType: { format: 'raw' } });
      return decodeBody(response.data);
    }
    const response = await context.octokit.rest.repos.getContent({ ...file, mediaType: { format: 'raw' }, request: { parseSuccessResponseBody: false } });
    return await readCapped(response.data, Number(response.headers['content-length'] ?? NaN), file.path, maxBytes);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/** Reads a response body (a web stream, or an already parsed body) up to `maxBytes`. */
async function readCapped(body: unknown, declared: number, path: string, maxBytes: number): Promise<string | undefined> {
  const stream = body as ReadableStream<Uint8Array> | null;
  if (stream === null || typeof stream !== 'object' || typeof (stream as { getReader?: unknown }).getReader !== 'function') {
    const text = decodeBody(body);
    if (text !== undefined && Buffer.byteLength(text) > maxBytes) throw new FileTooLargeError(path, Buffer.byteLength(text), maxBytes);
    return text;
  }
  if (declared > maxBytes) {
    await stream.cancel().catch(() => undefined);
    throw new FileTooLargeError(path, declared, maxBytes);
  }
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new FileTooLargeError(path, bytes, maxBytes);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

/** Octokit hands raw bodies back as a string or an ArrayBuffer, depending on the content type. */
export function decodeBody(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder('utf-8').decode(data);
  if (ArrayBuffer.isView(data)) return new TextDecoder('utf-8').decode(data as Uint8Array);
  return undefined;
}
