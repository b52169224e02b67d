import dayjs, { type Dayjs } from 'dayjs';
import type { PeriodQuery } from '../../api/metrics.ts';

export type PeriodChoice = 'week' | 'month' | 'year' | 'custom';
export const PERIOD_CHOICES: readonly PeriodChoice[] = ['week', 'month', 'year', 'custom'];

const DAY = 'YYYY-MM-DD';
export const formatDay = (d: Dayjs) => d.format(DAY);

/** Monday of the week of `d` (reports' weeks run Monday–Sunday). */
export function mondayOf(d: Dayjs): Dayjs {
  return d.subtract((d.day() + 6) % 7, 'day').startOf('day');
}

/** The first and last day of a period choice, the last never after today (nothing has happened since). */
export function periodDays(choice: PeriodChoice, custom: [string, string] | null, today = dayjs()): [string, string] {
  if (choice === 'custom' && custom) return custom;
  const start =
    choice === 'week' ? mondayOf(today) : choice === 'year' ? today.startOf('year') : today.startOf('month');
  return [formatDay(start), formatDay(today)];
}

/** The same period as the rate and ranking endpoints take it: a named period around today, or the range. */
export function periodQuery(choice: PeriodChoice, custom: [string, string] | null, today = dayjs()): PeriodQuery {
  if (choice === 'custom' && custom) return { from: custom[0], to: custom[1] };
  return { period: choice === 'custom' ? 'month' : choice, date: formatDay(today) };
}
