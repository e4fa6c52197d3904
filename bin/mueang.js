#!/usr/bin/env node
// `npx mueang …`: runs the TypeScript CLI through tsx's loader (no separate compile step).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
