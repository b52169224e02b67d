import type { App, Services } from '../../http/context.ts';
import { actorOf } from '../../http/context.ts';
import {
  activityIdParam,
  checkInBody,
  myActivitiesQuery,
  myEnrolmentPage,
  myEnrolmentResponse,
  myEnrolmentsQuery,
  residentActivityPage,
  residentActivityResponse,
} from './activities.schema.ts';
import {
  cancelEnrolment,
  checkIn,
  enrol,
  listOpenActivities,
  myEnrolments,
  residentActivity,
} from './enrolments.service.ts';

const tags = ['resident'];
const access = { auth: 'resident' } as const;

/**
 * Activities and courses for residents: the published ones of the units on my home path (district, street,
 * community, grid), enrolment with limited places and a waiting list, cancellation and check-in by the venue's
 * QR code. Enrolment never overbooks: see enrolments.repository.ts.
 */
export async function residentActivitiesRoutes(app: App, { database, clock }: Services) {
  const db = database.db;

  app.get(
    '/api/me/activities',
    {
      schema: {
        tags,
        summary: 'Activities open to me: upcoming (not yet ended) soonest first, or past latest first',
        querystring: myActivitiesQuery,
        response: { 200: residentActivityPage },
      },
      config: { access },
    },
    async (request) => listOpenActivities(db, actorOf(request), request.query, clock.now()),
  );

  app.get(
    '/api/me/activities/:id',
    {
      schema: {
        tags,
        summary: 'One activity open to me (or one I am enrolled in), with my enrolment; 404 otherwise',
        params: activityIdParam,
        response: { 200: residentActivityResponse },
      },
      config: { access },
    },
    async (request) => ({ activity: await residentActivity(db, actorOf(request), request.params.id) }),
  );

  app.post(
    '/api/me/activities/:id/enrolment',
    {
      schema: {
        tags,
        summary:
          'Enrol: a place while places remain (enrolled), else the waiting list with my position (waiting); 409 ' +
          'details.reason full when both are full, closed outside the enrolment window or when cancelled or ' +
          'ended. Already enrolled or waiting: 200 with that enrolment',
        params: activityIdParam,
        response: { 200: myEnrolmentResponse, 201: myEnrolmentResponse },
      },
      config: { access },
    },
    async (request, reply) => {
      const { enrolment, created } = await enrol(database, clock, actorOf(request), request.params.id);
      reply.code(created ? 201 : 200);
      return { enrolment };
    },
  );

  app.delete(
    '/api/me/activities/:id/enrolment',
    {
      schema: {
        tags,
        summary:
          'Cancel my enrolment (before the start); the first waiting resident gets the place and is notified ' +
          '(activity.promoted)',
        params: activityIdParam,
        response: { 200: myEnrolmentResponse },
      },
      config: { access },
    },
    async (request) => {
      const actor = actorOf(request);
      const enrolment = await database.transaction((trx) => cancelEnrolment(trx, clock, actor, request.params.id));
      return { enrolment };
    },
  );

  app.post(
    '/api/me/activities/:id/check-in',
    {
      schema: {
        tags,
        summary:
          'Check in with the code of the venue QR code: 400 details.reason code for a wrong code; 409 ' +
          'details.reason notEnrolled, or notOpen outside an hour before the start until the end',
        params: activityIdParam,
        body: checkInBody,
        response: { 200: myEnrolmentResponse },
      },
      config: { access },
    },
    async (request) => {
      const actor = actorOf(request);
      const enrolment = await database.transaction((trx) =>
        checkIn(trx, clock, actor, request.params.id, request.body.code),
      );
      return { enrolment };
    },
  );

  app.get(
    '/api/me/enrolments',
    {
      schema: {
        tags,
        summary: 'My enrolments (enrolled or waiting), with their activities; upcoming or past',
        querystring: myEnrolmentsQuery,
        response: { 200: myEnrolmentPage },
      },
      config: { access },
    },
    async (request) => myEnrolments(db, actorOf(request), request.query, clock.now()),
  );
}
