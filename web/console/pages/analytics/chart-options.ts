import type { TFunction } from 'i18next';
import type { Overview } from '../../api/metrics.ts';
import { CHART_SURFACES, type ChartOption, type ChartSurface } from '../../components/charts/EChart.tsx';

/** The console red for what comes in, blue for what is resolved, green for what is archived. */
const RECEIVED = '#c8102e';
const RESOLVED = '#1677ff';
const CLOSED = '#389e0d';
const OPEN = '#fa8c16';
/** Room for a category or unit name on a horizontal bar chart (longer names end in an ellipsis). */
const LABEL_WIDTH = 112;

function axes(surface: ChartSurface) {
  const c = CHART_SURFACES[surface];
  return {
    axisLine: { lineStyle: { color: c.axis } },
    axisLabel: { color: c.text },
    splitLine: { lineStyle: { color: c.split } },
  };
}

function tooltip(surface: ChartSurface) {
  const c = CHART_SURFACES[surface];
  return {
    backgroundColor: c.tooltip,
    borderColor: c.axis,
    textStyle: { color: surface === 'dark' ? '#fff' : 'rgba(0, 0, 0, 0.85)' },
  };
}

const legend = (surface: ChartSurface) => ({ top: 0, textStyle: { color: CHART_SURFACES[surface].text } });

/** Longer periods are drawn per month: a year of days is too dense to read. */
const DAYS_PER_POINT_LIMIT = 92;

/** The days summed per month ('YYYY-MM'). */
function byMonth(days: Overview['overTime']): Overview['overTime'] {
  const months = new Map<string, Overview['overTime'][number]>();
  for (const d of days) {
    const key = d.day.slice(0, 7);
    const m = months.get(key) ?? { day: key, received: 0, resolved: 0, closed: 0 };
    m.received += d.received;
    m.resolved += d.resolved;
    m.closed += d.closed;
    months.set(key, m);
  }
  return [...months.values()];
}

/** Received, resolved and closed per day (per month over more than three months). */
export function overTimeOption(days: Overview['overTime'], t: TFunction, surface: ChartSurface = 'light'): ChartOption {
  const a = axes(surface);
  const monthly = days.length > DAYS_PER_POINT_LIMIT;
  const points = monthly ? byMonth(days) : days;
  const symbols = points.length <= 31;
  return {
    tooltip: { trigger: 'axis', ...tooltip(surface) },
    legend: legend(surface),
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      boundaryGap: monthly,
      data: points.map((d) => (monthly ? d.day : d.day.slice(5))),
      axisLine: a.axisLine,
      axisLabel: a.axisLabel,
    },
    yAxis: { type: 'value', minInterval: 1, ...a },
    series: [
      {
        name: t('analytics.figures.received'),
        type: 'line',
        data: points.map((d) => d.received),
        color: RECEIVED,
        showSymbol: symbols,
        areaStyle: { opacity: 0.08 },
      },
      {
        name: t('analytics.figures.resolved'),
        type: 'line',
        data: points.map((d) => d.resolved),
        color: RESOLVED,
        showSymbol: symbols,
      },
      {
        name: t('analytics.figures.closed'),
        type: 'line',
        data: points.map((d) => d.closed),
        color: CLOSED,
        showSymbol: false,
        lineStyle: { type: 'dashed' },
      },
    ],
  };
}

/** The top categories, largest at the top (horizontal bars read well with Chinese names). */
export function categoryOption(
  rows: Overview['byCategory'],
  t: TFunction,
  english: boolean,
  surface: ChartSurface = 'light',
  top = 12,
): ChartOption {
  const a = axes(surface);
  const shown = rows.slice(0, top).reverse();
  const name = (r: Overview['byCategory'][number]) =>
    r.category ? (english ? r.category.nameEn : r.category.name) : t('analytics.charts.unclassified');
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, ...tooltip(surface) },
    grid: { left: LABEL_WIDTH + 16, right: 40, top: 8, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1, ...a },
    yAxis: {
      type: 'category',
      data: shown.map(name),
      axisLine: a.axisLine,
      axisLabel: { ...a.axisLabel, width: LABEL_WIDTH, overflow: 'truncate' },
    },
    series: [
      {
        name: t('analytics.figures.received'),
        type: 'bar',
        data: shown.map((r) => r.received),
        color: RECEIVED,
        barMaxWidth: 18,
        label: { show: true, position: 'right', color: CHART_SURFACES[surface].text },
      },
    ],
  };
}

/** Channels as a ring. */
export function channelOption(rows: Overview['byChannel'], t: TFunction, surface: ChartSurface = 'light'): ChartOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)', ...tooltip(surface) },
    legend: { ...legend(surface), top: 'auto', bottom: 0, type: 'plain' },
    series: [
      {
        name: t('analytics.charts.byChannel'),
        type: 'pie',
        radius: ['40%', '64%'],
        center: ['50%', '44%'],
        avoidLabelOverlap: true,
        itemStyle: { borderColor: surface === 'dark' ? '#0b1733' : '#fff', borderWidth: 2 },
        // Labels give the share; the legend and the tooltip name the channels. Small slices carry no label.
        minShowLabelAngle: 12,
        // Labels sit at the chart's edges, so they never leave a narrow card.
        label: { color: CHART_SURFACES[surface].text, formatter: '{d}%', alignTo: 'edge', edgeDistance: 6 },
        labelLine: { length: 10, length2: 0 },
        data: rows.map((r) => ({ name: t(`caseTerms.channel.${r.channel}`), value: r.received })),
      },
    ],
  };
}

/** Each child unit's received and resolved in the period and open now (and what the unit holds itself). */
export function unitOption(o: Overview, t: TFunction, surface: ChartSurface = 'light'): ChartOption {
  const a = axes(surface);
  const rows = [
    ...o.byUnit.map((u) => ({ name: u.unit.name, received: u.received, resolved: u.resolved, open: u.open })),
    ...(o.direct ? [{ name: t('analytics.charts.direct'), ...o.direct }] : []),
  ]
    .sort((x, y) => x.received - y.received || x.open - y.open)
    .slice(-20);
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, ...tooltip(surface) },
    legend: legend(surface),
    grid: { left: LABEL_WIDTH + 16, right: 24, top: 32, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1, ...a },
    yAxis: {
      type: 'category',
      data: rows.map((r) => r.name),
      axisLine: a.axisLine,
      axisLabel: { ...a.axisLabel, width: LABEL_WIDTH, overflow: 'truncate' },
    },
    series: [
      { name: t('analytics.figures.received'), type: 'bar', data: rows.map((r) => r.received), color: RECEIVED },
      { name: t('analytics.figures.resolved'), type: 'bar', data: rows.map((r) => r.resolved), color: RESOLVED },
      { name: t('analytics.figures.open'), type: 'bar', data: rows.map((r) => r.open), color: OPEN },
    ],
  };
}

/** Height for a horizontal bar chart of n rows. */
export const barHeight = (n: number, min = 260, perRow = 26) => Math.max(min, 56 + n * perRow);
