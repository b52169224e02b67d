/** One working window of a working day, in minutes after local midnight: [start, end). */
export interface WorkWindow {
  start: number;
  end: number;
}

const WINDOW = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

function minuteOfDay(hours: string, minutes: string): number | null {
  const h = Number(hours);
  const m = Number(minutes);
  if (m > 59 || h > 24 || (h === 24 && m !== 0)) return null;
  return h * 60 + m;
}

/**
 * Parses the WORK_HOURS setting: comma-separated `HH:MM-HH:MM` windows in time order that do not overlap,
 * e.g. `08:30-12:00,13:30-17:30` (a lunch break between). `24:00` may end the last window. Throws an Error
 * naming the setting on anything else, so a bad value stops the start-up instead of skewing every time limit.
 */
export function parseWorkHours(text: string, setting = 'WORK_HOURS'): WorkWindow[] {
  const fail = (why: string): never => {
    throw new Error(
      `${setting} must be comma-separated HH:MM-HH:MM windows in time order without overlap ` +
        `(e.g. 08:30-12:00,13:30-17:30): ${why}; got "${text}"`,
    );
  };
  const parts = text.split(',').map((p) => p.trim());
  const windows: WorkWindow[] = [];
  for (const part of parts) {
    const match = WINDOW.exec(part);
    if (!match) fail(`"${part}" is not HH:MM-HH:MM`);
    const [, sh, sm, eh, em] = match as RegExpExecArray & [string, string, string, string, string];
    const start = minuteOfDay(sh, sm);
    const end = minuteOfDay(eh, em);
    if (start === null || end === null) return fail(`"${part}" is not a time of day`);
    if (end <= start) fail(`"${part}" ends before it starts`);
    const previous = windows.at(-1);
    if (previous && start < previous.end) fail(`"${part}" overlaps or precedes the window before it`);
    windows.push({ start, end });
  }
  return windows;
}

/** The windows back as the setting's text (for the calendar page). */
export function formatWorkHours(windows: readonly WorkWindow[]): string {
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return windows.map((w) => `${hhmm(w.start)}-${hhmm(w.end)}`).join(',');
}
