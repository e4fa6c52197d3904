import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { downlinkRoutes } from './downlink-routes.ts';
import { linkRoutes } from './link-routes.ts';
import { operationRoutes } from './routes-operations.ts';
import {
  DeviceBody,
  type DeviceFilter,
  type DeviceInput,
  DevicePatch,
  type DevicePatchInput,
  DeviceQuery,
  DeviceSchema,
  IdParam,
  ProfileBody,
  type ProfileInput,
  ProfilePatch,
  type ProfilePatchInput,
  ProfileSchema,
  type ReadingsFilter,
  ReadingsQuery,
  ReadingsSchema,
} from './schemas.ts';
import { DeviceService, keepers } from './service.ts';

const tags = ['devices'];
const staff = { access: 'staff' as const };
const keep = { access: [...keepers] };
const profileKeepers = { access: ['admin' as const, 'office_manager' as const] };
type Id = { id: string };

/** The sensor registry at /api/devices and /api/device-profiles. Thin: validate, authorise, call the service. */
export async function deviceRoutes(app: FastifyInstance) {
  const service = new DeviceService(app.db);

  app.get(
    '/device-profiles',
    {
      config: staff,
      schema: { tags, summary: 'Device profiles', response: { 200: Type.Array(ProfileSchema) } },
    },
    () => service.repo.listProfiles(),
  );
  app.get(
    '/device-profiles/:id',
    {
      config: staff,
      schema: { tags, summary: 'One device profile', params: IdParam, response: { 200: ProfileSchema } },
    },
    (request) => service.getProfile((request.params as Id).id),
  );
  app.post(
    '/device-profiles',
    {
      config: profileKeepers,
      schema: {
        tags,
        summary:
          'Add a device profile: its decoder (Cayenne LPP, JSON or a byte layout) and what it measures',
        body: ProfileBody,
        response: { 201: ProfileSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.createProfile(request.body as ProfileInput, request.actor())),
  );
  app.patch(
    '/device-profiles/:id',
    {
      config: profileKeepers,
      schema: {
        tags,
        summary: 'Change a device profile',
        params: IdParam,
        body: ProfilePatch,
        response: { 200: ProfileSchema },
      },
    },
    (request) =>
      service.updateProfile((request.params as Id).id, request.body as ProfilePatchInput, request.actor()),
  );
  app.delete(
    '/device-profiles/:id',
    { config: profileKeepers, schema: { tags, summary: 'Remove an unused device profile', params: IdParam } },
    async (request, reply) => {
      await service.deleteProfile((request.params as Id).id, request.actor());
      return reply.code(204).send();
    },
  );

  app.get(
    '/devices',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Devices, filtered by profile, office or tag',
        querystring: DeviceQuery,
        response: { 200: Type.Array(DeviceSchema) },
      },
    },
    (request) => service.list(request.query as DeviceFilter),
  );
  app.get(
    '/devices/:id',
    {
      config: staff,
      schema: { tags, summary: 'One device', params: IdParam, response: { 200: DeviceSchema } },
    },
    (request) => service.get((request.params as Id).id),
  );
  app.get(
    '/devices/:id/readings',
    {
      config: staff,
      schema: {
        tags,
        summary:
          'A device’s latest value of each quantity, and its readings in a time range (default: the last 24 hours)',
        params: IdParam,
        querystring: ReadingsQuery,
        response: { 200: ReadingsSchema },
      },
    },
    (request) => service.readings((request.params as Id).id, request.query as ReadingsFilter),
  );
  app.post(
    '/devices',
    {
      config: keep,
      schema: {
        tags,
        summary: 'Register a device (office-bound staff register for their own office)',
        body: DeviceBody,
        response: { 201: DeviceSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await service.create(request.body as DeviceInput, request.principal!, request.actor())),
  );
  app.patch(
    '/devices/:id',
    {
      config: keep,
      schema: {
        tags,
        summary: 'Change a device',
        params: IdParam,
        body: DevicePatch,
        response: { 200: DeviceSchema },
      },
    },
    (request) =>
      service.update(
        (request.params as Id).id,
        request.body as DevicePatchInput,
        request.principal!,
        request.actor(),
      ),
  );
  app.delete(
    '/devices/:id',
    { config: keep, schema: { tags, summary: 'Remove a device and its readings', params: IdParam } },
    async (request, reply) => {
      await service.remove((request.params as Id).id, request.principal!, request.actor());
      return reply.code(204).send();
    },
  );
  await linkRoutes(app);
  await downlinkRoutes(app);
  await operationRoutes(app);
}
