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
#
# O11Y_ROOT prefixes every path (a test runs it against a folder); on the host it is empty.
set -euo pipefail

root="${O11Y_ROOT:-}"
staged="${root}/etc/o11y-cdk/staged"

log() {
  echo "o11y-apply: $*" >&2
}

# unpack_release NAME VERSION URL SHA256 DEST: the release, verified, into DEST.new. Returns 0 when it
# unpacked it, 1 when DEST has that version already, 2 when the download or its digest failed (nothing
# unpacked). Every step is checked by hand: errexit does not apply inside a function called from "if".
unpack_release() {
  local name="$1" version="$2" url="$3" sha256="$4" dest="$5" tmp
  if [ -f "${dest}/.o11y-version" ] && [ "$(cat "${dest}/.o11y-version")" = "${version}" ]; then
    return 1
  fi
  tmp="$(mktemp -d)" || return 2
  if ! curl --fail --silent --show-error --location --retry 5 --output "${tmp}/${name}.tar.gz" "${url}"; then
    log "${name} ${version}: cannot download ${url}; nothing installed"
    rm -rf "${tmp}"
    return 2
  fi
  if ! echo "${sha256}  ${tmp}/${name}.tar.gz" | sha256sum --check --strict --status -; then
    log "${name} ${version}: the download's SHA-256 is not ${sha256}; nothing installed"
    rm -rf "${tmp}"
    return 2
  fi
  rm -rf "${dest}.new"
  if ! mkdir -p "${dest}.new" || ! tar -xzf "${tmp}/${name}.tar.gz" -C "${dest}.new" --strip-components=1 \
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

declare -A restart=()
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

for r in "${new_releases[@]}"; do
  dest="${r%%:*}"
  rest="${r#*:}"
  rm -rf "${dest}.old"
  if [ -d "${dest}" ]; then
    mv "${dest}" "${dest}.old"
  fi
  mv "${dest}.new" "${dest}"
  rm -rf "${dest}.old"
  restart["${rest%%:*}"]=1
  log "installed ${rest#*:}"
done

declare -A reload=()
changed() {
  case "$1" in
    etc/systemd/system/*.service) s="${1#etc/systemd/system/}"; restart["${s%.service}"]=1; reload[systemd]=1 ;;
    etc/prometheus/*) reload[prometheus]=1 ;;
    etc/alertmanager/*) reload[alertmanager]=1 ;;
    etc/grafana/dashboards/*) ;;
    etc/grafana/*) restart[grafana]=1 ;;
  esac
}
while IFS= read -r -d '' f; do
  rel="${f#"${staged}/"}"
  [ "${rel}" != releases ] || continue
  live="${root}/${rel}"
  if ! cmp -s "${f}" "${live}"; then
    mkdir -p "$(dirname "${live}")"
    install -o "$(stat -c %U "${f}")" -g "$(stat -c %G "${f}")" -m "$(stat -c %a "${f}")" "${f}" "${live}.o11y-new"
    mv -f "${live}.o11y-new" "${live}"
    log "installed /${rel}"
    changed "${rel}"
  fi
done < <(find "${staged}" -type f -print0 | sort -z)
# A dashboard taken out of the app leaves Grafana too.
for live in "${root}"/etc/grafana/dashboards/*.json; do
  [ -e "${live}" ] || continue
  if [ ! -e "${staged}/${live#"${root}/"}" ]; then
    rm -f "${live}"
    log "removed /${live#"${root}/"}"
  fi
done

if [ -n "${reload[systemd]:-}" ]; then
  systemctl daemon-reload
fi
for s in prometheus node_exporter grafana alertmanager; do
  if [ -n "${restart[${s}]:-}" ]; then
    systemctl enable "${s}" > /dev/null 2>&1 || true
    systemctl restart "${s}"
    log "restarted ${s}"
  elif [ -n "${reload[${s}]:-}" ]; then
    # A service that is not running yet (the first boot) starts with the new files.
    systemctl reload-or-restart "${s}"
    log "reloaded ${s}"
  fi
done
