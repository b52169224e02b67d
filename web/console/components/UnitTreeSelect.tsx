import { TreeSelect } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { childUnits, topUnits, type Unit, type UnitKind, unitAncestors } from '../api/units.ts';

interface Node {
  id: number;
  pId: number | 0;
  value: number;
  title: string;
  isLeaf: boolean;
  selectable: boolean;
  disabled?: boolean;
}

interface Props {
  /** One unit id, or several with `multiple`. */
  value?: number | number[] | null;
  onChange?: (value: any) => void;
  multiple?: boolean;
  /** Only units of these kinds can be chosen (the others are shown to navigate through). */
  selectableKinds?: readonly UnitKind[];
  /** Units that cannot be chosen, e.g. a unit and its own subtree when moving it. */
  excludePathPrefix?: string;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  id?: string;
}

/** A unit picker over my scope, loading each level as it is opened. */
export function UnitTreeSelect({
  value,
  onChange,
  multiple = false,
  selectableKinds,
  excludePathPrefix,
  placeholder,
  allowClear = true,
  style,
  id,
}: Props) {
  const { t } = useTranslation();
  const [nodes, setNodes] = useState<Node[]>([]);
  const loaded = useRef(new Set<number>());

  const toNode = useCallback(
    (unit: Unit, pId: number | 0): Node => {
      const excluded = Boolean(excludePathPrefix && unit.path.startsWith(excludePathPrefix));
      return {
        id: unit.id,
        pId,
        value: unit.id,
        title: `${unit.name}（${t(`unitKinds.${unit.kind}`)}）`,
        isLeaf: unit.childCount === 0,
        selectable: !excluded && (!selectableKinds || selectableKinds.includes(unit.kind)),
        disabled: excluded,
      };
    },
    [excludePathPrefix, selectableKinds, t],
  );

  const add = useCallback((more: Node[]) => {
    setNodes((current) => {
      const known = new Set(current.map((n) => n.id));
      return [...current, ...more.filter((n) => !known.has(n.id))];
    });
  }, []);

  const loadChildren = useCallback(
    async (parentId: number) => {
      if (loaded.current.has(parentId)) return;
      loaded.current.add(parentId);
      const children = await childUnits(parentId);
      add(children.map((u) => toNode(u, parentId)));
    },
    [add, toNode],
  );

  useEffect(() => {
    let live = true;
    topUnits().then(
      (tops) => live && add(tops.map((u) => toNode(u, 0))),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [add, toNode]);

  // A value chosen elsewhere (an edited record) needs its branch loaded to show its name.
  const values = value == null ? [] : Array.isArray(value) ? value : [value];
  const missing = values.filter((v) => !nodes.some((n) => n.id === v)).join(',');
  const started = nodes.length > 0;
  useEffect(() => {
    if (!missing || !started) return;
    let live = true;
    (async () => {
      for (const id of missing.split(',').map(Number)) {
        const chain = await unitAncestors(id).catch(() => []);
        for (const ancestor of chain.slice(0, -1)) {
          if (!live) return;
          await loadChildren(ancestor.id).catch(() => undefined);
        }
      }
    })();
    return () => {
      live = false;
    };
  }, [missing, started, loadChildren]);

  return (
    <TreeSelect<number | number[]>
      id={id}
      value={value ?? undefined}
      multiple={multiple}
      onChange={(v) => onChange?.(v ?? (multiple ? [] : undefined))}
      treeDataSimpleMode
      treeData={nodes}
      loadData={(node) => loadChildren(node.value as number)}
      placeholder={placeholder ?? t('common.chooseUnit')}
      allowClear={allowClear}
      showSearch={{ treeNodeFilterProp: 'title' }}
      style={{ width: '100%', ...style }}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxHeight: 420, overflow: 'auto', minWidth: 280 } } }}
    />
  );
}
