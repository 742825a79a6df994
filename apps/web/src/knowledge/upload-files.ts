import { ApiError } from '../api/api-error';
import type { AuthedApi } from '../api/client';

export interface UploadResult {
  name: string;
  error?: unknown;
  /** The same bytes were already in the knowledge base (the api answered 200 with that document). */
  duplicate?: boolean;
}

/** A few at a time: the browser holds about six connections per origin and the api limits requests per user per second. */
const IN_FLIGHT = 3;
const RATE_LIMIT_RETRIES = 3;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function uploadOne(api: AuthedApi, file: File, retryDelayMs: number): Promise<UploadResult> {
  for (let attempt = 0; ; attempt += 1) {
    const form = new FormData();
    // The name travels explicitly: it becomes the document's title.
    form.append('file', file, file.name);
    try {
      const { response } = await api.POST('/api/v1/documents', { body: {}, bodySerializer: () => form });
      return { name: file.name, duplicate: response.status === 200 };
    } catch (error) {
      // A 429 (RATE_LIMITED) is the api asking to wait, not a verdict on the file.
      if (error instanceof ApiError && error.status === 429 && attempt < RATE_LIMIT_RETRIES) {
        await pause(retryDelayMs * (attempt + 1));
        continue;
      }
      return { name: file.name, error };
    }
  }
}

/** One request per file (each gets its own row and its own error), at most IN_FLIGHT at once, results in the order given. */
export async function uploadFiles(
  api: AuthedApi,
  files: File[],
  { onEach, retryDelayMs = 1000 }: { onEach?: (result: UploadResult) => void; retryDelayMs?: number } = {},
): Promise<UploadResult[]> {
  const results: UploadResult[] = new Array(files.length);
  let next = 0;
  const lane = async () => {
    while (next < files.length) {
      const index = next++;
      results[index] = await uploadOne(api, files[index], retryDelayMs);
      onEach?.(results[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, files.length) }, lane));
  return results;
}
