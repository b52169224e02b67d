import { useEffect, useRef } from 'react';
import { type LiveEvent, useLiveEvents } from '../../live.tsx';

/**
 * Keeps a page fresh: loads it again when its news arrives over the live stream (topics starting with
 * `topicPrefix`, and only the events `matches` accepts), and when the resident comes back to the page (a phone
 * unlocked, the app switched back) — the stream replays what was missed, but a page may have been asleep.
 * With `everyMs`, also every so often while the page is on screen: the staff's intermediate steps (passed up,
 * whistled, checked in) are not worth a message to the resident, but someone watching the page sees them.
 */
export function useLiveRefresh(
  topicPrefix: string,
  refresh: () => void,
  matches: (event: LiveEvent) => boolean = () => true,
  everyMs?: number,
) {
  const latest = useRef({ refresh, matches });
  latest.current = { refresh, matches };
  useLiveEvents(topicPrefix, (event) => {
    if (latest.current.matches(event)) latest.current.refresh();
  });
  useEffect(() => {
    const onVisibility = () => {
      if (document.visibilityState === 'visible') latest.current.refresh();
    };
    document.addEventListener('visibilitychange', onVisibility);
    const timer =
      everyMs === undefined
        ? undefined
        : window.setInterval(() => {
            if (document.visibilityState === 'visible') latest.current.refresh();
          }, everyMs);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.clearInterval(timer);
    };
  }, [everyMs]);
}
