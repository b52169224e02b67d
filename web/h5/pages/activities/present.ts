/**
 * How an activity reads to a resident: times in plain words (11月28日 周六 14:00–16:00, in the phone's time
 * zone), whether places are left, and my own status. Pure functions of the data the server sent.
 */
import type { TFunction } from 'i18next';
import { ApiError } from '../../../shared/api.ts';
import { type MyEnrolment, type ResidentActivity, refusalReason } from '../../api/activities.ts';
import { describeError } from '../../errors.ts';

const pad = (n: number) => String(n).padStart(2, '0');

const formatters = new Map<string, Intl.DateTimeFormat>();
function part(language: string, options: Intl.DateTimeFormatOptions, date: Date): string {
  const key = `${language}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language, options);
    formatters.set(key, format);
  }
  return format.format(date);
}

/** The day, e.g. 11月28日 周六 (with the year when it is not this year). */
export function formatDate(t: TFunction, language: string, iso: string): string {
  const date = new Date(iso);
  const values = {
    year: date.getFullYear(),
    month: date.getMonth() + 1,
    day: date.getDate(),
    monthName: part(language, { month: 'short' }, date),
    weekday: part(language, { weekday: 'short' }, date),
  };
  const thisYear = new Date().getFullYear() === values.year;
  return t(thisYear ? 'activities.time.date' : 'activities.time.dateWithYear', values);
}

export const formatClock = (iso: string) => {
  const date = new Date(iso);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

/** A moment, e.g. 11月28日 周六 14:00. */
export const formatMoment = (t: TFunction, language: string, iso: string) =>
  t('activities.time.moment', { date: formatDate(t, language, iso), time: formatClock(iso) });

/** From start to end: 11月28日 周六 14:00–16:00, or both days when it runs over midnight. */
export function formatSpan(t: TFunction, language: string, startsAt: string, endsAt: string): string {
  const startDate = formatDate(t, language, startsAt);
  const endDate = formatDate(t, language, endsAt);
  const start = formatClock(startsAt);
  const end = formatClock(endsAt);
  return startDate === endDate
    ? t('activities.time.sameDay', { date: startDate, start, end })
    : t('activities.time.span', { startDate, start, endDate, end });
}

/** When enrolment is open: from … to …, from …, or until …; null when there is no window. */
export function formatEnrolWindow(t: TFunction, language: string, activity: ResidentActivity): string | null {
  const { enrolFrom, enrolUntil } = activity;
  const moment = (iso: string) => formatMoment(t, language, iso);
  if (enrolFrom && enrolUntil) {
    return t('activities.detail.enrolBetween', { from: moment(enrolFrom), until: moment(enrolUntil) });
  }
  if (enrolFrom) return t('activities.detail.enrolFrom', { when: moment(enrolFrom) });
  if (enrolUntil) return t('activities.detail.enrolUntil', { when: moment(enrolUntil) });
  return null;
}

/**
 * Where enrolment stands for a resident who is not (yet) in: the badge on the card and the button on the
 * detail page. The server decides again on every request; this only chooses what to offer.
 */
export type Availability = 'cancelled' | 'ended' | 'notYet' | 'closed' | 'open' | 'waitlist' | 'full';

export function availability(activity: ResidentActivity, now = Date.now()): Availability {
  if (activity.status === 'cancelled') return 'cancelled';
  if (Date.parse(activity.endsAt) <= now) return 'ended';
  if (activity.enrolFrom && now < Date.parse(activity.enrolFrom)) return 'notYet';
  if (activity.enrolUntil && now > Date.parse(activity.enrolUntil)) return 'closed';
  if (activity.placesLeft > 0) return 'open';
  if (activity.waiting < activity.waitlistCapacity) return 'waitlist';
  return 'full';
}

/** The badge text: 余 3 个名额 / 已满，可排队 / 已结束 … */
export function availabilityText(t: TFunction, language: string, activity: ResidentActivity, now = Date.now()) {
  const state = availability(activity, now);
  switch (state) {
    case 'open':
      return t('activities.places.left', { n: activity.placesLeft });
    case 'notYet':
      return t('activities.places.notYet', { when: formatMoment(t, language, activity.enrolFrom ?? '') });
    default:
      return t(`activities.places.${state}`);
  }
}

/** My enrolment while it counts (cancelled ones are as if I never enrolled). */
export const activeEnrolment = (activity: ResidentActivity): MyEnrolment | null =>
  activity.enrolment && activity.enrolment.status !== 'cancelled' ? activity.enrolment : null;

/** My status in a word: 已报名 / 候补第 2 位 / 已签到, or null. */
export function myStatusText(t: TFunction, enrolment: MyEnrolment | null): string | null {
  if (!enrolment || enrolment.status === 'cancelled') return null;
  if (enrolment.checkedInAt) return t('activities.mine.checkedIn');
  if (enrolment.status === 'waiting') return t('activities.mine.waiting', { position: enrolment.position ?? '' });
  return t('activities.mine.enrolled');
}

const REASONS = ['full', 'closed', 'code', 'notEnrolled', 'notOpen'];

/** A refusal in the activity's own words (full, closed, wrong code …), else the app's general message. */
export function describeActivityError(t: TFunction, error: unknown): string {
  const reason = refusalReason(error);
  if (reason && REASONS.includes(reason)) return t(`activities.errors.${reason}`);
  if (error instanceof ApiError && error.status === 404) return t('activities.errors.notFound');
  return describeError(t, error);
}
