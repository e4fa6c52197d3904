import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { dimensions, type ModuleManifest } from '../modules.ts';

const dimensionNames: Record<string, { th: string; en: string }> = {
  people: { th: 'พลเมืองอัจฉริยะ', en: 'Smart People' },
  living: { th: 'การดำรงชีวิตอัจฉริยะ', en: 'Smart Living' },
  education: { th: 'การศึกษาอัจฉริยะ', en: 'Smart Education' },
  environment: { th: 'สิ่งแวดล้อมอัจฉริยะ', en: 'Smart Environment' },
  economy: { th: 'เศรษฐกิจอัจฉริยะ', en: 'Smart Economy' },
  governance: { th: 'การบริหารภาครัฐอัจฉริยะ', en: 'Smart Governance' },
  mobility: { th: 'การเดินทางและขนส่งอัจฉริยะ', en: 'Smart Mobility' },
};

const ModuleRef = Type.Object({
  id: Type.String(),
  nameTh: Type.String(),
  nameEn: Type.String(),
  path: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('coming')]),
});

const Meta = Type.Object({
  city: Type.Object({ id: Type.String(), nameTh: Type.String(), nameEn: Type.String() }),
  demo: Type.Boolean(),
  map: Type.Object({
    tileUrl: Type.Union([Type.String(), Type.Null()]),
    center: Type.Array(Type.Number()),
    zoom: Type.Number(),
  }),
  dimensions: Type.Array(
    Type.Object({
      id: Type.String(),
      nameTh: Type.String(),
      nameEn: Type.String(),
      modules: Type.Array(ModuleRef),
    }),
  ),
});

export async function metaRoutes(app: FastifyInstance, options: { modules: ModuleManifest[] }) {
  const body = {
    city: { id: 'khon-kaen', nameTh: 'เทศบาลนครขอนแก่น', nameEn: 'Khon Kaen City Municipality' },
    demo: app.config.DEMO,
    map: { tileUrl: app.config.MAP_TILE_URL ?? null, center: [102.835, 16.425], zoom: 12 },
    dimensions: dimensions.map((id) => ({
      id,
      nameTh: dimensionNames[id].th,
      nameEn: dimensionNames[id].en,
      modules: options.modules
        .filter((m) => m.dimension === id)
        .map((m) => ({
          id: m.id,
          nameTh: m.names.th,
          nameEn: m.names.en,
          path: m.webPath ?? `/${m.id}`,
          // A module without web pages yet (API only) is shown as coming, not linked to a page that is not there.
          status: m.webPath ? ('active' as const) : ('coming' as const),
        })),
    })),
  };
  app.get(
    '/api/meta',
    {
      config: { access: 'public' },
      schema: {
        tags: ['platform'],
        summary: 'The city, its dimensions and modules',
        response: { 200: Meta },
      },
    },
    async () => body,
  );
}
