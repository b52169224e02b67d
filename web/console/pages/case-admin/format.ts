/** Formatting shared by the case-settings tabs. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/** A configured record's name in the interface language (English names are kept beside the Chinese ones). */
export function localName(record: { name: string; nameEn: string | null }, language: string): string {
  return language === 'en-US' && record.nameEn ? record.nameEn : record.name;
}

/** An orange share (0.8) as the percent administrators think in (80%). */
export const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

export type DurationUnit = 'days' | 'hours' | 'minutes';

/** Working minutes in one unit; a working day has as many minutes as WORK_HOURS gives (480 for 09:00-17:00). */
export function unitMinutes(unit: DurationUnit, minutesPerDay: number): number {
  return unit === 'days' ? minutesPerDay : unit === 'hours' ? 60 : 1;
}

/** The largest unit the minutes are a whole number of, so 2400 shows as 5 days and 90 as 90 minutes. */
export function naturalUnit(minutes: number, minutesPerDay: number): DurationUnit {
  if (minutes > 0 && minutes % minutesPerDay === 0) return 'days';
  if (minutes > 0 && minutes % 60 === 0) return 'hours';
  return 'minutes';
}

/** Working minutes split into whole working days, hours and minutes. */
export function splitMinutes(minutes: number, minutesPerDay: number) {
  const days = Math.floor(minutes / minutesPerDay);
  const rest = minutes - days * minutesPerDay;
  return { days, hours: Math.floor(rest / 60), minutes: rest % 60 };
}

/** Working minutes as text: "5 个工作日", "1 个工作日 4 小时", "30 分钟". */
export function formatWorkingTime(
  minutes: number,
  minutesPerDay: number,
  t: (key: string, options?: object) => string,
): string {
  const parts = splitMinutes(minutes, minutesPerDay);
  const text = [
    parts.days ? t('caseAdmin.duration.days', { count: parts.days }) : '',
    parts.hours ? t('caseAdmin.duration.hours', { count: parts.hours }) : '',
    parts.minutes ? t('caseAdmin.duration.minutes', { count: parts.minutes }) : '',
  ].filter(Boolean);
  return text.length ? text.join(' ') : t('caseAdmin.duration.minutes', { count: 0 });
}

/** formatWorkingTime in the interface language, for a calendar with `minutesPerDay` working minutes a day. */
export function useWorkingTime(minutesPerDay: number): (minutes: number) => string {
  const { t } = useTranslation();
  return useCallback(
    (minutes: number) => formatWorkingTime(minutes, minutesPerDay, t as unknown as (key: string, o?: object) => string),
    [t, minutesPerDay],
  );
}

/** The weekday of a `YYYY-MM-DD` day, 0 = Monday … 6 = Sunday, independent of the browser's time zone. */
export function weekdayOf(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

export const isWeekend = (day: string) => weekdayOf(day) >= 5;
