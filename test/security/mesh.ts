/**
 * A mesh course's Istio objects (test/fixtures/classroom/courses/mesh.yaml: course `mesh`, its
 * students Alice and Bob): what the istio-katas write, admitted, and what would reach another
 * student's namespace or make istiod fetch for a student, refused. Evaluated statically in
 * test/security.test.ts; test/cluster/mesh sends the same kinds of objects to a real API server with
 * Istio 1.30.3's CRDs.
 */
import type { AdmissionAttack } from './attacks';
import { asStudent, service } from './requests';

export const MESH_COURSE = 'mesh';

type Meta = { name: string };
const istio = (apiVersion: string, kind: string, metadata: Meta, spec: Record<string, any>) => ({
  apiVersion,
  kind,
  metadata,
  spec,
});
const asMeshStudent = (object: Record<string, any>, student = 'alice') =>
  asStudent(student, 'CREATE', object, { course: MESH_COURSE });

/** The kata's host (03-ingress-traffic): `$STUDENT_NS.sentences.$TRAINING_NAME.eficode.academy`. */
const KATA_HOST = 'mesh-alice.sentences.mesh.eficode.academy';

export const MESH_KATA_REQUESTS: readonly { readonly name: string; readonly request: ReturnType<typeof asStudent> }[] = [
  {
    name: '03-ingress-traffic: the Gateway on the ingress gateway (selector app/istio, port 80)',
    request: asMeshStudent(
      istio(
        'networking.istio.io/v1beta1',
        'Gateway',
        { name: 'sentences' },
        {
          selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
          servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [KATA_HOST] }],
        },
      ),
    ),
  },
  {
    name: '03-ingress-traffic: the VirtualService bound to it, no exportTo',
    request: asMeshStudent(
      istio(
        'networking.istio.io/v1beta1',
        'VirtualService',
        { name: 'sentences' },
        {
          hosts: [KATA_HOST],
          gateways: ['sentences'],
          http: [{ route: [{ destination: { host: 'sentences' } }] }],
        },
      ),
    ),
  },
  {
    name: '01-basic-traffic-routing: a VirtualService and DestinationRule for name, exportTo "."',
    request: asMeshStudent(
      istio(
        'networking.istio.io/v1beta1',
        'VirtualService',
        { name: 'name' },
        {
          hosts: ['name'],
          exportTo: ['.'],
          http: [
            {
              route: [
                { destination: { host: 'name', subset: 'name-v1' }, weight: 50 },
                { destination: { host: 'name', subset: 'name-v2' }, weight: 50 },
              ],
            },
          ],
        },
      ),
    ),
  },
  {
    name: '01-basic-traffic-routing: the DestinationRule with subsets, exportTo "."',
    request: asMeshStudent(
      istio(
        'networking.istio.io/v1beta1',
        'DestinationRule',
        { name: 'name' },
        {
          host: 'name',
          exportTo: ['.'],
          subsets: [
            { name: 'name-v1', labels: { version: 'v1' } },
            { name: 'name-v2', labels: { version: 'v2' } },
          ],
        },
      ),
    ),
  },
  {
    name: '04-egress-traffic: a ServiceEntry for the API, exportTo "."',
    request: asMeshStudent(
      istio(
        'networking.istio.io/v1beta1',
        'ServiceEntry',
        { name: 'api-egress-se' },
        {
          hosts: ['api.agify.io'],
          exportTo: ['.'],
          ports: [
            { number: 80, name: 'http', protocol: 'HTTP' },
            { number: 443, name: 'tls', protocol: 'TLS' },
          ],
          resolution: 'DNS',
          location: 'MESH_EXTERNAL',
        },
      ),
    ),
  },
  {
    name: '04-egress-traffic: a VirtualService naming the namespace itself in exportTo',
    request: asMeshStudent(
      istio(
        'networking.istio.io/v1beta1',
        'VirtualService',
        { name: 'api-egress-vs' },
        {
          hosts: ['api.agify.io'],
          exportTo: ['mesh-alice'],
          gateways: ['mesh', 'egress'],
          http: [{ route: [{ destination: { host: 'istio-egressgateway', port: { number: 80 } } }] }],
        },
      ),
    ),
  },
  {
    name: '05-securing-with-mtls: PeerAuthentication STRICT for the namespace',
    request: asMeshStudent(
      istio('security.istio.io/v1beta1', 'PeerAuthentication', { name: 'mesh-alice' }, { mtls: { mode: 'STRICT' } }),
    ),
  },
  {
    name: '06-service-access-control: an AuthorizationPolicy for the own ServiceAccount',
    request: asMeshStudent(
      istio(
        'security.istio.io/v1beta1',
        'AuthorizationPolicy',
        { name: 'age' },
        {
          selector: { matchLabels: { app: 'age' } },
          action: 'ALLOW',
          rules: [{ from: [{ source: { principals: ['cluster.local/ns/mesh-alice/sa/sentences'] } }] }],
        },
      ),
    ),
  },
  {
    name: 'a RequestAuthentication with its key set inline (jwks)',
    request: asMeshStudent(
      istio(
        'security.istio.io/v1',
        'RequestAuthentication',
        { name: 'jwt' },
        {
          jwtRules: [{ issuer: 'istio-katas', jwks: '{"keys":[]}' }],
        },
      ),
    ),
  },
];

