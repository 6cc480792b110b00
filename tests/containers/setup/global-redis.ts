import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { containersEnv, runLabels } from '../helpers/env.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A real Redis for the suites that need one; empty when none could be found or started. */
    redisUrl: string;
  }
}

let redis: StartedTestContainer | undefined;

/**
 * Starts one Redis container for the run (noeviction, as BullMQ requires) and hands its
 * mapped URL to the suites as `redisUrl`, the same name the main test run uses.
 */
export default async function setup(project: TestProject) {
  redis = await new GenericContainer(containersEnv.redisImage)
    .withCommand(['redis-server', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'])
    .withExposedPorts(6379)
    .withLabels(runLabels())
    .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
    .start();
  project.provide('redisUrl', `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`);
  return async () => {
    await redis?.stop({ timeout: 2_000 });
  };
}
