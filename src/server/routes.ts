import type { App, Services } from './http/context.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { unitsRoutes } from './modules/units/units.routes.ts';

/** Every route module, registered in this order. A new module adds one line here. */
export const routeModules: Array<(app: App, services: Services) => Promise<void>> = [
  healthRoutes,
  authRoutes,
  unitsRoutes,
];
