import { NavBar, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ProfileForm } from '../components/ProfileForm.tsx';
import { useMe, useSession } from '../session.tsx';

/** Change my name or my home. */
export default function ProfilePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { setMe } = useSession();
  const { me } = useMe();
  if (!me) return null;
  return (
    <div className="h5-page h5-with-nav">
      <NavBar className="h5-navbar" backIcon onBack={() => navigate('/me')}>
        {t('profile.editTitle')}
      </NavBar>
      <ProfileForm
        me={me}
        onSaved={(next) => {
          setMe(next);
          Toast.show({ icon: 'success', content: t('profile.saved') });
          navigate('/me', { replace: true });
        }}
      />
    </div>
  );
}
