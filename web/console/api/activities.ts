/**
 * 活动课堂 for staff. Types come from the server's Zod schemas (type-only imports: nothing of the server
 * reaches the bundle), so a change to a response shape fails `tsc -p web` here.
 */
import type { z } from 'zod';
import type {
  ACTIVITY_KINDS,
  ActivityDto,
  AttendeeDto,
  attendancePage,
  CreateActivityInput,
  checkInCode,
  createActivityBody,
  ENROLMENT_STATUSES,
  ListActivitiesQuery,
  UpdateActivityInput,
} from '../../../src/server/modules/activities/activities.schema.ts';
import { get, type Page, patch, post, qs } from '../../shared/api.ts';

export type Activity = ActivityDto;
export type Attendee = AttendeeDto;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];
export type AttendancePage = z.infer<typeof attendancePage>;
export type CheckInCode = z.infer<typeof checkInCode>;
export type ActivityInput = z.input<typeof createActivityBody>;
export type { CreateActivityInput, UpdateActivityInput };

export const KINDS: readonly ActivityKind[] = ['course', 'partyClass', 'volunteer', 'activity'];
/** Units that organise activities (activities.schema.ts ORGANISER_UNIT_KINDS). */
export const ORGANISER_KINDS = ['city', 'district', 'street', 'town', 'community', 'village', 'grid'] as const;

export type ActivityFilter = Partial<Omit<ListActivitiesQuery, 'page' | 'pageSize'>> & {
  page: number;
  pageSize: number;
};

export const listActivities = (filter: ActivityFilter) => get<Page<Activity>>(`/api/activities${qs({ ...filter })}`);
export const getActivity = (id: number) => get<{ activity: Activity }>(`/api/activities/${id}`).then((b) => b.activity);
export const createActivity = (input: ActivityInput) =>
  post<{ activity: Activity }>('/api/activities', input).then((b) => b.activity);
export const updateActivity = (id: number, input: UpdateActivityInput) =>
  patch<{ activity: Activity; promoted: number }>(`/api/activities/${id}`, input);
export const cancelActivity = (id: number, version: number, reason: string) =>
  post<{ activity: Activity }>(`/api/activities/${id}/cancel`, { version, reason }).then((b) => b.activity);

export const listAttendance = (
  id: number,
  filter: { status?: EnrolmentStatus | undefined; page: number; pageSize: number },
) => get<AttendancePage>(`/api/activities/${id}/enrolments${qs({ ...filter })}`);
export const checkInAttendee = (id: number, enrolmentId: number) =>
  post<{ enrolment: Attendee }>(`/api/activities/${id}/enrolments/${enrolmentId}/check-in`).then((b) => b.enrolment);
export const attendanceXlsxUrl = (id: number) => `/api/activities/${id}/enrolments.xlsx`;

export const getCheckInCode = (id: number) => get<CheckInCode>(`/api/activities/${id}/check-in-code`);
export const rotateCheckInCode = (id: number) => post<CheckInCode>(`/api/activities/${id}/check-in-code`);
