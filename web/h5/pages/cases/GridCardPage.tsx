import './cases.css';
import { Button, ErrorBlock, NavBar } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { type CardPerson, type GridCard, myGridCard, type PostCode } from '../../api/cases.ts';
import { Loading } from '../../components/Loading.tsx';
import { caseErrorText } from './format.ts';
import { DialLink } from './parts.tsx';

type Loaded = { status: 'loading' } | { status: 'failed'; error: unknown } | { status: 'done'; card: GridCard | null };

const GRID_POSTS: PostCode[] = ['gridWorker', 'gridHead'];
const COMMUNITY_POSTS: PostCode[] = ['secretary', 'director'];

/**
 * 网格名片: my grid and community, who looks after them — grid worker, grid head, my compound's, building's and
 * entrance's heads, department liaisons, the community's secretary and director — each with what they do for
 * residents and a big button that dials them.
 */
export default function GridCardPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });

  const load = useCallback(() => {
    setLoaded({ status: 'loading' });
    myGridCard().then(
      ({ card }) => setLoaded({ status: 'done', card }),
      (error: unknown) => setLoaded({ status: 'failed', error }),
    );
  }, []);
  useEffect(load, [load]);

  return (
    <div className="h5-page h5-with-nav h5-grid-card">
      <NavBar className="h5-navbar" backIcon onBack={() => navigate(-1)}>
        {t('cases.grid.title')}
      </NavBar>
      {loaded.status === 'loading' ? <Loading /> : null}
      {loaded.status === 'failed' ? (
        <ErrorBlock status="disconnected" title={t('cases.loadFailed')} description={caseErrorText(t, loaded.error)}>
          <Button color="primary" onClick={load}>
            {t('cases.retry')}
          </Button>
        </ErrorBlock>
      ) : null}
      {loaded.status === 'done' && !loaded.card ? (
        <section className="h5-card">
          <p className="h5-muted">{t('cases.grid.none')}</p>
          <Button color="primary" size="large" onClick={() => navigate('/profile')}>
            {t('cases.grid.completeProfile')}
          </Button>
        </section>
      ) : null}
      {loaded.status === 'done' && loaded.card ? <Card card={loaded.card} /> : null}
    </div>
  );
}

function Card({ card }: { card: GridCard }) {
  const { t } = useTranslation();
  const gridPeople = card.posts
    .filter((p) => GRID_POSTS.includes(p.post))
    .sort((a, b) => GRID_POSTS.indexOf(a.post) - GRID_POSTS.indexOf(b.post));
  const liaisons = card.posts.filter((p) => p.post === 'departmentLiaison');
  const leaders = card.posts.filter((p) => COMMUNITY_POSTS.includes(p.post));
  const mine = card.subUnits.filter((u) => u.heads.length > 0);

  return (
    <>
      <header className="h5-card h5-grid-card-head">
        <h1 className="h5-grid-card-name">{card.grid.name}</h1>
        {card.community ? <p className="h5-muted">{card.community.name}</p> : null}
        {card.grid.phone || card.grid.address ? (
          <dl className="h5-facts h5-facts-compact">
            {card.grid.address ? (
              <div>
                <dt>{t('cases.grid.gridAddress')}</dt>
                <dd>{card.grid.address}</dd>
              </div>
            ) : null}
            {card.grid.phone ? (
              <div>
                <dt>{t('cases.grid.gridPhone')}</dt>
                <dd>
                  <DialLink name={card.grid.name} phone={card.grid.phone} />
                </dd>
              </div>
            ) : null}
          </dl>
        ) : null}
      </header>

      <People title={t('cases.grid.workers')} people={gridPeople} />

      {mine.length > 0 ? (
        <section className="h5-card" aria-labelledby="my-building">
          <h2 id="my-building" className="h5-card-title">
            {t('cases.grid.myBuilding')}
          </h2>
          {mine.map((unit) => (
            <div key={unit.id} className="h5-sub-unit">
              <h3 className="h5-sub-unit-name">{unit.name}</h3>
              <PersonList people={unit.heads} />
            </div>
          ))}
        </section>
      ) : null}

      <People title={t('cases.grid.liaisons')} people={liaisons} />

      {card.community ? (
        <section className="h5-card" aria-labelledby="community">
          <h2 id="community" className="h5-card-title">
            {t('cases.grid.communityLeaders')} · {card.community.name}
          </h2>
          <PersonList people={leaders} />
          <dl className="h5-facts h5-facts-compact">
            {card.community.address ? (
              <div>
                <dt>{t('cases.grid.communityAddress')}</dt>
                <dd>{card.community.address}</dd>
              </div>
            ) : null}
            {card.community.phone ? (
              <div>
                <dt>{t('cases.grid.communityPhone')}</dt>
                <dd>
                  <DialLink name={card.community.name} phone={card.community.phone} />
                </dd>
              </div>
            ) : null}
          </dl>
        </section>
      ) : null}
    </>
  );
}

function People({ title, people }: { title: string; people: CardPerson[] }) {
  if (people.length === 0) return null;
  return (
    <section className="h5-card">
      <h2 className="h5-card-title">{title}</h2>
      <PersonList people={people} />
    </section>
  );
}

function PersonList({ people }: { people: CardPerson[] }) {
  const { t } = useTranslation();
  if (people.length === 0) return null;
  return (
    <ul className="h5-people">
      {people.map((person) => (
        <li key={person.id} className="h5-person" data-post={person.post}>
          <div>
            <span className="h5-person-name">{person.personName}</span>
            <span className="h5-person-post">{t(`cases.posts.${person.post}`)}</span>
            {person.services ? (
              <p className="h5-person-services">{t('cases.grid.services', { services: person.services })}</p>
            ) : null}
          </div>
          <DialLink name={person.personName} phone={person.phone} />
        </li>
      ))}
    </ul>
  );
}
