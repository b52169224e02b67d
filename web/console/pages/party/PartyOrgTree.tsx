import { Alert, Empty, Spin, Tag, Tree } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listPartyOrgs, type PartyOrg } from '../../api/party.ts';
import { useErrorText } from '../../lib/errors.ts';

interface Props {
  selectedId: number | undefined;
  onSelect(org: PartyOrg): void;
  /** Changes after an organisation was added or changed: the tree loads the affected level again. */
  changed: { parentIds: Array<number | null>; tick: number } | undefined;
}

/** The Party organisation tree (区党委—党工委—党组织), each level fetched when it is opened. */
export function PartyOrgTree({ selectedId, onSelect, changed }: Props) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [tops, setTops] = useState<PartyOrg[]>();
  const [children, setChildren] = useState(() => new Map<number, PartyOrg[]>());
  const [error, setError] = useState<unknown>(null);

  const loadLevel = useCallback(async (parentId: number | null) => {
    const items = await listPartyOrgs(parentId === null ? {} : { parentId });
    if (parentId === null) setTops(items);
    else setChildren((current) => new Map(current).set(parentId, items));
  }, []);

  useEffect(() => {
    loadLevel(null).catch((failure: unknown) => {
      setError(failure);
      setTops([]);
    });
  }, [loadLevel]);

  // After a change, load the changed levels again, and the levels holding them (their child counts moved).
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new change should trigger this
  useEffect(() => {
    if (!changed) return;
    const levels = new Set<number | null>();
    for (const parentId of changed.parentIds) {
      levels.add(parentId);
      if (parentId === null) continue;
      const holder = [...children.entries()].find(([, list]) => list.some((o) => o.id === parentId))?.[0];
      levels.add(holder ?? null);
    }
    for (const level of levels) void loadLevel(level).catch(() => undefined);
  }, [changed, loadLevel]);

  if (!tops) return <Spin />;
  if (error) return <Alert type="error" title={errorText(error)} />;
  if (tops.length === 0) return <Empty description={t('party.noOrgs')} />;

  const byKey = new Map<string, PartyOrg>();
  const build = (orgs: PartyOrg[]): DataNode[] =>
    orgs.map((org) => {
      const key = String(org.id);
      byKey.set(key, org);
      const loaded = children.get(org.id);
      return {
        key,
        title: (
          <span className="tree-node-title">
            <span>{org.name}</span>
            <Tag color="red">{t(`party.kinds.${org.kind}`)}</Tag>
            {org.memberCount > 0 && <span className="muted">{org.memberCount}</span>}
          </span>
        ),
        isLeaf: org.childCount === 0,
        children: loaded ? build(loaded) : undefined,
      };
    });

  return (
    <Tree
      treeData={build(tops)}
      blockNode
      showLine={{ showLeafIcon: false }}
      selectedKeys={selectedId ? [String(selectedId)] : []}
      loadData={(node) => (children.has(Number(node.key)) ? Promise.resolve() : loadLevel(Number(node.key)))}
      onSelect={(_keys, info) => {
        const org = byKey.get(String(info.node.key));
        if (org) onSelect(org);
      }}
    />
  );
}
