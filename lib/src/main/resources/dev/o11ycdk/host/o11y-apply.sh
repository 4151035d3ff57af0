#!/bin/bash
# o11y-apply: installs the configuration cfn-init staged (CloudFormation metadata of the host, so a
# change to it is no change to the user data and no stop/start), but only when every file passes
# its daemon's own check; then reloads what changed. A file that fails leaves the running
# configuration as it is, and the script exits 1 naming it.
#
#   staged tree  /etc/o11y-cdk/staged/<path on the host>, plus releases (name version url sha256 dest service)
#   checks       promtool check config (with its rule files), amtool check-config (UTF-8 strict), dashboards parse as JSON
#   applies      a new release (its checks use its own tools) or unit: restart that service; prometheus.yml or rules: reload (SIGHUP);
#                alertmanager.yml: reload (SIGHUP); dashboards: none (Grafana re-reads them itself);
#                Grafana's provisioning, ini or environment: restart Grafana only
#   pending      the restarts and reloads still owed, kept in /var/lib/o11y-cdk/pending until systemctl did them: a run that
#                stops half-way (a failed restart, a reboot) leaves them to the next run, which does them even if nothing changed
#   reports      node_exporter's textfile collector reads /var/lib/node_exporter/textfile/o11y_apply.prom: whether the last run
#                installed what was staged (o11y_host_config_apply_success) and when it ran; the host alerts on a failed one
#
# O11Y_ROOT prefixes every path (a test runs it against a folder); on the host it is empty.
set -euo pipefail

root="${O11Y_ROOT:-}"
staged="${root}/etc/o11y-cdk/staged"
state="${root}/var/lib/o11y-cdk"
pending="${state}/pending"
textfile="${root}/var/lib/node_exporter/textfile"
services=(prometheus node_exporter grafana alertmanager)

log() {
  echo "o11y-apply: $*" >&2
}

# The outcome for node_exporter, written whatever way the script ends.
report() {
  local status=$? tmp
  mkdir -p "${textfile}" && tmp="$(mktemp "${textfile}/.o11y_apply.XXXXXX")" && {
    echo "# HELP o11y_host_config_apply_success Whether the last o11y-apply run installed the staged configuration (1) or kept the running one (0)."
    echo "# TYPE o11y_host_config_apply_success gauge"
    echo "o11y_host_config_apply_success $([ "${status}" -eq 0 ] && echo 1 || echo 0)"
    echo "# HELP o11y_host_config_apply_timestamp_seconds When o11y-apply last ran."
    echo "# TYPE o11y_host_config_apply_timestamp_seconds gauge"
    echo "o11y_host_config_apply_timestamp_seconds $(date +%s)"
  } > "${tmp}" && chmod 0644 "${tmp}" && mv -f "${tmp}" "${textfile}/o11y_apply.prom"
  exit "${status}"
}
trap report EXIT

# unpack_release NAME VERSION URL SHA256 DEST: the release, verified, into DEST.new. Returns 0 when it
# unpacked it, 1 when DEST has that version already, 2 when the download or its digest failed (nothing
# unpacked). Every step is checked by hand: errexit does not apply inside a function called from "if".
unpack_release() {
  local name="$1" version="$2" url="$3" sha256="$4" dest="$5" tmp
  # A DEST.new of a run that was killed is never used: unpacked again, or gone.
  rm -rf "${dest}.new"
  if [ -f "${dest}/.o11y-version" ] && [ "$(cat "${dest}/.o11y-version")" = "${version}" ]; then
    return 1
  fi
  tmp="$(mktemp -d)" || return 2
  if ! curl --fail --silent --show-error --location --retry 5 --connect-timeout 10 --max-time 900 \
      --output "${tmp}/${name}.tar.gz" "${url}"; then
    log "${name} ${version}: cannot download ${url}; nothing installed"
    rm -rf "${tmp}"
    return 2
  fi
  if ! echo "${sha256}  ${tmp}/${name}.tar.gz" | sha256sum --check --strict --status -; then
    log "${name} ${version}: the download's SHA-256 is not ${sha256}; nothing installed"
    rm -rf "${tmp}"
    return 2
  fi
  if ! mkdir -p "${dest}.new" || ! tar -xzf "${tmp}/${name}.tar.gz" -C "${dest}.new" --strip-components=1 --no-same-owner \
      || ! echo "${version}" > "${dest}.new/.o11y-version"; then
    log "${name} ${version}: cannot unpack ${url}; nothing installed"
    rm -rf "${tmp}" "${dest}.new"
    return 2
  fi
  rm -rf "${tmp}"
  return 0
}

# The binary a check runs: a release's new version when one waits, else the installed one.
tool() {
  if [ -x "${root}$1.new/$2" ]; then
    echo "${root}$1.new/$2"
  else
    echo "${root}$1/$2"
  fi
}

[ -d "${staged}" ] || { log "nothing staged at ${staged}"; exit 1; }

# What an earlier run installed but could not restart or reload yet.
declare -A restart=()
declare -A reload=()
if [ -f "${pending}" ]; then
  while read -r action unit; do
    case "${action}" in
      restart) restart["${unit}"]=1 ;;
      reload) reload["${unit}"]=1 ;;
    esac
  done < "${pending}"
