import type { FastifyInstance } from 'fastify';

/** The NGSI-LD context broker, mounted at /ngsi-ld/v1 (ETSI GS CIM 009). */
export async function contextPlugin(_app: FastifyInstance): Promise<void> {}
