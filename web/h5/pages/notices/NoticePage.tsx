import './notices.css';
import { Button, ErrorBlock, NavBar } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../../shared/api.ts';
import { type NoticeDetail, openNotice } from '../../api/notices.ts';
import { Loading } from '../../components/Loading.tsx';
import { describeError } from '../../errors.ts';
import { publishedWhen } from './format.ts';

type State = { status: 'loading' } | { status: 'failed'; error: unknown } | { status: 'ready'; notice: NoticeDetail };

/** One notice in full; opening it marks it read (the tab's badge follows). */
export default function NoticePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const [state, setState] = useState<State>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new attempt (retry) loads the notice again
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    if (!Number.isSafeInteger(id) || id <= 0) {
      setState({ status: 'failed', error: new ApiError(404, { code: 'NOT_FOUND' }) });
      return;
    }
    openNotice(id).then(
      (notice) => live && setState({ status: 'ready', notice }),
      (error) => live && setState({ status: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [id, attempt]);

  // Back to the list, also when this page was opened from a message (nothing of the app behind it).
  const back = () => {
    const idx = (window.history.state as { idx?: number } | null)?.idx ?? 0;
    if (idx > 0) navigate(-1);
    else navigate('/notices', { replace: true });
  };

  const gone = state.status === 'failed' && state.error instanceof ApiError && state.error.status === 404;
  return (
    <div className="h5-page h5-with-nav">
      <NavBar className="h5-navbar" backIcon back={t('nav.back')} onBack={back}>
        {t('notices.title')}
      </NavBar>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'failed' ? (
        <ErrorBlock
          status={gone ? 'empty' : 'disconnected'}
          title={gone ? t('notices.gone') : t('notices.loadFailed')}
          description={gone ? null : describeError(t, state.error)}
        >
          {gone ? (
            <Button color="primary" onClick={() => navigate('/notices', { replace: true })}>
              {t('notices.backToList')}
            </Button>
          ) : (
            <Button color="primary" onClick={() => setAttempt((n) => n + 1)}>
              {t('notices.retry')}
            </Button>
          )}
        </ErrorBlock>
      ) : null}
      {state.status === 'ready' ? (
        <article className="h5-notice-article" data-notice-id={state.notice.id}>
          <h1>
            {state.notice.urgent ? <span className="h5-notice-tag is-urgent">{t('notices.urgent')}</span> : null}
            {state.notice.pinned ? <span className="h5-notice-tag is-pinned">{t('notices.pinned')}</span> : null}
            {state.notice.title}
          </h1>
          <p className="h5-notice-meta">
            <span>{t('notices.from', { unit: state.notice.publisher.name })}</span>
            <time dateTime={state.notice.publishedAt}>{publishedWhen(t, state.notice.publishedAt)}</time>
          </p>
          <div className="h5-notice-body">{state.notice.body}</div>
        </article>
      ) : null}
    </div>
  );
}
