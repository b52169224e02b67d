import { maskPhone } from '../../http/privacy.ts';
import type { ActivityRow, AttendeeRow, MyEnrolmentRow, ResidentActivityRow } from './activities.repository.ts';
import type { ActivityDto, AttendeeDto, MyEnrolmentDto, ResidentActivityDto } from './activities.schema.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const hours = (v: number | string | null) => (v === null ? null : Number(v));

/** What staff and residents alike see of an activity: the facts and the counters. */
function publicFacts(r: ActivityRow | ResidentActivityRow) {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    description: r.description,
    venue: r.venue,
    organiser: { id: r.unit_id, name: r.organiser_name, kind: r.organiser_kind },
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    enrolFrom: iso(r.enrol_from),
    enrolUntil: iso(r.enrol_until),
    capacity: r.capacity,
    enrolled: r.enrolled_count,
    placesLeft: Math.max(0, r.capacity - r.enrolled_count),
    waitlistCapacity: r.waitlist_capacity,
    waiting: r.waiting_count,
    status: r.status,
    cancelReason: r.cancel_reason,
    contactPhone: r.contact_phone,
    serviceHours: hours(r.service_hours),
  };
}

/** An activity for staff: counters, the organiser, and what may be done with it now. */
export function presentActivity(r: ActivityRow, now: Date): ActivityDto {
  const published = r.status === 'published';
  return {
    ...publicFacts(r),
    checkedIn: Number(r.checked_in ?? 0),
    cancelledAt: iso(r.cancelled_at),
    createdBy: r.created_by !== null && r.creator_name !== null ? { id: r.created_by, name: r.creator_name } : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
    actions: {
      edit: published,
      cancel: published && r.ends_at.getTime() > now.getTime(),
      checkIn: published,
    },
  };
}

export function presentMyEnrolment(
  e: Pick<MyEnrolmentRow, 'status' | 'position' | 'enrolled_at' | 'checked_in_at'>,
): MyEnrolmentDto {
  return {
    status: e.status,
    position: e.status === 'waiting' && e.position !== null ? Number(e.position) : null,
    enrolledAt: e.enrolled_at.toISOString(),
    checkedInAt: iso(e.checked_in_at),
  };
}

/** An activity for a resident: the public facts, the counters and their own live enrolment. */
export function presentResidentActivity(r: ResidentActivityRow): ResidentActivityDto {
  return {
    ...publicFacts(r),
    enrolment:
      r.e_status && r.e_enrolled_at
        ? presentMyEnrolment({
            status: r.e_status,
            position: r.e_position,
            enrolled_at: r.e_enrolled_at,
            checked_in_at: r.e_checked_in_at,
          })
        : null,
  };
}

/** A line of the attendance list: the name in full (staff call the roll), the phone masked. */
export function presentAttendee(r: AttendeeRow): AttendeeDto {
  return {
    id: r.id,
    name: r.name,
    phone: maskPhone(r.phone),
    status: r.status,
    position: r.status === 'waiting' && r.position !== null ? Number(r.position) : null,
    enrolledAt: r.enrolled_at.toISOString(),
    promotedAt: iso(r.promoted_at),
    checkedInAt: iso(r.checked_in_at),
    checkedInBy:
      r.checked_in_by !== null && r.checked_in_by_name !== null
        ? { id: r.checked_in_by, name: r.checked_in_by_name }
        : null,
    cancelledAt: iso(r.cancelled_at),
  };
}
