import chineseDays from 'chinese-days';
import { formatWorkHours, parseWorkHours, type WorkWindow } from './work-hours.ts';

/**
 * Working-time arithmetic for time limits (response, resolution, visit), counted in working minutes.
 *
 * A day is working or not by, in this order: an administrator's override (table calendar_days), the official
 * schedule of public holidays and adjusted working days (调休) from the `chinese-days` library, and for the
 * rest Monday–Friday working, Saturday and Sunday off — which is also the rule for years the library has no
 * schedule for yet (see `libraryCovers`). A working day is worked in the WORK_HOURS windows, local time in the
 * calendar's time zone (Asia/Shanghai: UTC+8 all year, so every day is exact to the millisecond; in a zone with
 * daylight saving each day uses the offset at its local noon).
 *
 * Everything is pure and walks day by day (never minute by minute); a walk longer than MAX_SPAN_DAYS calendar
 * days is refused with a RangeError.
 */

export type DayKind = 'workday' | 'holiday';

/** An administrator's override of one day. */
export interface CalendarOverride {
  day: string;
  kind: DayKind;
  name: string | null;
}

/** A day that is not a plain weekday or weekend: a holiday or an adjusted working day. */
export interface SpecialDay {
  day: string;
  kind: DayKind;
  /** Chinese name from the library (e.g. 国庆节), or the administrator's text. */
  name: string | null;
  /** English name from the library; null for overrides. */
  nameEn: string | null;
  source: 'library' | 'override';
}

export interface WorkCalendarOptions {
  overrides?: Iterable<CalendarOverride>;
  /** The WORK_HOURS setting, e.g. `08:30-12:00,13:30-17:30`; default `09:00-17:00`. */
  workHours?: string;
  /** IANA time zone; default Asia/Shanghai. */
  timeZone?: string;
}

