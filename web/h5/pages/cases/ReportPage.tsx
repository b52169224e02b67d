import { NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';

/** Placeholder until this page lands. */
export default function ReportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <div className="h5-page h5-with-nav">
      <NavBar className="h5-navbar" backIcon onBack={() => navigate(-1)}>
        {t('cases.title')}
      </NavBar>
    </div>
  );
}
