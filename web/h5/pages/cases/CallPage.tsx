import './cases.css';
import { Button, ErrorBlock, NavBar, TextArea, Toast } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { type MyCallRequest, myCallRequests, placeCallRequest } from '../../api/cases.ts';
import { CheckIcon, PhoneIcon } from '../../components/icons.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useMe } from '../../session.tsx';
import { caseErrorText, formatClock, formatWhen } from './format.ts';
import { useLiveRefresh } from './live.ts';
import { DialLink } from './parts.tsx';

type Loaded =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'done'; latest: MyCallRequest | null };

/**
 * 一键呼叫: what happens, one big confirm button (with an optional note), then the waiting request — who
 * will call back, by when — and, once called back, when, and the case recorded from the call.
 */
export default function CallPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { me } = useMe();
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  /** The resident asked to call again after the last request was answered. */
  const [again, setAgain] = useState(false);

  const load = useCallback(() => {
    myCallRequests(1, 1).then(
      (page) => setLoaded({ status: 'done', latest: page.items[0] ?? null }),
      (error: unknown) => setLoaded((now) => (now.status === 'done' ? now : { status: 'failed', error })),
    );
  }, []);
  useEffect(load, [load]);
  // The grid worker's call back (callRequest.* events) shows without a reload.
  useLiveRefresh('callRequest.', load);

  const latest = loaded.status === 'done' ? loaded.latest : null;
  const showForm = loaded.status === 'done' && (!latest || (latest.status !== 'waiting' && again));

  return (
    <div className="h5-page h5-with-nav h5-call">
      <NavBar className="h5-navbar" backIcon onBack={() => navigate(-1)}>
        {t('cases.call.title')}
      </NavBar>
      {loaded.status === 'loading' ? <Loading /> : null}
      {loaded.status === 'failed' ? (
        <ErrorBlock status="disconnected" title={t('cases.loadFailed')} description={caseErrorText(t, loaded.error)}>
          <Button color="primary" onClick={load}>
            {t('cases.retry')}
          </Button>
        </ErrorBlock>
      ) : null}
      {loaded.status === 'done' && !me?.grid && !latest ? (
        <p className="h5-card h5-muted">{t('cases.call.noGrid')}</p>
      ) : null}
      {showForm && me?.grid ? (
        <CallForm
          onPlaced={(request) => {
            setAgain(false);
            setLoaded({ status: 'done', latest: request });
          }}
        />
      ) : null}
      {latest && !showForm ? <CallStatus request={latest} onAgain={() => setAgain(true)} /> : null}
    </div>
  );
}

