import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** 通知公告: placeholder until the notices page lands. */
export default function NoticesPage() {
  const { t } = useTranslation();
  return <Typography.Title level={3}>{t('notices.title')}</Typography.Title>;
}
