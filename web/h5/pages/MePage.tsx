import { Button, Dialog, List, Switch } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { addressOf } from '../places.ts';
import { useMe, useSession } from '../session.tsx';
import { setDisplayOption, useDisplayOption } from '../settings.ts';

const masked = (phone: string | null) => (phone ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '');

/** My profile, language, large type and sign-out. */
export default function MePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { signOut } = useSession();
  const { me } = useMe();
  const largeType = useDisplayOption('largeType');
  const highContrast = useDisplayOption('highContrast');
  if (!me) return null;

  async function confirmSignOut() {
    const ok = await Dialog.confirm({
      content: t('me.signOutConfirm'),
      confirmText: t('me.confirm'),
      cancelText: t('me.cancel'),
    });
    // Signing out drops the session; the app then shows the sign-in page by itself.
    if (ok) await signOut();
  }

  return (
    <div className="h5-page">
      <header className="h5-banner h5-me-banner">
        <h1>{me.person?.name ?? me.account.displayName}</h1>
        <p>{masked(me.account.phone)}</p>
      </header>
      <List header={t('me.profile')}>
        <List.Item title={t('profile.name')} clickable onClick={() => navigate('/profile')}>
          {me.person?.name ?? me.account.displayName}
        </List.Item>
        <List.Item title={t('home.myHome')} clickable onClick={() => navigate('/profile')}>
          {me.home.length > 0 ? addressOf(me.home) : t('home.noHome')}
        </List.Item>
        <List.Item title={t('me.phone')}>{masked(me.account.phone)}</List.Item>
        <List.Item clickable onClick={() => navigate('/me/enrolments')}>
          {t('activities.myEnrolments')}
        </List.Item>
      </List>
      <List header={t('me.settings')}>
        <List.Item title={t('me.language')}>
          <LanguageSwitch />
        </List.Item>
        <List.Item
          description={t('me.largeTypeHint')}
          extra={
            <Switch
              aria-label={t('me.largeType')}
              checked={largeType}
              onChange={(on) => setDisplayOption('largeType', on)}
            />
          }
        >
          {t('me.largeType')}
        </List.Item>
        <List.Item
          description={t('me.highContrastHint')}
          extra={
            <Switch
              aria-label={t('me.highContrast')}
              checked={highContrast}
              onChange={(on) => setDisplayOption('highContrast', on)}
            />
          }
        >
          {t('me.highContrast')}
        </List.Item>
      </List>
      <div className="h5-actions">
        <Button block size="large" color="danger" fill="outline" onClick={() => void confirmSignOut()}>
          {t('me.signOut')}
        </Button>
      </div>
    </div>
  );
}
