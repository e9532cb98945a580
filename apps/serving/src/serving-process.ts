/**
 * One serving replica: reads the deployments, loads (verified, warmed) the versions they serve, answers predictions
 * and the Open Inference Protocol on its port, follows revision changes, and writes its traffic aggregates. Any
 * number of replicas run side by side on the same database and object store; none coordinates with another.
 */
import { ArtifactSigner } from '@slipway/artifacts';
import { requireDatabaseUrl, type PlatformConfig } from '@slipway/config';
import { UnitOfWork } from '@slipway/db';
import { selectBackend } from '@slipway/ml-runtime';
import { createObjectStore } from '@slipway/storage';
import type { Logger } from 'pino';
import { DeploymentRoutes } from './deployment-routes';
import { ServingServer } from './serving-server';
import { TrafficMetrics } from './traffic-metrics';

export class ServingProcess {
  private uow?: UnitOfWork;
  private routes?: DeploymentRoutes;
  private metrics?: TrafficMetrics;
  private server?: ServingServer;
  private stopping?: Promise<void>;

  constructor(
    private readonly config: PlatformConfig,
    private readonly logger: Logger,
  ) {}

  /** Resolves with the port it listens on once the first routing table is in (ready). */
  async start(): Promise<number> {
    const databaseUrl = requireDatabaseUrl(this.config);
    // Networks (nn-regression, the CNN) run on the fastest TensorFlow.js backend here, chosen as the workers choose it
    // (SLIPWAY_TF_BACKEND): left alone, tfjs would run them on its pure-JS cpu backend.
    const backend = await selectBackend({ force: this.config.workers.tfBackend });
    this.logger.info({ backend: backend.backend, device: backend.device }, `TensorFlow.js backend: ${backend.backend}`);
    this.uow = UnitOfWork.connect(databaseUrl, { poolSize: 4 });
    // The same key file as the API: versions are checked against its public key and the retired ones beside it.
    const keys = ArtifactSigner.loadOrCreate(this.config.signingKeyFile).keyRing;
    const objects = createObjectStore(this.config.objectStore);
    this.metrics = new TrafficMetrics(this.uow, this.logger);
    this.routes = new DeploymentRoutes({ uow: this.uow, objects, keys, databaseUrl, pollMs: this.config.serving.pollMs, logger: this.logger });
    this.server = new ServingServer({ routes: this.routes, metrics: this.metrics, uow: this.uow, logger: this.logger });
    // Listening before the first load: liveness answers at once, readiness (/v2/health/ready) once the routes are in.
    const port = await this.server.listen(this.config.serving.port, this.config.serving.host);
    this.metrics.start();
    await this.routes.start();
    this.logger.info({ port, deployments: this.routes.table.size }, `serving on http://${this.config.serving.host}:${port}`);
    return port;
  }

  /** Stops taking requests, finishes those in flight, writes the last counts. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.server?.close();
      await this.routes?.stop();
      await this.metrics?.stop().catch(() => undefined);
      await this.uow?.close();
    })();
    return this.stopping;
  }
}
