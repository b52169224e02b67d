import type { StaffInfo } from './build-staff.ts';
import type { TerritoryInfo } from './build-territory.ts';
import type { DatasetBuilder, PersonNode, UnitNode } from './dataset.ts';
import { DEMO_LOGINS } from './demo-logins.ts';
import type { PeopleFactory } from './people-factory.ts';

/** Finds a unit by its names from the root down. */
export function unitByNames(b: DatasetBuilder, names: readonly string[]): UnitNode {
  let parent: UnitNode | null = null;
  for (const name of names) {
    const next: UnitNode | undefined = b.units.find((u) => u.parent === parent && u.name === name);
    if (!next) throw new Error(`demo unit not found: ${names.join(' / ')}`);
    parent = next;
  }
  if (!parent) throw new Error('empty unit path');
  return parent;
}

/** Where each role's person works, below the unit the role is granted in (people records sit in departments). */
const WORKPLACE: Record<string, string> = {
  systemAdmin: '大数据管理局',
  auditor: '大数据管理局',
  districtAdmin: '区委政法委',
  streetAdmin: '综治中心',
  supervisor: '督查室',
  hotlineOperator: '督查室',
  leader: '区委办公室',
  partySecretary: '区委组织部',
};

/**
 * One staff account per demo login, each with its person record. Community workers, the grid worker and
 * the department handler are the people already posted there, so the grid card shows who signs in.
 */
export function buildAccounts(b: DatasetBuilder, people: PeopleFactory, territory: TerritoryInfo, staff: StaffInfo) {
  for (const login of DEMO_LOGINS) {
    const unit = unitByNames(b, login.unit);
    let person: PersonNode | undefined;
    if (login.role === 'communityWorker') {
      const community = territory.communities.find((c) => c.node === unit);
      person = community ? staff.cadres.get(community)?.[1] : undefined;
    } else if (login.role === 'gridWorker') {
      const grid = territory.grids.find((g) => g.node === unit);
      person = grid ? staff.gridWorkers.get(grid) : undefined;
    } else if (login.role === 'departmentHandler') {
      const liaisons = staff.liaisons.get(`${unit.parent?.name}/${unit.name}`);
      // The liaison serving 光明路街道, so the handler's grids include 体育场社区 where the demo resident lives.
      person = [...(liaisons ?? [])].find(([street]) => street.spec.name === '光明路街道')?.[1];
    }
    const workplace = WORKPLACE[login.role];
    person ??= people.staff(workplace ? unitByNames(b, [...login.unit, workplace]) : unit, 28, 55);
    b.accounts.push({ local: b.accounts.length + 1, username: login.username, person, roleCode: login.role, unit });
  }
}
