import { PlusOutlined } from '@ant-design/icons';
import { Alert, Breadcrumb, Button, Card, Input, List, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { childKinds, searchUnits, type Unit, unitAncestors } from '../../api/units.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useSignedIn } from '../../lib/session.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { UnitDrawer } from './UnitDrawer.tsx';
import { UnitFormModal, type UnitFormTarget } from './UnitFormModal.tsx';
import { UnitTree } from './UnitTree.tsx';
import { useUnitTree } from './use-unit-tree.ts';

/** 组织架构: the unit tree of my scope, the children of the chosen unit, details and changes. */
export default function UnitsPage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const errorText = useErrorText();
  const tree = useUnitTree();
  const [selected, setSelected] = useState<Unit>();
  const [expanded, setExpanded] = useState<string[]>([]);
  const [detailId, setDetailId] = useState<number>();
  const [form, setForm] = useState<UnitFormTarget>();
  const [query, setQuery] = useState('');
  const [savedCount, setSavedCount] = useState(0);
  const canManage = session.can('unit.manage');
  const canAddTop = canManage && session.grants.some((g) => g.scope === 'all');

  const found = useLoad(() => searchUnits(query), [query], query.length > 0);
  const trail = useLoad(
    () => (selected ? unitAncestors(selected.id) : Promise.resolve([])),
    [selected?.id, selected?.parentId],
  );
  const rows = selected ? tree.children.get(selected.id) : tree.tops;
  const { load } = tree;
  useEffect(() => {
    if (selected && selected.childCount > 0) load(selected.id).catch(() => undefined);
  }, [selected, load]);

  function select(unit: Unit) {
    setSelected(unit);
    if (unit.parentId !== null && !expanded.includes(String(unit.parentId))) {
      setExpanded((keys) => [...keys, String(unit.parentId)]);
    }
  }

  async function changed(unit: Unit, previousParentId?: number | null) {
    await tree.reload(unit.parentId);
    if (previousParentId !== undefined && previousParentId !== unit.parentId) await tree.reload(previousParentId);
    if (selected?.id === unit.id) setSelected(unit);
  }

  return (
    <div className="page">
      <div className="split">
        <Card title={t('units.treeTitle')} className="tree-card" size="small">
          <Input.Search
            allowClear
            placeholder={t('units.searchPlaceholder')}
            onSearch={(value) => setQuery(value.trim())}
            style={{ marginBottom: 12 }}
          />
          {query ? (
            <List
              size="small"
              loading={found.loading}
              dataSource={found.data?.items ?? []}
              locale={{ emptyText: t('common.noMatch') }}
              renderItem={(unit) => (
                <List.Item className="grid-list-item" onClick={() => select(unit)}>
                  <span>{unit.name}</span> <Tag>{t(`unitKinds.${unit.kind}`)}</Tag>
                </List.Item>
              )}
            />
          ) : (
            <>
              {tree.error ? <Alert type="error" title={errorText(tree.error)} /> : null}
              <UnitTree
                tree={tree}
                selectedId={selected?.id}
                expandedKeys={expanded}
                onExpand={setExpanded}
                onSelect={select}
              />
            </>
          )}
        </Card>
        <Card
          size="small"
          title={
            selected ? (
              <Space orientation="vertical" size={0}>
                <Breadcrumb
                  items={(trail.data ?? []).map((u) => ({
                    key: u.id,
                    title: u.name,
                  }))}
                />
                <Typography.Text strong data-testid="selected-unit">
                  {selected.name}
                </Typography.Text>
              </Space>
            ) : (
              t('units.topLevel')
            )
          }
          extra={
            <Space>
              {selected && <Button onClick={() => setDetailId(selected.id)}>{t('common.detail')}</Button>}
              {selected && canManage && childKinds(selected.kind).length > 0 && (
                <Button
                  type="primary"
                  icon={<PlusOutlined />}
                  onClick={() => setForm({ mode: 'create', parent: selected })}
                >
                  {t('units.addChild')}
                </Button>
              )}
              {!selected && canAddTop && (
                <Button
                  type="primary"
                  icon={<PlusOutlined />}
                  onClick={() => setForm({ mode: 'create', parent: null })}
                >
                  {t('units.addTop')}
                </Button>
              )}
            </Space>
          }
        >
          <Table<Unit>
            size="small"
            rowKey="id"
            loading={rows === undefined && (selected?.childCount ?? 1) > 0}
            dataSource={rows ?? []}
            pagination={{ pageSize: 15, showSizeChanger: false, hideOnSinglePage: true }}
            locale={{ emptyText: t('units.noChildren') }}
            onRow={(unit) => ({ onDoubleClick: () => select(unit) })}
            columns={[
              {
                title: t('units.fields.name'),
                dataIndex: 'name',
                render: (name: string, unit) => <Typography.Link onClick={() => select(unit)}>{name}</Typography.Link>,
              },
              { title: t('units.fields.kind'), render: (_, u) => t(`unitKinds.${u.kind}`), width: 90 },
              { title: t('units.fields.code'), dataIndex: 'code', render: (v) => v ?? '—', width: 110 },
              { title: t('units.fields.phone'), dataIndex: 'phone', render: (v) => v ?? '—', width: 130 },
              { title: t('units.fields.children'), dataIndex: 'childCount', width: 80 },
              {
                title: t('units.fields.status'),
                width: 80,
                render: (_, u) =>
                  u.active ? (
                    <Tag key="active" color="green">
                      {t('common.active')}
                    </Tag>
                  ) : (
                    <Tag key="inactive">{t('common.inactive')}</Tag>
                  ),
              },
              {
                title: t('common.actions'),
                width: 80,
                render: (_, u) => (
                  <Button size="small" onClick={() => setDetailId(u.id)}>
                    {t('common.detail')}
                  </Button>
                ),
              },
            ]}
          />
        </Card>
      </div>
      <UnitDrawer
        unitId={detailId}
        refreshKey={savedCount}
        canManage={canManage}
        onClose={() => setDetailId(undefined)}
        onEdit={(unit) => setForm({ mode: 'edit', unit })}
        onAddChild={(unit) => setForm({ mode: 'create', parent: unit })}
        onChanged={changed}
      />
      <UnitFormModal
        target={form}
        onClose={() => setForm(undefined)}
        onSaved={(unit, previousParentId) => {
          setForm(undefined);
          setSavedCount((n) => n + 1);
          void changed(unit, previousParentId);
        }}
      />
    </div>
  );
}
