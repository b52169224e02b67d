import {
  ApartmentOutlined,
  AuditOutlined,
  BorderOutlined,
  DashboardOutlined,
  FileExcelOutlined,
  FlagOutlined,
  HeartOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { lazy, type ReactNode } from 'react';
import { RequirePermission } from './components/RequirePermission.tsx';

const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage.tsx'));
const UnitsPage = lazy(() => import('./pages/units/UnitsPage.tsx'));
const GridsPage = lazy(() => import('./pages/grids/GridsPage.tsx'));
const PeoplePage = lazy(() => import('./pages/people/PeoplePage.tsx'));
const CarePersonsPage = lazy(() => import('./pages/care/CarePersonsPage.tsx'));
const PartyPage = lazy(() => import('./pages/party/PartyPage.tsx'));
const AccountsPage = lazy(() => import('./pages/accounts/AccountsPage.tsx'));
const RolesPage = lazy(() => import('./pages/roles/RolesPage.tsx'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage.tsx'));
const ExcelPage = lazy(() => import('./pages/excel/ExcelPage.tsx'));

export interface ConsoleRoute {
  path: string;
  /** i18n key of the menu entry and page title. */
  label: string;
  icon: ReactNode;
  /** The menu entry shows when the session holds any of these; none means everyone. */
  anyOf?: string[];
  page: ReactNode;
}

export const consoleRoutes: ConsoleRoute[] = [
  { path: '/', label: 'menu.dashboard', icon: <DashboardOutlined />, page: <DashboardPage /> },
  { path: '/units', label: 'menu.units', icon: <ApartmentOutlined />, anyOf: ['unit.read'], page: <UnitsPage /> },
  { path: '/grids', label: 'menu.grids', icon: <BorderOutlined />, anyOf: ['grid.read'], page: <GridsPage /> },
  { path: '/people', label: 'menu.people', icon: <TeamOutlined />, anyOf: ['person.read'], page: <PeoplePage /> },
  {
    path: '/care-persons',
    label: 'menu.carePersons',
    icon: <HeartOutlined />,
    anyOf: ['carePerson.read'],
    page: <CarePersonsPage />,
  },
  { path: '/party', label: 'menu.party', icon: <FlagOutlined />, anyOf: ['partyOrg.read'], page: <PartyPage /> },
  {
    path: '/accounts',
    label: 'menu.accounts',
    icon: <UserSwitchOutlined />,
    anyOf: ['account.read'],
    page: <AccountsPage />,
  },
  {
    path: '/roles',
    label: 'menu.roles',
    icon: <SafetyCertificateOutlined />,
    anyOf: ['role.manage', 'account.read'],
    page: <RolesPage />,
  },
  { path: '/audit', label: 'menu.audit', icon: <AuditOutlined />, anyOf: ['audit.read'], page: <AuditPage /> },
  {
    path: '/excel',
    label: 'menu.excel',
    icon: <FileExcelOutlined />,
    anyOf: ['data.import', 'data.export'],
    page: <ExcelPage />,
  },
];

export const appRoutes = consoleRoutes.map((route) => ({
  path: route.path,
  element: <RequirePermission anyOf={route.anyOf}>{route.page}</RequirePermission>,
}));
