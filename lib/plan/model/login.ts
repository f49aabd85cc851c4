/** The plan of the login proxy in front of every IDE and the class board. */

/** The cluster-wide choice: passwords from the trainer, or the school's identity provider. */
export type LoginMethod =
  | { readonly kind: 'password' }
  | {
      readonly kind: 'oidc';
      readonly issuerURL: string;
      readonly clientID: string;
      /** A Secret in each course namespace, made by the platform engineer: never in git. */
      readonly clientSecret: { readonly name: string; readonly key: string };
    };

export interface LoginPlan {
  readonly method: LoginMethod;
  readonly image: string;
  readonly port: number;
  /** The loopback address of what the proxy guards (code-server, or the class board). */
  readonly upstream: string;
  /** The session cookie's name: host-only (`__Host-`), so each host has its own sessions. */
  readonly cookieName: string;
}

export interface StudentLogin {
  /** password: the user name on the sign-in form (the student id). */
  readonly username: string;
  /** password: the line of the student's htpasswd file. */
  readonly htpasswd?: string;
  /** oidc: the one e-mail address allowed in. */
  readonly email?: string;
  /** Where the identity provider sends the student back: their own IDE host. */
  readonly redirectURL: string;
}
