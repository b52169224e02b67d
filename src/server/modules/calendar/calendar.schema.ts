import { z } from 'zod';
import { isCalendarDay } from './working-time.ts';

export const MIN_CALENDAR_YEAR = 2000;
export const MAX_CALENDAR_YEAR = 2100;

const inRange = (year: number) => year >= MIN_CALENDAR_YEAR && year <= MAX_CALENDAR_YEAR;

/** A real calendar day `YYYY-MM-DD` (2026-02-30 is refused) in the years the calendar handles. */
const calendarDay = z
  .string()
  .refine(isCalendarDay, 'must be a calendar day written YYYY-MM-DD')
  .refine((d) => inRange(Number(d.slice(0, 4))), `the year must be ${MIN_CALENDAR_YEAR}–${MAX_CALENDAR_YEAR}`);

/** `year` defaults to the current year in the calendar's time zone. */
export const calendarQuery = z.strictObject({
  year: z
    .string()
    .regex(/^\d{4}$/, 'a year written YYYY')
    .transform(Number)
    .refine(inRange, `the year must be ${MIN_CALENDAR_YEAR}–${MAX_CALENDAR_YEAR}`)
    .optional(),
});

export const dayParam = z.strictObject({ day: calendarDay });

export const dayKind = z.enum(['workday', 'holiday']);

export const setDayBody = z.strictObject({
  kind: dayKind,
  /** What the day is, e.g. 国庆节 or 国庆节调休上班; blank means none. */
  name: z
    .string()
    .trim()
    .max(50)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional(),
});

export const calendarDayDto = z.object({
  day: z.string(),
  kind: dayKind,
  name: z.string().nullable(),
  nameEn: z.string().nullable(),
  source: z.enum(['library', 'override']),
});

export const calendarResponse = z.object({
  year: z.number().int(),
  /** False when the library has no official schedule for the year yet: only weekends and overrides are off. */
  libraryCovers: z.boolean(),
  timeZone: z.string(),
  workHours: z.string(),
  minutesPerWorkingDay: z.number().int(),
  days: z.array(calendarDayDto),
});

export const calendarDayResponse = z.object({ day: calendarDayDto });
