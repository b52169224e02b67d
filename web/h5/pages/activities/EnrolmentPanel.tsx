import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { MyEnrolment, ResidentActivity } from '../../api/activities.ts';
import { availability, formatMoment } from './present.ts';

interface EnrolmentPanelProps {
  activity: ResidentActivity;
  /** Mine while it counts (enrolled or waiting), else null. */
  enrolment: MyEnrolment | null;
  busy: boolean;
  error: string | null;
  onEnrol(): void;
  onCancel(waiting: boolean): void;
}

/**
 * My place in the activity and what I can do: 报名 while places remain, 排队候补 (explained) when full,
 * 取消报名 / 退出候补 once in, the check-in hint when enrolled.
 */
export function EnrolmentPanel({ activity, enrolment, busy, error, onEnrol, onCancel }: EnrolmentPanelProps) {
  const { t, i18n } = useTranslation();
  const state = availability(activity);
  const over = state === 'ended' || state === 'cancelled';
  // Once it has begun a place can no longer be given back (the server refuses), only used.
  const started = Date.parse(activity.startsAt) <= Date.now();

  let status: React.ReactNode = null;
  let action: React.ReactNode = null;
  if (enrolment?.checkedInAt) {
    status = (
      <>
        <h2 className="act-status-title">{t('activities.detail.checkedInTitle')}</h2>
        <p>{t('activities.detail.checkedInAt', { when: formatMoment(t, i18n.language, enrolment.checkedInAt) })}</p>
      </>
    );
  } else if (enrolment?.status === 'enrolled') {
    status = (
      <>
        <h2 className="act-status-title">{t('activities.detail.enrolledTitle')}</h2>
        {over ? null : <p>{t('activities.detail.checkInHint')}</p>}
      </>
    );
    if (!over && !started) {
      action = (
        <Button block size="large" color="danger" fill="outline" loading={busy} onClick={() => onCancel(false)}>
          {t('activities.detail.cancel')}
        </Button>
      );
    }
  } else if (enrolment?.status === 'waiting') {
    status = (
      <>
        <h2 className="act-status-title">
          {t('activities.detail.waitingTitle', { position: enrolment.position ?? '' })}
        </h2>
        {over ? null : <p>{t('activities.detail.waitingHint')}</p>}
      </>
    );
    if (!over && !started) {
      action = (
        <Button block size="large" color="danger" fill="outline" loading={busy} onClick={() => onCancel(true)}>
          {t('activities.detail.leaveWaitlist')}
        </Button>
      );
    }
  } else if (state === 'open') {
    action = (
      <Button block size="large" color="primary" loading={busy} onClick={onEnrol}>
        {t('activities.detail.enrol')}
      </Button>
    );
  } else if (state === 'waitlist') {
    status = <p>{t('activities.detail.waitlistExplain')}</p>;
    action = (
      <Button block size="large" color="primary" loading={busy} onClick={onEnrol}>
        {t('activities.detail.joinWaitlist')}
      </Button>
    );
  } else if (state !== 'cancelled') {
    status = <p className="act-closed">{t(`activities.detail.${state}`)}</p>;
  }

  if (!status && !action && !error) return null;
  return (
    <section className={`h5-card act-enrolment act-enrolment-${enrolment?.status ?? 'none'}`} aria-live="polite">
      {status ? <div className="act-status">{status}</div> : null}
      {error ? (
        <p className="h5-form-error" role="alert">
          {error}
        </p>
      ) : null}
      {action ? <div className="act-action">{action}</div> : null}
    </section>
  );
}
