import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { installAuth } from './http/auth-hook.ts';
import type { App, RouteEntry, Services } from './http/context.ts';
import { frameworkErrors, installErrorHandling } from './http/error-handler.ts';
import { AppError } from './http/errors.ts';
import { idempotencyApplies, idempotencyHeaders, installIdempotency } from './http/idempotency.ts';
import { installSecurityHeaders } from './http/security-headers.ts';
import { routeModules } from './routes.ts';

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
}

const REQUEST_ID = /^[\w.-]{8,64}$/;

export async function buildApp(services: Services, options: BuildOptions = {}): Promise<App> {
  const { config } = services;
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false } },
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>() as App;

  // JSON only (and multipart for uploads, registered below): a text/plain body is a 415, not a string.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('actor', null);
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routeTable.push({
        method,
        url: route.url,
        access: (route.config as { access?: RouteEntry['access'] } | undefined)?.access,
        hasBody: Boolean(route.schema?.body),
        idempotent: idempotencyApplies(method, route.config),
      });
    }
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  installErrorHandling(app);
  installSecurityHeaders(app, config);

  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 10 } });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      new AppError('RATE_LIMITED', `Too many requests; try again in ${ctx.after}`, undefined, {
        'retry-after': String(Math.ceil(ctx.ttl / 1000)),
      }),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Linli 邻里 API',
        version: '0.1.0',
        description:
          'Party-building-led grassroots governance. Every error has the shape { error: { code, message, details?, requestId } }. ' +
          'Staff sign in at POST /api/auth/login; unsafe requests carry the session CSRF token in the x-csrf-token header. ' +
          'Every POST that needs an account accepts an Idempotency-Key header: a retry with the same key gets the same ' +
          'answer (Idempotent-Replayed: true) instead of creating again.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'linli_sid' } } },
      security: [{ session: [] }],
    },
    // The Idempotency-Key header is documented on every route that keeps it (the hook, not the route, checks it).
    transform: (input) =>
      jsonSchemaTransform(
        idempotencyApplies(input.route.method, input.route.config) && input.schema && !input.schema.headers
          ? { ...input, schema: { ...input.schema, headers: idempotencyHeaders } }
          : input,
      ),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  // Before the auth hook: a malformed Idempotency-Key is refused first, and the request's context carries the key.
  installIdempotency(app, services);
  installAuth(app, services);

  for (const register of routeModules) {
    await register(app, services);
  }
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: { auth: 'public' } } }, async () =>
    app.swagger(),
  );

  await serveWebApps(app, config.webDir);
  return app;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Keeps the cache-control header set here (@fastify/static would replace it with its own). */
const OWN_CACHE_HEADER = { cacheControl: false } as const;

/** The built console and H5 (dist/web), each a single-page app with its own index.html fallback. */
async function serveWebApps(app: App, webDir: string) {
  if (!existsSync(webDir)) {
    app.log.warn({ webDir }, 'web apps not built: run `npm run build` (npm start does it for you)');
    return;
  }
  const assetsDir = path.join(path.resolve(webDir), 'assets') + path.sep;
  // The build writes .br and .gz beside each script, style sheet and page (vite.config.ts); they are sent
  // to browsers that accept them.
  await app.register(fastifyStatic, {
    root: webDir,
    prefix: '/',
    wildcard: false,
    index: false,
    preCompressed: true,
    // Hashed build output (/assets/…) never changes under its name; the pages set their own header below.
    cacheControl: false,
    setHeaders: (reply, filePath) => {
      if (filePath.startsWith(assetsDir)) reply.header('cache-control', IMMUTABLE);
    },
  });
  const spa = (name: string) => path.join(name, 'index.html');
  app.get('/', { schema: { hide: true }, config: { access: { auth: 'public' } } }, (_req, reply) =>
    reply.redirect('/console/'),
  );
  for (const name of ['console', 'h5']) {
    const handler = (
      _req: unknown,
      reply: {
        sendFile: (f: string, o: { cacheControl: false }) => unknown;
        header: (k: string, v: string) => unknown;
      },
    ) => {
      reply.header('cache-control', 'no-cache');
      return reply.sendFile(spa(name), OWN_CACHE_HEADER);
    };
    app.get(`/${name}`, { schema: { hide: true }, config: { access: { auth: 'public' } } }, (_req, reply) =>
      reply.redirect(`/${name}/`),
    );
    app.get(`/${name}/`, { schema: { hide: true }, config: { access: { auth: 'public' } } }, handler as never);
    app.get(`/${name}/*`, { schema: { hide: true }, config: { access: { auth: 'public' } } }, (request, reply) => {
      const rel = (request.params as { '*': string })['*'];
      if (rel && existsSync(path.join(webDir, name, rel)) && !rel.includes('..')) {
        // Hashed build output never changes under its name; anything else (the service worker, icons, the
        // manifest) is checked with the server on every use.
        reply.header('cache-control', rel.startsWith('assets/') ? IMMUTABLE : 'no-cache');
        return reply.sendFile(path.join(name, rel), OWN_CACHE_HEADER);
      }
      reply.header('cache-control', 'no-cache');
      return reply.sendFile(spa(name), OWN_CACHE_HEADER);
    });
  }
}
