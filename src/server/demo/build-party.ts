import type { ResidentsInfo } from './build-residents.ts';
import type { StaffInfo } from './build-staff.ts';
import type { CommunityInfo, GridInfo, TerritoryInfo } from './build-territory.ts';
import type { DatasetBuilder, PartyOrgNode, PersonNode } from './dataset.ts';
import { ageOf, type PeopleFactory } from './people-factory.ts';
import type { Random } from './random.ts';

const date = (year: number, random: Random) =>
  `${year}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;

/**
 * The Party tree of each district: the district committee, the organ work committee with a branch per
 * department, a (working) committee per town or street, a general branch (with two branches) or a branch
 * per community, and a group per grid; then about sixty members with their joining dates.
 */
export function buildParty(
  b: DatasetBuilder,
  people: PeopleFactory,
  random: Random,
  territory: TerritoryInfo,
  staff: StaffInfo,
  residents: ResidentsInfo,
) {
  const branchOfGrid = new Map<GridInfo, PartyOrgNode>();
  const groupOfGrid = new Map<GridInfo, PartyOrgNode>();
  const topOfCommunity = new Map<CommunityInfo, PartyOrgNode>();
  const member = (person: PersonNode, org: PartyOrgNode, checkIn: CommunityInfo | null = null) => {
    const age = ageOf(person);
    const probationary = age < 40 && random.chance(0.12);
    const born = Number(person.birthDate.slice(0, 4));
    const joinYear = probationary ? 2025 : Math.min(2024, born + random.int(19, Math.max(19, Math.min(age - 1, 35))));
    b.members.push({
      person,
      org,
      status: probationary ? 'probationary' : 'full',
      joinedOn: date(joinYear, random),
      checkInUnit: checkIn?.node ?? null,
    });
  };

  for (const district of territory.districts) {
    const root = b.partyOrg(null, 'committee', district.spec.partyCommittee, [district.node], date(1983, random));
    const organs = b.partyOrg(
      root,
      'workingCommittee',
      `${district.spec.short}直属机关工委`,
      [district.node],
      date(1990, random),
    );
    const departmentBranches = new Map<string, PartyOrgNode>();
    for (const [name, unit] of district.departments) {
      departmentBranches.set(
        name,
        b.partyOrg(
          organs,
          'branch',
          `${name.startsWith('区') ? district.spec.short + name.slice(1) : district.spec.short + name}党支部`,
          [unit],
          date(random.int(1985, 2012), random),
        ),
      );
    }
    // Committees hold organisations, not members: their secretaries belong to the branch where they work.
    const office = departmentBranches.get('区委办公室');
    root.secretary = people.staff(district.departments.get('区委办公室') ?? district.node, 45, 58);
    if (office) member(root.secretary, office);
    for (const street of district.streets) {
      const streetOrg = b.partyOrg(
        root,
        street.spec.kind === 'town' ? 'committee' : 'workingCommittee',
        `${street.spec.name}${street.spec.kind === 'town' ? '党委' : '党工委'}`,
        [street.node],
        date(random.int(1984, 2005), random),
      );
      const streetOffice = street.offices[0] ?? street.node;
      streetOrg.secretary = people.staff(streetOffice, 40, 56);
      const organBranch = b.partyOrg(
        streetOrg,
        'branch',
        `${street.spec.name}机关党支部`,
        [streetOffice],
        date(random.int(1990, 2010), random),
      );
      organBranch.secretary = streetOrg.secretary;
      member(streetOrg.secretary, organBranch);
      for (const community of street.communities) {
        const established = date(random.int(1995, 2016), random);
        const general = community.grids.length >= 4;
        const top = b.partyOrg(
          streetOrg,
          general ? 'generalBranch' : 'branch',
          `${community.spec.name}${general ? '党总支' : '党支部'}`,
          [community.node],
          established,
        );
        top.secretary = staff.cadres.get(community)?.[0] ?? null;
        topOfCommunity.set(community, top);
        const half = Math.ceil(community.grids.length / 2);
        const branches = general
          ? [
              b.partyOrg(
                top,
                'branch',
                `${community.spec.name}第一党支部`,
                community.grids.slice(0, half).map((g) => g.node),
                established,
              ),
              b.partyOrg(
                top,
                'branch',
                `${community.spec.name}第二党支部`,
                community.grids.slice(half).map((g) => g.node),
                established,
              ),
            ]
          : [top];
        community.grids.forEach((grid, i) => {
          const branch = branches[general && i >= half ? 1 : 0] as PartyOrgNode;
          branchOfGrid.set(grid, branch);
          groupOfGrid.set(grid, b.partyOrg(branch, 'group', `${grid.node.name}党小组`, [grid.node], established));
        });
      }
    }

    // Members: community secretaries, some grid workers and residents, retired veterans in 体育场社区
    // (the article's eight 鹰城大妈 volunteers), and department staff who check in where they live.
    for (const street of district.streets) {
      for (const community of street.communities) {
        const secretary = staff.cadres.get(community)?.[0];
        const top = topOfCommunity.get(community);
        if (secretary && top) member(secretary, top);
        let veterans = community.spec.name === '体育场社区' ? 8 : 0;
        for (const grid of community.grids) {
          const branch = branchOfGrid.get(grid) as PartyOrgNode;
          const worker = staff.gridWorkers.get(grid);
          if (worker && random.chance(0.25)) member(worker, branch);
          for (const person of residents.byGrid.get(grid) ?? []) {
            const age = ageOf(person);
            if (veterans > 0 && age >= 60 && age <= 80) {
              veterans -= 1;
              member(person, branch);
            } else if (age >= 22 && random.chance(0.025)) {
              member(person, branch);
            }
          }
        }
      }
      for (const byStreet of staff.liaisons.values()) {
        const liaison = byStreet.get(street);
        if (!liaison || !random.chance(0.4)) continue;
        const department = [...district.departments].find(([, unit]) => unit === liaison.unit)?.[0];
        const branch = department ? departmentBranches.get(department) : undefined;
        if (branch) member(liaison, branch, random.pick(street.communities));
      }
    }
  }
  for (const [grid, group] of groupOfGrid) {
    const leader = b.members.find(
      (m) =>
        m.org === branchOfGrid.get(grid) &&
        (m.person.unit === grid.node || m.person.unit.parent?.parent?.parent === grid.node),
    );
    group.secretary = leader?.person ?? null;
  }
  for (const org of b.partyOrgs) {
    if (org.secretary || (org.kind !== 'branch' && org.kind !== 'generalBranch')) continue;
    org.secretary = b.members.find((m) => m.org === org)?.person ?? null;
  }
}