function CallForm({ onPlaced }: { onPlaced(request: MyCallRequest): void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function place() {
    setSending(true);
    setError(null);
    try {
      // The form shows only while nothing waits, so this places a new request; should one have been placed
      // meanwhile (another phone), the server answers that one and the page shows it all the same.
      const { callRequest } = await placeCallRequest(note.trim() || undefined);
      Toast.show({ content: t('cases.call.placed') });
      onPlaced(callRequest);
    } catch (e) {
      setError(caseErrorText(t, e));
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="h5-call-form">
      <section className="h5-card">
        <p className="h5-call-intro">{t('cases.call.intro')}</p>
        <ol className="h5-call-steps">
          <li>{t('cases.call.step1')}</li>
          <li>{t('cases.call.step2')}</li>
          <li>{t('cases.call.step3')}</li>
        </ol>
      </section>
      <section className="h5-card">
        <label className="h5-field-label" htmlFor="call-note">
          {t('cases.call.note')}
        </label>
        <TextArea
          id="call-note"
          value={note}
          onChange={setNote}
          placeholder={t('cases.call.notePlaceholder')}
          maxLength={500}
          showCount
          autoSize={{ minRows: 2, maxRows: 5 }}
        />
      </section>
      <div className="h5-call-confirm">
        <button type="button" className="h5-call-button" onClick={place} disabled={sending} aria-busy={sending}>
          <PhoneIcon className="h5-call-icon" />
          <span>{sending ? t('cases.call.calling') : t('cases.call.confirm')}</span>
        </button>
      </div>
      <div aria-live="polite" className="h5-form-messages">
        {error ? (
          <p className="h5-form-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}

function CallStatus({ request, onAgain }: { request: MyCallRequest; onAgain(): void }) {
  const { t } = useTranslation();
  const waiting = request.status === 'waiting';
  return (
    <div className="h5-call-status" data-status={request.status}>
      <section className="h5-card h5-call-head" aria-live="polite">
        {waiting ? (
          <>
            <PhoneIcon className="h5-call-head-icon" />
            <h1>{t('cases.call.waitingTitle')}</h1>
            <p className="h5-call-due">
              <Due request={request} />
            </p>
          </>
        ) : (
          <>
            <CheckIcon className="h5-call-head-icon h5-call-done-icon" />
            <h1>{t('cases.call.calledBack')}</h1>
            {request.calledBackAt ? (
              <p className="h5-call-due">
                {t('cases.call.calledBackAt', { when: formatWhen(t, request.calledBackAt) })}
              </p>
            ) : null}
          </>
        )}
        <p className="h5-muted">{t('cases.call.placedAt', { when: formatWhen(t, request.createdAt) })}</p>
      </section>

      {request.case ? (
        <section className="h5-card">
          <p>{t('cases.call.caseRecorded')}</p>
          <Link to={`/cases/${request.case.id}`} className="h5-big-link">
            {t('cases.call.openCase', { number: request.case.number })} ›
          </Link>
        </section>
      ) : null}
      {request.closeReason ? (
        <section className="h5-card">
          <p>{t('cases.call.closedReason', { reason: request.closeReason })}</p>
        </section>
      ) : null}

      {request.note ? (
        <section className="h5-card">
          <h2 className="h5-card-title">{t('cases.call.yourNote')}</h2>
          <p className="h5-call-note">{request.note}</p>
        </section>
      ) : null}

      {waiting && (request.callers.length > 0 || request.grid?.phone) ? (
        <section className="h5-card" aria-labelledby="callers">
          <h2 id="callers" className="h5-card-title">
            {t('cases.call.callers')}
          </h2>
          <ul className="h5-people">
            {request.callers.map((caller) => (
              <li key={`${caller.post}-${caller.name}`} className="h5-person">
                <div>
                  <span className="h5-person-name">{caller.name}</span>
                  <span className="h5-person-post">
                    {t(`cases.posts.${caller.post}`, { defaultValue: caller.post })}
                  </span>
                </div>
                <DialLink name={caller.name} phone={caller.phone} />
              </li>
            ))}
            {request.grid?.phone ? (
              <li className="h5-person">
                <div>
                  <span className="h5-person-name">{request.grid.name}</span>
                  <span className="h5-person-post">{t('cases.call.gridPhone')}</span>
                </div>
                <DialLink name={request.grid.name} phone={request.grid.phone} />
              </li>
            ) : null}
          </ul>
        </section>
      ) : null}

      {waiting ? null : (
        <div className="h5-actions">
          <Button block size="large" color="primary" onClick={onAgain}>
            {t('cases.call.again')}
          </Button>
        </div>
      )}
    </div>
  );
}

/** "将在 30 分钟内回电（14:30 前）" for a short wait, "将在 明天 09:00 前回电" across a night or a holiday. */
function Due({ request }: { request: MyCallRequest }) {
  const { t } = useTranslation();
  const due = new Date(request.callbackDueAt);
  const now = Date.now();
  if (due.getTime() < now) return <>{t('cases.call.overdue', { when: formatWhen(t, request.callbackDueAt) })}</>;
  const minutes = Math.ceil((due.getTime() - new Date(request.createdAt).getTime()) / 60_000);
  const sameDay = due.toDateString() === new Date(now).toDateString();
  if (minutes <= 180 && sameDay) {
    return <>{t('cases.call.dueIn', { minutes, time: formatClock(request.callbackDueAt) })}</>;
  }
  return <>{t('cases.call.dueBy', { when: formatWhen(t, request.callbackDueAt) })}</>;
}
