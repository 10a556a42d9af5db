/**
 * The card templates in `cards/<platform>/`, read and parsed once, on first use, for adaptivecards-templating. Both
 * chat adapters load their templates here; the files are literal JSON, never built from data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { PACKAGE_ROOT } from '../paths.js';

/** `cards/<folder>/<name>.json` for each name, as templates by name. */
export function cardTemplates<N extends string>(folder: string, names: readonly N[]): (name: N) => ACData.Template {
  let templates: Map<N, ACData.Template> | undefined;
  return (name) => {
    templates ??= new Map(
      names.map((n) => [
        n,
        new ACData.Template(
          JSON.parse(readFileSync(join(PACKAGE_ROOT, 'cards', folder, `${n}.json`), 'utf8')) as object,
        ),
      ]),
    );
    const found = templates.get(name);
    if (!found) throw new Error(`no card template cards/${folder}/${name}.json`);
    return found;
  };
}
