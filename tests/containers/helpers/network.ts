import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runLabels } from './env.ts';
import { exec, podman, ROOT } from './exec.ts';

/**
 * The stack's network, created by the test rather than by compose, so that its bridge can be
 * created beforehand with a fixed MAC address (see scripts/containers/pin-bridge.sh: without
 * it, containers of a compose stack lose DNS for up to a minute while others start).
 */
export async function createStackNetwork(name: string): Promise<void> {
  const labels = Object.entries(runLabels()).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  await podman(['network', 'create', ...labels, name]);
}

/** Creates the network's bridge with a fixed MAC unless it exists (netavark removes it when the last container leaves). */
export async function pinBridge(name: string): Promise<void> {
  await exec('bash', [join(ROOT, 'scripts', 'containers', 'pin-bridge.sh'), name]);
}

/** Removes the network and, when no container used it, the bridge created for it. */
export async function removeStackNetwork(name: string): Promise<void> {
  const res = await podman(['network', 'inspect', '--format', '{{.NetworkInterface}}', name], { allowFailure: true });
  const bridge = res.stdout.trim();
  await podman(['network', 'rm', '-f', name], { allowFailure: true });
  if (bridge && existsSync(`/sys/class/net/${bridge}`))
    await exec('ip', ['link', 'del', bridge], { allowFailure: true });
}
