import { Badge, TabBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useUnreadNotices } from '../api/notices.ts';
import { BellIcon, CalendarIcon, HomeIcon, ListIcon, UserIcon } from './icons.tsx';

/** The five tabs: home (call, report, my grid), my cases, notices (with the unread count), activities, me. */
export function TabLayout() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const unread = useUnreadNotices();
  const tabs = [
    { key: '/', title: t('nav.home'), icon: <HomeIcon /> },
    { key: '/cases', title: t('nav.cases'), icon: <ListIcon /> },
    { key: '/notices', title: t('nav.notices'), icon: <BellIcon />, badge: unread > 0 ? unread : undefined },
    { key: '/activities', title: t('nav.activities'), icon: <CalendarIcon /> },
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
            <TabBar.Item
              key={tab.key}
              icon={tab.icon}
              title={tab.title}
              badge={tab.badge === undefined ? undefined : tab.badge > 99 ? Badge.dot : tab.badge}
            />
          ))}
        </TabBar>
      </nav>
    </div>
  );
}
