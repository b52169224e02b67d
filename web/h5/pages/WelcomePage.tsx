import { Button, Result } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { Me } from '../api/session.ts';
import { ProfileForm } from '../components/ProfileForm.tsx';
import { addressOf, communityOf } from '../places.ts';
import { useMe, useSession } from '../session.tsx';

/** First sign-in: name and home, then the grid the home belongs to. */
export default function WelcomePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { setMe } = useSession();
  const { me } = useMe();
  const [saved, setSaved] = useState<Me | null>(null);
  if (!me) return null;

  if (saved) {
    const grid = saved.grid;
    const community = communityOf(saved.home);
    return (
      <div className="h5-page h5-welcome-done">
        <Result
          status={grid ? 'success' : 'info'}
          title={grid ? t('profile.gridFoundTitle') : t('profile.saved')}
          description={
            grid
              ? t('profile.gridFoundBody', { community: community?.name ?? '', grid: grid.name })
              : t('profile.gridNotFound')
          }
        />
        {grid ? (
          <div className="h5-card h5-grid-found">
            <div className="h5-grid-name">{grid.name}</div>
            <div className="h5-muted">{addressOf(saved.home)}</div>
          </div>
        ) : null}
        <div className="h5-actions">
          <Button
            block
            color="primary"
            size="large"
            onClick={() => {
              setMe(saved);
              navigate('/', { replace: true });
            }}
          >
            {t('profile.goHome')}
          </Button>
        </div>
      </div>
    );
  }

  return (
    <div className="h5-page">
      <header className="h5-intro">
        <h1>{t('profile.setupTitle')}</h1>
        <p>{t('profile.setupIntro')}</p>
      </header>
      <ProfileForm me={me} onSaved={setSaved} />
    </div>
  );
}
