#!/usr/bin/env bash
# A single-node Slurm on this machine, for SlurmIT: munged on its own key and socket, slurmctld
# and slurmd on free ports, every file under DIR. Nothing in /etc is read or changed, so it runs
# beside a real Slurm or none.
#
#   local-slurm.sh start DIR   starts it; prints the slurm.conf to export as SLURM_CONF
#   local-slurm.sh stop DIR    stops what start started
#
# Debian's slurm-wlm and munge packages provide the daemons (bin/dnalab test installs them).
set -euo pipefail

command="${1:?usage: local-slurm.sh start|stop DIR}"
dir="${2:?usage: local-slurm.sh start|stop DIR}"

die() { printf 'local-slurm: %s\n' "$*" >&2; exit 1; }

stop() {
  local name pid alive pids=""
  for name in slurmd slurmctld munged; do
    [ -f "$dir/$name.pid" ] || continue
    pid="$(cat "$dir/$name.pid")"
    kill "$pid" 2>/dev/null && pids="$pids $pid"
  done
  # Wait until they are gone: slurmctld writes its state on the way out, and the caller deletes
  # DIR next.
  for _ in $(seq 1 60); do
    alive=""
    for pid in $pids; do
      kill -0 "$pid" 2>/dev/null && alive=1
    done
    [ -z "$alive" ] && return 0
    sleep 0.5
  done
  for pid in $pids; do
    kill -9 "$pid" 2>/dev/null || true
  done
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case "$command" in
  stop) stop; exit 0 ;;
  start) ;;
  *) die "unknown command '$command' (start or stop)" ;;
esac

missing=""
for tool in munged slurmctld slurmd sbatch squeue scancel sinfo; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing="$missing $tool"
done
[ -z "$missing" ] || die "not installed:$missing (Debian: apt-get install slurm-wlm munge)"
export PATH="$PATH:/usr/sbin"

mkdir -p "$dir"/state "$dir"/spool "$dir"/log
chmod 700 "$dir"
# munged refuses a key others can read, and a socket folder others can write.
head -c 1024 /dev/urandom > "$dir/munge.key"
chmod 600 "$dir/munge.key"
munged --force --key-file="$dir/munge.key" --socket="$dir/munge.sock" \
  --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munged.seed" \
  || die "munged did not start: $(tail -n 3 "$dir/log/munged.log" 2>/dev/null)"

user="$(id -un)"
node="$(hostname -s)"
cat > "$dir/slurm.conf" <<CONF
ClusterName=dnalab-test
SlurmctldHost=$node
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$dir/munge.sock
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
NodeName=$node CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld || die "slurmctld did not start: $(tail -n 5 "$dir/log/slurmctld.log" 2>/dev/null)"
slurmd || die "slurmd did not start: $(tail -n 5 "$dir/log/slurmd.log" 2>/dev/null)"
for _ in $(seq 1 60); do
  if sinfo --noheader --format=%t 2>/dev/null | grep -qx idle; then
    echo "$dir/slurm.conf"
    exit 0
  fi
  sleep 0.5
done
stop
die "the node never became idle: $(sinfo 2>&1 | tail -n 2); slurmd log: $(tail -n 5 "$dir/log/slurmd.log" 2>/dev/null)"
