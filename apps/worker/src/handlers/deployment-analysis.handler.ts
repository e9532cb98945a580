import { QueueName } from '@slipway/queue';
import type { HandlerModule } from './handler';
import { RolloutAnalyser } from './deployment-analysis';

/**
 * How often the workers (together) sweep for rollout steps due for analysis. A step is due an interval after its
 * revision (or its last analysis); the sweep only adds up to this much lateness, and costs one indexed query.
 */
export const ANALYSIS_SWEEP_SECONDS = 2;

/**
 * Rollout analysis (the `deployment-analysis` queue). As with the outbox relay, every worker asks for a sweep on
 * a timer, the queue throttles the asks to one job per sweep interval and its `singleton` policy keeps two from
 * running at once; each deployment is analysed under its own advisory lock besides (RolloutAnalyser), so even
 * two sweeps that overlap act once per step.
 */
export const deploymentAnalysisHandler: HandlerModule = {
  queueName: QueueName.DeploymentAnalysis,
  concurrency: () => 1,
  async start({ uow, queue, logger, onStop }) {
    const analyser = new RolloutAnalyser(uow, logger);
    await queue.work(QueueName.DeploymentAnalysis, 1, async (job) => {
      await analyser.sweep(job.signal);
    });
    const ask = () =>
      void queue.trySend(QueueName.DeploymentAnalysis, {}, { throttleSeconds: ANALYSIS_SWEEP_SECONDS }).catch((error: Error) => {
        logger.warn(`rollout analysis: could not queue a sweep: ${error.message}`);
      });
    ask();
    const timer = setInterval(ask, ANALYSIS_SWEEP_SECONDS * 1000);
    onStop(async () => clearInterval(timer));
  },
};
