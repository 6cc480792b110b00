/** Settings handed down by scripts/containers/run-tests.sh. */
export const containersEnv = {
  /** Labels every container of this run so the runner can remove leftovers by id. */
  runId: process.env.CONTAINERS_RUN_ID ?? 'manual',
  dockerHost: process.env.DOCKER_HOST ?? '',
  nodeImage: process.env.NODE_BASE_IMAGE ?? 'localhost/node-base:20',
  redisImage: process.env.REDIS_LOCAL_IMAGE ?? 'localhost/redis-local:7',
  nginxImage: process.env.NGINX_LOCAL_IMAGE ?? 'localhost/nginx-local:1',
  composeProject: process.env.COMPOSE_PROJECT_NAME ?? 'cosct-manual',
};

/** Labels put on every container a suite starts. */
export const runLabels = (): Record<string, string> => ({ 'org.context-os.test-run': containersEnv.runId });
