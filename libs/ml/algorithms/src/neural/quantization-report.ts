import type { ArtifactFiles, NeuralArtifact, SaveArtifactOptions } from './artifact';
import { WEIGHT_QUANTIZATIONS, type WeightQuantization } from './weight-quantization';

/** Size and quality of one export of a model, next to the float32 export. */
export interface QuantizationReportRow {
  quantization: WeightQuantization;
  totalBytes: number;
  weightBytes: number;
  /** Artifact size relative to the float32 export. */
  sizeRatio: number;
  /** The model's quality metric (R², accuracy) measured on the reloaded export. */
  metric: number;
  /** metric − the float32 export's metric. */
  metricChange: number;
}

interface Exportable {
  save(options?: SaveArtifactOptions): Promise<NeuralArtifact>;
}

interface Disposable {
  dispose(): void;
}

/**
 * Exports the model at each weight precision, reloads each export the way a consumer would and
 * measures it, so the size/quality trade-off is reported from the artifacts actually shipped.
 */
export async function compareQuantizations<L extends Disposable>(
  model: Exportable,
  load: (files: ArtifactFiles) => Promise<L>,
  measure: (loaded: L) => number,
  quantizations: readonly WeightQuantization[] = WEIGHT_QUANTIZATIONS,
): Promise<QuantizationReportRow[]> {
  const measured: Array<Omit<QuantizationReportRow, 'sizeRatio' | 'metricChange'>> = [];
  for (const quantization of ['none', ...quantizations.filter((q) => q !== 'none')] as WeightQuantization[]) {
    const artifact = await model.save({ quantization });
    const loaded = await load(artifact.files);
    try {
      measured.push({ quantization, totalBytes: artifact.totalBytes, weightBytes: artifact.manifest.tfjs.weightBytes, metric: measure(loaded) });
    } finally {
      loaded.dispose();
    }
  }
  const base = measured[0];
  return measured
    .filter((row) => quantizations.includes(row.quantization))
    .map((row) => ({ ...row, sizeRatio: row.totalBytes / base.totalBytes, metricChange: row.metric - base.metric }));
}
