import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';

/** Demo activities for the demo territory. Placeholder until the module lands: writes nothing, answers null. */
export async function loadDemoActivities(_database: Database, _config: Config, _clock: Clock): Promise<number | null> {
  return null;
}
