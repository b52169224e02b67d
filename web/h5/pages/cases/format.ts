/**
 * Dates and times as a resident reads them: "今天 14:30", "明天 09:00", "3月5日 14:30"; file sizes in MB;
 * the error a case page shows for a failed request.
 */
import type { TFunction } from 'i18next';
import i18next from 'i18next';
import { ApiError } from '../../api/session.ts';
import { describeError } from '../../errors.ts';

const DAY = 24 * 60 * 60 * 1000;

function startOfDay(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** A moment in plain words: today / tomorrow / yesterday with the time, else the date (and year when not this one). */
export function formatWhen(t: TFunction, iso: string, now = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const language = i18next.language || 'zh-CN';
  const time = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  const days = Math.round((startOfDay(at) - startOfDay(now)) / DAY);
  if (days === 0) return t('cases.time.today', { time });
  if (days === 1) return t('cases.time.tomorrow', { time });
  if (days === -1) return t('cases.time.yesterday', { time });
  const date = new Intl.DateTimeFormat(language, {
    ...(at.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
    month: 'long',
    day: 'numeric',
  }).format(at);
  return `${date} ${time}`;
}

/** Just the time of day, e.g. 14:30. */
export function formatClock(iso: string): string {
  return new Intl.DateTimeFormat(i18next.language || 'zh-CN', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

export function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Number(mb.toFixed(1))} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * A failure on the case pages: a refused photo or a place outside every grid in the page's own words (the
 * server's own message carries the limit), anything else as the app's plain sentence.
 */
export function caseErrorText(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    const details = (error.details ?? {}) as { field?: string; maxBytes?: number };
    if (error.code === 'UNSUPPORTED_MEDIA_TYPE') return t('cases.photos.notImage');
    if (error.code === 'PAYLOAD_TOO_LARGE') {
      return typeof details.maxBytes === 'number'
        ? t('cases.photos.tooLarge', { size: formatBytes(details.maxBytes) })
        : t('cases.photos.empty');
    }
    if (error.status === 400 && details.field === 'location') return t('cases.report.outsideTerritory');
    // Reports, calls and photos are limited per hour (REPORTS_PER_HOUR, UPLOADS_PER_HOUR); the shared text is about codes.
    if (error.code === 'RATE_LIMITED') return t('cases.report.tooMany');
  }
  return describeError(t, error);
}
