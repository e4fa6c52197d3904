import type { FastifyInstance } from 'fastify';
import { revenue, tags } from './access.ts';
import {
  ReminderBody,
  type ReminderInput,
  Reminders,
  YearRemindersBody,
  type YearRemindersInput,
} from './reminders.ts';
import { IdParam } from './schemas.ts';

/** Finance staff who keep the bills send the reminders of overdue ones (executives only read). */
export async function reminderRoutes(app: FastifyInstance) {
  const reminders = new Reminders(app.db);
  app.post(
    '/bills/:id/reminders',
    {
      config: revenue,
      schema: {
        tags,
        summary:
          'Send the reminder (หนังสือแจ้งเตือน) of an overdue bill, with the day to pay by (default 30 days); once per bill',
        params: IdParam,
        body: ReminderBody,
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await reminders.send(
            (request.params as { id: string }).id,
            (request.body ?? {}) as ReminderInput,
            request.actor(),
          ),
        ),
  );

  app.post(
    '/reminders',
    {
      config: revenue,
      schema: {
        tags,
        summary: 'Send reminders for every overdue bill of a tax year that has none yet',
        body: YearRemindersBody,
      },
    },
    async (request, reply) =>
      reply.code(201).send(await reminders.sendForYear(request.body as YearRemindersInput, request.actor())),
  );
}
