import { z } from 'zod';
import type { App, Services } from '../../http/context.ts';

/** Case types, the category tree and time limits: read by everyone who works cases, changed by administrators. */
export async function caseConfigRoutes(app: App, services: Services) {
  const db = services.database.db;

  app.get(
    '/api/case-types',
    {
      schema: {
        tags: ['case configuration'],
        summary: 'Case types and the steps that apply to each',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                code: z.string(),
                name: z.string(),
                nameEn: z.string(),
                routesToGrid: z.boolean(),
                visitRule: z.enum(['reporter', 'none']),
                manualColour: z.boolean(),
                orangeShare: z.number(),
                active: z.boolean(),
                version: z.number().int(),
              }),
            ),
          }),
        },
      },
      config: { access: { auth: 'any' } },
    },
    async () => {
      const rows = await db.selectFrom('case_types').selectAll().orderBy('sort_order').orderBy('code').execute();
      return {
        items: rows.map((r) => ({
          code: r.code,
          name: r.name,
          nameEn: r.name_en,
          routesToGrid: r.routes_to_grid,
          visitRule: r.visit_rule,
          manualColour: r.manual_colour,
          orangeShare: Number(r.orange_share),
          active: r.active,
          version: r.version,
        })),
      };
    },
  );
}
