/**
 * The resident's notices API (信息通知): the published notices of every unit on my home path (district,
 * street, community, grid) with my read state, and the unread count behind the tab's badge. Types come from
 * the server's schemas (src/server/modules/notices/notices.schema.ts).
 */
import { useEffect, useSyncExternalStore } from 'react';
import type {
  ResidentNoticeDto,
  ResidentNoticeSummaryDto,
} from '../../../src/server/modules/notices/notices.schema.ts';
import { get, type Page, post, qs } from '../../shared/api.ts';
import { useLiveEvents } from '../live.tsx';

export type NoticeSummary = ResidentNoticeSummaryDto;
export type NoticeDetail = ResidentNoticeDto;

type NoticePage = Page<NoticeSummary> & { unreadCount: number };

// The unread count is one value for the whole app (the tab badge, the list's 全部已读): every answer that
// carries it updates it here, and whoever shows it re-renders.
let unread = 0;
const watchers = new Set<() => void>();
function setUnread(count: number) {
  if (count === unread) return;
  unread = count;
  for (const watcher of watchers) watcher();
}
function watch(watcher: () => void) {
  watchers.add(watcher);
  return () => {
    watchers.delete(watcher);
  };
}

/** Pinned first, then newest first; `unread` leaves out those I have opened. */
export async function listMyNotices(query: { page: number; pageSize: number; unread?: boolean }) {
  const page = await get<NoticePage>(`/api/me/notices${qs({ ...query })}`);
  setUnread(page.unreadCount);
  return page;
}

/** One notice in full; opening it marks it read. */
export async function openNotice(id: number) {
  const { notice, unreadCount } = await get<{ notice: NoticeDetail; unreadCount: number }>(`/api/me/notices/${id}`);
  setUnread(unreadCount);
  return notice;
}

export async function readAllNotices() {
  const result = await post<{ marked: number; unreadCount: number }>('/api/me/notices/read-all');
  setUnread(result.unreadCount);
  return result;
}

/** Asks the server for the count again (a failed look leaves the badge as it was). */
export async function refreshUnreadNotices() {
  try {
    const { unreadCount } = await get<{ unreadCount: number }>('/api/me/notices/unread-count');
    setUnread(unreadCount);
  } catch {
    // Offline or signed out: the next success corrects it.
  }
}

/**
 * How many published notices for my home I have not read yet: the notices tab's badge. Loaded when shown,
 * again when an urgent notice arrives live and when the resident comes back to the app; a notice opened or
 * "all read" updates it at once.
 */
export function useUnreadNotices(): number {
  const count = useSyncExternalStore(watch, () => unread);
  useEffect(() => {
    void refreshUnreadNotices();
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refreshUnreadNotices();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);
  useLiveEvents('notice.', () => void refreshUnreadNotices());
  return count;
}