export const MAX_SPAN_DAYS = 3650;
export const DEFAULT_WORK_HOURS = '09:00-17:00';
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const DAY_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` calendar day, or null when it is not a real date (2026-02-30). */
export function dayNumber(day: string): number | null {
  const match = DAY_TEXT.exec(day);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/** True for a real calendar day written `YYYY-MM-DD`. */
export function isCalendarDay(day: string): boolean {
  return dayNumber(day) !== null;
}

function dayText(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

function yearOf(n: number): number {
  return new Date(n * DAY_MS).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
function weekdayOf(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

function requireDay(day: string): number {
  const n = dayNumber(day);
  if (n === null) throw new RangeError(`not a calendar day (YYYY-MM-DD): "${day}"`);
  return n;
}

function requireTime(at: Date): number {
  const t = at.getTime();
  if (!Number.isFinite(t)) throw new RangeError('invalid date');
  return t;
}

// ---- the library, read once per year and kept (its data never changes while the process runs) ----

interface LibraryDay {
  kind: DayKind;
  name: string;
  nameEn: string;
}

interface LibraryYear {
  covered: boolean;
  days: Map<number, LibraryDay>;
}

const libraryYears = new Map<number, LibraryYear>();

/**
 * The library's holidays and adjusted working days of one year. The library reads dates in the process's local
 * time zone, so it is handed local noons (never date strings, which it parses as UTC midnight).
 */
function libraryYear(year: number): LibraryYear {
  const cached = libraryYears.get(year);
  if (cached) return cached;
  const localNoon = (day: string) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return new Date(y, m - 1, d, 12);
  };
  const days = new Map<number, LibraryDay>();
  const add = (day: string, kind: DayKind) => {
    const n = dayNumber(day);
    if (n === null || yearOf(n) !== year) return;
    const [nameEn = '', name = nameEn] = chineseDays.getDayDetail(localNoon(day)).name.split(',');
    days.set(n, { kind, name, nameEn });
  };
  const first = new Date(year, 0, 1, 12);
  const last = new Date(year, 11, 31, 12);
  for (const day of chineseDays.getHolidaysInRange(first, last, false)) add(day, 'holiday');
  for (const day of chineseDays.getWorkdaysInRange(first, last, true)) {
    const n = dayNumber(day);
    if (n !== null && (weekdayOf(n) === 0 || weekdayOf(n) === 6)) add(day, 'workday');
  }
  const entry = { covered: [...days.values()].some((d) => d.kind === 'holiday'), days };
  libraryYears.set(year, entry);
  return entry;
}

/** Whether the library knows the official schedule of `year` (else: weekends off unless overridden). */
export function libraryCovers(year: number): boolean {
  if (!Number.isInteger(year)) return false;
  return libraryYear(year).covered;
}

// ---- time zone offsets ----

function offsetReader(timeZone: string): (utcMs: number) => number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (utcMs) => {
    const parts: Record<string, number> = {};
    for (const p of format.formatToParts(new Date(utcMs))) {
      if (p.type !== 'literal') parts[p.type] = Number(p.value);
    }
    const local = Date.UTC(
      parts.year ?? 1970,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    );
    return local - Math.floor(utcMs / 1000) * 1000;
  };
}

export class WorkCalendar {
  readonly timeZone: string;
  readonly windows: readonly WorkWindow[];
  /** The WORK_HOURS text, normalised. */
  readonly workHours: string;
  readonly minutesPerWorkingDay: number;
  private readonly overrides = new Map<number, CalendarOverride>();
  private readonly windowsMs: ReadonlyArray<readonly [number, number]>;
  private readonly msPerWorkingDay: number;
  private readonly firstStartMs: number;
  private readonly lastEndMs: number;
  private readonly readOffset: (utcMs: number) => number;
  private readonly offsets = new Map<number, number>();

  constructor(options: WorkCalendarOptions = {}) {
    this.timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
    this.readOffset = offsetReader(this.timeZone);
    this.windows = Object.freeze(parseWorkHours(options.workHours ?? DEFAULT_WORK_HOURS));
    this.workHours = formatWorkHours(this.windows);
    this.windowsMs = this.windows.map((w) => [w.start * MINUTE_MS, w.end * MINUTE_MS] as const);
    this.minutesPerWorkingDay = this.windows.reduce((sum, w) => sum + w.end - w.start, 0);
    this.msPerWorkingDay = this.minutesPerWorkingDay * MINUTE_MS;
    this.firstStartMs = this.windowsMs[0]?.[0] ?? 0;
    this.lastEndMs = this.windowsMs.at(-1)?.[1] ?? 0;
    for (const o of options.overrides ?? []) this.overrides.set(requireDay(o.day), { ...o });
  }

  /** Whether the library knows the official schedule of `year`, so the UI can warn when it does not. */
  libraryCovers(year: number): boolean {
    return libraryCovers(year);
  }

  /** Whether `day` (`YYYY-MM-DD`) is a working day. Throws a RangeError for a date that does not exist. */
  isWorkingDay(day: string): boolean {
    return this.workingDay(requireDay(day));
  }

  /** The calendar day (`YYYY-MM-DD`, in the calendar's time zone) of an instant. */
  dayOf(at: Date): string {
    return dayText(this.localDay(requireTime(at)));
  }

  /** The holidays and adjusted working days of a year, library and overrides merged, in date order. */
  specialDays(year: number): SpecialDay[] {
    const result = new Map<number, SpecialDay>();
    for (const [n, d] of libraryYear(year).days) {
      result.set(n, { day: dayText(n), kind: d.kind, name: d.name, nameEn: d.nameEn, source: 'library' });
    }
    for (const [n, o] of this.overrides) {
      if (yearOf(n) === year)
        result.set(n, { day: o.day, kind: o.kind, name: o.name, nameEn: null, source: 'override' });
    }
    return [...result.entries()].sort((a, b) => a[0] - b[0]).map(([, d]) => d);
  }

  /** True when `at` lies inside a working window of a working day (windows are [start, end)). */
  isWorkingTime(at: Date): boolean {
    const t = requireTime(at);
    const n = this.localDay(t);
    if (!this.workingDay(n)) return false;
    const offset = t - this.midnight(n);
    return this.windowsMs.some(([s, e]) => offset >= s && offset < e);
  }

  /** `at` itself when it is working time, else the start of the next working window. */
  nextWorkingTime(at: Date): Date {
    const t = requireTime(at);
    const first = this.localDay(t);
    for (let n = first; n <= first + MAX_SPAN_DAYS; n++) {
      if (!this.workingDay(n)) continue;
      const midnight = this.midnight(n);
      for (const [s, e] of this.windowsMs) {
        if (midnight + e > t) return new Date(Math.max(midnight + s, t));
      }
    }
    throw new RangeError(`no working time within ${MAX_SPAN_DAYS} days`);
  }

  /**
   * The instant at which `minutes` working minutes have elapsed since `start`: the earliest such instant, so a
   * limit that uses up a window exactly ends at the window's end (17:00), not at the next morning's start. Time
   * before the first window after `start` does not count (a case reported on Saturday starts counting on Monday
   * morning). `minutes = 0` returns `start` unchanged (no time has to elapse), which keeps the arithmetic
   * additive: add(add(a, m), n) = add(a, m + n) for all m, n ≥ 0. Fractions of a minute count to the
   * millisecond. Throws a RangeError for negative or non-finite minutes or a result beyond MAX_SPAN_DAYS.
   */
  addWorkingMinutes(start: Date, minutes: number): Date {
    if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`working minutes must be ≥ 0, got ${minutes}`);
    return this.addWorkingMilliseconds(start, Math.round(minutes * MINUTE_MS));
  }

  /** As addWorkingMinutes, in milliseconds. */
  addWorkingMilliseconds(start: Date, ms: number): Date {
    if (!Number.isInteger(ms) || ms < 0) throw new RangeError(`working milliseconds must be an integer ≥ 0, got ${ms}`);
    const t0 = requireTime(start);
    if (ms === 0) return new Date(t0);
    let remaining = ms;
    const first = this.localDay(t0);
    for (let n = first; n <= first + MAX_SPAN_DAYS; n++) {
      if (!this.workingDay(n)) continue;
      const midnight = this.midnight(n);
      if (t0 <= midnight + this.firstStartMs && remaining > this.msPerWorkingDay) {
        remaining -= this.msPerWorkingDay;
        continue;
      }
      for (const [s, e] of this.windowsMs) {
        const end = midnight + e;
        if (end <= t0) continue;
        const from = Math.max(midnight + s, t0);
        const available = end - from;
        if (remaining <= available) return new Date(from + remaining);
        remaining -= available;
      }
    }
    throw new RangeError(`the working time ends more than ${MAX_SPAN_DAYS} days after the start`);
  }

  /**
   * Working minutes in [a, b): 0 when b ≤ a. Exact: a fraction when a or b are not on whole minutes (callers
   * round as they need). workingMinutesBetween(a, addWorkingMinutes(a, m)) = m. Throws a RangeError when a and b
   * are more than MAX_SPAN_DAYS apart.
   */
  workingMinutesBetween(a: Date, b: Date): number {
    return this.workingMillisecondsBetween(a, b) / MINUTE_MS;
  }

  /** As workingMinutesBetween, in milliseconds. */
  workingMillisecondsBetween(a: Date, b: Date): number {
    const ta = requireTime(a);
    const tb = requireTime(b);
    if (tb <= ta) return 0;
    const first = this.localDay(ta);
    const last = this.localDay(tb);
    if (last - first > MAX_SPAN_DAYS) throw new RangeError(`more than ${MAX_SPAN_DAYS} days apart`);
    let total = 0;
    for (let n = first; n <= last; n++) {
      if (!this.workingDay(n)) continue;
      const midnight = this.midnight(n);
      if (ta <= midnight + this.firstStartMs && midnight + this.lastEndMs <= tb) {
        total += this.msPerWorkingDay;
        continue;
      }
      for (const [s, e] of this.windowsMs) {
        const overlap = Math.min(midnight + e, tb) - Math.max(midnight + s, ta);
        if (overlap > 0) total += overlap;
      }
    }
    return total;
  }

  private workingDay(n: number): boolean {
    const override = this.overrides.get(n);
    if (override) return override.kind === 'workday';
    const library = libraryYear(yearOf(n)).days.get(n);
    if (library) return library.kind === 'workday';
    const weekday = weekdayOf(n);
    return weekday !== 0 && weekday !== 6;
  }

  /** UTC offset in ms of local day n (taken at its noon UTC, which is inside the local day for ±12 h zones). */
  private offset(n: number): number {
    let offset = this.offsets.get(n);
    if (offset === undefined) {
      offset = this.readOffset(n * DAY_MS + DAY_MS / 2);
      if (this.offsets.size > 20_000) this.offsets.clear();
      this.offsets.set(n, offset);
    }
    return offset;
  }

  /** The instant local day n begins. */
  private midnight(n: number): number {
    return n * DAY_MS - this.offset(n);
  }

  /** The local day an instant falls on. */
  private localDay(t: number): number {
    let n = Math.floor((t + this.offset(Math.floor(t / DAY_MS))) / DAY_MS);
    while (t < this.midnight(n)) n--;
    while (t >= this.midnight(n + 1)) n++;
    return n;
  }
}
