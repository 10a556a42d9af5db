/**
 * One area of the configuration (server, store, Teams, …): the environment keys it reads, as a zod object, and how
 * its part of `Config` is built from them, with the area's own cross-field checks. `loadConfig` runs every area, so
 * one start-up reports every problem at once.
 */
import type { z } from 'zod';

/** What every area's checks can see and add to. */
export interface AreaContext {
  /** NODE_ENV=production (any case) */
  readonly production: boolean;
  /** where relative paths are resolved */
  readonly cwd: string;
  /** one line per problem, naming the variable and the fix */
  readonly problem: (line: string) => void;
  /** worth a line at start-up, not worth stopping for */
  readonly warn: (line: string) => void;
}

export interface Area<S extends z.ZodRawShape, C> {
  readonly schema: z.ZodObject<S>;
  build(values: z.output<z.ZodObject<S>>, context: AreaContext): C;
}

export function defineArea<S extends z.ZodRawShape, C>(area: Area<S, C>): Area<S, C> {
  return area;
}
