import { DotLoading } from 'antd-mobile';
import { useTranslation } from 'react-i18next';

export function Loading() {
  const { t } = useTranslation();
  return (
    <div className="h5-loading" role="status">
      <DotLoading color="primary" />
      <span>{t('app.loading')}</span>
    </div>
  );
}
