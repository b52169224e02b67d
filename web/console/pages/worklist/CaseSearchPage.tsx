import { Card, Typography } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { CaseFilter, CasePage } from '../../api/cases.ts';
import { BulkActions } from './BulkActions.tsx';
import { CaseFilters } from './CaseFilters.tsx';
import { CaseTable, DEFAULT_PAGE_SIZE, filterKey } from './CaseTable.tsx';
import { filterFromSearch, filterToSearch } from './filter-url.ts';

/** 事项查询: every case in my scope, with the filters in the address bar, states and open/closed, and export. */
export default function CaseSearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filter: CaseFilter = useMemo(() => {
    const { worklist: _ignored, ...rest } = filterFromSearch(params);
    return { ...rest, pageSize: rest.pageSize ?? DEFAULT_PAGE_SIZE };
  }, [params]);
  const key = filterKey(filter);
  const [selected, setSelected] = useState<number[]>([]);
  const [labels, setLabels] = useState<Record<number, string>>({});
  const [loadedKey, setLoadedKey] = useState<string>();
  const [reloadKey, setReloadKey] = useState(0);

  const update = (next: CaseFilter) =>
    setParams(filterToSearch({ ...next, pageSize: next.pageSize === DEFAULT_PAGE_SIZE ? undefined : next.pageSize }));
  const onLoaded = useCallback(
    (page: CasePage) => {
      setLoadedKey(key);
      setLabels((known) => {
        const next = { ...known };
        for (const c of page.items) next[c.id] = c.number;
        return next;
      });
    },
    [key],
  );

  return (
    <div className="page case-search-page" data-testid="case-search-page" data-ready={loadedKey === key}>
      <Card size="small">
        <Typography.Title level={4} className="page-title">
          {t('worklist.searchTitle')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('worklist.searchSubtitle')}</Typography.Text>
      </Card>
      <Card size="small">
        <div className="worklist-body">
          <CaseFilters
            value={filter}
            onChange={update}
            page="cases"
            extra={
              <BulkActions
                ids={selected}
                filter={filter}
                labels={labels}
                onDone={() => {
                  setSelected([]);
                  setReloadKey((k) => k + 1);
                }}
              />
            }
          />

          <CaseTable
            filter={filter}
            onFilterChange={update}
            onLoaded={onLoaded}
            reloadKey={reloadKey}
            selection={{ selected, onChange: setSelected }}
          />
        </div>
      </Card>
    </div>
  );
}
