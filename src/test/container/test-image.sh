#!/usr/bin/env bash
# The JVM image (src/main/docker/Dockerfile.jvm), built and run as a cluster runs it, and checked.
#
# 1. A Debian bookworm base made here with debootstrap from Debian's archive (no image registry is
#    needed), slimmed as Debian's slim images are, imported into podman.
# 2. The image built on it (build argument BASE_IMAGE) from the application Maven packaged in
#    target/quarkus-app (run after ./mvnw package or verify; nothing is rebuilt here).
# 3. A container run as k8s/base/deployment.yaml runs it: read-only root filesystem, a writable
#    volume at /var/lib/charon and a writable /tmp, every capability dropped, no new privileges,
#    uid/gid 10001, the settings of k8s/base/config.yaml.
# 4. Checks: the image's size, the three probes UP, hello.yml and a playbook using the collections
#    completed, `podman stop` with the image's stop timeout drains a running job (it completes, the
#    service exits before the timeout), and the data survive a restart of the container.
#
# Prints the time of each step, the image size and the time to ready; ends with "N passed, N
# failed" and exits non-zero when a check failed. Needs root, podman, runc, debootstrap, curl, jq
# (.ci/run installs them). Everything it makes is removed at the end; nothing is cached.
#
# Environment: DEBIAN_MIRROR (default http://deb.debian.org/debian), MAX_IMAGE_MB (default 450),
# DOCKERFILE (default src/main/docker/Dockerfile.jvm; Dockerfile.native after ./mvnw package
# -Pnative), BASE_IMAGE=<image> builds on that image instead of making one (debian:bookworm-slim where a
# registry is reachable), KEEP=1 keeps the image, the container and the work folder afterwards.
set -euo pipefail
cd "$(dirname "$0")/../../.."

MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
MAX_IMAGE_MB=${MAX_IMAGE_MB:-450}
RUN_ID=$$
BASE=${BASE_IMAGE:-localhost/charon-test-base:$RUN_ID}
IMAGE=localhost/charon-jobs:test-$RUN_ID
CONTAINER=charon-jobs-test-$RUN_ID
TOKEN=test-admin-token-$RUN_ID-$RANDOM$RANDOM
UID_GID=10001:10001
work=$(mktemp -d /var/tmp/charon-image-test.XXXXXX)

# This machine's kind of sandbox: crun (podman's default runtime) fails on its cgroup setup, so
# runc; and no CAP_SYS_RESOURCE is granted, so the container cannot get podman's default rlimits
# (above the sandbox's own): give it limits within them. A cluster needs neither.
podman() { command podman --runtime runc "$@"; }
RUN_LIMITS=(--ulimit nofile=20000:20000 --ulimit nproc=32768:32768)

passed=0
failed=0
check() { # <description> <command...>: one check, counted
  local what=$1
  shift
  if "$@"; then
    echo "test-image: ok   $what"
    passed=$((passed + 1))
  else
    echo "test-image: FAIL $what"
    failed=$((failed + 1))
  fi
}

step_started=0
step() { # <name>: the time of the step before, and the start of this one
  local now
  now=$(date +%s)
  if [[ -n ${step_name:-} ]]; then
    echo "test-image: step '$step_name' took $((now - step_started)) s"
    timings+=("$step_name $((now - step_started))s")
  fi
  step_name=$1
  step_started=$now
  [[ -z $1 ]] || echo "test-image: --- $1"
}
timings=()

cleanup() {
  local status=$?
  if [[ ${KEEP:-} == 1 ]]; then
    echo "test-image: kept $CONTAINER, $IMAGE and $work"
  else
    podman rm -f -t 0 "$CONTAINER" >/dev/null 2>&1 || true
    podman rmi -f "$IMAGE" >/dev/null 2>&1 || true
    [[ -n ${BASE_IMAGE:-} ]] || podman rmi -f "$BASE" >/dev/null 2>&1 || true
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT

[[ -f target/quarkus-app/quarkus-run.jar || ${DOCKERFILE:-} == *native* ]] || { echo "test-image: target/quarkus-app is missing: run ./mvnw package first"; exit 1; }
started=$(date +%s)

if [[ -z ${BASE_IMAGE:-} ]]; then
  step "debootstrap a bookworm base"
  # minbase: essential packages and apt only; the Dockerfile installs what the service needs
  debootstrap --variant=minbase bookworm "$work/rootfs" "$MIRROR" > "$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log"; exit 1; }
  # as Debian's slim images: no package caches, lists, documentation, manual pages or translations,
  # and the updates and security suites beside the release
  rootfs=$work/rootfs
  rm -rf "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
  find "$rootfs/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  cat > "$rootfs/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb ${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security} bookworm-security main
