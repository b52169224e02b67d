import { ApiError, type ErrorBody } from '../../shared/api.ts';

/** The name the server gave the file (content-disposition, RFC 5987 filename* first), else the fallback. */
function fileName(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1] ?? fallback;
}

/** Downloads a file from the API (an Excel template or export) and saves it through the browser. */
export async function download(url: string, fallbackName: string, init: RequestInit = {}): Promise<void> {
  const response = await fetch(url, { credentials: 'same-origin', ...init });
  if (!response.ok) {
    const type = response.headers.get('content-type') ?? '';
    const body = type.includes('json') ? ((await response.json()) as Partial<ErrorBody>) : {};
    throw new ApiError(response.status, body.error ?? {});
  }
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName(response, fallbackName);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
