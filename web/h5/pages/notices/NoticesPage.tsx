import './notices.css';
import { Button, ErrorBlock, InfiniteScroll, PullToRefresh, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { listMyNotices, type NoticeSummary, readAllNotices, useUnreadNotices } from '../../api/notices.ts';
import { Loading } from '../../components/Loading.tsx';
import { useRefreshableList } from '../../components/useRefreshableList.ts';
import { describeError } from '../../errors.ts';
import { useLiveEvents } from '../../live.tsx';
import { useSession } from '../../session.tsx';
import { publishedWhen } from './format.ts';

/** 信息通知: the notices of my district, street, community and grid — unread ones marked, urgent ones tagged. */
export default function NoticesPage() {
  const { t } = useTranslation();
  const { state } = useSession();
  const unread = useUnreadNotices();
  const { items, setItems, error, hasMore, reload, loadMore } = useRefreshableList((page, pageSize) =>
    listMyNotices({ page, pageSize }),
  );
  const [busy, setBusy] = useState(false);
  const hasHome = state.status === 'signedIn' && (state.me?.home.length ?? 0) > 0;

  // An urgent notice pushed while the list is open joins it at once.
  useLiveEvents('notice.', () => void reload());

  async function readAll() {
    setBusy(true);
    try {
      await readAllNotices();
      setItems((shown) => shown?.map((n) => ({ ...n, read: true })) ?? null);
      Toast.show({ icon: 'success', content: t('notices.readAllDone') });
    } catch (e) {
      Toast.show({ icon: 'fail', content: describeError(t, e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="h5-page h5-notices">
      <header className="h5-page-head h5-notices-head">
        <h1>{t('notices.title')}</h1>
        <Button size="small" fill="outline" color="primary" loading={busy} disabled={unread === 0} onClick={readAll}>
          {t('notices.readAll')}
        </Button>
      </header>
      {items === null && !error ? <Loading /> : null}
      {items === null && error ? (
        <ErrorBlock status="disconnected" title={t('notices.loadFailed')} description={describeError(t, error)}>
          <Button color="primary" onClick={() => void reload()}>
            {t('notices.retry')}
          </Button>
        </ErrorBlock>
      ) : null}
      {items !== null ? (
        <PullToRefresh
          onRefresh={reload}
          pullingText={t('notices.pullToRefresh')}
          canReleaseText={t('notices.release')}
          refreshingText={t('notices.refreshing')}
          completeText={t('notices.refreshed')}
        >
          {items.length === 0 ? (
            <p className="h5-empty">{hasHome ? t('notices.empty') : t('notices.noHome')}</p>
          ) : (
            <ul className="h5-notice-list">
              {items.map((item) => (
                <li key={item.id}>
                  <NoticeRow item={item} />
                </li>
              ))}
            </ul>
          )}
          {items.length > 0 ? (
            <InfiniteScroll loadMore={loadMore} hasMore={hasMore}>
              {hasMore ? t('app.loading') : t('notices.noMore')}
            </InfiniteScroll>
          ) : null}
        </PullToRefresh>
      ) : null}
    </div>
  );
}

function NoticeRow({ item }: { item: NoticeSummary }) {
  const { t } = useTranslation();
  return (
    <Link
      to={`/notices/${item.id}`}
      className={`h5-notice-row ${item.read ? 'is-read' : 'is-unread'}`}
      data-notice-id={item.id}
      data-read={item.read}
    >
      {item.read ? null : <span className="h5-notice-dot" role="img" aria-label={t('notices.unread')} />}
      <span className="h5-notice-title">
        {item.urgent ? <span className="h5-notice-tag is-urgent">{t('notices.urgent')}</span> : null}
        {item.pinned ? <span className="h5-notice-tag is-pinned">{t('notices.pinned')}</span> : null}
        {item.title}
      </span>
      {item.summary ? <span className="h5-notice-summary">{item.summary}</span> : null}
      <span className="h5-notice-meta">
        <span>{t('notices.from', { unit: item.publisher.name })}</span>
        <time dateTime={item.publishedAt}>{publishedWhen(t, item.publishedAt)}</time>
      </span>
    </Link>
  );
}
