import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AlertService } from './service.ts';

const Text = Type.Object({ th: Type.String(), en: Type.String() });
const PublicWarning = Type.Object({
  id: Type.String(),
  category: Type.String(),
  urgency: Type.String(),
  severity: Type.String(),
  certainty: Type.String(),
  event: Text,
  headline: Text,
  description: Text,
  instruction: Text,
  areaDesc: Text,
  zoneCode: Type.Union([Type.String(), Type.Null()]),
  sent: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  capUrl: Type.String(),
});

/**
 * Current public warnings for the residents' page: the same rows as the CAP feed, open and not
 * expired, with only what a CAP message publishes (no staff, office or lifecycle data).
 */
export function publicWarningRoutes(app: FastifyInstance, service: AlertService): void {
  app.get(
    '/api/alerts/public',
    {
      config: { access: 'public' },
      schema: {
        tags: ['alerts'],
        summary: 'Current public warnings (as published in CAP 1.2), newest first',
        response: { 200: Type.Array(PublicWarning) },
      },
    },
    async () => {
      const now = Date.now();
      const alerts = await service.repo.publicFeed(200, 0);
      return alerts
        .filter((a) => a.status !== 'resolved' && (!a.expiresAt || Date.parse(a.expiresAt) > now))
        .map((a) => ({
          id: a.id,
          category: a.category,
          urgency: a.urgency,
          severity: a.severity,
          certainty: a.certainty,
          event: a.event,
          headline: a.headline,
          description: a.description,
          instruction: a.instruction,
          areaDesc: a.areaDesc,
          zoneCode: a.zoneCode,
          sent: a.capSent,
          expiresAt: a.expiresAt,
          capUrl: `/alerts/cap/${a.id}.xml`,
        }));
    },
  );
}
