import { fileURLToPath } from 'node:url';

/** The repository root (bench/lib/../..). */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
