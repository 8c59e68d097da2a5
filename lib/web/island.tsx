/**
 * Server-side island marker: renders the island's HTML and records which island it is and its props, so the
 * browser bundle can hydrate it. Props travel as JSON in a `data-props` attribute: attribute escaping makes any
 * log text inside inert (no `</script>` break-out is possible, unlike an inline script).
 *
 * @module
 */
import type { ComponentType, JSX } from "preact";

/** Props of {@link Island}. */
export interface IslandProps<P> {
  /** The island's file name without `.tsx` (e.g. `LiveChart` for `islands/LiveChart.tsx`). */
  name: string;
  component: ComponentType<P>;
  props: P;
}

/**
 * Renders an island for hydration.
 *
 * @example
 * ```tsx
 * import { Island } from "./island.tsx";
 * const Hello = ({ who }: { who: string }) => <b>{who}</b>;
 * const vnode = <Island name="Hello" component={Hello} props={{ who: "<script>" }} />;
 * ```
 */
export function Island<P>({ name, component: Component, props }: IslandProps<P>): JSX.Element {
  return (
    <div class="island" data-island={name} data-props={JSON.stringify(props)}>
      <Component {...(props as P & JSX.IntrinsicAttributes)} />
    </div>
  );
}
