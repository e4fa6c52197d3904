import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { PushTarget } from '../../core/push.ts';
import { ComplaintsPush } from './push.ts';
import { RefParam } from './schemas.ts';

const tags = ['complaints'];

/** Follows per address per hour for callers who are not signed in (each is a database row). */
export const anonymousFollowsPerHour = 30;

// base64url as browsers give it (PushSubscription.toJSON), padding tolerated; lengths are checked
// again on the decoded bytes.
const Endpoint = Type.String({ minLength: 10, maxLength: 2000, pattern: '^https?://' });
export const PushSubscriptionBody = Type.Object(
  {
    endpoint: Endpoint,
    // Browsers add it; the platform does not use it (the push service answers 404/410 when it ends).
    expirationTime: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
    keys: Type.Object(
      {
        p256dh: Type.String({ pattern: '^[A-Za-z0-9_-]{86,87}=?$', maxLength: 88 }),
        auth: Type.String({ pattern: '^[A-Za-z0-9_-]{22}(==)?$', maxLength: 24 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
const UnsubscribeBody = Type.Object({ endpoint: Endpoint }, { additionalProperties: false });

/** A subscription is a few hundred bytes; nothing bigger is read. */
const bodyLimit = 4096;

/** Web push on a complaint's changes, for anyone who may see its status page (who has the reference). */
export async function pushRoutes(app: FastifyInstance) {
  const push = new ComplaintsPush(app.db, app.push, app.log);
  push.subscribe(app.events);

  app.post(
    '/requests/:reference/push',
    {
      config: { access: 'public', rateLimit: { max: anonymousFollowsPerHour, timeWindow: '1 hour' } },
      bodyLimit,
      schema: {
        tags,
        summary:
          "Follow a complaint's public changes with web push: the browser's PushSubscription (endpoint on a public https address, P-256 and auth keys)",
        params: RefParam,
        body: PushSubscriptionBody,
        response: {
          201: Type.Object({ following: Type.Boolean() }),
          200: Type.Object({ following: Type.Boolean() }),
        },
      },
    },
    async (request, reply) => {
      const body = request.body as PushTarget;
      const { created } = await push.follow(
        (request.params as { reference: string }).reference,
        { endpoint: body.endpoint, keys: body.keys },
        request.locale,
        request.principal?.userId ?? null,
        request.actor(),
      );
      return reply.code(created ? 201 : 200).send({ following: true });
    },
  );

  app.delete(
    '/requests/:reference/push',
    {
      config: { access: 'public' },
      bodyLimit,
      schema: {
        tags,
        summary: 'Stop following a complaint on this browser (the endpoint it subscribed with)',
        params: RefParam,
        body: UnsubscribeBody,
      },
    },
    async (request, reply) => {
      await push.unfollow(
        (request.params as { reference: string }).reference,
        (request.body as { endpoint: string }).endpoint,
        request.actor(),
      );
      return reply.code(204).send();
    },
  );
}
