/**
 * vigil's config (`incidents.*`) → {@link IncidentDetectionOptions}: the one place the engine, the offline
 * CLIs and the evaluation take their detection settings from.
 *
 * @module
 */
import type { VigilConfig } from "../config/vigil_config.ts";
import type { IncidentDetectionOptions } from "./incident_detection.ts";

/** The detection options the config sets. */
export function detectionOptionsFromConfig(config: VigilConfig): IncidentDetectionOptions {
  return {
    tracker: { quietMs: config.incidents.quietMs },
    rate: { bucketMs: config.incidents.rateBucketMs },
    model: { threshold: config.incidents.modelThreshold },
  };
}
