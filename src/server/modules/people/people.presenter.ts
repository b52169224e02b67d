import type { UnitKind } from '../../db/schema.ts';
import { maskAddress, maskIdNumber, maskPhone } from '../../http/privacy.ts';
import type { careFileOf, PersonRow, partyMembershipOf, postsOf } from './people.repository.ts';
import type { PersonDetailDto, PersonListItemDto } from './people.schema.ts';
import type { CareRecordDto } from './refs.schema.ts';

/** Lists and details never carry a full phone, identity number or address: those need a reveal. */
export function presentPersonListItem(r: PersonRow): PersonListItemDto {
  return {
    id: r.id,
    name: r.name,
    gender: r.gender,
    birthDate: r.birth_date,
    phone: maskPhone(r.phone),
    idNumber: maskIdNumber(r.id_number),
    address: maskAddress(r.address),
    unit:
      r.unit_id !== null && r.unit_name !== null
        ? { id: r.unit_id, name: r.unit_name, kind: r.unit_kind as UnitKind }
        : null,
    flags: {
      resident: r.is_resident,
      staff: r.is_staff,
      partyMember: r.is_party_member,
      carePerson: r.is_care_person,
    },
    version: r.version,
  };
}

type CareRow = NonNullable<Awaited<ReturnType<typeof careFileOf>>>;

export function presentCareRecord(c: CareRow): CareRecordDto {
  return {
    kinds: c.kinds as CareRecordDto['kinds'],
    note: c.note,
    visitCycleDays: c.visit_cycle_days,
    responsiblePerson:
      c.responsible_id !== null && c.responsible_name !== null
        ? { id: c.responsible_id, name: c.responsible_name }
        : null,
    version: c.version,
  };
}

export function presentPersonDetail(
  r: PersonRow,
  posts: Awaited<ReturnType<typeof postsOf>>,
  membership: Awaited<ReturnType<typeof partyMembershipOf>>,
  care: CareRow | undefined | null,
  actions: PersonDetailDto['actions'],
): PersonDetailDto {
  return {
    ...presentPersonListItem(r),
    note: r.note,
    posts: posts.map((p) => ({
      unit: { id: p.unit_id, name: p.unit_name, kind: p.unit_kind },
      post: p.post,
      services: p.services,
    })),
    partyMembership: membership
      ? {
          partyOrg: { id: membership.org_id, name: membership.org_name, kind: membership.org_kind },
          status: membership.status,
          joinedOn: membership.joined_on,
          checkInUnit:
            membership.check_in_unit_id !== null &&
            membership.check_in_unit_name !== null &&
            membership.check_in_unit_kind !== null
              ? {
                  id: membership.check_in_unit_id,
                  name: membership.check_in_unit_name,
                  kind: membership.check_in_unit_kind,
                }
              : null,
          version: membership.version,
        }
      : null,
    // The row already says whether the actor may know (is_care_person null = may not).
    care: r.is_care_person && care ? presentCareRecord(care) : null,
    actions,
  };
}
