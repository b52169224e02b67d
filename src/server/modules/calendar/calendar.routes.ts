import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';
import { audit } from '../audit/audit.service.ts';
import { calendarDayResponse, calendarQuery, calendarResponse, dayParam, setDayBody } from './calendar.schema.ts';
import {
  findOverride,
  getWorkCalendar,
  invalidateWorkCalendar,
  removeOverride,
  setOverride,
} from './calendar.service.ts';

export async function calendarRoutes(app: App, { database, config, clock }: Services) {
  app.get(
    '/api/calendar',
    {
      schema: {
        tags: ['calendar'],
        summary:
          'The holidays and adjusted working days of a year (default: this year), library and overrides, and the working hours',
        querystring: calendarQuery,
        response: { 200: calendarResponse },
      },
      config: { access: { auth: 'staff' } },
    },
    async (request) => {
      const now = clock.now();
      const calendar = await getWorkCalendar(database.db, config, now);
      const year = request.query.year ?? Number(calendar.dayOf(now).slice(0, 4));
      return {
        year,
        libraryCovers: calendar.libraryCovers(year),
        timeZone: calendar.timeZone,
        workHours: calendar.workHours,
        minutesPerWorkingDay: calendar.minutesPerWorkingDay,
        days: calendar.specialDays(year),
      };
    },
  );

  app.put(
    '/api/calendar/days/:day',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Make a day a holiday or a working day, whatever the library says',
        params: dayParam,
        body: setDayBody,
        response: { 200: calendarDayResponse },
      },
      config: { access: { auth: 'staff', permission: 'case.configure' } },
    },
    async (request) => {
      const actor = actorOf(request);
      const { day } = request.params;
      const { kind } = request.body;
      const name = request.body.name ?? null;
      const saved = await database.transaction(async (trx) => {
        const before = await findOverride(trx, day);
        const row = await setOverride(trx, day, { kind, name }, actor.accountId);
        await audit(trx, request, {
          action: 'calendar.day.set',
          targetType: 'calendarDay',
          targetId: day,
          detail: { kind, name, previous: before ? { kind: before.kind, name: before.name } : null },
        });
        return row;
      });
      invalidateWorkCalendar(config);
      return { day: { day: saved.day, kind: saved.kind, name: saved.name, nameEn: null, source: 'override' as const } };
    },
  );

  app.delete(
    '/api/calendar/days/:day',
    {
      schema: {
        tags: ['calendar'],
        summary: "Remove a day's override: the library's schedule (or the weekday rule) applies again",
        params: dayParam,
      },
      config: { access: { auth: 'staff', permission: 'case.configure' } },
    },
    async (request, reply) => {
      const { day } = request.params;
      await database.transaction(async (trx) => {
        const before = await findOverride(trx, day);
        if (!before || !(await removeOverride(trx, day))) throw notFound('Calendar override');
        await audit(trx, request, {
          action: 'calendar.day.delete',
          targetType: 'calendarDay',
          targetId: day,
          detail: { previous: { kind: before.kind, name: before.name } },
        });
      });
      invalidateWorkCalendar(config);
      return reply.status(204).send();
    },
  );
}
