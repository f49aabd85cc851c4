#!/usr/bin/env bash
# No student pushes another out (issue 30, finding 3), on the real kube-scheduler: one kwok node
# full with Bob's pod; Alice's pod of dojo's `high-priority` class waits instead of evicting it.
# The control: the same pod with a class that may preempt (the value of `high-priority`, the
# default preemptionPolicy) evicts Bob's pod, so the scheduler would preempt if allowed.
#
#   DOJO_CLUSTER_KWOK=1 test/cluster/start.sh /tmp/c-pre -- test/cluster/preemption/run.sh dist/<cluster>
#
# Output: one PASS/FAIL line per check, then exactly "N passed, M failed".
set -uo pipefail
: "${KUBECONFIG:?run under: DOJO_CLUSTER_KWOK=1 test/cluster/start.sh WORK -- $0 DISTDIR}"
[[ $# -ge 1 ]] || { echo "usage: $0 DISTDIR (a cluster folder of dist/)" >&2; exit 2; }
dist="$1"
passed=0
failed=0
check() { # check 0|1 name
  if [[ $1 == 0 ]]; then echo "check: PASS $2"; passed=$((passed + 1)); else echo "check: FAIL $2"; failed=$((failed + 1)); fi
}
finish() { echo "$passed passed, $failed failed"; ((failed == 0)); exit $?; }

# dojo's PriorityClasses, as dist/ has them.
kubectl apply -f "$dist/platform/storage-and-priorities.yaml" >/dev/null || { check 1 "dojo's PriorityClasses applied"; finish; }
value=$(kubectl get priorityclass high-priority -o jsonpath='{.value}')
policy=$(kubectl get priorityclass high-priority -o jsonpath='{.preemptionPolicy}')
[[ "$policy" == Never ]]
check $? "high-priority never preempts (preemptionPolicy: $policy)"

# One node of 1 CPU; Bob's pod takes 900m of it.
kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Node
metadata:
  name: shared-node
  annotations: { kwok.x-k8s.io/node: fake }
  labels: { kubernetes.io/hostname: shared-node, kwok.x-k8s.io/node: fake }
status:
  capacity: { cpu: "1", memory: 4Gi, pods: "10" }
  allocatable: { cpu: "1", memory: 4Gi, pods: "10" }
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: { name: preemption-control }
value: $value
description: the control, the value of high-priority and the default policy (PreemptLowerPriority)
YAML
kubectl create namespace students-bob >/dev/null
kubectl create namespace students-alice >/dev/null
pod() { # pod NAMESPACE NAME [PRIORITY_CLASS]
  kubectl apply -n "$1" -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: { name: $2 }
spec:
  ${3:+priorityClassName: $3}
  terminationGracePeriodSeconds: 0
  containers: [{ name: app, image: nginx:1.27, resources: { requests: { cpu: 900m } } }]
YAML
}
pod students-bob work
kubectl wait -n students-bob --for=condition=Ready pod/work --timeout=120s >/dev/null
check $? "Bob's pod runs on the shared node"

pod students-alice urgent high-priority
sleep 15
phase=$(kubectl get pod -n students-alice urgent -o jsonpath='{.status.phase}')
nominated=$(kubectl get pod -n students-alice urgent -o jsonpath='{.status.nominatedNodeName}')
bob=$(kubectl get pod -n students-bob work -o jsonpath='{.status.phase}' 2>/dev/null)
[[ "$phase" == Pending && -z "$nominated" && "$bob" == Running ]]
check $? "Alice's high-priority pod waits and Bob's keeps running (Alice: $phase, nominated '${nominated}'; Bob: ${bob:-gone})"
kubectl delete pod -n students-alice urgent --wait=true >/dev/null

pod students-alice urgent preemption-control
gone=1
for _ in $(seq 1 30); do
  if ! kubectl get pod -n students-bob work >/dev/null 2>&1 ||
    [[ -n "$(kubectl get pod -n students-bob work -o jsonpath='{.metadata.deletionTimestamp}')" ]]; then
    gone=0
    break
  fi
  sleep 2
done
check $gone "control: the same pod with a class that may preempt evicts Bob's (the scheduler preempts when allowed)"
finish
