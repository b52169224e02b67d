import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { App } from './context.ts';
import { AppError, type ErrorBody } from './errors.ts';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}

/** PostgreSQL error codes that mean the request was wrong, not the server. */
function fromDatabase(error: PgError): AppError | null {
  switch (error.code) {
    case '23505':
      return new AppError('DUPLICATE', 'A record with the same unique value already exists', {
        constraint: error.constraint,
      });
    case '23503':
      return new AppError('BAD_REQUEST', 'A referenced record does not exist or is still in use', {
        constraint: error.constraint,
      });
    case '23514':
    case '23502':
      return new AppError('VALIDATION_FAILED', 'A value breaks a rule of the data', { constraint: error.constraint });
    case '22001':
    case '22003':
    case '22007':
    case '22008':
    case '22009':
    case '22P02':
      return new AppError('VALIDATION_FAILED', 'A value has the wrong format or is out of range');
    case '22021':
    case '22P05':
      return new AppError('VALIDATION_FAILED', 'A value contains a character that cannot be stored (e.g. NUL)');
    case '54000':
      return new AppError('VALIDATION_FAILED', 'A value is too large to be stored or searched');
    case '40001':
    case '40P01':
      return new AppError('CONFLICT', 'The record was changed concurrently; try again');
    default:
      return null;
  }
}

/**
 * The database server is away (restarting, crashed, refusing connections): 503 with Retry-After, which clients
 * retry (web/shared/api.ts), instead of a 500. PostgreSQL's class 08 (connection exception), 57P01–57P03
 * (shutdown, crash, starting up) and 53300 (too many connections); the driver's socket errors and messages.
 */
const DATABASE_AWAY_CODES = /^(08\d{3}|57P0[123]|53300|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH)$/;
const DATABASE_AWAY_MESSAGES =
  /^(Connection terminated unexpectedly|Connection terminated due to connection timeout|Client has encountered a connection error and is not queryable|timeout exceeded when trying to connect)$/;

function databaseAway(error: unknown): AppError | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  if ((typeof code === 'string' && DATABASE_AWAY_CODES.test(code)) || DATABASE_AWAY_MESSAGES.test(error.message)) {
    return new AppError('UNAVAILABLE', 'The database is unavailable; try again shortly', undefined, {
      'retry-after': '1',
    });
  }
  return null;
}

function fromFastify(error: FastifyError): AppError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type; send application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('MALFORMED_JSON', 'The request body is not valid JSON');
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new AppError('PAYLOAD_TOO_LARGE', 'The upload is too large');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data');
    case 'FST_ERR_BAD_URL':
      return new AppError('BAD_REQUEST', 'The URL is not valid (bad percent-encoding)');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError('BAD_REQUEST', 'A path parameter is too long');
    default:
      break;
  }
  if (error instanceof SyntaxError || error.statusCode === 400) {
    return new AppError('MALFORMED_JSON', 'The request could not be parsed');
  }
  if (error.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large');
  if (error.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type');
  return null;
}

/** busboy (multipart parsing) raises plain Errors without a code when an upload is cut short or has no boundary. */
const MULTIPART_BROKEN =
  /^(Unexpected end of multipart data|Multipart: Boundary not found|\w+ terminated early due to unexpected end of multipart data)$/;

export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (error instanceof Error && !('code' in error) && MULTIPART_BROKEN.test(error.message)) {
    return new AppError('BAD_REQUEST', 'The upload is not complete multipart/form-data');
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    return new AppError(
      'VALIDATION_FAILED',
      'The request is not valid',
      error.validation.map((v) => ({
        in: error.validationContext,
        path: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
        message: v.message,
      })),
    );
  }
  const away = databaseAway(error);
  if (away) return away;
  const asPg = error as PgError;
  if (typeof asPg?.code === 'string' && /^[0-9A-Z]{5}$/.test(asPg.code)) return fromDatabase(asPg);
  if (typeof (error as FastifyError)?.code === 'string') return fromFastify(error as FastifyError);
  return null;
}

export function sendError(reply: FastifyReply, request: FastifyRequest, error: AppError) {
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
      requestId: String(request.id),
    },
  };
  for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
  return reply.status(error.status).type('application/json; charset=utf-8').send(body);
}

/**
 * Errors the router raises before any route or hook runs (a malformed or overlong URL): given to Fastify as
 * its `frameworkErrors` option so they too leave in the one error shape.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const known = toAppError(error);
  if (!known || known.status >= 500) request.log.error({ err: error }, 'router error');
  return sendError(
    reply,
    request,
    known ?? new AppError('INTERNAL', 'Internal error; the request id identifies it in the log'),
  );
}

/** The one error handler: every failure leaves in the same shape; anything unexpected is a logged 500. */
export function installErrorHandling(app: App) {
  app.setErrorHandler((error, request, reply) => {
    const known = toAppError(error);
    if (known) {
      if (known.status >= 500) request.log.error({ err: error }, known.message);
      return sendError(reply, request, known);
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause }, 'response did not match its schema');
    } else {
      request.log.error({ err: error }, 'unhandled error');
    }
    return sendError(
      reply,
      request,
      new AppError('INTERNAL', 'Internal error; the request id identifies it in the log'),
    );
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, request, new AppError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
