import type { FormInstance } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.ts';
import { useErrorText } from '../../lib/errors.ts';

interface Issue {
  path?: string;
  message?: string;
}

export interface PlaceOptions {
  /** Server field name → form field name, where the form keeps a value differently (e.g. a share as a percent). */
  alias?: Record<string, string>;
  /** Text for `<CODE>.<field>` (e.g. `DUPLICATE.code`), more telling than the general text of the code. */
  messages?: Record<string, string>;
}

/**
 * Puts a refused save on the form: a VALIDATION_FAILED answer's issues on the fields they name, a rule's
 * refusal (`details.field`, e.g. DUPLICATE on code) on its field. Returns the text for an alert above the
 * form when nothing landed on a field (a version conflict, a network failure), or null.
 */
export function useServerErrors() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  return useCallback(
    (form: FormInstance, error: unknown, options: PlaceOptions = {}): string | null => {
      if (!(error instanceof ApiError)) return errorText(error);
      const known = new Set(Object.keys(form.getFieldsValue(true) as Record<string, unknown>));
      const formField = (field: string | undefined) => {
        if (!field) return null;
        const name = options.alias?.[field] ?? field;
        return known.has(name) ? name : null;
      };
      const specific = (field: string) => options.messages?.[`${error.code}.${field}`];
      if (error.code === 'VALIDATION_FAILED' && Array.isArray(error.details)) {
        const placed = new Map<string, string>();
        for (const issue of error.details as Issue[]) {
          const field = issue.path?.split('.')[0];
          const name = formField(field);
          if (name && field && !placed.has(name)) placed.set(name, specific(field) ?? t('common.invalidValue'));
        }
        if (placed.size) {
          form.setFields([...placed].map(([name, message]) => ({ name, errors: [message] })));
          return null;
        }
        return errorText(error);
      }
      const detail = error.details as { field?: string } | undefined;
      const field = typeof detail?.field === 'string' ? detail.field : undefined;
      const name = formField(field);
      if (name && field) {
        form.setFields([{ name, errors: [specific(field) ?? errorText(error)] }]);
        return null;
      }
      return errorText(error);
    },
    [t, errorText],
  );
}

/** Whether the save was refused because someone else changed the record first. */
export const isVersionConflict = (error: unknown) => error instanceof ApiError && error.code === 'VERSION_CONFLICT';
