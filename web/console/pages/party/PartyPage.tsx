import { Card, Input, List, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listPartyOrgs } from '../../api/party.ts';
import { useLoad } from '../../lib/use-load.ts';
import { PartyOrgPanel } from './PartyOrgPanel.tsx';
import { PartyOrgTree } from './PartyOrgTree.tsx';

/** 党组织: the Party organisation tree, one organisation's details and its members. */
export default function PartyPage() {
  const { t } = useTranslation();
  const [selectedId, setSelectedId] = useState<number>();
  const [query, setQuery] = useState('');
  const [changed, setChanged] = useState<{ parentIds: Array<number | null>; tick: number }>();
  const found = useLoad(() => listPartyOrgs({ q: query }), [query], query.length > 0);

  return (
    <div className="page">
      <div className="split">
        <Card size="small" title={t('party.treeTitle')} className="tree-card">
          <Input.Search
            allowClear
            placeholder={t('party.search')}
            onSearch={(v) => setQuery(v.trim())}
            style={{ marginBottom: 12 }}
          />
          {query ? (
            <List
              size="small"
              loading={found.loading}
              dataSource={found.data ?? []}
              locale={{ emptyText: t('common.noMatch') }}
              renderItem={(org) => (
                <List.Item className="grid-list-item" onClick={() => setSelectedId(org.id)}>
                  <span>{org.name}</span> <Tag color="red">{t(`party.kinds.${org.kind}`)}</Tag>
                </List.Item>
              )}
            />
          ) : (
            <PartyOrgTree selectedId={selectedId} onSelect={(org) => setSelectedId(org.id)} changed={changed} />
          )}
        </Card>
        <PartyOrgPanel
          orgId={selectedId}
          onChanged={(org, previousParentId) =>
            setChanged((c) => ({
              parentIds: previousParentId === undefined ? [org.parentId] : [org.parentId, previousParentId],
              tick: (c?.tick ?? 0) + 1,
            }))
          }
          onSelect={setSelectedId}
        />
      </div>
    </div>
  );
}
