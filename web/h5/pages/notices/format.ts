import type { TFunction } from 'i18next';
import i18next from 'i18next';

const DAY = 24 * 60 * 60 * 1000;
const startOfDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();

/** When a notice was published, as a resident reads it: "今天 14:30", "昨天 09:05", "11月20日", "2025年3月5日". */
export function publishedWhen(t: TFunction, iso: string, now = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const language = i18next.language || 'zh-CN';
  const days = Math.round((startOfDay(now) - startOfDay(at)) / DAY);
  if (days === 0 || days === 1) {
    const time = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
    return t(days === 0 ? 'notices.time.today' : 'notices.time.yesterday', { time });
  }
  return new Intl.DateTimeFormat(language, {
    ...(at.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
    month: 'long',
    day: 'numeric',
  }).format(at);
}
