import { Button, ErrorBlock } from 'antd-mobile';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResidentActivity } from '../../api/activities.ts';
import { Loading } from '../../components/Loading.tsx';
import { ActivityCard } from './ActivityCard.tsx';
import { describeActivityError } from './present.ts';
import type { Paged } from './usePaged.ts';

interface ActivityListProps {
  id: string;
  list: Paged<ResidentActivity>;
  /** Shown when the list is empty. */
  empty: ReactNode;
}

/** Cards page by page, with a big “load more” button rather than a scroll gesture. */
export function ActivityList({ id, list, empty }: ActivityListProps) {
  const { t } = useTranslation();
  let body: ReactNode;
  if (list.loading) body = <Loading />;
  else if (list.error && list.items.length === 0) {
    body = (
      <ErrorBlock status="disconnected" title={t('app.loadFailed')} description={describeActivityError(t, list.error)}>
        <Button color="primary" size="large" onClick={list.reload}>
          {t('app.retry')}
        </Button>
      </ErrorBlock>
    );
  } else if (list.items.length === 0) body = <div className="h5-empty">{empty}</div>;
  else {
    body = (
      <>
        <ul className="act-list">
          {list.items.map((activity) => (
            <li key={activity.id}>
              <ActivityCard activity={activity} />
            </li>
          ))}
        </ul>
        {list.error ? (
          <p className="h5-form-error act-list-error" role="alert">
            {describeActivityError(t, list.error)}
          </p>
        ) : null}
        <div className="h5-actions">
          {list.hasMore ? (
            <Button block size="large" loading={list.loadingMore} onClick={list.loadMore}>
              {t('activities.list.more')}
            </Button>
          ) : (
            <p className="act-list-end">{t('activities.list.end')}</p>
          )}
        </div>
      </>
    );
  }
  return (
    <section id={id} className="act-list-section" aria-busy={list.loading || list.loadingMore}>
      {body}
    </section>
  );
}
