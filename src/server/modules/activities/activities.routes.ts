import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import { audit } from '../audit/audit.service.ts';
import { attachmentDisposition, XLSX_MIME } from '../excel/excel.sheet.ts';
import { attendanceWorkbook } from './activities.export.ts';
import { presentAttendee } from './activities.presenter.ts';
import { allAttendees } from './activities.repository.ts';
import {
  activityIdParam,
  activityPage,
  activityResponse,
  attendancePage,
  attendeeResponse,
  cancelActivityBody,
  checkInCode,
  createActivityBody,
  enrolmentIdParam,
  listActivitiesQuery,
  listEnrolmentsQuery,
  updateActivityBody,
  updateActivityResponse,
} from './activities.schema.ts';
import {
  activityDetail,
  attendance,
  cancelActivity,
  createActivity,
  currentCheckInCode,
  listActivities,
  rotateCheckInCode,
  staffCheckIn,
  updateActivity,
} from './activities.service.ts';
import { checkInUrl, publicBase, qrSvg } from './check-in-code.ts';
import { residentActivitiesRoutes } from './resident-activities.routes.ts';

const tags = ['activities'];
const access = { auth: 'staff', permission: 'activity.manage' } as const;
const SCOPE = 'Activities whose organiser unit lies in my activity.manage scope; any other is 404.';

/**
 * 活动课堂 for staff: publish activities and courses with limited places, edit them (a raised capacity moves
 * waiting residents up), cancel them with a reason, see and export the attendance, check residents in by hand
 * and show the check-in QR code at the venue. The resident side is in resident-activities.routes.ts.
 */
