import { ARROW, type Binding, type WalkContext, warn } from './binding.ts';
import { asLink, inputLabel, type Link, MAX_HOPS, nodeLabel } from './graph.ts';
import { sourceWidget, type ValueType } from './source-widget.ts';

export type { ValueType } from './source-widget.ts';

/**
 * The widget that really holds the value of `node.input`: the input itself when it is a literal, or the
 * widget of the node it is linked to (a primitive, a seed generator, a prompt styler…), followed through
 * as many such links as there are. A link that cannot be resolved is reported, never dropped silently.
 */
export function resolveWidget(
  ctx: WalkContext,
  node: string,
  input: string,
  trail: readonly string[],
  type: ValueType,
): Binding | undefined {
  const value = ctx.graph[node]?.inputs[input];
  const path = [...trail, inputLabel(ctx.graph, node, input)];
  if (value === undefined) return undefined;
  const link = asLink(value);
  if (!link) return { node, input, via: path.join(ARROW) };
  return resolveLinked(ctx, link, input, path, type);
}

function resolveLinked(
  ctx: WalkContext,
  first: Link,
  input: string,
  path: string[],
  type: ValueType,
): Binding | undefined {
  let link = first;
  let wanted = input;
  for (let hops = 0; hops < MAX_HOPS; hops++) {
    if (!ctx.graph[link.node]) return undefined;
    const choice = sourceWidget(ctx, link.node, link.output, wanted, type);
    if (!choice.ok) {
      warn(
        ctx.log,
        `${path.join(ARROW)} is linked to ${nodeLabel(ctx.graph, link.node)}, ${choice.reason}; not bound`,
      );
      return undefined;
    }
    path.push(inputLabel(ctx.graph, link.node, choice.widget));
    const next = asLink(ctx.graph[link.node]!.inputs[choice.widget]);
    if (!next) return { node: link.node, input: choice.widget, via: path.join(ARROW) };
    link = next;
    wanted = choice.widget;
  }
  return undefined;
}
