import type { FormInstance } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/api.ts';
import { errorText } from '../../shared/i18n.ts';

/** A server error as a sentence in the current language (`errors.<CODE>`); a failed fetch as NETWORK. */
export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return useCallback(
    (error: unknown) =>
      error instanceof TypeError ? t('errors.NETWORK') : errorText(t as (key: string) => string, error),
    [t],
  );
}

interface FieldIssue {
  path?: string;
  message?: string;
}

/**
 * Puts a VALIDATION_FAILED answer's issues on the form fields they name; returns true when at least one
 * issue landed on a field (the caller then does not need a separate message).
 */
export function showFieldErrors(form: FormInstance, error: unknown, fieldMessage: string): boolean {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED' || !Array.isArray(error.details)) return false;
  const known = new Set(Object.keys(form.getFieldsValue() as Record<string, unknown>));
  const fields = (error.details as FieldIssue[])
    .map((issue) => issue.path?.split('.')[0])
    .filter((name): name is string => Boolean(name && known.has(name)))
    .map((name) => ({ name, errors: [fieldMessage] }));
  if (fields.length) form.setFields(fields);
  return fields.length > 0;
}
