import { ArrowDownOutlined, ArrowUpOutlined, MinusOutlined } from '@ant-design/icons';
import { Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LeagueRow, RankingRow } from '../../api/metrics.ts';
import { percent, points } from './format.ts';

/** Places moved since last month: up (better) in green, down in red, with the words for screen readers. */
export function RankChange({ row }: { row: LeagueRow }) {
  const { t } = useTranslation();
  if (row.rankChange === null) {
    return row.rank !== null && row.previous?.rank == null ? (
      <Tag data-change="new">{t('analytics.rankings.newEntry')}</Tag>
    ) : (
      <span className="muted">—</span>
    );
  }
  if (row.rankChange === 0) {
    return (
      <span className="rank-change same" data-change="0" title={t('analytics.rankings.same')}>
        <MinusOutlined aria-label={t('analytics.rankings.same')} />
      </span>
    );
  }
  const up = row.rankChange > 0;
  const label = t(up ? 'analytics.rankings.up' : 'analytics.rankings.down', { n: Math.abs(row.rankChange) });
  return (
    <span className={`rank-change ${up ? 'up' : 'down'}`} data-change={row.rankChange} title={label}>
      {up ? <ArrowUpOutlined aria-label={label} /> : <ArrowDownOutlined aria-label={label} />}{' '}
      {Math.abs(row.rankChange)}
    </span>
  );
}

interface Props<R extends RankingRow> {
  rows: R[];
  belowMinimum: R[];
  minVolume: number;
  loading?: boolean;
  /** Month-on-month columns (the league table). */
  withChange?: boolean;
  'data-testid'?: string;
}

/** A ranking: rank, unit, volume, the three rates and the score; units below the minimum volume listed apart. */
export function RankingsTable<R extends RankingRow>({
  rows,
  belowMinimum,
  minVolume,
  loading = false,
  withChange = false,
  ...rest
}: Props<R>) {
  const { t } = useTranslation();
  const rate = (key: 'responseRate' | 'resolutionRate' | 'satisfactionRate') => ({
    title: t(`analytics.rates.${key}`),
    key,
    align: 'right' as const,
    width: 76,
    render: (_: unknown, r: R) => percent(r.rates[key]),
  });
  const columns: TableColumnsType<R> = [
    {
      title: t('analytics.rankings.rank'),
      key: 'rank',
      width: 56,
      align: 'center',
      render: (_, r) =>
        r.rank === null ? (
          <span className="muted">{t('analytics.rankings.noRank')}</span>
        ) : (
          <span className={`rank-badge rank-${Math.min(r.rank, 4)}`}>{r.rank}</span>
        ),
    },
    {
      title: t('analytics.rankings.unit'),
      key: 'unit',
      ellipsis: true,
      render: (_, r) => <span data-unit-id={r.unit.id}>{r.unit.name}</span>,
    },
    {
      title: t('analytics.rankings.volume'),
      key: 'volume',
      width: 60,
      align: 'right',
      render: (_, r) => r.volume,
    },
    rate('responseRate'),
    rate('resolutionRate'),
    rate('satisfactionRate'),
    {
      title: t('analytics.rankings.score'),
      key: 'score',
      width: 80,
      align: 'right',
      render: (_, r) => <Typography.Text strong>{percent(r.score)}</Typography.Text>,
    },
  ];
  if (withChange) {
    columns.push(
      {
        title: t('analytics.rankings.previousRank'),
        key: 'previous',
        width: 80,
        align: 'center',
        render: (_, r) => (r as unknown as LeagueRow).previous?.rank ?? '—',
      },
      {
        title: t('analytics.rankings.change'),
        key: 'change',
        width: 96,
        align: 'center',
        render: (_, r) => {
          const row = r as unknown as LeagueRow;
          return (
            <Tooltip title={row.scoreChange === null ? undefined : `${points(row.scoreChange)} pp`}>
              <span>
                <RankChange row={row} />
              </span>
            </Tooltip>
          );
        },
      },
    );
  }
  return (
    <div {...rest}>
      <Table<R>
        rowKey={(r) => r.unit.id}
        size="small"
        loading={loading}
        pagination={false}
        dataSource={rows}
        columns={columns}
        scroll={{ x: withChange ? 780 : 600 }}
        locale={{ emptyText: t('common.empty') }}
      />
      {belowMinimum.length > 0 ? (
        <div className="below-minimum" data-testid="below-minimum">
          <Typography.Text type="secondary">
            {t('analytics.rankings.belowMinimum', { min: minVolume, count: belowMinimum.length })}
          </Typography.Text>
          <div className="below-minimum-list">
            {belowMinimum.map((r) => (
              <Tag key={r.unit.id} data-unit-id={r.unit.id}>
                {r.unit.name} · {r.volume}
              </Tag>
            ))}
          </div>
        </div>
      ) : null}
    </div>
  );
}
