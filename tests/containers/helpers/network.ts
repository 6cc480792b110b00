import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { runLabels } from './env.ts';
import { exec, podman } from './exec.ts';

/**
 * The stack's network, created by the test rather than by compose. netavark 1.4 (Debian 12)
 * leaves the bridge's MAC address to the kernel, which changes it whenever a container with a
 * lower MAC joins; containers that resolved the gateway address earlier then lose DNS
 * (aardvark-dns listens there) for up to a minute. The bridge is therefore created beforehand
 * with a fixed MAC and the network's gateway address, which netavark then uses as it is.
 */
export async function createStackNetwork(name: string): Promise<void> {
  const labels = Object.entries(runLabels()).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  await podman(['network', 'create', ...labels, name]);
}

/** Creates the network's bridge with a fixed MAC when it does not exist (netavark removes it when the last container leaves). */
export async function pinBridge(name: string): Promise<void> {
  const res = await podman([
    'network',
    'inspect',
    '--format',
    '{{.NetworkInterface}} {{range .Subnets}}{{.Subnet}} {{.Gateway}}{{end}}',
    name,
  ]);
  const [bridge, subnet, gateway] = res.stdout.trim().split(/\s+/);
  if (!bridge || !subnet || !gateway) throw new Error(`unexpected network inspect output: ${res.stdout}`);
  if (existsSync(`/sys/class/net/${bridge}`)) return;
  const mac = `02:${randomBytes(5).toString('hex').match(/../g)?.join(':')}`;
  await exec('ip', ['link', 'add', bridge, 'type', 'bridge']);
  await exec('ip', ['link', 'set', bridge, 'address', mac]);
  await exec('ip', ['addr', 'add', `${gateway}/${subnet.split('/')[1]}`, 'dev', bridge]);
  await exec('ip', ['link', 'set', bridge, 'up']);
}

/** Removes the network and, when no container used it, the bridge created for it. */
export async function removeStackNetwork(name: string): Promise<void> {
  const res = await podman(['network', 'inspect', '--format', '{{.NetworkInterface}}', name], { allowFailure: true });
  const bridge = res.stdout.trim();
  await podman(['network', 'rm', '-f', name], { allowFailure: true });
  if (bridge && existsSync(`/sys/class/net/${bridge}`))
    await exec('ip', ['link', 'del', bridge], { allowFailure: true });
}
