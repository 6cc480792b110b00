import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { containersEnv } from '../helpers/env.ts';
import { exec, ROOT } from '../helpers/exec.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The project's image built from ./Dockerfile on the local Node base; empty when the build failed. */
    appImage: string;
    /** The mock ONEAPI image from services/mock-oneapi/Dockerfile; empty when the build failed. */
    mockImage: string;
    /** Why an image is missing, for the suites that need it. */
    imageErrors: string;
  }
}

/** Tags for this run's images; reused by every suite and by the compose stack. */
export const APP_IMAGE = 'localhost/context-os:containers-test';
export const MOCK_IMAGE = 'localhost/context-os-mock-oneapi:containers-test';

async function build(dockerfile: string, tag: string): Promise<string> {
  if (!existsSync(join(ROOT, dockerfile))) return `${dockerfile} does not exist`;
  const args = [
    'build',
    '--format',
    'docker',
    '-f',
    dockerfile,
    '--build-arg',
    `NODE_IMAGE=${containersEnv.nodeImage}`,
  ];
  const res = await exec('podman', [...args, '-t', tag, '.'], { allowFailure: true });
  const log = join(process.env.CONTAINERS_WORK_DIR ?? ROOT, `build-${tag.replace(/\W+/g, '-')}.log`);
  if (process.env.CONTAINERS_WORK_DIR) writeFileSync(log, `${res.stdout}\n${res.stderr}`);
  if (res.code !== 0) {
    const tail = `${res.stdout}\n${res.stderr}`.trim().split('\n').slice(-30).join('\n');
    return `building ${dockerfile} failed (exit ${res.code}):\n${tail}`;
  }
  console.log(`[containers] built ${tag} from ${dockerfile} in ${(res.ms / 1000).toFixed(1)} s`);
  return '';
}

/**
 * Builds the project's images once per run, from the project's own Dockerfiles with only the
 * base image swapped for the local one (NODE_IMAGE build argument).
 */
export default async function setup(project: TestProject) {
  const appError = await build('Dockerfile', APP_IMAGE);
  const mockError = await build('services/mock-oneapi/Dockerfile', MOCK_IMAGE);
  project.provide('appImage', appError ? '' : APP_IMAGE);
  project.provide('mockImage', mockError ? '' : MOCK_IMAGE);
  project.provide('imageErrors', [appError, mockError].filter(Boolean).join('\n\n'));
  for (const err of [appError, mockError].filter(Boolean)) console.error(`[containers] ${err}`);
}
