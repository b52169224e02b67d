import { sql } from 'kysely';
import { z } from 'zod';
import { migrationStatus } from '../../db/migrate.ts';
import type { App, Services } from '../../http/context.ts';

const healthResponse = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.object({ kind: z.enum(['embedded', 'postgres']), reachable: z.boolean() }),
  migrations: z.object({ applied: z.number().int(), pending: z.array(z.string()) }),
});

export async function healthRoutes(app: App, { database }: Services) {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and readiness: database reachable, migrations current',
        response: { 200: healthResponse, 503: healthResponse },
      },
      config: { access: { auth: 'public' } },
    },
    async (_request, reply) => {
      try {
        await sql`SELECT 1`.execute(database.db);
        const migrations = await migrationStatus(database);
        const ok = migrations.pending.length === 0;
        return reply.status(ok ? 200 : 503).send({
          status: ok ? 'ok' : 'unavailable',
          database: { kind: database.kind, reachable: true },
          migrations,
        });
      } catch {
        return reply.status(503).send({
          status: 'unavailable',
          database: { kind: database.kind, reachable: false },
          migrations: { applied: 0, pending: [] },
        });
      }
    },
  );
}
