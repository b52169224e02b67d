import type { App, Services } from '../../http/context.ts';

/** Placeholder until the activities module lands. */
export async function activitiesRoutes(_app: App, _services: Services) {}
