import {
  createContext,
  lazy,
  type ReactNode,
  Suspense,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { get, post, qs } from '../shared/api.ts';

/**
 * Live push in the resident H5: while a resident is signed in, one EventSource on their notification stream
 * (GET /api/notifications/stream, src/server/modules/notifications/notifications.stream.ts). An urgent notice
 * opens a dialog (查看 / 知道了); other news — my case resolved, the grid worker called back, a place in an
 * activity — shows as a bar at the top with a link. Pages refresh themselves with `useLiveEvents`.
 */

/** One entry as the stream sends it (`event: notification`): the inbox entry without `data` and `readAt`. */
export interface LiveEvent {
  /** The inbox entry (GET /api/notifications). */
  id: number;
  /** `notice.urgent`, `case.<action>`, `callRequest.<action>`, `activity.<action>`. */
  topic: string;
  title: string;
  /** The action code, e.g. `resolve`. */
  body: string;
  caseId: number | null;
  callRequestId: number | null;
  createdAt: string;
}

type Listener = (event: LiveEvent) => void;

interface LiveValue {
  subscribe(listener: Listener): () => void;
}

const LiveContext = createContext<LiveValue | null>(null);

// The dialog and the bar (antd-mobile's Dialog and NoticeBar) arrive after the first screen: fetched once
// the stream is up, shown when there is news. The first download stays small.
const loadNews = () => import('./live-news.tsx');
const LiveNews = lazy(loadNews);

const STREAM_URL = '/api/notifications/stream';
const MAX_BACKOFF_MS = 60_000;
/** How long a bar stays up unless the resident taps it or closes it. */
const BAR_MS = 12_000;

/** The inbox entry behind a live event: where it points (a notice, an activity) is in its `data`. */
interface InboxEntry {
  id: number;
  data: Record<string, unknown>;
}

async function inboxData(id: number): Promise<Record<string, unknown> | null> {
  const page = await get<{ items: InboxEntry[] }>(`/api/notifications${qs({ unread: true, pageSize: 50 })}`);
  return page.items.find((n) => n.id === id)?.data ?? null;
}

const idOf = (data: Record<string, unknown> | null, key: string) => {
  const value = data?.[key];
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
};

/** An urgent notice shown as a dialog. */
export interface Urgent {
  event: LiveEvent;
  noticeId: number | null;
  unitName: string | null;
  /** The first lines of the notice. */
  summary: string | null;
}

/** Other news shown as a bar with a link. */
export interface Bar {
  event: LiveEvent;
  text: string;
  target: string | null;
}

/** Where a piece of news leads in the app, when it leads somewhere. */
async function targetOf(event: LiveEvent): Promise<string | null> {
  if (event.topic.startsWith('case.') && event.caseId) return `/cases/${event.caseId}`;
  if (event.topic.startsWith('callRequest.')) return '/call';
  if (event.topic.startsWith('activity.')) {
    const activityId = idOf(await inboxData(event.id).catch(() => null), 'activityId');
    return activityId ? `/activities/${activityId}` : '/activities';
  }
  return null;
}

export function LiveProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const listeners = useRef(new Set<Listener>());
  const [urgent, setUrgent] = useState<Urgent | null>(null);
  const [bar, setBar] = useState<Bar | null>(null);
  // Once shown, the news stays mounted, so the dialog can animate out.
  const [shownOnce, setShownOnce] = useState(false);
  const showNews = shownOnce || urgent !== null || bar !== null;
  useEffect(() => {
    if (urgent !== null || bar !== null) setShownOnce(true);
  }, [urgent, bar]);

  /** The words of a bar: the catalogue's sentence for the topic and action, the general one otherwise. */
  const describe = useCallback(
    (event: LiveEvent) => {
      const [area] = event.topic.split('.');
      const key = `notices.live.${area}.${event.body}`;
      const fallback = t(`notices.live.${area}.default`, {
        title: event.title,
        defaultValue: t('notices.live.default'),
      });
      return t(key, { title: event.title, defaultValue: fallback });
    },
    [t],
  );

  const announce = useCallback(
    async (event: LiveEvent) => {
      if (event.topic === 'notice.urgent') {
        setUrgent({ event, noticeId: null, unitName: null, summary: null });
        const data = await inboxData(event.id).catch(() => null);
        const text = (key: string) => (typeof data?.[key] === 'string' ? (data[key] as string) : null);
        setUrgent((shown) =>
          shown?.event.id === event.id
            ? { event, noticeId: idOf(data, 'noticeId'), unitName: text('unitName'), summary: text('summary') }
            : shown,
        );
        return;
      }
      if (!/^(case|callRequest|activity)\./.test(event.topic)) return;
      setBar({ event, text: describe(event), target: null });
      const target = await targetOf(event);
      setBar((shown) => (shown?.event.id === event.id ? { ...shown, target } : shown));
    },
    [describe],
  );
  const announceRef = useRef(announce);
  announceRef.current = announce;

  // EventSource reconnects by itself after a dropped connection (the server sets `retry` and replays what was
  // missed after Last-Event-ID); when the server refuses the stream it stops, and we open it again with backoff.
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | undefined;
    let backoff = 1000;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const seen = new Set<number>();
    const open = () => {
      source = new EventSource(STREAM_URL);
      source.addEventListener('hello', () => {
        backoff = 1000;
        void loadNews().catch(() => undefined);
      });
      source.addEventListener('notification', (message) => {
        let event: LiveEvent;
        try {
          event = JSON.parse((message as MessageEvent<string>).data) as LiveEvent;
        } catch {
          return;
        }
        if (seen.has(event.id)) return;
        seen.add(event.id);
        for (const listener of listeners.current) listener(event);
        void announceRef.current(event);
      });
      source.onerror = () => {
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          source.close();
          retry = setTimeout(open, backoff);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, []);

  useEffect(() => {
    if (!bar) return;
    const timer = setTimeout(() => setBar(null), BAR_MS);
    return () => clearTimeout(timer);
  }, [bar]);

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const value = useRef<LiveValue>({ subscribe }).current;

  function openBar(shown: Bar) {
    setBar(null);
    // Read in the inbox too: the resident has seen it.
    void post(`/api/notifications/${shown.event.id}/read`).catch(() => undefined);
    if (shown.target) navigate(shown.target);
  }

  return (
    <LiveContext.Provider value={value}>
      {children}
      {showNews ? (
        <Suspense fallback={null}>
          <LiveNews
            urgent={urgent}
            bar={bar}
            onCloseUrgent={() => setUrgent(null)}
            onViewUrgent={(shown) => navigate(shown.noticeId ? `/notices/${shown.noticeId}` : '/notices')}
            onOpenBar={openBar}
            onCloseBar={() => setBar(null)}
          />
        </Suspense>
      ) : null}
    </LiveContext.Provider>
  );
}

/**
 * Calls `onEvent` for every live event whose topic starts with `topicPrefix` (e.g. `case.`, `activity.`,
 * `notice.`) while the component is mounted, so a page can load again when its news arrives. Outside the
 * provider (signed out) it does nothing.
 */
export function useLiveEvents(topicPrefix: string, onEvent: (event: LiveEvent) => void): void {
  const live = useContext(LiveContext);
  const latest = useRef(onEvent);
  latest.current = onEvent;
  useEffect(() => {
    if (!live) return;
    return live.subscribe((event) => {
      if (event.topic.startsWith(topicPrefix)) latest.current(event);
    });
  }, [live, topicPrefix]);
}
