import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BorderOutlined,
  CalendarOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  FileExcelOutlined,
  FileSearchOutlined,
  FlagOutlined,
  FormOutlined,
  FundProjectionScreenOutlined,
  HeartOutlined,
  InboxOutlined,
  LineChartOutlined,
  NotificationOutlined,
  PhoneOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TeamOutlined,
  TrophyOutlined,
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
const WorklistPage = lazy(() => import('./pages/worklist/WorklistPage.tsx'));
const CaseSearchPage = lazy(() => import('./pages/worklist/CaseSearchPage.tsx'));
const CaseDetailPage = lazy(() => import('./pages/case-detail/CaseDetailPage.tsx'));
const IntakePage = lazy(() => import('./pages/intake/IntakePage.tsx'));
const CallRequestsPage = lazy(() => import('./pages/intake/CallRequestsPage.tsx'));
const CaseMapPage = lazy(() => import('./pages/case-map/CaseMapPage.tsx'));
const SupervisionPage = lazy(() => import('./pages/supervision/SupervisionPage.tsx'));
const AnalyticsPage = lazy(() => import('./pages/analytics/AnalyticsPage.tsx'));
const ReportsPage = lazy(() => import('./pages/analytics/ReportsPage.tsx'));
const ScreenPage = lazy(() => import('./pages/analytics/ScreenPage.tsx'));
const CaseAdminPage = lazy(() => import('./pages/case-admin/CaseAdminPage.tsx'));
const NoticesPage = lazy(() => import('./pages/notices/NoticesPage.tsx'));
const ActivitiesPage = lazy(() => import('./pages/activities/ActivitiesPage.tsx'));

export interface ConsoleRoute {
  path: string;
  /** i18n key of the menu entry and page title. */
  label: string;
  icon: ReactNode;
  /** The menu entry shows when the session holds any of these; none means everyone. */
  anyOf?: string[];
  page: ReactNode;
  /** The menu section: daily case work, analysis, or administration. */
  group: 'work' | 'analysis' | 'admin';
  /** Reachable by link only (a case's detail), not listed in the menu. */
  hidden?: boolean;
  /** Shown without the menu and header (the wall screen). */
  bare?: boolean;
}

export const consoleRoutes: ConsoleRoute[] = [
  { path: '/', label: 'menu.dashboard', icon: <DashboardOutlined />, page: <DashboardPage />, group: 'work' },
  {
    path: '/worklist',
    label: 'menu.worklist',
    icon: <InboxOutlined />,
    anyOf: ['case.read'],
    page: <WorklistPage />,
    group: 'work',
  },
  {
    path: '/call-requests',
    label: 'menu.callRequests',
    icon: <PhoneOutlined />,
    anyOf: ['case.read'],
    page: <CallRequestsPage />,
    group: 'work',
  },
  {
    path: '/intake',
    label: 'menu.intake',
    icon: <FormOutlined />,
    anyOf: ['case.intake'],
    page: <IntakePage />,
    group: 'work',
  },
  {
    path: '/cases',
    label: 'menu.cases',
    icon: <FileSearchOutlined />,
    anyOf: ['case.read'],
    page: <CaseSearchPage />,
    group: 'work',
  },
  {
    path: '/cases/:id',
    label: 'menu.cases',
    icon: <FileSearchOutlined />,
    anyOf: ['case.read'],
    page: <CaseDetailPage />,
    group: 'work',
    hidden: true,
  },
  {
    path: '/case-map',
    label: 'menu.caseMap',
    icon: <EnvironmentOutlined />,
    anyOf: ['case.read'],
    page: <CaseMapPage />,
    group: 'work',
  },
  {
    path: '/supervision',
    label: 'menu.supervision',
    icon: <AlertOutlined />,
    anyOf: ['case.supervise'],
    page: <SupervisionPage />,
    group: 'work',
  },
  {
    path: '/notices',
    label: 'menu.notices',
    icon: <NotificationOutlined />,
    anyOf: ['notice.manage'],
    page: <NoticesPage />,
    group: 'work',
  },
  {
    path: '/activities',
    label: 'menu.activities',
    icon: <CalendarOutlined />,
    anyOf: ['activity.manage'],
    page: <ActivitiesPage />,
    group: 'work',
  },
  {
    path: '/analytics',
    label: 'menu.analytics',
    icon: <LineChartOutlined />,
    anyOf: ['metrics.read'],
    page: <AnalyticsPage />,
    group: 'analysis',
  },
  {
    path: '/reports',
    label: 'menu.reports',
    icon: <TrophyOutlined />,
    anyOf: ['metrics.read'],
    page: <ReportsPage />,
    group: 'analysis',
  },
  {
    path: '/screen',
    label: 'menu.screen',
    icon: <FundProjectionScreenOutlined />,
    anyOf: ['metrics.read'],
    page: <ScreenPage />,
    group: 'analysis',
    bare: true,
  },
  {
    path: '/units',
    label: 'menu.units',
    icon: <ApartmentOutlined />,
    anyOf: ['unit.read'],
    page: <UnitsPage />,
    group: 'admin',
  },
  {
    path: '/grids',
    label: 'menu.grids',
    icon: <BorderOutlined />,
    anyOf: ['grid.read'],
    page: <GridsPage />,
    group: 'admin',
  },
  {
    path: '/people',
    label: 'menu.people',
    icon: <TeamOutlined />,
    anyOf: ['person.read'],
    page: <PeoplePage />,
    group: 'admin',
  },
  {
    path: '/care-persons',
    label: 'menu.carePersons',
    icon: <HeartOutlined />,
    anyOf: ['carePerson.read'],
    page: <CarePersonsPage />,
    group: 'admin',
  },
  {
    path: '/party',
    label: 'menu.party',
    icon: <FlagOutlined />,
    anyOf: ['partyOrg.read'],
    page: <PartyPage />,
    group: 'admin',
  },
  {
    path: '/case-settings',
    label: 'menu.caseAdmin',
    icon: <SettingOutlined />,
    anyOf: ['case.configure'],
    page: <CaseAdminPage />,
    group: 'admin',
  },
  {
    path: '/accounts',
    label: 'menu.accounts',
    icon: <UserSwitchOutlined />,
    anyOf: ['account.read'],
    page: <AccountsPage />,
    group: 'admin',
  },
  {
    path: '/roles',
    label: 'menu.roles',
    icon: <SafetyCertificateOutlined />,
    anyOf: ['role.manage', 'account.read'],
    page: <RolesPage />,
    group: 'admin',
  },
  {
    path: '/audit',
    label: 'menu.audit',
    icon: <AuditOutlined />,
    anyOf: ['audit.read'],
    page: <AuditPage />,
    group: 'admin',
  },
  {
    path: '/excel',
    label: 'menu.excel',
    icon: <FileExcelOutlined />,
    anyOf: ['data.import', 'data.export'],
    page: <ExcelPage />,
    group: 'admin',
  },
];

const element = (route: ConsoleRoute) => <RequirePermission anyOf={route.anyOf}>{route.page}</RequirePermission>;
/** Pages inside the console frame. */
export const appRoutes = consoleRoutes
  .filter((r) => !r.bare)
  .map((route) => ({ path: route.path, element: element(route) }));
/** Pages shown on their own (the wall screen). */
export const bareRoutes = consoleRoutes
  .filter((r) => r.bare)
  .map((route) => ({ path: route.path, element: element(route) }));
