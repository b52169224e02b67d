import { Alert, Divider, List, Space, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { listCases } from '../../api/cases.ts';
import { ColourTag, StateTag } from '../../components/cases/CaseTags.tsx';
import { useErrorText } from '../../lib/errors.ts';
import { useLoad } from '../../lib/use-load.ts';
import type { GridCaseLoad } from './api.ts';

const FIRST_ROWS = 5;

/**
 * Under the grid's card: its counts now, and its latest cases not yet closed (open, or resolved and waiting for
 * the visit — what the case list shows for the grid with "open"), with a link to all of them.
 */
export function GridOpenCases({ load, reloadKey }: { load: GridCaseLoad; reloadKey: string | undefined }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const gridId = load.gridId;
  const cases = useLoad(
    () => listCases({ gridId, open: 'true', pageSize: FIRST_ROWS }).then((page) => ({ gridId, page })),
    [gridId, reloadKey],
  );
  // While another grid's cases load, the previous grid's are not shown under this card.
  const page = cases.data?.gridId === gridId ? cases.data.page : undefined;
  const all = `/cases?gridId=${load.gridId}&open=true`;
  const counts: Array<[string, number, string | undefined]> = [
    [t('caseMap.counts.open'), load.open, 'blue'],
    [t('caseTerms.colour.red'), load.red, 'red'],
    [t('caseTerms.colour.orange'), load.orange, 'orange'],
    [t('caseTerms.colour.green'), load.green, 'green'],
    [t('caseMap.counts.supervised'), load.supervised, 'purple'],
    [t('caseMap.counts.overdue'), load.overdue, 'volcano'],
    [t('caseMap.counts.awaitingVisit'), load.awaitingVisit, undefined],
  ];
  const items = page?.items ?? [];

  return (
    <div className="grid-open-cases" data-testid="grid-open-cases" data-grid-id={load.gridId}>
      <Divider className="grid-open-cases-divider" titlePlacement="start" plain>
        {t('caseMap.openCases.title')}
      </Divider>
      <Space size={[4, 4]} wrap>
        {counts.map(([label, n, colour]) => (
          <Tag key={label} color={n > 0 ? colour : undefined} data-testid="grid-count">
            {label} {n}
          </Tag>
        ))}
      </Space>
      {cases.error ? <Alert type="error" showIcon title={errorText(cases.error)} /> : null}
      {cases.loading && !page ? (
        <Spin size="small" />
      ) : items.length === 0 ? (
        <Typography.Text type="secondary">{t('caseMap.openCases.empty')}</Typography.Text>
      ) : (
        <List
          size="small"
          header={<Typography.Text type="secondary">{t('caseMap.openCases.latest')}</Typography.Text>}
          dataSource={items}
          rowKey="id"
          renderItem={(c) => (
            <List.Item data-testid="grid-case">
              <Space orientation="vertical" size={0} style={{ minWidth: 0 }}>
                <Link to={`/cases/${c.id}`}>{c.number}</Link>
                <Typography.Text ellipsis={{ tooltip: c.title }} style={{ maxWidth: 280 }}>
                  {c.title}
                </Typography.Text>
                <Space size={0}>
                  <ColourTag colour={c.colour} />
                  <StateTag state={c.state} />
                </Space>
              </Space>
            </List.Item>
          )}
        />
      )}
      <Link to={all} data-testid="grid-cases-all">
        {t('caseMap.openCases.all')}
        {page ? ` (${page.total}${page.totalIsCapped ? '+' : ''})` : ''}
      </Link>
    </div>
  );
}
