import { Card, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { CaseFilter } from '../../api/cases.ts';
import { BulkActions } from './BulkActions.tsx';
import { CaseFilters } from './CaseFilters.tsx';
import { CaseTable, DEFAULT_PAGE_SIZE, filterKey } from './CaseTable.tsx';
import { filterFromSearch, filterToSearch } from './filter-url.ts';
import { useCaseList } from './use-case-list.ts';

/** 事项查询: every case in my scope, with the filters in the address bar, states and open/closed, and export. */
export default function CaseSearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filter: CaseFilter = useMemo(() => {
    const { worklist: _ignored, ...rest } = filterFromSearch(params);
    return { ...rest, pageSize: rest.pageSize ?? DEFAULT_PAGE_SIZE };
  }, [params]);
  const key = filterKey(filter);
  const { reloadKey, reload, selected, setSelected, labels, loaded, onLoaded } = useCaseList(key);

  const update = (next: CaseFilter) =>
    setParams(filterToSearch({ ...next, pageSize: next.pageSize === DEFAULT_PAGE_SIZE ? undefined : next.pageSize }));

  return (
    <div className="page case-search-page" data-testid="case-search-page" data-ready={loaded}>
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
                  reload();
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
