/**
 * The runners' client of the real control plane's API server (test/cluster/<suite>/run.ts): requests
 * with the admin kubeconfig start.sh writes, as any user by impersonation.
 */
import * as fs from 'fs';
import * as https from 'https';
import { load } from 'js-yaml';

export interface Identity {
  readonly user: string;
  readonly groups: readonly string[];
}

export interface Reply {
  readonly status: number;
  readonly body: any;
  readonly text: string;
  /** The Warning headers, one per element. */
  readonly warnings: readonly string[];
  /** The priority level API Priority and Fairness put the request in (its uid). */
  readonly priorityLevelUid?: string;
}

export type Call = (
  method: string,
  urlPath: string,
  body?: unknown,
  options?: { readonly as?: Identity; readonly contentType?: string },
) => Promise<Reply>;

/** A ServiceAccount's user as the API server authenticates it. */
export function serviceAccount(username: string): Identity {
  const ns = /^system:serviceaccount:([^:]+):/.exec(username)?.[1];
  return {
    user: username,
    groups: ns ? ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] : ['system:authenticated'],
  };
}

/** The client of the cluster of $KUBECONFIG; exits 2, saying how the runner is run, without one. */
export function apiClient(usage: string): Call {
  const kubeconfigPath = process.env.KUBECONFIG;
  if (!kubeconfigPath) {
    console.error(`KUBECONFIG is not set: run under ${usage}`);
    process.exit(2);
  }
  const kubeconfig: any = load(fs.readFileSync(kubeconfigPath, 'utf8'));
  const cluster = kubeconfig.clusters[0].cluster;
  const user = kubeconfig.users[0].user;
  const server = new URL(cluster.server);
  const agent = new https.Agent({
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
    cert: Buffer.from(user['client-certificate-data'], 'base64'),
    key: Buffer.from(user['client-key-data'], 'base64'),
    keepAlive: true,
    maxSockets: 4,
  });
  return (method, urlPath, body, options = {}) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string | string[]> = { Accept: 'application/json' };
    if (payload !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    if (options.as) {
      headers['Impersonate-User'] = options.as.user;
      headers['Impersonate-Group'] = [...options.as.groups];
    }
    return new Promise((resolve, reject) => {
      const req = https.request(
        { host: server.hostname, port: server.port, method, path: urlPath, headers, agent, timeout: 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: any = undefined;
            try {
              parsed = JSON.parse(text);
            } catch {}
            const warnings: string[] = [];
            for (let i = 0; i < res.rawHeaders.length; i += 2)
              if (res.rawHeaders[i].toLowerCase() === 'warning') warnings.push(res.rawHeaders[i + 1]);
            const level = res.headers['x-kubernetes-pf-prioritylevel-uid'];
            resolve({ status: res.statusCode ?? 0, body: parsed, text, warnings, priorityLevelUid: level?.toString() });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: timed out`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  };
}
