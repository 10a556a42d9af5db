import type { Request } from 'express';

/** A route parameter as text ('' when absent; Express types wildcard parameters as arrays). */
export function param(req: Request, name: string): string {
  const value: unknown = req.params[name];
  return typeof value === 'string' ? value : '';
}