fi

new_releases=()
download_failed=0
if [ -f "${staged}/releases" ]; then
  while read -r name version url sha256 dest service; do
    [ -n "${name}" ] || continue
    status=0
    unpack_release "${name}" "${version}" "${url}" "${sha256}" "${root}${dest}" || status=$?
    case "${status}" in
      0) new_releases+=("${root}${dest}:${service}:${name} ${version}") ;;
      1) ;;
      *) download_failed=1 ;;
    esac
  done < "${staged}/releases"
fi
discard_releases() {
  local r
  for r in "${new_releases[@]}"; do
    rm -rf "${r%%:*}.new"
  done
}
if [ "${download_failed}" -ne 0 ]; then
  discard_releases
  exit 1
fi

failed=0
check() {
  local what="$1"
  shift
  if ! out="$("$@" 2>&1)"; then
    log "${what} failed its check; the running configuration stays:"
    printf '%s\n' "${out}" >&2
    failed=1
  fi
}
check etc/prometheus/prometheus.yml "$(tool /opt/prometheus promtool)" check config "${staged}/etc/prometheus/prometheus.yml"
# In the UTF-8 strict mode Alertmanager runs in (its unit's --enable-feature).
check etc/alertmanager/alertmanager.yml "$(tool /opt/alertmanager amtool)" --enable-feature=utf8-strict-mode check-config \
  "${staged}/etc/alertmanager/alertmanager.yml"
for f in "${staged}"/etc/grafana/dashboards/*.json; do
  [ -e "${f}" ] || continue
  check "${f#"${staged}/"}" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "${f}"
done
if [ "${failed}" -ne 0 ]; then
  discard_releases
  exit 1
fi

# Owed from here on: written down before anything is swapped, so a run that stops half-way leaves it.
owe() {
  mkdir -p "${state}"
  {
    for s in "${!restart[@]}"; do echo "restart ${s}"; done
    for s in "${!reload[@]}"; do echo "reload ${s}"; done
  } > "${pending}.tmp"
  mv -f "${pending}.tmp" "${pending}"
}

changed() {
  case "$1" in
    etc/systemd/system/*.service) s="${1#etc/systemd/system/}"; restart["${s%.service}"]=1; reload[systemd]=1 ;;
    etc/prometheus/*) reload[prometheus]=1 ;;
    etc/alertmanager/*) reload[alertmanager]=1 ;;
    etc/grafana/dashboards/*) ;;
    etc/grafana/*) restart[grafana]=1 ;;
  esac
}
# Same content, owner and mode.
same() {
  [ -e "$2" ] && cmp -s "$1" "$2" && [ "$(stat -c %a:%U:%G "$1")" = "$(stat -c %a:%U:%G "$2")" ]
}
files=()
while IFS= read -r -d '' f; do
  rel="${f#"${staged}/"}"
  [ "${rel}" != releases ] || continue
  if ! same "${f}" "${root}/${rel}"; then
    files+=("${rel}")
    changed "${rel}"
  fi
done < <(find "${staged}" -type f -print0 | sort -z)
for r in "${new_releases[@]}"; do
  rest="${r#*:}"
  restart["${rest%%:*}"]=1
done
owe

for r in "${new_releases[@]}"; do
  dest="${r%%:*}"
  rest="${r#*:}"
  rm -rf "${dest}.old"
  if [ -d "${dest}" ]; then
    mv "${dest}" "${dest}.old"
  fi
  mv "${dest}.new" "${dest}"
  rm -rf "${dest}.old"
  log "installed ${rest#*:}"
done
for rel in "${files[@]}"; do
  f="${staged}/${rel}"
  live="${root}/${rel}"
  mkdir -p "$(dirname "${live}")"
  install -o "$(stat -c %U "${f}")" -g "$(stat -c %G "${f}")" -m "$(stat -c %a "${f}")" "${f}" "${live}.o11y-new"
  mv -f "${live}.o11y-new" "${live}"
  log "installed /${rel}"
done
# A dashboard taken out of the app leaves Grafana's folder (Grafana then unprovisions it).
for live in "${root}"/etc/grafana/dashboards/*.json; do
  [ -e "${live}" ] || continue
  if [ ! -e "${staged}/${live#"${root}/"}" ]; then
    rm -f "${live}"
    log "removed /${live#"${root}/"}"
  fi
done

if [ -n "${reload[systemd]:-}" ]; then
  systemctl daemon-reload
  unset 'reload[systemd]'
  owe
fi
for s in "${services[@]}"; do
  if [ -n "${restart[${s}]:-}" ]; then
    systemctl enable "${s}" > /dev/null 2>&1 || true
    systemctl restart "${s}"
    log "restarted ${s}"
  elif [ -n "${reload[${s}]:-}" ]; then
    # A service that is not running yet (the first boot) starts with the new files.
    systemctl reload-or-restart "${s}"
    log "reloaded ${s}"
  fi
  unset "restart[${s}]" "reload[${s}]"
  owe
done
rm -f "${pending}"
