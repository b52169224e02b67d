import './activities.css';
import { Button, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { listMyEnrolments, type When } from '../../api/activities.ts';
import { ActivityList } from './ActivityList.tsx';
import { Segments } from './Segments.tsx';
import { useBack } from './useBack.ts';
import { PAGE_SIZE, usePaged } from './usePaged.ts';

/** /me/enrolments: the activities I enrolled in or wait for, upcoming or past, each with my status. */
export default function MyEnrolmentsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const back = useBack('/me');
  const [params, setParams] = useSearchParams();
  const when: When = params.get('when') === 'past' ? 'past' : 'upcoming';
  const list = usePaged(when, async (page) => {
    const result = await listMyEnrolments({ when, page, pageSize: PAGE_SIZE });
    return { ...result, items: result.items.map((item) => item.activity) };
  });

  return (
    <div className="h5-page h5-with-nav act-page">
      <NavBar className="h5-navbar" back={t('nav.back')} onBack={back}>
        {t('activities.enrolments.title')}
      </NavBar>
      <div className="act-filters">
        <Segments
          label={t('activities.whenFilter')}
          controls="enrolment-list"
          value={when}
          onChange={(w) => setParams(w === 'past' ? { when: w } : {}, { replace: true })}
          options={[
            { key: 'upcoming', label: t('activities.when.upcoming') },
            { key: 'past', label: t('activities.when.past') },
          ]}
        />
      </div>
      <ActivityList
        id="enrolment-list"
        list={list}
        empty={
          when === 'past' ? (
            t('activities.enrolments.emptyPast')
          ) : (
            <>
              <p>{t('activities.enrolments.empty')}</p>
              <div className="h5-actions">
                <Button block size="large" color="primary" onClick={() => navigate('/activities')}>
                  {t('activities.enrolments.browse')}
                </Button>
              </div>
            </>
          )
        }
      />
    </div>
  );
}
