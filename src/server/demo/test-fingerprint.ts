import { sql } from 'kysely';
import type { Queryable } from '../db/database.ts';

/** Row counts and a digest of everything the loader writes except password hashes and timestamps. */
export async function fingerprint(q: Queryable) {
  const { rows } = await sql<{ part: string; n: number; digest: string }>`
    SELECT 'units' AS part, count(*)::int AS n,
           md5(string_agg(concat_ws(':', id, parent_id, kind, name, code, path, depth, sort_order, phone, address),
                          '|' ORDER BY id)) AS digest FROM units
    UNION ALL SELECT 'grid_boundaries', count(*)::int,
           md5(string_agg(concat_ws(':', unit_id, outline::text, area, geojson::text), '|' ORDER BY unit_id))
      FROM grid_boundaries
    UNION ALL SELECT 'people', count(*)::int,
           md5(string_agg(concat_ws(':', id, name, gender, birth_date, phone, id_number, unit_id, address, is_resident),
                          '|' ORDER BY id)) FROM people
    UNION ALL SELECT 'party_orgs', count(*)::int,
           md5(string_agg(concat_ws(':', id, parent_id, kind, name, path, secretary_person_id, established_on),
                          '|' ORDER BY id)) FROM party_orgs
    UNION ALL SELECT 'party_org_units', count(*)::int,
           md5(string_agg(concat_ws(':', party_org_id, unit_id), '|' ORDER BY party_org_id, unit_id))
      FROM party_org_units
    UNION ALL SELECT 'party_members', count(*)::int,
           md5(string_agg(concat_ws(':', person_id, party_org_id, status, joined_on, check_in_unit_id),
                          '|' ORDER BY person_id)) FROM party_members
    UNION ALL SELECT 'unit_posts', count(*)::int,
           md5(string_agg(concat_ws(':', unit_id, person_id, post, services), '|' ORDER BY unit_id, person_id, post))
      FROM unit_posts
    UNION ALL SELECT 'care_persons', count(*)::int,
           md5(string_agg(concat_ws(':', person_id, array_to_string(kinds, ','), note, visit_cycle_days,
                                    responsible_person_id), '|' ORDER BY person_id)) FROM care_persons
    UNION ALL SELECT 'accounts', count(*)::int,
           md5(string_agg(concat_ws(':', id, username, person_id, display_name), '|' ORDER BY id)) FROM accounts
    UNION ALL SELECT 'role_grants', count(*)::int,
           md5(string_agg(concat_ws(':', account_id, role_id, unit_id), '|' ORDER BY account_id)) FROM role_grants
  `.execute(q);
  return Object.fromEntries(rows.map((r) => [r.part, { n: r.n, digest: r.digest }]));
}
