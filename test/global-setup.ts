import type { TestProject } from 'vitest/node';
import { prepareTemplate } from '../src/core/testing/template.ts';

/** Builds the migrated PGlite template once per run; each test file starts from a copy of it. */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) return;
  project.provide('pgliteTemplate', await prepareTemplate());
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
