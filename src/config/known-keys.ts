type JsonSchema = { properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[] };

/** The keys a JSON Schema allows at `path`, for "did you mean" hints. */
export function knownKeysIn(schema: Record<string, unknown>): (path: readonly PropertyKey[]) => string[] {
  const root = schema as JsonSchema;
  return (path) => {
    let nodes: JsonSchema[] = [root];
    for (const key of path) {
      nodes = nodes
        .flatMap((n) => [n, ...(n.anyOf ?? [])])
        .map((n) => (typeof key === 'number' ? n.items : n.properties?.[String(key)]))
        .filter((n): n is JsonSchema => n !== undefined);
    }
    return [
      ...new Set(
        nodes.flatMap((n) => [n, ...(n.anyOf ?? [])]).flatMap((n) => Object.keys(n.properties ?? {})),
      ),
    ];
  };
}
