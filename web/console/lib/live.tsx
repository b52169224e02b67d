import { App, Button } from 'antd';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { z } from 'zod';
import type { notification as notificationSchema } from '../../../src/server/modules/notifications/notifications.schema.ts';
import { get, qs } from '../../shared/api.ts';
import { type Worklist, worklistCounts } from '../api/cases.ts';
import { useSession } from './session.tsx';

export type NotificationDto = z.infer<typeof notificationSchema>;
/** One entry as the stream sends it (the inbox entry without `data` and `readAt`). */
export type LiveNotification = Pick<
  NotificationDto,
  'id' | 'title' | 'body' | 'caseId' | 'callRequestId' | 'topic' | 'createdAt'
>;

/** Worklists where something waits for this person to act: their sum is the menu badge of 我的待办. */
export const ACTIONABLE_WORKLISTS: readonly Worklist[] = [
  'toClassify',
  'toDispatch',
  'toCheckIn',
  'toHandle',
  'toArbitrate',
  'toVisit',
  'extensionRequests',
  'supervisionReview',
];

const STREAM_URL = '/api/notifications/stream';
const SOUND_KEY = 'linli.live.sound';
const DESKTOP_KEY = 'linli.live.desktop';
/** Several events in a burst (a whistle to three departments) refresh the counts once. */
const REFRESH_DEBOUNCE_MS = 800;
const MAX_BACKOFF_MS = 60_000;

type Listener = (n: LiveNotification) => void;

interface LiveContextValue {
  /** Unread notifications; undefined until the stream (or the first count) says. */
  unreadCount: number | undefined;
  setUnreadCount(count: number): void;
  connected: boolean;
  /** My worklist counts (GET /api/cases/worklists); undefined until loaded. */
  counts: Record<Worklist, number> | undefined;
  /** Why the counts could not be loaded (cleared by the next success). */
  countsError: unknown;
  /** Waiting one-tap calls in my scope (待回电); undefined when not loaded or not permitted. */
  waitingCalls: number | undefined;
  refreshCounts(): void;
  /** Called for every notification that arrives; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void;
  sound: boolean;
  desktop: boolean;
  setSound(on: boolean): void;
  /** Turning it on asks the browser's permission; resolves to what was granted. */
  setDesktop(on: boolean): Promise<NotificationPermission | 'unsupported'>;
}

const LiveContext = createContext<LiveContextValue | null>(null);

const stored = (key: string) => {
  try {
    return localStorage.getItem(key) === 'true';
  } catch {
    return false;
  }
};
const store = (key: string, on: boolean) => {
  try {
    localStorage.setItem(key, String(on));
  } catch {
    // Private mode: the setting lasts for this page only.
  }
};

let audio: AudioContext | undefined;
/** The browser lets a page make sound only after a user gesture: the switch that turns sound on is one. */
function unlockAudio() {
  if (typeof AudioContext === 'undefined') return;
  audio ??= new AudioContext();
  if (audio.state === 'suspended') void audio.resume();
}

/** A short two-note chime generated on the spot (no audio file to load). */
export function playChime() {
  if (typeof AudioContext === 'undefined') return;
  audio ??= new AudioContext();
  if (audio.state !== 'running') return;
  const start = audio.currentTime;
  for (const [offset, frequency] of [
    [0, 880],
    [0.16, 1175],
  ] as const) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.25, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.3);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.32);
  }
}

