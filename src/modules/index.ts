import type { ModuleManifest } from '../core/modules.ts';
import { airQualityModule } from './air-quality/module.ts';
import { complaintsModule } from './complaints/module.ts';
import { cyclingModule } from './cycling/module.ts';
import { energyModule } from './energy/module.ts';
import { floodModule } from './flood/module.ts';
import { taxModule } from './tax/module.ts';

/** Every city service, in the order their migrations run. `npm run new-module <id>` adds to this list. */
export const modules: ModuleManifest[] = [
  taxModule,
  complaintsModule,
  airQualityModule,
  floodModule,
  cyclingModule,
  energyModule,
];
