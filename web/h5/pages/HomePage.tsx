import './cases/cases.css';
import { Button } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { type CardPerson, myCallRequests, myCases, myGridCard, type ResidentCaseSummary } from '../api/cases.ts';
import { BellIcon, CalendarIcon, CameraIcon, GridIcon, ListIcon, PhoneIcon } from '../components/icons.tsx';
import { addressOf, communityOf, streetOf } from '../places.ts';
import { useMe } from '../session.tsx';
import { formatWhen } from './cases/format.ts';
import { DialLink, StageTag } from './cases/parts.tsx';

interface HomeExtras {
  gridWorkers: CardPerson[];
  latest: ResidentCaseSummary | null;
  waitingCall: boolean;
  /** Every request has answered (or failed): the page is complete (data-ready, used by `npm run bench`). */
  settled: boolean;
}

/** What the home shows besides the profile; each part stays empty when its request fails. */
function useHomeExtras(hasGrid: boolean): HomeExtras {
  const [extras, setExtras] = useState<HomeExtras>({
    gridWorkers: [],
    latest: null,
    waitingCall: false,
    settled: false,
  });
  useEffect(() => {
    let live = true;
    const settle = <T,>(promise: Promise<T>, apply: (value: T) => Partial<HomeExtras>) =>
      promise.then(
        (value) => live && setExtras((e) => ({ ...e, ...apply(value) })),
        () => undefined,
      );
    const all = [
      hasGrid
        ? settle(myGridCard(), ({ card }) => ({
            gridWorkers: card?.posts.filter((p) => p.post === 'gridWorker') ?? [],
          }))
        : Promise.resolve(),
      settle(myCases(1, 1), (page) => ({ latest: page.items[0] ?? null })),
      settle(myCallRequests(1, 1), (page) => ({ waitingCall: page.items[0]?.status === 'waiting' })),
    ];
    void Promise.all(all).then(() => live && setExtras((e) => ({ ...e, settled: true })));
    return () => {
      live = false;
    };
  }, [hasGrid]);
  return extras;
}

/**
 * Home, made for older residents: a big round one-tap call, a big "report a problem" button, my grid with its
 * grid worker's phone, my latest case, and the way to notices and activities.
 */
export function HomePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { me } = useMe();
  const { gridWorkers, latest, waitingCall, settled } = useHomeExtras(Boolean(me?.grid));
  if (!me) return null;
  const name = me.person?.name ?? me.account.displayName;
  const grid = me.grid;
  const community = communityOf(me.home);
  const street = streetOf(me.home);

  return (
    <div className="h5-page h5-home" data-testid="h5-home" data-ready={settled ? 'true' : 'false'}>
      <header className="h5-banner">
        <p className="h5-banner-app">{t('app.name')}</p>
        <h1>{t('home.greeting', { name })}</h1>
        {community ? <p>{community.name}</p> : null}
      </header>

      <section className="h5-card h5-home-actions" aria-label={t('cases.home.call')}>
        <Link to="/call" className="h5-call-button" aria-label={t('cases.home.callLabel')}>
          <PhoneIcon className="h5-call-icon" />
          <span>{t('cases.home.call')}</span>
        </Link>
        <p className={waitingCall ? 'h5-call-hint h5-call-hint-waiting' : 'h5-call-hint'}>
          {waitingCall ? t('cases.home.callWaiting') : t('cases.home.callHint')}
        </p>
        <Button block color="primary" fill="outline" className="h5-report-button" onClick={() => navigate('/report')}>
          <span className="h5-report-button-body">
            <CameraIcon className="h5-report-icon" />
            <span>
              <strong>{t('cases.home.report')}</strong>
              <small>{t('cases.home.reportHint')}</small>
            </span>
          </span>
        </Button>
      </section>

      <section className="h5-card" aria-labelledby="my-grid">
        <div className="h5-card-head">
          <h2 id="my-grid" className="h5-card-title">
            <GridIcon className="h5-card-icon" />
            {t('home.myGrid')}
          </h2>
          {grid ? (
            <Link to="/grid" className="h5-card-link">
              {t('cases.home.gridCard')} ›
            </Link>
          ) : null}
        </div>
        {grid ? (
          <dl className="h5-facts h5-facts-compact">
            <div>
              <dt>{t('home.grid')}</dt>
              <dd className="h5-grid-name">{grid.name}</dd>
            </div>
            {gridWorkers.map((worker) => (
              <div key={worker.id} className="h5-home-worker">
                <dt>{t('cases.home.gridWorker')}</dt>
                <dd>
                  <span className="h5-person-name">{worker.personName}</span>
                  <DialLink name={worker.personName} phone={worker.phone} />
                </dd>
              </div>
            ))}
            {community || street ? (
              <div>
                <dt>{t('home.community')}</dt>
                <dd>{[street?.name, community?.name].filter(Boolean).join(' · ')}</dd>
              </div>
            ) : null}
            {me.home.length > 0 ? (
              <div>
                <dt>{t('home.myHome')}</dt>
                <dd className="h5-address">{addressOf(me.home)}</dd>
              </div>
            ) : null}
          </dl>
        ) : (
          <p className="h5-muted">{t('home.noGrid')}</p>
        )}
        {me.home.length === 0 ? (
          <div>
            <p className="h5-muted">{t('home.noHome')}</p>
            <Button color="primary" size="large" onClick={() => navigate('/profile')}>
              {t('home.completeProfile')}
            </Button>
          </div>
        ) : null}
      </section>

      <section className="h5-card" aria-labelledby="my-latest-case">
        <div className="h5-card-head">
          <h2 id="my-latest-case" className="h5-card-title">
            <ListIcon className="h5-card-icon" />
            {t('cases.home.latestCase')}
          </h2>
          <Link to="/cases" className="h5-card-link">
            {t('cases.home.allCases')} ›
          </Link>
        </div>
        {latest ? (
          <Link to={`/cases/${latest.id}`} className="h5-latest-case">
            <span className="h5-latest-title">{latest.title}</span>
            <span className="h5-latest-meta">
              <StageTag stage={latest.stage} />
              <span>{t('cases.time.reported', { when: formatWhen(t, latest.reportedAt) })}</span>
            </span>
          </Link>
        ) : (
          <p className="h5-muted">{t('cases.home.noCases')}</p>
        )}
      </section>

      <nav className="h5-home-entries" aria-label={`${t('cases.home.notices')} · ${t('cases.home.activities')}`}>
        <Link to="/notices" className="h5-home-entry">
          <BellIcon className="h5-home-entry-icon" />
          <strong>{t('cases.home.notices')}</strong>
          <small>{t('cases.home.noticesHint')}</small>
        </Link>
        <Link to="/activities" className="h5-home-entry">
          <CalendarIcon className="h5-home-entry-icon" />
          <strong>{t('cases.home.activities')}</strong>
          <small>{t('cases.home.activitiesHint')}</small>
        </Link>
      </nav>
    </div>
  );
}