/**
 * Live updates for the signed-in staff member: one EventSource on their notification stream (reconnecting
 * with backoff when the server or network drops it), the unread count, the worklist counts behind the menu
 * badges (refreshed when something arrives), a toast with a link for each case that reaches them, and the
 * optional chime and desktop notification.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const navigate = useNavigate();
  const { session, can } = useSession();
  const signedIn = Boolean(session);
  const readsCases = can('case.read');
  const [unreadCount, setUnreadCount] = useState<number>();
  const [connected, setConnected] = useState(false);
  const [counts, setCounts] = useState<Record<Worklist, number>>();
  const [countsError, setCountsError] = useState<unknown>(null);
  const [waitingCalls, setWaitingCalls] = useState<number>();
  const [sound, setSoundState] = useState(() => stored(SOUND_KEY));
  const [desktop, setDesktopState] = useState(
    () => stored(DESKTOP_KEY) && typeof Notification !== 'undefined' && Notification.permission === 'granted',
  );
  const listeners = useRef(new Set<Listener>());
  const settings = useRef({ sound, desktop });
  settings.current = { sound, desktop };

  const loadCounts = useCallback(async () => {
    if (!readsCases) return;
    const [worklists, calls] = await Promise.allSettled([
      worklistCounts(),
      get<{ total: number }>(`/api/call-requests${qs({ status: 'waiting', pageSize: 1 })}`),
    ]);
    if (worklists.status === 'fulfilled') {
      setCounts(worklists.value.counts);
      setCountsError(null);
    } else setCountsError(worklists.reason);
    if (calls.status === 'fulfilled') setWaitingCalls(calls.value.total);
  }, [readsCases]);

  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const refreshCounts = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void loadCounts(), REFRESH_DEBOUNCE_MS);
  }, [loadCounts]);

  useEffect(() => {
    if (signedIn) void loadCounts();
    return () => clearTimeout(timer.current);
  }, [signedIn, loadCounts]);

  const announce = useCallback(
    (n: LiveNotification) => {
      const action = n.topic.startsWith('case.')
        ? t(`caseTerms.action.${n.body}`, { defaultValue: n.body })
        : t(`worklist.callRequest.action.${n.body}`, { defaultValue: n.body });
      const target = n.caseId ? `/cases/${n.caseId}` : n.callRequestId ? '/call-requests' : null;
      const key = `live-${n.id}`;
      notification.info({
        key,
        title: n.caseId ? n.title : t('worklist.topic.callRequest'),
        description: n.caseId ? t('worklist.live.caseUpdate', { action }) : action,
        placement: 'bottomRight',
        duration: 8,
        actions: target ? (
          <Button
            type="primary"
            size="small"
            onClick={() => {
              notification.destroy(key);
              navigate(target);
            }}
            data-testid="live-toast-open"
          >
            {t('worklist.live.open')}
          </Button>
        ) : undefined,
        props: { 'data-testid': 'live-toast', 'data-case-id': n.caseId ?? '' } as object,
      });
      if (settings.current.sound) playChime();
      if (settings.current.desktop && typeof Notification !== 'undefined' && Notification.permission === 'granted') {
        const shown = new Notification(n.title, { body: action, tag: key });
        shown.onclick = () => {
          window.focus();
          if (target) navigate(target);
          shown.close();
        };
      }
    },
    [t, notification, navigate],
  );
  const announceRef = useRef(announce);
  announceRef.current = announce;

  // The stream: EventSource reconnects by itself after a dropped connection (the server sets `retry`); when the
  // server refuses it (signed out, restarted without the session) it stops, and we start again with backoff.
  useEffect(() => {
    if (!signedIn || typeof EventSource === 'undefined') return;
    let source: EventSource | undefined;
    let backoff = 1000;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      source = new EventSource(STREAM_URL);
      source.addEventListener('hello', (event) => {
        backoff = 1000;
        setConnected(true);
        try {
          const { unreadCount: count } = JSON.parse((event as MessageEvent<string>).data) as { unreadCount: number };
          setUnreadCount(count);
        } catch {
          // A malformed hello only leaves the count as it was.
        }
        refreshCounts();
      });
      source.addEventListener('notification', (event) => {
        let n: LiveNotification;
        try {
          n = JSON.parse((event as MessageEvent<string>).data) as LiveNotification;
        } catch {
          return;
        }
        setUnreadCount((count) => (count ?? 0) + 1);
        refreshCounts();
        for (const listener of listeners.current) listener(n);
        announceRef.current(n);
      });
      source.onerror = () => {
        setConnected(false);
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
      setConnected(false);
    };
  }, [signedIn, refreshCounts]);

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const setSound = useCallback((on: boolean) => {
    if (on) unlockAudio();
    store(SOUND_KEY, on);
    setSoundState(on);
  }, []);

  const setDesktop = useCallback(async (on: boolean): Promise<NotificationPermission | 'unsupported'> => {
    if (!on) {
      store(DESKTOP_KEY, false);
      setDesktopState(false);
      return 'default';
    }
    if (typeof Notification === 'undefined') return 'unsupported';
    const permission =
      Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
    const granted = permission === 'granted';
    store(DESKTOP_KEY, granted);
    setDesktopState(granted);
    return permission;
  }, []);

  const value = useMemo<LiveContextValue>(
    () => ({
      unreadCount,
      setUnreadCount,
      connected,
      counts,
      countsError,
      waitingCalls,
      refreshCounts,
      subscribe,
      sound,
      desktop,
      setSound,
      setDesktop,
    }),
    [
      unreadCount,
      connected,
      counts,
      countsError,
      waitingCalls,
      refreshCounts,
      subscribe,
      sound,
      desktop,
      setSound,
      setDesktop,
    ],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLiveState(): LiveContextValue {
  const value = useContext(LiveContext);
  if (!value) throw new Error('useLiveState outside LiveProvider');
  return value;
}

/** Calls `callback` for each notification that arrives while the component is mounted. */
export function useLive(callback: Listener): { unreadCount: number | undefined; connected: boolean } {
  const { subscribe, unreadCount, connected } = useLiveState();
  const latest = useRef(callback);
  latest.current = callback;
  useEffect(() => subscribe((n) => latest.current(n)), [subscribe]);
  return { unreadCount, connected };
}

/** The sum of my actionable worklists (the 我的待办 badge). */
export function actionableTotal(counts: Record<Worklist, number> | undefined): number {
  if (!counts) return 0;
  return ACTIONABLE_WORKLISTS.reduce((sum, w) => sum + (counts[w] ?? 0), 0);
}
