import type { Actor } from '../../access/actor.ts';
import { unitScope } from '../../access/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { UnitKind } from '../../db/schema.ts';
import { badRequest } from '../../http/errors.ts';
import type { CaseChannel } from '../cases/cases.tables.ts';
import {
  breakdownByCategoryAndChannel,
  caseTypeName,
  categoryNames,
  childUnitsOfKinds,
  currentCountsByPath,
  statsByDay,
  sumStatsByUnit,
  unitsOfKinds,
} from './metrics.repository.ts';
import type { Overview } from './metrics.schema.ts';
import { rangePeriod, reportUnit, today } from './metrics.service.ts';

/** The places a territory is split into on the "by unit" chart (departments hold no territory). */
const PLACE_KINDS: readonly UnitKind[] = ['street', 'town', 'community', 'village', 'grid'];

const addDays = (day: string, n: number) =>
  new Date(new Date(`${day}T00:00:00Z`).getTime() + n * 86_400_000).toISOString().slice(0, 10);
const lastOfMonth = (day: string) => {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

/** Sums `value` of the rows whose path lies under `prefix` (the unit itself included). */
function under<T extends { path: string }>(rows: T[], prefix: string, value: (row: T) => number): number {
  let total = 0;
  for (const row of rows) if (row.path.startsWith(prefix)) total += value(row);
  return total;
}

/**
 * The dashboards' overview of a territory: cases over time (per day: received, resolved, closed), by top-level
 * category and by channel (whole months: the breakdown is monthly), by child place (received, resolved, open
 * now), by grid (for the heat map), and the open, overdue, red and supervised cases now. Counts come from the
 * rollups written with every case event (case_stats_daily, case_stats_breakdown); only "now" reads cases — the
 * open ones, through the partial index on open cases.
 */
export async function overview(
  q: Queryable,
  actor: Actor,
  input: {
    unitId?: number | undefined;
    from?: string | undefined;
    to?: string | undefined;
    caseType?: string | undefined;
  },
  now: Date,
): Promise<Overview> {
  const unit = await reportUnit(q, actor, input.unitId);
  if (unit.kind === 'department') {
    throw badRequest('The overview covers a territory; departments are compared in the rankings', {
      field: 'unitId',
    });
  }
  if (input.caseType && !(await caseTypeName(q, input.caseType))) {
    throw badRequest('Unknown case type', { field: 'caseType' });
  }
  const caseType = input.caseType ?? null;
  const to = input.to ?? today(now);
  const period = rangePeriod(input.from ?? `${to.slice(0, 7)}-01`, to);
  const months = rangePeriod(`${period.from.slice(0, 7)}-01`, lastOfMonth(period.to));
  const scope = unitScope(actor, 'metrics.read');
  const filter = { dimension: 'territory' as const, from: period.from, to: period.to, caseType, unit };

  const [days, byPath, breakdown, open, children, grids] = await Promise.all([
    statsByDay(q, filter),
    sumStatsByUnit(q, filter),
    breakdownByCategoryAndChannel(q, {
      unit,
      fromMonth: months.from,
      toMonth: `${months.to.slice(0, 7)}-01`,
      caseType,
    }),
    currentCountsByPath(q, { actor, within: unit, caseType }, now),
    childUnitsOfKinds(q, unit, PLACE_KINDS, scope),
    unitsOfKinds(q, unit, ['grid'], scope),
  ]);

  // Over time: every day of the period, zeros included.
  const byDay = new Map(days.map((d) => [d.day, d]));
  const overTime: Overview['overTime'] = [];
  for (let day = period.from; day <= period.to; day = addDays(day, 1)) {
    const d = byDay.get(day);
    overTime.push({ day, received: d?.received ?? 0, resolved: d?.resolved ?? 0, closed: d?.closed ?? 0 });
  }
  const totals = overTime.reduce(
    (t, d) => ({ received: t.received + d.received, resolved: t.resolved + d.resolved, closed: t.closed + d.closed }),
    { received: 0, resolved: 0, closed: 0 },
  );

  // By category and channel.
  const categoryTotals = new Map<number, number>();
  const channelTotals = new Map<string, number>();
  for (const row of breakdown) {
    categoryTotals.set(row.categoryId, (categoryTotals.get(row.categoryId) ?? 0) + row.received);
    channelTotals.set(row.channel, (channelTotals.get(row.channel) ?? 0) + row.received);
  }
  const names = new Map(
    (
      await categoryNames(
        q,
        [...categoryTotals.keys()].filter((id) => id !== 0),
      )
    ).map((c) => [c.id, c]),
  );
  const byCategory = [...categoryTotals]
    .filter(([, received]) => received > 0)
    .map(([id, received]) => {
      const c = names.get(id);
      return { category: c ? { id: c.id, name: c.name, nameEn: c.name_en } : null, received };
    })
    .sort(
      (a, b) =>
        b.received - a.received || (a.category?.name ?? '\uffff').localeCompare(b.category?.name ?? '\uffff', 'zh-CN'),
    );
  const byChannel = [...channelTotals]
    .filter(([, received]) => received > 0)
    .map(([channel, received]) => ({ channel: channel as CaseChannel, received }))
    .sort((a, b) => b.received - a.received || a.channel.localeCompare(b.channel));

  // By child place, and what the unit holds itself (in none of them).
  const byUnit = children
    .map((c) => ({
      active: c.active,
      unit: { id: c.id, name: c.name, kind: c.kind },
      received: under(byPath, c.path, (r) => r.received),
      resolved: under(byPath, c.path, (r) => r.resolved),
      open: under(open, c.path, (r) => r.open),
    }))
    .filter((c) => c.active || c.received > 0 || c.resolved > 0 || c.open > 0)
    .map(({ active: _, ...c }) => c);
  const all = {
    received: under(byPath, unit.path, (r) => r.received),
    resolved: under(byPath, unit.path, (r) => r.resolved),
    open: under(open, unit.path, (r) => r.open),
  };
  const inChildren = byUnit.reduce(
    (t, r) => ({ received: t.received + r.received, resolved: t.resolved + r.resolved, open: t.open + r.open }),
    { received: 0, resolved: 0, open: 0 },
  );
  const direct = {
    received: all.received - inChildren.received,
    resolved: all.resolved - inChildren.resolved,
    open: all.open - inChildren.open,
  };

  // By grid: each grid's own rows (nothing below a grid holds cases).
  const receivedAt = new Map(byPath.map((r) => [r.path, r.received]));
  const openAt = new Map(open.map((r) => [r.path, r.open]));
  const byGrid = grids
    .map((g) => ({
      active: g.active,
      unit: { id: g.id, name: g.name },
      received: receivedAt.get(g.path) ?? 0,
      open: openAt.get(g.path) ?? 0,
    }))
    .filter((g) => g.active || g.received > 0 || g.open > 0)
    .map(({ active: _, ...g }) => g);

  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind },
    caseType,
    period,
    months,
    totals,
    overTime,
    byCategory,
    byChannel,
    byUnit,
    direct: direct.received || direct.resolved || direct.open ? direct : null,
    byGrid,
    now: {
      asOf: now.toISOString(),
      open: under(open, unit.path, (r) => r.open),
      overdue: under(open, unit.path, (r) => r.overdue),
      red: under(open, unit.path, (r) => r.red),
      supervised: under(open, unit.path, (r) => r.supervised),
    },
  };
}
