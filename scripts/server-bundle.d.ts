/** Entry file of the current build of `root`'s src/cli.ts if every input is unchanged, else undefined. */
export function freshBundle(root?: string): string | undefined;
/** Builds `root`'s src/cli.ts into dist/server/<build>/ and makes it the current build. */
export function buildBundle(root?: string): Promise<void>;
/** Entry file of an up-to-date build, building it when needed. */
export function serverBundle(root?: string): Promise<string>;