export const MESH_ATTACKS: readonly AdmissionAttack[] = [
  {
    finding: '32.7',
    by: 'dojo-student-mesh',
    name: "VirtualService exported everywhere: Bob's sentences, and Bob's gateway, routed by Alice",
    request: asMeshStudent(
      istio(
        'networking.istio.io/v1',
        'VirtualService',
        { name: 'steal' },
        {
          hosts: ['sentences.mesh-bob.svc.cluster.local', 'mesh-bob.sentences.mesh.eficode.academy'],
          exportTo: ['*'],
          gateways: ['mesh', 'mesh-bob/sentences'],
          http: [
            {
              mirror: { host: 'collector.mesh-alice.svc.cluster.local' },
              route: [{ destination: { host: 'sentences.mesh-bob.svc.cluster.local' } }],
            },
          ],
        },
      ),
    ),
  },
  {
    finding: '32.7',
    by: 'dojo-student-mesh',
    name: "DestinationRule exported to Bob's namespace",
    request: asMeshStudent(
      istio(
        'networking.istio.io/v1',
        'DestinationRule',
        { name: 'downgrade' },
        {
          host: 'age.mesh-bob.svc.cluster.local',
          exportTo: ['mesh-bob'],
          trafficPolicy: { tls: { mode: 'DISABLE' } },
        },
      ),
    ),
  },
  {
    finding: '32.7',
    by: 'dojo-student-mesh',
    name: "ServiceEntry exported everywhere, claiming an outside host for every student's sidecars",
    request: asMeshStudent(
      istio(
        'networking.istio.io/v1',
        'ServiceEntry',
        { name: 'claim' },
        {
          hosts: ['api.agify.io'],
          exportTo: ['*'],
          ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
          resolution: 'STATIC',
          endpoints: [{ address: '203.0.113.7' }],
        },
      ),
    ),
  },
  {
    finding: '32.7',
    by: 'dojo-student-mesh',
    name: "Service exported to every namespace's sidecars by its annotation",
    request: asMeshStudent(service({}, { 'networking.istio.io/exportTo': '*' })),
  },
  {
    finding: '32.7',
    by: 'dojo-student-mesh',
    name: 'RequestAuthentication whose jwksUri makes istiod fetch the instance metadata',
    request: asMeshStudent(
      istio(
        'security.istio.io/v1',
        'RequestAuthentication',
        { name: 'fetch' },
        {
          jwtRules: [{ issuer: 'x', jwksUri: 'http://169.254.169.254/latest/meta-data/' }],
        },
      ),
    ),
  },
  {
    finding: '32.7',
    by: 'dojo-student-mesh',
    refusedFirstBy: 'RBAC',
    name: 'EnvoyFilter (raw Envoy configuration)',
    request: asMeshStudent(
      istio(
        'networking.istio.io/v1alpha3',
        'EnvoyFilter',
        { name: 'raw' },
        {
          configPatches: [{ applyTo: 'HTTP_FILTER', patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.lua' } } }],
        },
      ),
    ),
  },
  {
    finding: '32.7',
    by: 'dojo-student-mesh',
    refusedFirstBy: 'RBAC',
    name: 'WasmPlugin (code the agent fetches)',
    request: asMeshStudent(
      istio('extensions.istio.io/v1alpha1', 'WasmPlugin', { name: 'code' }, { url: 'oci://ghcr.io/example/plugin:1' }),
    ),
  },
];
