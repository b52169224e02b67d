import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, get, onUnauthenticated, post, type SessionInfo, setCsrfToken } from '../../shared/api.ts';

interface SessionContextValue {
  /** undefined while the first check runs; null when nobody is signed in. */
  session: SessionInfo | null | undefined;
  /** Set after a 401 on a page: the sign-in page explains that the session ended. */
  expired: boolean;
  signedIn(session: SessionInfo): void;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
  /** Whether a menu entry or button should show; the server decides what is allowed. */
  can(permission: string): boolean;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const body = await get<{ session: SessionInfo }>('/api/auth/session');
      setSession(body.session);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setCsrfToken(undefined);
        setSession(null);
        return;
      }
      throw error;
    }
  }, []);

  useEffect(() => {
    refresh().catch(() => setSession(null));
  }, [refresh]);

  useEffect(
    () =>
      onUnauthenticated(() => {
        setCsrfToken(undefined);
        setExpired(true);
        setSession(null);
      }),
    [],
  );

  const value = useMemo<SessionContextValue>(
    () => ({
      session,
      expired,
      signedIn(next) {
        setExpired(false);
        setSession(next);
      },
      refresh,
      async signOut() {
        try {
          await post('/api/auth/logout');
        } finally {
          setCsrfToken(undefined);
          setExpired(false);
          setSession(null);
        }
      },
      can: (permission) => Boolean(session?.permissions.includes(permission)),
    }),
    [session, expired, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in session, for pages that only render behind the sign-in gate. */
export function useSignedIn(): SessionInfo & { can(permission: string): boolean } {
  const { session, can } = useSession();
  if (!session) throw new Error('useSignedIn without a session');
  return { ...session, can };
}