export async function activitiesRoutes(app: App, services: Services) {
  const { database, config, clock } = services;
  const db = database.db;

  app.get(
    '/api/activities',
    {
      schema: {
        tags,
        summary: 'Activities in my scope with their counts (enrolled / capacity, waiting, checked in)',
        description: `${SCOPE} upcoming (not yet ended) soonest first; past latest first.`,
        querystring: listActivitiesQuery,
        response: { 200: activityPage },
      },
      config: { access },
    },
    async (request) => listActivities(db, actorOf(request), request.query, clock.now()),
  );

  app.post(
    '/api/activities',
    {
      schema: {
        tags,
        summary: 'Publish an activity or course, organised by a unit in my scope',
        body: createActivityBody,
        response: { 201: activityResponse },
      },
      config: { access },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const now = clock.now();
      const created = await database.transaction(async (trx) => {
        const row = await createActivity(trx, actor, request.body, now);
        await audit(trx, request, {
          action: 'activity.create',
          targetType: 'activity',
          targetId: row.id,
          unitId: row.unit_id,
          detail: { kind: request.body.kind, title: request.body.title, capacity: request.body.capacity },
        });
        return row;
      });
      reply.code(201);
      return { activity: await activityDetail(db, actor, created.id, now) };
    },
  );

  app.get(
    '/api/activities/:id',
    {
      schema: {
        tags,
        summary: 'One activity',
        description: SCOPE,
        params: activityIdParam,
        response: { 200: activityResponse },
      },
      config: { access },
    },
    async (request) => ({ activity: await activityDetail(db, actorOf(request), request.params.id, clock.now()) }),
  );

  app.patch(
    '/api/activities/:id',
    {
      schema: {
        tags,
        summary:
          'Edit an activity (with its version). A raised capacity gives the first waiting residents a place and ' +
          'notifies them (activity.promoted); a capacity below the places taken is 409 (details.reason belowEnrolled)',
        params: activityIdParam,
        body: updateActivityBody,
        response: { 200: updateActivityResponse },
      },
      config: { access },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = clock.now();
      const { version, ...changes } = request.body;
      const result = await database.transaction(async (trx) => {
        const updated = await updateActivity(trx, actor, request.params.id, request.body, now);
        await audit(trx, request, {
          action: 'activity.update',
          targetType: 'activity',
          targetId: request.params.id,
          unitId: updated.unitId,
          detail: { fields: Object.keys(changes), values: changes, promoted: updated.promoted, version },
        });
        return updated;
      });
      return { activity: await activityDetail(db, actor, request.params.id, now), promoted: result.promoted };
    },
  );

  app.post(
    '/api/activities/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel an activity with the reason; everyone enrolled or waiting is notified (activity.cancelled)',
        params: activityIdParam,
        body: cancelActivityBody,
        response: { 200: activityResponse },
      },
      config: { access },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = clock.now();
      await database.transaction(async (trx) => {
        const cancelled = await cancelActivity(trx, actor, request.params.id, request.body, now);
        await audit(trx, request, {
          action: 'activity.cancel',
          targetType: 'activity',
          targetId: request.params.id,
          unitId: cancelled.unitId,
          detail: { reason: request.body.reason, notified: cancelled.notified },
        });
      });
      return { activity: await activityDetail(db, actor, request.params.id, now) };
    },
  );

  app.get(
    '/api/activities/:id/enrolments',
    {
      schema: {
        tags,
        summary:
          'Attendance: enrolled residents by sign-up, then the waiting list in order, then cancellations; names in ' +
          'full, phones masked',
        params: activityIdParam,
        querystring: listEnrolmentsQuery,
        response: { 200: attendancePage },
      },
      config: { access },
    },
    async (request) => attendance(db, actorOf(request), request.params.id, request.query),
  );

  app.get(
    '/api/activities/:id/enrolments.xlsx',
    {
      schema: {
        tags,
        summary: 'The attendance as an Excel sign-in sheet (phones masked; the download is audited)',
        params: activityIdParam,
        produces: [XLSX_MIME],
      },
      config: { access },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const now = clock.now();
      const activity = await activityDetail(db, actor, request.params.id, now);
      const attendees = (await allAttendees(db, activity.id)).map(presentAttendee);
      await audit(db, request, {
        action: 'activity.export',
        targetType: 'activity',
        targetId: activity.id,
        unitId: activity.organiser.id,
        detail: { rows: attendees.length },
      });
      const file = await attendanceWorkbook(activity, attendees, config.timeZone);
      return reply
        .type(XLSX_MIME)
        .header(
          'content-disposition',
          attachmentDisposition(`${activity.title}-签到表.xlsx`, `activity-${activity.id}-attendance.xlsx`),
        )
        .send(file);
    },
  );

  app.post(
    '/api/activities/:id/enrolments/:enrolmentId/check-in',
    {
      schema: {
        tags,
        summary:
          'Check an enrolled resident in by hand (no phone at hand), from an hour before the start; 409 ' +
          'details.reason notEnrolled for a waiting or cancelled enrolment',
        params: enrolmentIdParam,
        response: { 200: attendeeResponse },
      },
      config: { access },
    },
    async (request) => {
      const actor = actorOf(request);
      const { id, enrolmentId } = request.params;
      const result = await database.transaction(async (trx) => {
        const checked = await staffCheckIn(trx, actor, id, enrolmentId, clock.now());
        if (checked.changed) {
          await audit(trx, request, {
            action: 'activity.checkIn',
            targetType: 'enrolment',
            targetId: enrolmentId,
            unitId: checked.unitId,
            detail: { activityId: id },
          });
        }
        return checked;
      });
      return { enrolment: result.attendee };
    },
  );

  app.get(
    '/api/activities/:id/check-in-code',
    {
      schema: {
        tags,
        summary: 'The check-in QR code for the venue: the code, the H5 URL it encodes and the QR code as SVG',
        params: activityIdParam,
        response: { 200: checkInCode },
      },
      config: { access },
    },
    async (request, reply) => {
      const { code } = await currentCheckInCode(db, actorOf(request), request.params.id);
      const url = checkInUrl(publicBase(config, request), request.params.id, code);
      reply.header('cache-control', 'no-store');
      return { code, url, svg: await qrSvg(url) };
    },
  );

  app.post(
    '/api/activities/:id/check-in-code',
    {
      schema: {
        tags,
        summary: 'A new check-in code: the previous QR code (a photo passed around) stops working',
        params: activityIdParam,
        response: { 200: checkInCode },
      },
      config: { access },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { code } = await database.transaction(async (trx) => {
        const rotated = await rotateCheckInCode(trx, actor, request.params.id);
        await audit(trx, request, {
          action: 'activity.rotateCheckInCode',
          targetType: 'activity',
          targetId: request.params.id,
          unitId: rotated.unitId,
        });
        return rotated;
      });
      const url = checkInUrl(publicBase(config, request), request.params.id, code);
      reply.header('cache-control', 'no-store');
      return { code, url, svg: await qrSvg(url) };
    },
  );

  await residentActivitiesRoutes(app, services);
}
