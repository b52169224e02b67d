import dayjs from 'dayjs';

/** A timestamp as local date and time (the browser's zone, normally Asia/Shanghai for our users). */
export function formatTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : '—';
}
