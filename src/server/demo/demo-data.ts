import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.ts';

export interface DemoSummary {
  password: string;
  logins: Array<{ username: string; description: string }>;
  residentPhone: string;
}

/** Loads the demo territory on first run (an empty units table). Filled in by the demo module. */
export async function loadDemoDataIfEmpty(_database: Database, _log: FastifyBaseLogger): Promise<DemoSummary | null> {
  return null;
}
