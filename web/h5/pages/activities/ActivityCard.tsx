import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ResidentActivity } from '../../api/activities.ts';
import { activeEnrolment, availability, availabilityText, formatSpan, myStatusText } from './present.ts';

/**
 * The badge of places left: 余 3 个名额 / 已满，可排队 / 已结束 … Once I have a place or wait for one, my own
 * status says what matters, so the badge only says that the activity is over or cancelled.
 */
export function PlacesBadge({ activity }: { activity: ResidentActivity }) {
  const { t, i18n } = useTranslation();
  const state = availability(activity);
  if (activeEnrolment(activity) && state !== 'ended' && state !== 'cancelled') return null;
  return <span className={`act-badge act-badge-${state}`}>{availabilityText(t, i18n.language, activity)}</span>;
}

/** My status: 已报名 / 候补第 N 位 / 已签到; nothing when I am not in. */
export function MyStatus({ activity }: { activity: ResidentActivity }) {
  const { t } = useTranslation();
  const enrolment = activeEnrolment(activity);
  const text = myStatusText(t, enrolment);
  if (!enrolment || !text) return null;
  const kind = enrolment.checkedInAt ? 'checkedIn' : enrolment.status;
  return <span className={`act-mine act-mine-${kind}`}>{text}</span>;
}

/**
 * One activity in a list: my status in the corner when I am in, else the places left; the whole card opens
 * the detail page (its title is the link).
 */
export function ActivityCard({ activity }: { activity: ResidentActivity }) {
  const { t, i18n } = useTranslation();
  const titleId = `activity-${activity.id}-title`;
  return (
    <article className="act-card" aria-labelledby={titleId} data-activity-id={activity.id}>
      <div className="act-card-top">
        <span className={`act-kind act-kind-${activity.kind}`}>{t(`activities.kinds.${activity.kind}`)}</span>
        {activeEnrolment(activity) ? <MyStatus activity={activity} /> : <PlacesBadge activity={activity} />}
      </div>
      <h2 className="act-card-title" id={titleId}>
        <Link className="act-card-link" to={`/activities/${activity.id}`}>
          {activity.title}
        </Link>
      </h2>
      <dl className="act-card-facts">
        <div>
          <dt>{t('activities.card.time')}</dt>
          <dd>{formatSpan(t, i18n.language, activity.startsAt, activity.endsAt)}</dd>
        </div>
        <div>
          <dt>{t('activities.card.venue')}</dt>
          <dd>{activity.venue}</dd>
        </div>
        <div>
          <dt>{t('activities.card.organiser')}</dt>
          <dd>{activity.organiser.name}</dd>
        </div>
      </dl>
    </article>
  );
}
