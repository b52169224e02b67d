import { Empty, Spin, Tag, Tree } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useTranslation } from 'react-i18next';
import type { Unit } from '../../api/units.ts';
import type { UnitTreeState } from './use-unit-tree.ts';

interface Props {
  tree: UnitTreeState;
  selectedId: number | undefined;
  expandedKeys: string[];
  onExpand(keys: string[]): void;
  onSelect(unit: Unit): void;
}

const KIND_COLOURS: Record<string, string> = {
  district: 'red',
  street: 'volcano',
  town: 'volcano',
  community: 'orange',
  village: 'orange',
  grid: 'green',
  department: 'blue',
};

/** The unit tree, each level fetched from GET /api/units?parentId= when it is opened. */
export function UnitTree({ tree, selectedId, expandedKeys, onExpand, onSelect }: Props) {
  const { t } = useTranslation();
  if (!tree.tops) return <Spin />;
  if (tree.tops.length === 0) return <Empty description={t('units.noUnits')} />;

  const byId = new Map<string, Unit>();
  const build = (units: Unit[]): DataNode[] =>
    units.map((unit) => {
      const key = String(unit.id);
      byId.set(key, unit);
      const loaded = tree.children.get(unit.id);
      return {
        key,
        title: (
          <span className="tree-node-title" data-unit-name={unit.name}>
            <span>{unit.name}</span>
            <Tag color={KIND_COLOURS[unit.kind] ?? 'default'}>{t(`unitKinds.${unit.kind}`)}</Tag>
            {!unit.active && <Tag key="inactive">{t('common.inactive')}</Tag>}
          </span>
        ),
        isLeaf: unit.childCount === 0 || (loaded !== undefined && loaded.length === 0),
        children: loaded ? build(loaded) : undefined,
      };
    });
  const treeData = build(tree.tops);

  return (
    <Tree
      treeData={treeData}
      blockNode
      showLine={{ showLeafIcon: false }}
      expandedKeys={expandedKeys}
      onExpand={(keys) => onExpand(keys.map(String))}
      selectedKeys={selectedId ? [String(selectedId)] : []}
      loadData={(node) => tree.load(Number(node.key))}
      onSelect={(_keys, info) => {
        const unit = byId.get(String(info.node.key));
        if (unit) onSelect(unit);
      }}
      data-testid="unit-tree"
    />
  );
}
