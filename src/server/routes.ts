import type { App, Services } from './http/context.ts';
import { accountsRoutes } from './modules/accounts/accounts.routes.ts';
import { activitiesRoutes } from './modules/activities/activities.routes.ts';
import { attachmentsRoutes } from './modules/attachments/attachments.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { calendarRoutes } from './modules/calendar/calendar.routes.ts';
import { callRequestsRoutes } from './modules/call-requests/call-requests.routes.ts';
import { casesRoutes } from './modules/cases/cases.routes.ts';
import { excelRoutes } from './modules/excel/excel.routes.ts';
import { gridsRoutes } from './modules/grids/grids.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { meRoutes } from './modules/me/me.routes.ts';
import { metricsRoutes } from './modules/metrics/metrics.routes.ts';
import { noticesRoutes } from './modules/notices/notices.routes.ts';
import { notificationsRoutes } from './modules/notifications/notifications.routes.ts';
import { partyRoutes } from './modules/party/party-orgs.routes.ts';
import { peopleRoutes } from './modules/people/people.routes.ts';
import { placesRoutes } from './modules/places/places.routes.ts';
import { rolesRoutes } from './modules/roles/roles.routes.ts';
import { savedFiltersRoutes } from './modules/saved-filters/saved-filters.routes.ts';
import { unitsRoutes } from './modules/units/units.routes.ts';

/** Every route module, registered in this order. A new module adds one line here. */
export const routeModules: Array<(app: App, services: Services) => Promise<void>> = [
  healthRoutes,
  authRoutes,
  unitsRoutes,
  rolesRoutes,
  accountsRoutes,
  auditRoutes,
  meRoutes,
  gridsRoutes,
  peopleRoutes,
  partyRoutes,
  excelRoutes,
  attachmentsRoutes,
  calendarRoutes,
  casesRoutes,
  callRequestsRoutes,
  placesRoutes,
  notificationsRoutes,
  metricsRoutes,
  savedFiltersRoutes,
  noticesRoutes,
  activitiesRoutes,
];
