import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { onUnauthenticated, setCsrfToken } from '../shared/api.ts';
import { ApiError, loadMe, loadSession, type Me, type SessionInfo, signOut as signOutRequest } from './api/session.ts';

/**
 * Who is signed in: loading during the first check, signedOut when nobody is, otherwise the session and —
 * for a resident — the profile from GET /api/me (`me` is null for a staff account opening the H5).
 */
export type SessionState =
  | { status: 'loading' }
  | { status: 'signedOut' }
  | { status: 'failed'; error: unknown }
  | { status: 'signedIn'; session: SessionInfo; me: Me | null };

interface SessionValue {
  state: SessionState;
  /** After a successful sign-in: remember the session and load the profile. */
  signedIn(session: SessionInfo): Promise<void>;
  /** The profile changed (or may have): load it again. */
  refresh(): Promise<void>;
  /** Replace the profile with the one the server just returned. */
  setMe(me: Me): void;
  signOut(): Promise<void>;
  retry(): void;
}

const SessionContext = createContext<SessionValue | null>(null);

/** The signed-in state: a resident's profile comes with it (`early`: a profile already asked for, if any). */
async function withProfile(session: SessionInfo, early?: Promise<Me | null>): Promise<SessionState> {
  setCsrfToken(session.csrfToken);
  const me = session.kind === 'resident' ? ((await early) ?? (await loadMe())) : null;
  return { status: 'signedIn', session, me };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new attempt (retry) loads the session again
  useEffect(() => {
    let live = true;
    // The profile is asked for together with the session, not after it: one round trip less before the home
    // page on a slow connection. Signed out, both answer 401; for staff the profile's 403 is ignored.
    const early = loadMe().catch(() => null);
    loadSession()
      .then(({ session }) => withProfile(session, early))
      .then(
        (next) => live && setState(next),
        (error) => {
          if (!live) return;
          if (error instanceof ApiError && error.status === 401) setState({ status: 'signedOut' });
          else setState({ status: 'failed', error });
        },
      );
    return () => {
      live = false;
    };
  }, [attempt]);

  useEffect(
    () =>
      onUnauthenticated(() => {
        setCsrfToken(undefined);
        setState({ status: 'signedOut' });
      }),
    [],
  );

  const signedIn = useCallback(async (session: SessionInfo) => setState(await withProfile(session)), []);
  const refresh = useCallback(async () => {
    const me = await loadMe();
    setState((s) => (s.status === 'signedIn' ? { ...s, me } : s));
  }, []);
  const setMe = useCallback((me: Me) => setState((s) => (s.status === 'signedIn' ? { ...s, me } : s)), []);
  const signOut = useCallback(async () => {
    try {
      await signOutRequest();
    } finally {
      setState({ status: 'signedOut' });
    }
  }, []);
  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo(
    () => ({ state, signedIn, refresh, setMe, signOut, retry }),
    [state, signedIn, refresh, setMe, signOut, retry],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in resident's profile; only inside the signed-in part of the app. */
export function useMe(): { session: SessionInfo; me: Me | null } {
  const { state } = useSession();
  if (state.status !== 'signedIn') throw new Error('useMe() before sign-in');
  return { session: state.session, me: state.me };
}
