import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Card, Empty, Space, Spin, Tabs, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { CaseFilter, Worklist } from '../../api/cases.ts';
import { useErrorText } from '../../lib/errors.ts';
import { useLiveState } from '../../lib/live.tsx';
import { useSignedIn } from '../../lib/session.tsx';
import { BulkActions } from './BulkActions.tsx';
import { CaseFilters } from './CaseFilters.tsx';
import { CaseTable, DEFAULT_PAGE_SIZE, filterKey } from './CaseTable.tsx';
import { filterFromSearch, filterToSearch, hasConditions } from './filter-url.ts';
import { useCaseList } from './use-case-list.ts';
import { defaultWorklist, visibleWorklists, worklistsIWork } from './worklists.ts';

/**
 * 我的待办: a tab per worklist with its count, filters kept in the address bar, the cases of the chosen list
 * (earliest deadline first where that matters), bulk chase and export, and live reloads when cases arrive.
 */
export default function WorklistPage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const { counts, countsError, refreshCounts, connected } = useLiveState();
  const errorText = useErrorText();
  const [params, setParams] = useSearchParams();
  const urlFilter = useMemo(() => filterFromSearch(params), [params]);
  const [fallback, setFallback] = useState<Worklist>();

  const mine = useMemo(() => worklistsIWork(session, session.can), [session]);
  const tabs = visibleWorklists(mine, counts, urlFilter.worklist);
  // The default tab is chosen once, when the counts first arrive, so a live update never switches it.
  useEffect(() => {
    if (counts && !fallback) setFallback(defaultWorklist(visibleWorklists(mine, counts, undefined), counts));
  }, [counts, fallback, mine]);
  const worklist = urlFilter.worklist ?? fallback;
  const filter: CaseFilter = useMemo(
    () => ({ ...urlFilter, worklist, pageSize: urlFilter.pageSize ?? DEFAULT_PAGE_SIZE }),
    [urlFilter, worklist],
  );
  const key = filterKey(filter);
  const { reloadKey, reload, selected, setSelected, labels, loaded, onLoaded } = useCaseList(key, { live: true });

  const update = (next: CaseFilter) => {
    const search = filterToSearch({
      ...next,
      pageSize: next.pageSize === DEFAULT_PAGE_SIZE ? undefined : next.pageSize,
    });
    setParams(search);
  };
  const chooseTab = (w: string) => {
    setSelected([]);
    update({ ...urlFilter, worklist: w as Worklist, page: 1 });
  };

  const refresh = () => {
    refreshCounts();
    reload();
  };

  const ready = counts !== undefined && (worklist === undefined || loaded);

  return (
    <div className="page worklist-page" data-testid="worklist-page" data-ready={ready ? 'true' : 'false'}>
      <Card size="small">
        <div className="toolbar">
          <div>
            <Typography.Title level={4} className="page-title">
              {t('worklist.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('worklist.subtitle')}</Typography.Text>
          </div>
          <Space>
            <Tooltip title={connected ? t('worklist.live.connected') : t('worklist.live.reconnecting')}>
              <Badge status={connected ? 'success' : 'default'} data-testid="live-status" data-connected={connected} />
            </Tooltip>
            <Button icon={<ReloadOutlined />} onClick={refresh} data-testid="worklist-refresh">
              {t('common.refresh')}
            </Button>
          </Space>
        </div>
      </Card>
      <Card size="small" className="worklist-card">
        {countsError && counts === undefined ? (
          <Alert
            type="error"
            showIcon
            title={errorText(countsError)}
            action={
              <Button size="small" onClick={refreshCounts}>
                {t('common.retry')}
              </Button>
            }
          />
        ) : null}
        {counts === undefined && !urlFilter.worklist ? (
          countsError ? null : (
            <div className="page-loading">
              <Spin />
            </div>
          )
        ) : tabs.length === 0 || worklist === undefined ? (
          <Empty description={t('worklist.noWorklists')} />
        ) : (
          <>
            <Tabs
              activeKey={worklist}
              onChange={chooseTab}
              items={tabs.map((w) => ({
                key: w,
                label: <TabLabel worklist={w} count={counts?.[w]} />,
              }))}
              data-testid="worklist-tabs"
            />
            <div className="worklist-body">
              <CaseFilters
                value={filter}
                onChange={update}
                page="worklist"
                extra={
                  <BulkActions
                    ids={selected}
                    filter={filter}
                    labels={labels}
                    onDone={() => {
                      setSelected([]);
                      refresh();
                    }}
                  />
                }
              />

              <CaseTable
                filter={filter}
                onFilterChange={update}
                reloadKey={reloadKey}
                onLoaded={onLoaded}
                selection={{ selected, onChange: setSelected }}
                emptyText={hasConditions(filter) ? t('worklist.table.empty') : t('worklist.table.emptyWorklist')}
              />
            </div>
          </>
        )}
      </Card>
    </div>
  );
}

function TabLabel({ worklist, count }: { worklist: Worklist; count: number | undefined }) {
  const { t } = useTranslation();
  return (
    <span className="worklist-tab" data-testid={`worklist-tab-${worklist}`} data-count={count ?? ''}>
      {t(`caseTerms.worklist.${worklist}`)}
      <Badge
        count={count ?? 0}
        showZero
        overflowCount={1000} /* the server counts to 1,001 (COUNT_CAP + 1): more shows as 1000+ */
        color={count ? undefined : '#bfbfbf'}
        className="worklist-tab-count"
      />
    </span>
  );
}
