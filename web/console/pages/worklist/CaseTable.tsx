import { Alert, Empty, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { type JSX, type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { type CaseFilter, type CasePage, type CaseSummary, listCases } from '../../api/cases.ts';
import { ColourTag, StateTag, TimeLeft, UrgencyTag } from '../../components/cases/CaseTags.tsx';
import { useErrorText } from '../../lib/errors.ts';
import { formatTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';

export const DEFAULT_PAGE_SIZE = 20;

export interface CaseTableProps {
  /** The server filter incl. worklist/page/pageSize. */
  filter: CaseFilter;
  /** Pagination changes (page, page size). */
  onFilterChange(next: CaseFilter): void;
  selection?: { selected: number[]; onChange(ids: number[]): void };
  /** Change it to reload. */
  reloadKey?: number;
  /** Extra cell at the row end. */
  rowActions?: (c: CaseSummary) => ReactNode;
  onLoaded?(page: CasePage): void;
  /** What the empty table says (defaults to "no case matches"). */
  emptyText?: string;
}

/** A stable key for the filter, so an equal filter object does not load again. */
export function filterKey(filter: CaseFilter): string {
  return JSON.stringify(Object.entries(filter).sort(([a], [b]) => a.localeCompare(b)));
}

/** The case list of the worklist, search and supervision pages: one page of GET /api/cases. */
export function CaseTable(props: CaseTableProps): JSX.Element {
  const { filter, onFilterChange, selection, reloadKey = 0, rowActions, onLoaded, emptyText } = props;
  const { t } = useTranslation();
  const errorText = useErrorText();
  const key = filterKey(filter);
  const cases = useLoad(() => listCases(filter), [key, reloadKey]);
  const page = filter.page ?? 1;
  const pageSize = filter.pageSize ?? DEFAULT_PAGE_SIZE;

  // biome-ignore lint/correctness/useExhaustiveDependencies: report each answer once, whoever the caller is
  useEffect(() => {
    if (cases.data && !cases.loading) onLoaded?.(cases.data);
  }, [cases.data, cases.loading]);

  const columns: ColumnsType<CaseSummary> = [
    {
      title: t('worklist.table.number'),
      dataIndex: 'number',
      width: 132,
      fixed: 'left',
      render: (number: string, c) => (
        <Link to={`/cases/${c.id}`} data-testid="case-number" data-case-id={c.id}>
          {number}
        </Link>
      ),
    },
    {
      title: t('worklist.table.title'),
      dataIndex: 'title',
      minWidth: 180,
      ellipsis: { showTitle: true },
      render: (title: string, c) => (
        <span>
          {c.supervised && (
            <Tag color="purple" className="case-supervised-tag">
              {t('caseTerms.supervised')}
            </Tag>
          )}
          {c.round > 1 && <Tag color="magenta">{t('caseTerms.round', { round: c.round })}</Tag>}
          {title}
        </span>
      ),
    },
    {
      title: t('worklist.table.category'),
      width: 104,
      ellipsis: true,
      render: (_, c) =>
        c.category ? (
          <span title={c.category.parentName ? `${c.category.parentName} / ${c.category.name}` : c.category.name}>
            {c.category.name}
          </span>
        ) : (
          <Typography.Text type="secondary">{t('worklist.table.unclassified')}</Typography.Text>
        ),
    },
    {
      title: t('worklist.table.colour'),
      width: 76,
      render: (_, c) => <ColourTag colour={c.colour} />,
    },
    {
      title: t('worklist.table.state'),
      width: 104,
      render: (_, c) => <StateTag state={c.state} />,
    },
    {
      title: t('worklist.table.urgency'),
      width: 80,
      render: (_, c) =>
        c.urgency === 'normal' ? (
          <Typography.Text type="secondary">{t('caseTerms.urgency.normal')}</Typography.Text>
        ) : (
          <UrgencyTag urgency={c.urgency} />
        ),
    },
    {
      title: t('worklist.table.timeLeft'),
      width: 124,
      render: (_, c) => <TimeLeft minutes={c.timeLeftMinutes} dueAt={c.dueAt} />,
    },
    {
      title: t('worklist.table.units'),
      width: 176,
      render: (_, c) => <CaseUnits c={c} />,
    },
    {
      title: t('worklist.table.created'),
      dataIndex: 'createdAt',
      width: 104,
      render: (at: string) => (
        <span title={formatTime(at)} className="case-created">
          {dayjs(at).year() === dayjs().year() ? dayjs(at).format('MM-DD HH:mm') : dayjs(at).format('YYYY-MM-DD')}
        </span>
      ),
    },
  ];
  if (rowActions) {
    columns.push({ title: t('worklist.table.actions'), width: 120, fixed: 'right', render: (_, c) => rowActions(c) });
  }

  const data = cases.data;
  return (
    <div className="case-table" data-testid="case-table" data-loading={cases.loading}>
      {cases.error ? <Alert type="error" showIcon title={errorText(cases.error)} className="case-table-error" /> : null}
      <Table<CaseSummary>
        rowKey="id"
        size="small"
        loading={cases.loading}
        dataSource={data?.items ?? []}
        columns={columns}
        scroll={{ x: 1100 }}
        onRow={(c) => ({ 'data-testid': 'case-row', 'data-case-id': c.id }) as React.HTMLAttributes<HTMLElement>}
        rowSelection={
          selection
            ? {
                selectedRowKeys: selection.selected,
                preserveSelectedRowKeys: true,
                onChange: (keys) => selection.onChange(keys.map(Number)),
              }
            : undefined
        }
        locale={{
          emptyText: (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText ?? t('worklist.table.empty')} />
          ),
        }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: () =>
            data?.totalIsCapped
              ? t('worklist.table.totalCapped', { n: (10_000).toLocaleString('en-US') })
              : t('worklist.table.total', { count: data?.total ?? 0 }),
          onChange: (p, s) => onFilterChange({ ...filter, page: s === pageSize ? p : 1, pageSize: s }),
        }}
      />
    </div>
  );
}

/** Where the case stands: its grid, the owning unit and the lead department. */
function CaseUnits({ c }: { c: CaseSummary }) {
  const { t } = useTranslation();
  const parts: Array<[string, string]> = [];
  if (c.grid) parts.push([t('worklist.table.grid'), c.grid.name]);
  if (!c.grid || c.owner.id !== c.grid.id) parts.push([t('worklist.table.owner'), c.owner.name]);
  if (c.lead) parts.push([t('worklist.table.lead'), c.lead.name]);
  return (
    <div className="case-units">
      {parts.map(([label, name]) => (
        <div key={label} className="case-unit-line" title={`${label}: ${name}`}>
          <Typography.Text type="secondary">{label}</Typography.Text> {name}
        </div>
      ))}
    </div>
  );
}
