import type { StaffInfo } from './build-staff.ts';
import type { GridInfo, TerritoryInfo } from './build-territory.ts';
import type { DatasetBuilder, PersonNode, UnitNode } from './dataset.ts';
import { surname } from './identity.ts';
import { ageOf, DEMO_RESIDENT_PHONE, type PeopleFactory } from './people-factory.ts';
import type { Random } from './random.ts';

/** Households overshoot their grid's quota a little: this target gives about 600 residents. */
const RESIDENT_TARGET = 555;

const LIVING_ALONE_NOTES = [
  '独居，患高血压，女儿在郑州工作，每周电话联系',
  '独居，行动不便，需定期上门查看水电气安全',
  '老伴去世后独居，子女在外地，志愿者每周探望',
  '独居，有糖尿病史，网格员每周走访一次',
  '独居，听力较差，上门时需多敲门并电话提前告知',
  '独居，签约家庭医生，每月测一次血压',
];

const HARDSHIP: Array<[string[], string]> = [
  [['hardship'], '低保户，家中有重病患者，医疗负担重'],
  [['hardship'], '失业家庭，已推荐参加人社局技能培训'],
  [['hardship'], '因病致困，已协助申请临时救助'],
  [['hardship'], '单亲家庭，孩子上初中，需关注教育资助'],
  [['hardship', 'disabled'], '残疾人家庭，享受困难残疾人生活补贴和重度残疾人护理补贴'],
  [['disabled'], '肢体残疾二级，出行需轮椅，楼道无障碍设施待改造'],
];

const ELDERLY_NOTES = [
  '高龄老人，与老伴同住，子女在外地工作',
  '高龄老人，患慢性病，已签约家庭医生',
  '高龄老人，退役军人，享受优抚待遇',
];

export interface ResidentsInfo {
  byGrid: Map<GridInfo, PersonNode[]>;
}

interface Home {
  unit: UnitNode;
  address: string;
}

/** Where a new household lives: a flat in one of the grid's entrances, or a house on a road or in a village. */
function homeIn(grid: GridInfo, random: Random, houseNo: number): Home {
  const entrance = grid.entrances.length ? random.pick(grid.entrances) : null;
  if (entrance) {
    const floor = random.int(1, entrance.floors);
    const flat = `${floor}0${random.int(1, 4)}`;
    return {
      unit: entrance.node,
      address: `${entrance.compound.name}${entrance.buildingNo}号楼${entrance.entranceNo}单元${flat}室`,
    };
  }
  const community = grid.community.node.name;
  if (grid.community.spec.kind === 'village') {
    return { unit: grid.node, address: `${community}${grid.ordinal}组${houseNo}号` };
  }
  const base = community.replace(/社区$/, '');
  const road = base.endsWith('路') ? base : `${base}路`;
  return { unit: grid.node, address: `${road}${grid.ordinal * 100 + houseNo}号` };
}

/**
 * About 600 residents in households (a couple, their children, sometimes a grandparent), some elderly
 * people living alone and some families in difficulty kept as care persons, and building heads.
 */
export function buildResidents(
  b: DatasetBuilder,
  people: PeopleFactory,
  random: Random,
  territory: TerritoryInfo,
  staff: StaffInfo,
): ResidentsInfo {
  const info: ResidentsInfo = { byGrid: new Map() };
  const weights = territory.grids.map(
    (g) => (g.community.spec.kind === 'village' ? 0.7 : 1) * random.between(0.8, 1.2),
  );
  const total = weights.reduce((a, w) => a + w, 0);
  territory.grids.forEach((grid, gi) => {
    const quota = Math.round((RESIDENT_TARGET * (weights[gi] as number)) / total);
    const residents: PersonNode[] = [];
    info.byGrid.set(grid, residents);
    let houseNo = 1;
    while (residents.length < quota) {
      const first = residents.length === 0 && grid.community.node.name === '体育场社区' && grid.ordinal === 1;
      residents.push(...household(b, people, random, grid, homeIn(grid, random, houseNo), staff, first));
      houseNo += random.int(1, 6);
    }
  });
  for (const grid of territory.grids) buildingHeads(b, random, grid, info.byGrid.get(grid) ?? []);
  return info;
}

function household(
  b: DatasetBuilder,
  people: PeopleFactory,
  random: Random,
  grid: GridInfo,
  home: Home,
  staff: StaffInfo,
  demoResident: boolean,
): PersonNode[] {
  const familyName = surname(random);
  const at = { unit: home.unit, address: home.address };
  const worker = staff.gridWorkers.get(grid) ?? null;
  const elderly = !demoResident && random.chance(0.2);
  const headGender = random.chance(0.55) ? 'male' : 'female';
  const head = people.make({
    ...at,
    gender: headGender,
    familyName: headGender === 'male' ? familyName : surname(random),
    minAge: elderly ? 68 : 28,
    maxAge: elderly ? 92 : 66,
    ...(demoResident ? { phone: DEMO_RESIDENT_PHONE } : {}),
  });
  const members = [head];
  const headAge = ageOf(head);
  if (elderly && random.chance(0.5)) {
    b.care.push({
      person: head,
      kinds: random.chance(0.15) ? ['livingAlone', 'hardship'] : ['livingAlone'],
      note: random.pick(LIVING_ALONE_NOTES),
      visitCycleDays: 7,
      responsible: worker,
    });
    return members;
  }
  const spouseAge = Math.max(20, headAge + random.int(-4, 4));
  members.push(
    people.make({
      ...at,
      gender: headGender === 'male' ? 'female' : 'male',
      familyName: headGender === 'male' ? surname(random) : familyName,
      minAge: spouseAge,
      maxAge: spouseAge,
    }),
  );
  const children = headAge < 60 ? random.weighted([0, 1, 2], [2, 5, 3]) : random.weighted([0, 1], [3, 1]);
  for (let i = 0; i < children; i++) {
    const maxAge = Math.max(1, headAge - 23);
    members.push(people.make({ ...at, familyName, minAge: Math.max(0, maxAge - 20), maxAge }));
  }
  if (headAge < 50 && random.chance(0.15)) {
    members.push(people.make({ ...at, familyName, minAge: headAge + 24, maxAge: headAge + 34 }));
  }
  if (headAge >= 80 && random.chance(0.4)) {
    const note = random.pick(ELDERLY_NOTES);
    const kinds = note.includes('退役军人') ? ['elderly', 'veteran'] : ['elderly'];
    b.care.push({ person: head, kinds, note, visitCycleDays: 14, responsible: worker });
  } else if (random.chance(0.05)) {
    const [kinds, note] = random.pick(HARDSHIP);
    b.care.push({ person: head, kinds, note, visitCycleDays: 30, responsible: worker });
  }
  return members;
}

function buildingHeads(b: DatasetBuilder, random: Random, grid: GridInfo, residents: PersonNode[]) {
  for (const building of grid.buildings) {
    const inside = residents.filter((p) => p.unit.parent === building && ageOf(p) >= 30 && ageOf(p) <= 72);
    if (inside.length === 0 || !random.chance(0.6)) continue;
    b.post(building, random.pick(inside), 'buildingHead', '楼栋卫生、邻里纠纷、信息上报');
  }
  for (const entrance of grid.entrances) {
    const inside = residents.filter((p) => p.unit === entrance.node && ageOf(p) >= 30 && ageOf(p) <= 72);
    if (inside.length === 0 || !random.chance(0.3)) continue;
    b.post(entrance.node, random.pick(inside), 'entranceHead', '单元通知传达、邻里互助');
  }
}
