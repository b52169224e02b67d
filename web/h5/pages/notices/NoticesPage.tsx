import './notices.css';
import { Button, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { listMyNotices, type NoticeSummary, readAllNotices, useUnreadNotices } from '../../api/notices.ts';
import { RefreshableListView } from '../../components/RefreshableListView.tsx';
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
  const list = useRefreshableList((page, pageSize) => listMyNotices({ page, pageSize }));
  const [busy, setBusy] = useState(false);
  const hasHome = state.status === 'signedIn' && (state.me?.home.length ?? 0) > 0;

  // An urgent notice pushed while the list is open joins it at once.
  useLiveEvents('notice.', () => void list.reload());

  async function readAll() {
    setBusy(true);
    try {
      await readAllNotices();
      list.setItems((shown) => shown?.map((n) => ({ ...n, read: true })) ?? null);
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
      <RefreshableListView
        list={list}
        className="h5-notice-list"
        errorText={(error) => describeError(t, error)}
        row={(item) => <NoticeRow item={item} />}
        texts={{
          loadFailed: t('notices.loadFailed'),
          retry: t('notices.retry'),
          pullToRefresh: t('notices.pullToRefresh'),
          release: t('notices.release'),
          refreshing: t('notices.refreshing'),
          refreshed: t('notices.refreshed'),
          empty: hasHome ? t('notices.empty') : t('notices.noHome'),
          noMore: t('notices.noMore'),
        }}
      />
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
