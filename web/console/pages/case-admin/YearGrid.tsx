import { type KeyboardEvent, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalendarDay } from '../../api/case-config.ts';
import { isWeekend, weekdayOf } from './format.ts';

const pad = (n: number) => String(n).padStart(2, '0');
const dayText = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** What a day is, from the server's special days and the weekday rule (Saturday and Sunday are off). */
export function dayStatus(day: string, special: CalendarDay | undefined) {
  const weekend = isWeekend(day);
  const kind = special?.kind ?? (weekend ? 'holiday' : 'workday');
  return { kind, weekend, special };
}

/** Moves a `YYYY-MM-DD` day by n days. */
function shift(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + n));
  return dayText(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
}

/**
 * Twelve month grids of one year, Monday first: statutory holidays, adjusted working days, weekends and local
 * overrides marked. One day is in the tab order; the arrow keys move between days, Enter opens one.
 */
export function YearGrid({
  year,
  days,
  today,
  onPick,
}: {
  year: number;
  days: CalendarDay[];
  today: string;
  onPick(day: string): void;
}) {
  const { t, i18n } = useTranslation();
  const monthName = useMemo(() => {
    // Chinese calendars title months 1月…12月 (the "short" form); English spells them out.
    const month = i18n.language.startsWith('zh') ? 'short' : 'long';
    const format = new Intl.DateTimeFormat(i18n.language, { month, timeZone: 'UTC' });
    return (month: number) => format.format(new Date(Date.UTC(2000, month - 1, 1)));
  }, [i18n.language]);
  const byDay = useMemo(() => new Map(days.map((d) => [d.day, d])), [days]);
  const weekdays = t('caseAdmin.calendar.weekdays').split(',');
  const [focus, setFocus] = useState<string>(() => (today.startsWith(`${year}-`) ? today : `${year}-01-01`));
  const focusDay = focus.startsWith(`${year}-`) ? focus : `${year}-01-01`;
  const grid = useRef<HTMLDivElement>(null);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    const by = moves[event.key];
    const current = (event.target as HTMLElement).dataset.day;
    if (by === undefined || !current) return;
    const next = shift(current, by);
    if (!next.startsWith(`${year}-`)) return;
    event.preventDefault();
    setFocus(next);
    grid.current?.querySelector<HTMLButtonElement>(`[data-day="${next}"]`)?.focus();
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: arrow keys move focus between the day buttons inside
    <div className="year-grid" ref={grid} onKeyDown={onKeyDown} data-testid="year-grid">
      {Array.from({ length: 12 }, (_, i) => i + 1).map((month) => {
        const first = dayText(year, month, 1);
        const blanks = weekdayOf(first);
        return (
          <section key={month} className="month" aria-label={monthName(month)}>
            <h4 className="month-title">{monthName(month)}</h4>
            <div className="month-days">
              {weekdays.map((w, i) => (
                <span key={w} className={i >= 5 ? 'weekday weekend' : 'weekday'} aria-hidden>
                  {w}
                </span>
              ))}
              {Array.from({ length: daysIn(year, month) }, (_, i) => {
                const day = dayText(year, month, i + 1);
                const { kind, weekend, special } = dayStatus(day, byDay.get(day));
                const classes = ['day', `day-${kind}`];
                if (weekend) classes.push('day-weekend');
                if (special) classes.push(kind === 'holiday' ? 'day-special-holiday' : 'day-special-workday');
                if (special?.source === 'override') classes.push('day-override');
                if (day === today) classes.push('day-today');
                const status = t(`caseAdmin.calendar.kind.${kind}`);
                const label = [
                  day,
                  special?.name,
                  status,
                  special?.source === 'override' ? t('caseAdmin.calendar.overridden') : '',
                ]
                  .filter(Boolean)
                  .join(' · ');
                return (
                  <button
                    key={day}
                    type="button"
                    className={classes.join(' ')}
                    data-day={day}
                    data-kind={kind}
                    data-source={special?.source ?? 'weekday'}
                    title={label}
                    aria-label={label}
                    // The month's first day starts under its weekday; the others follow in the grid.
                    style={i === 0 ? { gridColumnStart: blanks + 1 } : undefined}
                    tabIndex={day === focusDay ? 0 : -1}
                    onFocus={() => setFocus(day)}
                    onClick={() => onPick(day)}
                  >
                    {i + 1}
                    {special && <span className="day-mark">{t(`caseAdmin.calendar.mark.${kind}`)}</span>}
                  </button>
                );
              })}
            </div>
          </section>
        );
      })}
    </div>
  );
}
