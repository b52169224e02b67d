import { ArrowLeftOutlined, FullscreenExitOutlined, FullscreenOutlined } from '@ant-design/icons';
import { Button, ConfigProvider, theme } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { allGridsWithBoundaries } from '../../api/grids.ts';
import { type Overview, overview, type Rankings, rankings, type ThreeRates, threeRates } from '../../api/metrics.ts';
import { type ChartOption, EChart } from '../../components/charts/EChart.tsx';
import { useErrorText } from '../../lib/errors.ts';
import { useSignedIn } from '../../lib/session.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { categoryOption, channelOption, overTimeOption } from './chart-options.ts';
import { percent } from './format.ts';
import { GridHeatMap } from './GridHeatMap.tsx';
import { formatDay } from './period.ts';
import './analytics.css';

/** The wall screen refreshes itself this often. */
export const REFRESH_MS = 60_000;
/** Rankings scroll when there are more rows than this. */
const STILL_ROWS = 8;

interface ScreenData {
  overview: Overview;
  rates: ThreeRates;
  rankings: Rankings | null;
  fetchedAt: Date;
}

/** Everything the screen shows, in one round of requests (today is taken anew each time: midnight passes). */
async function loadScreen(unitId: number | undefined): Promise<ScreenData> {
  const today = dayjs();
  const [o, rates, ranked] = await Promise.all([
    overview({ unitId, from: formatDay(today.subtract(29, 'day')), to: formatDay(today) }),
    threeRates({ unitId, period: 'month', date: formatDay(today) }),
    // A grid has nothing below it to rank: the screen then simply leaves the rankings out.
    rankings({ within: unitId, period: 'month', date: formatDay(today) }).catch(() => null),
  ]);
  return { overview: o, rates, rankings: ranked, fetchedAt: new Date() };
}

/** Keeps track of whether the document is in full-screen mode. */
function useFullScreen(): [boolean, () => void] {
  const [full, setFull] = useState(() => Boolean(document.fullscreenElement));
  useEffect(() => {
    const onChange = () => setFull(Boolean(document.fullscreenElement));
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);
  const toggle = useCallback(() => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void document.documentElement.requestFullscreen?.().catch(() => undefined);
  }, []);
  return [full, toggle];
}

function Panel({ title, className, children }: { title: string; className?: string; children: React.ReactNode }) {
  return (
    <section className={`screen-panel ${className ?? ''}`} aria-label={title}>
      <div className="screen-panel-title">{title}</div>
      <div className="screen-panel-body">{children}</div>
    </section>
  );
}

/**
 * 指挥大屏: a dark, full-window view for a wall screen (1920×1080 down to 1366×768) — clock, the big numbers,
 * trends, categories, channels, a scrolling ranking and the grid heat map. No menu; it refreshes itself every
 * minute and says when it last did. `?unitId=` shows another unit of my scope (a street's own screen).
 */
