import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Smart Data Models examples (test data kept in the repo, CC BY 4.0; see its README), moved to Khon Kaen. */
export const sdmDir = fileURLToPath(new URL('../../../test/data/smart-data-models', import.meta.url));

export function example(model: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${sdmDir}/${model}.example-normalized.jsonld`, 'utf8'));
}

/** An example as a Khon Kaen entity: its own id, a point in the city, no @context (sent as a Link). */
export function khonKaen(model: string, n: number, lon = 102.83, lat = 16.43): Record<string, unknown> {
  const { '@context': _, ...e } = example(model);
  return {
    ...e,
    id: `urn:ngsi-ld:${model}:kk-${String(n).padStart(3, '0')}`,
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [lon, lat] } },
  };
}

export function contextOfExample(model: string): unknown {
  return example(model)['@context'];
}

export const sdmLink = (domain: string) =>
  `<https://raw.githubusercontent.com/smart-data-models/dataModel.${domain}/master/context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
