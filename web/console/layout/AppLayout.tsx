import { Layout, Menu } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { actionableTotal, LiveProvider, useLiveState } from '../lib/live.tsx';
import { useSession } from '../lib/session.tsx';
import { consoleRoutes } from '../routes.tsx';
import { HeaderBar } from './HeaderBar.tsx';

const MENU_GROUPS = ['work', 'analysis', 'admin'] as const;

/**
 * The console frame: a side menu built from the session's permissions (with live counts on 我的待办 and
 * 待回电), the header, the page; live updates run for as long as the frame is shown.
 */
export function AppLayout() {
  return (
    <LiveProvider>
      <Frame />
    </LiveProvider>
  );
}

function Frame() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { counts, waitingCalls } = useLiveState();
  const badges: Record<string, number | undefined> = {
    '/worklist': counts ? actionableTotal(counts) : undefined,
    '/call-requests': waitingCalls,
  };
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
      .map((route) => ({
        key: route.path,
        icon: route.icon,
        label: <MenuLabel text={t(route.label)} count={badges[route.path]} collapsed={collapsed} path={route.path} />,
      })),
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

/**
 * A menu entry's text with its count (none at zero, nor on the collapsed menu). The number is drawn by CSS from
 * `data-count`, so the entry's text stays its name (what people and tests find it by); the title says it.
 */
function MenuLabel({
  text,
  count,
  collapsed,
  path,
}: {
  text: string;
  count?: number;
  collapsed: boolean;
  path: string;
}) {
  const { t } = useTranslation();
  const shown = count !== undefined && count > 0 && !collapsed;
  return (
    <span className="menu-label" data-testid={`menu-count-${path.slice(1)}`} data-count={count ?? ''}>
      <span>{text}</span>
      {shown && (
        <span
          className="menu-count"
          data-count={count > 999 ? '999+' : String(count)}
          title={t('worklist.menuCount', { count })}
        />
      )}
    </span>
  );
}
