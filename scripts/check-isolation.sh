#!/usr/bin/env bash
# Proves on a live cluster, after bootstrap, that student isolation is switched on:
#   1. NetworkPolicies are enforced (EKS enforces none until the VPC CNI's network policy
#      support is on): a pod in one namespace cannot reach a pod in another namespace whose
#      policy denies it, while a pod in the same namespace can (the control).
#   2. The admission policies are active: a student's Ingress for another student's host, or
#      for a host under the logins' domain (a look-alike sign-in page beside the IDEs), is
#      refused, and one in the student's own space under the content domain is accepted
#      (server-side dry run, as the student).
#   3. A workstation reaches nothing of the platform's: a pod with a student's workstation
#      labels, in the course namespace (so under that workstation's egress policy), resolves
#      names (the control) but cannot open the shared proxy's ports, a node's kubelet or the
#      instance metadata; a pod in the student's namespace neither; nor, where a mesh course
#      runs, istiod's plaintext XDS and debug ports.
# Needs kubectl with cluster-admin rights on the cluster. Leaves nothing behind.
# Usage: scripts/check-isolation.sh [course] [student-id]
set -euo pipefail

image=public.ecr.aws/docker/library/busybox:1.36
a=dojo-isolation-check-a
b=dojo-isolation-check-b
failed=0
say() { printf '%s\n' "$*"; }
fail() { say "FAIL  $*"; failed=1; }
pass() { say "ok    $*"; }

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() { kubectl delete namespace "$a" "$b" --ignore-not-found --wait=false >/dev/null 2>&1 || true; }
trap cleanup EXIT

say "1. NetworkPolicy enforcement"
for ns in "$a" "$b"; do
  kubectl create namespace "$ns" >/dev/null
  kubectl label namespace "$ns" pod-security.kubernetes.io/enforce=baseline >/dev/null
done
# b denies all ingress except from its own pods, as every student namespace does.
kubectl apply -n "$b" -f - >/dev/null <<YAML
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: own-namespace-only }
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress: [{ from: [{ podSelector: {} }] }]
YAML
kubectl run server -n "$b" --image="$image" --labels=app=server --port=8080 \
  --command -- sh -c 'while true; do echo ok | nc -l -p 8080; done' >/dev/null
kubectl run peer -n "$b" --image="$image" --command -- sleep 600 >/dev/null
kubectl run outsider -n "$a" --image="$image" --command -- sleep 600 >/dev/null
kubectl wait -n "$b" --for=condition=Ready pod/server pod/peer --timeout=180s >/dev/null
kubectl wait -n "$a" --for=condition=Ready pod/outsider --timeout=180s >/dev/null
server_ip=$(kubectl get pod server -n "$b" -o jsonpath='{.status.podIP}')
# The agent applies a new policy within seconds; give it a moment.
sleep 10
if kubectl exec -n "$b" peer -- sh -c "nc -w 5 $server_ip 8080 </dev/null" | grep -q ok; then
  pass "a pod of the same namespace connects (control)"
else
  fail "a pod of the same namespace cannot connect: the check itself is broken (network, image pull?)"
fi
if kubectl exec -n "$a" outsider -- sh -c "nc -w 5 $server_ip 8080 </dev/null" 2>/dev/null | grep -q ok; then
  fail "a pod of another namespace connected: NetworkPolicies are NOT enforced. Enable network policy support of the VPC CNI add-on (docs/platform-guide.md, "After bootstrap")."
else
  pass "a pod of another namespace is refused: NetworkPolicies are enforced"
fi

say "2. Admission policies for student namespaces"
course=${1:-}
student=${2:-}
if [ -z "$course" ] || [ -z "$student" ]; then
  ns=$(kubectl get namespaces -l app.kubernetes.io/component=student-namespace \
    -o jsonpath='{range .items[0]}{.metadata.labels.dojo\.training/course} {.metadata.labels.dojo\.training/student}{end}' 2>/dev/null || true)
  course=${ns%% *}
  student=${ns##* }
fi
if [ -z "$course" ] || [ -z "$student" ]; then
  fail "no student namespace found: sync a course first, or name one: $0 <course> <student-id>"
else
  # The first route of the course namespace is an IDE's (<student>.<course>.<domain>: the
  # routes of a workstation are named after it, the IDE's shortest); the students' own hosts
  # are under the content domain, which the policy keeps in a variable of its own.
  ide_host=$(kubectl get httproute,ingress -n "$course" -o jsonpath='{.items[0].spec.hostnames[0]}{.items[0].spec.rules[0].host}' 2>/dev/null || true)
  login_suffix=${ide_host#*.}
  content_domain=$(kubectl get validatingadmissionpolicy dojo-student-ingresses \
    -o jsonpath='{.spec.variables[?(@.name=="contentDomain")].expression}' 2>/dev/null | tr -d '"' || true)
  suffix="$course.$content_domain"
  as=(--as="system:serviceaccount:$course:ws-$student" --as-group=system:serviceaccounts --as-group=system:authenticated)
  ingress() {
    cat <<YAML
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: dojo-isolation-check, namespace: $course-$student }
spec:
  ingressClassName: alb
  rules:
    - host: $1
      http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: x, port: { number: 80 } } } }] }
