/**
 * Neural-network training speed on the backend the runtime selects (wasm on a CPU-only machine),
 * next to PyTorch CPU on one thread running the same networks (tools/bench/python/cnn_torch.py).
 * Figures are steady-state epochs: the first epoch (wasm warm-up, XNNPACK operator set-up) is run
 * but not counted. Both sides run on one thread, and the figure is CPU seconds per epoch: on a shared
 * machine wall time measures the neighbours; wall seconds are given in the description.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { CnnClassifier, createRandom, NnRegressor } from '@slipway/ml-algorithms';
import { loadBuiltinDataset, loadBuiltinSplit, selectRows } from '@slipway/ml-datasets';
import { selectBackend } from '@slipway/ml-runtime';
import type { BenchFigure, BenchSuite } from './bench-types';

const IMAGES = 2000;
const SIZE = 32;
const CHANNELS = 3;
const CLASSES = 10;
const BATCH = 64;
const EPOCHS = 3;
const PYTHON = process.env['SLIPWAY_BENCH_PYTHON'] ?? '/usr/bin/python3';
const TORCH_SCRIPT = resolve(__dirname, '../python/cnn_torch.py');
const REGRESSION_CSV = resolve(__dirname, '../../../libs/ml/datasets/data/regression_20k.csv.gz');

interface EpochTime {
  wall: number;
  cpu: number;
}

interface TorchTimes {
  torch: string;
  cnn_epoch_s: EpochTime[];
  mlp_epoch_s?: EpochTime[];
}

/** Wall and CPU seconds of each epoch, from the fit's own per-epoch callback. */
async function epochTimes(fit: (onEpoch: () => void) => Promise<unknown>): Promise<EpochTime[]> {
  const times: EpochTime[] = [];
  let wall = performance.now();
  let cpu = process.cpuUsage();
  await fit(() => {
    const used = process.cpuUsage(cpu);
    times.push({ wall: (performance.now() - wall) / 1000, cpu: (used.user + used.system) / 1e6 });
    wall = performance.now();
    cpu = process.cpuUsage();
  });
  return times;
}

function steadyState(times: EpochTime[], key: keyof EpochTime): number {
  const counted = times.length > 1 ? times.slice(1) : times;
  return counted.reduce((sum, t) => sum + t[key], 0) / counted.length;
}

function describeTimes(times: EpochTime[]): string {
  return times.map((t) => `${t.cpu.toFixed(2)} cpu / ${t.wall.toFixed(2)} wall`).join(', ');
}

async function runTorch(): Promise<TorchTimes | null> {
  if (!existsSync(PYTHON)) return null;
  try {
    const { stdout } = await promisify(execFile)(
      PYTHON,
      [
        TORCH_SCRIPT,
        '--images',
        String(IMAGES),
        '--size',
        String(SIZE),
        '--channels',
        String(CHANNELS),
        '--classes',
        String(CLASSES),
        '--batch',
        String(BATCH),
        '--epochs',
        String(EPOCHS),
        '--regression-csv',
        REGRESSION_CSV,
      ],
      { timeout: 600_000, env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } },
    );
    return JSON.parse(stdout.trim().split('\n').pop() ?? '') as TorchTimes;
  } catch {
    return null;
  }
}

function figure(name: string, setup: string, times: EpochTime[], torchTimes: EpochTime[] | undefined, torchVersion: string | undefined): BenchFigure {
  const value = steadyState(times, 'cpu');
  const reference = torchTimes ? steadyState(torchTimes, 'cpu') : undefined;
  const ratio = reference ? value / reference : null;
  const torchNote = torchTimes ? `; PyTorch epochs ${describeTimes(torchTimes)} s` : '; PyTorch reference unavailable';
  return {
    name,
    description: `${setup}; CPU s/epoch, first epoch not counted; tfjs epochs ${describeTimes(times)} s${torchNote}`,
    unit: 's/epoch',
    value,
    reference: reference ? { name: `PyTorch ${torchVersion} CPU, 1 thread`, value: reference } : null,
    ratio,
    target: '≤ 3× PyTorch CPU',
    met: ratio === null ? null : ratio <= 3,
  };
}

export const run: BenchSuite = async () => {
  const backend = await selectBackend();
  const random = createRandom(42);
  const pixels = new Float32Array(IMAGES * SIZE * SIZE * CHANNELS);
  for (let i = 0; i < pixels.length; i++) pixels[i] = random.next();
  const labels = Array.from({ length: IMAGES }, () => random.int(CLASSES));
  const cnn = new CnnClassifier({ epochs: EPOCHS, batchSize: BATCH, validationSplit: 0, earlyStopping: null, seed: 42 });
  const cnnTimes = await epochTimes((onEpoch) => cnn.fit({ data: pixels, count: IMAGES, height: SIZE, width: SIZE, channels: CHANNELS }, labels, { onEpoch }));
  cnn.dispose();

  const data = loadBuiltinDataset('regression_20k');
  const train = selectRows(data, loadBuiltinSplit('regression_20k').train);
  const nn = new NnRegressor({ epochs: EPOCHS, batchSize: BATCH, validationSplit: 0, earlyStopping: null, seed: 42 });
  const nnTimes = await epochTimes((onEpoch) => nn.fit({ data: train.features, nRows: train.nRows, nFeatures: train.nFeatures }, train.targets, { onEpoch }));
  nn.dispose();

  const torch = await runTorch();
  return [
    figure(
      'neural.cnn_32x32x3_2k.epoch',
      `CnnClassifier defaults (conv 32/64/64, 3×3 same, dense 64, dropout 0.25, Adam) on ${IMAGES} seeded random ${SIZE}×${SIZE}×${CHANNELS} images, batch ${BATCH}, tfjs ${backend.backend} (${backend.device})`,
      cnnTimes,
      torch?.cnn_epoch_s,
      torch?.torch,
    ),
    figure(
      'neural.nn_regression_16k.epoch',
      `NnRegressor defaults (64 relu → 32 relu → 1, Adam) on regression_20k's 16,000 training rows, batch ${BATCH}, tfjs ${backend.backend} (${backend.device})`,
      nnTimes,
      torch?.mlp_epoch_s,
      torch?.torch,
    ),
  ];
};
