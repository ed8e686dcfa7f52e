// bulwark's shipped YARA rules for `bulwark triage` (compiled into the
// program). String rules only: no module parses the file. Each rule's meta:
//   description  what it means
//   severity     high | medium | low  (the scoring table in
//                src/respond/verdict.cpp gives each its weight)
//   attack       ATT&CK technique IDs, comma-separated

rule BULWARK_Miner_Pool_Or_Options : miner
{
  meta:
    description = "cryptominer: a stratum pool URL, or XMRig-style options and algorithm names"
    severity = "high"
    attack = "T1496"
  strings:
    $pool1 = "stratum+tcp://" nocase
    $pool2 = "stratum+ssl://" nocase
    $pool3 = "stratum+tls://" nocase
    $opt1 = "--donate-level" ascii
    $opt2 = "\"donate-level\"" ascii
    $opt3 = "--max-cpu-usage" ascii
    $opt4 = "--cpu-priority" ascii
    $word1 = "xmrig" nocase
    $word2 = "cryptonight" nocase
    $word3 = "randomx" nocase
    $rpc1 = "mining.subscribe" ascii
    $rpc2 = "mining.authorize" ascii
    $rpc3 = "\"method\":\"login\"" ascii
  condition:
    any of ($pool*) or 2 of ($opt*, $word*, $rpc*)
}

rule BULWARK_Miner_Tuning : miner
{
  meta:
    description = "cryptominer tuning: huge pages or model-specific registers"
    severity = "medium"
    attack = "T1496"
  strings:
    $a = "/proc/sys/vm/nr_hugepages" ascii
    $b = "vm.nr_hugepages" ascii
    $c = /\/dev\/cpu\/(\*|%d|[0-9]+)\/msr/ ascii
    $d = "wrmsr" ascii
  condition:
    2 of them
}

rule BULWARK_Reverse_Shell : reverse_shell
{
  meta:
    description = "reverse shell command lines"
    severity = "high"
    attack = "T1059.004"
  strings:
    $tcp = "/dev/tcp/" ascii
    $bashi = "bash -i" ascii
    $redir = "0>&1" ascii
    $nc1 = "nc -e /bin/sh" ascii
    $nc2 = "nc -e /bin/bash" ascii
    $ncat = "ncat --exec" ascii
    $socat = "socat exec:" nocase
    $mkfifo = /mkfifo [^ ]+; *(nc|ncat) / ascii
  condition:
    ($tcp and ($bashi or $redir)) or any of ($nc*, $socat, $mkfifo)
}

rule BULWARK_Packer_UPX : packer
{
  meta:
    description = "ELF packed with UPX"
    severity = "medium"
    attack = "T1027.002"
  strings:
    $magic = "UPX!" ascii
    $sec0 = "UPX0" ascii
    $sec1 = "UPX1" ascii
    $info = "This file is packed with the UPX" ascii
  condition:
    uint32(0) == 0x464c457f and ($info or ($magic and any of ($sec*)) or #magic >= 2)
}

rule BULWARK_Credential_Theft : credentials
{
  meta:
    description = "reads of credential files or the cloud metadata service"
    severity = "medium"
    attack = "T1552.001"
  strings:
    $a = "/etc/shadow" ascii
    $b = "/.ssh/id_rsa" ascii
    $c = "/.ssh/id_ed25519" ascii
    $d = "/.aws/credentials" ascii
    $e = "/.docker/config.json" ascii
    $f = "/var/run/secrets/kubernetes.io/serviceaccount" ascii
    $g = "169.254.169.254" ascii
    $h = "/.kube/config" ascii
  condition:
    2 of them
}

rule BULWARK_Persistence : persistence
{
  meta:
    description = "persistence: ld.so.preload, cron, profile scripts, rc.local or systemd units"
    severity = "medium"
    attack = "T1574.006,T1053.003,T1546.004,T1543.002"
  strings:
    $preload = "/etc/ld.so.preload" ascii
    $cron1 = "/etc/cron.d/" ascii
    $cron2 = "/var/spool/cron" ascii
    $cron3 = "crontab -" ascii
    $prof1 = "/etc/profile.d/" ascii
    $prof2 = "/.bashrc" ascii
    $rc = "/etc/rc.local" ascii
    $unit1 = "/etc/systemd/system/" ascii
    $unit2 = "[Service]" ascii
  condition:
    $preload or 2 of them
}

rule BULWARK_Docker_Socket_Abuse : escape
{
  meta:
    description = "talks to the Docker socket to create or run containers"
    severity = "high"
    attack = "T1611,T1610"
  strings:
    $sock = "docker.sock" ascii
    $api1 = "/containers/create" ascii
    $api2 = "\"Privileged\":true" ascii
    $api3 = "\"Binds\":[\"/:" ascii
    $cli = "docker run" ascii
  condition:
    $sock and any of ($api*, $cli)
}
