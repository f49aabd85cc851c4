/**
 * The class board's process: reads its config from the ConfigMap synth wrote, watches the
 * cluster with its ServiceAccount, serves on the pod's loopback for the login proxy.
 */
import * as fs from 'fs';
import { KubeConfig } from '@kubernetes/client-node';
import type { BoardConfig } from '../lib/contracts/board-config';
import { BoardServer } from './server';
import { ClusterWatch } from './watch';

/** Where the Deployment mounts the config (lib/plan/class-board/class-board.ts). */
const CONFIG_FILE = process.env.BOARD_CONFIG ?? '/etc/dojo-board/board.json';
const PORT = Number(process.env.BOARD_PORT ?? 8080);

async function main(): Promise<void> {
  const config = JSON.parse(fs.readFileSync(CONFIG_FILE, 'utf8')) as BoardConfig;
  const kubeConfig = new KubeConfig();
  // In the cluster: the ServiceAccount's token; on a laptop: the usual kubeconfig.
  kubeConfig.loadFromDefault();
  const changes = { changed: () => {} };
  const watch = new ClusterWatch(kubeConfig, config, () => changes.changed());
  const server = new BoardServer(config, { objects: () => watch.objects(), synced: () => watch.synced() });
  changes.changed = () => server.changed();
  await server.listen(PORT);
  console.log(`class board of ${config.cluster}: ${config.courses.length} courses, on 127.0.0.1:${PORT}`);
  await watch.start();
  const stop = () => void Promise.all([watch.stop(), server.close()]).then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
