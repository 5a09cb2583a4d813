import { configJsonSchema } from './schema.ts';

type JsonSchema = { properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[] };

let root: JsonSchema | undefined;

/** The keys the schema allows at `path`, read from its JSON Schema, for "did you mean" hints. */
export function knownKeys(path: readonly PropertyKey[]): string[] {
  root ??= configJsonSchema() as JsonSchema;
  let nodes: JsonSchema[] = [root];
  for (const key of path) {
    nodes = nodes
      .flatMap((n) => [n, ...(n.anyOf ?? [])])
      .map((n) => (typeof key === 'number' ? n.items : n.properties?.[String(key)]))
      .filter((n): n is JsonSchema => n !== undefined);
  }
  return [
    ...new Set(nodes.flatMap((n) => [n, ...(n.anyOf ?? [])]).flatMap((n) => Object.keys(n.properties ?? {}))),
  ];
}
