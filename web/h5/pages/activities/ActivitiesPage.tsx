import './activities.css';
import { NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ACTIVITY_KINDS, type ActivityKind, listActivities, type When } from '../../api/activities.ts';
import { ActivityList } from './ActivityList.tsx';
import { Segments } from './Segments.tsx';
import { PAGE_SIZE, usePaged } from './usePaged.ts';

type KindChoice = ActivityKind | 'all';

const kindOf = (value: string | null): KindChoice =>
  ACTIVITY_KINDS.includes(value as ActivityKind) ? (value as ActivityKind) : 'all';
const whenOf = (value: string | null): When => (value === 'past' ? 'past' : 'upcoming');

/** The 活动 tab: activities open to my home by kind, upcoming (soonest first) or past. */
export default function ActivitiesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  // The filter lives in the address, so coming back from an activity shows the same list.
  const kind = kindOf(params.get('kind'));
  const when = whenOf(params.get('when'));
  const list = usePaged(`${kind}|${when}`, (page) =>
    listActivities({ kind: kind === 'all' ? undefined : kind, when, page, pageSize: PAGE_SIZE }),
  );

  function choose(next: { kind?: KindChoice; when?: When }) {
    const k = next.kind ?? kind;
    const w = next.when ?? when;
    const search = new URLSearchParams();
    if (k !== 'all') search.set('kind', k);
    if (w !== 'upcoming') search.set('when', w);
    setParams(search, { replace: true });
  }

  return (
    <div className="h5-page act-page">
      <NavBar
        className="h5-navbar"
        backIcon={false}
        right={
          <Link className="act-navlink" to="/me/enrolments">
            {t('activities.myEnrolments')}
          </Link>
        }
      >
        {t('activities.title')}
      </NavBar>
      <div className="act-filters">
        <Segments
          label={t('activities.kindFilter')}
          controls="activity-list"
          value={kind}
          onChange={(k) => choose({ kind: k })}
          options={[
            { key: 'all', label: t('activities.kinds.all') },
            ...ACTIVITY_KINDS.map((k) => ({ key: k, label: t(`activities.kinds.${k}`) })),
          ]}
        />
        <Segments
          label={t('activities.whenFilter')}
          controls="activity-list"
          value={when}
          onChange={(w) => choose({ when: w })}
          options={[
            { key: 'upcoming', label: t('activities.when.upcoming') },
            { key: 'past', label: t('activities.when.past') },
          ]}
        />
      </div>
      <ActivityList
        id="activity-list"
        list={list}
        empty={when === 'past' ? t('activities.list.emptyPast') : t('activities.list.empty')}
      />
    </div>
  );
}
