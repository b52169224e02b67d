import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** 活动课堂: placeholder until the activities page lands. */
export default function ActivitiesPage() {
  const { t } = useTranslation();
  return <Typography.Title level={3}>{t('activities.title')}</Typography.Title>;
}