YAML
  }
  if out=$(ingress "someone-else.$suffix" | kubectl apply --dry-run=server "${as[@]}" -f - 2>&1); then
    fail "an Ingress for another student's host was accepted in $course-$student: the ValidatingAdmissionPolicies are not active (Kubernetes 1.30+, platform Application synced?)"
  elif grep -q 'dojo-student-ingresses' <<<"$out"; then
    pass "an Ingress for another student's host is refused by dojo-student-ingresses"
  else
    fail "the Ingress was refused, but not by dojo's policy: $out"
  fi
  if [ -z "$content_domain" ] || [ -z "$ide_host" ]; then
    fail "no content domain in the policy dojo-student-ingresses, or no route in $course: is the platform Application synced?"
  elif out=$(ingress "check-$student.$login_suffix" | kubectl apply --dry-run=server "${as[@]}" -f - 2>&1); then
    fail "an Ingress of $course-$student under the logins' domain ($login_suffix) was accepted: a page there is same-site with the IDEs"
  elif grep -q 'dojo-student-ingresses' <<<"$out"; then
    pass "an Ingress under the logins' domain is refused by dojo-student-ingresses"
  else
    fail "the Ingress under the logins' domain was refused, but not by dojo's policy: $out"
  fi
  if out=$(ingress "check-$student.$suffix" | kubectl apply --dry-run=server "${as[@]}" -f - 2>&1); then
    pass "an Ingress in the student's own space under the content domain is accepted"
  else
    fail "an Ingress in the student's own space was refused: $out"
  fi
fi

say "3. What a workstation, and a student's pod, may reach"
if [ -z "$course" ] || [ -z "$student" ]; then
  fail "no student namespace found: sync a course first, or name one: $0 <course> <student-id>"
else
  probe_ws=dojo-isolation-probe-ws
  probe_pod=dojo-isolation-probe
  # shellcheck disable=SC2317 # called by the EXIT trap
  cleanup_probes() {
    kubectl delete pod "$probe_ws" -n "$course" --ignore-not-found --wait=false >/dev/null 2>&1 || true
    kubectl delete pod "$probe_pod" -n "$course-$student" --ignore-not-found --wait=false >/dev/null 2>&1 || true
    cleanup
  }
  trap cleanup_probes EXIT
  # The workstation's own labels: its egress policy (egress-<student>) and the course's
  # default-deny select the probe exactly as they select the workstation.
  kubectl run "$probe_ws" -n "$course" --image="$image" \
    --labels="dojo.training/course=$course,dojo.training/student=$student" --command -- sleep 600 >/dev/null
  # No sidecar in a mesh namespace: its REGISTRY_ONLY would refuse what the policy is to be tested on.
  kubectl run "$probe_pod" -n "$course-$student" --image="$image" --labels=app=isolation-probe,sidecar.istio.io/inject=false \
    --command -- sleep 600 >/dev/null
  kubectl wait -n "$course" --for=condition=Ready "pod/$probe_ws" --timeout=180s >/dev/null
  kubectl wait -n "$course-$student" --for=condition=Ready "pod/$probe_pod" --timeout=180s >/dev/null
  sleep 10
  proxy_ip=$(kubectl get pods -n dojo-gateway -l app.kubernetes.io/name=traefik -o jsonpath='{.items[0].status.podIP}' 2>/dev/null || true)
  node_ip=$(kubectl get pod "$probe_ws" -n "$course" -o jsonpath='{.status.hostIP}')
  targets=("$node_ip:10250 a node's kubelet" "169.254.169.254:80 the instance metadata")
  [ -n "$proxy_ip" ] && targets+=("$proxy_ip:8443 the shared proxy's entryPoint" "$proxy_ip:9100 the shared proxy's metrics")
  # A mesh course's istiod: its plaintext XDS (15010: every namespace's routes) and its debug
  # endpoints (15014) stay closed; sidecars reach only 15012 (mTLS, scoped to their identity).
  istiod_ip=$(kubectl get pods -n istio-system -l app=istiod -o jsonpath='{.items[0].status.podIP}' 2>/dev/null || true)
  [ -n "$istiod_ip" ] && targets+=("$istiod_ip:15010 istiod's plaintext XDS" "$istiod_ip:15014 istiod's debug endpoints")
  for probe in "$course/$probe_ws:a workstation" "$course-$student/$probe_pod:a student's pod"; do
    where=${probe%%:*}
    who=${probe#*:}
    if kubectl exec -n "${where%%/*}" "${where#*/}" -- nslookup kubernetes.default.svc.cluster.local >/dev/null 2>&1; then
      pass "$who resolves names (control)"
    else
      fail "$who cannot resolve names: the check itself is broken (DNS, policy for kube-dns?)"
    fi
    for target in "${targets[@]}"; do
      address=${target%% *}
      if kubectl exec -n "${where%%/*}" "${where#*/}" -- sh -c "nc -w 5 ${address%:*} ${address#*:} </dev/null" >/dev/null 2>&1; then
        fail "$who connected to ${target#* } ($address): its egress is not confined"
      else
        pass "$who cannot reach ${target#* } ($address)"
      fi
    done
  done
fi

if [ "$failed" = 0 ]; then say "all checks passed"; else say "some checks failed"; fi
exit "$failed"
