import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Card, Tabs, Typography } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { CaseFilter, CaseSummary } from '../../api/cases.ts';
import { BulkActions } from '../worklist/BulkActions.tsx';
import { CaseFilters } from '../worklist/CaseFilters.tsx';
import { CaseTable, DEFAULT_PAGE_SIZE, filterKey } from '../worklist/CaseTable.tsx';
import { filterFromSearch, filterToSearch } from '../worklist/filter-url.ts';
import { useCaseList } from '../worklist/use-case-list.ts';
import { FlagModal } from './FlagModal.tsx';
import { RowActions } from './RowActions.tsx';
import { SUPERVISION_TABS, type SupervisionTab, TAB_KEYS, type TabSpec, tabOf } from './tabs.ts';
import { useCaseAction } from './use-case-action.ts';
import { type TabCount, useTabCounts } from './use-tab-counts.ts';
import './supervision.css';

/** The user's own filters: what is in the address bar besides the tab and what the tab sets itself. */
function ownFilter(filter: CaseFilter, tab: TabSpec): CaseFilter {
  const own: Record<string, unknown> = { ...filter };
  for (const key of [...TAB_KEYS, ...Object.keys(tab.base)]) delete own[key];
  return own as CaseFilter;
}

/**
 * 督查督办: the exceptional cases of my scope, a tab each (overdue, red, returned twice, dissatisfied, supervised,
 * waiting for a supervisor's review or an extension decision) and task-force items by their manual colour;
 * chase and flag in one click, bulk chase and export.
 */
export default function SupervisionPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = tabOf(params.get('tab'));
  const own = useMemo(() => ownFilter(filterFromSearch(params), tab), [params, tab]);
  const filter: CaseFilter = useMemo(
    () => ({ ...own, ...tab.base, pageSize: own.pageSize ?? DEFAULT_PAGE_SIZE }),
    [own, tab],
  );
  const key = filterKey(filter);
  const { reloadKey, reload, selected, setSelected, labels, loaded, onLoaded } = useCaseList(key, { live: true });
  const [flagging, setFlagging] = useState<CaseSummary>();
  const counts = useTabCounts();

  const write = (next: CaseFilter, nextTab: TabSpec) => {
    const search = filterToSearch({
      ...ownFilter(next, nextTab),
      pageSize: next.pageSize === DEFAULT_PAGE_SIZE ? undefined : next.pageSize,
    });
    search.set('tab', nextTab.key);
    setParams(search);
  };
  const update = (next: CaseFilter) => write(next, tab);
  const chooseTab = (next: string) => {
    setSelected([]);
    write({ ...own, page: 1 }, tabOf(next));
  };

  const { refresh: refreshCounts } = counts;
  const refresh = useCallback(() => {
    refreshCounts();
    reload();
  }, [refreshCounts, reload]);
  const action = useCaseAction(refresh);

  const rowActions = (c: CaseSummary) => (
    <RowActions
      c={c}
      tab={tab}
      busy={(name) => action.isBusy(c, name)}
      onChase={() => void action.run(c, { action: 'chase' }, t('supervision.actions.chased', { number: c.number }))}
      onFlag={() => setFlagging(c)}
      onColour={(colour) =>
        void action.run(
          c,
          { action: 'setColour', colour },
          t('supervision.task.colourSet', { number: c.number, colour: t(`caseTerms.colour.${colour}`) }),
        )
      }
    />
  );

  const ready = counts.ready && loaded;

  return (
    <div
      className="page supervision-page"
      data-testid="supervision-page"
      data-tab={tab.key}
      data-ready={ready ? 'true' : 'false'}
    >
      <Card size="small">
        <div className="supervision-header">
          <div>
            <Typography.Title level={4} className="supervision-title">
              {t('supervision.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('supervision.subtitle')}</Typography.Text>
          </div>
          <Button icon={<ReloadOutlined />} onClick={refresh} data-testid="supervision-refresh">
            {t('common.refresh')}
          </Button>
        </div>
      </Card>
      <Card size="small">
        <Tabs
          activeKey={tab.key}
          onChange={chooseTab}
          items={SUPERVISION_TABS.map((spec) => ({
            key: spec.key,
            label: <TabLabel tab={spec.key} count={counts.byTab.get(spec.key)} />,
          }))}
          data-testid="supervision-tabs"
        />
        <div className="supervision-body">
          {tab.key === 'tasks' && <Alert type="info" showIcon title={t('supervision.task.cadence')} />}
          <CaseFilters value={filter} onChange={update} page="supervision" />
          <BulkActions
            ids={selected}
            filter={filter}
            labels={labels}
            onDone={() => {
              setSelected([]);
              refresh();
            }}
          />
          <CaseTable
            filter={filter}
            onFilterChange={update}
            reloadKey={reloadKey}
            onLoaded={onLoaded}
            selection={{ selected, onChange: setSelected }}
            rowActions={rowActions}
          />
        </div>
      </Card>
      <FlagModal
        target={flagging}
        onCancel={() => setFlagging(undefined)}
        onSubmit={(c, note) =>
          action.run(c, { action: 'supervise', note }, t('supervision.actions.flagged', { number: c.number }))
        }
      />
    </div>
  );
}

function TabLabel({ tab, count }: { tab: SupervisionTab; count: TabCount | undefined }) {
  const { t } = useTranslation();
  const name = tab === 'red' || tab === 'tasks' ? t(`supervision.tabs.${tab}`) : t(`caseTerms.worklist.${tab}`);
  return (
    <span className="supervision-tab" data-testid={`supervision-tab-${tab}`} data-count={count?.n ?? ''}>
      {name}
      <Badge
        count={count ? (count.capped ? `${count.n}+` : count.n) : 0}
        showZero={count !== undefined}
        overflowCount={99999}
        color={count?.n ? undefined : '#bfbfbf'}
      />
    </span>
  );
}
