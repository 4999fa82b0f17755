#!/usr/bin/env bash
# Stops a cluster started by start_cluster.sh: kills slurmd, slurmctld and
# munged by the pids in their pid files (never by name), then removes DIR.
#
# Usage: scripts/slurm/stop_cluster.sh [DIR]   (default: $BONSAI_SLURM_DIR)
#   BONSAI_SLURM_KEEP=1 keeps DIR (logs) after stopping.
set -uo pipefail

dir=${1:-${BONSAI_SLURM_DIR:-}}
[[ -n $dir ]] || {
    echo "stop_cluster: no cluster folder given (argument or BONSAI_SLURM_DIR)" >&2
    exit 1
}
[[ -f $dir/slurm.conf ]] || {
    echo "stop_cluster: $dir holds no cluster started by start_cluster.sh" >&2
    exit 1
}

# Jobs still running belong to slurmd's step daemons; slurmd itself stops
# them when told to shut down, so cancel them first while the controller runs.
if [[ -f $dir/slurmctld.pid ]] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null; then
    SLURM_CONF=$dir/slurm.conf scancel --full --quiet --user=root 2>/dev/null || true
fi

stop_pid_file() {  # pid file, name
    local file=$1 name=$2 pid
    [[ -f $file ]] || return 0
    pid=$(cat "$file")
    if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 40); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "stop_cluster: $name ($pid) ignored SIGTERM; killing" >&2
            kill -KILL "$pid" 2>/dev/null
        fi
    fi
    rm -f "$file"
}

stop_pid_file "$dir/slurmd.pid" slurmd
stop_pid_file "$dir/slurmctld.pid" slurmctld
stop_pid_file "$dir/munge/munged.pid" munged

if [[ ${BONSAI_SLURM_KEEP:-0} == 1 ]]; then
    echo "stop_cluster: stopped; logs kept in $dir" >&2
else
    rm -rf "$dir"
    echo "stop_cluster: stopped and removed $dir" >&2
fi
