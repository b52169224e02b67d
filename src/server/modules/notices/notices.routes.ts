import type { App, Services } from '../../http/context.ts';

/** Placeholder until the notices module lands. */
export async function noticesRoutes(_app: App, _services: Services) {}
