import { FundProjectionScreenOutlined, InfoCircleOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Row,
  Segmented,
  Select,
  Skeleton,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../../../shared/api.ts';
import { allGridsWithBoundaries } from '../../api/grids.ts';
import { overview, RANKING_LEVEL_ORDER, type RankingLevel, rankings, threeRates } from '../../api/metrics.ts';
import { type ChartOption, EChart } from '../../components/charts/EChart.tsx';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useErrorText } from '../../lib/errors.ts';
import { useSignedIn } from '../../lib/session.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { barHeight, categoryOption, channelOption, overTimeOption, unitOption } from './chart-options.ts';
import { GridHeatMap } from './GridHeatMap.tsx';
import { PERIOD_CHOICES, type PeriodChoice, periodDays, periodQuery } from './period.ts';
import { RankingsTable } from './RankingsTable.tsx';
import { RateCards } from './RateCards.tsx';
import './analytics.css';

const CASE_TYPES = ['appeal', 'enterprise', 'inspection', 'task'] as const;
type ChartKey = 'overTime' | 'byCategory' | 'byChannel' | 'byUnit' | 'heatMap';

/** Whether a failed request is the server saying "choose something else" rather than a fault. */
const badRequestOn = (error: unknown, field: string) =>
  error instanceof ApiError &&
  error.status === 400 &&
  (error.details as { field?: string } | undefined)?.field === field;

/**
 * 数据分析: for a unit of my metrics scope and a period — 三率 with their formulas, cases over time, by category,
 * channel and child unit, the rankings below it and a grid heat map. `data-ready="true"` on the root once the
 * rates, the rankings and every chart and the map have drawn (the page-load benchmark waits for it).
 */
