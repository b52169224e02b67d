import { TabBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { HomeIcon, UserIcon } from './icons.tsx';

/** The two tabs that work today: home (my grid) and me (profile and settings). */
export function TabLayout() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const tabs = [
    { key: '/', title: t('nav.home'), icon: <HomeIcon /> },
    { key: '/me', title: t('nav.me'), icon: <UserIcon /> },
  ];
  return (
    <div className="h5-tabbed">
      <main className="h5-tabbed-body">
        <Outlet />
      </main>
      <nav className="h5-tabbar">
        <TabBar safeArea activeKey={location.pathname} onChange={(key) => navigate(key)}>
          {tabs.map((tab) => (
            <TabBar.Item key={tab.key} icon={tab.icon} title={tab.title} />
          ))}
        </TabBar>
      </nav>
    </div>
  );
}
