import { Alert, App, Button, Card, Input, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.ts';
import {
  allGridsWithBoundaries,
  type GeoJsonPolygon,
  type GridSummary,
  removeBoundary,
  setBoundary,
} from '../../api/grids.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useErrorText } from '../../lib/errors.ts';
import { useSignedIn } from '../../lib/session.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { BoundaryToolbar } from './BoundaryToolbar.tsx';
import { GeoJsonModal } from './GeoJsonModal.tsx';
import { GridCardPanel } from './GridCardPanel.tsx';
import { GridMap } from './GridMap.tsx';
import { polygonFromVertices } from './geojson.ts';

type Editing = { mode: 'draw'; draft: Array<[number, number]> } | { mode: 'preview'; polygon: GeoJsonPolygon };

/** 网格管理: the grids of my scope as a list and on a map, each with its contact card and boundary. */
export default function GridsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const session = useSignedIn();
  const errorText = useErrorText();
  const [within, setWithin] = useState<number>();
  const [q, setQ] = useState('');
  const [selectedId, setSelectedId] = useState<number>();
  const [editing, setEditing] = useState<Editing>();
  const [importing, setImporting] = useState(false);
  const [saving, setSaving] = useState(false);
  const grids = useLoad(() => allGridsWithBoundaries({ within, q: q || undefined }), [within, q]);
  const items = grids.data ?? [];
  const selected = items.find((g) => g.id === selectedId);
  const canManage = session.can('grid.manage');

  async function save(geometry: GeoJsonPolygon) {
    if (!selected) return;
    setSaving(true);
    try {
      await setBoundary(selected.id, geometry);
      message.success(t('grids.boundarySaved'));
      setEditing(undefined);
      grids.reload();
    } catch (error) {
      const reason = error instanceof ApiError ? (error.details as { reason?: string } | null)?.reason : undefined;
      message.error(
        reason
          ? `${t('errors.INVALID_GEOMETRY')}：${t(`grids.geometry.${reason}`, { defaultValue: reason })}`
          : errorText(error),
      );
    } finally {
      setSaving(false);
    }
  }

  async function remove(grid: GridSummary) {
    try {
      await removeBoundary(grid.id);
      message.success(t('grids.boundaryRemoved'));
      grids.reload();
    } catch (error) {
      message.error(errorText(error));
    }
  }

  const cardActions = selected && canManage && !editing && (
    <Space wrap>
      <Button size="small" type="primary" onClick={() => setEditing({ mode: 'draw', draft: [] })}>
        {selected.hasBoundary ? t('grids.redraw') : t('grids.draw')}
      </Button>
      <Button size="small" onClick={() => setImporting(true)}>
        {t('grids.import')}
      </Button>
      {selected.hasBoundary && (
        <Popconfirm
          title={t('grids.removeConfirm')}
          onConfirm={() => remove(selected)}
          okButtonProps={{ danger: true }}
        >
          <Button size="small" danger>
            {t('grids.removeBoundary')}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );

  return (
    <div className="page">
      <div className="grid-map-wrap">
        <Card
          size="small"
          className="grid-list"
          title={
            <Space orientation="vertical" style={{ width: '100%', padding: '8px 0' }}>
              <UnitTreeSelect value={within} onChange={setWithin} placeholder={t('grids.within')} />
              <Input.Search allowClear placeholder={t('grids.search')} onSearch={(v) => setQ(v.trim())} />
            </Space>
          }
        >
          {grids.error ? <Alert type="error" title={errorText(grids.error)} /> : null}
          <List
            size="small"
            loading={grids.loading}
            dataSource={items}
            locale={{ emptyText: t('grids.empty') }}
            header={
              <Typography.Text type="secondary" style={{ paddingLeft: 12 }}>
                {t('grids.count', { count: items.length, drawn: items.filter((g) => g.hasBoundary).length })}
              </Typography.Text>
            }
            renderItem={(grid) => (
              <List.Item
                className={`grid-list-item${grid.id === selectedId ? ' selected' : ''}`}
                onClick={() => !editing && setSelectedId(grid.id)}
              >
                <List.Item.Meta
                  title={grid.name}
                  description={
                    <Space size={4} wrap>
                      <span>{grid.communityName ?? '—'}</span>
                      {!grid.hasBoundary && <Tag>{t('grids.noBoundary')}</Tag>}
                      {!grid.active && <Tag key="inactive">{t('common.inactive')}</Tag>}
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
        </Card>
        <div className="grid-map-area">
          <GridMap
            grids={items}
            selectedId={selectedId}
            onSelect={setSelectedId}
            drawing={editing?.mode === 'draw'}
            draft={editing?.mode === 'draw' ? editing.draft : []}
            onAddVertex={(v) => setEditing((e) => (e?.mode === 'draw' ? { mode: 'draw', draft: [...e.draft, v] } : e))}
            preview={editing?.mode === 'preview' ? editing.polygon : null}
          />
          {editing && (
            <BoundaryToolbar
              mode={editing.mode}
              vertexCount={editing.mode === 'draw' ? editing.draft.length : 0}
              saving={saving}
              onUndo={() => editing.mode === 'draw' && setEditing({ mode: 'draw', draft: editing.draft.slice(0, -1) })}
              onClear={() => setEditing({ mode: 'draw', draft: [] })}
              onCancel={() => setEditing(undefined)}
              onSave={() => void save(editing.mode === 'draw' ? polygonFromVertices(editing.draft) : editing.polygon)}
            />
          )}
          {selected && <GridCardPanel grid={selected} actions={cardActions} onClose={() => setSelectedId(undefined)} />}
          {!grids.loading && items.length > 0 && !items.some((g) => g.hasBoundary) && (
            <Alert className="map-notice" type="info" showIcon title={t('grids.noBoundaries')} />
          )}
        </div>
      </div>
      <GeoJsonModal
        open={importing}
        gridName={selected?.name ?? ''}
        onClose={() => setImporting(false)}
        onPreview={(polygon) => {
          setImporting(false);
          setEditing({ mode: 'preview', polygon });
        }}
      />
    </div>
  );
}
