/**
 * The resident's activities API (活动 / 课堂 / 报名): activities open to my home, enrolment with limited
 * places and a waiting list, cancelling, check-in by the venue's QR code, and my enrolments.
 * Shapes follow src/server/modules/activities (the contract in the issue-5 briefs).
 */
import { ApiError, del, get, type Page, post, qs } from '../../shared/api.ts';

export type ActivityKind = 'course' | 'partyClass' | 'volunteer' | 'activity';
export const ACTIVITY_KINDS: readonly ActivityKind[] = ['course', 'partyClass', 'volunteer', 'activity'];

export type When = 'upcoming' | 'past';

export interface MyEnrolment {
  status: 'enrolled' | 'waiting' | 'cancelled';
  /** 1-based place in the waiting list while waiting. */
  position: number | null;
  enrolledAt: string;
  checkedInAt: string | null;
}

export interface ResidentActivity {
  id: number;
  kind: ActivityKind;
  title: string;
  description: string;
  venue: string;
  organiser: { id: number; name: string; kind: string };
  startsAt: string;
  endsAt: string;
  enrolFrom: string | null;
  enrolUntil: string | null;
  capacity: number;
  enrolled: number;
  placesLeft: number;
  waitlistCapacity: number;
  waiting: number;
  status: 'published' | 'cancelled';
  cancelReason: string | null;
  contactPhone: string | null;
  /** Volunteer hours credited on check-in. */
  serviceHours: number | null;
  /** Mine, or null when I never enrolled. */
  enrolment: MyEnrolment | null;
}

export interface ActivityQuery {
  kind?: ActivityKind;
  when?: When;
  page?: number;
  pageSize?: number;
}

/** Published activities of the units above my home; upcoming ones soonest first. */
export const listActivities = (query: ActivityQuery) =>
  get<Page<ResidentActivity>>(`/api/me/activities${qs({ ...query })}`);

export const loadActivity = (id: number) => get<{ activity: ResidentActivity }>(`/api/me/activities/${id}`);

/** Enrolled while places remain, else on the waiting list; a second tap answers the same enrolment. */
export const enrol = (id: number) => post<{ enrolment: MyEnrolment }>(`/api/me/activities/${id}/enrolment`);

/** Cancels my enrolment or my place on the waiting list; the first one waiting moves up. */
export const cancelEnrolment = (id: number) => del<{ enrolment: MyEnrolment }>(`/api/me/activities/${id}/enrolment`);

/** Checks in with the code from the venue's QR code. */
export const checkIn = (id: number, code: string) =>
  post<{ enrolment: MyEnrolment }>(`/api/me/activities/${id}/check-in`, { code });

export const listMyEnrolments = (query: Omit<ActivityQuery, 'kind'>) =>
  get<Page<{ activity: ResidentActivity }>>(`/api/me/enrolments${qs({ ...query })}`);

/** Why the server refused (409/400 `details.reason`): full, closed, code, notEnrolled, notOpen … */
export function refusalReason(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  const details = error.details as { reason?: unknown } | null | undefined;
  return typeof details?.reason === 'string' ? details.reason : null;
}
