/**
 * A ranked distribution as horizontal bars (component, level, templates), each row a link to the explorer.
 *
 * @module
 */
import type { JSX } from "preact";
import type { Bucket } from "../web_deps.ts";
import { formatCount } from "./format.ts";

/** Props of {@link BarList}. */
export interface BarListProps {
  items: Bucket[];
  /** Builds the link for a row. */
  href?: (item: Bucket) => string;
  empty?: string;
  /** CSS class for the bar tone. */
  tone?: string;
}

/** Renders the bars, scaled to the largest count. */
export function BarList(
  { items, href, empty = "No data in this window", tone = "" }: BarListProps,
): JSX.Element {
  if (items.length === 0) return <p class="muted empty">{empty}</p>;
  const max = Math.max(...items.map((i) => i.count), 1);
  return (
    <ul class={`barlist ${tone}`}>
      {items.map((item) => {
        const label = item.label ?? item.key;
        const inner = (
          <>
            <span class="bar" style={`width:${((item.count / max) * 100).toFixed(1)}%`} aria-hidden="true" />
            <span class="bar-label" title={label}>{label || "(empty)"}</span>
            <span class="bar-count">{formatCount(item.count)}</span>
          </>
        );
        return (
          <li key={item.key}>{href ? <a href={href(item)}>{inner}</a> : <span class="row">{inner}</span>}</li>
        );
      })}
    </ul>
  );
}
