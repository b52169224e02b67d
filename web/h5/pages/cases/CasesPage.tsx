import './cases.css';
import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { myCases, type ResidentCaseSummary } from '../../api/cases.ts';
import { RefreshableListView } from '../../components/RefreshableListView.tsx';
import { useRefreshableList } from '../../components/useRefreshableList.ts';
import { caseErrorText, formatWhen } from './format.ts';
import { useLiveRefresh } from './live.ts';
import { StageTag } from './parts.tsx';

/** 我的事项: the cases I reported and those I joined with "me too", newest activity first; pull to refresh. */
export default function CasesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useRefreshableList(myCases);
  // A case resolved, reopened or closed while the list is open moves and changes its stage.
  useLiveRefresh('case.', () => void list.reload());

  return (
    <div className="h5-page h5-cases">
      <header className="h5-page-head">
        <h1>{t('cases.title')}</h1>
        <Button size="small" color="primary" onClick={() => navigate('/report')}>
          {t('cases.home.report')}
        </Button>
      </header>
      <RefreshableListView
        list={list}
        className="h5-case-list"
        errorText={(error) => caseErrorText(t, error)}
        row={(item) => <CaseRow item={item} />}
        texts={{
          loadFailed: t('cases.loadFailed'),
          retry: t('cases.retry'),
          pullToRefresh: t('cases.list.pullToRefresh'),
          release: t('cases.list.release'),
          refreshing: t('cases.list.refreshing'),
          refreshed: t('cases.list.refreshed'),
          empty: t('cases.list.empty'),
          noMore: t('cases.list.noMore'),
        }}
      />
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
