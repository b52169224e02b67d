import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { GridIcon, HomeIcon } from '../components/icons.tsx';
import { addressOf, communityOf, streetOf } from '../places.ts';
import { useMe } from '../session.tsx';

/** Home: who I am, where I live and the grid that looks after my home. */
export function HomePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { me } = useMe();
  if (!me) return null;
  const name = me.person?.name ?? me.account.displayName;
  const grid = me.grid;
  const community = communityOf(me.home);
  const street = streetOf(me.home);

  return (
    <div className="h5-page h5-home">
      <header className="h5-banner">
        <p className="h5-banner-app">{t('app.name')}</p>
        <h1>{t('home.greeting', { name })}</h1>
        {community ? <p>{community.name}</p> : null}
      </header>

      <section className="h5-card" aria-labelledby="my-grid">
        <h2 id="my-grid" className="h5-card-title">
          <GridIcon className="h5-card-icon" />
          {t('home.myGrid')}
        </h2>
        {grid ? (
          <dl className="h5-facts">
            <div>
              <dt>{t('home.grid')}</dt>
              <dd className="h5-grid-name">{grid.name}</dd>
            </div>
            {community ? (
              <div>
                <dt>{t('home.community')}</dt>
                <dd>{community.name}</dd>
              </div>
            ) : null}
            {street ? (
              <div>
                <dt>{t('home.street')}</dt>
                <dd>{street.name}</dd>
              </div>
            ) : null}
          </dl>
        ) : (
          <p className="h5-muted">{t('home.noGrid')}</p>
        )}
      </section>

      <section className="h5-card" aria-labelledby="my-home">
        <h2 id="my-home" className="h5-card-title">
          <HomeIcon className="h5-card-icon" />
          {t('home.myHome')}
        </h2>
        {me.home.length > 0 ? (
          <p className="h5-address">{addressOf(me.home)}</p>
        ) : (
          <div>
            <p className="h5-muted">{t('home.noHome')}</p>
            <Button color="primary" size="large" onClick={() => navigate('/profile')}>
              {t('home.completeProfile')}
            </Button>
          </div>
        )}
      </section>
    </div>
  );
}