export default function AnalyticsPage() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const english = i18n.language === 'en-US';
  const [unitId, setUnitId] = useState<number | undefined>();
  const [choice, setChoice] = useState<PeriodChoice>('month');
  const [custom, setCustom] = useState<[string, string] | null>(null);
  const [caseType, setCaseType] = useState<string | undefined>();
  const [level, setLevel] = useState<RankingLevel | undefined>();

  const [from, to] = periodDays(choice, custom);
  const pq = useMemo(() => periodQuery(choice, custom), [choice, custom]);
  const rates = useLoad(() => threeRates({ unitId, caseType, ...pq }), [unitId, caseType, pq]);
  const ov = useLoad(() => overview({ unitId, from, to, caseType }), [unitId, caseType, from, to]);
  const unit = ov.data?.unit ?? rates.data?.unit;
  // A department ranks among departments (it has no places below it).
  const rankLevel = level ?? (unit?.kind === 'department' ? 'department' : undefined);
  const ranked = useLoad(
    () => rankings({ within: unitId, level: rankLevel, caseType, ...pq }),
    [unitId, rankLevel, caseType, pq],
  );
  const effectiveUnit = unitId ?? unit?.id;
  const canSeeGrids = session.can('grid.read');
  const grids = useLoad(
    () => allGridsWithBoundaries({ within: effectiveUnit }),
    [effectiveUnit],
    canSeeGrids && effectiveUnit !== undefined,
  );
  const isDepartment = (unit?.kind ?? rates.data?.unit.kind) === 'department' || badRequestOn(ov.error, 'unitId');

  // Chart options, kept while the data is the same (an option's identity says what has been drawn).
  const o = ov.data;
  const options = useMemo(() => {
    const out: Partial<Record<ChartKey, ChartOption>> = {};
    if (!o) return out;
    out.overTime = overTimeOption(o.overTime, t);
    if (o.byCategory.length) out.byCategory = categoryOption(o.byCategory, t, english);
    if (o.byChannel.length) out.byChannel = channelOption(o.byChannel, t);
    if (o.byUnit.length || o.direct) out.byUnit = unitOption(o, t);
    return out;
  }, [o, t, english]);
  const gridCounts = useMemo(
    () => new Map((o?.byGrid ?? []).map((g) => [g.unit.id, { received: g.received, open: g.open }])),
    [o],
  );
  const mapGrids = useMemo(() => (grids.data ?? []).filter((g) => g.boundary), [grids.data]);
  const mapShown = canSeeGrids && mapGrids.length > 0 && o !== undefined;

  // What has drawn: each chart reports the option (or, for the map, the counts) it drew.
  const [drawn, setDrawn] = useState<Partial<Record<ChartKey, unknown>>>({});
  const mark = useCallback((key: ChartKey, what: unknown) => setDrawn((d) => ({ ...d, [key]: what })), []);
  const chartsDrawn = (Object.keys(options) as ChartKey[]).every((k) => drawn[k] === options[k]);
  const mapDrawn = !mapShown || drawn.heatMap === gridCounts;
  const loading = rates.loading || ov.loading || ranked.loading || grids.loading;
  const ready =
    !loading &&
    rates.data !== undefined &&
    (o !== undefined || isDepartment) &&
    // (A department's first, level-less request is answered "choose a level"; its own ranking follows.)
    (ranked.data !== undefined ||
      (ranked.error !== null && !(rankLevel === 'department' && badRequestOn(ranked.error, 'level')))) &&
    chartsDrawn &&
    mapDrawn;

  const chart = (key: ChartKey, titleKey: string, height: number, extra?: React.ReactNode) => {
    const option = options[key];
    return (
      <Card size="small" title={t(titleKey)} extra={extra} className="chart-card" data-testid={`chart-${key}`}>
        {ov.loading && !o ? (
          <Skeleton active paragraph={{ rows: 5 }} />
        ) : option ? (
          <EChart option={option} height={height} onRendered={() => mark(key, option)} aria-label={t(titleKey)} />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.empty')} style={{ height }} />
        )}
      </Card>
    );
  };

  // Category and channel come from monthly rollups: say which whole months they count.
  const monthsNote = o ? (
    <Tooltip title={t('analytics.charts.wholeMonths', { label: `${o.months.from} — ${o.months.to}` })}>
      <Typography.Text type="secondary" className="card-note" tabIndex={0}>
        {o.months.from.slice(0, 7) === o.months.to.slice(0, 7)
          ? o.months.from.slice(0, 7)
          : `${o.months.from.slice(0, 7)} — ${o.months.to.slice(0, 7)}`}{' '}
        <InfoCircleOutlined />
      </Typography.Text>
    </Tooltip>
  ) : null;

  const changeUnit = (id: number | undefined) => {
    setUnitId(id);
    setLevel(undefined);
  };

  return (
    <div className="page analytics-page" data-testid="analytics-page" data-ready={ready ? 'true' : 'false'}>
      <Card size="small">
        <div className="page-head">
          <div>
            <Typography.Title level={4} className="page-title">
              {t('analytics.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('analytics.subtitle')}</Typography.Text>
          </div>
          <Button
            icon={<FundProjectionScreenOutlined />}
            onClick={() => navigate(effectiveUnit && unitId ? `/screen?unitId=${effectiveUnit}` : '/screen')}
            data-testid="open-screen"
          >
            {t('analytics.openScreen')}
          </Button>
        </div>
        <div className="toolbar-filters analytics-filters">
          <label className="filter-field" htmlFor="analytics-unit">
            <span>{t('analytics.scope')}</span>
            <UnitTreeSelect
              id="analytics-unit"
              value={effectiveUnit ?? null}
              onChange={(v: number | undefined) => changeUnit(v)}
              allowClear={false}
              style={{ width: 240 }}
            />
          </label>
          <Segmented<PeriodChoice>
            value={choice}
            onChange={(v) => setChoice(v)}
            options={PERIOD_CHOICES.map((c) => ({ value: c, label: t(`analytics.period.${c}`) }))}
            aria-label={t('analytics.period.label')}
            data-testid="period"
          />
          {choice === 'custom' ? (
            <DatePicker.RangePicker
              value={custom ? [dayjs(custom[0]), dayjs(custom[1])] : null}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              onChange={(v) =>
                setCustom(v?.[0] && v[1] ? [v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')] : null)
              }
              aria-label={t('analytics.period.custom')}
            />
          ) : null}
          <Select<string>
            allowClear
            placeholder={t('analytics.allTypes')}
            value={caseType}
            onChange={(v) => setCaseType(v)}
            options={CASE_TYPES.map((c) => ({ value: c, label: t(`caseTerms.caseType.${c}`) }))}
            style={{ width: 140 }}
            aria-label={t('analytics.caseType')}
          />
        </div>
      </Card>

      {rates.error ? <Alert type="error" showIcon title={errorText(rates.error)} /> : null}

      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} xl={6}>
          <Card size="small" className="rate-card" data-testid="received-card">
            {ov.loading && !o ? (
              <Skeleton active paragraph={{ rows: 1 }} />
            ) : (
              <>
                <div className="rate-card-head">
                  <span>{t('analytics.figures.receivedInPeriod')}</span>
                </div>
                <div className="rate-value figure-value" data-testid="received-total">
                  {o ? o.totals.received.toLocaleString() : '—'}
                </div>
                <Typography.Text type="secondary" className="rate-counts">
                  {o ? t('analytics.figures.nowCounts', o.now) : (rates.data?.period.label ?? '')}
                </Typography.Text>
              </>
            )}
          </Card>
        </Col>
        <RateCards rates={rates.data} loading={rates.loading} />
      </Row>

      {isDepartment ? (
        <Alert type="info" showIcon title={t('analytics.charts.departmentNote')} />
      ) : ov.error ? (
        <Alert type="error" showIcon title={errorText(ov.error)} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={16}>
            {chart('overTime', 'analytics.charts.overTime', 300)}
          </Col>
          <Col xs={24} md={12} xl={8}>
            {chart('byChannel', 'analytics.charts.byChannel', 300, monthsNote)}
          </Col>
          <Col xs={24} md={12} xl={12}>
            {chart(
              'byCategory',
              'analytics.charts.byCategory',
              barHeight(Math.min(12, o?.byCategory.length ?? 0), 300, 24),
              monthsNote,
            )}
          </Col>
          <Col xs={24} xl={12}>
            {chart('byUnit', 'analytics.charts.byUnit', barHeight((o?.byUnit.length ?? 0) + (o?.direct ? 1 : 0), 300))}
          </Col>
        </Row>
      )}

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={isDepartment ? 24 : 14}>
          <Card
            size="small"
            title={t('analytics.rankings.title')}
            className="chart-card"
            extra={
              <Select<RankingLevel>
                size="small"
                value={level ?? ranked.data?.level}
                placeholder={t('analytics.rankings.chooseLevel')}
                onChange={(v) => setLevel(v)}
                options={RANKING_LEVEL_ORDER.map((l) => ({ value: l, label: t(`analytics.rankings.levels.${l}`) }))}
                style={{ width: 120 }}
                aria-label={t('analytics.rankings.level')}
                data-testid="ranking-level"
              />
            }
          >
            {ranked.error ? (
              badRequestOn(ranked.error, 'level') ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('analytics.rankings.chooseLevel')} />
              ) : (
                <Alert type="error" showIcon title={errorText(ranked.error)} />
              )
            ) : (
              <RankingsTable
                rows={ranked.data?.rows ?? []}
                belowMinimum={ranked.data?.belowMinimum ?? []}
                minVolume={ranked.data?.minVolume ?? 0}
                loading={ranked.loading}
                data-testid="rankings"
              />
            )}
          </Card>
        </Col>
        {isDepartment ? null : (
          <Col xs={24} xl={10}>
            <Card size="small" title={t('analytics.charts.heatMap')} className="chart-card">
              {!canSeeGrids ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('analytics.charts.noGridPermission')} />
              ) : grids.error ? (
                <Alert type="error" showIcon title={errorText(grids.error)} />
              ) : (grids.loading && !grids.data) || !o ? (
                <Skeleton active paragraph={{ rows: 8 }} />
              ) : mapGrids.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('analytics.charts.noGrids')} />
              ) : (
                <GridHeatMap grids={mapGrids} counts={gridCounts} onRendered={() => mark('heatMap', gridCounts)} />
              )}
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}
