/**
 * The console's statistics API (三率, rankings, overview, bulletin, league table). Types come from the
 * server's Zod schemas by type-only imports, so a change to a response shape fails `tsc -p web` here.
 */
import type { z } from 'zod';
import type {
  bulletinResponse,
  leagueTableResponse,
  ledgerResponse,
  overviewResponse,
  RANKING_LEVELS,
  rankingRow,
  rankingsResponse,
  threeRatesResponse,
} from '../../../src/server/modules/metrics/metrics.schema.ts';
import { get, qs } from '../../shared/api.ts';

export type ThreeRates = z.infer<typeof threeRatesResponse>;
export type Rankings = z.infer<typeof rankingsResponse>;
export type RankingRow = z.infer<typeof rankingRow>;
export type RankingLevel = (typeof RANKING_LEVELS)[number];
export type Overview = z.infer<typeof overviewResponse>;
export type Bulletin = z.infer<typeof bulletinResponse>;
export type LeagueTable = z.infer<typeof leagueTableResponse>;
export type LeagueRow = LeagueTable['rows'][number];
export type Ledger = z.infer<typeof ledgerResponse>;

export const RANKING_LEVEL_ORDER: readonly RankingLevel[] = ['street', 'community', 'grid', 'department'];

/** A period as the reports take it: a named period around a day, or a range of days. */
export type PeriodQuery =
  | { period: 'week' | 'month' | 'year'; date?: string | undefined }
  | { from: string; to: string };

type Params = Record<string, string | number | undefined>;

export const threeRates = (params: { unitId?: number | undefined; caseType?: string | undefined } & PeriodQuery) =>
  get<ThreeRates>(`/api/metrics/three-rates${qs(params as Params)}`);

export const rankings = (
  params: {
    within?: number | undefined;
    level?: RankingLevel | undefined;
    caseType?: string | undefined;
    minVolume?: number | undefined;
  } & PeriodQuery,
) => get<Rankings>(`/api/metrics/rankings${qs(params as Params)}`);

export const overview = (params: {
  unitId?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
  caseType?: string | undefined;
}) => get<Overview>(`/api/metrics/overview${qs(params)}`);

export interface BulletinQuery {
  week?: string | undefined;
  within?: number | undefined;
  caseType?: string | undefined;
}
export const bulletin = (params: BulletinQuery) => get<Bulletin>(`/api/metrics/bulletin${qs({ ...params })}`);
export const bulletinXlsxUrl = (params: BulletinQuery) => `/api/metrics/bulletin.xlsx${qs({ ...params })}`;

export interface LeagueTableQuery {
  month?: string | undefined;
  within?: number | undefined;
  level?: RankingLevel | undefined;
  caseType?: string | undefined;
}
export const leagueTable = (params: LeagueTableQuery) =>
  get<LeagueTable>(`/api/metrics/league-table${qs({ ...params })}`);
export const leagueTableXlsxUrl = (params: LeagueTableQuery) => `/api/metrics/league-table.xlsx${qs({ ...params })}`;

export interface LedgerQuery {
  caseType?: string | undefined;
  within?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
}
export const ledger = (params: LedgerQuery) => get<Ledger>(`/api/metrics/ledger${qs({ ...params })}`);
export const ledgerXlsxUrl = (params: LedgerQuery) => `/api/metrics/ledger.xlsx${qs({ ...params })}`;
