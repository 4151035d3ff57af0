#!/bin/bash
# o11y-data-volume REGION VOLUME_ID INSTANCE_ID: the host's data volume (the TSDB, Grafana's
# database, Alertmanager's silences), attached to this instance and mounted at /var/lib/o11y, with
# /var/lib/prometheus, /var/lib/grafana and /var/lib/alertmanager bind-mounted from it, all through
# /etc/fstab so every later boot mounts them before the services start (their units require the
# mounts).
#
# Attach: the volume outlives every instance. A new instance (a new AMI, a lost host) waits while
# the volume is still attached to the one it replaces, which CloudFormation terminates once the new
# one runs; then it attaches the volume to itself.
#
# Format: only a device that holds nothing at all, where blkid finds no file system, no partition
# table and no other signature (ext4 without blocks reserved for root: the TSDB's size limit counts
# on all of it). A device that holds anything is mounted as it is, or, when it is not an ext4 file
# system, refused: this script never formats a volume that holds data. A volume made larger (more
# retention or series) gets its file system grown at the next boot.
#
# Move: the first time, what the services kept on the root volume (a host of o11y-cdk 0.1) moves onto
# it, with the services stopped (0.1 started them from the root volume before this step), and only
# when it fits; a move that was cut short is started over, never nested.
#
# Owners: a new instance may number the service users differently (another AMI): files of another
# owner are given to the folder's user.
#
# O11Y_ROOT prefixes every path (a test runs it against a folder); on the host it is empty.
# O11Y_ATTACH_POLL_SECONDS (10) and O11Y_ATTACH_TIMEOUT_SECONDS (1800) pace the wait for the volume.
# O11Y_DATA_OWNERS ("prometheus:prometheus grafana:grafana alertmanager:alertmanager") pairs each
# folder under /var/lib with its user.
set -euo pipefail

region="${1:?usage: o11y-data-volume REGION VOLUME_ID INSTANCE_ID}"
volume="${2:?usage: o11y-data-volume REGION VOLUME_ID INSTANCE_ID}"
instance="${3:?usage: o11y-data-volume REGION VOLUME_ID INSTANCE_ID}"
root="${O11Y_ROOT:-}"
poll="${O11Y_ATTACH_POLL_SECONDS:-10}"
timeout="${O11Y_ATTACH_TIMEOUT_SECONDS:-1800}"
data="${root}/var/lib/o11y"
fstab="${root}/etc/fstab"
label="o11y-data"
read -r -a owners <<< "${O11Y_DATA_OWNERS:-prometheus:prometheus grafana:grafana alertmanager:alertmanager}"
err="$(mktemp)"
trap 'rm -f "${err}"' EXIT

log() {
  echo "o11y-data-volume: $*" >&2
}

# The volume's state and the instance it is attached to ("None" when it is not).
volume_state() {
  aws ec2 describe-volumes --region "${region}" --volume-ids "${volume}" \
    --query 'Volumes[0].[State, Attachments[0].InstanceId]' --output text
}

waited=0
while :; do
  if out="$(volume_state 2> "${err}")"; then
    read -r state holder <<< "${out}"
    if [ "${holder}" = "${instance}" ]; then
      break
    elif [ "${state}" = "available" ]; then
      log "attaching ${volume} to ${instance}"
      if aws ec2 attach-volume --region "${region}" --volume-id "${volume}" --instance-id "${instance}" \
          --device /dev/sdf > /dev/null; then
        break
      fi
    else
      log "${volume} is ${state}, attached to ${holder}: waiting for it to be released"
    fi
  else
    log "cannot describe ${volume}: $(cat "${err}")"
  fi
  if [ "${waited}" -ge "${timeout}" ]; then
    log "${volume} is not attached to ${instance} after ${timeout} s: the services stay down until it is"
    exit 1
  fi
  sleep "${poll}"
  waited=$((waited + poll))
done

# Nitro instances name an EBS volume by its id (without the dash); Xen ones by the device asked for.
device=""
waited=0
while [ -z "${device}" ]; do
  for candidate in "${root}/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${volume//-/}" "${root}/dev/sdf" "${root}/dev/xvdf"; do
    if [ -b "${candidate}" ]; then
      device="${candidate}"
      break
    fi
  done
  if [ -z "${device}" ]; then
    if [ "${waited}" -ge 300 ]; then
      log "${volume} is attached but no device for it appeared in 300 s"
      exit 1
    fi
    sleep 2
    waited=$((waited + 2))
  fi
done

