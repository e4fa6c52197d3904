import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The NGSI-LD core context URL that answers carry when the caller gave no context. */
export const coreContextUrl = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld';
export const mueangContextUrl = 'https://mueang.dev/ngsi-ld/context.jsonld';

const sdm = (domain: string) =>
  `https://raw.githubusercontent.com/smart-data-models/dataModel.${domain}/master/context.jsonld`;

/**
 * Contexts shipped with the platform, by every URL they are known under: there is no network at
 * run time, so any other URL answers LdContextNotAvailable.
 */
const files: Record<string, string> = {
  'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld': 'ngsi-ld-core.json',
  'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.3.jsonld': 'ngsi-ld-core.json',
  'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.4.jsonld': 'ngsi-ld-core.json',
  'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.5.jsonld': 'ngsi-ld-core.json',
  'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.6.jsonld': 'ngsi-ld-core.json',
  'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.7.jsonld': 'ngsi-ld-core.json',
  [coreContextUrl]: 'ngsi-ld-core.json',
  [mueangContextUrl]: 'mueang.json',
  [sdm('Environment')]: 'sdm-environment.json',
  [sdm('Device')]: 'sdm-device.json',
  [sdm('Streetlighting')]: 'sdm-streetlighting.json',
  [sdm('GreenEnergy')]: 'sdm-greenenergy.json',
  [sdm('WaterQuality')]: 'sdm-waterquality.json',
  [sdm('Parking')]: 'sdm-parking.json',
  'https://smartdatamodels.org/context.jsonld': 'sdm-environment.json',
};

const loaded = new Map<string, unknown>();

/** The `@context` value of a shipped context document, or undefined for an unknown URL. */
export function shippedContext(url: string): unknown {
  const file = files[url];
  if (!file) return undefined;
  let doc = loaded.get(file);
  if (doc === undefined) {
    doc = (JSON.parse(readFileSync(join(import.meta.dirname, file), 'utf8')) as { '@context': unknown })[
      '@context'
    ];
    loaded.set(file, doc);
  }
  return doc;
}
