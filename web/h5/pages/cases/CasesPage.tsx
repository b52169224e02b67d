import './cases.css';
import { Button, ErrorBlock, InfiniteScroll, PullToRefresh } from 'antd-mobile';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { myCases, type ResidentCaseSummary } from '../../api/cases.ts';
import { Loading } from '../../components/Loading.tsx';
import { caseErrorText, formatWhen } from './format.ts';
import { useLiveRefresh } from './live.ts';
import { StageTag } from './parts.tsx';

const PAGE_SIZE = 20;

/** 我的事项: the cases I reported and those I joined with "me too", newest activity first; pull to refresh. */
export default function CasesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [items, setItems] = useState<ResidentCaseSummary[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const page = useRef(0);

  const reload = useCallback(async () => {
    try {
      const first = await myCases(1, PAGE_SIZE);
      page.current = 1;
      setItems(first.items);
      setTotal(first.total);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);
  // A case resolved, reopened or closed while the list is open moves and changes its stage.
  useLiveRefresh('case.', () => void reload());

  async function loadMore() {
    const next = await myCases(page.current + 1, PAGE_SIZE);
    page.current += 1;
    setTotal(next.total);
    // A case that moved up between two pages is shown once.
    setItems((shown) => {
      const seen = new Set((shown ?? []).map((c) => c.id));
      return [...(shown ?? []), ...next.items.filter((c) => !seen.has(c.id))];
    });
  }

  const hasMore = items !== null && items.length < total && page.current * PAGE_SIZE < total;

  return (
    <div className="h5-page h5-cases">
      <header className="h5-page-head">
        <h1>{t('cases.title')}</h1>
        <Button size="small" color="primary" onClick={() => navigate('/report')}>
          {t('cases.home.report')}
        </Button>
      </header>
      {items === null && !error ? <Loading /> : null}
      {items === null && error ? (
        <ErrorBlock status="disconnected" title={t('cases.loadFailed')} description={caseErrorText(t, error)}>
          <Button color="primary" onClick={() => void reload()}>
            {t('cases.retry')}
          </Button>
        </ErrorBlock>
      ) : null}
      {items !== null ? (
        <PullToRefresh
          onRefresh={reload}
          pullingText={t('cases.list.pullToRefresh')}
          canReleaseText={t('cases.list.release')}
          refreshingText={t('cases.list.refreshing')}
          completeText={t('cases.list.refreshed')}
        >
          {items.length === 0 ? (
            <p className="h5-empty">{t('cases.list.empty')}</p>
          ) : (
            <ul className="h5-case-list">
              {items.map((item) => (
                <li key={item.id}>
                  <CaseRow item={item} />
                </li>
              ))}
            </ul>
          )}
          {items.length > 0 ? (
            <InfiniteScroll loadMore={loadMore} hasMore={hasMore}>
              {hasMore ? t('app.loading') : t('cases.list.noMore')}
            </InfiniteScroll>
          ) : null}
        </PullToRefresh>
      ) : null}
    </div>
  );
}

function CaseRow({ item }: { item: ResidentCaseSummary }) {
  const { t } = useTranslation();
  return (
    <Link to={`/cases/${item.id}`} className="h5-case-row" data-case-number={item.number}>
      <span className="h5-case-row-top">
        <span className="h5-case-title">{item.title}</span>
        {item.needsRating ? <span className="h5-to-rate">{t('cases.list.toRate')} ›</span> : null}
      </span>
      <span className="h5-case-row-meta">
        <StageTag stage={item.stage} />
        {item.relation === 'supporter' ? <span className="h5-relation">{t('cases.list.supporter')}</span> : null}
        {item.category ? <span>{item.category.name}</span> : null}
      </span>
      <span className="h5-case-row-time">
        {item.promisedBy && (item.stage === 'received' || item.stage === 'handling')
          ? t('cases.time.promised', { when: formatWhen(t, item.promisedBy) })
          : t('cases.time.reported', { when: formatWhen(t, item.reportedAt) })}
        <span className="h5-case-number">{item.number}</span>
      </span>
    </Link>
  );
}
