import type { Actor } from '../audit/audit.ts';
import type { Access, Principal } from '../auth/roles.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import type { Events } from '../events/outbox.ts';
import type { Locale } from '../i18n.ts';
import type { Mail } from '../mail.ts';
import type { WebPush } from '../push.ts';

export interface RouteInfo {
  method: string;
  url: string;
  access: Access;
  offices?: string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Office codes that office-bound staff (managers, officers) must belong to. */
    offices?: string[];
    /** Skip the CSRF check (only for endpoints that create the session). */
    csrfExempt?: boolean;
  }
  interface FastifyInstance {
    config: Config;
    db: Db;
    events: Events;
    /** Outgoing email (off without SMTP_URL). */
    mail: Mail;
    /** Outgoing web push (VAPID keys from the configuration or DATA_DIR). */
    push: WebPush;
    routeTable: RouteInfo[];
  }
  interface FastifyRequest {
    principal: Principal | null;
    locale: Locale;
    actor(): Actor;
  }
}
