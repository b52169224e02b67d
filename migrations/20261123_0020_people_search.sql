-- Finding a person by the last four digits of their phone (how staff search on the phone): an index on
-- the tail, so the search stays an index lookup with any number of people.
CREATE INDEX people_phone_tail_idx ON people (right(phone, 4));
-- Party members who registered with the community where they live (在职党员到社区报到), by community.
CREATE INDEX party_members_check_in_idx ON party_members (check_in_unit_id) WHERE check_in_unit_id IS NOT NULL;
-- The organisations a person is secretary of (a member cannot leave while holding the post).
CREATE INDEX party_orgs_secretary_idx ON party_orgs (secretary_person_id) WHERE secretary_person_id IS NOT NULL;
