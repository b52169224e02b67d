import { Layout, Menu } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useSession } from '../lib/session.tsx';
import { consoleRoutes } from '../routes.tsx';
import { HeaderBar } from './HeaderBar.tsx';

const MENU_GROUPS = ['work', 'analysis', 'admin'] as const;

/** The console frame: a side menu built from the session's permissions, the header, the page. */
export function AppLayout() {
  const { t } = useTranslation();
  const { can } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);

  const visible = consoleRoutes.filter((route) => !route.hidden && (!route.anyOf || route.anyOf.some(can)));
  const selected =
    visible
      .filter((route) => (route.path === '/' ? location.pathname === '/' : location.pathname.startsWith(route.path)))
      .sort((a, b) => b.path.length - a.path.length)[0]?.path ?? '/';
  const groups = MENU_GROUPS.map((group) => ({
    type: 'group' as const,
    key: group,
    label: collapsed ? null : t(`menuGroup.${group}`),
    children: visible
      .filter((route) => route.group === group)
      .map((route) => ({ key: route.path, icon: route.icon, label: t(route.label) })),
  })).filter((group) => group.children.length > 0);

  return (
    <Layout className="app-layout">
      <Layout.Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={200}
        breakpoint="xl"
        className="app-sider"
      >
        <div className="brand" title={t('app.name')}>
          <span className="brand-mark">邻</span>
          {!collapsed && <span className="brand-name">{t('app.shortName')}</span>}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selected]}
          items={groups}
          onClick={({ key }) => navigate(key)}
          data-testid="side-menu"
        />
      </Layout.Sider>
      <Layout>
        <HeaderBar />
        <Layout.Content className="app-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
