import type { CommunityInfo, GridInfo, StreetInfo, TerritoryInfo } from './build-territory.ts';
import type { DatasetBuilder, PersonNode } from './dataset.ts';
import type { PeopleFactory } from './people-factory.ts';
import type { Random } from './random.ts';

/** Departments that send a liaison to every grid (下沉职能单位联络员), with what they help with. */
export const LIAISON_SERVICES: Record<string, string> = {
  城市管理局: '市容环境、占道经营、违章停车、私搭乱建',
  公安分局: '社区民警：治安防范、户籍咨询、矛盾纠纷调处',
  市场监管局: '食品安全、价格投诉、消费维权',
  卫健委: '家庭医生签约、慢病随访、健康咨询',
};

const GRID_WORKER_SERVICES = '政策咨询、矛盾调解、代办服务、走访慰问、隐患排查';
const GRID_HEAD_SERVICES = '统筹网格事务、协调解决网格内问题';

export interface StaffInfo {
  /** Per community: the Party secretary first, then the director, then the other committee members. */
  cadres: Map<CommunityInfo, PersonNode[]>;
  gridWorkers: Map<GridInfo, PersonNode>;
  /** Per district department name, per street: the liaison serving that street's grids. */
  liaisons: Map<string, Map<StreetInfo, PersonNode>>;
}

/**
 * Community committees (两委), one grid worker per grid with a committee member as grid head, and
 * department liaisons posted to grids.
 */
export function buildStaff(
  b: DatasetBuilder,
  people: PeopleFactory,
  random: Random,
  territory: TerritoryInfo,
): StaffInfo {
  const staff: StaffInfo = { cadres: new Map(), gridWorkers: new Map(), liaisons: new Map() };
  for (const community of territory.communities) {
    const size = Math.max(3, Math.min(5, community.grids.length));
    const cadres = Array.from({ length: size }, (_, i) => people.staff(community.node, i === 0 ? 38 : 28, 58));
    staff.cadres.set(community, cadres);
    b.post(community.node, cadres[0] as PersonNode, 'secretary', '党组织书记：全面负责社区党建和治理工作');
    // About a third of communities have one person as both secretary and director (一肩挑).
    const director = random.chance(0.35) ? (cadres[0] as PersonNode) : (cadres[1] as PersonNode);
    b.post(community.node, director, 'director', '主任：居民事务、民生服务');
    community.grids.forEach((grid, i) => {
      const worker = people.staff(grid.node, 24, 50);
      staff.gridWorkers.set(grid, worker);
      b.post(grid.node, worker, 'gridWorker', GRID_WORKER_SERVICES);
      const head = cadres[1 + (i % (cadres.length - 1))] as PersonNode;
      b.post(grid.node, head, 'gridHead', GRID_HEAD_SERVICES);
    });
  }
  for (const district of territory.districts) {
    for (const [department, services] of Object.entries(LIAISON_SERVICES)) {
      const unit = district.departments.get(department);
      if (!unit) continue;
      const byStreet = staff.liaisons.get(`${district.spec.name}/${department}`) ?? new Map();
      staff.liaisons.set(`${district.spec.name}/${department}`, byStreet);
      for (const street of district.streets) {
        const liaison = people.staff(unit);
        byStreet.set(street, liaison);
        for (const community of street.communities) {
          for (const grid of community.grids) {
            b.post(grid.node, liaison, 'departmentLiaison', `${district.spec.short}${department} · ${services}`);
          }
        }
      }
    }
  }
  return staff;
}
