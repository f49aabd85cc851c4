/**
 * How a student logs in to their IDE. code-server runs with `--auth none` on the pod's
 * loopback only; an oauth2-proxy sidecar in the same pod is the one way in. It checks the
 * student's bcrypt hash (or, on a cluster with an OIDC provider, the student's e-mail) and
 * issues its own session: a cookie sealed with a random key that the pod makes at start,
 * so nothing in git or dist/ is, or leads to, a session. Each student has their own proxy,
 * key and credential, so Alice's password or cookie never opens Bob's IDE, and guessing at
 * one student's login costs only that student's proxy.
 *
 * Checked against oauth2-proxy v7.15.3 (pkg/apis/options/cookie.go, pkg/validation,
 * oauthproxy.go, pkg/authentication/basic/htpasswd.go).
 */
import { OAUTH2_PROXY_IMAGE } from '../../facts/versions';
import type { LoginMethod, LoginPlan, StudentLogin } from '../model/login';

/** The proxy's port: the only port of a workstation that routing sends IDE traffic to. */
export const LOGIN_PORT = 4180;

/**
 * `__Host-`: browsers accept the cookie only with Secure, Path=/ and no Domain, so it is bound
 * to the one IDE host and no app host (`<port>-<student>.<course>...`) ever receives it.
 */
export const SESSION_COOKIE = '__Host-dojo-ide';

/** A session lasts a class day; the key changes whenever the pod starts (each morning). */
export const SESSION_LIFETIME = '12h';

/** Where the pod's random cookie key lives: a memory volume only the proxy and its init container mount. */
export const LOGIN_SECRET_DIR = '/var/run/dojo-login';
export const LOGIN_CONFIG_DIR = '/etc/dojo-login';

export function planLogin(method: LoginMethod, upstreamPort: number, cookieName: string = SESSION_COOKIE): LoginPlan {
  return { method, image: OAUTH2_PROXY_IMAGE, port: LOGIN_PORT, upstream: `http://127.0.0.1:${upstreamPort}/`, cookieName };
}

export function studentLogin(
  method: LoginMethod,
  student: { id: string; passwordHash: string; email?: string },
  ideHost: string,
): StudentLogin {
  const redirectURL = `https://${ideHost}/oauth2/callback`;
  if (method.kind === 'oidc') return { username: student.id, email: student.email, redirectURL };
  return { username: student.id, htpasswd: `${student.id}:${student.passwordHash}\n`, redirectURL };
}

/** The proxy's command line. Every flag is oauth2-proxy's own; the values are the reasons above. */
export function loginProxyArgs(plan: LoginPlan, student: StudentLogin): string[] {
  const common = [
    `--http-address=0.0.0.0:${plan.port}`,
    `--upstream=${plan.upstream}`,
    `--cookie-name=${plan.cookieName}`,
    `--cookie-secret-file=${LOGIN_SECRET_DIR}/cookie-secret`,
    '--cookie-secure=true',
    '--cookie-httponly=true',
    // lax, not strict: a student who follows the link on their slip arrives logged in.
    '--cookie-samesite=lax',
    `--cookie-expire=${SESSION_LIFETIME}`,
    // The kubelet's probes reach code-server's health page; it tells nothing but "alive".
    '--skip-auth-route=GET=^/healthz$',
    `--redirect-url=${student.redirectURL}`,
    // TLS ends at the load balancer: trust no X-Forwarded-* from the outside.
    '--reverse-proxy=false',
    '--pass-host-header=true',
    '--proxy-websockets=true',
    '--request-logging=false',
    '--footer=-',
  ];
  if (plan.method.kind === 'oidc') {
    return [
      ...common,
      '--provider=oidc',
      `--oidc-issuer-url=${plan.method.issuerURL}`,
      `--client-id=${plan.method.clientID}`,
      `--client-secret-file=${LOGIN_CONFIG_DIR}/oidc/${plan.method.clientSecret.key}`,
      `--authenticated-emails-file=${LOGIN_CONFIG_DIR}/emails`,
      '--skip-provider-button=true',
      '--code-challenge-method=S256',
    ];
  }
  return [
    ...common,
    `--htpasswd-file=${LOGIN_CONFIG_DIR}/htpasswd`,
    '--display-htpasswd-form=true',
    `--custom-templates-dir=${LOGIN_CONFIG_DIR}`,
    // oauth2-proxy insists on a provider even when only its htpasswd form is used
    // (pkg/validation/providers.go). This one is never contacted: the sign-in page
    // (sign_in.html below) has no provider button, and without a client secret no code
    // could be exchanged.
    '--provider=google',
    '--client-id=dojo-htpasswd-only',
    '--client-secret=none',
  ];
}

/** The sign-in page of password logins: oauth2-proxy's form fields, without a provider button. */
export function signInPage(title: string): string {
  const escaped = title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `{{define "sign_in.html"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escaped}: sign in</title>
<style>
body { font-family: system-ui, sans-serif; display: grid; place-items: center; min-height: 90vh; }
form { display: grid; gap: 0.6em; min-width: 18em; }
.error { color: #b00; }
</style>
</head>
<body>
<form method="POST" action="{{.ProxyPrefix}}/sign_in">
<h1>${escaped}</h1>
<input type="hidden" name="rd" value="{{.Redirect}}">
<label>User name <input type="text" name="username" autocomplete="username" autocapitalize="none" required></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
{{ if eq .StatusCode 400 401 }}<p class="error">Wrong user name or password.</p>{{ end }}
</form>
</body>
</html>
{{end}}
`;
}
