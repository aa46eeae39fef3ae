#!/usr/bin/env bash
# Start a single-node SLURM cluster on this machine (Debian's slurm-wlm and munge packages).
#
# Needs root (it installs packages with apt-get and writes /etc/slurm and /etc/munge). Idempotent: run
# it again and it leaves a running cluster as it is. It does not need systemd: munged, slurmctld and
# slurmd are started as plain daemons, so it works in containers and on CI machines too.
#
#   sudo scripts/slurm/start-single-node.sh          # installs, configures, starts, waits for the node
#   sbatch --wrap hostname; squeue; sinfo            # then use it
#
# Exit status: 0 when the node accepts jobs; 3 when apt-get cannot install the packages (not root, no
# network, no Debian archive); 1 for any other failure (the daemons' logs are under /var/log/slurm/).
set -euo pipefail

PARTITION="${SLURM_PARTITION:-debug}"
log() { echo "start-single-node: $*" >&2; }

if [[ "$(id -u)" != "0" ]]; then
    log "must run as root (apt-get install, /etc/slurm)"; exit 3
fi

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null \
    || ! command -v sbatch >/dev/null; then
    log "installing slurm-wlm and munge with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get update -qq; then log "apt-get update failed"; exit 3; fi
    if ! apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null; then
        log "apt-get install slurm-wlm munge failed"; exit 3
    fi
fi

host="$(hostname -s)"
cpus="$(nproc)"
# leave a quarter of the memory (at least 512 MB) to the system
mem_mb="$(awk '/MemTotal/ {m = int($2 / 1024); r = int(m / 4); if (r < 512) r = 512; print m - r}' /proc/meminfo)"

# --- munge: the authentication SLURM's daemons and clients share --------------------------------------
mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge
if [[ ! -s /etc/munge/munge.key ]]; then
    if command -v mungekey >/dev/null; then mungekey --create --force --keyfile=/etc/munge/munge.key
    else dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none; fi
fi
chown -R munge:munge /etc/munge /var/lib/munge /var/log/munge /run/munge
chmod 0700 /etc/munge /var/lib/munge /var/log/munge
chmod 0755 /run/munge
chmod 0400 /etc/munge/munge.key
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    log "starting munged"
    rm -f /run/munge/munged.pid
    runuser -u munge -- /usr/sbin/munged --force
    for _ in $(seq 1 50); do munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.2; done
fi
munge -n </dev/null | unmunge >/dev/null || { log "munge does not work"; exit 1; }

# --- slurm.conf: one node that is also the controller, no accounting database ---------------------------
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/slurm
conf=/etc/slurm/slurm.conf
new_conf="$(mktemp)"
cat >"$new_conf" <<CONF
# Written by workforce-eval's scripts/slurm/start-single-node.sh: a single-node cluster on $host.
ClusterName=single
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=10
Waittime=0
NodeName=$host CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=$PARTITION Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
if [[ ! -f "$conf" ]] || ! cmp -s "$new_conf" "$conf"; then
    cp "$new_conf" "$conf"
    changed=1
else
    changed=0
fi
rm -f "$new_conf"
chmod 0644 "$conf"

running() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
if [[ "$changed" == 1 ]]; then
    for pidfile in /run/slurm/slurmd.pid /run/slurm/slurmctld.pid; do
        if running "$pidfile"; then kill "$(cat "$pidfile")"; sleep 1; fi
    done
fi
if ! running /run/slurm/slurmctld.pid; then log "starting slurmctld"; /usr/sbin/slurmctld -c; fi
if ! running /run/slurm/slurmd.pid; then log "starting slurmd"; /usr/sbin/slurmd; fi

# --- wait until the node takes jobs ----------------------------------------------------------------------
for _ in $(seq 1 60); do
    state="$(sinfo -h -n "$host" -o '%T' 2>/dev/null | head -n1 || true)"
    case "$state" in
        idle*|mixed*|allocated*) break ;;
        down*|drain*) scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true ;;
    esac
    sleep 1
done
if ! timeout 60 srun -N1 -n1 -t 1 true; then
    log "the node does not run jobs (state: ${state:-unknown}); see /var/log/slurm/"; exit 1
fi
log "ready: partition $PARTITION, node $host ($cpus CPUs, $mem_mb MB)"