export default function ScreenPage() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const errorText = useErrorText();
  const english = i18n.language === 'en-US';
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const unitParam = Number(search.get('unitId'));
  const unitId = Number.isInteger(unitParam) && unitParam > 0 ? unitParam : undefined;
  const [full, toggleFull] = useFullScreen();

  const [tick, setTick] = useState(0);
  const [now, setNow] = useState(() => new Date());
  const [refreshes, setRefreshes] = useState(0);
  useEffect(() => {
    const refresh = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    const clock = setInterval(() => setNow(new Date()), 1000);
    return () => {
      clearInterval(refresh);
      clearInterval(clock);
    };
  }, []);

  const screen = useLoad(() => loadScreen(unitId), [unitId, tick]);
  const data = screen.data;
  useEffect(() => {
    if (data) setRefreshes((n) => n + 1);
  }, [data]);
  const unit = data?.overview.unit;
  const canSeeGrids = session.can('grid.read');
  const grids = useLoad(
    () => allGridsWithBoundaries({ within: unit?.id }),
    [unit?.id],
    canSeeGrids && unit !== undefined,
  );

  const o = data?.overview;
  const options = useMemo(() => {
    const out: Record<'overTime' | 'byCategory' | 'byChannel', ChartOption | null> = {
      overTime: null,
      byCategory: null,
      byChannel: null,
    };
    if (!o) return out;
    out.overTime = overTimeOption(o.overTime, t, 'dark');
    if (o.byCategory.length) out.byCategory = categoryOption(o.byCategory, t, english, 'dark', 10);
    if (o.byChannel.length) out.byChannel = channelOption(o.byChannel, t, 'dark');
    return out;
  }, [o, t, english]);
  const gridCounts = useMemo(
    () => new Map((o?.byGrid ?? []).map((g) => [g.unit.id, { received: g.received, open: g.open }])),
    [o],
  );
  const mapGrids = useMemo(() => (grids.data ?? []).filter((g) => g.boundary), [grids.data]);

  const today = o?.overTime.at(-1);
  const rates = data?.rates.rates;
  const numbers = [
    { key: 'todayReceived', label: t('analytics.screen.todayReceived'), value: today?.received, kind: '' },
    { key: 'open', label: t('analytics.screen.open'), value: o?.now.open, kind: '' },
    { key: 'overdue', label: t('analytics.screen.overdue'), value: o?.now.overdue, kind: 'alert' },
    { key: 'red', label: t('analytics.screen.red'), value: o?.now.red, kind: 'alert' },
    { key: 'responseRate', label: t('analytics.rates.responseRate'), value: rates?.responseRate, kind: 'rate' },
    { key: 'resolutionRate', label: t('analytics.rates.resolutionRate'), value: rates?.resolutionRate, kind: 'rate' },
    {
      key: 'satisfactionRate',
      label: t('analytics.rates.satisfactionRate'),
      value: rates?.satisfactionRate,
      kind: 'rate',
    },
  ];
  // Every unit: the ranked ones, then those below the minimum volume (without a rank).
  const rows = [...(data?.rankings?.rows ?? []), ...(data?.rankings?.belowMinimum ?? [])];
  const scrolling = rows.length > STILL_ROWS;
  const rankRow = (r: (typeof rows)[number], copy: number) => (
    <div className="screen-rank-row" key={`${copy}-${r.unit.id}`} aria-hidden={copy > 0 ? true : undefined}>
      <span className={`rank-badge rank-${Math.min(r.rank ?? 4, 4)}`}>{r.rank ?? '—'}</span>
      <span className="screen-rank-name">{r.unit.name}</span>
      <span className="screen-rank-volume">{t('analytics.figures.pieces', { count: r.volume })}</span>
      <span className="screen-rank-score">{percent(r.score)}</span>
    </div>
  );
  const monthsLabel = o
    ? o.months.from.slice(0, 7) === o.months.to.slice(0, 7)
      ? o.months.from.slice(0, 7)
      : `${o.months.from.slice(0, 7)} — ${o.months.to.slice(0, 7)}`
    : '';

  return (
    <ConfigProvider theme={{ algorithm: theme.darkAlgorithm, token: { colorPrimary: '#c8102e' } }}>
      <div
        className="screen"
        data-testid="screen-page"
        data-refreshes={refreshes}
        data-refreshed-at={data?.fetchedAt.toISOString() ?? ''}
        data-ready={data && !screen.loading ? 'true' : 'false'}
      >
        <header className="screen-head">
          <div className="screen-meta">
            <div className="screen-clock" data-testid="screen-clock">
              {dayjs(now).format('YYYY-MM-DD HH:mm:ss')}
            </div>
            <div>{unit?.name ?? ''}</div>
          </div>
          <h1 className="screen-title">{t('analytics.screen.title')}</h1>
          <div className="screen-actions">
            <div className="screen-meta" data-testid="screen-last-refresh">
              {data ? t('analytics.screen.lastRefresh', { time: dayjs(data.fetchedAt).format('HH:mm:ss') }) : ''}
              <div>
                {screen.error ? (
                  <span className="screen-error">
                    {t('analytics.screen.refreshFailed', { error: errorText(screen.error) })}
                  </span>
                ) : (
                  t('analytics.screen.refreshEvery')
                )}
              </div>
            </div>
            <Button
              icon={full ? <FullscreenExitOutlined /> : <FullscreenOutlined />}
              onClick={toggleFull}
              data-testid="screen-fullscreen"
            >
              {full ? t('analytics.screen.exitFullScreen') : t('analytics.screen.fullScreen')}
            </Button>
            {full ? null : (
              <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/analytics')}>
                {t('analytics.screen.back')}
              </Button>
            )}
          </div>
        </header>

        <div className="screen-numbers">
          {numbers.map((n) => (
            <div key={n.key} className={`screen-number ${n.kind}`} data-testid={`screen-${n.key}`}>
              <div className="screen-number-label">{n.label}</div>
              <div className="screen-number-value">
                {n.value == null ? '—' : n.kind === 'rate' ? percent(n.value) : n.value.toLocaleString()}
              </div>
            </div>
          ))}
        </div>

        <div className="screen-grid">
          <Panel title={t('analytics.screen.overTime')}>
            {options.overTime ? (
              <EChart option={options.overTime} height="100%" surface="dark" data-testid="screen-chart-overTime" />
            ) : null}
          </Panel>
          <Panel title={t('analytics.screen.heatMap')} className="map-panel">
            {mapGrids.length > 0 && o ? (
              <GridHeatMap grids={mapGrids} counts={gridCounts} surface="dark" height="100%" interactive={false} />
            ) : (
              <div className="screen-empty">{canSeeGrids ? '' : t('analytics.charts.noGridPermission')}</div>
            )}
          </Panel>
          <Panel title={`${t('analytics.screen.byCategory')} · ${monthsLabel}`}>
            {options.byCategory ? (
              <EChart option={options.byCategory} height="100%" surface="dark" data-testid="screen-chart-byCategory" />
            ) : (
              <div className="screen-empty">{o ? t('common.empty') : ''}</div>
            )}
          </Panel>
          <Panel title={`${t('analytics.charts.byChannel')} · ${monthsLabel}`}>
            {options.byChannel ? (
              <EChart option={options.byChannel} height="100%" surface="dark" data-testid="screen-chart-byChannel" />
            ) : (
              <div className="screen-empty">{o ? t('common.empty') : ''}</div>
            )}
          </Panel>
          <Panel
            title={
              data?.rankings
                ? `${t('analytics.screen.rankings')} · ${t(`analytics.rankings.levels.${data.rankings.level}`)}`
                : t('analytics.screen.rankings')
            }
          >
            {rows.length === 0 ? (
              <div className="screen-empty">{data ? t('common.empty') : ''}</div>
            ) : (
              <div className="screen-rankings" data-testid="screen-rankings">
                <div
                  className={`screen-rankings-track ${scrolling ? '' : 'still'}`}
                  style={{ '--scroll-duration': `${rows.length * 2.5}s` } as React.CSSProperties}
                >
                  {rows.map((r) => rankRow(r, 0))}
                  {scrolling ? rows.map((r) => rankRow(r, 1)) : null}
                </div>
              </div>
            )}
          </Panel>
        </div>
      </div>
    </ConfigProvider>
  );
}
