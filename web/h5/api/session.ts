/**
 * The resident API as the H5 uses it: sign-in by one-time code, my profile and home, the place picker.
 * Shapes follow src/server/modules/auth and src/server/modules/me.
 */
import { ApiError, get, post, put, qs, type SessionInfo, setCsrfToken } from '../../shared/api.ts';

export type { SessionInfo };
export { ApiError };

export interface PlaceRef {
  id: number;
  name: string;
  kind: string;
}

export interface Me {
  account: { id: number; phone: string | null; displayName: string };
  person: { id: number; name: string } | null;
  /** The home unit and every unit above it, from the top of the tree down; empty until the profile is set. */
  home: PlaceRef[];
  /** The grid the home belongs to. */
  grid: PlaceRef | null;
}

export interface Place extends PlaceRef {
  hasChildren: boolean;
  /** Search results only: the names above the place, from the top down. */
  within?: string[];
}

export const requestCode = (phone: string) =>
  post<{ sent: true; expiresInSeconds: number }>('/api/auth/otp', { phone });

export const verifyCode = (phone: string, code: string) =>
  post<{ session: SessionInfo }>('/api/auth/otp/verify', { phone, code });

export const loadSession = () => get<{ session: SessionInfo }>('/api/auth/session');

export async function signOut() {
  try {
    await post('/api/auth/logout');
  } finally {
    setCsrfToken(undefined);
  }
}

export const loadMe = () => get<Me>('/api/me');

export const saveProfile = (name: string, unitId: number) => put<Me>('/api/me/profile', { name, unitId });

export const loadPlaces = (parentId: number | null) =>
  get<{ items: Place[] }>(`/api/places${qs({ parentId: parentId ?? undefined })}`);

/** Communities, villages and compounds whose name contains the text (two characters or more). */
export const searchPlaces = (text: string) => get<{ items: Place[] }>(`/api/places${qs({ q: text })}`);
