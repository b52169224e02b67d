import { Button, Result } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session.tsx';

/** A staff account opened the residents' app: point to the console, or sign out to use a phone number. */
export default function StaffNotice() {
  const { t } = useTranslation();
  const { signOut } = useSession();
  return (
    <div className="h5-page">
      <Result status="info" title={t('staff.title')} description={t('staff.body')} />
      <div className="h5-actions">
        <Button block color="primary" size="large" onClick={() => window.location.assign('/console/')}>
          {t('staff.openConsole')}
        </Button>
        <Button block size="large" onClick={() => void signOut()}>
          {t('me.signOut')}
        </Button>
      </div>
    </div>
  );
}
