import dayjs from 'dayjs';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.ts';
import type { Activity } from '../../api/activities.ts';
import { useErrorText } from '../../lib/errors.ts';

/** Start and end as local time; the end without its date when on the same day. */
export function timeRange(startsAt: string, endsAt: string): string {
  const start = dayjs(startsAt);
  const end = dayjs(endsAt);
  const endText = start.isSame(end, 'day') ? end.format('HH:mm') : end.format('YYYY-MM-DD HH:mm');
  return `${start.format('YYYY-MM-DD HH:mm')}–${endText}`;
}

/** published / cancelled as stored, or ended once the end has passed. */
export function displayStatus(a: Pick<Activity, 'status' | 'endsAt'>): 'published' | 'cancelled' | 'ended' {
  if (a.status === 'cancelled') return 'cancelled';
  return dayjs(a.endsAt).isBefore(dayjs()) ? 'ended' : 'published';
}

export const STATUS_COLOURS = { published: 'green', cancelled: 'default', ended: 'blue' } as const;
export const KIND_COLOURS = { course: 'geekblue', partyClass: 'red', volunteer: 'orange', activity: 'cyan' } as const;

const REASONS = new Set(['belowEnrolled', 'belowWaiting', 'cancelled', 'ended', 'notEnrolled', 'notOpen']);

/** A server refusal as a sentence: the activity-specific 409 reasons first, then the general catalogue. */
export function useActivityErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  const errorText = useErrorText();
  return useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.code === 'CONFLICT') {
        const details = (error.details ?? {}) as { reason?: string } & Record<string, unknown>;
        if (details.reason && REASONS.has(details.reason)) return t(`activities.reasons.${details.reason}`, details);
      }
      return errorText(error);
    },
    [t, errorText],
  );
}
