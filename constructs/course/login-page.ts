import { Construct } from 'constructs';
import { k8s } from '../k8s';
import { courseLabels } from '../../lib/plan/model/labels';
import { signInPage } from '../../lib/plan/login/login';

export interface LoginPageProps {
  /** Course name. */
  readonly course: string;
  /** Title shown on the sign-in page. */
  readonly title: string;
  /** Namespace of the workstations. */
  readonly namespace: string;
  /** Name of the ConfigMap the login proxies mount. */
  readonly name: string;
}

/** The course's sign-in page for password logins: one ConfigMap, mounted by every student's login proxy. */
export class LoginPage extends Construct {
  constructor(scope: Construct, id: string, props: LoginPageProps) {
    super(scope, id);
    new k8s.KubeConfigMap(this, 'page', {
      metadata: { name: props.name, namespace: props.namespace, labels: courseLabels(props.course, 'login') },
      data: { 'sign_in.html': signInPage(props.title) },
    });
  }
}
