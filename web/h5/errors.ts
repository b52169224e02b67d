import type { TFunction } from 'i18next';
import { errorText } from '../shared/i18n.ts';
import { ApiError } from './api/session.ts';

/** A failure as a sentence the resident understands: the catalogue's `errors.<code>`, or a plain fallback. */
export function describeError(t: TFunction, error: unknown): string {
  if (error instanceof TypeError) return t('errors.NETWORK');
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    if (t(key) !== key) return t(key);
    return error.status >= 500 ? t('errors.INTERNAL') : errorText(t as never, error);
  }
  return t('errors.INTERNAL');
}
