import { Card, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { CalendarTab } from './CalendarTab.tsx';
import { CaseTypesTab } from './CaseTypesTab.tsx';
import { CategoriesTab } from './CategoriesTab.tsx';
import { TimeLimitsTab } from './TimeLimitsTab.tsx';
import './case-admin.css';

const TABS = ['types', 'categories', 'timeLimits', 'calendar'] as const;
type Tab = (typeof TABS)[number];

/**
 * 事项配置: case types, the category tree, time-limit rules and the working-day calendar, one tab each. The
 * open tab is kept in the address (?tab=), so a link or a reload lands on the same one.
 */
export default function CaseAdminPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: Tab = TABS.includes(requested as Tab) ? (requested as Tab) : 'types';

  return (
    <div className="page case-admin">
      <Card size="small">
        <Typography.Title level={4} className="case-admin-title">
          {t('caseAdmin.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('caseAdmin.intro')}</Typography.Text>
      </Card>
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams({ tab: key }, { replace: true })}
          destroyOnHidden
          items={[
            { key: 'types', label: t('caseAdmin.tabs.types'), children: <CaseTypesTab /> },
            { key: 'categories', label: t('caseAdmin.tabs.categories'), children: <CategoriesTab /> },
            { key: 'timeLimits', label: t('caseAdmin.tabs.timeLimits'), children: <TimeLimitsTab /> },
            { key: 'calendar', label: t('caseAdmin.tabs.calendar'), children: <CalendarTab /> },
          ]}
        />
      </Card>
    </div>
  );
}