# blkid -p exits 0 when it finds a signature, 2 when it finds none, anything else on an error:
# only "none" is blank. An error (an unreadable device) must never lead to mkfs.
probe=0
blkid -p -o export "${device}" > /dev/null 2>&1 || probe=$?
case "${probe}" in
  2)
    log "${device} is blank: creating an ext4 file system labelled ${label}"
    mkfs.ext4 -q -m 0 -L "${label}" "${device}"
    ;;
  0)
    type="$(blkid -p -o value -s TYPE "${device}" 2> /dev/null || true)"
    if [ "${type}" != "ext4" ]; then
      log "${device} holds ${type:-a partition table or an unknown signature}, not the ext4 file system of an o11y-cdk host: refusing to touch it"
      exit 1
    fi
    ;;
  *)
    log "blkid cannot read ${device} (exit ${probe}): refusing to format or mount it"
    exit 1
    ;;
esac

uuid="$(blkid -p -o value -s UUID "${device}")"
mkdir -p "${data}"
touch "${fstab}"
if ! grep -q "^UUID=${uuid} " "${fstab}"; then
  # nofail: a missing volume lets the host boot (Session Manager still reaches it) while the
  # services, which require the mounts, stay down instead of starting on an empty root volume.
  echo "UUID=${uuid} /var/lib/o11y ext4 defaults,nofail,x-systemd.device-timeout=300 0 2" >> "${fstab}"
fi
# A volume made larger: the file system grows into it, checked first when it is not mounted yet
# (the first boot of a new instance), online when fstab mounted it already (a reboot).
fs_bytes="$(dumpe2fs -h "${device}" 2> /dev/null | awk -F: '/^Block count/ {c = $2} /^Block size/ {s = $2} END {printf "%d", c * s}')"
if [ "$(blockdev --getsize64 "${device}")" -gt "${fs_bytes}" ]; then
  log "growing the file system on ${device} to the volume's size"
  if mountpoint -q "${data}"; then
    resize2fs "${device}" > /dev/null 2>&1 || log "cannot grow the file system on ${device} online; it grows at the next boot"
  else
    fsck=0
    e2fsck -f -p "${device}" > /dev/null 2>&1 || fsck=$?
    if [ "${fsck}" -ge 4 ]; then
      log "e2fsck finds errors it cannot fix on ${device} (exit ${fsck}): mounting it as it is, not grown"
    else
      resize2fs "${device}" > /dev/null 2>&1 || log "cannot grow the file system on ${device}"
    fi
  fi
fi
if ! mountpoint -q "${data}"; then
  mount "${device}" "${data}"
fi

stopped=0
for pair in "${owners[@]}"; do
  d="${pair%%:*}"
  live="${root}/var/lib/${d}"
  if [ ! -d "${data}/${d}" ]; then
    if [ -d "${live}" ] && ! mountpoint -q "${live}" && [ -n "$(ls -A "${live}")" ]; then
      if [ "${stopped}" -eq 0 ]; then
        log "stopping the services before moving their data"
        systemctl stop prometheus grafana alertmanager || true
        stopped=1
      fi
      need="$(du -sk "${live}" | cut -f1)"
      free="$(df -Pk "${data}" | awk 'NR == 2 {print $4}')"
      if [ "${need}" -ge "${free}" ]; then
        log "${live} holds ${need} KiB, the data volume has ${free} KiB free: the data stays on the root volume, where the services start again; make the volume larger"
        systemctl start prometheus grafana alertmanager || true
        exit 1
      fi
      log "moving ${live} onto the data volume"
      rm -rf "${data}/${d}.moving"
      cp -a "${live}" "${data}/${d}.moving"
      mv "${data}/${d}.moving" "${data}/${d}"
      find "${live}" -mindepth 1 -delete
    else
      mkdir -p "${data}/${d}"
    fi
  fi
  mkdir -p "${live}"
  if ! grep -q " /var/lib/${d} none bind" "${fstab}"; then
    echo "/var/lib/o11y/${d} /var/lib/${d} none bind,nofail,x-systemd.requires-mounts-for=/var/lib/o11y 0 0" >> "${fstab}"
  fi
  if ! mountpoint -q "${live}"; then
    mount --bind "${data}/${d}" "${live}"
  fi
  user="${pair#*:}"
  if [ -n "$(find "${live}" ! -user "${user}" -print -quit)" ]; then
    log "giving ${live} to ${user} (files of another owner: users numbered differently on another instance)"
    chown -R "${user}:${user}" "${live}"
  fi
done
log "mounted ${volume} (${device}, UUID ${uuid}) at /var/lib/o11y"