EOF

  step "import the base"
  tar -C "$rootfs" -c . | podman import --quiet - "$BASE" >/dev/null
  rm -rf "$rootfs"
fi

step "build the image"
# --layers=false: nothing to cache for a later run, and no commit of every step; --jobs 2 builds
# the runtime stage and the service stage's packages side by side
podman build --layers=false --jobs 2 --network host --build-arg BASE_IMAGE="$BASE" \
  -f "${DOCKERFILE:-src/main/docker/Dockerfile.jvm}" -t "$IMAGE" . > "$work/build.log" 2>&1 \
  || { tail -30 "$work/build.log"; exit 1; }
size_mb=$(( $(podman image inspect --format '{{.Size}}' "$IMAGE") / 1000000 ))
stop_timeout=$(podman image inspect --format '{{index .Labels "io.charon.jobs.stop-timeout"}}' "$IMAGE")
echo "test-image: image size: $size_mb MB (limit $MAX_IMAGE_MB MB)"
check "the image is at most $MAX_IMAGE_MB MB ($size_mb MB)" test "$size_mb" -le "$MAX_IMAGE_MB"
check "the image names its stop timeout ($stop_timeout s)" test -n "$stop_timeout"
stop_timeout=${stop_timeout:-40}

step "run the container"
# the volumes of the Deployment: the data volume (a folder owned by the service user, as fsGroup
# makes it), the playbooks read-only (the project's, and the collections check), /tmp
mkdir -p "$work/data" "$work/playbooks"
chown "$UID_GID" "$work/data"
cp playbooks/*.yml src/test/resources/playbooks/gate.yml src/test/container/playbooks/*.yml "$work/playbooks/"
# the Deployment's settings (k8s/base/config.yaml), the admin token as its Secret gives it, and a
# free port: the container shares the host's network (this sandbox has no bridge network to map from)
env_args=()
while IFS= read -r setting; do
  env_args+=(--env "$setting")
done < <(sed -n 's/^  \([A-Z][A-Z0-9_]*\): *"\{0,1\}\([^"]*\)"\{0,1\}$/\1=\2/p' k8s/base/config.yaml)
# below the ephemeral range (net.ipv4.ip_local_port_range starts at 32768), so that no outgoing
# connection takes it between this check and the start, or the restart; free on every address,
# as the service binds 0.0.0.0
port=$(python3 - <<'PY'
import random, socket
for port in random.sample(range(20000, 32768), 200):
    with socket.socket() as s:
        try:
            s.bind(("0.0.0.0", port))
        except OSError:
            continue
        print(port)
        break
PY
)
URL=http://127.0.0.1:$port
podman create --name "$CONTAINER" "${RUN_LIMITS[@]}" --network host \
  --read-only --tmpfs /tmp:rw,size=1g,mode=1777 --cap-drop ALL --security-opt no-new-privileges \
  --user "$UID_GID" --stop-timeout "$stop_timeout" \
  --volume "$work/data:/var/lib/charon" --volume "$work/playbooks:/opt/charon/playbooks:ro" \
  "${env_args[@]}" --env QUARKUS_HTTP_PORT="$port" --env CHARON_SECURITY_ADMIN_TOKEN="$TOKEN" \
  "$IMAGE" >/dev/null

api() { curl -sS --max-time 60 -H "Authorization: Bearer $TOKEN" "$@"; }
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$URL$1" || true; }
until_true() { # <seconds> <command...>: polls the command until it succeeds or the time is up
  local deadline=$(( $(date +%s) + $1 ))
  shift
  until "$@"; do
    (( $(date +%s) < deadline )) || return 1
    sleep 0.2
  done
}
running() { [[ $(podman inspect --format '{{.State.Running}}' "$CONTAINER") == true ]]; }
ready() { running && [[ $(status_of /q/health/ready) == 200 ]]; }
start_and_wait_ready() { # prints the seconds it took
  local from
  from=$(date +%s%N)
  podman start "$CONTAINER" >/dev/null
  if until_true 300 ready; then
    echo "$(( ($(date +%s%N) - from) / 1000000 ))"
  else
    podman logs --tail 40 "$CONTAINER" >&2 || true
    return 1
  fi
}
ready_ms=$(start_and_wait_ready) || { echo "test-image: the service did not become ready"; exit 1; }
echo "test-image: time to ready: $((ready_ms / 1000)).$(printf '%03d' $((ready_ms % 1000))) s"

step "check the running service"
probe_up() { [[ $(curl -s --max-time 5 "$URL$1" | jq -r .status) == UP ]]; }
for probe in /q/health/started /q/health/live /q/health/ready; do
  check "$probe answers UP" probe_up "$probe"
done
check "the root filesystem is read-only" podman exec "$CONTAINER" sh -c '! touch /opt/charon/x 2>/dev/null'
check "the service runs as uid 10001 without capabilities" podman exec "$CONTAINER" sh -c \
  'test "$(id -u)" = 10001 && grep -q "^CapEff:[[:space:]]*0*$" /proc/1/status && grep -q "^NoNewPrivs:[[:space:]]*1$" /proc/1/status'

submit() { # <playbook> [variables as a JSON object]: prints the new job's id
  jq -n --arg playbook "$1" --argjson variables "${2:-"{}"}" \
    '{name: "image check", playbook: $playbook, inventory: ["localhost"], variables: $variables}' \
    | api "$URL/api/v1/jobs" -H 'Content-Type: application/json' --data-binary @- | jq -r .id
}
job_field() { api "$URL/api/v1/jobs/$1" | jq -r ".$2"; }
completes() { # <job id>: waits for its end through the service's wait endpoint
  local deadline=$(( $(date +%s) + 120 )) status
  while (( $(date +%s) < deadline )); do
    status=$(api "$URL/api/v1/jobs/$1/wait?timeout=PT10S" | jq -r .status)
    case $status in
      completed) return 0 ;;
      failed|cancelled|timeout) api "$URL/api/v1/jobs/$1/log" | tail -20; return 1 ;;
    esac
  done
  return 1
}
hello=$(submit hello.yml)
check "hello.yml runs to completed" completes "$hello"
collections=$(submit collections.yml)
check "a playbook using ansible.posix and community.general runs to completed" completes "$collections"

step "stop the container while a job runs"
gate=/var/lib/charon/gate-$RUN_ID
draining=$(submit gate.yml "{\"gate\": \"$gate\"}")
check "the gate job starts running" until_true 60 eval '[[ $(job_field "$draining" status) == running ]]'
stop_from=$(date +%s)
podman stop -t "$stop_timeout" "$CONTAINER" > "$work/stop.log" 2>&1 &
stopping=$!
# the shutdown delay answers "not ready"; then the drain waits for the running playbook: open its gate
check "readiness goes down as the stop begins" until_true 30 eval '[[ $(status_of /q/health/ready) != 200 ]]'
touch "$work/data/${gate##*/}"
wait "$stopping" || true
stop_took=$(( $(date +%s) - stop_from ))
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$CONTAINER")
echo "test-image: podman stop took $stop_took s (stop timeout $stop_timeout s), exit code $exit_code"
check "the service exits by itself before the stop timeout (not killed)" test "$stop_took" -lt "$stop_timeout" -a "$exit_code" != 137
# the service says so when it hands running jobs back instead (ServiceLifecycle)
check "no job was handed back: the drain let it finish" eval '! podman logs "$CONTAINER" 2>&1 | grep -q "jobs still running after"'

step "restart the container on the same volume"
restart_ms=$(start_and_wait_ready) || { echo "test-image: the service did not become ready again"; exit 1; }
echo "test-image: time to ready after the restart: $((restart_ms / 1000)).$(printf '%03d' $((restart_ms % 1000))) s"
check "the drained job completed before the stop, its attempt not spent" eval \
  '[[ $(job_field "$draining" status) == completed && $(job_field "$draining" retryCount) == 0 ]]'
check "the jobs of before the restart are still there" eval \
  '[[ $(job_field "$hello" status) == completed && $(job_field "$collections" status) == completed ]]'
after=$(submit hello.yml)
check "a job submitted after the restart completes" completes "$after"
podman stop -t "$stop_timeout" "$CONTAINER" >/dev/null
step ""

echo "test-image: steps: ${timings[*]}; all $(( $(date +%s) - started )) s"
echo "test-image: image size $size_mb MB, time to ready $((ready_ms / 1000)).$(printf '%03d' $((ready_ms % 1000))) s"
echo "test-image: $passed passed, $failed failed"
(( failed == 0 ))
