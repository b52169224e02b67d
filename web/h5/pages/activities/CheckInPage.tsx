import './activities.css';
import { Button, NavBar, Result } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { checkIn, loadActivity, type MyEnrolment, type ResidentActivity } from '../../api/activities.ts';
import { describeActivityError, formatMoment, formatSpan } from './present.ts';
import { useBack } from './useBack.ts';

type State = { status: 'working' } | { status: 'done'; enrolment: MyEnrolment } | { status: 'failed'; error: unknown };

/**
 * Reached by scanning the venue's QR code (/h5/activities/:id/check-in?code=…): checks in at once and says
 * plainly whether it worked, with the activity it was for. Checking in twice is harmless (the server
 * answers the same enrolment), so a reload or a second scan shows success again.
 */
export default function CheckInPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const back = useBack('/activities');
  const id = Number(useParams().id);
  const code = useSearchParams()[0].get('code') ?? '';
  const [state, setState] = useState<State>({ status: 'working' });
  const [activity, setActivity] = useState<ResidentActivity | null>(null);
  const valid = Number.isSafeInteger(id) && id > 0;

  useEffect(() => {
    let live = true;
    if (!valid || !code) {
      setState({ status: 'failed', error: null });
      return;
    }
    setState({ status: 'working' });
    checkIn(id, code).then(
      ({ enrolment }) => live && setState({ status: 'done', enrolment }),
      (error) => live && setState({ status: 'failed', error }),
    );
    // Which activity it was, to show beside the result; an activity I cannot see is simply not shown.
    loadActivity(id).then(
      (result) => live && setActivity(result.activity),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [id, code, valid]);

  let result: React.ReactNode;
  if (state.status === 'working') {
    result = <Result status="waiting" title={t('activities.checkIn.working')} />;
  } else if (state.status === 'done') {
    const { checkedInAt } = state.enrolment;
    result = (
      <Result
        status="success"
        title={t('activities.checkIn.success')}
        description={
          <>
            {checkedInAt ? (
              <span className="act-result-line">
                {t('activities.checkIn.checkedInAt', { when: formatMoment(t, i18n.language, checkedInAt) })}
              </span>
            ) : null}
            {activity?.serviceHours ? (
              <span className="act-result-line">{t('activities.checkIn.hours', { hours: activity.serviceHours })}</span>
            ) : null}
          </>
        }
      />
    );
  } else {
    // No error means there was nothing to send: the scanned address had no code.
    const message = state.error ? describeActivityError(t, state.error) : t('activities.checkIn.noCode');
    result = <Result status="error" title={t('activities.checkIn.failed')} description={message} />;
  }

  return (
    <div className="h5-page h5-with-nav act-page">
      <NavBar className="h5-navbar" back={t('nav.back')} onBack={back}>
        {t('activities.checkIn.title')}
      </NavBar>
      <div className={`act-checkin act-checkin-${state.status}`} role="status" aria-live="polite">
        {result}
      </div>
      {activity ? (
        <section className="h5-card" aria-label={activity.title}>
          <h2 className="act-card-title">{activity.title}</h2>
          <dl className="act-card-facts">
            <div>
              <dt>{t('activities.card.time')}</dt>
              <dd>{formatSpan(t, i18n.language, activity.startsAt, activity.endsAt)}</dd>
            </div>
            <div>
              <dt>{t('activities.card.venue')}</dt>
              <dd>{activity.venue}</dd>
            </div>
          </dl>
        </section>
      ) : null}
      <div className="h5-actions">
        {valid ? (
          <Button block size="large" color="primary" onClick={() => navigate(`/activities/${id}`)}>
            {t('activities.checkIn.view')}
          </Button>
        ) : null}
        <Button block size="large" onClick={() => navigate('/', { replace: true })}>
          {t('activities.checkIn.home')}
        </Button>
      </div>
    </div>
  );
}
