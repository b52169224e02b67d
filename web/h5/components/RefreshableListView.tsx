import { Button, ErrorBlock, InfiniteScroll, PullToRefresh } from 'antd-mobile';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading } from './Loading.tsx';
import type { RefreshableList } from './useRefreshableList.ts';

export interface ListTexts {
  loadFailed: string;
  retry: string;
  pullToRefresh: string;
  release: string;
  refreshing: string;
  refreshed: string;
  empty: string;
  noMore: string;
}

/**
 * A list of useRefreshableList on screen: loading, a failed first load with a retry, then pull to refresh,
 * the rows (or the empty text) and more rows as the resident scrolls down.
 */
export function RefreshableListView<T extends { id: number }>({
  list,
  texts,
  errorText,
  className,
  row,
}: {
  list: RefreshableList<T>;
  texts: ListTexts;
  errorText: (error: unknown) => string;
  className: string;
  row: (item: T) => ReactNode;
}) {
  const { t } = useTranslation();
  const { items, error, hasMore, reload, loadMore } = list;
  if (items === null) {
    return error ? (
      <ErrorBlock status="disconnected" title={texts.loadFailed} description={errorText(error)}>
        <Button color="primary" onClick={() => void reload()}>
          {texts.retry}
        </Button>
      </ErrorBlock>
    ) : (
      <Loading />
    );
  }
  return (
    <PullToRefresh
      onRefresh={reload}
      pullingText={texts.pullToRefresh}
      canReleaseText={texts.release}
      refreshingText={texts.refreshing}
      completeText={texts.refreshed}
    >
      {items.length === 0 ? (
        <p className="h5-empty">{texts.empty}</p>
      ) : (
        <ul className={className}>
          {items.map((item) => (
            <li key={item.id}>{row(item)}</li>
          ))}
        </ul>
      )}
      {items.length > 0 ? (
        <InfiniteScroll loadMore={loadMore} hasMore={hasMore}>
          {hasMore ? t('app.loading') : texts.noMore}
        </InfiniteScroll>
      ) : null}
    </PullToRefresh>
  );
}
