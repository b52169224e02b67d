import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Space, Typography } from 'antd';
import type L from 'leaflet';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allGridsWithBoundaries, type GridSummary } from '../../api/grids.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useErrorText } from '../../lib/errors.ts';
import { formatTime } from '../../lib/format.ts';
import { useSignedIn } from '../../lib/session.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { GridCardPanel } from '../grids/GridCardPanel.tsx';
import { GridMap } from '../grids/GridMap.tsx';
import { getCaseLoad } from './api.ts';
import { GridLoadList } from './GridLoadList.tsx';
import { GridOpenCases } from './GridOpenCases.tsx';
import { LoadLegend } from './LoadLegend.tsx';
import { loadFill, loadSteps, OUTLINE, RED_OUTLINE, SELECTED_OUTLINE } from './load-scale.ts';
import './case-map.css';

const AREA_KINDS = ['district', 'street', 'town', 'community', 'village'] as const;

/**
 * 网格地图: every grid of my scope drawn from its boundary on a plain background, filled by its open cases
 * (outlined red when it has red ones) and labelled with their number; a grid's card and cases on a click.
 */
export default function CaseMapPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const session = useSignedIn();
  const [unitId, setUnitId] = useState<number>();
  const [selectedId, setSelectedId] = useState<number>();
  const load = useLoad(() => getCaseLoad(unitId), [unitId]);
  // Boundaries and cards need grid.read; without it (a department) the load lists no grid anyway.
  const canReadGrids = session.can('grid.read');
  const shapes = useLoad(() => allGridsWithBoundaries({ within: unitId }), [unitId], canReadGrids);

  const loadById = useMemo(() => new Map((load.data?.items ?? []).map((g) => [g.gridId, g])), [load.data]);
  const shapeById = useMemo(() => new Map((shapes.data ?? []).map((g) => [g.id, g])), [shapes.data]);
  // The grids drawn are those the load covers (case.read scope) that the boundaries list holds; grids with red
  // cases last, so that their red outline is drawn over their neighbours' shared edges.
  const drawn = useMemo(() => {
    const covered = (shapes.data ?? []).filter((g) => loadById.has(g.id));
    const red = (g: GridSummary) => ((loadById.get(g.id)?.red ?? 0) > 0 ? 1 : 0);
    return covered.sort((a, b) => red(a) - red(b));
  }, [shapes.data, loadById]);
  const max = useMemo(() => Math.max(0, ...(load.data?.items ?? []).map((g) => g.open)), [load.data]);
  const steps = useMemo(() => loadSteps(max), [max]);

  const styleFor = useCallback(
    (grid: GridSummary, selected: boolean): L.PathOptions => {
      const counts = loadById.get(grid.id);
      const red = (counts?.red ?? 0) > 0;
      return {
        color: selected ? SELECTED_OUTLINE : red ? RED_OUTLINE : OUTLINE,
        weight: selected ? 3.5 : red ? 2.5 : 1,
        fillColor: loadFill(counts?.open ?? 0, steps),
        fillOpacity: 0.8,
      };
    },
    [loadById, steps],
  );
  const labelFor = useCallback((grid: GridSummary) => String(loadById.get(grid.id)?.open ?? 0), [loadById]);

  const selectedShape = selectedId === undefined ? undefined : shapeById.get(selectedId);
  const selectedLoad = selectedId === undefined ? undefined : loadById.get(selectedId);
  const items = load.data?.items ?? [];
  const loading = load.loading || shapes.loading;
  const ready = !loading && load.data !== undefined;

  const chooseArea = (next: number | undefined) => {
    setSelectedId(undefined);
    setUnitId(next);
  };

  return (
    <div className="page case-map-page" data-testid="case-map-page" data-ready={ready ? 'true' : 'false'}>
      <Card size="small">
        <div className="case-map-header">
          <div>
            <Typography.Title level={4} className="case-map-title">
              {t('caseMap.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('caseMap.subtitle')}</Typography.Text>
          </div>
          <Space wrap>
            <UnitTreeSelect
              value={unitId ?? null}
              onChange={(v: number | undefined) => chooseArea(v ?? undefined)}
              selectableKinds={AREA_KINDS}
              placeholder={t('caseMap.area')}
              style={{ width: 240 }}
              id="case-map-area"
            />
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                load.reload();
                shapes.reload();
              }}
              loading={loading}
              data-testid="case-map-refresh"
            >
              {t('common.refresh')}
            </Button>
            {load.data && (
              <Typography.Text type="secondary" data-testid="case-map-as-of">
                {t('caseMap.asOf', { time: formatTime(load.data.asOf) })}
              </Typography.Text>
            )}
          </Space>
        </div>
      </Card>
      {load.error ? <Alert type="error" showIcon title={errorText(load.error)} /> : null}
      {shapes.error ? <Alert type="error" showIcon title={errorText(shapes.error)} /> : null}
      {ready && items.length === 0 ? (
        <Card>
          <Empty description={t('caseMap.noGrids')} />
        </Card>
      ) : (
        <div className="grid-map-wrap">
          <GridLoadList
            items={items}
            totals={load.data?.totals}
            loading={load.loading}
            selectedId={selectedId}
            onSelect={setSelectedId}
            hasBoundary={(id) => shapeById.get(id)?.hasBoundary ?? false}
          />
          <div className="grid-map-area">
            <GridMap
              grids={drawn}
              selectedId={selectedId}
              onSelect={setSelectedId}
              styleFor={styleFor}
              labelFor={labelFor}
              labelsPermanent
              fitKey={unitId ?? 0}
            />
            {ready && drawn.length > 0 && <LoadLegend max={max} />}
            {selectedShape && (
              <GridCardPanel
                grid={selectedShape}
                onClose={() => setSelectedId(undefined)}
                actions={selectedLoad && <GridOpenCases load={selectedLoad} reloadKey={load.data?.asOf} />}
              />
            )}
            {ready && drawn.length === 0 && items.length > 0 && canReadGrids && (
              <Alert className="map-notice" type="info" showIcon title={t('caseMap.noBoundaries')} />
            )}
          </div>
        </div>
      )}
    </div>
  );
}
