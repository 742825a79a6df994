import { ApiError } from '../api/api-error';
import { freshAccessToken } from '../auth/token-refresher';

/** The name from `Content-Disposition` (RFC 5987 `filename*` first, then the ASCII `filename`). */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // A malformed escape: fall through to the plain name.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1].trim() : fallback;
}

/**
 * GET /exports/:id/download with the bearer token (a plain link cannot send it), then saves
 * the blob through a temporary object URL. The api's errors (410 EXPORT_EXPIRED, 409 not
 * ready, 404) are thrown as ApiError for the page to put in words.
 */
export async function downloadExport(id: string, fallbackName: string): Promise<void> {
  const token = await freshAccessToken();
  const response = await fetch(`/api/v1/exports/${encodeURIComponent(id)}/download`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) throw await ApiError.fromResponse(response);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = fileNameFrom(response.headers.get('Content-Disposition'), fallbackName);
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // Revoked after the click has started the save; revoking at once can cancel it in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}
