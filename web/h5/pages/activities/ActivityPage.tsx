import './activities.css';
import { Button, Dialog, ErrorBlock, NavBar, Toast } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { ApiError } from '../../../shared/api.ts';
import { cancelEnrolment, enrol, loadActivity, type ResidentActivity, refusalReason } from '../../api/activities.ts';
import { Loading } from '../../components/Loading.tsx';
import { MyStatus, PlacesBadge } from './ActivityCard.tsx';
import { EnrolmentPanel } from './EnrolmentPanel.tsx';
import { activeEnrolment, describeActivityError, formatEnrolWindow, formatSpan } from './present.ts';
import { useBack } from './useBack.ts';

type State =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; activity: ResidentActivity };

/** One activity: every fact, my status, and enrol / join the waiting list / cancel. */
export default function ActivityPage() {
  const { t, i18n } = useTranslation();
  const back = useBack('/activities');
  const id = Number(useParams().id);
  const [state, setState] = useState<State>({ status: 'loading' });
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const { activity } = await loadActivity(id);
    setState({ status: 'ready', activity });
  }, [id]);

  useEffect(() => {
    setState({ status: 'loading' });
    setActionError(null);
    if (!Number.isSafeInteger(id) || id <= 0) {
      setState({ status: 'failed', error: new ApiError(404, { code: 'NOT_FOUND' }) });
      return;
    }
    refresh().catch((error) => setState({ status: 'failed', error }));
  }, [id, refresh]);

  async function act(run: () => Promise<string>, describe = describeActivityError) {
    setBusy(true);
    setActionError(null);
    try {
      const message = await run();
      Toast.show({ icon: 'success', content: message });
    } catch (error) {
      setActionError(describe(t, error));
    } finally {
      // The numbers changed whatever the answer was (someone else may have taken the last place).
      await refresh().catch(() => undefined);
      setBusy(false);
    }
  }

  const onEnrol = () =>
    act(async () => {
      const { enrolment } = await enrol(id);
      return enrolment.status === 'waiting'
        ? t('activities.detail.waitingToast', { position: enrolment.position ?? '' })
        : t('activities.detail.enrolledToast');
    });

  async function onCancel(waiting: boolean) {
    const ok = await Dialog.confirm({
      content: t(waiting ? 'activities.detail.leaveConfirm' : 'activities.detail.cancelConfirm'),
      confirmText: t('activities.detail.confirm'),
      cancelText: t('activities.detail.keep'),
    });
    if (!ok) return;
    await act(
      async () => {
        await cancelEnrolment(id);
        return t(waiting ? 'activities.detail.leftToast' : 'activities.detail.cancelledToast');
      },
      // Refused as closed: the activity began (or was cancelled) meanwhile.
      (tr, error) =>
        refusalReason(error) === 'closed' ? tr('activities.errors.cancelClosed') : describeActivityError(tr, error),
    );
  }

  let body: React.ReactNode;
  if (state.status === 'loading') body = <Loading />;
  else if (state.status === 'failed') {
    const missing = state.error instanceof ApiError && state.error.status === 404;
    body = (
      <ErrorBlock
        status={missing ? 'empty' : 'disconnected'}
        title={missing ? t('activities.errors.notFound') : t('app.loadFailed')}
        description={missing ? null : describeActivityError(t, state.error)}
      >
        {missing ? null : (
          <Button
            color="primary"
            size="large"
            onClick={() => refresh().catch((error) => setState({ status: 'failed', error }))}
          >
            {t('app.retry')}
          </Button>
        )}
      </ErrorBlock>
    );
  } else {
    const { activity } = state;
    const language = i18n.language;
    const mine = activeEnrolment(activity);
    body = (
      <>
        <header className="act-head">
          <div className="act-card-top">
            <span className={`act-kind act-kind-${activity.kind}`}>{t(`activities.kinds.${activity.kind}`)}</span>
            <PlacesBadge activity={activity} />
          </div>
          <h1 className="act-title">{activity.title}</h1>
          <MyStatus activity={activity} />
        </header>

        {activity.status === 'cancelled' ? (
          <div className="act-cancelled" role="status">
            <strong>{t('activities.detail.cancelledTitle')}</strong>
            {activity.cancelReason ? (
              <p>{t('activities.detail.cancelledReason', { reason: activity.cancelReason })}</p>
            ) : null}
          </div>
        ) : null}

        <section className="h5-card">
          <dl className="h5-facts act-facts">
            <div>
              <dt>{t('activities.detail.time')}</dt>
              <dd>{formatSpan(t, language, activity.startsAt, activity.endsAt)}</dd>
            </div>
            <div>
              <dt>{t('activities.detail.venue')}</dt>
              <dd>{activity.venue}</dd>
            </div>
            <div>
              <dt>{t('activities.detail.organiser')}</dt>
              <dd>{activity.organiser.name}</dd>
            </div>
            <div>
              <dt>{t('activities.detail.places')}</dt>
              <dd>
                {t('activities.detail.placesValue', { capacity: activity.capacity, enrolled: activity.enrolled })}
              </dd>
            </div>
            {activity.waitlistCapacity > 0 ? (
              <div>
                <dt>{t('activities.detail.waitlist')}</dt>
                <dd>
                  {t('activities.detail.waitlistValue', {
                    waiting: activity.waiting,
                    capacity: activity.waitlistCapacity,
                  })}
                </dd>
              </div>
            ) : null}
            {activity.enrolFrom || activity.enrolUntil ? (
              <div>
                <dt>{t('activities.detail.enrolWindow')}</dt>
                <dd>{formatEnrolWindow(t, language, activity)}</dd>
              </div>
            ) : null}
            {activity.serviceHours ? (
              <div>
                <dt>{t('activities.detail.serviceHours')}</dt>
                <dd>{t('activities.detail.serviceHoursValue', { hours: activity.serviceHours })}</dd>
              </div>
            ) : null}
            {activity.contactPhone ? (
              <div>
                <dt>{t('activities.detail.contact')}</dt>
                <dd>
                  <a
                    className="act-tel"
                    href={`tel:${activity.contactPhone}`}
                    aria-label={t('activities.detail.callContact', { phone: activity.contactPhone })}
                  >
                    {activity.contactPhone}
                  </a>
                </dd>
              </div>
            ) : null}
          </dl>
        </section>

        <EnrolmentPanel
          activity={activity}
          enrolment={mine}
          busy={busy}
          error={actionError}
          onEnrol={() => void onEnrol()}
          onCancel={(waiting) => void onCancel(waiting)}
        />

        {activity.description ? (
          <section className="h5-card" aria-labelledby="activity-about">
            <h2 id="activity-about" className="h5-card-title">
              {t('activities.detail.description')}
            </h2>
            <p className="act-description">{activity.description}</p>
          </section>
        ) : null}
      </>
    );
  }

  return (
    <div className="h5-page h5-with-nav act-page">
      <NavBar className="h5-navbar" back={t('nav.back')} onBack={back}>
        {t('activities.title')}
      </NavBar>
      {body}
    </div>
  );
}
