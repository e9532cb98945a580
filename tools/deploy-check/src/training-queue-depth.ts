/**
 * The one query worker autoscaling runs: how many training jobs need a worker slot right now. KEDA's
 * `postgresql` trigger polls it (infra/k8s/base/worker-keda.yaml, infra/k8s/gpu/worker-gpu-keda.yaml, which
 * kubernetes.spec.ts holds to this text), and training-queue-depth.int.spec.ts runs it against pg-boss's own
 * schema, so a pg-boss upgrade that moves the jobs fails a test instead of silently scaling on zero.
 *
 * pg-boss 12 keeps every job in `pgboss.job`, a table partitioned by queue name (a queue created with
 * `partition: true` gets its own partition, the others share `job_common`); reading the parent with
 * `name = 'training'` covers both. States, in pg-boss's enum order: created, retry, active, completed,
 * cancelled, failed. Counted:
 * - `active`: a job a worker holds. Counting it is what keeps the autoscaler from taking away the pods that
 *   run long jobs when nothing waits behind them.
 * - `created` / `retry` that a worker could fetch now: pg-boss's own "ready" (not blocked by a dependency,
 *   `start_after` reached). A job sent for later, or a retry waiting out its backoff, holds no worker yet;
 *   it is counted from the moment it can be fetched.
 * `::float8` because KEDA scans the value into a float64.
 */
export const TRAINING_QUEUE_DEPTH_SQL =
  "SELECT count(*)::float8 FROM pgboss.job WHERE name = 'training' AND (state = 'active' OR (state IN ('created', 'retry') AND NOT blocked AND start_after <= now()))";

/** Whitespace-insensitive form, to compare the query as a YAML block scalar holds it. */
export function normalizeSql(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}
