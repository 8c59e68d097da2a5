/**
 * Small labelled badges for classification and level.
 *
 * @module
 */
import type { JSX } from "preact";

const CLASS_LABEL: Record<string, string> = {
  NORMAL: "normal",
  ANOMALY: "anomaly",
  CRITICAL_ANOMALY: "critical",
};

/** A classification badge. */
export function ClassBadge({ value }: { value: string }): JSX.Element {
  return <span class={`badge cls-${value.toLowerCase()}`}>{CLASS_LABEL[value] ?? value}</span>;
}

/** A level badge. */
export function LevelBadge({ value }: { value: string }): JSX.Element {
  return <span class={`badge lvl lvl-${value}`}>{value}</span>;
}

/** A score shown as a number with a thin bar. */
export function ScoreBar({ score }: { score: number }): JSX.Element {
  const pct = Math.round(Math.min(1, Math.max(0, score)) * 100);
  const tone = score >= 0.8 ? "hi" : score >= 0.5 ? "mid" : "lo";
  return (
    <span class={`score score-${tone}`} title={`score ${score.toFixed(3)}`}>
      <span class="score-num">{score.toFixed(2)}</span>
      <span class="score-track" aria-hidden="true">
        <span class="score-fill" style={`width:${pct}%`} />
      </span>
    </span>
  );
}
